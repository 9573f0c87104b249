"""/api/v1/organisations/{code}/years: a unit's plans year by year (decision 0018).

The figures of the public year-by-year page, from the same selector
(dxday.plans.continuity.unit_years). One item per campaign and answering body, so that later
figures of a year (its results) can be added to an item without changing the shape.
"""

import datetime
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema

from dxday.plans.continuity import unit_years
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


class YearsOut(Schema):
    organisation: OrganisationRefOut
    years: list[YearOut]


class ErrorOut(Schema):
    detail: str


def _ref(org) -> dict:
    return {"code": org.code, "name": org.name}


@router.get("/organisations/{code}/years", response={200: YearsOut, 404: ErrorOut},
            summary="A unit's plans year by year")
def organisation_years(request, code: str):
    """One item per campaign and answering body, oldest first: the unit itself, or for the
    years before it existed the bodies it came from (`via` says how each passed on, link by
    link: merged, split, renamed). The figures of the public year-by-year page."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise Http404(f"No organisation with code {code!r}")
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
    } for row in unit_years(organisation)]}
