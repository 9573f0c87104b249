"""The results document's vocabulary, declared once (decision 0019), in the plan schema's
terms (dxday.plans.schema.Field/Section): what a unit reports after the October window.

A row that answers an activity or initiative of the accepted plan names it by its number
there ("planned": 1 for the plan's first activity); a row without it was not planned
("added"). Rows are never matched to the plan by their title.
"""

from django.utils.translation import gettext_lazy as _

from dxday.plans.schema import (
    CATEGORY,
    CHANNEL,
    DISPLAY_KIND,
    FORMAT,
    SHORT,
    URL,
    Field,
    Section,
)

ACTIVITY_STATUS = {"held": _("Held as planned"), "changed": _("Held, changed"),
                   "not_held": _("Not held")}
LAUNCHED = {"yes": _("Launched"), "no": _("Not launched")}
USAGE_MEASURE = {"users": _("Users"), "transactions": _("Transactions"),
                 "downloads": _("Downloads"), "visits": _("Visits"),
                 "records": _("Records processed"), "other": _("Other")}

PLANNED = Field("planned", "count", _("Number in the accepted plan"), "Số thứ tự trong kế hoạch")
SECTIONS = (
    Section("activities", _("Activities held"), _("Activity"), "Hoạt động", (
        PLANNED,
        Field("title", SHORT, _("Title"), "Tên", True),
        Field("category", CATEGORY, _("Category"), "Loại hình", True),
        Field("status", ACTIVITY_STATUS, _("What happened"), "Kết quả", True),
        Field("reason", SHORT, _("Reason or change"), "Lý do, nội dung thay đổi"),
        Field("start", "date", _("Actual date"), "Ngày tổ chức"),
        Field("end", "date", _("End"), "Kết thúc"),
        Field("location", SHORT, _("Location"), "Địa điểm"),
        Field("province", "province", _("Province"), "Tỉnh, thành phố"),
        Field("format", FORMAT, _("Format"), "Hình thức"),
        Field("participants_in_person", "count", _("Participants in person"),
              "Số người tham dự trực tiếp"),
        Field("participants_online", "count", _("Participants online"),
              "Số người tham dự trực tuyến"),
        Field("views", "count", _("Views"), "Lượt xem"),
        Field("shares", "count", _("Shares"), "Lượt chia sẻ"),
        Field("reach_source", SHORT, _("Source of the reach figures"), "Nguồn số liệu"),
        Field("evidence", "urls", _("Evidence (links)"), "Minh chứng (liên kết)"),
    )),
    Section("initiatives", _("Digital initiatives"), _("Initiative"), "Sáng kiến số", (
        PLANNED,
        Field("name", SHORT, _("Name"), "Tên", True),
        Field("launched", LAUNCHED, _("Launched"), "Đã triển khai", True),
        Field("launch_date", "date", _("Launch date"), "Ngày ra mắt"),
        Field("reason", SHORT, _("Reason if not launched"), "Lý do chưa triển khai"),
        Field("usage_measure", USAGE_MEASURE, _("Usage measure"), "Chỉ số sử dụng"),
        Field("usage_value", "count", _("Usage figure"), "Số liệu sử dụng"),
        Field("usage_date", "date", _("Figure as of"), "Số liệu tính đến ngày"),
        Field("url", "url", URL, "Liên kết (URL)"),
    )),
    Section("communications", _("Communication"), _("Communication action"), "Truyền thông", (
        Field("title", SHORT, _("Title"), "Tên", True),
        Field("channel", CHANNEL, _("Channel"), "Kênh", True),
        Field("url", "url", URL, "Liên kết (URL)"),
        Field("date", "date", _("Date"), "Ngày"),
    )),
    Section("display_urls", _("Where the identity kit was displayed"), _("Display address"),
            "Nơi hiển thị", (
                Field("url", "url", URL, "Liên kết (URL)", True),
                Field("kind", DISPLAY_KIND, _("Kind"), "Loại", True))),
)
SECTION = {s.name: s for s in SECTIONS}
CHOICES = {f.name: f.rule for s in SECTIONS for f in s.fields if isinstance(f.rule, dict)}


def empty_results() -> dict:
    return {"summary": "", "contact": {"name": "", "position": "", "phone": "", "email": ""},
            "activities": [], "initiatives": [], "communications": [], "display_urls": []}
