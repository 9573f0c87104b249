"""Writes to results. The workflow is the plans' (plans.services: submission_* driven by a
Track); this module says what differs — the schema and its validator, the results deadline
and lock, the accepted plan as prerequisite and prefill, the published tables, the notices."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan, PlanVersion
from dxday.plans.services import (
    PlanConflict,
    Track,
    publish_rows,
    submission_attach_document,
    submission_check_submit,
    submission_for_update,
    submission_review,
    submission_save_draft,
    submission_submit,
    submissions_bulk_accept,
)
from dxday.plans.validation import Result as Checked
from dxday.registry.models import Organisation
from dxday.results.models import (
    ActivityOutcome,
    InitiativeOutcome,
    Result,
    ResultEvent,
    ResultVersion,
)
from dxday.results.schema import empty_results
from dxday.results.signals import results_changed, results_published, results_submitted
from dxday.results.tasks import send_results_receipt, send_results_returned
from dxday.results.validation import validate_results


def accepted_plan_version(campaign: Campaign, organisation: Organisation) -> PlanVersion | None:
    """The version of the unit's plan that was accepted (its latest), or None."""
    return (PlanVersion.objects.filter(plan__campaign=campaign, plan__organisation=organisation,
                                       plan__status=Plan.Status.ACCEPTED)
            .order_by("-number").first())


def not_ready_reason(campaign: Campaign, organisation: Organisation) -> str:
    """Why ``organisation`` cannot report results yet ("" when it can): results answer the
    accepted plan."""
    status = (Plan.objects.filter(campaign=campaign, organisation=organisation)
              .values_list("status", flat=True).first())
    if status == Plan.Status.ACCEPTED:
        return ""
    state = Plan.Status(status).label if status else _("not started")
    return _("Results are reported against the accepted plan, and the plan of %(org)s is "
             "not accepted yet (it is: %(state)s).") % {"org": organisation.name,
                                                        "state": state}


def prefilled(version: PlanVersion | None) -> dict:
    """A results draft from the accepted plan: each activity and initiative as a row that
    answers it (what happened is left for the unit to say), the contact, the communication
    actions and the display addresses as planned."""
    draft = empty_results()
    if version is None:
        return draft
    data = version.data
    draft["contact"] = dict(data.get("contact") or draft["contact"])
    draft["activities"] = [{
        "planned": n, "title": a.get("title", ""), "category": a.get("category", ""),
        "status": "", "reason": "", "start": a.get("start"), "end": a.get("end"),
        "location": a.get("location", ""), "province": a.get("province"),
        "format": a.get("format", ""), "participants_in_person": None,
        "participants_online": None, "views": None, "shares": None, "reach_source": "",
        "evidence": [a["url"]] if a.get("url") else []}
        for n, a in enumerate(data.get("activities", []), start=1)]
    draft["initiatives"] = [{
        "planned": n, "name": i.get("name", ""), "launched": "",
        "launch_date": i.get("launch_date"), "reason": "", "usage_measure": "",
        "usage_value": None, "usage_date": None, "url": i.get("url", "")}
        for n, i in enumerate(data.get("initiatives", []), start=1)]
    draft["communications"] = [{k: c.get(k) for k in ("title", "channel", "url", "date")}
                               for c in data.get("communications", [])]
    draft["display_urls"] = [{k: d.get(k) for k in ("url", "kind")}
                             for d in data.get("display_urls", [])]
    return draft


def _initial(campaign: Campaign, organisation: Organisation) -> dict:
    version = accepted_plan_version(campaign, organisation)
    return {"plan": version.plan, "draft": prefilled(version)}


def _validate(data, *, campaign, organisation, for_submit=False) -> Checked:
    version = accepted_plan_version(campaign, organisation)
    return validate_results(data, campaign=campaign, planned=version.data if version else None,
                            for_submit=for_submit)


def results_publish(*, result: Result, now=None) -> tuple[int, int]:
    """Copy the accepted version's activities and initiatives into the published tables
    (replacing what these results had published); drafts never reach them."""
    now = now or timezone.now()
    version = result.versions.order_by("-number").first()
    counts = publish_rows(
        owner={"result": result}, models=(ActivityOutcome, InitiativeOutcome),
        data=version.data if version else None, now=now,
        activity=lambda i, a, provinces: ActivityOutcome(
            position=i, planned=a["planned"], title=a["title"], category=a["category"],
            status=a["status"], reason=a["reason"], start=a["start"] or None,
            end=a["end"] or None, location=a["location"],
            province_id=provinces.get(a["province"]), format=a["format"],
            participants_in_person=a["participants_in_person"],
            participants_online=a["participants_online"], views=a["views"],
            shares=a["shares"], reach_source=a["reach_source"], evidence=a["evidence"]),
        initiative=lambda i, n, provinces: InitiativeOutcome(
            position=i, planned=n["planned"], name=n["name"], launched=n["launched"] == "yes",
            launch_date=n["launch_date"] or None, reason=n["reason"],
            usage_measure=n["usage_measure"], usage_value=n["usage_value"],
            usage_date=n["usage_date"] or None, url=n["url"]))
    if version is None:
        return counts
    results_published.send(sender=Result, result=result)
    transaction.on_commit(lambda: results_changed.send(sender=Result, result=result))
    return counts


