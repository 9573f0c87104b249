"""Moments as people read them, in Vietnam's time whatever the server's: "14 giờ 30 phút,
03/12/2026", and deadlines as "trước 00:00 ngày 15/09/2027 (giờ Việt Nam)"."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils.translation import gettext as _

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def moment_text(moment: datetime.datetime | None) -> str:
    """A time of day and its date in Asia/Ho_Chi_Minh (house rule 15), "" for none."""
    if moment is None:
        return ""
    local = moment.astimezone(TZ)
    return _("%(hour)d:%(minute)02d, %(date)s") % {
        "hour": local.hour, "minute": local.minute, "date": f"{local:%d/%m/%Y}"}


def deadline_text(moment: datetime.datetime | None) -> str:
    """A deadline: "before 00:00 on 15/09/2027 (Vietnam time)" in the active language."""
    if moment is None:
        return ""
    local = moment.astimezone(TZ)
    return _("before %(time)s on %(date)s (Vietnam time)") % {
        "time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}
