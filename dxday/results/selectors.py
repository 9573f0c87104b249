"""Reads of plan-versus-result figures: the one home of them (house rule 11).

The public results pages, the API, the agency's results tracking and the results report call
these functions, so they cannot disagree. Everything is counted in the database (grouped
queries on the published tables), never by reading documents.

What is counted:
- planned: the published activities and initiatives of accepted plans (plans.Activity,
  plans.Initiative);
- what happened: the published rows of accepted results (ActivityOutcome, InitiativeOutcome).
  A row that answers a planned one (``planned`` set) is held, changed or cancelled (not held),
  an initiative launched or not launched; a row that answers none is ``added``, whatever
  happened to it. So among the planned: held + changed + cancelled + not_reported = planned;
  participants are those of every row, added ones included.
- ``public=True`` applies the campaign's embargo to the rows (nothing planned or held shows
  before it); the units' states are tracking figures, public as the plans' are.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Sum,
    When,
)

from dxday.campaigns.models import Campaign
from dxday.lib.text import name_order
from dxday.plans.labels import CHOICE_LABELS
from dxday.plans.models import Activity, Initiative, Plan
from dxday.plans.selectors import KIND_GROUPS, sort_key
from dxday.registry.models import Organisation
from dxday.results.models import ActivityOutcome, InitiativeOutcome, Result, ResultVersion

PROVINCIAL = list(Organisation.PROVINCIAL_KINDS)
CATEGORIES = list(CHOICE_LABELS["category"])
# What happened to a planned activity, as counted ("not_held": cancelled).
OUTCOME_KEY = {"held": "held", "changed": "changed", "not_held": "cancelled"}
# A recipient's results states (results_state), in tracking order; the last three have been
# sent once.
RESULT_STATES = ("not_ready", "missing", "draft", "submitted", "returned", "accepted")
SENT_STATES = ("submitted", "returned", "accepted")


def _unit_province():
    """The province a unit's rows count for: the unit itself when provincial, else its
    provincial parent, else none (a ministry)."""
    return Case(When(organisation__kind__in=PROVINCIAL, then=F("organisation_id")),
                When(organisation__parent__kind__in=PROVINCIAL,
                     then=F("organisation__parent_id")),
                default=None, output_field=IntegerField())


def _rows(model, campaign: Campaign, public: bool, scope: dict):
    """The published rows of ``model`` in ``scope`` (filters naming the campaign, or one
    plan's or one result's rows). The embargo is the campaign's (Campaign.is_published, the
    rule of the managers' .public()), decided here once rather than joined to every row:
    the grouped queries then read one index alone."""
    if public and not campaign.is_published():
        return model.objects.none()
    return model.objects.filter(**scope).order_by()


def _blank_breakdown() -> dict:
    return {"planned": 0, "held": 0, "changed": 0, "cancelled": 0, "added": 0,
            "participants": 0}


def _row_figures(campaign: Campaign, *, public: bool, plans: dict, results: dict) -> dict:
    """activities, participants, initiatives, by_category and by_province of the planned
    rows in ``plans`` and the outcomes in ``results`` (filters). Six grouped queries and one for
    the provinces' names."""
    activities = dict.fromkeys(("planned", "held", "changed", "cancelled", "added",
                                "not_reported"), 0)
    participants = {"in_person": 0, "online": 0, "total": 0}
    initiatives = dict.fromkeys(("planned", "launched", "not_launched", "added",
                                 "not_reported"), 0)
    by_category: dict[str, dict] = defaultdict(_blank_breakdown)
    by_province: dict[int, dict] = defaultdict(
        lambda: {**_blank_breakdown(), "initiatives_planned": 0, "initiatives_launched": 0})

    # Rows naming a province are grouped by it, alone; only the others are joined to their
    # unit to find its province (the grouped queries then read one index, return few rows).
    planned = _rows(Activity, campaign, public, plans)
    planned_rows = [
        *planned.filter(province_id__isnull=False)
        .values_list("category", "province_id").annotate(n=Count("pk")),
        *planned.filter(province_id__isnull=True).annotate(where=_unit_province())
        .values_list("category", "where").annotate(n=Count("pk"))]
    outcomes = _rows(ActivityOutcome, campaign, public, results)
    figures = {"n": Count("pk"), "added": Count("pk", filter=Q(planned__isnull=True)),
               "in_person": Sum("participants_in_person"),
               "online": Sum("participants_online")}
    outcome_rows = [
        *outcomes.filter(province_id__isnull=False)
        .values_list("category", "status", "province_id").annotate(**figures),
        *outcomes.filter(province_id__isnull=True).annotate(where=_unit_province())
        .values_list("category", "status", "where").annotate(**figures)]
    initiative_rows = (_rows(Initiative, campaign, public, plans)
                       .annotate(where=_unit_province())
                       .values_list("where").annotate(n=Count("pk")))
    initiative_outcome_rows = (
        _rows(InitiativeOutcome, campaign, public, results)
        .annotate(where=_unit_province()).values_list("where", "launched")
        .annotate(n=Count("pk"), added=Count("pk", filter=Q(planned__isnull=True))))

    for category, where, n in planned_rows:
        activities["planned"] += n
        by_category[category]["planned"] += n
        if where is not None:
            by_province[where]["planned"] += n

    for category, status, where, n, added, in_person, online in outcome_rows:
        in_person, online = in_person or 0, online or 0
        participants["in_person"] += in_person
        participants["online"] += online
        key = OUTCOME_KEY.get(status, "cancelled")
        activities[key] += n - added
        activities["added"] += added
        targets = [by_category[category]]
        if where is not None:
            targets.append(by_province[where])
        for target in targets:
            target[key] += n - added
            target["added"] += added
            target["participants"] += in_person + online
    participants["total"] = participants["in_person"] + participants["online"]
    reported = activities["held"] + activities["changed"] + activities["cancelled"]
    activities["not_reported"] = max(0, activities["planned"] - reported)

    for where, n in initiative_rows:
        initiatives["planned"] += n
        if where is not None:
            by_province[where]["initiatives_planned"] += n
    for where, launched, n, added in initiative_outcome_rows:
        initiatives["added"] += added
        initiatives["launched" if launched else "not_launched"] += n - added
        if launched and where is not None:
            by_province[where]["initiatives_launched"] += n - added
    initiatives["not_reported"] = max(
        0, initiatives["planned"] - initiatives["launched"] - initiatives["not_launched"])

    labels = CHOICE_LABELS["category"]
    categories = [
        {"category": code, "label": str(labels.get(code, code)), **_took_place(figures)}
        for code, figures in sorted(by_category.items(), key=lambda item: (
            CATEGORIES.index(item[0]) if item[0] in CATEGORIES else len(CATEGORIES), item[0]))]
    names = {pk: (code, name) for pk, code, name in Organisation.objects.filter(
        pk__in=list(by_province)).order_by().values_list("pk", "code", "name")}
    provinces = sorted(
        ({"code": names[pk][0], "name": names[pk][1], **_took_place(figures)}
         for pk, figures in by_province.items() if pk in names),
        key=lambda p: (sort_key(p["name"]), p["code"]))
    return {"activities": activities, "participants": participants,
            "initiatives": initiatives, "by_category": categories, "by_province": provinces}