def _submitted(result: Result, number: int) -> None:
    results_submitted.send(sender=Result, result=result)
    send_results_receipt.enqueue(result.pk, number)


RESULTS = Track(
    name="results", model=Result, version_model=ResultVersion, event_model=ResultEvent,
    parent="result", validate=_validate, deadline=lambda result: result.deadline,
    publish=lambda result: results_publish(result=result),
    changed=lambda result: results_changed.send(sender=Result, result=result),
    submitted=_submitted, returned=lambda event: send_results_returned.enqueue(event.pk),
    lock_at=lambda campaign: campaign.results_lock_at, ready=not_ready_reason,
    initial=_initial,
    # Each version names the plan version it answered.
    version_fields=lambda campaign, organisation: {
        "plan_version": accepted_plan_version(campaign, organisation)},
    read_only=gettext_lazy("Submitted results are read-only until the agency returns them."),
    already_submitted=gettext_lazy("These results are already submitted."),
    reviewers_only=gettext_lazy("Only the agency's reviewers review results."),
    document_missing=gettext_lazy(
        "A signed results document (PDF or DOCX) is required before submitting."),
    locked=gettext_lazy("Results were closed on %(date)s: they can no longer be changed."),
    not_submitted=gettext_lazy(
        "Only submitted results can be reviewed (these are %(status)s)."),
    accepted_without_document=gettext_lazy(
        "The submitted results have no signed document (PDF or DOCX), which this campaign "
        "requires: return them to the unit so that it attaches one."),
)


def results_for_update(*, campaign: Campaign, organisation: Organisation, by: User | None
                       ) -> Result:
    """The unit's results, prefilled from its accepted plan the first time, locked for
    update; PlanConflict (409) while the plan is not accepted."""
    if campaign.results_locked():
        # Starting is a write too: after the lock no results are created.
        closed = timezone.localtime(campaign.results_lock_at)
        raise PlanConflict(str(RESULTS.locked) % {"date": f"{closed:%H:%M %d/%m/%Y}"})
    return submission_for_update(track=RESULTS, campaign=campaign, organisation=organisation,
                                 by=by)


def results_save_draft(*, campaign: Campaign, organisation: Organisation, data: dict, by: User,
                       upload=None, now=None) -> tuple[Result, Checked]:
    """Validate and store the results draft (and its signed document); all or nothing."""
    return submission_save_draft(track=RESULTS, campaign=campaign, organisation=organisation,
                                 data=data, by=by, upload=upload, now=now)


def results_attach_document(*, campaign: Campaign, organisation: Organisation, upload,
                            by: User, expected_kind: str | None = None, now=None) -> Result:
    """Store the signed results document (PDF or DOCX) of the draft."""
    return submission_attach_document(track=RESULTS, campaign=campaign,
                                      organisation=organisation, upload=upload, by=by,
                                      expected_kind=expected_kind, now=now)


def results_check_submit(*, result: Result) -> Checked:
    """What submitting the results draft now would meet (the "check your answers" page)."""
    return submission_check_submit(track=RESULTS, found=result)


def results_submit(*, campaign: Campaign, organisation: Organisation, by: User, now=None
                   ) -> Result:
    """Submit the results draft: an immutable version (with the plan version it answers),
    on time or late against the unit's results deadline (its extension, else the
    campaign's); PlanConflict (409) while the plan is not accepted."""
    return submission_submit(track=RESULTS, campaign=campaign, organisation=organisation,
                             by=by, now=now)


def results_review(*, result: Result, by: User, decision: str, comment: str = "", now=None
                   ) -> Result:
    """Accept submitted results (they are published) or return them with a comment."""
    return submission_review(track=RESULTS, found=result, by=by, decision=decision,
                             comment=comment, now=now)


def results_bulk_accept(*, results, by: User) -> tuple[list[Result], list[tuple[Result, str]]]:
    """Accept every submitted one among ``results``, each in its own transaction."""
    return submissions_bulk_accept(track=RESULTS, plans=results, by=by)
