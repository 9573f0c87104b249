from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dxday.plans.models import Plan, PlanEvent, PlanVersion, Reminder


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    fields = ["number", "submitted_at", "submitted_by", "late", "document_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    fields = ["at", "kind", "by", "version", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PlanAdminForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["deadline_extension", "extension_reason"]

    def clean(self):
        data = super().clean()
        if data.get("deadline_extension") and not (data.get("extension_reason") or "").strip():
            self.add_error("extension_reason",
                           _("Give the reason for the extension (for example the unit's letter)."))
        return data


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    form = PlanAdminForm
    list_display = ["organisation", "campaign", "status", "submitted_at", "on_time"]
    list_filter = ["campaign", "status", "on_time"]
    search_fields = ["organisation__name", "organisation__code"]
    list_select_related = ["organisation", "campaign"]
    # Status and content change only through the plan services; the admin records extensions.
    readonly_fields = ["campaign", "organisation", "status", "draft", "document",
                       "document_name", "submitted_at", "last_submitted_at", "on_time",
                       "review_comment", "reviewed_at", "reviewed_by"]
    fields = [*readonly_fields[:2], "deadline_extension", "extension_reason",
              *readonly_fields[2:]]
    inlines = [PlanVersionInline, PlanEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["campaign", "organisation", "kind", "sent_at", "recipients"]
    list_filter = ["campaign", "kind"]
    search_fields = ["organisation__name", "organisation__code"]
    readonly_fields = ["campaign", "organisation", "kind", "sent_at", "recipients"]
