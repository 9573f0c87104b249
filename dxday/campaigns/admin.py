from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dxday.campaigns.models import Campaign, CampaignDocument
from dxday.campaigns.signals import campaign_changed


class CampaignDocumentInline(admin.TabularInline):
    model = CampaignDocument
    autocomplete_fields = ["document"]
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "organiser", "submission_deadline", "event_date"]
    search_fields = ["title", "theme"]
    autocomplete_fields = ["organiser", "recipients"]
    inlines = [CampaignDocumentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An embargo or a date changed: public pages show it at once.
        campaign_changed.send(sender=Campaign, campaign=form.instance)
