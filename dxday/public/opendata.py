"""Open data: one row generator per table; JSON, CSV, XLSX and iCal all render from it, so
they always hold the same rows (the idea of pretix's exporters)."""

import datetime
import re
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from dxday.campaigns.models import Campaign
from dxday.lib.tables import Column as Field
from dxday.lib.tables import Table
from dxday.lib.urls import site_url
from dxday.plans import schema
from dxday.plans.models import Activity, Initiative, Plan
from dxday.registry.models import Contact, Organisation, Succession
from dxday.results import schema as results_schema
from dxday.results.models import ActivityOutcome, InitiativeOutcome


def _plan_columns(section: str) -> list[Field]:
    """The columns of a plan section's published fields, from the plan schema."""
    return [c for field in schema.SECTION[section].fields for c in field.open_data]


ACTIVITY_FIELDS = [
    Field("id", "integer", "ID", "Identifier of the activity in dxday.",
          "Mã", "Mã định danh của hoạt động trên dxday."),
    Field("campaign", "integer", "Campaign", "Year of the campaign (Ngày Chuyển đổi số quốc gia).",
          "Đợt", "Năm của đợt Ngày Chuyển đổi số quốc gia."),
    Field("organisation_code", "string", "Organisation code", "Code of the organising unit.",
          "Mã đơn vị", "Mã của đơn vị tổ chức."),
    Field("organisation", "string", "Organisation", "Name of the organising unit.",
          "Đơn vị", "Tên đơn vị tổ chức."),
    *_plan_columns("activities"),
    Field("page_url", "string", "Page", "The activity's page on the national DX Day portal.",
          "Trang trên cổng", "Trang của hoạt động trên cổng Ngày Chuyển đổi số quốc gia."),
]
INITIATIVE_FIELDS = [
    Field("id", "integer", "ID", "Identifier of the initiative in dxday.",
          "Mã", "Mã định danh của sáng kiến trên dxday."),
    Field("campaign", "integer", "Campaign", "Year of the campaign.",
          "Đợt", "Năm của đợt Ngày Chuyển đổi số quốc gia."),
    Field("organisation_code", "string", "Organisation code", "Code of the responsible unit.",
          "Mã đơn vị", "Mã của đơn vị chủ trì."),
    Field("organisation", "string", "Organisation", "Name of the responsible unit.",
          "Đơn vị", "Tên đơn vị chủ trì."),
    *_plan_columns("initiatives"),
    Field("page_url", "string", "Page", "The initiative's page on the national DX Day portal.",
          "Trang trên cổng", "Trang của sáng kiến trên cổng Ngày Chuyển đổi số quốc gia."),
]
TABLES = {"activities": ACTIVITY_FIELDS, "initiatives": INITIATIVE_FIELDS}


def described(field: Field, *, vi: bool) -> str:
    """A column's description, with the codes it may hold (and, in Vietnamese, their labels)."""
    text = field.description_vi if vi else field.description
    if not field.choices:
        return text
    with translation.override("vi"):
        codes = [f"{code} ({str(label)[:1].lower()}{str(label)[1:]})" if vi else code
                 for code, label in field.choices.items()]
    listed = f"{', '.join(codes[:-1])} {'hoặc' if vi else 'or'} {codes[-1]}."
    return f"{text} {listed}" if text else listed


def with_predecessors(code: str) -> set[str]:
    """A province code and every earlier unit that passed into it (Quảng Nam → Đà Nẵng), so
    that earlier years show on today's map and filters."""
    codes, frontier = {code}, {code}
    while frontier:
        frontier = set(Succession.objects.filter(successor__code__in=frontier)
                       .values_list("predecessor__code", flat=True)) - codes
        codes |= frontier
    return codes


def activities_qs(campaign: Campaign, *, province=None, category=None, format=None,
                  organisation=None, date_from=None, date_to=None):
    qs = Activity.objects.public().filter(campaign=campaign)
    if province:
        qs = qs.filter(province__code__in=with_predecessors(province))
    if category:
        qs = qs.filter(category=category)
    if format:
        qs = qs.filter(format=format)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if date_from:
        qs = qs.filter(Q(end__gte=date_from) | Q(end__isnull=True, start__gte=date_from))
    if date_to:
        qs = qs.filter(start__lte=date_to)
    return qs.order_by("start", "pk")


def initiatives_qs(campaign: Campaign, *, beneficiary=None, sector=None, province=None,
                   organisation=None):
    qs = Initiative.objects.public().filter(campaign=campaign)
    if beneficiary:
        qs = qs.filter(**{f"for_{beneficiary}": True})
    if sector:
        qs = qs.filter(sector__icontains=sector)
    if province:
        codes = with_predecessors(province)
        qs = qs.filter(Q(organisation__code__in=codes) | Q(organisation__parent__code__in=codes))
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    return qs.order_by("organisation__code", "position", "pk")


