"""Reads of a campaign's figures: the one home of its aggregates.

The public campaign page, the API, the tracking page and its exports, and the consolidated
report all call these functions, so they cannot disagree (house rule 11). A draft is the unit's
own business: everywhere it counts as "not submitted".
"""

import dataclasses
import datetime
import functools
from collections import Counter

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.lib.text import fold, name_order
from dxday.lib.text import sort_key as _sort_key
from dxday.plans.models import Activity, Initiative, Plan, Reminder
from dxday.registry.models import Contact, Organisation

KIND_GROUPS = {
    "ministry": "ministries", "ministerial_agency": "agencies",
    "government_agency": "agencies", "province": "provinces", "city": "provinces",
    "commune": "communes", "ward": "communes", "special_zone": "communes", "other": "other",
}
GROUP_LABELS = {"ministries": _("Ministries"), "agencies": _("Agencies"),
                "provinces": _("Provinces and cities"), "communes": _("Communes"),
                "other": _("Other")}
STATES = {"missing": _("Missing"), "submitted": _("Submitted, to review"),
          "returned": _("Returned"), "accepted": _("Accepted")}
BENEFICIARIES = ("citizens", "businesses", "officials")


@functools.lru_cache(maxsize=16384)
def sort_key(value: str | None) -> tuple:
    """lib.text.sort_key, remembered: tracking sorts the same 3,377 names on every request."""
    return _sort_key(value)


def campaigns_with_counts():
    """Every campaign, newest first, with ``recipients_count`` and ``answered`` (recipients
    whose plan was submitted: a draft, or a plan of a unit no longer a recipient, is not).
    Two correlated counts, not a join of recipients and plans grouped by campaign (which
    SQLite took a minute to run on the national dataset)."""
    through = Campaign.recipients.through
    recipients = (through.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
                  .annotate(n=Count("pk")).values("n"))
    answered = (Plan.objects.filter(campaign=OuterRef("pk"))
                .exclude(status=Plan.Status.DRAFT)
                .filter(Exists(through.objects.filter(campaign=OuterRef("campaign"),
                                                      organisation=OuterRef("organisation"))))
                .order_by().values("campaign").annotate(n=Count("pk")).values("n"))
    return (Campaign.objects.select_related("organiser")
            .annotate(recipients_count=Coalesce(Subquery(recipients, output_field=IntegerField()),
                                                Value(0)),
                      answered=Coalesce(Subquery(answered, output_field=IntegerField()),
                                        Value(0)))
            .order_by("-year"))


@dataclasses.dataclass
class UnitRow:
    code: str
    name: str
    short_name: str
    kind: str
    group: str
    parent_code: str
    parent_name: str
    province_code: str  # the unit itself when provincial, else its provincial parent, else ""
    province_name: str
    state: str  # missing, submitted, returned, accepted
    submitted_at: datetime.datetime | None
    on_time: bool | None
    last_reminder: str = ""
    last_reminder_at: datetime.datetime | None = None
    focal: str = ""
    organisation_id: int = 0

    @property
    def late(self) -> bool:
        return self.on_time is False


