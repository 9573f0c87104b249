"""/api/v1/campaigns/{year}/plans/…: the write API for plans (bearer token)."""

import json
from email.message import EmailMessage
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from dxday.accounts.services import token_authenticate
from dxday.plans.access import may_review, plan_or_blank, plan_target
from dxday.plans.models import Plan
from dxday.plans.services import (
    PlanConflict,
    plan_attach_document,
    plan_review,
    plan_save_draft,
    plan_submit,
)
from dxday.plans.uploads import document_filename
from dxday.plans.validation import PLAN_JSON_SCHEMA, PlanInvalid, Problem, validate_plan


class BearerAuth(HttpBearer):
    """Authorization: Bearer <token> (from `dxday token EMAIL` or the profile page)."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


router = Router(auth=BearerAuth(), tags=["plans"])
# Writes per token (RATELIMIT_API_WRITE, e.g. "120/m"); reads are not limited.
WRITE_THROTTLE = AuthRateThrottle(settings.RATELIMIT_API_WRITE)


class ProblemOut(Schema):
    path: str
    message: str


class InvalidOut(Schema):
    detail: list[ProblemOut]
    warnings: list[ProblemOut] = []


class DetailOut(Schema):
    detail: str


class RollupOut(Schema):
    """A province's communes as of its submission (computed, never typed)."""

    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    returned: int
    accepted: int
    activities: int
    initiatives: int
    as_of: str


class VersionOut(Schema):
    number: int
    submitted_at: str
    late: bool
    submitted_by: str | None
    document_name: str
    rollup: RollupOut | None = None


class PlanOut(Schema):
    campaign: int
    organisation: str
    organisation_name: str
    status: Literal["not_submitted", "draft", "submitted", "returned", "accepted"]
    on_time: bool | None
    submitted_at: str | None
    last_submitted_at: str | None
    review_comment: str
    document_name: str
    document_sha256: str
    draft: dict[str, Any]
    versions: list[VersionOut]
    warnings: list[ProblemOut]
    rollup: RollupOut | None = None


class ReviewIn(Schema):
    decision: Literal["accept", "return"]
    comment: str = ""


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def plan_out(plan: Plan) -> dict:
    versions = list(plan.versions.select_related("submitted_by")) if plan.pk else []
    status = plan.status if plan.pk else "not_submitted"
    return {
        "campaign": plan.campaign.year, "organisation": plan.organisation.code,
        "organisation_name": plan.organisation.name, "status": status,
        "on_time": plan.on_time, "submitted_at": _iso(plan.submitted_at),
        "last_submitted_at": _iso(plan.last_submitted_at),
        "review_comment": plan.review_comment, "document_name": plan.document_name,
        "document_sha256": plan.document_sha256, "draft": plan.draft,
        "versions": [{"number": v.number, "submitted_at": _iso(v.submitted_at), "late": v.late,
                      "submitted_by": v.submitted_by.email if v.submitted_by else None,
                      "document_name": v.document_name, "rollup": v.rollup}
                     for v in versions],
        # The roll-up of the latest submitted version (a province's; null otherwise).
        "rollup": versions[-1].rollup if versions else None,
        "warnings": [w.as_dict() for w in
                     validate_plan(plan.draft, campaign=plan.campaign).warnings],
    }


PLAN_PATH = "/{year}/plans/{org_code}"
RESPONSES = {200: PlanOut, 401: DetailOut, 403: DetailOut, 404: DetailOut, 409: DetailOut,
             413: DetailOut, 422: InvalidOut}


@router.get(PLAN_PATH, response={200: PlanOut, 401: DetailOut, 404: DetailOut},
            summary="A unit's plan with its status and versions")
def plan_get(request, year: int, org_code: str):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    return plan_out(plan_or_blank(campaign, organisation))


