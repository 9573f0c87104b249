"""/api/v1/campaigns/{year}/results/…: a unit's results after the October window (the write
API, bearer token, the plans' rules), the published results, and plan versus result.

Who may see or change which unit's results is the plans' rule (plans.access.plan_target:
another unit's results are a 404; only the unit's editors write them; the agency and a
province's reviewer for its communes read and review them). The writes are the results
services; the figures come from dxday.results.selectors."""

import datetime
import json
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Status
from ninja.pagination import paginate
from pydantic import BaseModel as Schema

from dxday.api.pagination import Pagination
from dxday.api.plans import (
    DOCUMENT_BODY,
    DOCUMENT_RESPONSES,
    WRITE_THROTTLE,
    BearerAuth,
    DetailOut,
    InvalidOut,
    ProblemOut,
    ReviewIn,
    _iso,
    received_document,
)
from dxday.api.schemas import ErrorOut
from dxday.campaigns.models import Campaign
from dxday.plans.access import may_review, plan_target
from dxday.plans.services import PlanConflict
from dxday.plans.validation import PlanInvalid, Problem, document_json_schema
from dxday.registry.models import Organisation
from dxday.results import schema as results_schema
from dxday.results import selectors
from dxday.results.models import Result
from dxday.results.services import (
    RESULTS,
    accepted_plan_version,
    not_ready_reason,
    prefilled,
    results_attach_document,
    results_review,
    results_save_draft,
    results_submit,
)
from dxday.results.validation import validate_results

# Summaries are marked for translation (the API pages show them in Vietnamese).
router = Router(tags=["results"])
BEARER = BearerAuth()
# The results document as JSON Schema, for /api/v1/openapi.json (from the one schema).
RESULTS_JSON_SCHEMA = document_json_schema(results_schema.SECTIONS)


# --- shapes ---------------------------------------------------------------------------------

class ResultVersionOut(Schema):
    number: int
    submitted_at: str
    late: bool
    submitted_by: str | None
    document_name: str
    plan_version: int | None  # the number of the plan version these results answer


class ResultOut(Schema):
    """A unit's results as its editors and reviewers see them. ``ready`` is false while the
    unit's plan is not accepted (``not_ready`` says why): results answer the accepted plan;
    until they are first saved, ``draft`` is the prefill from it."""

    campaign: int
    organisation: str
    organisation_name: str
    status: Literal["not_submitted", "draft", "submitted", "returned", "accepted"]
    ready: bool
    not_ready: str
    deadline: str | None
    on_time: bool | None
    submitted_at: str | None
    last_submitted_at: str | None
    review_comment: str
    document_name: str
    document_sha256: str
    draft: dict[str, Any]
    versions: list[ResultVersionOut]
    warnings: list[ProblemOut]


class UnitsOut(Schema):
    """Recipients (the units the figures are about): results_submitted counts those sent
    once (submitted, returned or accepted); results_missing those not sent (a draft
    included), of which results_not_ready have no accepted plan yet."""

    expected: int
    plans_accepted: int
    results_submitted: int
    results_on_time: int
    results_late: int
    results_missing: int
    results_not_ready: int
    results_returned: int
    results_accepted: int


class ActivitiesOut(Schema):
    """Planned: activities of accepted plans; of them held, changed (held with changes),
    cancelled (not held) and not_reported (no accepted results answer them yet); added: those
    of accepted results that were not planned."""

    planned: int
    held: int
    changed: int
    cancelled: int
    added: int
    not_reported: int


class ParticipantsOut(Schema):
    in_person: int
    online: int
    total: int


class InitiativesOut(Schema):
    planned: int
    launched: int
    not_launched: int
    added: int
    not_reported: int


class CategoryOut(Schema):
    """One category's figures; ``held`` counts the planned activities that took place (held
    as planned or changed)."""

    category: str
    label: str
    planned: int
    held: int
    changed: int
    cancelled: int
    added: int
    participants: int


class ProvinceOut(Schema):
    """One province's figures: activities where they took place (the province they name,
    else their unit's), initiatives by their unit's province."""

    code: str
    name: str
    planned: int
    held: int
    changed: int
    cancelled: int
    added: int
    participants: int
    initiatives_planned: int
    initiatives_launched: int


