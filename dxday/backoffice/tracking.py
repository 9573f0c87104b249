"""The tracking exports: one row per recipient, from :func:`dxday.plans.selectors.unit_rows`
(the same rows as the tracking page and the report's Phụ lục I)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.plans.selectors import STATES, UnitRow
from dxday.registry.models import Organisation

EXPORT_HEADERS = [_("Code"), _("Unit"), _("Kind"), _("Parent"), _("State"), _("Submitted at"),
                  _("On time"), _("Last reminder"), _("Reminder sent at"), _("Focal contact")]


def export_rows(rows: list[UnitRow]):
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