def activity_rows(qs) -> Iterator[dict]:
    base = site_url("/campaigns/")
    for a in qs.values("pk", "campaign__year", "organisation__code", "organisation__name",
                       "title", "category", "start", "end", "location", "province__code",
                       "province__name", "format", "audience", "description", "url").iterator(
                           chunk_size=2000):
        yield {"id": a["pk"], "campaign": a["campaign__year"],
               "organisation_code": a["organisation__code"],
               "organisation": a["organisation__name"], "title": a["title"],
               "category": a["category"], "start": a["start"], "end": a["end"],
               "location": a["location"], "province_code": a["province__code"] or "",
               "province": a["province__name"] or "", "format": a["format"],
               "audience": a["audience"], "description": a["description"], "url": a["url"],
               "page_url": f"{base}{a['campaign__year']}/activities/{a['pk']}/"}


def initiative_rows(qs) -> Iterator[dict]:
    base = site_url("/campaigns/")
    for n in qs.values("pk", "campaign__year", "organisation__code", "organisation__name",
                       "name", "description", *[f"for_{b}" for b in schema.BENEFICIARY],
                       "sector", "url", "launch_date").iterator(
                           chunk_size=2000):
        beneficiaries = [b for b in schema.BENEFICIARY if n[f"for_{b}"]]
        yield {"id": n["pk"], "campaign": n["campaign__year"],
               "organisation_code": n["organisation__code"],
               "organisation": n["organisation__name"], "name": n["name"],
               "description": n["description"], "beneficiaries": ";".join(beneficiaries),
               "sector": n["sector"], "url": n["url"], "launch_date": n["launch_date"],
               "page_url": f"{base}{n['campaign__year']}/initiatives/{n['pk']}/"}


def table_values(rows, fields) -> Iterator[list]:
    """Rows as lists in the order of the fields, dates as ISO text (CSV and XLSX)."""
    for row in rows:
        yield [row[f.name].isoformat() if isinstance(row[f.name], datetime.date)
               else row[f.name] for f in fields]


# The exporters of the open data: a table's queryset (with its filters) and its rows.
TABLE_SOURCES = {"activities": (activities_qs, activity_rows),
                 "initiatives": (initiatives_qs, initiative_rows)}


# --- results (issue 18): what units did, from their accepted results --------------------------

def _rc(name, type_, title, description, title_vi, description_vi, choices=None) -> Field:
    return Field(name, type_, title, description, title_vi, description_vi, choices)