class PlanVsResultOut(Schema):
    parent: str | None
    units: UnitsOut
    activities: ActivitiesOut
    participants: ParticipantsOut
    initiatives: InitiativesOut
    by_category: list[CategoryOut]
    by_province: list[ProvinceOut]


class PlannedActivityOut(Schema):
    title: str
    category: str
    start: datetime.date | None
    end: datetime.date | None
    location: str
    province: str | None
    format: str
    url: str


class ActivityOutcomeOut(Schema):
    planned: int | None
    title: str
    category: str
    status: Literal[tuple(results_schema.ACTIVITY_STATUS)]
    reason: str
    start: datetime.date | None
    end: datetime.date | None
    location: str
    province: str | None
    format: str
    participants_in_person: int | None
    participants_online: int | None
    views: int | None
    shares: int | None
    reach_source: str
    evidence: list[str]


class ActivityRowOut(Schema):
    """A planned activity (``number`` in the accepted plan) with what became of it (null
    until accepted results say), or an added one (``number`` and ``plan`` null)."""

    number: int | None
    plan: PlannedActivityOut | None
    outcome: ActivityOutcomeOut | None


class PlannedInitiativeOut(Schema):
    name: str
    sector: str
    url: str
    launch_date: datetime.date | None


class InitiativeOutcomeOut(Schema):
    planned: int | None
    name: str
    launched: bool
    launch_date: datetime.date | None
    reason: str
    usage_measure: str
    usage_value: int | None
    usage_date: datetime.date | None
    url: str


class InitiativeRowOut(Schema):
    number: int | None
    plan: PlannedInitiativeOut | None
    outcome: InitiativeOutcomeOut | None


class OrganisationRefOut(Schema):
    code: str
    name: str


class UnitPlanVsResultOut(Schema):
    """One unit: its results state (a draft is ``missing`` to the public; ``not_ready``
    while its plan is not accepted), its figures and rows — published rows only (accepted
    plan, accepted results, past the campaign's embargo)."""

    organisation: OrganisationRefOut
    state: Literal["not_ready", "missing", "submitted", "returned", "accepted"]
    on_time: bool | None
    submitted_at: datetime.datetime | None
    activities: ActivitiesOut
    participants: ParticipantsOut
    initiatives: InitiativesOut
    by_category: list[CategoryOut]
    rows: list[ActivityRowOut]
    initiative_rows: list[InitiativeRowOut]


class PublishedResultOut(Schema):
    """A unit's accepted, published results with its plan-versus-result figures."""

    organisation: str
    organisation_name: str
    kind: str
    parent_code: str | None
    submitted_at: datetime.datetime | None
    on_time: bool | None
    accepted_at: datetime.datetime | None
    activities: ActivitiesOut
    participants: ParticipantsOut
    initiatives: InitiativesOut


# --- a unit's results (token) ---------------------------------------------------------------

def _result_or_blank(campaign: Campaign, organisation: Organisation) -> Result:
    """The stored results, or unsaved ones prefilled from the accepted plan (a read never
    writes)."""
    found = (Result.objects.select_related("campaign", "organisation")
             .filter(campaign=campaign, organisation=organisation).first())
    if found is not None:
        return found
    return Result(campaign=campaign, organisation=organisation,
                  draft=prefilled(accepted_plan_version(campaign, organisation)))


