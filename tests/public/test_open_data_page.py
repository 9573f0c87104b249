"""The open-data page (/du-lieu-mo/, /en/open-data/) and the API's reference page: the figures
it lists are the rows the test counts itself, every file it links to downloads, and each
address keeps its own language, in the cache too."""

import datetime
import re
from html import escape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dxday.campaigns.models import Campaign
from dxday.lib.dates import moment_text
from dxday.plans.models import Activity, Initiative, Plan
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.public import opendata
from dxday.public.datasets import campaign_datasets
from dxday.registry.models import Organisation
from dxday.results.models import ActivityOutcome, InitiativeOutcome
from tests.public.test_pages import assert_accessible_structure, outline

pytestmark = pytest.mark.django_db
PAGES = {"vi": "/du-lieu-mo/", "en": "/en/open-data/"}
API_PAGES = {"vi": "/du-lieu-mo/api/", "en": "/en/open-data/api/"}


def activity(title, start, province=None, **extra):
    return {"title": title, "category": extra.pop("category", "conference"), "start": start,
            "end": start, "location": "Hội trường", "province": province,
            "format": "in_person", "audience": "", "description": "", "url": ""}


def publish(campaign, code, data, reviewer):
    org = Organisation.objects.get(code=code)
    plan_save_draft(campaign=campaign, organisation=org, data=data, by=None)
    plan = plan_submit(campaign=campaign, organisation=org, by=None)
    return plan_review(plan=plan, by=reviewer, decision="accept")


def unrestricted(year):
    """A campaign that takes plans whatever today's date is."""
    campaign = Campaign.objects.get(year=year)
    campaign.submission_deadline = None
    campaign.window_start = datetime.date(year, 10, 1)
    campaign.window_end = datetime.date(year, 10, 10)
    campaign.save()
    return campaign