_OWN_RESULT = [
    _rc("campaign", "integer", "Campaign", "Year of the campaign.",
        "Đợt", "Năm của đợt Ngày Chuyển đổi số quốc gia."),
    _rc("organisation_code", "string", "Organisation code", "Code of the reporting unit.",
        "Mã đơn vị", "Mã của đơn vị báo cáo."),
    _rc("organisation", "string", "Organisation", "Name of the reporting unit.",
        "Đơn vị", "Tên đơn vị báo cáo."),
    _rc("planned", "integer", "Number in the plan",
        "The row's number in the unit's accepted plan; empty for one that was not planned "
        "(added).",
        "Số thứ tự trong kế hoạch",
        "Số thứ tự của dòng trong kế hoạch đã được duyệt; để trống nếu không có trong kế "
        "hoạch (phát sinh thêm)."),
]
ACTIVITY_RESULT_FIELDS = [
    _rc("id", "integer", "ID", "Identifier of the reported activity in dxday.",
        "Mã", "Mã định danh của hoạt động đã báo cáo trên dxday."),
    *_OWN_RESULT,
    _rc("title", "string", "Title", "Name of the activity.", "Tên hoạt động",
        "Tên của hoạt động."),
    _rc("category", "string", "Category", "", "Loại hoạt động", "", schema.CATEGORY),
    _rc("status", "string", "What happened", "", "Kết quả", "",
        results_schema.ACTIVITY_STATUS),
    _rc("reason", "string", "Reason or change", "Why it was not held, or what changed.",
        "Lý do, nội dung thay đổi", "Lý do không tổ chức hoặc nội dung thay đổi."),
    _rc("start", "date", "Actual date", "Day it took place (ISO 8601).", "Ngày tổ chức",
        "Ngày tổ chức thực tế (ISO 8601)."),
    _rc("end", "date", "End", "Last day (ISO 8601).", "Ngày kết thúc",
        "Ngày cuối cùng (ISO 8601)."),
    _rc("location", "string", "Location", "Where it took place.", "Địa điểm",
        "Nơi tổ chức."),
    _rc("province_code", "string", "Province code", "Code of the province it took place in.",
        "Mã tỉnh, thành phố", "Mã của tỉnh, thành phố nơi tổ chức."),
    _rc("province", "string", "Province", "Name of the province it took place in.",
        "Tỉnh, thành phố", "Tên tỉnh, thành phố nơi tổ chức."),
    _rc("format", "string", "Format", "", "Hình thức", "", schema.FORMAT),
    _rc("participants_in_person", "integer", "Participants in person",
        "People who attended in person.", "Số người tham dự trực tiếp",
        "Số người tham dự trực tiếp."),
    _rc("participants_online", "integer", "Participants online",
        "People who followed online.", "Số người tham dự trực tuyến",
        "Số người tham dự trực tuyến."),
    _rc("views", "integer", "Views", "Views of its publications.", "Lượt xem",
        "Lượt xem các nội dung của hoạt động."),
    _rc("shares", "integer", "Shares", "Shares of its publications.", "Lượt chia sẻ",
        "Lượt chia sẻ các nội dung của hoạt động."),
    _rc("reach_source", "string", "Source of the reach figures",
        "Where the views and shares were counted.", "Nguồn số liệu",
        "Nơi thống kê lượt xem, lượt chia sẻ."),
    _rc("evidence", "string", "Evidence", "Links to evidence (articles, albums, recordings), "
        "separated by spaces.", "Minh chứng",
        "Liên kết minh chứng (bài viết, album ảnh, bản ghi), cách nhau bởi dấu cách."),
    _rc("page_url", "string", "Page", "The unit's results page on the national DX Day portal.",
        "Trang trên cổng",
        "Trang kết quả của đơn vị trên cổng Ngày Chuyển đổi số quốc gia."),
]
INITIATIVE_RESULT_FIELDS = [
    _rc("id", "integer", "ID", "Identifier of the reported initiative in dxday.",
        "Mã", "Mã định danh của sáng kiến đã báo cáo trên dxday."),
    *_OWN_RESULT,
    _rc("name", "string", "Name", "Name of the digital initiative.", "Tên sáng kiến",
        "Tên của sáng kiến số."),
    _rc("launched", "string", "Launched", "", "Đã triển khai", "", results_schema.LAUNCHED),
    _rc("launch_date", "date", "Launch date", "Day it went live (ISO 8601).", "Ngày ra mắt",
        "Ngày đưa vào sử dụng (ISO 8601)."),
    _rc("reason", "string", "Reason if not launched", "Why it has not gone live.",
        "Lý do chưa triển khai", "Lý do sáng kiến chưa được đưa vào sử dụng."),
    _rc("usage_measure", "string", "Usage measure", "What the usage figure counts.",
        "Chỉ số sử dụng", "Chỉ số mà số liệu sử dụng đo.", results_schema.USAGE_MEASURE),
    _rc("usage_value", "integer", "Usage figure", "The usage figure.", "Số liệu sử dụng",
        "Số liệu sử dụng."),
    _rc("usage_date", "date", "Figure as of", "Day of the usage figure (ISO 8601).",
        "Số liệu tính đến ngày", "Ngày của số liệu sử dụng (ISO 8601)."),
    _rc("url", "string", "Link (URL)", "Address of the service or application.",
        "Liên kết (URL)", "Địa chỉ của dịch vụ, ứng dụng."),
    _rc("page_url", "string", "Page", "The unit's results page on the national DX Day portal.",
        "Trang trên cổng",
        "Trang kết quả của đơn vị trên cổng Ngày Chuyển đổi số quốc gia."),
]
RESULT_TABLES = {"activity_results": ACTIVITY_RESULT_FIELDS,
                 "initiative_results": INITIATIVE_RESULT_FIELDS}
HELD = ("held", "changed")


def activity_results_qs(campaign: Campaign, *, organisation=None, province=None,
                        category=None, status=None):
    """Published activities of accepted results (past the campaign's embargo)."""
    qs = ActivityOutcome.objects.public().filter(campaign=campaign)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if province:
        qs = qs.filter(province__code__in=with_predecessors(province))
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("organisation__code", "position", "pk")


def initiative_results_qs(campaign: Campaign, *, organisation=None, launched=None):
    """Published initiatives of accepted results (past the campaign's embargo)."""
    qs = InitiativeOutcome.objects.public().filter(campaign=campaign)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if launched:
        qs = qs.filter(launched=launched == "yes")
    return qs.order_by("organisation__code", "position", "pk")


