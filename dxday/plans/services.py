"""Writes to plans. Every write goes through a function here, called by the web views, the
API, the commands and the tasks alike."""

import contextlib
import dataclasses
import errno
import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.plans import schema
from dxday.plans.access import may_review, of_province_communes
from dxday.plans.diff import diff
from dxday.plans.excel import (
    SECTION_SHEETS,
    WorkbookRefused,
    campaign_from_workbook,
    plan_from_workbook,
)
from dxday.plans.models import Activity, Initiative, Plan, PlanEvent, PlanVersion
from dxday.plans.selectors import commune_rollup
from dxday.plans.signals import plan_changed, plan_published, plan_submitted, plan_unpublishing
from dxday.plans.tasks import send_return_notice, send_submission_receipt
from dxday.plans.uploads import UploadRefused, check_plan_document, document_filename
from dxday.plans.validation import PlanInvalid, Problem, Result, validate_plan
from dxday.registry.models import Organisation

logger = logging.getLogger(__name__)


class PlanConflict(Exception):
    """The plan is not in a state that allows this action; the message says why."""


@dataclasses.dataclass(frozen=True)
class Track:
    """What differs between the two things a unit sends for a campaign — its plan and, after
    the October window, its results (decision 0019). The workflow (draft, signed document,
    submission as an immutable version, on time or late against the unit's own deadline,
    return with a comment or accept, publication, history, acting person) is the functions
    below, once, for both."""

    name: str  # "plan", "results"
    model: type  # a concrete plans.models.Submission
    version_model: type
    event_model: type
    parent: str  # the field naming the submission on its versions and events
    validate: Callable  # (data, *, campaign, organisation, for_submit) -> validation.Result
    deadline: Callable  # (submission) -> its unit's deadline, or None
    publish: Callable  # (submission) on accept: copy the accepted version to the public tables
    changed: Callable  # (submission) after commit: a state changed (caches, search)
    submitted: Callable  # (submission, number) after commit: signal and receipt
    returned: Callable  # (event) after commit: the notice to the unit
    lock_at: Callable = lambda campaign: campaign.lock_at  # from then on nothing is changed
    ready: Callable | None = None  # (campaign, organisation) -> why it cannot start, or ""
    rollup: Callable | None = None  # (campaign, organisation, now) -> a province's roll-up
    initial: Callable | None = None  # (campaign, organisation) -> the fields of a new one
    version_fields: Callable | None = None  # (campaign, organisation) -> more version fields
    # The messages naming the thing (lazy, so that each is one msgid in the catalogue).
    read_only: str = ""
    already_submitted: str = ""
    reviewers_only: str = ""
    document_missing: str = ""
    locked: str = ""
    not_submitted: str = ""
    accepted_without_document: str = ""


def _locked(campaign: Campaign, now, *, track: "Track | None" = None) -> None:
    track = track or PLAN
    closed = track.lock_at(campaign)
    if closed is not None and now >= closed:
        raise PlanConflict(str(track.locked) % {
            "date": f"{timezone.localtime(closed):%H:%M %d/%m/%Y}"})


def submission_for_update(*, track: Track, campaign: Campaign, organisation: Organisation,
                          by: User | None):
    """The submission of a recipient, created as an empty draft the first time, locked for
    update; its history names ``by`` (the acting person, from a web request, the API, a
    command or a job: simple-history alone knows only the web request's user). A track that
    needs something first (results need the accepted plan) refuses with PlanConflict."""
    if not campaign.recipients.filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("%(org)s is not a recipient of this campaign.")
                               % {"org": organisation})
    model = track.model
    found = model.objects.filter(campaign=campaign, organisation=organisation).first()
    if found is None and track.ready is not None:
        reason = track.ready(campaign, organisation)
        if reason:
            raise PlanConflict(reason)
    found, created = model.objects.get_or_create(
        campaign=campaign, organisation=organisation,
        defaults=track.initial(campaign, organisation) if track.initial is not None else {})
    if created:
        found.history.update(history_user=by)
    found = model.objects.select_for_update().select_related("campaign", "organisation").get(
        pk=found.pk)
    found._history_user = by
    return found