def result_out(result: Result) -> dict:
    campaign, organisation = result.campaign, result.organisation
    versions = (list(result.versions.select_related("submitted_by", "plan_version"))
                if result.pk else [])
    reason = not_ready_reason(campaign, organisation)
    version = accepted_plan_version(campaign, organisation)
    checked = validate_results(result.draft, campaign=campaign,
                               planned=version.data if version else None)
    return {
        "campaign": campaign.year, "organisation": organisation.code,
        "organisation_name": organisation.name,
        "status": result.status if result.pk else "not_submitted",
        "ready": not reason, "not_ready": reason, "deadline": _iso(result.deadline),
        "on_time": result.on_time, "submitted_at": _iso(result.submitted_at),
        "last_submitted_at": _iso(result.last_submitted_at),
        "review_comment": result.review_comment, "document_name": result.document_name,
        "document_sha256": result.document_sha256, "draft": result.draft,
        "versions": [{"number": v.number, "submitted_at": _iso(v.submitted_at), "late": v.late,
                      "submitted_by": v.submitted_by.email if v.submitted_by else None,
                      "document_name": v.document_name,
                      "plan_version": v.plan_version.number if v.plan_version else None}
                     for v in versions],
        "warnings": [w.as_dict() for w in checked.warnings],
    }


RESULT_PATH = "/{year}/results/{org_code}"
RESPONSES = {200: ResultOut, 401: DetailOut, 403: DetailOut, 404: DetailOut, 409: DetailOut,
             413: DetailOut, 422: InvalidOut}


@router.get(RESULT_PATH, auth=BEARER, response={200: ResultOut, 401: DetailOut, 404: DetailOut},
            summary=gettext_noop("A unit's results with their status and versions"))
def results_get(request, year: int, org_code: str):
    """The unit's editors, the agency and (for its communes) a province's reviewer read a
    unit's results; another unit's are a 404."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    return result_out(_result_or_blank(campaign, organisation))


@router.put(RESULT_PATH, auth=BEARER, response=RESPONSES, throttle=[WRITE_THROTTLE],
            summary=gettext_noop("Save the results draft"),
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": RESULTS_JSON_SCHEMA}}}})
def results_put(request, year: int, org_code: str):
    """Replace the draft with the results document (its rows name the accepted plan's row
    they answer in ``planned``; a row without it is added). Before the plan is accepted →
    409 with the reason; invalid → 422 with a list of `{"path":
    "activities[0].participants_in_person", "message": "…"}`; nothing is saved."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    try:
        data = json.loads(request.body or b"null")  # too large: RequestDataTooBig, 413
    except (ValueError, UnicodeDecodeError):
        raise PlanInvalid([Problem("(document)", _("The body is not valid JSON."))]) from None
    result, _checked = results_save_draft(campaign=campaign, organisation=organisation,
                                          data=data, by=request.user)
    return result_out(result)


@router.post(RESULT_PATH + "/submit", auth=BEARER, response=RESPONSES,
             throttle=[WRITE_THROTTLE], summary=gettext_noop("Submit the results"))