def results_page_path(year: int, code: str) -> str:
    return reverse("public:unit_results", args=[year, code])


def activity_result_rows(qs) -> Iterator[dict]:
    pages: dict = {}
    for a in qs.values("pk", "campaign__year", "organisation__code", "organisation__name",
                       "planned", "title", "category", "status", "reason", "start", "end",
                       "location", "province__code", "province__name", "format",
                       "participants_in_person", "participants_online", "views", "shares",
                       "reach_source", "evidence").iterator(chunk_size=2000):
        key = (a["campaign__year"], a["organisation__code"])
        if key not in pages:
            pages[key] = site_url(results_page_path(*key))
        yield {"id": a["pk"], "campaign": a["campaign__year"],
               "organisation_code": a["organisation__code"],
               "organisation": a["organisation__name"], "planned": a["planned"],
               "title": a["title"], "category": a["category"], "status": a["status"],
               "reason": a["reason"], "start": a["start"], "end": a["end"],
               "location": a["location"], "province_code": a["province__code"] or "",
               "province": a["province__name"] or "", "format": a["format"],
               "participants_in_person": a["participants_in_person"],
               "participants_online": a["participants_online"], "views": a["views"],
               "shares": a["shares"], "reach_source": a["reach_source"],
               "evidence": " ".join(a["evidence"] or []),
               "page_url": f"{pages[key]}#activity-{a['pk']}"}


def initiative_result_rows(qs) -> Iterator[dict]:
    pages: dict = {}
    for n in qs.values("pk", "campaign__year", "organisation__code", "organisation__name",
                       "planned", "name", "launched", "launch_date", "reason", "usage_measure",
                       "usage_value", "usage_date", "url").iterator(chunk_size=2000):
        key = (n["campaign__year"], n["organisation__code"])
        if key not in pages:
            pages[key] = site_url(results_page_path(*key))
        yield {"id": n["pk"], "campaign": n["campaign__year"],
               "organisation_code": n["organisation__code"],
               "organisation": n["organisation__name"], "planned": n["planned"],
               "name": n["name"], "launched": "yes" if n["launched"] else "no",
               "launch_date": n["launch_date"], "reason": n["reason"],
               "usage_measure": n["usage_measure"], "usage_value": n["usage_value"],
               "usage_date": n["usage_date"], "url": n["url"],
               "page_url": f"{pages[key]}#initiative-{n['pk']}"}


# Every table of the open data: the plans' and the results'.
ALL_TABLES = {**TABLES, **RESULT_TABLES}
RESULT_SOURCES = {"activity_results": (activity_results_qs, activity_result_rows),
                  "initiative_results": (initiative_results_qs, initiative_result_rows)}


def exporter(campaign: Campaign, table: str, **filters) -> Table:
    """A table of the open data, its columns named and its rows yielded once, for the CSV and
    XLSX writers: the same row generator as its JSON and its iCalendar."""
    queryset, rows = {**TABLE_SOURCES, **RESULT_SOURCES}[table]
    return Table(table, ALL_TABLES[table], table_values(rows(queryset(campaign, **filters)),
                                                        ALL_TABLES[table]))


# --- iCalendar (RFC 5545) --------------------------------------------------------------------
# Written here: the icalendar library needs ~15 s for 70,000 events; this needs well under 2 s.
# The tests read the output back with two independent parsers (icalendar and vobject).

VTIMEZONE = ("BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\nBEGIN:STANDARD\r\n"
             "DTSTART:19750613T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\n"
             "TZNAME:ICT\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")
# A parameter value is quoted (RFC 5545 3.1: then ",", ";" and ":" may stay, unescaped);
# a DQUOTE cannot appear in it at all, nor can a control character.
_PARAM_TABLE = {**{c: " " for c in range(32)}, 0x7F: " ", ord('"'): "'"}
# What may follow "mailto:" as it is: an address without spaces, quotes or separators.
_ADDRESS = re.compile(r"[^\s\"'<>()\[\]\\,;:@]+@[^\s\"'<>()\[\]\\,;:@]+")


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _param(text: str) -> str:
    return '"' + text.translate(_PARAM_TABLE) + '"'