def plan_for_update(*, campaign: Campaign, organisation: Organisation, by: User | None) -> Plan:
    """The plan of a recipient, created as an empty draft the first time, locked for update."""
    return submission_for_update(track=PLAN, campaign=campaign, organisation=organisation, by=by)


@transaction.atomic
def submission_save_draft(*, track: Track, campaign: Campaign, organisation: Organisation,
                          data: dict, by: User, upload=None, now=None):
    """Validate and store the draft, and the signed document when one is uploaded.

    All or nothing: an invalid draft raises PlanInvalid, a refused file UploadRefused, and
    then nothing is saved.
    """
    now = now or timezone.now()
    checked = check_plan_document(upload) if upload is not None else None
    found = _editable(track=track, campaign=campaign, organisation=organisation, by=by, now=now)
    result = track.validate(data, campaign=campaign, organisation=organisation)
    if not result.ok:
        raise PlanInvalid(result.errors, result.warnings)
    found.draft = result.data
    _save_with_document(track, found, upload, checked, by=by)
    return found, result


def plan_save_draft(*, campaign: Campaign, organisation: Organisation, data: dict, by: User,
                    upload=None, now=None) -> tuple[Plan, Result]:
    """Validate and store the plan's draft (and its signed document): submission_save_draft."""
    return submission_save_draft(track=PLAN, campaign=campaign, organisation=organisation,
                                 data=data, by=by, upload=upload, now=now)


@transaction.atomic
def submission_attach_document(*, track: Track, campaign: Campaign, organisation: Organisation,
                               upload, by: User, expected_kind: str | None = None, now=None):
    """Store the signed document (PDF or DOCX) of the draft; the draft's content is left
    as it is. The file goes through the same checks as the web form's upload (UploadRefused
    says why it is refused), and must be of ``expected_kind`` ("pdf" or "docx") when the caller
    declared one; a submitted one or a closed campaign is a PlanConflict."""
    now = now or timezone.now()
    checked = check_plan_document(upload)
    if expected_kind is not None and checked.kind != expected_kind:
        names = {"pdf": "PDF", "docx": "Word (.docx)"}
        raise UploadRefused(_("The file is a %(found)s document, but it was sent as %(declared)s: "
                              "send it with the matching Content-Type.") % {
            "found": names[checked.kind], "declared": names.get(expected_kind, expected_kind)})
    found = _editable(track=track, campaign=campaign, organisation=organisation, by=by, now=now)
    _save_with_document(track, found, upload, checked, by=by)
    return found


def plan_attach_document(*, campaign: Campaign, organisation: Organisation, upload, by: User,
                         expected_kind: str | None = None, now=None) -> Plan:
    """Store the plan's signed document: submission_attach_document."""
    return submission_attach_document(track=PLAN, campaign=campaign, organisation=organisation,
                                      upload=upload, by=by, expected_kind=expected_kind, now=now)


def _editable(*, track: Track, campaign: Campaign, organisation: Organisation, by, now):
    found = submission_for_update(track=track, campaign=campaign, organisation=organisation,
                                  by=by)
    if not found.is_editable:
        raise PlanConflict(str(track.read_only))
    _locked(campaign, now, track=track)
    return found


def _editable_plan(*, campaign: Campaign, organisation: Organisation, by, now) -> Plan:
    return _editable(track=PLAN, campaign=campaign, organisation=organisation, by=by, now=now)


def _save_with_document(track: Track, found, upload, checked, *, by) -> None:
    stored = None
    if checked is not None:
        # Stored and served under the type found in its content, never the uploader's
        # extension (a PDF named plan.hta is kept as plan.pdf).
        name = document_filename(upload.name, checked.kind)
        stored = _store_document(found, name, upload)
        found.document.name = stored
        found.document_name = name
        found.document_sha256 = checked.sha256
    try:
        found.save()
    except Exception:
        # The file was written before the row: remove it again (earlier files stay, the
        # versions that name them still need them).
        if stored:
            default_storage.delete(stored)
        raise
    track.event_model.objects.create(**{track.parent: found}, kind=PlanEvent.Kind.SAVED, by=by)