def _took_place(figures: dict) -> dict:
    """A breakdown's row: ``held`` there counts the planned activities that took place (held
    as planned or changed; ``changed`` says how many of them changed)."""
    return {**figures, "held": figures["held"] + figures["changed"]}


def _units(campaign: Campaign, parent: str, kinds) -> dict:
    """The recipients' states: one grouped query of recipients left-joined to their plan and
    their results of the campaign (a handful of groups)."""
    recipients = campaign.recipients.all()
    if parent:
        recipients = recipients.filter(parent__code=parent)
    if kinds:
        recipients = recipients.filter(kind__in=kinds)
    units = dict.fromkeys(("expected", "plans_accepted", "results_submitted",
                           "results_on_time", "results_late", "results_missing",
                           "results_not_ready", "results_returned", "results_accepted"), 0)
    for plan_status, status, on_time, n in (
            recipients.annotate(
                plan=FilteredRelation("plans", condition=Q(plans__campaign=campaign)),
                result=FilteredRelation("results", condition=Q(results__campaign=campaign)))
            .order_by().values_list("plan__status", "result__status", "result__on_time")
            .annotate(n=Count("pk"))):
        state = results_state(plan_status, status)
        units["expected"] += n
        if plan_status == Plan.Status.ACCEPTED:
            units["plans_accepted"] += n
        if state not in SENT_STATES:
            units["results_missing"] += n
            if state == "not_ready":
                units["results_not_ready"] += n
            continue
        units["results_submitted"] += n
        if on_time is True:
            units["results_on_time"] += n
        elif on_time is False:
            units["results_late"] += n
        if state == Result.Status.RETURNED:
            units["results_returned"] += n
        elif state == Result.Status.ACCEPTED:
            units["results_accepted"] += n
    return units