def _fold(line: str) -> bytes:
    """Lines of at most 75 octets, continued with a space, never cutting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74  # continuation lines start with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def category_labels_vi() -> dict[str, str]:
    """The activity categories' Vietnamese labels, whatever the request's language: a
    calendar file is shared beyond the person who downloaded it."""
    with translation.override("vi"):
        return {code: str(label) for code, label in schema.CATEGORY.items()}


def organizer_addresses(campaign: Campaign) -> dict[str, str]:
    """Unit code → the address of its focal contact (the first one that has an address), for
    every unit with a plan in the campaign: one query, however many events."""
    found: dict[str, str] = {}
    for code, email in (Contact.objects.filter(is_focal=True,
                                               organisation__plans__campaign=campaign)
                        .exclude(email="").order_by("pk")
                        .values_list("organisation__code", "email")):
        email = email.strip()
        if _ADDRESS.fullmatch(email):
            found.setdefault(code, email)
    return found


def ical(rows, *, name: str, organizers: dict[str, str] | None = None) -> Iterator[bytes]:
    """An iCalendar stream of activities: all-day events on local (Asia/Ho_Chi_Minh) days.

    ``organizers`` maps a unit's code to its focal contact's address (organizer_addresses);
    a unit without one has no ORGANIZER. CATEGORIES carries the Vietnamese label, the code
    is in X-DXDAY-CATEGORY."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "dxday"
    organizers = organizers or {}
    labels = {code: _escape(label) for code, label in category_labels_vi().items()}
    organizer_lines: dict[str, str | None] = {}
    yield (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dxday//Ngay Chuyen doi so quoc gia//VI"
           b"\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-TIMEZONE:Asia/Ho_Chi_Minh\r\n")
    yield _fold(f"X-WR-CALNAME:{_escape(name)}")
    yield VTIMEZONE.encode()
    for row in rows:
        start = row["start"]
        if start is None:
            continue  # an activity without a date cannot be placed in a calendar
        end = (row["end"] or start) + datetime.timedelta(days=1)  # DTEND is exclusive
        lines = [
            "BEGIN:VEVENT", f"UID:activity-{row['id']}@{host}", f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{_escape(row['title'])}", f"URL:{row['page_url']}",
        ]
        code = row["organisation_code"]
        if code not in organizer_lines:
            address = organizers.get(code)
            organizer_lines[code] = (
                f"ORGANIZER;CN={_param(row['organisation'])}:mailto:{address}"
                if address else None)
        if organizer_lines[code]:
            lines.append(organizer_lines[code])
        if row["location"] or row["province"]:
            place = ", ".join(p for p in (row["location"], row["province"]) if p)
            lines.append(f"LOCATION:{_escape(place)}")
        if category := row["category"]:
            lines.append(f"CATEGORIES:{labels.get(category) or _escape(category)}")
            lines.append(f"X-DXDAY-CATEGORY:{_escape(category)}")
        if row["description"]:
            lines.append(f"DESCRIPTION:{_escape(row['description'])}")
        lines.append("END:VEVENT")
        yield b"".join(_fold(line) for line in lines)
    yield b"END:VCALENDAR\r\n"


# --- Data package (Frictionless) ------------------------------------------------------------
# Titles and descriptions are Vietnamese in `title`/`description`, English in
# `title_en`/`description_en`, at every level: package, resource, field.

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}
TABLE_TEXT = {
    "activities": {
        "title": ("Hoạt động", "Activities"),
        "description": ("Các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia trong kế hoạch "
                        "đã được duyệt của các bộ, ngành, địa phương.",
                        "Activities for the National Digital Transformation Day in the "
                        "accepted plans of ministries, agencies and provinces."),
    },
    "initiatives": {
        "title": ("Sáng kiến số", "Digital initiatives"),
        "description": ("Các sáng kiến số (dịch vụ, ứng dụng) trong kế hoạch đã được duyệt "
                        "của các bộ, ngành, địa phương.",
                        "Digital initiatives (services, applications) in the accepted plans "
                        "of ministries, agencies and provinces."),
    },
    "activity_results": {
        "title": ("Kết quả tổ chức hoạt động", "Activities held"),
        "description": ("Kết quả các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia theo báo "
                        "cáo kết quả đã được duyệt của các bộ, ngành, địa phương: đã tổ chức, "
                        "có thay đổi hoặc không tổ chức, số người tham dự, minh chứng.",
                        "What became of the activities for the National Digital "
                        "Transformation Day, from the accepted results of ministries, agencies "
                        "and provinces: held, changed or not held, participants, evidence."),
    },
    "initiative_results": {
        "title": ("Kết quả triển khai sáng kiến số", "Digital initiatives launched"),
        "description": ("Các sáng kiến số đã hoặc chưa triển khai theo báo cáo kết quả đã "
                        "được duyệt, với số liệu sử dụng.",
                        "Digital initiatives launched or not, from the accepted results, with "
                        "their usage figures."),
    },
}


