"""Generations of the agency's reports: every one kept, with its snapshot and its files. Two
reports share the machinery: the consolidated report of the plans and the results report
(after 10/10), told apart by ``kind``.

A generation is a draft until a reviewer issues it with its number, date and signer; an issued
generation never changes (a new generation is a new draft)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.lib.fields import NFCCharField, NFCTextField

DEFAULT_RECIPIENTS = "Bộ trưởng (để b/c)\nCác Thứ trưởng (để b/c)"


class ReportGeneration(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        PLANS = "plans", _("Consolidated report (plans)")
        RESULTS = "results", _("Results report")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("report"), max_length=16, choices=Kind.choices,
                            default=Kind.PLANS)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    figures = models.JSONField(_("figures"), default=dict)
    snapshot = models.FileField(upload_to="reports/%Y/", blank=True)
    docx = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/", blank=True)
    error = models.TextField(blank=True)
    # What the reviewer writes before issuing.
    number = NFCCharField(_("number and symbol"), max_length=64, blank=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    addressee = NFCCharField(_("addressed to (Kính gửi)"), max_length=255, blank=True)
    extra_recipients = NFCTextField(_("recipients (Nơi nhận)"), blank=True,
                                    default=DEFAULT_RECIPIENTS)
    signer_authority = NFCCharField(_("signing authority"), max_length=64, blank=True)
    signer_title = NFCCharField(_("signer's position"), max_length=128, blank=True,
                                default="CỤC TRƯỞNG")
    signer_name = NFCCharField(_("signer's full name"), max_length=128, blank=True)
    assessment = NFCTextField(_("assessment"), blank=True)
    recommendations = NFCTextField(_("recommendations"), blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("report generation")
        verbose_name_plural = _("report generations")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Two requests at once make one generation: one waits for its snapshot at a time.
            models.UniqueConstraint(
                fields=["campaign", "kind"], name="report_one_pending_snapshot",
                condition=Q(status__in=["queued", "running"], snapshot="")),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} {self.kind} #{self.pk}"

    @property
    def issued(self) -> bool:
        return self.issued_at is not None

    def details(self) -> dict:
        """The issuing details the documents are rendered with."""
        return {"number": self.number, "issue_date": self.issue_date,
                "addressee": self.addressee, "extra_recipients": self.extra_recipients,
                "signer_authority": self.signer_authority, "signer_title": self.signer_title,
                "signer_name": self.signer_name, "assessment": self.assessment,
                "recommendations": self.recommendations, "issued": self.issued}

    def previous(self):
        return (ReportGeneration.objects.filter(campaign=self.campaign, kind=self.kind,
                                                status=self.Status.DONE, pk__lt=self.pk)
                .order_by("-pk").first())
