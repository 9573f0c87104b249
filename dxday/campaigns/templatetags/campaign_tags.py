"""How a deadline is told: “trước 00:00 ngày 15/09/2027 (giờ Việt Nam)”."""

from django import template
from django.utils.translation import gettext as _

from dxday.lib.dates import TZ, deadline_text

register = template.Library()


@register.filter
def deadline_phrase(moment) -> str:
    """A deadline as users read it, in Vietnam's time whatever the server's."""
    return deadline_text(moment) if moment else "—"


@register.filter
def local_date(moment) -> str:
    """The calendar day a moment falls on in Vietnam, dd/mm/yyyy."""
    if not moment:
        return ""
    return f"{moment.astimezone(TZ):%d/%m/%Y}"


@register.filter
def validity(organisation) -> str:
    """When a body existed: “from 01/07/2025”, “until 30/06/2025”, or nothing."""
    start, end = organisation.valid_from, organisation.valid_to
    if start and end:
        return _("%(start)s – %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    if start:
        return _("from %(start)s") % {"start": f"{start:%d/%m/%Y}"}
    if end:
        return _("until %(end)s") % {"end": f"{end:%d/%m/%Y}"}
    return ""