def _store_document(plan, name: str, upload) -> str:
    """Write the uploaded file under its fresh (UUID) name. When the disk is full or failing,
    the partial file is removed and the user is told; the caller's transaction saves nothing."""
    target = plan.document.field.generate_filename(plan, name)
    try:
        return default_storage.save(target, upload)
    except OSError as exc:
        logger.error("Storing %s failed: %s", target, exc)
        with contextlib.suppress(OSError):
            default_storage.delete(target)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UploadRefused(_("The server's storage is full, so the file could not be "
                                  "saved. Nothing was changed; please try again later — "
                                  "the operators have been alerted.")) from None
        raise UploadRefused(_("The server could not store the file (%(error)s). Nothing was "
                              "changed; please try again later.") % {
                                  "error": exc.strerror or type(exc).__name__}) from None


def plan_import_workbook(*, campaign: Campaign, organisation: Organisation, raw: bytes,
                         by: User) -> tuple[Plan, list, list]:
    """Replace the draft with a filled workbook: every cell through the one validator; any
    error → WorkbookRefused naming "Sheet!Cell" and nothing saved. Returns the plan, the
    warnings (legacy text converted, dates outside the window) and what changed."""
    data, warnings, cells = plan_from_workbook(raw)
    cells = {**SECTION_SHEETS, **cells}  # a section-level error names its sheet
    before = Plan.objects.filter(campaign=campaign, organisation=organisation).values_list(
        "draft", flat=True).first() or {}
    try:  # validated once, by the save
        plan, result = plan_save_draft(campaign=campaign, organisation=organisation, data=data,
                                       by=by)
    except PlanInvalid as exc:
        raise WorkbookRefused([Problem(cells.get(p.path, p.path), p.message)
                               for p in exc.errors]) from None
    warnings += [Problem(cells.get(p.path, p.path), p.message) for p in result.warnings]
    return plan, warnings, diff(before, plan.draft)


def document_required_message() -> str:
    return str(PLAN_MESSAGES["document_missing"])


def submission_check_submit(*, track: Track, found, campaign: Campaign | None = None) -> Result:
    """What submitting the draft now would meet: the validator's errors for a submission and,
    when the campaign requires it, the missing signed document (on the field ``document``).

    submission_submit refuses with these errors; the "check your answers" page shows them
    first."""
    campaign = campaign or found.campaign
    result = track.validate(found.draft, campaign=campaign, organisation=found.organisation,
                            for_submit=True)
    if campaign.signature_required and not found.document.name:
        result.errors.append(Problem("document", str(track.document_missing)))
    return result


def plan_check_submit(*, plan: Plan, campaign: Campaign | None = None) -> Result:
    """What submitting the plan's draft now would meet: submission_check_submit."""
    return submission_check_submit(track=PLAN, found=plan, campaign=campaign)


def submission_reference(*, year: int, org_code: str, number: int, track: str = "plan") -> str:
    """The reference of a submitted version, e.g. "DXD-2026-48-V2" (a plan) or
    "DXD-2026-48-KQ-V1" (results): deterministic, and unique because a unit has one of each
    per campaign and its versions are numbered. The format lives in
    templates/plans/_reference.txt, which the receipt mail and the pages include."""
    return render_to_string("plans/_reference.txt", {
        "year": year, "code": org_code, "number": number,
        "results": track == "results"}).strip()


