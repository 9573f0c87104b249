"""Continuity from one year to the next (decision 0018).

A unit starts its plan from its last submitted plan, or from the last plans of the bodies it
came from (the 2025 mergers, renamings and splits); each copied activity and initiative says
where it came from (``carried_over``, declared in dxday/plans/schema.py). And the reading of a
unit's plans year by year, following the same links back: the public page and the API call
:func:`unit_years`.
"""

import calendar
import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.campaigns.selectors import province_codes, successors_on
from dxday.lib.text import sort_key
from dxday.plans.labels import FIELD_LABELS
from dxday.plans.models import Activity, Initiative, Plan, PlanEvent, PlanVersion
from dxday.plans.schema import CARRIED_OVER, SECTION
from dxday.plans.services import PlanConflict, plan_for_update, plan_save_draft
from dxday.plans.validation import Result
from dxday.registry.models import Organisation, Succession

OWN, ALL = "own", "all"
# The sections whose rows are carried over, each row marked with its origin.
CARRIED = tuple(name for name, section in SECTION.items() if CARRIED_OVER in section.fields)
# Parts of the draft that only the unit's own earlier plan brings (a predecessor's summary,
# contact and display addresses belong to a body that no longer exists).
OWN_PARTS = ("summary", "contact", "display_urls")
# A launch date says when a service started: a fact, kept as it was. Other dates are when
# something happens during the campaign's window: moved into this year's window, or cleared.
KEPT_DATES = {"launch_date"}


class SourceUnavailable(Exception):
    """The requested source is not offered to this unit (or no longer exists)."""


class ConfirmationNeeded(Exception):
    """The draft has content the copy would replace; ``replaced`` says what, in words."""

    def __init__(self, replaced: list[str]):
        super().__init__("; ".join(replaced))
        self.replaced = replaced


@dataclasses.dataclass
class Source:
    """An earlier plan offered as a start: the unit's own (``key`` "own") or a predecessor's
    (``key`` its code, ``link`` how it passed to the unit)."""

    key: str
    organisation: Organisation
    campaign: Campaign
    version: PlanVersion
    link: Succession | None = None

    @property
    def origin(self) -> str:
        return f"{self.organisation.name} ({self.campaign.year})"

    @property
    def activities(self) -> int:
        return len(self.version.data.get("activities") or [])

    @property
    def initiatives(self) -> int:
        return len(self.version.data.get("initiatives") or [])


def _latest(organisation: Organisation, *, before_year: int) -> tuple[Campaign, PlanVersion] | None:
    """The latest version of the organisation's latest submitted or accepted plan of a campaign
    before ``before_year`` (never a draft, never a plan still being revised)."""
    plan = (Plan.objects.filter(organisation=organisation, campaign__year__lt=before_year,
                                status__in=(Plan.Status.SUBMITTED, Plan.Status.ACCEPTED))
            .select_related("campaign").order_by("-campaign__year").first())
    version = plan.versions.order_by("-number").first() if plan else None
    return (plan.campaign, version) if version else None


def may_start(plan: Plan) -> bool:
    """A plan never saved, or still a draft (never submitted), may start from an earlier one."""
    return plan.pk is None or plan.status == Plan.Status.DRAFT


def offers(campaign: Campaign, organisation: Organisation) -> list[Source]:
    """The earlier plans a unit may start from: its own latest, then the latest of each body
    it came from (merged, renamed, split — for a split, the link's note says what passed)."""
    found = []
    own = _latest(organisation, before_year=campaign.year)
    if own:
        found.append(Source(OWN, organisation, *own))
    links = (Succession.objects.filter(successor=organisation).select_related("predecessor")
             .order_by("date", "pk"))
    for link in sorted(links, key=lambda s: sort_key(s.predecessor.name)):
        latest = _latest(link.predecessor, before_year=campaign.year)
        if latest:
            found.append(Source(link.predecessor.code, link.predecessor, *latest, link=link))
    return found


def chosen_sources(campaign: Campaign, organisation: Organisation, key: str) -> list[Source]:
    """The offer named ``key`` ("own", a predecessor's code), or every offer for "all"."""
    available = offers(campaign, organisation)
    chosen = available if key == ALL else [s for s in available if s.key == key]
    if not chosen:
        raise SourceUnavailable(key)
    return chosen


