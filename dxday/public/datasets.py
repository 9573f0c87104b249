"""The open-data pages: every campaign's datasets with their files, and the API's reference.

Each page has a Vietnamese address (/du-lieu-mo/) and an English one (/en/open-data/) and is
served in that address's language whatever the visitor's cookie says, so that a link to it
(from a data portal, a search engine or a citation) always opens the same text. The public
cache keys pages by address, so each address keeps its own language there too.
"""

import dataclasses
import datetime
import json
import re
from html import escape

from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from dxday.campaigns.models import Campaign
from dxday.lib.urls import site_url
from dxday.plans.models import Activity, Initiative
from dxday.public import opendata
from dxday.results.models import ActivityOutcome, InitiativeOutcome

# The published rows of each open-data table (opendata.TABLES); counted as the API reads them.
TABLE_MODELS = {"activities": Activity, "initiatives": Initiative,
                "activity_results": ActivityOutcome, "initiative_results": InitiativeOutcome}
TABLE_TITLES = {"activities": gettext_lazy("Activities"),
                "initiatives": gettext_lazy("Digital initiatives"),
                "activity_results": gettext_lazy("Results: activities held"),
                "initiative_results": gettext_lazy("Results: digital initiatives launched")}
# Files of a table: (label, suffix of the API route's name).
TABLE_FORMATS = {
    "activities": [("JSON", ""), ("CSV", "_csv"), ("XLSX", "_xlsx"), ("iCalendar", "_ics")],
    "initiatives": [("JSON", ""), ("CSV", "_csv"), ("XLSX", "_xlsx")],
    "activity_results": [("JSON", ""), ("CSV", "_csv"), ("XLSX", "_xlsx")],
    "initiative_results": [("JSON", ""), ("CSV", "_csv"), ("XLSX", "_xlsx")],
}
# The two addresses of each page, by language.
PAGES = {"open_data": {"vi": "public:open_data", "en": "public:open_data_en"},
         "api_docs": {"vi": "public:api_docs", "en": "public:api_docs_en"}}


@dataclasses.dataclass
class TableFile:
    label: str
    url: str


@dataclasses.dataclass
class Table:
    name: str
    title: str
    rows: int
    files: list[TableFile]
    columns: list[dict]  # name and title, in the page's language


@dataclasses.dataclass
class CampaignData:
    campaign: Campaign
    published: bool
    updated: datetime.datetime | None  # when the last of its public plans was published
    tables: list[Table]
    datapackage: str


def campaign_datasets(now=None) -> list[CampaignData]:
    """Every campaign, newest first, with the published rows of each open-data table and the
    time its data last changed. One grouped count per table and one for the times, whatever
    the number of campaigns; the counts are those of the API (``objects.public()``), so an
    embargoed campaign and a draft count nothing."""
    now = now or timezone.now()
    counts = {table: dict(model.objects.public(now).order_by().values_list("campaign")
                          .annotate(n=Count("pk")))
              for table, model in TABLE_MODELS.items()}
    campaigns = list(Campaign.objects.order_by("-year"))
    spans = opendata.published_span(campaigns)
    vietnamese = translation.get_language() != "en"
    result = []
    for campaign in campaigns:
        published = campaign.is_published(now)
        updated = spans[campaign.pk][1] if published and campaign.pk in spans else None
        tables = [Table(
            name=table, title=TABLE_TITLES.get(table, table),
            rows=counts.get(table, {}).get(campaign.pk, 0),
            files=[TableFile(label, reverse(f"api:{table}{suffix}", args=[campaign.year]))
                   for label, suffix in TABLE_FORMATS.get(table, [])],
            columns=[{"name": f.name, "title": f.title_vi if vietnamese else f.title}
                     for f in fields]) for table, fields in opendata.ALL_TABLES.items()]
        result.append(CampaignData(
            campaign=campaign, published=published, updated=updated, tables=tables,
            datapackage=reverse("api:datapackage", args=[campaign.year])))
    return result


def _page(request, page: str, language: str, template: str, context):
    """Render ``template`` in ``language``; the header's language links (?lang=) lead to the
    page's address in the other language."""
    other = "en" if language == "vi" else "vi"
    if request.GET.get("lang") == other:
        return redirect(PAGES[page][other])
    with translation.override(language):
        alternates = {code: site_url(reverse(name)) for code, name in PAGES[page].items()}
        response = render(request, template, {
            **context(), "page_language": language, "alternates": alternates,
            "other_language": {"code": other, "url": reverse(PAGES[page][other]),
                               "name": "English" if other == "en" else "Tiếng Việt"},
            "open_data_url": reverse(PAGES["open_data"][language]),
            "api_docs_url": reverse(PAGES["api_docs"][language]),
        })
    response["Content-Language"] = language
    return response


def open_data(request, language: str):
    """Every campaign's datasets, their files and licence, the catalogue and the API."""
    def context():
        datasets = campaign_datasets()
        return {"datasets": datasets, "licence": opendata.LICENSE,
                "licence_url": opendata.LICENSE["path"] + ("deed.vi" if language == "vi"
                                                            else ""),
                "catalog_url": reverse("api:catalog"),
                "openapi_url": reverse("api:openapi-json"),
                "site_url": site_url(""),
                "example_year": (datasets[0].campaign.year if datasets
                                 else timezone.localdate().year)}
    return _page(request, "open_data", language, "public/open_data.html", context)


# --- the API's reference, from its OpenAPI document ------------------------------------------

