"""Open data under /api/v1/: activities and initiatives as JSON, CSV, XLSX and iCal, the data
package, the DCAT catalogue. Public and cached; the same rows in every format."""

import datetime
import json
from typing import Literal

from django.http import Http404, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import BaseModel, create_model

from dxday.api.pagination import Pagination
from dxday.campaigns.models import Campaign
from dxday.lib.tables import to_csv, to_xlsx
from dxday.plans import schema
from dxday.public import opendata
from dxday.public.opendata import ACTIVITY_FIELDS, INITIATIVE_FIELDS
from dxday.public.search import search as run_search
from dxday.results import schema as results_schema

router = Router(tags=["open data"])

Category = Literal[tuple(schema.CATEGORY)]
Format = Literal[tuple(schema.FORMAT)]
Beneficiary = Literal[tuple(schema.BENEFICIARY)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ActivityFilters(Schema):
    province: str | None = None
    category: Category | None = None
    format: Format | None = None
    organisation: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class InitiativeFilters(Schema):
    beneficiary: Beneficiary | None = None
    sector: str | None = None
    province: str | None = None
    organisation: str | None = None


class ActivityResultFilters(Schema):
    organisation: str | None = None
    province: str | None = None
    category: Category | None = None
    status: Literal[tuple(results_schema.ACTIVITY_STATUS)] | None = None


class InitiativeResultFilters(Schema):
    organisation: str | None = None
    launched: Literal[tuple(results_schema.LAUNCHED)] | None = None


TYPES = {"integer": int, "string": str, "date": datetime.date | None}
# The rows' shapes, from the tables' columns (and so from the plan schema).
ActivityOut, InitiativeOut = (
    create_model(name, **{f.name: (TYPES[f.type], ...) for f in fields})
    for name, fields in (("ActivityOut", ACTIVITY_FIELDS), ("InitiativeOut", INITIATIVE_FIELDS)))
# The results' rows: a figure or a plan's number may be empty.
ActivityResultOut, InitiativeResultOut = (
    create_model(name, **{f.name: (int | None if f.type == "integer" and f.name != "id"
                                   else TYPES[f.type], ...) for f in fields})
    for name, fields in (("ActivityResultOut", opendata.ACTIVITY_RESULT_FIELDS),
                         ("InitiativeResultOut", opendata.INITIATIVE_RESULT_FIELDS)))


PAGING = {"limit", "offset"}


def _campaign(request, year: int, filters_schema, extra=frozenset()) -> Campaign:
    """The campaign, after refusing query parameters this endpoint does not know."""
    allowed = set(filters_schema.model_fields) | set(extra)
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ValidationError([{"type": "unknown_parameter", "loc": ["query", name],
                                "msg": f"Unknown query parameter {name!r}"} for name in unknown])
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise Http404(f"No campaign for year {year}")
    return campaign


def _file(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class RowPages:
    """A queryset seen through its row generator, for the paginator: counted by the database
    and sliced there, so a page of 100 reads 100 rows, not the whole table."""

    def __init__(self, queryset, rows):
        self.queryset, self.rows = queryset, rows

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return list(self.rows(self.queryset[window]))


def _table_file(campaign, table: str, filters, fmt: str) -> HttpResponse:
    """A table of the open data as CSV or XLSX: the same row generator as its JSON."""
    name = f"dxday-{campaign.year}-{table}.{fmt}"
    exported = opendata.exporter(campaign, table, **filters.dict())
    if fmt == "csv":
        return _file(to_csv(exported), "text/csv; charset=utf-8", name)
    return _file(to_xlsx(exported), XLSX, name)


@router.get("/{year}/activities", response=list[ActivityOut], summary="Published activities")
@paginate(Pagination)
def activities(request, year: int, filters: Query[ActivityFilters]):
    """Activities of accepted plans (past the campaign's embargo). `province` includes the
    units that passed into it (2022's Quảng Nam counts toward today's Đà Nẵng, code 48)."""
    campaign = _campaign(request, year, ActivityFilters, PAGING)
    return RowPages(opendata.activities_qs(campaign, **filters.dict()), opendata.activity_rows)


@router.get("/{year}/activities.csv", summary="Published activities (CSV, UTF-8 with BOM)")
def activities_csv(request, year: int, filters: Query[ActivityFilters]):
    campaign = _campaign(request, year, ActivityFilters)
    return _table_file(campaign, "activities", filters, "csv")


@router.get("/{year}/activities.xlsx", summary="Published activities (Excel)")
def activities_xlsx(request, year: int, filters: Query[ActivityFilters]):
    campaign = _campaign(request, year, ActivityFilters)
    return _table_file(campaign, "activities", filters, "xlsx")


@router.get("/{year}/activities.ics", summary="Published activities (iCalendar, RFC 5545)")
def activities_ics(request, year: int, filters: Query[ActivityFilters]):
    campaign = _campaign(request, year, ActivityFilters)
    rows = opendata.activity_rows(opendata.activities_qs(campaign, **filters.dict()))
    body = b"".join(opendata.ical(rows, name=campaign.title,
                                  organizers=opendata.organizer_addresses(campaign)))
    return _file(body, "text/calendar; charset=utf-8",
                 f"dxday-{year}-activities.ics")


@router.get("/{year}/initiatives", response=list[InitiativeOut],
            summary="Published digital initiatives")
@paginate(Pagination)
def initiatives(request, year: int, filters: Query[InitiativeFilters]):
    campaign = _campaign(request, year, InitiativeFilters, PAGING)
    return RowPages(opendata.initiatives_qs(campaign, **filters.dict()),
                    opendata.initiative_rows)


@router.get("/{year}/initiatives.csv", summary="Published digital initiatives (CSV)")
def initiatives_csv(request, year: int, filters: Query[InitiativeFilters]):
    campaign = _campaign(request, year, InitiativeFilters)
    return _table_file(campaign, "initiatives", filters, "csv")


@router.get("/{year}/initiatives.xlsx", summary="Published digital initiatives (Excel)")
def initiatives_xlsx(request, year: int, filters: Query[InitiativeFilters]):
    campaign = _campaign(request, year, InitiativeFilters)
    return _table_file(campaign, "initiatives", filters, "xlsx")


@router.get("/{year}/activity_results", response=list[ActivityResultOut],
            summary="Published results: activities held")
@paginate(Pagination)
def activity_results(request, year: int, filters: Query[ActivityResultFilters]):
    """What became of each activity of the accepted results (past the campaign's embargo):
    held, changed or not held, participants, reach and evidence; ``planned`` is the row's
    number in the unit's accepted plan (null: added)."""
    campaign = _campaign(request, year, ActivityResultFilters, PAGING)
    return RowPages(opendata.activity_results_qs(campaign, **filters.dict()),
                    opendata.activity_result_rows)


@router.get("/{year}/activity_results.csv", summary="Published results: activities (CSV)")
def activity_results_csv(request, year: int, filters: Query[ActivityResultFilters]):
    campaign = _campaign(request, year, ActivityResultFilters)
    return _table_file(campaign, "activity_results", filters, "csv")


@router.get("/{year}/activity_results.xlsx", summary="Published results: activities (Excel)")
def activity_results_xlsx(request, year: int, filters: Query[ActivityResultFilters]):
    campaign = _campaign(request, year, ActivityResultFilters)
    return _table_file(campaign, "activity_results", filters, "xlsx")


@router.get("/{year}/initiative_results", response=list[InitiativeResultOut],
            summary="Published results: digital initiatives launched")
@paginate(Pagination)
def initiative_results(request, year: int, filters: Query[InitiativeResultFilters]):
    """Each initiative of the accepted results: launched or not, with its usage figure."""
    campaign = _campaign(request, year, InitiativeResultFilters, PAGING)
    return RowPages(opendata.initiative_results_qs(campaign, **filters.dict()),
                    opendata.initiative_result_rows)


@router.get("/{year}/initiative_results.csv", summary="Published results: initiatives (CSV)")
def initiative_results_csv(request, year: int, filters: Query[InitiativeResultFilters]):
    campaign = _campaign(request, year, InitiativeResultFilters)
    return _table_file(campaign, "initiative_results", filters, "csv")


@router.get("/{year}/initiative_results.xlsx",
            summary="Published results: initiatives (Excel)")
def initiative_results_xlsx(request, year: int, filters: Query[InitiativeResultFilters]):
    campaign = _campaign(request, year, InitiativeResultFilters)
    return _table_file(campaign, "initiative_results", filters, "xlsx")


@router.get("/{year}/datapackage.json", summary="Frictionless data package")
def datapackage(request, year: int):
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise Http404(f"No campaign for year {year}")
    return opendata.datapackage(campaign)


catalog_router = Router(tags=["open data"])


@catalog_router.get("/catalog.jsonld", summary="DCAT-AP 3 catalogue (JSON-LD) for harvesters")
def catalog(request):
    """The open data described in DCAT-AP 3 (JSON-LD, context inline): one dataset per
    campaign with published plans, its distributions in JSON, CSV, XLSX and iCalendar."""
    return HttpResponse(json.dumps(opendata.catalog(), ensure_ascii=False),
                        content_type="application/ld+json; charset=utf-8")


class SearchResult(BaseModel):
    type: Literal["activity", "initiative", "organisation", "document", "activity_held"]
    title: str
    url: str
    campaign: int | None


search_router = Router(tags=["search"])


@search_router.get("/search", response=list[SearchResult], summary="Search")
def search(request, q: str = ""):
    """One box over published activities and initiatives, organisations and documents;
    diacritics, đ, case and tone placement are folded ("da nang" finds "Đà Nẵng")."""
    return run_search(q[:1000])