@router.put(PLAN_PATH, response=RESPONSES, throttle=[WRITE_THROTTLE], summary="Save the draft",
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": PLAN_JSON_SCHEMA}}}})
def plan_put(request, year: int, org_code: str):
    """Replace the draft with the canonical plan document. Invalid → 422 with a list of
    `{"path": "activities[0].end", "message": "…"}`; nothing is saved."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    try:
        data = json.loads(request.body or b"null")  # too large: RequestDataTooBig, 413
    except (ValueError, UnicodeDecodeError):
        raise PlanInvalid([Problem("(document)", _("The body is not valid JSON."))]) from None
    plan, _result = plan_save_draft(campaign=campaign, organisation=organisation, data=data,
                                    by=request.user)
    return plan_out(plan)


@router.post(PLAN_PATH + "/submit", response=RESPONSES, throttle=[WRITE_THROTTLE],
             summary="Submit the draft")
def plan_submit_view(request, year: int, org_code: str):
    """Submit the current draft: a new immutable version; `on_time` from the deadline."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    return plan_out(plan_submit(campaign=campaign, organisation=organisation, by=request.user))


@router.post(PLAN_PATH + "/review", response=RESPONSES, throttle=[WRITE_THROTTLE],
             summary="Accept or return (reviewers)")
def plan_review_view(request, year: int, org_code: str, payload: ReviewIn):
    """Reviewers only (the agency; a province reviewer for its province's communes): accept
    the submitted plan, or return it with a comment."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    if not may_review(request.user, organisation):
        raise PermissionDenied(_("Only the agency's reviewers review plans."))
    plan = plan_or_blank(campaign, organisation)
    if plan.pk is None:
        raise PlanConflict(_("This unit has not submitted a plan."))
    return plan_out(plan_review(plan=plan, by=request.user, decision=payload.decision,
                                comment=payload.comment))


DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    # Clients that do not name the type: the content decides (as it does for the others).
    "application/octet-stream": None,
}
DOCUMENT_RESPONSES = {**RESPONSES, 411: DetailOut, 415: DetailOut}


def _document_name(request, filename: str | None, kind: str, default: str) -> str:
    """The file name from ?filename=, else from Content-Disposition (filename*= or filename=),
    else ``default``; made safe and ending in the file's kind (uploads.document_filename)."""
    name = filename
    if not name and request.headers.get("Content-Disposition"):
        header = EmailMessage()
        header["Content-Disposition"] = request.headers["Content-Disposition"]
        name = header.get_filename()
    return document_filename(name, kind, default=default)


def received_document(request, filename: str | None, default: str):
    """The signed document sent as the request's raw body (a plan's or results'): (upload,
    the kind its Content-Type declares or None), or the refusal to answer (411 no length,
    413 too large, 415 another type). The file's content is judged by the service."""
    limit = settings.PLAN_DOCUMENT_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return Status(411, {"detail": _("The request has no body or no Content-Length: send "
                                         "the file's bytes as the body, with their length.")})
    media = (request.content_type or "").lower()
    if media not in DOCUMENT_TYPES:
        return Status(415, {"detail": _(
            "Send the file with Content-Type application/pdf (PDF) or application/"
            "vnd.openxmlformats-officedocument.wordprocessingml.document (DOCX), or "
            "application/octet-stream; this request says %(type)s.") % {"type": media or "—"}})
    too_big = _("The file is larger than %(mb)d MB.") % {"mb": limit // 1024 // 1024}
    if length > limit:
        return Status(413, {"detail": too_big})
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return Status(413, {"detail": too_big})
    declared = DOCUMENT_TYPES[media]
    kind = declared or ("pdf" if raw.startswith(b"%PDF-") else "docx")
    name = _document_name(request, filename, kind, default)
    return SimpleUploadedFile(name, raw, content_type=media), declared


# The signed document's request body, as OpenAPI describes it.
DOCUMENT_BODY = {"requestBody": {
    "required": True,
    "description": "The file's bytes as they are (not a form). The name comes from the "
                   "`filename` query parameter or from a `Content-Disposition: attachment; "
                   "filename=\"…\"` header.",
    "content": {media: {"schema": {"type": "string", "format": "binary"}}
                for media in DOCUMENT_TYPES}}}


@router.put(PLAN_PATH + "/document", response=DOCUMENT_RESPONSES, throttle=[WRITE_THROTTLE],
            summary="Attach the signed plan document (PDF or DOCX)", openapi_extra=DOCUMENT_BODY)
def plan_document_put(request, year: int, org_code: str, filename: str | None = None):
    """Attach (or replace) the signed plan document of the draft: the raw PDF or DOCX as the
    body, with its Content-Type (application/octet-stream: the content says which). The same
    checks as the web form's upload: judged by content, at most PLAN_DOCUMENT_MAX_BYTES, no
    active content in a PDF, no zip bomb in a DOCX.
    Refused → 4xx naming the problem (411 no length, 413 too large, 415 another type, 422 a
    file that is not what it claims or is unsafe); nothing is saved."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    received = received_document(request, filename, f"ke-hoach-{year}-{organisation.code}")
    if isinstance(received, Status):
        return received
    upload, declared = received
    return plan_out(plan_attach_document(campaign=campaign, organisation=organisation,
                                         upload=upload, by=request.user, expected_kind=declared))