def results_state(plan_status: str | None, status: str | None) -> str:
    """A recipient's results state from its plan's and its results' statuses (None: none):
    results sent once keep their status; else ``not_ready`` while the plan is not accepted,
    ``draft`` or ``missing`` once it is. The one rule tracking rows and counts follow."""
    if status not in (None, Result.Status.DRAFT):
        return status
    if plan_status != Plan.Status.ACCEPTED:
        return "not_ready"
    return status or "missing"


def plan_vs_result(campaign: Campaign, *, parent: str = "", kinds=(),
                   public: bool = True) -> dict:
    """Plan versus result for a campaign, or for the units under ``parent`` (a parent's code:
    a province's communes, as the tracking levels read them).

    ``units``: expected (recipients), plans_accepted, results_submitted (sent once: submitted,
    returned or accepted), results_on_time, results_late, results_missing (not sent, a draft
    included; of them results_not_ready, whose plan is not accepted), results_returned,
    results_accepted. ``activities``: planned, and among them held, changed, cancelled (not
    held), not_reported (no accepted results answer them yet); added (not planned).
    ``participants``: in_person, online, total, of every published row. ``initiatives``:
    planned, launched, not_launched, not_reported, added. ``by_category`` and
    ``by_province`` (where an activity took place — the province it names, else its unit's;
    initiatives by their unit's province): planned, held (took place: held or changed),
    changed, cancelled, added, participants; by province also initiatives_planned and
    initiatives_launched. ``kinds`` keeps the units of these kinds (a province reviewer's
    communes). ``public`` applies the campaign's embargo to the rows."""
    scope = {}
    if parent:
        scope["organisation__parent__code"] = parent
    if kinds:
        scope["organisation__kind__in"] = list(kinds)
    if scope:
        plans, results = _scopes(campaign, **scope)
    else:
        plans = results = {"campaign": campaign}
    return {"units": _units(campaign, parent, kinds),
            **_row_figures(campaign, public=public, plans=plans, results=results)}


def _scopes(campaign: Campaign, **units) -> tuple[dict, dict]:
    """Filters of the rows of some units' plan and results of ``campaign``: their plans and
    results are read first (by their (campaign, organisation) index), then the rows by
    their plan or result — a few rows, not the campaign's every row filtered."""
    plans = Plan.objects.filter(campaign=campaign, **units).values_list("pk", flat=True)
    results = Result.objects.filter(campaign=campaign, **units).values_list("pk", flat=True)
    return {"plan_id__in": list(plans)}, {"result_id__in": list(results)}