def results_submit_view(request, year: int, org_code: str):
    """Submit the draft: a new immutable version answering the accepted plan's version;
    `on_time` from the results deadline. Before the plan is accepted → 409 with the reason."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    return result_out(results_submit(campaign=campaign, organisation=organisation,
                                     by=request.user))


@router.post(RESULT_PATH + "/review", auth=BEARER, response=RESPONSES,
             throttle=[WRITE_THROTTLE],
             summary=gettext_noop("Accept or return results (reviewers)"))
def results_review_view(request, year: int, org_code: str, payload: ReviewIn):
    """Reviewers only (the agency; a province reviewer for its province's communes): accept
    the submitted results (they are published), or return them with a comment."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    if not may_review(request.user, organisation):
        raise PermissionDenied(str(RESULTS.reviewers_only))
    result = (Result.objects.select_related("campaign", "organisation")
              .filter(campaign=campaign, organisation=organisation).first())
    if result is None:
        raise PlanConflict(_("This unit has not submitted results."))
    return result_out(results_review(result=result, by=request.user,
                                     decision=payload.decision, comment=payload.comment))


@router.put(RESULT_PATH + "/document", auth=BEARER, response=DOCUMENT_RESPONSES,
            throttle=[WRITE_THROTTLE],
            summary=gettext_noop("Attach the signed results document (PDF or DOCX)"),
            openapi_extra=DOCUMENT_BODY)
def results_document_put(request, year: int, org_code: str, filename: str | None = None):
    """Attach (or replace) the signed results document of the draft, as for a plan: the raw
    PDF or DOCX as the body, with its Content-Type; the same checks. Refused → 4xx naming the
    problem (411, 413, 415, 422); before the plan is accepted → 409; nothing is saved."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    received = received_document(request, filename,
                                 f"bao-cao-ket-qua-{year}-{organisation.code}")
    if isinstance(received, Status):
        return received
    upload, declared = received
    return result_out(results_attach_document(campaign=campaign, organisation=organisation,
                                              upload=upload, by=request.user,
                                              expected_kind=declared))


# --- public ---------------------------------------------------------------------------------

def _campaign(year: int) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise Http404(f"No campaign for year {year}")
    return campaign


class ResultPagination(Pagination):
    """Limit/offset pagination whose page gets its units' figures in four grouped queries."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        rows = list(page["items"])
        if rows:
            campaign = Campaign.objects.get(pk=rows[0]["campaign_id"])
            counts = selectors.unit_counts(campaign, [r["organisation_id"] for r in rows])
            rows = [{"organisation": r["organisation__code"],
                     "organisation_name": r["organisation__name"],
                     "kind": r["organisation__kind"],
                     "parent_code": r["organisation__parent__code"],
                     "submitted_at": _iso(r["submitted_at"]), "on_time": r["on_time"],
                     "accepted_at": _iso(r["reviewed_at"]), **counts[r["organisation_id"]]}
                    for r in rows]
        page["items"] = rows
        return page


@router.get("/{year}/results", response=list[PublishedResultOut],
            summary=gettext_noop("Published results, with each unit's plan-versus-result figures"))
@paginate(ResultPagination)
def published_results(request, year: int):
    """The accepted results of a campaign, by unit code, once past the campaign's embargo
    (none before it); each unit with its figures as the plan-versus-result endpoints count
    them. `limit` up to 1000."""
    campaign = _campaign(year)
    if not campaign.is_published():
        return Result.objects.none().values()
    return (Result.objects.filter(campaign=campaign, status=Result.Status.ACCEPTED)
            .order_by("organisation__code")
            .values("campaign_id", "organisation_id", "organisation__code", "organisation__name",
                    "organisation__kind", "organisation__parent__code", "submitted_at",
                    "on_time", "reviewed_at"))


@router.get("/{year}/plan-vs-result", response={200: PlanVsResultOut, 404: ErrorOut},
            summary=gettext_noop("Plan versus result"))
def plan_vs_result_view(request, year: int, parent: str | None = None):
    """Activities planned (accepted plans) against what accepted results say happened:
    held, changed, cancelled, added, not yet reported; participants; initiatives launched;
    by category and by province; and the units' results states. Published figures: nothing
    planned or held is counted before the campaign's embargo ends. `parent` (a unit's code)
    keeps the units under it (a province's communes); an unknown code → 404."""
    campaign = _campaign(year)
    if parent and not Organisation.objects.filter(code=parent).exists():
        raise Http404(f"No organisation with code {parent!r}")
    return {"parent": parent or None,
            **selectors.plan_vs_result(campaign, parent=parent or "", public=True)}


@router.get("/{year}/plan-vs-result/{org_code}",
            response={200: UnitPlanVsResultOut, 404: ErrorOut},
            summary=gettext_noop("Plan versus result of one unit"))
def unit_plan_vs_result_view(request, year: int, org_code: str):
    """Each activity of the unit's accepted plan with what its accepted results say became
    of it (null until then), the activities added, the initiatives likewise, and the
    figures. Published rows only (accepted plan and results, past the embargo); a unit the
    campaign did not ask → 404."""
    campaign = _campaign(year)
    organisation = Organisation.objects.filter(code=org_code).first()
    if organisation is None or not campaign.recipients.filter(pk=organisation.pk).exists():
        raise Http404(f"No recipient with code {org_code!r}")
    figures = selectors.unit_plan_vs_result(campaign, organisation, public=True)
    # A draft is the unit's own business: to the public it has sent nothing yet.
    state = "missing" if figures["state"] in (None, "draft") else figures["state"]
    submitted_at = figures["submitted_at"]
    return {**figures, "state": state,
            "submitted_at": timezone.localtime(submitted_at) if submitted_at else None}
