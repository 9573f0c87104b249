"""/api/v1/: the public read API."""

import datetime
import math
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import Throttled
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from dxday.api.opendata import catalog_router, search_router
from dxday.api.opendata import router as opendata_router
from dxday.api.pagination import Pagination
from dxday.api.plans import router as plans_router
from dxday.api.results import router as results_router
from dxday.api.schemas import (
    CampaignOut,
    CampaignSummaryOut,
    ErrorOut,
    FiguresOut,
    OrganisationDetailOut,
    OrganisationKind,
    OrganisationOut,
    RecipientOut,
    TrackingOut,
)
from dxday.api.years import router as years_router
from dxday.campaigns.models import Campaign
from dxday.plans import selectors
from dxday.plans.services import PlanConflict
from dxday.plans.uploads import UploadRefused
from dxday.plans.validation import PlanInvalid
from dxday.registry.models import Organisation, Succession


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Vietnamese letters as they are, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UnicodeJSONRenderer(),
    title="dxday API",
    version="1",
    description=(
        "Public data of Vietnam's National Digital Transformation Day (Ngày Chuyển đổi số "
        "quốc gia). Read endpoints are public; dates are ISO 8601, times carry their offset "
        "(Asia/Ho_Chi_Minh). An organisation is valid on a day D when valid_from ≤ D ≤ "
        "valid_to (both inclusive, null = open)."
    ),
    urls_namespace="api",
    docs_url="/docs",
)

# Every refusal the API answers, with its status, in one place: the views just raise.
ERRORS = {PlanInvalid: 422, UploadRefused: 422, PlanConflict: 409, PermissionDenied: 403,
          Http404: 404, RequestDataTooBig: 413, Throttled: 429}