@pytest.fixture
def world(campaign, reviewer, good_plan):
    """2026: Đà Nẵng accepted (3 activities, 2 initiatives), BKHCN submitted only, BTC a
    draft; 2022: Quảng Nam accepted; 2025: Hà Nội accepted but under embargo."""
    publish(campaign, "48", {**good_plan, "activities": [
        activity("Hội thảo chuyển đổi số", "2026-10-05", "48"),
        activity("Triển lãm sản phẩm số", "2026-10-08", "48", category="exhibition"),
        activity("Ngày hội kỹ năng số", "2026-10-09")],
        "initiatives": [*good_plan["initiatives"], {
            "name": "Sàn thương mại điện tử", "description": "", "beneficiaries": ["businesses"],
            "sector": "Thương mại", "url": "", "launch_date": ""}]}, reviewer)
    bkhcn = Organisation.objects.get(code="BKHCN")
    plan_save_draft(campaign=campaign, organisation=bkhcn, data={
        **good_plan, "activities": [activity("Chưa được duyệt", "2026-10-05")]}, by=None)
    plan_submit(campaign=campaign, organisation=bkhcn, by=None)
    plan_save_draft(campaign=campaign, organisation=Organisation.objects.get(code="BTC"),
                    data={"activities": [activity("Bản nháp", "2026-10-05")]}, by=None)
    publish(unrestricted(2022), "49-2022", {**good_plan, "activities": [
        activity("Hội nghị Quảng Nam 2022", "2022-10-07", "49-2022")], "initiatives": []},
        reviewer)
    embargoed = unrestricted(2025)
    publish(embargoed, "01", {**good_plan, "activities": [
        activity("Hội nghị Hà Nội", "2025-10-07", "01"),
        activity("Triển lãm Hà Nội", "2025-10-08", "01")]}, reviewer)
    embargoed.publish_from = timezone.now() + datetime.timedelta(days=2)
    embargoed.save()
    return {"2026": campaign, "2025": embargoed}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.alternates = [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates[attrs["hreflang"]] = attrs["href"]


def links(response) -> Links:
    parser = Links()
    parser.feed(response.content.decode())
    return parser


def nav_link(html: str) -> str:
    """The header's open-data link."""
    nav = html.split('id="site-menu"', 1)[1].split("</ul>", 1)[0]
    hrefs = re.findall(r'href="([^"]*)"', nav)
    assert len(hrefs) >= 2, nav
    return hrefs[1]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_listed_rows_are_the_published_rows(client, world, language):
    response = client.get(PAGES[language])
    assert response.status_code == 200
    html = response.content.decode()
    listed = {d.campaign.year: {t.name: t.rows for t in d.tables}
              for d in response.context["datasets"]}
    assert set(listed) == set(Campaign.objects.values_list("year", flat=True))
    for campaign in Campaign.objects.all():
        expected = {"activities": Activity.objects.public().filter(campaign=campaign).count(),
                    "initiatives": Initiative.objects.public().filter(campaign=campaign).count(),
                    "activity_results": ActivityOutcome.objects.public().filter(
                        campaign=campaign).count(),
                    "initiative_results": InitiativeOutcome.objects.public().filter(
                        campaign=campaign).count()}
        assert listed[campaign.year] == expected, campaign.year
        if not any(expected.values()):  # nothing published: said in a line, no empty table
            assert f'data-rows="{campaign.year}-' not in html
            continue
        for table, n in expected.items():
            assert f'data-rows="{campaign.year}-{table}">{n}</td>' in html
    no_results = {"activity_results": 0, "initiative_results": 0}
    assert listed[2026] == {"activities": 3, "initiatives": 2, **no_results}
    assert listed[2022] == {"activities": 1, "initiatives": 0, **no_results}
    # Hà Nội's 2025 rows exist but wait for the embargo; BKHCN's submitted plan and BTC's
    # draft were never published.
    assert Activity.objects.filter(campaign=world["2025"]).count() == 2
    assert listed[2025] == {"activities": 0, "initiatives": 0, **no_results}
    assert "Chưa được duyệt" not in html and "Bản nháp" not in html


def test_rows_are_counted_in_a_fixed_number_of_queries(world):
    with CaptureQueriesContext(connection) as queries:
        datasets = campaign_datasets()
    assert len(datasets) == Campaign.objects.count() >= 5
    # One grouped count per table, one for the update times, one for the campaigns.
    assert len(queries) == len(opendata.ALL_TABLES) + 2, [q["sql"] for q in queries]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_download_link_answers(client, world, language):
    hrefs = links(client.get(PAGES[language])).hrefs
    files = [h for h in hrefs if h.startswith("/api/v1/")]
    published = set(Activity.objects.public().values_list("campaign__year", flat=True))
    assert published and published != set(Campaign.objects.values_list("year", flat=True))
    for year in Campaign.objects.values_list("year", flat=True):
        for name in ("activities", "activities.csv", "activities.xlsx", "activities.ics",
                     "initiatives", "initiatives.csv", "initiatives.xlsx", "datapackage.json"):
            # Files are offered for the campaigns that have published rows, only.
            assert (f"/api/v1/campaigns/{year}/{name}" in files) == (year in published)
    assert "/api/v1/catalog.jsonld" in files and "/api/v1/openapi.json" in files
    for href in files:
        assert client.get(href).status_code == 200, href
    assert "https://creativecommons.org/licenses/by/4.0/" + (
        "deed.vi" if language == "vi" else "") in hrefs
    assert API_PAGES[language] in hrefs
    assert client.get(API_PAGES[language]).status_code == 200


@pytest.mark.parametrize("language", ["vi", "en"])
def test_update_time_is_the_last_publication_in_vietnam_time(client, world, language):
    html = client.get(PAGES[language]).content.decode()
    last = (Plan.objects.filter(campaign=world["2026"], status=Plan.Status.ACCEPTED)
            .aggregate(last=Max("reviewed_at"))["last"])
    local = timezone.localtime(last, datetime.timezone(datetime.timedelta(hours=7)))
    section = html.split('id="campaign-2026"', 1)[1].split("</section>", 1)[0]
    with translation.override(language):
        shown = moment_text(last)
    assert f"{local:%d/%m/%Y}" in shown
    assert f'<time datetime="{local.isoformat()}">{shown}</time>' in section
    # The embargoed campaign has nothing published yet, so no update time.
    embargoed = html.split('id="campaign-2025"', 1)[1].split("</section>", 1)[0]
    assert "<time" not in embargoed


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_address_has_its_language_whatever_the_cookie(client, world, language):
    other = "en" if language == "vi" else "vi"
    client.cookies["django_language"] = other
    for pages in (PAGES, API_PAGES):
        response = client.get(pages[language])
        assert response.status_code == 200
        assert outline(response).lang == language
        assert response["Content-Language"] == language
        page = links(response)
        assert page.alternates == {code: settings.SITE_URL.rstrip("/") + path
                                   for code, path in pages.items()}
        assert pages[other] in page.hrefs
        assert_accessible_structure(outline(response))


def test_the_cache_keeps_each_address_in_its_own_language(client, world):
    """Anonymous visits are cached; each address is served in its own language, from the
    cache as at first."""
    first_en, first_vi = client.get(PAGES["en"]), client.get(PAGES["vi"])
    assert outline(first_en).lang == "en" and outline(first_vi).lang == "vi"
    again_en, again_vi = client.get(PAGES["en"]), client.get(PAGES["vi"])
    assert again_en["X-Cache"] == "hit" and again_vi["X-Cache"] == "hit"
    assert outline(again_en).lang == "en" and outline(again_vi).lang == "vi"
    assert again_en["Content-Language"] == "en" and again_vi["Content-Language"] == "vi"
    assert b"This page in another language" in again_en.content
    # A visitor who chose English gets the Vietnamese address in Vietnamese.
    client.cookies["django_language"] = "en"
    assert outline(client.get(PAGES["vi"])).lang == "vi"
    assert outline(client.get(API_PAGES["vi"])).lang == "vi"
    client.cookies["django_language"] = "vi"
    assert outline(client.get(API_PAGES["en"])).lang == "en"


def test_the_header_language_links_lead_to_the_other_address(client, world):
    response = client.get(PAGES["vi"] + "?lang=en")
    assert response.status_code == 302 and response["Location"] == PAGES["en"]
    assert response.cookies["django_language"].value == "en"
    response = client.get(API_PAGES["en"] + "?lang=vi")
    assert response.status_code == 302 and response["Location"] == API_PAGES["vi"]
    assert client.get(PAGES["vi"] + "?lang=vi").status_code == 200


def test_the_header_links_to_the_page_in_the_visitor_language(client, world):
    assert nav_link(client.get("/").content.decode()) == PAGES["vi"]
    assert nav_link(client.get(PAGES["en"]).content.decode()) == PAGES["en"]
    assert nav_link(client.get(PAGES["vi"]).content.decode()) == PAGES["vi"]
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert nav_link(html) == PAGES["en"]
    assert "/api/v1/docs" not in html.split("</header>")[0]
    assert f'href="{API_PAGES["en"]}"' in html.split("<footer", 1)[1]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_campaign_page_links_to_its_datasets(client, world, language):
    client.cookies["django_language"] = language
    html = client.get("/campaigns/2026/").content.decode()
    assert f'href="{PAGES[language]}#campaign-2026"' in html
    assert 'id="campaign-2026"' in client.get(PAGES[language]).content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_api_page_lists_every_operation_of_the_openapi_document(client, db, language):
    schema = client.get("/api/v1/openapi.json").json()
    response = client.get(API_PAGES[language])
    assert response.status_code == 200
    html = response.content.decode()
    operations = [(path, method, op) for path, item in schema["paths"].items()
                  for method, op in item.items()]
    assert len(operations) >= 20
    for path, method, op in operations:
        assert f'id="{op["operationId"]}"' in html, (method, path)
        article = html.split(f'id="{op["operationId"]}"', 1)[1].split("</article>", 1)[0]
        assert f">{method.upper()}</span>" in article
        assert ">" + path.replace("/", "/<wbr>") + "</code>" in article
        if language == "en":
            assert escape(op["summary"]) in article
        for parameter in op.get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in article, (path, parameter["name"])
        assert ("Authorization: Bearer" in article) == bool(op.get("security"))
    hrefs = links(response).hrefs
    assert "/api/v1/openapi.json" in hrefs and "/api/v1/docs" in hrefs
    assert PAGES[language] in hrefs
    assert_accessible_structure(outline(response))


def test_every_operation_summary_reads_in_vietnamese():
    """The API page in Vietnamese shows each endpoint's summary translated: a summary added
    or changed in the API without its translation fails here."""
    from django.utils import translation

    from dxday.api.views import api

    summaries = {op["summary"] for item in api.get_openapi_schema()["paths"].values()
                 for op in item.values() if isinstance(op, dict) and op.get("summary")}
    assert len(summaries) >= 20
    with translation.override("vi"):
        untranslated = sorted(s for s in summaries if translation.gettext(s) == s)
    assert untranslated == []