def unit_rows(campaign: Campaign, *, group: str = "", state: str = "", parent: str = "",
              q: str = "", late: bool = False, detail: bool = True, within: str = "",
              ids: list[int] | None = None) -> list[UnitRow]:
    """Every recipient of ``campaign`` with its plan's state, filtered; ``detail`` adds the
    last reminder and the focal contact (the agency's view; the public needs neither).
    ``within`` (a parent's code) reads only the recipients under that parent, in the query
    itself: a province's round is read without its 3,000 neighbours; ``ids`` only those
    organisations (a page of unit_order)."""
    recipients = campaign.recipients.values_list(
        "pk", "code", "name", "short_name", "kind", "parent__code", "parent__name", "parent__kind",
        named=True)
    plans_qs = Plan.objects.filter(campaign=campaign)
    if within:
        recipients = recipients.filter(parent__code=within)
        plans_qs = plans_qs.filter(organisation__parent__code=within)
    if ids is not None:
        recipients = recipients.filter(pk__in=ids)
        plans_qs = plans_qs.filter(organisation_id__in=ids)
    # (status, submitted_at, on_time) by unit; tuples, not dicts: 3,000 rows per request.
    plans = {org: rest for org, *rest in plans_qs.values_list(
        "organisation_id", "status", "submitted_at", "on_time")}
    provincial = set(Organisation.PROVINCIAL_KINDS)
    needle = fold(q)
    rows = []
    for o in recipients:
        plan = plans.get(o.pk)
        status, submitted_at, on_time = plan if plan else (Plan.Status.DRAFT, None, None)
        if o.kind in provincial:
            province = (o.code, o.name)
        elif o.parent__kind in provincial:
            province = (o.parent__code, o.parent__name)
        else:
            province = ("", "")
        submitted = status != Plan.Status.DRAFT
        row = UnitRow(
            code=o.code, name=o.name, short_name=o.short_name or o.name,
            kind=o.kind, group=KIND_GROUPS[o.kind],
            parent_code=o.parent__code or "", parent_name=o.parent__name or "",
            province_code=province[0], province_name=province[1],
            state=status if submitted else "missing",
            # A returned draft was submitted once: its time and timeliness stand.
            submitted_at=submitted_at if submitted else None,
            on_time=on_time if submitted else None,
            organisation_id=o.pk,
        )
        if ((group and row.group != group) or (state and row.state != state)
                or (parent and row.parent_code != parent) or (late and not row.late)
                or (needle and needle not in fold(f"{o.code} {o.name}"))):
            continue
        rows.append(row)
    order = name_order(frozenset(r.name for r in rows))
    rows.sort(key=lambda r: (r.group != "ministries", r.group, order[r.name]))
    if detail:
        unit_details(campaign, rows, within=within)
    return rows


def unit_order(campaign: Campaign) -> list[int]:
    """Every recipient's id in the order of unit_rows (ministries first, then by kind group
    and Vietnamese name; equal names by code): a page of the table is then read alone, with
    unit_rows(ids=...)."""
    units = list(campaign.recipients.values_list("pk", "name", "kind"))
    order = name_order(frozenset(name for _pk, name, _kind in units))
    units.sort(key=lambda u: (KIND_GROUPS[u[2]] != "ministries", KIND_GROUPS[u[2]], order[u[1]]))
    return [pk for pk, _name, _kind in units]


def unit_details(campaign: Campaign, rows: list[UnitRow], *, within: str = "") -> None:
    """Add the last reminder and the focal contact to ``rows`` (the agency's view): a page of
    the tracking table needs them for its 100 rows, an export for all. Three queries."""
    # The plans' reminders: results reminders ("results-…") belong to the results tracking.
    reminders_qs = Reminder.objects.filter(campaign=campaign).exclude(kind__startswith="results-")
    contacts = Contact.objects.filter(organisation__campaigns=campaign, is_focal=True)
    plans_qs = Plan.objects.filter(campaign=campaign)
    if len(rows) <= 1000:  # a page: its units only
        ids = [r.organisation_id for r in rows]
        reminders_qs = reminders_qs.filter(organisation_id__in=ids)
        contacts = contacts.filter(organisation_id__in=ids)
        plans_qs = plans_qs.filter(organisation_id__in=ids)
    elif within:
        reminders_qs = reminders_qs.filter(organisation__parent__code=within)
        contacts = contacts.filter(organisation__parent__code=within)
        plans_qs = plans_qs.filter(organisation__parent__code=within)
    reminders: dict[int, tuple] = {}
    focal: dict[int, str] = {}
    for org_id, kind, sent in reminders_qs.order_by("sent_at").values_list(
            "organisation_id", "kind", "sent_at"):
        reminders[org_id] = (kind, sent)
    for org_id, name, phone, email in contacts.order_by("pk").values_list(
            "organisation_id", "name", "phone", "email"):
        focal.setdefault(org_id, " ".join(v for v in (name, phone, email) if v))
    # Else the contact the unit gave in its plan (only that key of the draft is read, and only
    # for the units without a focal contact: drafts are large to read).
    has_focal = Contact.objects.filter(organisation_id=OuterRef("organisation_id"),
                                       is_focal=True)
    for org_id, contact in (plans_qs.filter(~Exists(has_focal))
                            .values_list("organisation_id", "draft__contact")):
        if org_id not in focal and isinstance(contact, dict):
            text = " ".join(str(contact.get(k) or "").strip()
                            for k in ("name", "phone", "email")).strip()
            if text:
                focal[org_id] = " ".join(text.split())
    for row in rows:
        row.last_reminder, row.last_reminder_at = reminders.get(row.organisation_id, ("", None))
        row.focal = focal.get(row.organisation_id, "")