def refused(request, exc):
    """{"detail": message}, or for invalid input {"detail": [{"path", "message"}, …],
    "warnings": […]}; a 429 says when to try again (Retry-After)."""
    status = next(code for cls, code in ERRORS.items() if isinstance(exc, cls))
    if isinstance(exc, PlanInvalid):
        body = {"detail": [p.as_dict() for p in exc.errors],
                "warnings": [p.as_dict() for p in exc.warnings]}
    elif isinstance(exc, UploadRefused):
        body = {"detail": [{"path": "document", "message": str(exc)}], "warnings": []}
    elif isinstance(exc, RequestDataTooBig):
        body = {"detail": _("The plan document is larger than %(mb)d MB.") % {
            "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024}}
    elif isinstance(exc, Throttled):
        seconds = max(1, math.ceil(exc.wait or 1))
        body = {"detail": _("Too many requests: wait %(seconds)s seconds and try again.") % {
            "seconds": seconds}}
    else:
        body = {"detail": str(exc) or {403: "Forbidden", 404: "Not found"}[status]}
    response = api.create_response(request, body, status=status)
    if status == 429:
        response["Retry-After"] = str(seconds)
    return response


for exc_class in ERRORS:
    api.add_exception_handler(exc_class, refused)


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Times leave the API in Asia/Ho_Chi_Minh, with their +07:00 offset."""
    return timezone.localtime(moment) if moment else None


api.add_router("/campaigns", plans_router)
api.add_router("/campaigns", results_router)
api.add_router("/campaigns", opendata_router)
api.add_router("", catalog_router)
api.add_router("", search_router)
api.add_router("", years_router)

ORG_VALUES = ("pk", "code", "name", "short_name", "kind", "official_code", "parent__code",
              "valid_from", "valid_to")


def _organisation_rows(rows: list[dict]) -> list[dict]:
    """Attach parent_code and successor_codes to value rows, in one query for the page."""
    successors = defaultdict(list)
    for pred, code in (Succession.objects.filter(predecessor_id__in=[r["pk"] for r in rows])
                       .order_by("successor__code").values_list("predecessor_id",
                                                                "successor__code")):
        successors[pred].append(code)
    for row in rows:
        row["parent_code"] = row.pop("parent__code")
        row["successor_codes"] = successors.get(row["pk"], [])
    return rows


class OrganisationPagination(Pagination):
    """Limit/offset pagination whose page gets successor codes in one extra query."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = _organisation_rows(list(page["items"]))
        return page


@api.get("/organisations", response=list[OrganisationOut], tags=["registry"],
         summary="List organisations")
@paginate(OrganisationPagination)
def organisations(request, on: datetime.date | None = None,
                  kind: Query[list[OrganisationKind] | None] = None,
                  parent: str | None = None):
    """Organisations, by code; `on` keeps those valid on that day, `kind` (repeatable) filters
    by kind — commune-level units are `commune` (xã), `ward` (phường) and `special_zone` (đặc
    khu) —, `parent` by the parent's code. `limit` up to 1000."""
    qs = Organisation.objects.all()
    if on is not None:
        qs = qs.valid_on(on)
    if kind:
        qs = qs.filter(kind__in=kind)
    if parent:
        qs = qs.filter(parent__code=parent)
    return qs.order_by("code").values(*ORG_VALUES)


@api.get("/organisations/{code}", response={200: OrganisationDetailOut, 404: ErrorOut},
         tags=["registry"], summary="One organisation")
def organisation(request, code: str):
    """An organisation with its typed links: ``predecessors`` (the bodies it came from) and
    ``successors`` (the bodies it passed to), each ``{code, name, type, date, note}``; a body
    that simply continued has none."""
    rows = list(Organisation.objects.filter(code=code).values(*ORG_VALUES))
    if not rows:
        raise Http404(f"No organisation with code {code!r}")
    row = _organisation_rows(rows)[0]
    links = Succession.objects.order_by("date", "pk")
    row["predecessors"] = [
        {"code": c, "name": n, "type": t, "date": d, "note": note}
        for c, n, t, d, note in links.filter(successor_id=row["pk"]).values_list(
            "predecessor__code", "predecessor__name", "type", "date", "note")]
    row["successors"] = [
        {"code": c, "name": n, "type": t, "date": d, "note": note}
        for c, n, t, d, note in links.filter(predecessor_id=row["pk"]).values_list(
            "successor__code", "successor__name", "type", "date", "note")]
    return row


def _campaign_summary(c: Campaign) -> dict:
    return {
        "year": c.year, "title": c.title, "theme": c.theme,
        "organiser": c.organiser.name if c.organiser else None,
        "organiser_code": c.organiser.code if c.organiser else None,
        "submission_deadline": local(c.submission_deadline), "window_start": c.window_start,
        "window_end": c.window_end, "event_date": c.event_date,
        "recipients_count": c.recipients_count,
    }


def _campaigns():
    return selectors.campaigns_with_counts()


@api.get("/campaigns", response=list[CampaignSummaryOut], tags=["campaigns"],
         summary="List campaigns")
def campaigns(request):
    """Every campaign, newest first."""
    return [_campaign_summary(c) for c in _campaigns()]


@api.get("/campaigns/{year}", response={200: CampaignOut, 404: ErrorOut}, tags=["campaigns"],
         summary="One campaign")
def campaign(request, year: int):
    """A campaign with its deadline, windows, contact point and documents."""
    c = _campaigns().filter(year=year).first()
    if c is None:
        raise Http404(f"No campaign for year {year}")
    links = c.campaign_documents.select_related("document")
    return {
        **_campaign_summary(c),
        "deadline_text": c.deadline_text, "window_note": c.window_note,
        "kit_window_start": c.kit_window_start, "kit_window_end": c.kit_window_end,
        "contact_point": {"unit": c.contact_unit, "person": c.contact_person,
                          "phone": c.contact_phone, "email": c.contact_email},
        "documents": [
            {"number": link.document.number, "kind": link.document.kind,
             "date": link.document.date, "issuer": link.document.issuer_text,
             "signer": link.document.signer, "title": link.document.title,
             "role": link.role, "url": link.document.url}
            for link in links
        ],
    }


@api.get("/campaigns/{year}/recipients", response=list[RecipientOut], tags=["campaigns"],
         summary="A campaign's recipients and their plan status")
@paginate(Pagination)
def recipients(request, year: int, kind: Query[list[OrganisationKind] | None] = None):
    """The organisations a campaign expects a plan from, with the public tracking status."""
    c = Campaign.objects.filter(year=year).first()
    if c is None:
        raise Http404(f"No campaign for year {year}")
    # The public tracking rows (a draft counts as not submitted), as on the campaign page.
    return [{"code": r.code, "name": r.name, "kind": r.kind,
             "status": "not_submitted" if r.state == "missing" else r.state,
             "submitted_at": local(r.submitted_at), "on_time": r.on_time}
            for r in sorted(selectors.unit_rows(c, detail=False), key=lambda r: r.code)
            if not kind or r.kind in kind]


@api.get("/campaigns/{year}/figures", response={200: FiguresOut, 404: ErrorOut},
         tags=["campaigns"], summary="A campaign's figures")
def figures(request, year: int):
    """Answers by kind of unit and by province, published activities by category, format and
    province code, published initiatives by beneficiary and sector: the figures of the campaign
    page and of the consolidated report."""
    c = Campaign.objects.filter(year=year).first()
    if c is None:
        raise Http404(f"No campaign for year {year}")
    summary = selectors.summarise(selectors.unit_rows(c, detail=False))
    total = summary["total"]
    activities = selectors.activity_counts(c)
    initiatives = selectors.initiative_counts(c)
    return {
        "recipients": total.expected, "submitted": total.submitted, "on_time": total.on_time,
        "late": total.late, "missing": total.missing, "accepted": total.accepted,
        "by_kind": [g.as_dict() for g in summary["groups"]],
        "by_province": [p.as_dict() for p in summary["provinces"]],
        "activities": activities.total,
        "activities_by_category": dict(activities.by_category),
        "activities_by_format": dict(activities.by_format),
        "activities_by_province": dict(activities.by_province),
        "initiatives": initiatives.total,
        "initiatives_by_beneficiary": dict(initiatives.by_beneficiary),
        "initiatives_by_sector": dict(initiatives.by_sector),
    }


@api.get("/campaigns/{year}/tracking", response={200: TrackingOut, 404: ErrorOut},
         tags=["campaigns"], summary="Tracking figures by level")
def tracking(request, year: int, parent: str | None = None):
    """The public tracking figures of one level (a draft counts as not submitted, as on the
    campaign page): `expected`, `submitted`, `on_time`, `late`, `missing`, `accepted` for
    the recipients under `parent` (every recipient when absent), and `children`, one entry per
    unit below it — without `parent`, one per top-level unit, a province with its communes
    counted in (`communes`); with a province's code, one per commune. An unknown code → 404;
    a known unit with no recipient under it (a commune, a ministry) → every figure 0 and no
    children."""
    c = Campaign.objects.filter(year=year).first()
    if c is None:
        raise Http404(f"No campaign for year {year}")
    parent_org = None
    if parent:
        parent_org = Organisation.objects.filter(code=parent).first()
        if parent_org is None:
            raise Http404(f"No organisation with code {parent!r}")
    return {"parent": parent_org.code if parent_org else None,
            **selectors.level_counts(c, parent_org)}