def _window(campaign: Campaign) -> tuple[datetime.date, datetime.date]:
    """The campaign's activity window; without one, the month of its ceremony (October)."""
    if campaign.window_start and campaign.window_end:
        return campaign.window_start, campaign.window_end
    day = campaign.event_date or datetime.date(campaign.year, 10, 10)
    return (day.replace(day=1),
            day.replace(day=calendar.monthrange(day.year, day.month)[1]))


def moved_date(value, *, source: Campaign, target: Campaign) -> str | None:
    """A date of the source campaign's window, at the same distance from the start of the
    target's window; None when it was outside the source's window or lands outside the
    target's (the unit gives it again)."""
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
    first, last = _window(source)
    if not first <= day <= last:
        return None
    start, end = _window(target)
    moved = start + (day - first)
    return moved.isoformat() if moved <= end else None


def _province(code, *, allowed: set[str], day: datetime.date) -> str | None:
    """An activity's province as a code the target campaign knows: itself, or the one body
    that answers for it now (49-2022 Quảng Nam → 48 Đà Nẵng); else none."""
    if not code or code in allowed:
        return code or None
    earlier = Organisation.objects.filter(code=code).first()
    if earlier is None:
        return None
    now = set(Organisation.objects.filter(pk__in=successors_on([earlier], day))
              .values_list("code", flat=True)) & allowed
    return now.pop() if len(now) == 1 else None


def carried_parts(campaign: Campaign, sources: list[Source]) -> dict:
    """The parts of the draft the copy brings: the rows of every source, concatenated and
    marked with their origin, dates moved; the unit's own summary, contact and display
    addresses when its own plan is among the sources."""
    allowed = province_codes(campaign)
    day = _window(campaign)[0]
    mapped: dict[str, str | None] = {}  # each old code resolved once, not once per row
    parts: dict = {section: [] for section in CARRIED}
    for source in sources:
        data = source.version.data or {}
        for section in CARRIED:
            fields = SECTION[section].fields
            for row in data.get(section) or []:
                copied = {}
                for field in fields:
                    value = row.get(field.name)
                    if field.rule == "date" and field.name not in KEPT_DATES:
                        value = moved_date(value, source=source.campaign, target=campaign)
                    elif field.rule == "province":
                        if value not in mapped:
                            mapped[value] = _province(value, allowed=allowed, day=day)
                        value = mapped[value]
                    copied[field.name] = value
                copied[CARRIED_OVER.name] = source.origin
                parts[section].append(copied)
        if source.key == OWN:
            for key in OWN_PARTS:
                parts[key] = data.get(key) or ({} if key == "contact" else
                                               "" if key == "summary" else [])
    return parts


def _filled(value) -> bool:
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    return value not in (None, "", [], {})


def replaced(draft: dict, parts: dict) -> list[str]:
    """What of the draft the copy would replace, in words: "Activities (3)", "Summary"."""
    found = []
    for key in parts:
        value = (draft or {}).get(key)
        if not _filled(value):
            continue
        label = str(FIELD_LABELS.get(key, key))
        found.append(f"{label} ({len(value)})" if isinstance(value, list) else label)
    return found


@transaction.atomic
def plan_start_from(*, campaign: Campaign, organisation: Organisation, source: str, by: User,
                    confirm: bool = False, now=None) -> tuple[Plan, Result]:
    """Start the unit's draft from an earlier plan: ``source`` "own" (its latest submitted
    plan), a predecessor's code, or "all" (every offer, rows concatenated).

    Only a plan never saved or still a draft; never in a closed campaign (PlanConflict). The
    parts the copy brings replace those of the draft: when the draft has content there,
    ConfirmationNeeded says what, unless ``confirm``. Saved through plan_save_draft (the
    validator, the history naming ``by``); the history's entry says where it came from.
    """
    now = now or timezone.now()
    plan = plan_for_update(campaign=campaign, organisation=organisation, by=by)
    if not may_start(plan):
        raise PlanConflict(_("Only a plan not yet submitted can start from an earlier one."))
    if campaign.is_locked(now):
        raise PlanConflict(_("The campaign is closed: the plan can no longer be changed."))
    sources = chosen_sources(campaign, organisation, source)
    parts = carried_parts(campaign, sources)
    lost = replaced(plan.draft, parts)
    if lost and not confirm:
        raise ConfirmationNeeded(lost)
    plan, result = plan_save_draft(campaign=campaign, organisation=organisation,
                                   data={**plan.draft, **parts}, by=by, now=now)
    event = plan.events.filter(kind=PlanEvent.Kind.SAVED).order_by("-pk").first()
    event.comment = _("Started from the plan of %(origins)s.") % {
        "origins": ", ".join(s.origin for s in sources)}
    event.save(update_fields=["comment"])
    return plan, result