@dataclasses.dataclass
class Counts:
    label: str
    key: str = ""
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0
    accepted: int = 0

    def add(self, row: UnitRow) -> None:
        self.add_many(row.state, row.on_time, 1)

    def add_many(self, state: str, on_time: bool | None, n: int) -> None:
        """``n`` units in ``state`` with this timeliness (the rows are tallied first: 3,377
        rows fall into a few hundred kinds, see _tally)."""
        self.expected += n
        if state == "missing":
            self.missing += n
        else:
            self.submitted += n
        if on_time is True:
            self.on_time += n
        elif on_time is False:
            self.late += n
        if state == "returned":
            self.returned += n
        elif state == "accepted":
            self.accepted += n

    @property
    def on_time_rate(self) -> float:
        return round(100 * self.on_time / self.expected, 1) if self.expected else 0.0

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "label": str(self.label)}


def summarise(rows: list[UnitRow]) -> dict:
    """Totals, by kind group, by parent (when the units have parents) and by province (a
    provincial unit counts for itself, a commune for its province; ministries for none)."""
    # Rows tallied by everything the groupings read, then each kind of row counted once.
    return _summary_of(Counter((r.group, r.parent_code, r.parent_name, r.province_code,
                                r.province_name, r.state, r.on_time) for r in rows))


def _summary_of(tally: Counter) -> dict:
    """summarise of a tally: (group, parent's code and name, province's code and name, state,
    on time) → number of units."""
    total = Counts(str(_("All units")))
    by_group: dict[str, Counts] = {}
    by_parent: dict[str, Counts] = {}
    by_province: dict[str, Counts] = {}
    for (group, parent, parent_name, province, province_name, state, on_time), n in (
            tally.items()):
        total.add_many(state, on_time, n)
        if group not in by_group:
            by_group[group] = Counts(str(GROUP_LABELS[group]), group)
        by_group[group].add_many(state, on_time, n)
        if parent:
            if parent not in by_parent:
                by_parent[parent] = Counts(parent_name, parent)
            by_parent[parent].add_many(state, on_time, n)
        if province:
            if province not in by_province:
                by_province[province] = Counts(province_name, province)
            by_province[province].add_many(state, on_time, n)
    order = list(GROUP_LABELS)
    return {"total": total,
            "groups": sorted(by_group.values(), key=lambda c: order.index(c.key)),
            "parents": sorted(by_parent.values(), key=lambda c: sort_key(c.label)),
            "provinces": sorted(by_province.values(), key=lambda c: sort_key(c.label))}


LEVEL_FIGURES = ("expected", "submitted", "on_time", "late", "missing", "accepted")
COMMUNE_KINDS = set(Organisation.COMMUNE_KINDS)


def _figures(counts: Counts) -> dict:
    return {name: getattr(counts, name) for name in LEVEL_FIGURES}


def level_counts(campaign: Campaign, parent: Organisation | None = None) -> dict:
    """The tracking figures of a level, for the API and the tracking page alike: the units
    under ``parent`` (every recipient when None) and one entry per child — with no parent,
    one per top-level unit (a commune counts in its province's entry), under a province one
    per commune. The same public rows as the campaign page (a draft is "not submitted")."""
    if parent is None:  # every recipient: counted in the database, no row built
        return national_tallies(campaign)[1]
    rows = unit_rows(campaign, detail=False, within=parent.code)
    return level_table(rows, top=False)