def campaign_text(campaign: Campaign) -> dict[str, tuple[str, str]]:
    """The campaign's title and description as (Vietnamese, English)."""
    year = campaign.year
    vi = ("Các hoạt động và sáng kiến số do các bộ, ngành, địa phương công bố nhân Ngày "
          f"Chuyển đổi số quốc gia năm {year}.")
    if campaign.theme:
        vi += f" Chủ đề: “{campaign.theme}”."
    en = ("Activities and digital initiatives published by ministries, agencies and provinces "
          f"for the National Digital Transformation Day {year} (Ngày Chuyển đổi số quốc gia).")
    return {"title": (campaign.title, f"National Digital Transformation Day {year}"),
            "description": (vi, en)}


def datapackage(campaign: Campaign) -> dict:
    """A Frictionless data package over the campaign's CSV files (absolute paths on
    SITE_URL, so the descriptor works wherever it is read)."""
    base = site_url(f"/api/v1/campaigns/{campaign.year}/")
    text = campaign_text(campaign)
    return {
        "profile": "tabular-data-package",
        "name": f"dxday-{campaign.year}",
        "id": f"{base}datapackage.json",
        "title": text["title"][0], "title_en": text["title"][1],
        "description": text["description"][0], "description_en": text["description"][1],
        "homepage": site_url(reverse("public:campaign", args=[campaign.year])),
        "keywords": ["chuyển đổi số", "Ngày Chuyển đổi số quốc gia", str(campaign.year)],
        "licenses": [LICENSE],
        "resources": [{
            "name": table, "path": f"{base}{table}.csv", "profile": "tabular-data-resource",
            "title": TABLE_TEXT[table]["title"][0], "title_en": TABLE_TEXT[table]["title"][1],
            "description": TABLE_TEXT[table]["description"][0],
            "description_en": TABLE_TEXT[table]["description"][1],
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": [{"name": f.name, "type": f.type,
                                   "title": f.title_vi, "title_en": f.title,
                                   "description": described(f, vi=True),
                                   "description_en": described(f, vi=False)} for f in fields],
                       "primaryKey": ["id"]},
        } for table, fields in ALL_TABLES.items()],
    }


# --- DCAT-AP 3 catalogue (JSON-LD) ----------------------------------------------------------
# Controlled vocabularies as DCAT-AP asks: the EU Publications Office's authority tables
# (languages, file types, countries, data themes, licences, planned availability), IANA media
# types, ADMS publisher types. Each such value carries its class, so the document validates
# on its own, without fetching the vocabularies.

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
VIE, ENG = f"{EU}language/VIE", f"{EU}language/ENG"
VIET_NAM = f"{EU}country/VNM"
THEMES = (f"{EU}data-theme/GOVE", f"{EU}data-theme/TECH")
LICENCE_IRI = f"{EU}licence/CC_BY_4_0"
STABLE = f"{EU}planned-availability/STABLE"
PUBLISHER_TYPES = {"ministry": "NationalAuthority", "ministerial_agency": "NationalAuthority",
                   "government_agency": "NationalAuthority", "province": "RegionalAuthority",
                   "city": "RegionalAuthority", "commune": "LocalAuthority",
                   "ward": "LocalAuthority", "special_zone": "LocalAuthority"}
# (key, path suffix, IANA media type, EU file type, downloadable as one file)
FORMATS = [
    ("json", "", "application/json", "JSON", False),
    ("csv", ".csv", "text/csv", "CSV", True),
    ("xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "XLSX", True),
]
ICS = ("ics", ".ics", "text/calendar", "ICS", True)
FORMAT_TEXT = {
    "json": ("JSON, theo trang (tham số limit và offset)",
             "JSON, in pages (limit and offset parameters)"),
    "csv": ("CSV (UTF-8 có BOM), toàn bộ bảng", "CSV (UTF-8 with BOM), the whole table"),
    "xlsx": ("Excel (XLSX), toàn bộ bảng", "Excel (XLSX), the whole table"),
    "ics": ("Lịch iCalendar (RFC 5545), mỗi hoạt động là một sự kiện",
            "iCalendar (RFC 5545), one event per activity"),
}
CATALOG_TEXT = {
    "title": ("Dữ liệu mở Ngày Chuyển đổi số quốc gia",
              "Open data of Vietnam's National Digital Transformation Day"),
    "description": ("Kế hoạch hưởng ứng Ngày Chuyển đổi số quốc gia (10 tháng 10 hằng năm) "
                    "của các bộ, ngành, địa phương: hoạt động và sáng kiến số đã được duyệt "
                    "và công bố, theo từng năm.",
                    "Plans of ministries, agencies and provinces for Vietnam's National "
                    "Digital Transformation Day (10 October every year): their accepted and "
                    "published activities and digital initiatives, year by year."),
}
CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
           "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
           "xsd": "http://www.w3.org/2001/XMLSchema#",
           "skos": "http://www.w3.org/2004/02/skos/core#", "dcatap": "http://data.europa.eu/r5r/"}


