"""The plan's vocabulary, declared once (decision 0014).

Every field of the canonical plan document with its rule, its label, its column in the
workbook and in the open data, whether a submitted plan needs it; every choice with its label
(English msgid, Vietnamese in the catalogue). The validator, the web form, the workbooks, the
API's JSON Schema and filters, the data package, the labels and the publication of a plan are
derived from here: adding a category is one line in CATEGORY.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from dxday.lib.tables import Column

SHORT, LONG = 500, 10_000
MAX_ROWS = 500

CATEGORY = {
    "conference": _("Conference, seminar"), "exhibition": _("Exhibition"),
    "communication": _("Communication campaign"), "launch": _("Launch of a service"),
    "digital_skills": _("Digital skills training"),
    "digital_consumption": _("Digital consumption, e-commerce"),
    "emulation": _("Emulation movement"), "other": _("Other"),
}
FORMAT = {"in_person": _("In person"), "online": _("Online"), "hybrid": _("Hybrid")}
BENEFICIARY = {"citizens": _("Citizens"), "businesses": _("Businesses"),
               "officials": _("Officials")}
CHANNEL = {"press": _("Press"), "tv": _("Television"), "radio": _("Radio"),
           "social": _("Social networks"), "sms": _("SMS"), "billboard": _("Billboard"),
           "other": _("Other")}
DISPLAY_KIND = {"portal": _("Portal"), "e_newspaper": _("E-newspaper"), "app": _("App"),
                "other": _("Other")}


@dataclasses.dataclass(frozen=True)
class Field:
    """A field of the plan document. ``rule``: a maximum length, "date", "url", "email",
    "province", or its choices (code → label; BENEFICIARY is a set of them)."""

    name: str
    rule: int | str | dict
    label: str
    excel: str = ""  # the header of its column (or row) in the workbooks
    required: bool = False  # to submit
    open_data: tuple[Column, ...] = ()  # its columns in the open data, once published
    published: bool = True  # copied to the published tables when the plan is accepted


def _od(name, title, description, title_vi, description_vi, rule=None) -> tuple[Column]:
    kind = "date" if rule == "date" else "string"
    return (Column(name, kind, title, description, title_vi, description_vi,
                   rule if isinstance(rule, dict) else None),)


@dataclasses.dataclass(frozen=True)
class Section:
    name: str
    label: str
    row_label: str
    sheet: str  # its sheet in the workbooks
    fields: tuple[Field, ...]


SUMMARY = Field("summary", LONG, _("Summary"), "Tóm tắt kế hoạch")
CONTACT = (Field("name", SHORT, _("Name"), "Người liên hệ"),
           Field("position", SHORT, _("Position"), "Chức vụ"),
           Field("phone", 32, _("Phone"), "Điện thoại"),
           Field("email", "email", _("Email"), "Thư điện tử"))
URL = _("Link (URL)")
# A row copied from an earlier plan says where it came from (decision 0018): the origin's name
# and campaign year, "Tỉnh Quảng Nam (2024)"; empty for a row typed this year. The unit may
# edit or remove the row; the mark stays in the draft and the versions, it is not published.
CARRIED_OVER = Field("carried_over", SHORT, _("Carried over from last year"),
                     "Chuyển từ năm trước", published=False)
SECTIONS = (
    Section("activities", _("Activities"), _("Activity"), "Hoạt động", (
        Field("title", SHORT, _("Title"), "Tên", True, _od(
            "title", "Title", "Name of the activity.", "Tên hoạt động", "Tên của hoạt động.")),
        Field("category", CATEGORY, _("Category"), "Loại hình", True, _od(
            "category", "Category", "", "Loại hoạt động", "", CATEGORY)),
        Field("start", "date", _("Start"), "Bắt đầu", True, _od(
            "start", "Start", "First day (ISO 8601).", "Ngày bắt đầu",
            "Ngày đầu tiên (ISO 8601).", "date")),
        Field("end", "date", _("End"), "Kết thúc", False, _od(
            "end", "End", "Last day (ISO 8601).", "Ngày kết thúc",
            "Ngày cuối cùng (ISO 8601).", "date")),
        Field("location", SHORT, _("Location"), "Địa điểm", False, _od(
            "location", "Location", "Where it takes place.", "Địa điểm", "Nơi tổ chức.")),
        Field("province", "province", _("Province"), "Tỉnh, thành phố", False, _od(
            "province_code", "Province code", "Code of the province it takes place in.",
            "Mã tỉnh, thành phố", "Mã của tỉnh, thành phố nơi tổ chức.") + _od(
            "province", "Province", "Name of the province it takes place in.",
            "Tỉnh, thành phố", "Tên tỉnh, thành phố nơi tổ chức.")),
        Field("format", FORMAT, _("Format"), "Hình thức", True, _od(
            "format", "Format", "", "Hình thức", "", FORMAT)),
        Field("audience", SHORT, _("Audience"), "Đối tượng", False, _od(
            "audience", "Audience", "Who it is for.", "Đối tượng tham gia",
            "Hoạt động dành cho ai.")),
        Field("description", LONG, _("Description"), "Mô tả", False, _od(
            "description", "Description", "What happens.", "Mô tả",
            "Nội dung của hoạt động.")),
        Field("url", "url", URL, "Liên kết (URL)", False, _od(
            "url", "URL", "Web page of the activity, given by the unit.", "Đường dẫn",
            "Trang web của hoạt động do đơn vị cung cấp.")),
        CARRIED_OVER,
    )),
    Section("initiatives", _("Digital initiatives"), _("Initiative"), "Sáng kiến số", (
        Field("name", SHORT, _("Name"), "Tên", True, _od(
            "name", "Name", "Name of the digital initiative (sáng kiến số).",
            "Tên sáng kiến", "Tên của sáng kiến số.")),
        Field("description", LONG, _("Description"), "Mô tả", False, _od(
            "description", "Description", "What it does.", "Mô tả", "Sáng kiến làm gì.")),
        Field("beneficiaries", BENEFICIARY, _("Beneficiaries"), "Cho", True, _od(
            "beneficiaries", "Beneficiaries", "Who benefits, separated by ';':",
            "Đối tượng thụ hưởng", "Ai được hưởng lợi, phân cách bằng dấu ';':",
            BENEFICIARY)),
        Field("sector", SHORT, _("Sector"), "Lĩnh vực", False, _od(
            "sector", "Sector", "Sector or field.", "Lĩnh vực", "Ngành hoặc lĩnh vực.")),
        Field("url", "url", URL, "Liên kết (URL)", False, _od(
            "url", "URL", "Where citizens and businesses use the service.", "Đường dẫn",
            "Nơi người dân, doanh nghiệp sử dụng dịch vụ.")),
        Field("launch_date", "date", _("Launch date"), "Ngày ra mắt", False, _od(
            "launch_date", "Launch date", "When the service started (ISO 8601).",
            "Ngày ra mắt", "Ngày dịch vụ bắt đầu hoạt động (ISO 8601).", "date")),
        CARRIED_OVER,
    )),
    Section("communications", _("Communication actions"), _("Communication action"),
            "Truyền thông", (
                Field("title", SHORT, _("Title"), "Tên", True),
                Field("channel", CHANNEL, _("Channel"), "Kênh", True),
                Field("url", "url", URL, "Liên kết (URL)"),
                Field("date", "date", _("Date"), "Ngày"))),
    Section("display_urls", _("Where the identity kit is displayed"), _("Display address"),
            "Nơi hiển thị", (
                Field("url", "url", URL, "Liên kết (URL)", True),
                Field("kind", DISPLAY_KIND, _("Kind"), "Loại", True))),
)
SECTION = {s.name: s for s in SECTIONS}
FIELDS = {f.name: f for s in SECTIONS for f in s.fields}  # a name means one thing everywhere
CHOICES = {f.name: f.rule for f in FIELDS.values() if isinstance(f.rule, dict)}
