"""Writes to reports: request a generation, edit the draft, issue it, make its files again.

A generation's figures are read once, into its snapshot (dxday.reports.generate, in the
worker); every file is rendered from that snapshot, so editing the draft or issuing it never
changes a figure."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.lib.text import clean_typed
from dxday.reports import document
from dxday.reports.generate import report_generate
from dxday.reports.models import ReportGeneration
from dxday.reports.tasks import generate_report

__all__ = ["report_generate", "report_issue", "report_rerender", "report_request",
           "report_update"]
EDITABLE = ("number", "issue_date", "addressee", "extra_recipients", "signer_authority",
            "signer_title", "signer_name", "assessment", "recommendations")
LIMITS = {"number": 64, "addressee": 255, "signer_authority": 64, "signer_title": 128,
          "signer_name": 128, "extra_recipients": 2000, "assessment": 20000,
          "recommendations": 20000}
NUMBER = re.compile(rf"^\d{{1,6}}/{re.escape(document.SYMBOL)}$")
# A generation still waiting for its snapshot after this long was lost (its worker or its
# task): it no longer holds back new requests.
PENDING_LIMIT = datetime.timedelta(minutes=30)
Status = ReportGeneration.Status


class ReportIssued(Exception):
    """The generation was issued: it no longer changes (HTTP 409)."""


class ReportBusy(Exception):
    """The generation's files are being made: wait (HTTP 409)."""


class ReportInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def report_request(*, campaign, by, number: str = "",
                   kind: str = ReportGeneration.Kind.PLANS) -> ReportGeneration:
    """Queue a generation of a report of the campaign: the consolidated report of the plans
    (kind "plans") or the results report ("results"); the worker makes the snapshot and the
    files. While one of that report is waiting for its snapshot, a second request returns
    that one."""
    if kind not in ReportGeneration.Kind.values:
        raise ReportInvalid({"kind": _("Choose the consolidated report or the results "
                                       "report.")})
    for _attempt in range(2):
        try:
            with transaction.atomic():
                generation = ReportGeneration.objects.create(
                    campaign=campaign, requested_by=by, kind=kind,
                    number=clean_typed(number or "")[:64])
        except IntegrityError:
            pending = ReportGeneration.objects.filter(
                campaign=campaign, kind=kind, snapshot="",
                status__in=[Status.QUEUED, Status.RUNNING]).first()
            if pending is None:
                continue  # it got its snapshot in between: ask again
            if timezone.now() - pending.requested_at < PENDING_LIMIT:
                return pending
            ReportGeneration.objects.filter(pk=pending.pk, snapshot="").update(
                status=Status.FAILED, progress=100,
                error=_("Not made: the background task was lost. Generate the report again."))
            continue
        transaction.on_commit(lambda pk=generation.pk: generate_report.enqueue(pk))
        return generation
    raise ReportBusy(_("A report of this campaign is being generated; try again in a minute."))


def _clean(values: dict) -> tuple[dict, dict]:
    """The typed values as stored (NFC, no control characters, legacy fonts converted), and
    the errors by field."""
    cleaned, errors = {}, {}
    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name == "issue_date":
            if isinstance(value, str):
                try:
                    value = (datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
                             if value.strip() else None)
                except ValueError:
                    errors[name] = _("Write the date of issue as dd/mm/yyyy, e.g. 05/10/2026.")
                    continue
            cleaned[name] = value
            continue
        value = clean_typed(str(value or "")).strip()  # as typed: no legacy-font guessing
        if len(value) > LIMITS[name]:
            errors[name] = _("At most %(limit)d characters (%(n)d typed).") % {
                "limit": LIMITS[name], "n": len(value)}
            continue
        cleaned[name] = value
    return cleaned, errors


def _editable(generation: ReportGeneration) -> None:
    if generation.issued:
        raise ReportIssued(_("Report #%(pk)d was issued on %(date)s: it cannot be changed; "
                             "generate a new draft.") % {
            "pk": generation.pk, "date": f"{generation.issue_date:%d/%m/%Y}"})
    if generation.status in (Status.QUEUED, Status.RUNNING):
        raise ReportBusy(_("The files of report #%(pk)d are being made: wait until they are "
                           "ready, then save again.") % {"pk": generation.pk})
    if not generation.snapshot:
        raise ReportInvalid({"status": _("This generation has no snapshot of the figures "
                                         "(made by an earlier version): generate a new one.")})


def _rerender(generation: ReportGeneration) -> None:
    generation.status = Status.QUEUED
    generation.progress = 0
    generation.error = ""
    generation.save()
    pk = generation.pk
    transaction.on_commit(lambda: generate_report.enqueue(pk))


def report_update(*, generation: ReportGeneration, by, values: dict) -> ReportGeneration:
    """Save what the reviewer wrote on a draft (number, date, signer, V and VI…) and render
    its files again from its snapshot. Refused once issued, or while files are being made;
    invalid values change nothing."""
    with transaction.atomic():
        generation = ReportGeneration.objects.select_for_update().get(pk=generation.pk)
        _editable(generation)
        cleaned, errors = _clean(values)
        if errors:
            raise ReportInvalid(errors)
        for name, value in cleaned.items():
            setattr(generation, name, value)
        _rerender(generation)
    return generation


def report_issue(*, generation: ReportGeneration, by, values: dict) -> ReportGeneration:
    """Issue a draft: number, date, signer, assessment and recommendations required; the
    files are rendered a last time and the generation never changes again."""
    with transaction.atomic():
        generation = ReportGeneration.objects.select_for_update().get(pk=generation.pk)
        _editable(generation)
        cleaned, errors = _clean(values)
        for name, value in cleaned.items():
            setattr(generation, name, value)
        if "number" not in errors:
            if not NUMBER.match(generation.number):
                errors["number"] = _("Write the number and symbol as “12/%(symbol)s”.") % {
                    "symbol": document.SYMBOL}
            elif (ReportGeneration.objects.filter(
                    campaign__year=generation.campaign.year, number=generation.number,
                    issued_at__isnull=False).exclude(pk=generation.pk).exists()):
                errors["number"] = _("This number is already used by an issued report.")
        if "issue_date" not in errors:
            if generation.issue_date is None:
                errors["issue_date"] = _("Write the date of issue (dd/mm/yyyy).")
            elif generation.as_of and generation.issue_date < timezone.localtime(
                    generation.as_of).date():
                errors["issue_date"] = _("The date of issue cannot be before the moment the "
                                         "figures were taken.")
        for name, message in (("signer_title", _("Write the signer's position.")),
                              ("signer_name", _("Write the signer's full name.")),
                              ("assessment", _("Write section V (assessment) before issuing.")),
                              ("recommendations",
                               _("Write section VI (recommendations) before issuing."))):
            if name not in errors and not getattr(generation, name).strip():
                errors[name] = message
        if errors:
            raise ReportInvalid(errors)
        generation.issued_at = timezone.now()
        generation.issued_by = by
        _rerender(generation)
    return generation


def report_rerender(*, generation: ReportGeneration, by) -> ReportGeneration:
    """Make the files of a generation again after a failure (its details unchanged, issued or
    not): a full disk or a lost worker must not leave an issued report without files."""
    with transaction.atomic():
        generation = ReportGeneration.objects.select_for_update().get(pk=generation.pk)
        if generation.status != Status.FAILED:
            raise ReportBusy(_("Only a generation that failed is made again."))
        _rerender(generation)
    return generation