def _blank_counts() -> dict:
    return {"activities": dict.fromkeys(("planned", "held", "changed", "cancelled", "added",
                                         "not_reported"), 0),
            "participants": {"in_person": 0, "online": 0, "total": 0},
            "initiatives": dict.fromkeys(("planned", "launched", "not_launched", "added",
                                          "not_reported"), 0)}


def unit_counts(campaign: Campaign, organisation_ids: list[int] | None, *,
                public: bool = True) -> dict[int, dict]:
    """plan_vs_result's activities, participants and initiatives for each of these units (a
    page of a list; None: every unit with rows, as the results report's Phụ lục I), counted
    as plan_vs_result counts them: four grouped queries by unit."""
    if organisation_ids is None:
        found: dict[int, dict] = defaultdict(_blank_counts)
        plans = results = {"campaign": campaign}
    else:
        found = {pk: _blank_counts() for pk in organisation_ids}
        plans, results = _scopes(campaign, organisation_id__in=list(organisation_ids))
    for unit, n in (_rows(Activity, campaign, public, plans)
                    .values_list("organisation_id").annotate(n=Count("pk"))):
        found[unit]["activities"]["planned"] += n
    for unit, status, n, added, in_person, online in (
            _rows(ActivityOutcome, campaign, public, results)
            .values_list("organisation_id", "status")
            .annotate(n=Count("pk"), added=Count("pk", filter=Q(planned__isnull=True)),
                      in_person=Sum("participants_in_person"),
                      online=Sum("participants_online"))):
        figures = found[unit]
        figures["activities"][OUTCOME_KEY.get(status, "cancelled")] += n - added
        figures["activities"]["added"] += added
        figures["participants"]["in_person"] += in_person or 0
        figures["participants"]["online"] += online or 0
    for unit, n in (_rows(Initiative, campaign, public, plans)
                    .values_list("organisation_id").annotate(n=Count("pk"))):
        found[unit]["initiatives"]["planned"] += n
    for unit, launched, n, added in (
            _rows(InitiativeOutcome, campaign, public, results)
            .values_list("organisation_id", "launched")
            .annotate(n=Count("pk"), added=Count("pk", filter=Q(planned__isnull=True)))):
        found[unit]["initiatives"]["added"] += added
        found[unit]["initiatives"]["launched" if launched else "not_launched"] += n - added
    for figures in found.values():
        a, p, i = figures["activities"], figures["participants"], figures["initiatives"]
        p["total"] = p["in_person"] + p["online"]
        a["not_reported"] = max(0, a["planned"] - a["held"] - a["changed"] - a["cancelled"])
        i["not_reported"] = max(0, i["planned"] - i["launched"] - i["not_launched"])
    return dict(found)


PLANNED_FIELDS = ("position", "title", "category", "start", "end", "location",
                  "province__code", "format", "url")
OUTCOME_FIELDS = ("position", "planned", "title", "category", "status", "reason", "start",
                  "end", "location", "province__code", "format", "participants_in_person",
                  "participants_online", "views", "shares", "reach_source", "evidence")
PLANNED_INITIATIVE_FIELDS = ("position", "name", "sector", "url", "launch_date")
INITIATIVE_OUTCOME_FIELDS = ("position", "planned", "name", "launched", "launch_date",
                             "reason", "usage_measure", "usage_value", "usage_date", "url")


def _renamed(row: dict) -> dict:
    if "province__code" in row:
        row["province"] = row.pop("province__code")
    return row


def _side_by_side(planned: list[dict], outcomes: list[dict]) -> list[dict]:
    """Each planned row (in plan order) with the published row that answers it (or None),
    then the added rows: {"number", "plan", "outcome"}; ``number`` is the row's number in
    the accepted plan (None for an added row)."""
    answers = {o["planned"]: o for o in outcomes if o["planned"] is not None}
    rows = [{"number": p["position"] + 1, "plan": p, "outcome": answers.pop(p["position"] + 1,
                                                                            None)}
            for p in planned]
    # An answer to a number the published plan lacks is shown as the unit said it.
    rows += [{"number": None if o["planned"] is None else o["planned"], "plan": None,
              "outcome": o}
             for o in outcomes if o["planned"] is None or o["planned"] in answers]
    return rows