# Words of the OpenAPI document that have a translation: makemessages finds them here. A
# summary changed in the API without a translation is shown as written, marked as English.
API_WORDS = [
    gettext_noop("List organisations"),
    gettext_noop("One organisation"),
    gettext_noop("A unit's plans year by year"),
    gettext_noop("List campaigns"),
    gettext_noop("One campaign"),
    gettext_noop("A campaign's recipients and their plan status"),
    gettext_noop("A campaign's figures"),
    gettext_noop("A unit's plan with its status and versions"),
    gettext_noop("Tracking figures by level"),
    gettext_noop("Save the draft"),
    gettext_noop("Submit the draft"),
    gettext_noop("Accept or return (reviewers)"),
    gettext_noop("Attach the signed plan document (PDF or DOCX)"),
    gettext_noop("Published activities"),
    gettext_noop("Published activities (CSV, UTF-8 with BOM)"),
    gettext_noop("Published activities (Excel)"),
    gettext_noop("Published activities (iCalendar, RFC 5545)"),
    gettext_noop("Published digital initiatives"),
    gettext_noop("Published digital initiatives (CSV)"),
    gettext_noop("Published digital initiatives (Excel)"),
    gettext_noop("Published results: activities held"),
    gettext_noop("Published results: activities (CSV)"),
    gettext_noop("Published results: activities (Excel)"),
    gettext_noop("Published results: digital initiatives launched"),
    gettext_noop("Published results: initiatives (CSV)"),
    gettext_noop("Published results: initiatives (Excel)"),
    gettext_noop("A unit's plans and results year by year"),
    gettext_noop("Frictionless data package"),
    gettext_noop("DCAT-AP 3 catalogue (JSON-LD) for harvesters"),
    gettext_noop("Search"),
]
TAG_TITLES = {"registry": gettext_lazy("Organisations"), "campaigns": gettext_lazy("Campaigns"),
              "open data": gettext_lazy("Open data"), "search": gettext_lazy("Search"),
              "plans": gettext_lazy("Plans (writing needs a token)")}
LOCATIONS = {"path": pgettext_lazy("API parameter", "path"),
             "query": pgettext_lazy("API parameter", "query"),
             "header": pgettext_lazy("API parameter", "header")}
METHODS = ("get", "put", "post", "patch", "delete")


def localised(text: str) -> dict:
    """A text of the OpenAPI document in the active language when translated; otherwise as
    written, with ``lang`` "en" so that a screen reader on the Vietnamese page reads it so."""
    text = text or ""
    translated = _(text) if text else ""
    english = bool(text) and translated == text and translation.get_language() != "en"
    return {"text": translated, "lang": "en" if english else ""}


def paragraphs(text: str) -> list[str]:
    """A description of the OpenAPI document (a docstring, wrapped as in the source) as
    paragraphs of HTML, its `code` spans as <code>."""
    return [mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>",  # noqa: S308 - escaped first
                             escape(" ".join(part.split()))))
            for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def _type(schema: dict) -> tuple[str, list]:
    """A parameter's type as written in the schema ("string (date)", "array of string") and
    the values it allows, if listed."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"] or [schema]
    first = options[0]
    if first.get("type") == "array":
        inner, values = _type(first.get("items", {}))
        return _("array of %(type)s") % {"type": inner}, values
    kind = first.get("type", "")
    if first.get("format"):
        kind = f"{kind} ({first['format']})"
    return kind, list(first.get("enum", []))


def operations(schema: dict) -> list[dict]:
    """The endpoints of an OpenAPI document grouped by tag, in the document's order."""
    groups: dict[str, dict] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or ["api"])[0]
            group = groups.setdefault(tag, {"tag": tag, "id": "tag-" + tag.replace(" ", "-"),
                                            "title": TAG_TITLES.get(tag, tag), "operations": []})
            parameters = []
            for p in op.get("parameters", []):
                schema_of = p.get("schema", {})
                kind, values = _type(schema_of)
                bounds = [schema_of[k] for k in ("minimum", "maximum") if k in schema_of]
                parameters.append({
                    "name": p["name"], "location": LOCATIONS.get(p.get("in"), p.get("in")),
                    "type": kind, "values": values, "required": bool(p.get("required")),
                    "default": schema_of.get("default"),
                    "range": "–".join(str(b) for b in bounds) if len(bounds) == 2 else "",
                    "description": localised(p.get("description", ""))})
            body = op.get("requestBody", {}).get("content", {})
            group["operations"].append({
                "id": op.get("operationId") or f"{method}-{path}",
                "method": method.upper(), "path": path,
                "summary": localised(op.get("summary", "")),
                "description": {**localised(op.get("description", "")),
                                "paragraphs": paragraphs(localised(
                                    op.get("description", ""))["text"])},
                "parameters": parameters, "body": list(body),
                "token": bool(op.get("security")),
                "responses": sorted(op.get("responses", {})),
            })
    return list(groups.values())


def openapi_document(request) -> dict:
    """The API's OpenAPI document, from its own view (the public /api/v1/openapi.json), read
    in process: the public pages do not import the API's modules (the API builds on them)."""
    match = resolve(reverse("api:openapi-json"))
    response = match.func(request, *match.args, **match.kwargs)
    return json.loads(response.content)


def api_docs(request, language: str):
    """The API's endpoints with their parameters, in the site's pages."""
    def context():
        schema = openapi_document(request)
        info = schema.get("info", {})
        return {"groups": operations(schema), "info": info,
                "description": {**localised(info.get("description", "")),
                                "paragraphs": paragraphs(localised(
                                    info.get("description", ""))["text"])},
                "openapi_url": reverse("api:openapi-json"),
                "interactive_url": reverse("api:openapi-view"),
                "api_root": site_url("/api/v1/")}
    return _page(request, "api_docs", language, "public/api_docs.html", context)
