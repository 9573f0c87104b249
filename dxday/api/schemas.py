"""Typed shapes of the public API (they generate /api/v1/openapi.json).

Views build plain dicts, so the shapes are plain pydantic models: ninja.Schema's ORM getter
would wrap every one of a thousand rows for nothing.
"""

import datetime
from typing import Literal

from pydantic import BaseModel as Schema
from pydantic import Field

OrganisationKind = Literal["ministry", "ministerial_agency", "government_agency", "province",
                           "city", "commune", "ward", "special_zone", "other"]
SuccessionType = Literal["merged", "split", "renamed", "continued"]
PlanStatus = Literal["not_submitted", "draft", "submitted", "returned", "accepted"]


class OrganisationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: OrganisationKind
    official_code: str
    parent_code: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_codes: list[str]


class SuccessionOut(Schema):
    """One link of the 2025 reorganisation, seen from either end: the other body, how it
    changed (merged, split, renamed; continued is a new record of an unchanged body, not a
    change), the first day of the successor, and what passed (for a split)."""

    code: str
    name: str
    type: SuccessionType
    date: datetime.date
    note: str


class OrganisationDetailOut(OrganisationOut):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class DocumentOut(Schema):
    number: str
    kind: str
    date: datetime.date
    issuer: str
    signer: str
    title: str
    role: str
    url: str


class ContactPointOut(Schema):
    unit: str
    person: str
    phone: str
    email: str


class CampaignSummaryOut(Schema):
    year: int
    title: str
    theme: str
    organiser: str | None
    organiser_code: str | None
    submission_deadline: datetime.datetime | None
    window_start: datetime.date | None
    window_end: datetime.date | None
    event_date: datetime.date | None
    recipients_count: int


class CampaignOut(CampaignSummaryOut):
    deadline_text: str
    window_note: str
    kit_window_start: datetime.date | None
    kit_window_end: datetime.date | None
    contact_point: ContactPointOut
    documents: list[DocumentOut]


class RecipientOut(Schema):
    code: str
    name: str
    kind: OrganisationKind
    status: PlanStatus
    submitted_at: datetime.datetime | None
    on_time: bool | None


class ErrorOut(Schema):
    detail: str


class UnitCountsOut(Schema):
    key: str
    label: str
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    returned: int
    accepted: int


class FiguresOut(Schema):
    """A campaign's figures, from the same selectors as its page and its consolidated report."""

    recipients: int
    submitted: int
    on_time: int
    late: int
    missing: int
    accepted: int
    by_kind: list[UnitCountsOut]
    by_province: list[UnitCountsOut]
    activities: int
    activities_by_category: dict[str, int]
    activities_by_format: dict[str, int]
    activities_by_province: dict[str, int]
    initiatives: int
    initiatives_by_beneficiary: dict[str, int]
    initiatives_by_sector: dict[str, int]


class LevelCountsOut(Schema):
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    accepted: int
    returned: int


class LevelChildOut(LevelCountsOut):
    code: str
    name: str
    kind: str
    communes: int = Field(0, description="Communes counted in this entry (top level only).")


class TrackingOut(LevelCountsOut):
    """The tracking figures of one level: the units under ``parent`` and one entry per child."""

    parent: str | None
    children: list[LevelChildOut]