def level_table(rows: list[UnitRow], *, top: bool) -> dict:
    """level_counts of rows already read: ``top`` groups communes into their province."""
    tally = Counter()  # (child's code, name, kind, a commune counted in?, state, on time)
    for row in rows:
        if top and row.kind in COMMUNE_KINDS and row.province_code:
            tally[row.province_code, row.province_name, "", True, row.state, row.on_time] += 1
        else:
            tally[row.code, row.name, row.kind, False, row.state, row.on_time] += 1
    return _level_of(tally)


def national_tallies(campaign: Campaign) -> tuple[dict, dict]:
    """summarise and level_table(top=True) of every recipient of ``campaign``, counted in the
    database: one grouped query (recipients left-joined to their plan of the campaign, grouped
    by top-level unit — a commune of a province is counted in its province —, kind, parent,
    plan status and timeliness: a few hundred groups for 3,377 units) and one for the names.
    The same figures as from the rows (a draft or no plan is "missing", neither on time nor
    late; a returned plan counts as submitted with its stored timeliness)."""
    provincial = list(Organisation.PROVINCIAL_KINDS)
    groups = list(
        campaign.recipients.annotate(
            plan=FilteredRelation("plans", condition=Q(plans__campaign=campaign)),
            top=Case(When(kind__in=Organisation.COMMUNE_KINDS, parent__kind__in=provincial,
                          then=F("parent_id")), default=F("pk")))
        .order_by()
        .values_list("top", "kind", "parent_id", "parent__kind", "plan__status",
                     "plan__on_time")
        .annotate(n=Count("pk")))
    ids = {g[0] for g in groups} | {g[2] for g in groups if g[2] is not None}
    orgs = {pk: (code, name, kind) for pk, code, name, kind in Organisation.objects.filter(
        pk__in=ids).values_list("pk", "code", "name", "kind")}
    summary_tally, level_tally = Counter(), Counter()
    for top, kind, parent_id, parent_kind, status, on_time, n in groups:
        submitted = status is not None and status != Plan.Status.DRAFT
        state = status if submitted else "missing"
        on_time = on_time if submitted else None
        parent_code, parent_name, _kind = orgs.get(parent_id, ("", "", ""))
        code, name, top_kind = orgs[top]
        if kind in provincial:
            province = (code, name)  # the unit itself (its own top)
        elif parent_kind in provincial:
            province = (parent_code, parent_name)
        else:
            province = ("", "")
        summary_tally[KIND_GROUPS[kind], parent_code, parent_name, *province, state,
                      on_time] += n
        if kind in COMMUNE_KINDS and province[0]:
            level_tally[code, name, top_kind, True, state, on_time] += n
        else:
            level_tally[code, name, top_kind, False, state, on_time] += n
    return _summary_of(summary_tally), _level_of(level_tally)


def _level_of(tally: Counter) -> dict:
    """level_table of a tally: (child's code, name, kind, a commune counted in?, state,
    on time) → number of units."""
    total = Counts("")
    children: dict[str, dict] = {}
    for (key, name, kind, commune, state, on_time), n in tally.items():
        total.add_many(state, on_time, n)
        entry = children.get(key)
        if entry is None:
            entry = children[key] = {"code": key, "name": name, "kind": kind,
                                     "counts": Counts(name, key), "units": 0}
        if kind:
            entry["kind"] = kind
        entry["counts"].add_many(state, on_time, n)
        entry["units"] += n if commune else 0
    # A province none of whose rows is its own (it is not a recipient): its kind, one query.
    unknown = [code for code, entry in children.items() if not entry["kind"]]
    if unknown:
        for code, kind in Organisation.objects.filter(code__in=unknown).values_list(
                "code", "kind"):
            children[code]["kind"] = kind
    return {**_figures(total), "returned": total.returned, "children": [
        {"code": e["code"], "name": e["name"], "kind": e["kind"], **_figures(e["counts"]),
         "returned": e["counts"].returned, "communes": e["units"]}
        for e in sorted(children.values(), key=lambda e: (
            KIND_ORDER.get(e["kind"], 9), sort_key(e["name"]), e["code"]))]}


