"""Campaigns: one per year, with its legal basis, recipients, deadline and windows."""

from django.conf import settings
from django.core.validators import validate_comma_separated_integer_list
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dxday.lib.fields import NFCCharField, NFCTextField
from dxday.registry.models import Document, Organisation


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = NFCCharField(_("title"), max_length=255)
    theme = NFCTextField(_("theme"), blank=True)
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="organised_campaigns",
                                  verbose_name=_("organiser"))
    documents = models.ManyToManyField(Document, through="CampaignDocument", blank=True,
                                       related_name="campaigns", verbose_name=_("documents"))
    recipients = models.ManyToManyField(Organisation, blank=True, related_name="campaigns",
                                        verbose_name=_("recipients"))
    submission_deadline = models.DateTimeField(
        _("submission deadline"), null=True, blank=True,
        help_text=_("A plan submitted at or after this moment is late "
                    "(Asia/Ho_Chi_Minh; “trước ngày 15/09” means 15/09 00:00)."),
    )
    deadline_text = NFCCharField(_("deadline as written"), max_length=255, blank=True)
    lock_at = models.DateTimeField(
        _("plans locked from"), null=True, blank=True,
        help_text=_("From this moment units can no longer save or submit (late plans are "
                    "accepted until then). Empty: never locked."),
    )
    results_deadline = models.DateTimeField(
        _("results deadline"), null=True, blank=True,
        help_text=_("Units report their results (after the activity window) before this "
                    "moment; at or after it they are late (“trước ngày 31/10” means 31/10 "
                    "00:00)."),
    )
    results_lock_at = models.DateTimeField(
        _("results locked from"), null=True, blank=True,
        help_text=_("From this moment units can no longer save or submit results. Empty: "
                    "never locked."),
    )
    publish_from = models.DateTimeField(
        _("publish accepted plans from"), null=True, blank=True,
        help_text=_("Embargo: accepted plans appear publicly from this moment. Empty: at once."),
    )
    reminder_days_before = models.CharField(
        _("reminders before the deadline (days)"), max_length=64, default="7,2", blank=True,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Comma-separated, e.g. 7,2: units that have not submitted are reminded "
                    "7 and 2 days before the deadline."),
    )
    reminder_days_after = models.CharField(
        _("reminders after the deadline (days)"), max_length=64, default="1", blank=True,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Comma-separated, e.g. 1,7: units still missing are reminded 1 and 7 "
                    "days after the deadline."),
    )
    window_start = models.DateField(_("activity window start"), null=True, blank=True)
    window_end = models.DateField(_("activity window end"), null=True, blank=True)
    window_note = NFCCharField(_("activity window note"), max_length=255, blank=True)
    kit_window_start = models.DateField(_("identity-kit display start"), null=True, blank=True)
    kit_window_end = models.DateField(_("identity-kit display end"), null=True, blank=True)
    event_date = models.DateField(_("date of the national ceremony"), null=True, blank=True)
    contact_unit = NFCCharField(_("contact unit"), max_length=255, blank=True)
    contact_person = NFCCharField(_("contact person"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=64, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    description = NFCTextField(_("description"), blank=True)
    signature_required = models.BooleanField(
        _("signed document required"), default=True,
        help_text=_("A plan cannot be submitted or accepted without its signed document "
                    "(PDF or DOCX)."),
    )

    history = HistoricalRecords(m2m_fields=[recipients])

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__isnull=True) | models.Q(window_end__isnull=True)
                | models.Q(window_start__lte=models.F("window_end")),
                name="campaign_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(kit_window_start__isnull=True)
                | models.Q(kit_window_end__isnull=True)
                | models.Q(kit_window_start__lte=models.F("kit_window_end")),
                name="campaign_kit_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_published(self, now=None) -> bool:
        return self.publish_from is None or (now or timezone.now()) >= self.publish_from

    def is_locked(self, now=None) -> bool:
        return self.lock_at is not None and (now or timezone.now()) >= self.lock_at

    def results_locked(self, now=None) -> bool:
        return (self.results_lock_at is not None
                and (now or timezone.now()) >= self.results_lock_at)

    @staticmethod
    def _days(value: str) -> list[int]:
        return sorted({int(d) for d in value.split(",") if d.strip().isdigit()}, reverse=True)

    @property
    def days_before(self) -> list[int]:
        return self._days(self.reminder_days_before)

    @property
    def days_after(self) -> list[int]:
        return sorted(self._days(self.reminder_days_after))

    @property
    def has_contact(self) -> bool:
        return any((self.contact_unit, self.contact_person, self.contact_phone,
                    self.contact_email))


class CampaignDocument(models.Model):
    class Role(models.TextChoices):
        LEGAL_BASIS = "legal_basis", _("Legal basis")
        KIT = "kit", _("Identity kit")
        CALL = "call", _("The call (dispatch sent to recipients)")
        RELATED = "related", _("Related")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="campaign_documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT,
                                 related_name="campaign_links")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices,
                            default=Role.LEGAL_BASIS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("campaign document")
        verbose_name_plural = _("campaign documents")
        ordering = ["order", "document__date"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "document"], name="campaign_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year}: {self.document.number}"


class CallDelivery(models.Model):
    """One mail of the year's call to one address of one recipient, and what the mail server
    said: sent, or refused with its reason. Written before the mail goes, so a second send
    finds it and sends nothing twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        # Taken by a worker; if the worker dies before the server answers, the row stays here
        # (never sent twice: the agency checks these few by hand).
        SENDING = "sending", _("Being sent (unconfirmed)")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the mail server")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="call_deliveries", verbose_name=_("campaign"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="call_deliveries",
                                     verbose_name=_("organisation"))
    email = models.EmailField(_("email"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.QUEUED)
    detail = models.CharField(_("mail server's answer"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    queued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name=_("sent by"))

    class Meta:
        verbose_name = _("delivery of the call")
        verbose_name_plural = _("deliveries of the call")
        ordering = ["organisation__code", "email"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation", "email"],
                                    name="call_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} {self.organisation.code} {self.email}"


class ProvincialRound(models.Model):
    """A province's round for its communes within a campaign: the province's own deadline
    (before the national one) and reminders; its reviewers track and review its communes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rounds",
                                 verbose_name=_("campaign"))
    province = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rounds",
                                 verbose_name=_("province"))
    deadline = models.DateTimeField(
        _("the province's deadline"),
        help_text=_("A commune plan submitted at or after this moment is late for the "
                    "province's round (Asia/Ho_Chi_Minh; “trước ngày 01/09” means 01/09 "
                    "00:00)."))
    reminder_days_before = models.CharField(
        _("reminders before the deadline (days)"), max_length=64, blank=True,
        validators=[validate_comma_separated_integer_list])
    reminder_days_after = models.CharField(
        _("reminders after the deadline (days)"), max_length=64, blank=True,
        validators=[validate_comma_separated_integer_list])
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("opened by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial round")
        verbose_name_plural = _("provincial rounds")
        ordering = ["campaign", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "province"], name="round_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} — {self.province}"

    @property
    def days_before(self) -> list[int]:
        return Campaign._days(self.reminder_days_before)

    @property
    def days_after(self) -> list[int]:
        return sorted(Campaign._days(self.reminder_days_after))
