"""Reads of a campaign's figures: the one home of its aggregates.

The public campaign page, the API, the tracking page and its exports, and the consolidated
report all call these functions, so they cannot disagree (house rule 11). A draft is the unit's
own business: everywhere it counts as "not submitted".
"""

import dataclasses
import datetime
from collections import Counter

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.lib.text import fold, sort_key
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

    @property
    def late(self) -> bool:
        return self.on_time is False


def unit_rows(campaign: Campaign, *, group: str = "", state: str = "", parent: str = "",
              q: str = "", late: bool = False, detail: bool = True) -> list[UnitRow]:
    """Every recipient of ``campaign`` with its plan's state, filtered; ``detail`` adds the
    last reminder and the focal contact (the agency's view; the public needs neither)."""
    recipients = campaign.recipients.values(
        "pk", "code", "name", "short_name", "kind", "parent__code", "parent__name", "parent__kind")
    plans = {p["organisation_id"]: p for p in Plan.objects.filter(campaign=campaign).values(
        "organisation_id", "status", "submitted_at", "on_time")}
    reminders: dict[int, tuple] = {}
    focal: dict[int, str] = {}
    if detail:
        for org_id, kind, sent in (Reminder.objects.filter(campaign=campaign)
                                   .order_by("sent_at").values_list("organisation_id", "kind",
                                                                    "sent_at")):
            reminders[org_id] = (kind, sent)
        for org_id, name, phone, email in (Contact.objects.filter(
                organisation__campaigns=campaign, is_focal=True).order_by("pk")
                .values_list("organisation_id", "name", "phone", "email")):
            focal.setdefault(org_id, " ".join(v for v in (name, phone, email) if v))
        # Else the contact the unit gave in its plan (only that key of the draft is read).
        for org_id, contact in (Plan.objects.filter(campaign=campaign)
                                .values_list("organisation_id", "draft__contact")):
            if org_id not in focal and isinstance(contact, dict):
                text = " ".join(str(contact.get(k) or "").strip()
                                for k in ("name", "phone", "email")).strip()
                if text:
                    focal[org_id] = " ".join(text.split())
    provincial = set(Organisation.PROVINCIAL_KINDS)
    needle = fold(q)
    rows = []
    for o in recipients:
        plan = plans.get(o["pk"])
        status = plan["status"] if plan else Plan.Status.DRAFT
        if o["kind"] in provincial:
            province = (o["code"], o["name"])
        elif o["parent__kind"] in provincial:
            province = (o["parent__code"], o["parent__name"])
        else:
            province = ("", "")
        submitted = status != Plan.Status.DRAFT
        row = UnitRow(
            code=o["code"], name=o["name"], short_name=o["short_name"] or o["name"],
            kind=o["kind"], group=KIND_GROUPS[o["kind"]],
            parent_code=o["parent__code"] or "", parent_name=o["parent__name"] or "",
            province_code=province[0], province_name=province[1],
            state=status if submitted else "missing",
            # A returned draft was submitted once: its time and timeliness stand.
            submitted_at=plan["submitted_at"] if plan else None,
            on_time=plan["on_time"] if plan else None,
            last_reminder=reminders.get(o["pk"], ("", None))[0],
            last_reminder_at=reminders.get(o["pk"], ("", None))[1],
            focal=focal.get(o["pk"], ""),
        )
        if not submitted:
            row.submitted_at, row.on_time = None, None
        if ((group and row.group != group) or (state and row.state != state)
                or (parent and row.parent_code != parent) or (late and not row.late)
                or (needle and needle not in fold(f"{o['code']} {o['name']}"))):
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r.group != "ministries", r.group, sort_key(r.name)))
    return rows


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
        self.expected += 1
        if row.state == "missing":
            self.missing += 1
        else:
            self.submitted += 1
        self.on_time += row.on_time is True
        self.late += row.on_time is False
        self.returned += row.state == "returned"
        self.accepted += row.state == "accepted"

    @property
    def on_time_rate(self) -> float:
        return round(100 * self.on_time / self.expected, 1) if self.expected else 0.0

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "label": str(self.label)}


def summarise(rows: list[UnitRow]) -> dict:
    """Totals, by kind group, by parent (when the units have parents) and by province (a
    provincial unit counts for itself, a commune for its province; ministries for none)."""
    total = Counts(str(_("All units")))
    by_group: dict[str, Counts] = {}
    by_parent: dict[str, Counts] = {}
    by_province: dict[str, Counts] = {}
    for row in rows:
        total.add(row)
        if row.group not in by_group:
            by_group[row.group] = Counts(str(GROUP_LABELS[row.group]), row.group)
        by_group[row.group].add(row)
        if row.parent_code:
            if row.parent_code not in by_parent:
                by_parent[row.parent_code] = Counts(row.parent_name, row.parent_code)
            by_parent[row.parent_code].add(row)
        if row.province_code:
            if row.province_code not in by_province:
                by_province[row.province_code] = Counts(row.province_name, row.province_code)
            by_province[row.province_code].add(row)
    order = list(GROUP_LABELS)
    return {"total": total,
            "groups": sorted(by_group.values(), key=lambda c: order.index(c.key)),
            "parents": sorted(by_parent.values(), key=lambda c: sort_key(c.label)),
            "provinces": sorted(by_province.values(), key=lambda c: sort_key(c.label))}


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
