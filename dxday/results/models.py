"""Results: what a unit did, reported after the October window against its accepted plan.

One per (campaign, organisation), with the plan's workflow (plans.models.Submission: draft,
immutable versions, events, review, history); accepted results are copied to the published
tables below (decision 0019)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dxday.campaigns.models import Campaign
from dxday.lib.fields import NFCCharField
from dxday.plans.models import (
    Plan,
    PlanVersion,
    PublishedQuerySet,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)
from dxday.registry.models import Organisation
from dxday.results.schema import empty_results


def results_document_path(instance, filename: str) -> str:
    # A fresh name per upload: files are never overwritten, so every version keeps its own.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (f"results/{instance.campaign.year}/{instance.organisation.code}/"
            f"{uuid.uuid4().hex}.{suffix}")


class Result(Submission):
    """A unit's results for a campaign (báo cáo kết quả)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="results",
                                 verbose_name=_("campaign"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="results", verbose_name=_("organisation"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="results",
                             verbose_name=_("plan"))
    draft = models.JSONField(_("draft"), default=empty_results)
    document = models.FileField(_("signed results document"), upload_to=results_document_path,
                                blank=True, max_length=255)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("results")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="result_once")
        ]
        # Tracking (selectors.result_rows) reads these columns of every unit's results from
        # the index alone, never the drafts stored in the rows.
        indexes = [models.Index(fields=["campaign", "organisation", "status", "submitted_at",
                                        "on_time", "deadline_extension"],
                                name="result_tracking")]

    @property
    def deadline(self):
        """The unit's own results deadline: its extension, else the campaign's."""
        return self.deadline_extension or self.campaign.results_deadline


class ResultVersion(SubmissionVersion):
    """Submitted results, as they were submitted, with the plan version they answer."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="versions",
                               verbose_name=_("results"))
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("plan version"))

    class Meta:
        verbose_name = _("results version")
        verbose_name_plural = _("results versions")
        ordering = ["result", "number"]
        constraints = [
            models.UniqueConstraint(fields=["result", "number"], name="result_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.result} v{self.number}"


class ResultEvent(SubmissionEvent):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="events")

    class Meta(SubmissionEvent.Meta):
        verbose_name = _("results event")
        verbose_name_plural = _("results events")

    def __str__(self) -> str:
        return f"{self.result}: {self.kind}"


class ActivityOutcome(models.Model):
    """An activity of accepted results, as published (copied from the accepted version)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="activities")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="activity_outcomes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="activity_outcomes")
    position = models.PositiveIntegerField()
    planned = models.PositiveIntegerField(_("number in the accepted plan"), null=True,
                                          blank=True, help_text=_("Empty: not planned (added)."))
    title = NFCCharField(_("title"), max_length=500)
    category = models.CharField(_("category"), max_length=32, blank=True)
    status = models.CharField(_("what happened"), max_length=16)
    reason = NFCCharField(_("reason or change"), max_length=500, blank=True)
    start = models.DateField(_("actual date"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    location = NFCCharField(_("location"), max_length=500, blank=True)
    province = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("province"))
    format = models.CharField(_("format"), max_length=16, blank=True)
    participants_in_person = models.PositiveIntegerField(_("participants in person"), null=True,
                                                         blank=True)
    participants_online = models.PositiveIntegerField(_("participants online"), null=True,
                                                      blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), null=True, blank=True)
    reach_source = NFCCharField(_("source of the reach figures"), max_length=500, blank=True)
    evidence = models.JSONField(_("evidence (links)"), default=list, blank=True)
    published_at = models.DateTimeField(_("published"))

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity held")
        verbose_name_plural = _("activities held")
        ordering = ["start", "pk"]
        # Plan versus result (results.selectors) reads these columns from the index alone.
        indexes = [models.Index(fields=["campaign", "category", "status", "province",
                                        "organisation", "planned", "participants_in_person",
                                        "participants_online"],
                                name="outcome_campaign_figures")]

    def __str__(self) -> str:
        return self.title

    @property
    def added(self) -> bool:
        return self.planned is None


class InitiativeOutcome(models.Model):
    """A digital initiative of accepted results, as published."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="initiatives")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="initiative_outcomes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="initiative_outcomes")
    position = models.PositiveIntegerField()
    planned = models.PositiveIntegerField(_("number in the accepted plan"), null=True,
                                          blank=True)
    name = NFCCharField(_("name"), max_length=500)
    launched = models.BooleanField(_("launched"))
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    reason = NFCCharField(_("reason if not launched"), max_length=500, blank=True)
    usage_measure = models.CharField(_("usage measure"), max_length=16, blank=True)
    usage_value = models.PositiveIntegerField(_("usage figure"), null=True, blank=True)
    usage_date = models.DateField(_("figure as of"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"))

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative outcome")
        verbose_name_plural = _("initiative outcomes")
        ordering = ["organisation__code", "position"]
        indexes = [models.Index(fields=["campaign", "organisation", "launched", "planned"],
                                name="initiative_outcome_figures")]

    def __str__(self) -> str:
        return self.name
