"""Plans: one per (campaign, organisation); the draft is edited, every submission is kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dxday.campaigns.models import Campaign
from dxday.campaigns.selectors import unit_deadline
from dxday.lib.fields import NFCCharField, NFCTextField
from dxday.registry.models import Organisation


def empty_plan() -> dict:
    return {"summary": "", "contact": {"name": "", "position": "", "phone": "", "email": ""},
            "activities": [], "initiatives": [], "communications": [], "display_urls": []}


def plan_document_path(instance, filename: str) -> str:
    # A fresh name per upload: files are never overwritten, so every version keeps its own.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (f"plans/{instance.campaign.year}/{instance.organisation.code}/"
            f"{uuid.uuid4().hex}.{suffix}")


class Submission(models.Model):
    """What a unit sends for a campaign and the agency reviews: its plan, later its results
    (decision 0019). The draft is edited; every submission is kept as an immutable version; the
    workflow (draft → submitted → returned | accepted) and its services are the same for both
    (plans.services, driven by a Track)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    # Each concrete model declares ``campaign`` and ``organisation`` (its own related names).
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    document_name = NFCCharField(_("document file name"), max_length=255, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True,
                                  help_text=_("From the first submission and the deadline."))
    deadline_extension = models.DateTimeField(
        _("extended deadline"), null=True, blank=True,
        help_text=_("A deadline granted to this unit only; the reason is required."))
    extension_reason = NFCCharField(_("reason for the extension"), max_length=500, blank=True)
    review_comment = NFCTextField(_("reviewer's comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.campaign.year} — {self.organisation}"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class Plan(Submission):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="plans",
                                 verbose_name=_("campaign"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="plans", verbose_name=_("organisation"))
    draft = models.JSONField(_("draft"), default=empty_plan)
    document = models.FileField(_("signed plan document"), upload_to=plan_document_path,
                                blank=True, max_length=255)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="plan_once")
        ]
        # Tracking reads these columns of every plan of a campaign (selectors.unit_rows): from
        # this index alone, without reading the drafts stored in the rows (SQLite would read
        # each large draft to reach the columns after it).
        indexes = [models.Index(fields=["campaign", "organisation", "status", "submitted_at",
                                        "on_time"], name="plan_tracking")]

    @property
    def deadline(self):
        """The unit's own deadline (campaigns.selectors.unit_deadline: its extension, else its
        province round's, else the campaign's)."""
        return unit_deadline(self.campaign, parent_id=self.organisation.parent_id,
                             extension=self.deadline_extension)


class SubmissionVersion(models.Model):
    """A submission, as it was submitted. Never changed after it is written."""

    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    document = models.CharField(_("document"), max_length=255, blank=True)
    document_name = models.CharField(_("document file name"), max_length=255, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+",
                                     verbose_name=_("submitted by"))
    late = models.BooleanField(_("late"))
    rollup = models.JSONField(
        _("roll-up of the communes"), null=True, blank=True,
        help_text=_("A province's version: its communes' counts as of this submission "
                    "(computed, never typed)."))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Immutability is a storage rule, not business logic: a version is written once.
        if self.pk is not None:
            raise ValueError("A submitted version is immutable")
        super().save(*args, **kwargs)


class PlanVersion(SubmissionVersion):
    """A submitted plan, as it was submitted. Never changed after it is written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("plan"))

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class SubmissionEvent(models.Model):
    """What happened to a submission and who did it: the thread the unit and the reviewers
    see."""

    class Kind(models.TextChoices):
        SAVED = "saved", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    comment = NFCTextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class PlanEvent(SubmissionEvent):
    """What happened to a plan and who did it: the thread the unit and the reviewers see."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")

    class Meta(SubmissionEvent.Meta):
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")

    def __str__(self) -> str:
        return f"{self.plan}: {self.kind}"


class Reminder(models.Model):
    """A reminder (đôn đốc) sent to a unit; one per (campaign, unit, kind), never twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="reminders")
    kind = models.CharField(_("reminder"), max_length=32,
                            help_text=_('"before-7": 7 days before the deadline; '
                                        '"after-1": 1 day after it.'))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.TextField(_("sent to"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("sent by"),
                                help_text=_("Empty: sent by the schedule."))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation", "kind"],
                                    name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} {self.organisation} {self.kind}"


class ExtensionRequest(models.Model):
    """A unit asks for more time, with a reason; a reviewer grants a date or refuses."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="extension_requests",
                             verbose_name=_("plan"))
    reason = NFCTextField(_("reason"))
    wanted_until = models.DateField(_("date asked for"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+",
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.REQUESTED)
    granted_until = models.DateTimeField(_("new deadline"), null=True, blank=True)
    comment = NFCTextField(_("reviewer's comment"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per plan at a time.
            models.UniqueConstraint(fields=["plan"], condition=models.Q(status="requested"),
                                    name="extension_request_one_open")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_status_display()}"


class PublishedQuerySet(models.QuerySet):
    def public(self, now=None):
        """Rows of accepted plans whose campaign is past its embargo."""
        from django.db.models import Q
        from django.utils import timezone

        now = now or timezone.now()
        return self.filter(Q(campaign__publish_from__isnull=True)
                           | Q(campaign__publish_from__lte=now))


class Activity(models.Model):
    """An activity of an accepted plan, as published (copied from the accepted version)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="activities")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="activities")
    position = models.PositiveIntegerField()
    title = NFCCharField(_("title"), max_length=500)
    category = models.CharField(_("category"), max_length=32, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    location = NFCCharField(_("location"), max_length=500, blank=True)
    province = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("province"))
    format = models.CharField(_("format"), max_length=16, blank=True)
    audience = NFCCharField(_("audience"), max_length=500, blank=True)
    description = NFCTextField(_("description"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"))

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start", "pk"]
        # The public order (start, id) within a campaign: pages of the API read the index.
        indexes = [models.Index(fields=["campaign", "start", "id"], name="activity_campaign_order"),
                   # The campaign's figures (selectors.activity_counts) read this index alone,
                   # already in GROUP BY order.
                   models.Index(fields=["campaign", "category", "format", "province"],
                                name="activity_campaign_figures"),
                   # Plan versus result (results.selectors) counts planned rows per category,
                   # province and unit from this index alone.
                   models.Index(fields=["campaign", "category", "province", "organisation"],
                                name="activity_planned_figures")]

    def __str__(self) -> str:
        return self.title


class Initiative(models.Model):
    """A digital initiative of an accepted plan, as published."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="initiatives")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="initiatives")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="initiatives")
    position = models.PositiveIntegerField()
    name = NFCCharField(_("name"), max_length=500)
    description = NFCTextField(_("description"), blank=True)
    for_citizens = models.BooleanField(_("for citizens"), default=False)
    for_businesses = models.BooleanField(_("for businesses"), default=False)
    for_officials = models.BooleanField(_("for officials"), default=False)
    sector = NFCCharField(_("sector"), max_length=500, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"))

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("digital initiative")
        verbose_name_plural = _("digital initiatives")
        ordering = ["organisation__code", "position"]
        indexes = [models.Index(fields=["campaign", "organisation"],
                                name="initiative_planned_figures")]

    def __str__(self) -> str:
        return self.name

    @property
    def beneficiaries(self) -> list[str]:
        return [b for b, flag in (("citizens", self.for_citizens),
                                  ("businesses", self.for_businesses),
                                  ("officials", self.for_officials)) if flag]