KIND_ORDER = {"ministry": 0, "ministerial_agency": 1, "government_agency": 1, "province": 2,
              "city": 2, "commune": 3, "ward": 3, "special_zone": 3, "other": 4}


def commune_rollup(campaign: Campaign, province: Organisation, *, now: datetime.datetime
                   ) -> dict:
    """What a province reports upward with its own plan: its communes' figures as of ``now``
    (sent, on time, late, missing, returned, accepted) and the activities and digital
    initiatives of their accepted plans. Computed from the rows, never typed."""
    counts = level_counts(campaign, province)  # the communes: the rows under the province
    under = {"campaign": campaign, "organisation__parent": province,
             "organisation__kind__in": Organisation.COMMUNE_KINDS,
             "organisation__campaigns": campaign}
    return {**{k: counts[k] for k in (*LEVEL_FIGURES, "returned")},
            "activities": Activity.objects.filter(**under).count(),
            "initiatives": Initiative.objects.filter(**under).count(),
            "as_of": timezone.localtime(now).isoformat()}


def published_activities(campaign: Campaign):
    """The campaign's published activities (accepted plans, past any embargo)."""
    return Activity.objects.public().filter(campaign=campaign)


def published_initiatives(campaign: Campaign):
    return Initiative.objects.public().filter(campaign=campaign)


@dataclasses.dataclass
class ActivityCounts:
    total: int
    by_category: Counter
    by_format: Counter
    by_province: Counter  # province code ("" when none was given) → count
    province_names: dict


def activity_counts(campaign: Campaign) -> ActivityCounts:
    """Published activities by category, by format and by province, from one grouped query."""
    by_category, by_format, by_province = Counter(), Counter(), Counter()
    names = {}
    # .order_by() clears the model's ordering: otherwise (start, pk) joins the GROUP BY.
    by_province_id = Counter()
    for category, fmt, province, n in (
            published_activities(campaign).order_by()
            .values_list("category", "format", "province_id").annotate(n=Count("pk"))):
        by_category[category] += n
        by_format[fmt] += n
        by_province_id[province] += n
    for pk, code, name in Organisation.objects.filter(
            pk__in=[pk for pk in by_province_id if pk is not None]).values_list(
                "pk", "code", "name"):
        by_province[code] += by_province_id[pk]
        names[code] = name
    if by_province_id[None]:
        by_province[""] = by_province_id[None]
    return ActivityCounts(sum(by_category.values()), by_category, by_format, by_province, names)


@dataclasses.dataclass
class InitiativeCounts:
    total: int
    by_beneficiary: Counter
    by_sector: Counter  # sector ("" when none) → count; spellings folded together


def initiative_counts(campaign: Campaign) -> InitiativeCounts:
    """Published initiatives by beneficiary (one initiative may serve several) and by sector
    (spellings that fold alike — "Y tế", "y tế", "Y Tế" — are one sector, named by its most
    common spelling), from one grouped query."""
    by_beneficiary, spellings = Counter(), Counter()
    total = 0
    for citizens, businesses, officials, sector, n in (
            published_initiatives(campaign).order_by()
            .values_list("for_citizens", "for_businesses", "for_officials", "sector")
            .annotate(n=Count("pk"))):
        total += n
        for code, flag in zip(BENEFICIARIES, (citizens, businesses, officials), strict=True):
            if flag:
                by_beneficiary[code] += n
        spellings[sector.strip()] += n
    by_sector, names = Counter(), {}
    for spelling, n in sorted(spellings.items(), key=lambda item: (-item[1], item[0])):
        key = fold(spelling)
        names.setdefault(key, spelling)  # the most common spelling comes first
        by_sector[names[key]] += n
    return InitiativeCounts(total, by_beneficiary, by_sector)


def initiatives_by_unit(campaign: Campaign) -> Counter:
    """Published initiatives by responsible unit: (its code, its parent's code or "") → n."""
    return Counter({(org, parent or ""): n for org, parent, n in (
        published_initiatives(campaign).order_by()
        .values_list("organisation__code", "organisation__parent__code")
        .annotate(n=Count("pk")))})