# --- year by year -----------------------------------------------------------------------------

@dataclasses.dataclass
class YearRow:
    """One body's answer to one campaign: the unit itself, or (before it existed) a body it
    came from, with that body's own link towards it."""

    campaign: Campaign
    organisation: Organisation
    link: Succession | None  # None: the unit itself
    recipient: bool
    state: str = ""  # missing, submitted, returned, accepted ("" when not a recipient)
    submitted_at: datetime.datetime | None = None
    on_time: bool | None = None
    published: bool = False  # accepted, and the campaign past its embargo
    activities: int | None = None  # published rows only; None when nothing is published
    initiatives: int | None = None

    @property
    def year(self) -> int:
        return self.campaign.year

    @property
    def accepted(self) -> bool:
        return self.state == Plan.Status.ACCEPTED


def unit_years(organisation: Organisation, *, now=None) -> list[YearRow]:
    """Every campaign, oldest first, with the unit's public figures; for a campaign it did
    not receive, those of the bodies it came from that did (followed link by link: Đà Nẵng's
    2024 is Đà Nẵng-2022's and Quảng Nam's). The figures are the public ones: a draft is "not
    submitted" (as on the campaign page), activities and initiatives are counted only once
    published (accepted, past the embargo). A fixed number of queries, whatever the years."""
    now = now or timezone.now()
    came_from: dict[int, list[Succession]] = {}
    bodies = {organisation.pk: organisation}
    frontier = [organisation.pk]
    while frontier:
        links = list(Succession.objects.filter(successor_id__in=frontier)
                     .exclude(predecessor_id__in=bodies)
                     .select_related("predecessor", "successor"))
        frontier = []
        for link in links:
            came_from.setdefault(link.successor_id, []).append(link)
            if link.predecessor_id not in bodies:
                bodies[link.predecessor_id] = link.predecessor
                frontier.append(link.predecessor_id)
    for links in came_from.values():
        links.sort(key=lambda s: sort_key(s.predecessor.name))
    campaigns = list(Campaign.objects.order_by("year"))
    through = Campaign.recipients.through
    received = set(through.objects.filter(organisation_id__in=bodies)
                   .values_list("campaign_id", "organisation_id"))
    plans = {(p["campaign_id"], p["organisation_id"]): p for p in Plan.objects.filter(
        organisation_id__in=bodies).values("campaign_id", "organisation_id", "status",
                                             "submitted_at", "on_time")}
    counts = {name: {(c, o): n for c, o, n in model.objects.public(now)
                     .filter(organisation_id__in=bodies).order_by()
                     .values_list("campaign_id", "organisation_id").annotate(n=Count("pk"))}
              for name, model in (("activities", Activity), ("initiatives", Initiative))}

    def answering(campaign_id: int, pk: int, link: Succession | None, seen: set) -> list:
        if (campaign_id, pk) in received:
            return [(bodies[pk], link)]
        seen.add(pk)
        return [found for s in came_from.get(pk, []) if s.predecessor_id not in seen
                for found in answering(campaign_id, s.predecessor_id, s, seen)]

    rows = []
    for campaign in campaigns:
        found = answering(campaign.pk, organisation.pk, None, set())
        if not found:
            rows.append(YearRow(campaign, organisation, None, recipient=False))
            continue
        for body, link in found:
            plan = plans.get((campaign.pk, body.pk))
            status = plan["status"] if plan else Plan.Status.DRAFT
            row = YearRow(campaign, body, link, recipient=True,
                          state="missing" if status == Plan.Status.DRAFT else status)
            if row.state != "missing":
                row.submitted_at, row.on_time = plan["submitted_at"], plan["on_time"]
            if row.accepted and campaign.is_published(now):
                row.published = True
                row.activities = counts["activities"].get((campaign.pk, body.pk), 0)
                row.initiatives = counts["initiatives"].get((campaign.pk, body.pk), 0)
            rows.append(row)
    return rows