@transaction.atomic
def submission_submit(*, track: Track, campaign: Campaign, organisation: Organisation, by: User,
                      now=None):
    """Submit the draft: a new immutable version; status submitted; on time or late.

    ``on_time`` is decided by the first submission against the unit's own deadline (the
    track's: for a plan its extension, else its province round's, else the campaign's), in
    Asia/Ho_Chi_Minh; a late submission is accepted and marked late. A province's plan
    version carries its communes' roll-up as of this moment.
    """
    now = now or timezone.now()
    found = submission_for_update(track=track, campaign=campaign, organisation=organisation,
                                  by=by)
    if not found.is_editable:
        raise PlanConflict(str(track.already_submitted))
    _locked(campaign, now, track=track)
    if track.ready is not None:
        reason = track.ready(campaign, organisation)
        if reason:
            raise PlanConflict(reason)
    result = submission_check_submit(track=track, found=found, campaign=campaign)
    if not result.ok:
        raise PlanInvalid(result.errors, result.warnings)
    deadline = track.deadline(found)
    late = deadline is not None and now >= deadline
    number = found.versions.count() + 1
    # A province reports its communes' figures upward with its submission, as they stand now.
    rollup = (track.rollup(campaign, organisation, now=now)
              if track.rollup is not None and organisation.kind in Organisation.PROVINCIAL_KINDS
              else None)
    track.version_model.objects.create(
        **{track.parent: found}, number=number, data=result.data,
        document=found.document.name or "", document_name=found.document_name,
        document_sha256=found.document_sha256, submitted_at=now, submitted_by=by, late=late,
        rollup=rollup,
        **(track.version_fields(campaign, organisation) if track.version_fields else {}),
    )
    if found.submitted_at is None:
        found.submitted_at = now
        found.on_time = not late
    found.last_submitted_at = now
    found.status = Plan.Status.SUBMITTED
    found.draft = result.data
    found.save()
    track.event_model.objects.create(**{track.parent: found}, kind=PlanEvent.Kind.SUBMITTED,
                                     by=by, version=number)
    transaction.on_commit(lambda: track.submitted(found, number))
    return found


def plan_submit(*, campaign: Campaign, organisation: Organisation, by: User, now=None) -> Plan:
    """Submit the plan's draft: submission_submit (on time or late against the unit's own
    deadline: its extension, else its province round's, else the campaign's)."""
    return submission_submit(track=PLAN, campaign=campaign, organisation=organisation, by=by,
                             now=now)


@transaction.atomic
def submission_review(*, track: Track, found, by: User, decision: str, comment: str = "",
                      now=None):
    """Accept a submission (it becomes publishable) or return it with a comment. The
    agency reviews every unit; a province reviewer its province's communes."""
    found = track.model.objects.select_for_update().select_related(
        "campaign", "organisation").get(pk=found.pk)
    if not may_review(by, found.organisation):
        raise PermissionDenied(str(track.reviewers_only))
    found._history_user = by
    if found.status != Plan.Status.SUBMITTED:
        raise PlanConflict(str(track.not_submitted) % {"status": found.get_status_display()})
    comment = (comment or "").strip()
    if decision == "accept" and found.campaign.signature_required:
        latest = found.versions.order_by("-number").first()
        if latest is None or not latest.document:
            raise PlanInvalid([Problem("document", str(track.accepted_without_document))])
    if decision == "return":
        if not comment:
            raise PlanInvalid([Problem("comment", _("Say what the unit should change."))])
        found.status = Plan.Status.RETURNED
        kind = PlanEvent.Kind.RETURNED
    elif decision == "accept":
        found.status = Plan.Status.ACCEPTED
        kind = PlanEvent.Kind.ACCEPTED
    else:
        raise PlanInvalid([Problem("decision", _('Choose "accept" or "return".'))])
    found.review_comment = comment
    found.reviewed_at = now or timezone.now()
    found.reviewed_by = by
    found.save()
    event = track.event_model.objects.create(**{track.parent: found}, kind=kind, by=by,
                                             comment=comment, version=found.versions.count())
    if decision == "accept":
        track.publish(found)  # also tells the public portal
    else:
        transaction.on_commit(lambda: track.changed(found))
    if decision == "return":
        transaction.on_commit(lambda: track.returned(event))
    return found


def plan_review(*, plan: Plan, by: User, decision: str, comment: str = "", now=None) -> Plan:
    """Accept a submitted plan or return it with a comment: submission_review."""
    return submission_review(track=PLAN, found=plan, by=by, decision=decision, comment=comment,
                             now=now)


def plan_publish(*, plan: Plan, now=None) -> tuple[int, int]:
    """Copy the accepted version's activities and initiatives into the published tables
    (replacing what this plan had published); drafts never reach them."""
    now = now or timezone.now()
    version = plan.versions.order_by("-number").first()
    plan_unpublishing.send(sender=Plan, plan=plan)
    counts = publish_rows(
        owner={"plan": plan}, models=(Activity, Initiative),
        data=version.data if version else None, now=now,
        activity=lambda i, a, provinces: Activity(position=i, **_published(
            "activities", a, provinces)),
        initiative=lambda i, n, provinces: Initiative(position=i, **_published(
            "initiatives", n, provinces)))
    if version is None:
        return counts
    plan_published.send(sender=Plan, plan=plan)
    transaction.on_commit(lambda: plan_changed.send(sender=Plan, plan=plan))
    return counts