def _texts(vi: str, en: str) -> list[dict]:
    return [{"@value": vi, "@language": "vi"}, {"@value": en, "@language": "en"}]


def _node(iri: str, kind: str | list[str]) -> dict:
    return {"@id": iri, "@type": kind}


def _date(value: datetime.date) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _datetime(value: datetime.datetime) -> dict:
    return {"@value": timezone.localtime(value).isoformat(timespec="seconds"),
            "@type": "xsd:dateTime"}


LICENCE_NODE = {"@id": LICENCE_IRI, "@type": "dct:LicenseDocument",
                "dct:type": _node("http://purl.org/adms/licencetype/Attribution",
                                  "skos:Concept")}


def _agent(organisation: Organisation | None) -> dict:
    if organisation is None:  # no organiser recorded: the portal itself answers for it
        return {"@id": site_url("/#publisher"), "@type": ["foaf:Agent", "foaf:Organization"],
                "foaf:name": _texts(*CATALOG_TEXT["title"])}
    agent = {"@id": site_url(reverse("public:organisation", args=[organisation.code])),
             "@type": ["foaf:Agent", "foaf:Organization"],
             "foaf:name": {"@value": organisation.name, "@language": "vi"}}
    if kind := PUBLISHER_TYPES.get(organisation.kind):
        agent["dct:type"] = _node(f"http://purl.org/adms/publishertype/{kind}", "skos:Concept")
    return agent


def published_span(campaigns) -> dict[int, tuple]:
    """Campaign pk → (first, last) time its plans were accepted, which publishes them (or the
    end of the embargo, when later): one query."""
    spans = {}
    for row in (Plan.objects.filter(status=Plan.Status.ACCEPTED, reviewed_at__isnull=False)
                .order_by().values("campaign_id").annotate(first=Min("reviewed_at"),
                                                last=Max("reviewed_at"))):
        spans[row["campaign_id"]] = (row["first"], row["last"])
    for c in campaigns:
        if c.pk in spans and c.publish_from:
            first, last = spans[c.pk]
            spans[c.pk] = (max(first, c.publish_from), max(last, c.publish_from))
    return spans


def _activity_span(campaigns) -> dict[int, tuple]:
    """Campaign pk → (first day, last day) of its published activities, for campaigns that
    set no activity window: one query."""
    pks = [c.pk for c in campaigns if not (c.window_start and c.window_end)]
    if not pks:
        return {}
    return {row["campaign_id"]: (row["first"], row["last"]) for row in (
        Activity.objects.filter(campaign_id__in=pks, start__isnull=False).order_by()
        .values("campaign_id").annotate(first=Min("start"),
                                        last=Max(Coalesce("end", "start"))))}


def _contact(campaign: Campaign, focal: dict[int, str], fallback: str) -> dict | None:
    """The dataset's contact point: the open-data address of the settings, else the
    campaign's contact, else the organiser's focal contact, else the latest campaign's."""
    email = (getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "") or campaign.contact_email
             or focal.get(campaign.organiser_id, "") or fallback)
    if not email:
        return None
    name = (campaign.contact_unit or (campaign.organiser.name if campaign.organiser else "")
            or CATALOG_TEXT["title"][0])
    return {"@id": site_url(f"/api/v1/catalog.jsonld#contact-{campaign.year}"),
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": {"@value": name, "@language": "vi"},
            "vcard:hasEmail": {"@id": f"mailto:{email.strip()}"}}


def _distribution(dataset_id: str, base: str, table: str, fmt: tuple) -> dict:
    key, suffix, media, file_type, downloadable = fmt
    url = f"{base}{table}{suffix}"
    title_vi, title_en = TABLE_TEXT[table]["title"]
    fmt_vi, fmt_en = FORMAT_TEXT[key]
    distribution = {
        "@id": f"{dataset_id}#{table}-{key}", "@type": "dcat:Distribution",
        "dct:title": _texts(f"{title_vi} ({file_type})", f"{title_en} ({file_type})"),
        "dct:description": _texts(f"{title_vi}: {fmt_vi}.", f"{title_en}: {fmt_en}."),
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": _node(f"{IANA}{media}", "dct:MediaType"),
        "dct:format": _node(f"{EU}file-type/{file_type}", "dct:MediaTypeOrExtent"),
        "dct:license": LICENCE_NODE,
        "dct:language": _node(VIE, "dct:LinguisticSystem"),
        "dcatap:availability": _node(STABLE, "skos:Concept"),
    }
    if downloadable:
        distribution["dcat:downloadURL"] = {"@id": url}
    return distribution


