"""The tracking export: one row per recipient, from :func:`dxday.plans.selectors.unit_rows`
(the same rows as the tracking page and the report's Phụ lục I)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.lib.tables import Column, Table
from dxday.plans.selectors import STATES, UnitRow
from dxday.registry.models import Organisation

COLUMNS = [Column(name, title=title) for name, title in (
    ("code", _("Code")), ("unit", _("Unit")), ("kind", _("Kind")), ("parent", _("Parent")),
    ("state", _("State")), ("submitted_at", _("Submitted at")), ("on_time", _("On time")),
    ("last_reminder", _("Last reminder")), ("reminder_sent_at", _("Reminder sent at")),
    ("focal", _("Focal contact")))]


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def tracking_table(rows: list[UnitRow], *, title: str) -> Table:
    return Table(title, COLUMNS, ([
        r.code, r.name, str(Organisation.Kind(r.kind).label), r.parent_name, str(STATES[r.state]),
        _moment(r.submitted_at),
        "" if r.on_time is None else (str(_("yes")) if r.on_time else str(_("no"))),
        r.last_reminder, _moment(r.last_reminder_at), r.focal] for r in rows), header="title")