def unit_plan_vs_result(campaign: Campaign, organisation: Organisation, *,
                        public: bool = True) -> dict:
    """plan_vs_result's activities, participants, initiatives and by_category for one unit,
    its results ``state`` (as result_rows says it), ``on_time`` and ``submitted_at``, and
    ``rows``: each planned activity with its outcome (None until accepted results answer it)
    then the added ones; ``initiative_rows`` the same for initiatives. Published rows only
    (accepted plan, accepted results); ``public`` applies the embargo."""
    # The unit's rows by its plan and its results (their own indexes), not by campaign.
    plan = Plan.objects.filter(campaign=campaign, organisation=organisation).values_list(
        "pk", flat=True).first()
    result = Result.objects.filter(campaign=campaign, organisation=organisation).values_list(
        "pk", flat=True).first()
    plans, results = {"plan_id": plan}, {"result_id": result}
    figures = _row_figures(campaign, public=public, plans=plans, results=results)
    state = result_rows(campaign, ids=[organisation.pk])
    row = state[0] if state else None
    planned = [_renamed(r) for r in _rows(Activity, campaign, public, plans)
               .order_by("position").values(*PLANNED_FIELDS)]
    outcomes = [_renamed(r) for r in _rows(ActivityOutcome, campaign, public, results)
                .order_by("position").values(*OUTCOME_FIELDS)]
    planned_initiatives = list(_rows(Initiative, campaign, public, plans)
                               .order_by("position").values(*PLANNED_INITIATIVE_FIELDS))
    initiative_outcomes = list(_rows(InitiativeOutcome, campaign, public, results)
                               .order_by("position").values(*INITIATIVE_OUTCOME_FIELDS))
    return {
        "organisation": {"code": organisation.code, "name": organisation.name},
        "state": row.state if row else None, "on_time": row.on_time if row else None,
        "submitted_at": row.submitted_at if row else None,
        "activities": figures["activities"], "participants": figures["participants"],
        "initiatives": figures["initiatives"], "by_category": figures["by_category"],
        "rows": _side_by_side(planned, outcomes),
        "initiative_rows": _side_by_side(planned_initiatives, initiative_outcomes),
    }


@dataclasses.dataclass
class ResultRow:
    """A recipient and its results (tracking)."""

    code: str
    name: str
    short_name: str
    kind: str
    group: str
    parent_code: str
    parent_name: str
    province_code: str  # the unit when provincial, else its provincial parent, else ""
    province_name: str
    plan_state: str  # missing, draft, submitted, returned, accepted
    state: str  # not_ready, missing, draft, submitted, returned, accepted
    submitted_at: datetime.datetime | None
    on_time: bool | None
    deadline_extension: datetime.datetime | None = None
    organisation_id: int = 0

    @property
    def late(self) -> bool:
        return self.on_time is False