def catalog() -> dict:
    """DCAT-AP 3 catalogue metadata (JSON-LD): one dataset per campaign with published plans.

    Every mandatory property of DCAT-AP 3 for the catalogue, its datasets and distributions
    and the agents is present, and the recommended ones that apply; titles and descriptions
    in Vietnamese and English."""
    now = timezone.now()
    campaigns = [c for c in Campaign.objects.select_related("organiser").order_by("-year")
                 if c.is_published(now)]
    spans = published_span(campaigns)
    campaigns = [c for c in campaigns if c.pk in spans]
    days = _activity_span(campaigns)
    organiser_ids = {c.organiser_id for c in campaigns if c.organiser_id}
    focal: dict[int, str] = {}
    for org_id, email in (Contact.objects.filter(organisation_id__in=organiser_ids,
                                                 is_focal=True).exclude(email="")
                          .order_by("pk").values_list("organisation_id", "email")):
        focal.setdefault(org_id, email)
    fallback = (Campaign.objects.exclude(contact_email="").order_by("-year")
                .values_list("contact_email", flat=True).first() or "")
    datasets = []
    for c in campaigns:
        base = site_url(f"/api/v1/campaigns/{c.year}/")
        dataset_id = f"{base}datapackage.json"
        text = campaign_text(c)
        distributions = [_distribution(dataset_id, base, table, fmt)
                         for table in ALL_TABLES for fmt in FORMATS]
        distributions.append(_distribution(dataset_id, base, "activities", ICS))
        first, last = spans[c.pk]
        dataset = {
            "@type": "dcat:Dataset", "@id": dataset_id,
            "dct:identifier": f"dxday-{c.year}",
            "dct:title": _texts(*text["title"]),
            "dct:description": _texts(*text["description"]),
            "dct:language": _node(VIE, "dct:LinguisticSystem"),
            "dcat:keyword": [{"@value": "chuyển đổi số", "@language": "vi"},
                             {"@value": "Ngày Chuyển đổi số quốc gia", "@language": "vi"},
                             {"@value": "digital transformation", "@language": "en"},
                             str(c.year)],
            "dcat:theme": [_node(t, "skos:Concept") for t in THEMES],
            "dct:spatial": _node(VIET_NAM, "dct:Location"),
            "dct:publisher": _agent(c.organiser),
            "dct:issued": _date(timezone.localtime(first).date()),
            "dct:modified": _datetime(last),
            "dcat:landingPage": _node(site_url(reverse("public:campaign", args=[c.year])),
                                      "foaf:Document"),
            "dcat:distribution": distributions,
        }
        window = ((c.window_start, c.window_end) if c.window_start and c.window_end
                  else days.get(c.pk) or ((c.event_date, c.event_date) if c.event_date
                                          else None))
        if window:
            dataset["dct:temporal"] = {"@id": f"{dataset_id}#period",
                                       "@type": "dct:PeriodOfTime",
                                       "dcat:startDate": _date(window[0]),
                                       "dcat:endDate": _date(window[1])}
        if contact := _contact(c, focal, fallback):
            dataset["dcat:contactPoint"] = contact
        datasets.append(dataset)
    latest = (Campaign.objects.filter(organiser__isnull=False).select_related("organiser")
              .order_by("-year").first())
    body = {
        "@context": CONTEXT,
        "@type": "dcat:Catalog", "@id": site_url("/api/v1/catalog.jsonld"),
        "dct:title": _texts(*CATALOG_TEXT["title"]),
        "dct:description": _texts(*CATALOG_TEXT["description"]),
        "dct:publisher": _agent(latest.organiser if latest else None),
        "dct:language": [_node(VIE, "dct:LinguisticSystem"),
                         _node(ENG, "dct:LinguisticSystem")],
        "dct:license": LICENCE_NODE,
        "dct:spatial": _node(VIET_NAM, "dct:Location"),
        "dcat:themeTaxonomy": _node(f"{EU}data-theme", "skos:ConceptScheme"),
        "foaf:homepage": _node(site_url("/"), "foaf:Document"),
        "dcat:dataset": datasets,
    }
    if spans and campaigns:
        body["dct:issued"] = _date(timezone.localtime(
            min(spans[c.pk][0] for c in campaigns)).date())
        body["dct:modified"] = _datetime(max(spans[c.pk][1] for c in campaigns))
    return body