def publish_rows(*, owner: dict, models: tuple, data: dict | None, now, activity, initiative
                 ) -> tuple[int, int]:
    """Replace the published rows of one submission (``owner``: {"plan": plan} or
    {"result": result}; ``models``: its activity and initiative models) by the rows of its
    accepted version's ``data`` (None: none). Each row is made by ``activity(position, row,
    provinces)`` / ``initiative(…)`` (an unsaved model; ``provinces``: code → pk of the
    provinces the activities name); the submission's campaign, unit and publication time are
    set here. Both tracks publish through this: plans (Activity, Initiative) and results
    (ActivityOutcome, InitiativeOutcome)."""
    [submission] = owner.values()
    for model in models:
        model.objects.filter(**owner).delete()
    if data is None:
        return 0, 0
    provinces = dict(Organisation.objects.filter(
        code__in={a.get("province") for a in data.get("activities", []) if a.get("province")}
    ).values_list("code", "pk"))
    common = {**owner, "campaign_id": submission.campaign_id,
              "organisation_id": submission.organisation_id, "published_at": now}
    counts = []
    for model, section, make in zip(models, ("activities", "initiatives"),
                                    (activity, initiative), strict=True):
        rows = []
        for i, row in enumerate(data.get(section, [])):
            made = make(i, row, provinces)
            for name, value in common.items():
                setattr(made, name, value)
            rows.append(made)
        model.objects.bulk_create(rows, batch_size=500)
        counts.append(len(rows))
    return counts[0], counts[1]


def _published(section: str, row: dict, provinces: dict[str, int]) -> dict:
    """A row of an accepted plan as its published model's fields, from the plan schema."""
    fields = {}
    for field in schema.SECTION[section].fields:
        value = row.get(field.name)
        if not field.published:
            continue
        if field.rule is schema.BENEFICIARY:
            fields.update({f"for_{code}": code in value for code in field.rule})
        elif field.rule == "province":
            fields["province_id"] = provinces.get(value)
        else:
            fields[field.name] = (value or None) if field.rule == "date" else value
    return fields


def submissions_bulk_accept(*, track: Track, plans, by: User) -> tuple[list, list[tuple]]:
    """Accept every submitted one among ``plans`` (plans or results), each in its own transaction.

    Returns the accepted plans and the skipped ones with the reason (a plan that is no longer
    submitted, or that lacks the signed document its campaign requires), so that the reviewer
    is told which units were left out and why."""
    accepted, skipped = [], []
    for plan in plans:
        if plan.status != Plan.Status.SUBMITTED:
            skipped.append((plan, _("It is not waiting for review (%(status)s).")
                            % {"status": plan.get_status_display()}))
            continue
        try:
            accepted.append(submission_review(track=track, found=plan, by=by, decision="accept"))
        except (PlanInvalid, PlanConflict) as exc:
            reason = ("; ".join(p.message for p in exc.errors) if isinstance(exc, PlanInvalid)
                      else str(exc))
            skipped.append((plan, reason))
    return accepted, skipped


def plans_bulk_accept(*, plans, by: User) -> tuple[list[Plan], list[tuple[Plan, str]]]:
    """Accept every submitted plan among ``plans``: submissions_bulk_accept."""
    return submissions_bulk_accept(track=PLAN, plans=plans, by=by)


@dataclasses.dataclass
class BulkResult:
    code: str
    name: str
    action: str  # "update", "unchanged", "refused", "invalid"
    changes: int
    problems: list
    warnings: list


