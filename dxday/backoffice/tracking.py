"""Tracking a campaign: who is expected, who submitted, on time or late, who is missing.

:func:`unit_rows` is the one row generator behind the tracking page and its CSV and XLSX
exports; :func:`summarise` counts its rows by kind and by parent.
"""

import dataclasses
import datetime

from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.lib.text import fold, sort_key
from dxday.plans.models import Plan, Reminder
from dxday.registry.models import Contact

KIND_GROUPS = {
    "ministry": "ministries", "ministerial_agency": "agencies",
    "government_agency": "agencies", "province": "provinces", "city": "provinces",
    "commune": "communes", "other": "other",
}
GROUP_LABELS = {"ministries": _("Ministries"), "agencies": _("Agencies"),
                "provinces": _("Provinces and cities"), "communes": _("Communes"),
                "other": _("Other")}
STATES = {"missing": _("Missing"), "submitted": _("Submitted, to review"),
          "returned": _("Returned"), "accepted": _("Accepted")}


@dataclasses.dataclass
class UnitRow:
    code: str
    name: str
    kind: str
    group: str
    parent_code: str
    parent_name: str
    state: str  # missing, submitted, returned, accepted
    submitted_at: datetime.datetime | None
    on_time: bool | None
    last_reminder: str
    last_reminder_at: datetime.datetime | None
    focal: str

    @property
    def late(self) -> bool:
        return self.on_time is False


def unit_rows(campaign: Campaign, *, group: str = "", state: str = "", parent: str = "",
              q: str = "", late: bool = False) -> list[UnitRow]:
    recipients = list(campaign.recipients.values(
        "pk", "code", "name", "short_name", "kind", "parent__code", "parent__name"))
    plans = {p["organisation_id"]: p for p in Plan.objects.filter(campaign=campaign).values(
        "organisation_id", "status", "submitted_at", "on_time")}
    reminders: dict[int, tuple] = {}
    for org_id, kind, sent in (Reminder.objects.filter(campaign=campaign)
                               .order_by("sent_at").values_list("organisation_id", "kind",
                                                                "sent_at")):
        reminders[org_id] = (kind, sent)
    focal: dict[int, str] = {}
    for org_id, name, phone, email in (Contact.objects.filter(
            organisation__campaigns=campaign, is_focal=True)
            .values_list("organisation_id", "name", "phone", "email")):
        focal.setdefault(org_id, " ".join(v for v in (name, phone, email) if v))
    needle = fold(q)
    rows = []
    for o in recipients:
        plan = plans.get(o["pk"])
        status = plan["status"] if plan else "draft"
        row = UnitRow(
            code=o["code"], name=o["name"], kind=o["kind"], group=KIND_GROUPS[o["kind"]],
            parent_code=o["parent__code"] or "", parent_name=o["parent__name"] or "",
            state="missing" if status == Plan.Status.DRAFT else status,
            submitted_at=plan["submitted_at"] if plan else None,
            on_time=plan["on_time"] if plan else None,
            last_reminder=reminders.get(o["pk"], ("", None))[0],
            last_reminder_at=reminders.get(o["pk"], ("", None))[1],
            focal=focal.get(o["pk"], ""),
        )
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


def summarise(rows: list[UnitRow]) -> dict:
    """Totals, by kind group, and by parent (when the units have parents)."""
    total = Counts(str(_("All units")))
    by_group: dict[str, Counts] = {}
    by_parent: dict[str, Counts] = {}
    for row in rows:
        total.add(row)
        if row.group not in by_group:
            by_group[row.group] = Counts(str(GROUP_LABELS[row.group]), row.group)
        by_group[row.group].add(row)
        if row.parent_code:
            if row.parent_code not in by_parent:
                by_parent[row.parent_code] = Counts(row.parent_name, row.parent_code)
            by_parent[row.parent_code].add(row)
    order = list(GROUP_LABELS)
    return {"total": total,
            "groups": sorted(by_group.values(), key=lambda c: order.index(c.key)),
            "parents": sorted(by_parent.values(), key=lambda c: sort_key(c.label))}


EXPORT_HEADERS = [_("Code"), _("Unit"), _("Kind"), _("Parent"), _("State"), _("Submitted at"),
                  _("On time"), _("Last reminder"), _("Reminder sent at"), _("Focal contact")]


def export_rows(rows: list[UnitRow]):
    from django.utils import timezone

    from dxday.registry.models import Organisation

    for r in rows:
        yield [r.code, r.name, str(Organisation.Kind(r.kind).label), r.parent_name,
               str(STATES[r.state]),
               timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M")
               if r.submitted_at else "",
               "" if r.on_time is None else (str(_("yes")) if r.on_time else str(_("no"))),
               r.last_reminder,
               timezone.localtime(r.last_reminder_at).strftime("%Y-%m-%d %H:%M")
               if r.last_reminder_at else "",
               r.focal]
