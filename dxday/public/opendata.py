"""Open data: one row generator per table; JSON, CSV, XLSX and iCal all render from it, so
they always hold the same rows (the idea of pretix's exporters)."""

import dataclasses
import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dxday.campaigns.models import Campaign
from dxday.plans.models import Activity, Initiative
from dxday.registry.models import Succession


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless table schema type
    title: str
    description: str


ACTIVITY_FIELDS = [
    Field("id", "integer", "ID", "Identifier of the activity in dxday."),
    Field("campaign", "integer", "Campaign", "Year of the campaign (Ngày Chuyển đổi số quốc gia)."),
    Field("organisation_code", "string", "Organisation code", "Code of the organising unit."),
    Field("organisation", "string", "Organisation", "Name of the organising unit."),
    Field("title", "string", "Title", "Name of the activity."),
    Field("category", "string", "Category", "conference, exhibition, communication, launch, "
          "digital_skills, digital_consumption, emulation or other."),
    Field("start", "date", "Start", "First day (ISO 8601)."),
    Field("end", "date", "End", "Last day (ISO 8601)."),
    Field("location", "string", "Location", "Where it takes place."),
    Field("province_code", "string", "Province code", "Code of the province it takes place in."),
    Field("province", "string", "Province", "Name of the province it takes place in."),
    Field("format", "string", "Format", "in_person, online or hybrid."),
    Field("audience", "string", "Audience", "Who it is for."),
    Field("description", "string", "Description", "What happens."),
    Field("url", "string", "URL", "Web page of the activity, given by the unit."),
    Field("page_url", "string", "Page", "The activity's page on the national DX Day portal."),
]
INITIATIVE_FIELDS = [
    Field("id", "integer", "ID", "Identifier of the initiative in dxday."),
    Field("campaign", "integer", "Campaign", "Year of the campaign."),
    Field("organisation_code", "string", "Organisation code", "Code of the responsible unit."),
    Field("organisation", "string", "Organisation", "Name of the responsible unit."),
    Field("name", "string", "Name", "Name of the digital initiative (sáng kiến số)."),
    Field("description", "string", "Description", "What it does."),
    Field("beneficiaries", "string", "Beneficiaries",
          "Who benefits, separated by ';': citizens, businesses, officials."),
    Field("sector", "string", "Sector", "Sector or field."),
    Field("url", "string", "URL", "Where citizens and businesses use the service."),
    Field("launch_date", "date", "Launch date", "When the service started (ISO 8601)."),
    Field("page_url", "string", "Page", "The initiative's page on the national DX Day portal."),
]
TABLES = {"activities": ACTIVITY_FIELDS, "initiatives": INITIATIVE_FIELDS}


def site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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
    base = site("/campaigns/")
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
    base = site("/campaigns/")
    for n in qs.values("pk", "campaign__year", "organisation__code", "organisation__name",
                       "name", "description", "for_citizens", "for_businesses",
                       "for_officials", "sector", "url", "launch_date").iterator(
                           chunk_size=2000):
        beneficiaries = [b for b in ("citizens", "businesses", "officials") if n[f"for_{b}"]]
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


# --- iCalendar (RFC 5545) --------------------------------------------------------------------
# Written here: the icalendar library needs ~15 s for 70,000 events; this needs well under 2 s.
# The tests read the output back with icalendar, a standard parser.

VTIMEZONE = ("BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\nBEGIN:STANDARD\r\n"
             "DTSTART:19750613T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\n"
             "TZNAME:ICT\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


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


def ical(rows, *, name: str) -> Iterator[bytes]:
    """An iCalendar stream of activities: all-day events on local (Asia/Ho_Chi_Minh) days."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "dxday"
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
            f"ORGANIZER;CN={_escape(row['organisation'])}:{row['page_url']}",
        ]
        if row["location"] or row["province"]:
            place = ", ".join(p for p in (row["location"], row["province"]) if p)
            lines.append(f"LOCATION:{_escape(place)}")
        if row["category"]:
            lines.append(f"CATEGORIES:{_escape(row['category'])}")
        if row["description"]:
            lines.append(f"DESCRIPTION:{_escape(row['description'])}")
        lines.append("END:VEVENT")
        yield b"".join(_fold(line) for line in lines)
    yield b"END:VCALENDAR\r\n"


def datapackage(campaign: Campaign) -> dict:
    """A Frictionless data package over the campaign's CSV files."""
    base = site(f"/api/v1/campaigns/{campaign.year}/")
    return {
        "profile": "tabular-data-package",
        "name": f"dxday-{campaign.year}",
        "title": campaign.title,
        "description": ("Activities and digital initiatives published by ministries, agencies "
                        "and provinces for the National Digital Transformation Day "
                        f"{campaign.year} (Ngày Chuyển đổi số quốc gia)."),
        "homepage": site(reverse("public:campaign", args=[campaign.year])),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": [{
            "name": table, "path": f"{base}{table}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": [{"name": f.name, "type": f.type, "title": f.title,
                                   "description": f.description} for f in fields],
                       "primaryKey": ["id"]},
        } for table, fields in TABLES.items()],
    }


def catalog() -> dict:
    """DCAT catalogue metadata (JSON-LD), one dataset per published campaign."""
    datasets = []
    for c in Campaign.objects.order_by("-year"):
        base = site(f"/api/v1/campaigns/{c.year}/")
        distributions = []
        for table in TABLES:
            for suffix, media in (("", "application/json"), (".csv", "text/csv"),
                                  (".xlsx", "application/vnd.openxmlformats-officedocument."
                                            "spreadsheetml.sheet")):
                distributions.append({
                    "@type": "dcat:Distribution", "dct:title": f"{table}{suffix or '.json'}",
                    "dcat:downloadURL": {"@id": f"{base}{table}{suffix}"},
                    "dcat:accessURL": {"@id": f"{base}{table}{suffix}"},
                    "dcat:mediaType": media, "dct:format": (suffix or ".json")[1:].upper()})
        distributions.append({"@type": "dcat:Distribution", "dct:title": "activities.ics",
                              "dcat:downloadURL": {"@id": f"{base}activities.ics"},
                              "dcat:accessURL": {"@id": f"{base}activities.ics"},
                              "dcat:mediaType": "text/calendar", "dct:format": "ICS"})
        datasets.append({
            "@type": "dcat:Dataset", "@id": f"{base}datapackage.json",
            "dct:identifier": f"dxday-{c.year}", "dct:title": c.title,
            "dct:description": c.theme or c.title, "dct:language": "vi",
            "dcat:keyword": ["chuyển đổi số", "Ngày Chuyển đổi số quốc gia", str(c.year)],
            "dct:publisher": {"@type": "foaf:Organization",
                              "foaf:name": c.organiser.name if c.organiser else ""},
            "dct:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
            "dcat:landingPage": {"@id": site(reverse("public:campaign", args=[c.year]))},
            "dcat:distribution": distributions,
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@type": "dcat:Catalog", "@id": site("/api/v1/catalog.jsonld"),
        "dct:title": "dxday — Ngày Chuyển đổi số quốc gia",
        "dct:description": "Open data of Vietnam's National Digital Transformation Day.",
        "dct:language": "vi", "dcat:dataset": datasets,
    }
