"""Generations of the consolidated report: every one kept, with its figures and files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.lib.fields import NFCCharField


class ReportGeneration(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    number = NFCCharField(_("number and symbol"), max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    figures = models.JSONField(_("figures"), default=dict)
    docx = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/", blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("report generation")
        verbose_name_plural = _("report generations")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign.year} #{self.pk}"

    def previous(self):
        return (ReportGeneration.objects.filter(campaign=self.campaign, status=self.Status.DONE,
                                                pk__lt=self.pk).order_by("-pk").first())