def result_rows(campaign: Campaign, *, within: str = "", state: str = "",
                ids: list[int] | None = None) -> list[ResultRow]:
    """Every recipient of ``campaign`` with its results' state: ``not_ready`` while its plan
    is not accepted (and no results were sent), else ``missing`` (none yet), ``draft``,
    ``submitted``, ``returned`` or ``accepted``; first submission time and timeliness once
    sent. ``within`` (a parent's code) reads only the recipients under it, ``ids`` only
    those organisations, ``state`` keeps one state. Ordered as the plans' tracking rows
    (ministries first, then by kind group and Vietnamese name). Three queries."""
    recipients = campaign.recipients.values_list(
        "pk", "code", "name", "short_name", "kind", "parent__code", "parent__name",
        "parent__kind", named=True)
    plans_qs = Plan.objects.filter(campaign=campaign)
    results_qs = Result.objects.filter(campaign=campaign)
    if within:
        recipients = recipients.filter(parent__code=within)
        plans_qs = plans_qs.filter(organisation__parent__code=within)
        results_qs = results_qs.filter(organisation__parent__code=within)
    if ids is not None:
        recipients = recipients.filter(pk__in=ids)
        plans_qs = plans_qs.filter(organisation_id__in=ids)
        results_qs = results_qs.filter(organisation_id__in=ids)
    plans = dict(plans_qs.values_list("organisation_id", "status"))
    results = {org: rest for org, *rest in results_qs.values_list(
        "organisation_id", "status", "submitted_at", "on_time", "deadline_extension")}
    provincial = set(PROVINCIAL)
    rows = []
    for o in recipients:
        plan_state = plans.get(o.pk) or "missing"
        status, submitted_at, on_time, extension = results.get(o.pk, (None, None, None, None))
        sent = status not in (None, Result.Status.DRAFT)
        row_state = results_state(plan_state, status)
        if state and row_state != state:
            continue
        if o.kind in provincial:
            province = (o.code, o.name)
        elif o.parent__kind in provincial:
            province = (o.parent__code, o.parent__name)
        else:
            province = ("", "")
        rows.append(ResultRow(
            code=o.code, name=o.name, short_name=o.short_name or o.name, kind=o.kind,
            group=KIND_GROUPS.get(o.kind, "other"), parent_code=o.parent__code or "",
            parent_name=o.parent__name or "", province_code=province[0],
            province_name=province[1], plan_state=plan_state, state=row_state,
            submitted_at=submitted_at if sent else None, on_time=on_time if sent else None,
            deadline_extension=extension, organisation_id=o.pk))
    rows.sort(key=lambda r: (r.group != "ministries", r.group, sort_key(r.name), r.code))
    return rows


def tally(rows) -> dict:
    """How many of ``rows`` (result_rows) are in each results state, expected (all of them),
    on time and late among those submitted once, and sent (submitted, returned, accepted)."""
    counts = dict.fromkeys(RESULT_STATES, 0)
    counts.update(expected=0, on_time=0, late=0)
    for row in rows:
        counts["expected"] += 1
        counts[row.state] += 1
        if row.on_time is True:
            counts["on_time"] += 1
        elif row.on_time is False:
            counts["late"] += 1
    counts["sent"] = counts["submitted"] + counts["returned"] + counts["accepted"]
    return counts


def communications(campaign: Campaign) -> dict:
    """What accepted results say of communication (the results report's): actions by channel,
    addresses where the kit was displayed — from each accepted result's last version."""
    channels: dict[str, int] = {}
    display = 0
    seen = set()
    for result_id, data in (ResultVersion.objects
                            .filter(result__campaign=campaign, result__status="accepted")
                            .order_by("result_id", "-number").values_list("result_id", "data")
                            .iterator(chunk_size=500)):
        if result_id in seen:
            continue
        seen.add(result_id)
        for row in data.get("communications") or []:
            channels[row.get("channel") or "other"] = channels.get(
                row.get("channel") or "other", 0) + 1
        display += len(data.get("display_urls") or [])
    return {"channels": channels, "display_urls": display}


def published_units(campaign: Campaign, now=None) -> list[tuple[str, str]]:
    """(code, name) of the recipients whose accepted results the public sees (none under the
    embargo), in Vietnamese name order: the units plan_vs_result counts as results_accepted."""
    if not campaign.is_published(now):
        return []
    units = list(Result.objects.filter(campaign=campaign, status=Result.Status.ACCEPTED,
                                       organisation__in=campaign.recipients.all())
                 .order_by().values_list("organisation__code", "organisation__name"))
    order = name_order(frozenset(name for _code, name in units))
    return sorted(units, key=lambda u: (order[u[1]], u[0]))
