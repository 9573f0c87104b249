"""The public search index: one entry per published activity and initiative, organisation
and document, with its text folded (diacritics, đ, case, tone placement) in Python, so that
SQLite's FTS5 and PostgreSQL's full-text search both match "da nang" to "Đà Nẵng"."""

from django.db import models

from dxday.campaigns.models import Campaign


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity"
        INITIATIVE = "initiative"
        ORGANISATION = "organisation"
        DOCUMENT = "document"
        ACTIVITY_HELD = "activity_held"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    title_folded = models.TextField(help_text="Folded title, searched first.")
    text = models.TextField(help_text="Folded text that is searched.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_once")]

    def __str__(self) -> str:
        return self.title
