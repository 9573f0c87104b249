"""Admin views of the kit check: kit files are added on the dashboard (content checked there);
here they can be looked at and removed; targets switched off; results are read-only."""

from django.contrib import admin

from .models import KitFile, ScanResult, ScanTarget


@admin.register(KitFile)
class KitFileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "campaign", "variant", "width", "height", "uploaded_at")
    list_filter = ("campaign", "variant")
    readonly_fields = ("campaign", "file", "sha256", "width", "height", "uploaded_at")
    fields = ("campaign", "variant", "title", "file", "sha256", "width", "height", "uploaded_at")

    def has_add_permission(self, request):
        return False


@admin.register(ScanTarget)
class ScanTargetAdmin(admin.ModelAdmin):
    list_display = ("url", "organisation", "campaign", "kind", "source", "active",
                    "last_verdict", "last_checked_at")
    list_filter = ("campaign", "kind", "source", "active", "last_verdict")
    search_fields = ("url", "organisation__name")
    readonly_fields = ("campaign", "organisation", "url", "kind", "source", "last_verdict",
                       "last_checked_at")

    def has_add_permission(self, request):
        return False


@admin.register(ScanResult)
class ScanResultAdmin(admin.ModelAdmin):
    list_display = ("target", "checked_at", "verdict", "score", "method")
    list_filter = ("verdict", "method", "target__campaign")
    search_fields = ("target__url",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
