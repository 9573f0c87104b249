"""/api/v1/organisations/{code}/years: a unit's plans and results year by year (decision
0018), and /api/v1/trends: the national figures per year.

The figures of the public year-by-year page, from the same selectors
(dxday.plans.continuity.unit_years, dxday.public.results.year_results and trends). One item
per campaign and answering body; its results beside its plan.
"""

import datetime
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema

from dxday.plans.continuity import unit_years
from dxday.public.results import cached_trends, year_results
from dxday.registry.models import Organisation

router = Router(tags=["registry"])


class OrganisationRefOut(Schema):
    code: str
    name: str


class YearPlanOut(Schema):
    """A body's plan for one campaign, as the public sees it: its status (a draft is
    ``not_submitted``; ``not_a_recipient`` when the campaign did not ask it), when it was first
    submitted and whether on time; activities and initiatives only once published (null
    before, and under the campaign's embargo)."""

    status: Literal["not_a_recipient", "not_submitted", "submitted", "returned", "accepted"]
    submitted_at: datetime.datetime | None
    on_time: bool | None
    accepted: bool
    published: bool
    activities: int | None
    initiatives: int | None


class YearResultsOut(Schema):
    """A body's results for one campaign, as the public sees it: figures only once its
    results are accepted and published (null before, and under the campaign's embargo).
    Counted as plan versus result counts them: activities held are the planned ones that took
    place (held as planned or with changes), added ones (not planned) apart; participants in
    person and online, of every row; initiatives launched among the planned ones."""

    published: bool
    activities_held: int | None
    activities_added: int | None
    participants: int | None
    initiatives_launched: int | None


class YearLinkOut(Schema):
    """How that body passed on towards the unit asked for: the link's type, its date, what
    passed (for a split) and the body it passed to."""

    type: Literal["merged", "split", "renamed", "continued"]
    date: datetime.date
    note: str
    successor: OrganisationRefOut


class YearOut(Schema):
    year: int
    organisation: OrganisationRefOut
    via: YearLinkOut | None
    plan: YearPlanOut
    results: YearResultsOut | None  # null when the campaign did not ask this body


class YearsOut(Schema):
    organisation: OrganisationRefOut
    years: list[YearOut]


class TrendOut(Schema):
    """A campaign's national figures, published only: expected units (recipients), plans
    accepted, results accepted, activities planned (published plans), held (the planned ones
    that took place, as planned or with changes, by the accepted results) and added (not
    planned), participants (in person and online), initiatives launched (among the
    planned)."""

    year: int
    published: bool
    expected_units: int
    plans_accepted: int
    results_accepted: int
    activities_planned: int
    activities_held: int
    activities_added: int
    participants: int
    initiatives_launched: int


class ErrorOut(Schema):
    detail: str


def _ref(org) -> dict:
    return {"code": org.code, "name": org.name}


@router.get("/organisations/{code}/years", response={200: YearsOut, 404: ErrorOut},
            summary="A unit's plans and results year by year")
def organisation_years(request, code: str):
    """One item per campaign and answering body, oldest first: the unit itself, or for the
    years before it existed the bodies it came from (`via` says how each passed on, link by
    link: merged, split, renamed), with its plan and, beside it, its published results
    (activities held, participants, initiatives launched). The figures of the public
    year-by-year page."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise Http404(f"No organisation with code {code!r}")
    rows = unit_years(organisation)
    outcomes = year_results([(row.campaign.pk, row.organisation.pk) for row in rows
                             if row.recipient])
    return {"organisation": _ref(organisation), "years": [{
        "year": row.year, "organisation": _ref(row.organisation),
        "via": row.link and {"type": row.link.type, "date": row.link.date,
                             "note": row.link.note, "successor": _ref(row.link.successor)},
        "plan": {"status": ("not_a_recipient" if not row.recipient else
                            "not_submitted" if row.state == "missing" else row.state),
                 "submitted_at": (timezone.localtime(row.submitted_at)
                                  if row.submitted_at else None),
                 "on_time": row.on_time, "accepted": row.accepted, "published": row.published,
                 "activities": row.activities, "initiatives": row.initiatives},
        "results": _results(outcomes.get((row.campaign.pk, row.organisation.pk))),
    } for row in rows]}


def _results(found) -> dict | None:
    if found is None:
        return None
    return {"published": found.published, "activities_held": found.activities_held,
            "activities_added": found.activities_added, "participants": found.participants,
            "initiatives_launched": found.initiatives_launched}


@router.get("/trends", response=list[TrendOut], summary="National figures year by year")
def trends(request):
    """Every campaign, oldest first, with its national published figures: the same as the
    year-by-year page's trends and the campaign's results page."""
    return [{key: t[key] for key in TrendOut.model_fields} for t in cached_trends()]
