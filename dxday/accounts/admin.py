from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.accounts.models import ApiToken, User
from dxday.accounts.services import otp_reset


@admin.action(description=_("Reset two-factor authentication (lost phone)"))
def reset_two_factor(modeladmin, request, queryset):
    removed = sum(otp_reset(user=user) for user in queryset)
    modeladmin.message_user(request, _(
        "%(n)d authenticator(s) removed: these people pair a new one at their next login.")
        % {"n": removed}, messages.SUCCESS)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = [reset_two_factor]
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "role", "organisation"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": [
        "email", "role", "organisation", "password1", "password2"]})]


@admin.action(description=_("Revoke the selected tokens"))
def revoke(modeladmin, request, queryset):
    queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["hint", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email", "name", "hint"]
    readonly_fields = ["user", "hint", "created_at", "last_used_at"]
    fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    actions = [revoke]

    def has_add_permission(self, request):
        return False  # keys are made by `dxday token` or the profile page, shown once
