from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dxday.registry.models import Contact, Document, Organisation, Succession, Website
from dxday.registry.signals import organisation_changed


class ValidOnTodayFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "valid"

    def lookups(self, request, model_admin):
        return [("now", _("Valid today")), ("ended", _("Ended"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "now":
            return queryset.valid_on(today)
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = _("successor")
    verbose_name_plural = _("successors")


class WebsiteInline(admin.TabularInline):
    model = Website
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = [ValidOnTodayFilter, "kind"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [SuccessionInline, WebsiteInline, ContactInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        organisation_changed.send(sender=Organisation, organisation=form.instance)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "date", "issuer_text", "title"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "body"]
    autocomplete_fields = ["issuer"]
    date_hierarchy = "date"