def plans_bulk_import(*, campaign: Campaign, raw: bytes, by: User, apply: bool
                      ) -> list[BulkResult]:
    """The agency's workbook: per unit, all or nothing. A draft (or a returned plan, or a unit
    with no plan yet) is replaced; a submitted or accepted plan is never changed here — return
    it first. ``apply=False`` is the dry run: the same results, nothing saved."""
    docs, cells, warnings, problems = campaign_from_workbook(raw)
    recipients = {o.code: o for o in campaign.recipients.all()}
    unknown = [Problem(next(iter(cells.get(code, {}).values()), "(file)"),
                       _("%(code)s is not a recipient of this campaign.") % {"code": code})
               for code in docs if code not in recipients]
    if problems or unknown:
        raise WorkbookRefused(problems + unknown)
    plans = {p.organisation_id: p for p in Plan.objects.filter(campaign=campaign)}
    results = []
    for code, data in sorted(docs.items()):
        organisation = recipients[code]
        plan = plans.get(organisation.pk)
        before = plan.draft if plan else {}
        refs = {**SECTION_SHEETS, **cells.get(code, {})}
        result = validate_plan(data, campaign=campaign)
        changes = diff(before, result.data) if result.ok else []
        if not result.ok:
            action = "invalid"
            found = [Problem(refs.get(p.path, p.path), p.message) for p in result.errors]
        elif not changes:
            action, found = "unchanged", []
        elif plan is not None and not plan.is_editable:
            action = "refused"
            found = [Problem(code, _("Submitted plans are corrected by returning them to the "
                                     "unit first."))]
        else:
            action, found = "update", []
            if apply:  # the draft validated above is stored as it is, not validated again
                with transaction.atomic():
                    plan = _editable_plan(campaign=campaign, organisation=organisation, by=by,
                                          now=timezone.now())
                    plan.draft = result.data
                    _save_with_document(PLAN, plan, None, None, by=by)
        results.append(BulkResult(code, organisation.name, action, len(changes), found,
                                  warnings.get(code, [])))
    return results


def plans_round_timeliness(*, provincial_round, **_ignored) -> int:
    """After a province round's deadline was set (in its transaction): the communes that
    already sent their plan are on time or late against it as it now stands. A deadline is
    never set in the past, so a change only brings late communes back on time; a commune
    with its own extension keeps it. Returns how many plans changed."""
    found = provincial_round
    plans = of_province_communes(Plan.objects.filter(
        campaign_id=found.campaign_id, deadline_extension__isnull=True,
        submitted_at__isnull=False), found.province_id)
    return (plans.filter(submitted_at__lt=found.deadline).exclude(on_time=True)
            .update(on_time=True)
            + plans.filter(submitted_at__gte=found.deadline).exclude(on_time=False)
            .update(on_time=False))


PLAN_MESSAGES = {
    "read_only": gettext_lazy("A submitted plan is read-only until the agency returns it."),
    "already_submitted": gettext_lazy("This plan is already submitted."),
    "reviewers_only": gettext_lazy("Only the agency's reviewers review plans."),
    "document_missing": gettext_lazy(
        "A signed plan document (PDF or DOCX) is required before submitting."),
    "locked": gettext_lazy("The campaign was closed on %(date)s: plans can no longer be "
                           "changed."),
    "not_submitted": gettext_lazy(
        "Only a submitted plan can be reviewed (this one is %(status)s)."),
    "accepted_without_document": gettext_lazy(
        "The submitted plan has no signed document (PDF or DOCX), which this campaign "
        "requires: return it to the unit so that it attaches one."),
}


def _plan_submitted(plan: Plan, number: int) -> None:
    plan_submitted.send(sender=Plan, plan=plan)
    send_submission_receipt.enqueue(plan.pk, number)


PLAN = Track(
    name="plan", model=Plan, version_model=PlanVersion, event_model=PlanEvent, parent="plan",
    validate=lambda data, *, campaign, organisation=None, for_submit=False: validate_plan(
        data, campaign=campaign, for_submit=for_submit),
    deadline=lambda plan: plan.deadline,
    publish=lambda plan: plan_publish(plan=plan),
    changed=lambda plan: plan_changed.send(sender=Plan, plan=plan),
    submitted=_plan_submitted,
    returned=lambda event: send_return_notice.enqueue(event.pk),
    rollup=commune_rollup,
    **PLAN_MESSAGES,
)
