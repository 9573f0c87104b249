"""Results year by year (issue 18, item 5): Thành phố Đà Nẵng's page and API give, beside each
year's plan, its published results — Quảng Nam's 2022 results (merged into the city on
01/07/2025) and the city's own 2026 results; and the national trends per year, on the page
and at /api/v1/trends. Every figure compared with counts computed here from the rows."""

import datetime

import pytest
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dxday.campaigns.models import Campaign
from dxday.plans.models import Activity, Plan
from dxday.results.models import ActivityOutcome, InitiativeOutcome, Result
from tests.opendata import results_sample

pytestmark = pytest.mark.django_db
# The sample's fixtures, used here.
published, with_results = results_sample.published, results_sample.with_results
PAGES = {"vi": "/don-vi/48/qua-cac-nam/", "en": "/en/units/48/years/"}


def counted(campaign, code) -> dict:
    """A body's results figures for a campaign, counted from its published rows."""
    outcomes = ActivityOutcome.objects.public().filter(campaign=campaign,
                                                       organisation__code=code)
    return {
        "activities_held": outcomes.filter(planned__isnull=False,
                                           status__in=("held", "changed")).count(),
        "activities_added": outcomes.filter(planned__isnull=True).count(),
        "participants": sum((o.participants_in_person or 0) + (o.participants_online or 0)
                            for o in outcomes),
        "initiatives_launched": InitiativeOutcome.objects.public().filter(
            campaign=campaign, organisation__code=code, launched=True,
            planned__isnull=False).count(),
    }


def test_the_api_follows_quang_nam_2022_into_the_city_2026(client, with_results):
    body = client.get("/api/v1/organisations/48/years").json()
    items = {(i["year"], i["organisation"]["code"]): i for i in body["years"]}
    quang_nam = items[(2022, "49-2022")]
    assert quang_nam["via"]["successor"]["code"] == "48"
    assert quang_nam["via"]["type"] == "merged"
    expected = counted(Campaign.objects.get(year=2022), "49-2022")
    assert expected == {"activities_held": 1, "activities_added": 0, "participants": 240,
                        "initiatives_launched": 0}  # its initiative was not planned
    assert quang_nam["results"] == {"published": True, **expected}
    city = items[(2026, "48")]
    expected = counted(with_results, "48")
    assert expected == {"activities_held": 2, "activities_added": 1,
                        "participants": 320 + 1250 + 150 + 80, "initiatives_launched": 1}
    assert city["results"] == {"published": True, **expected}
    assert city["plan"]["activities"] == Activity.objects.public().filter(
        campaign=with_results, organisation__code="48").count()
    # A body without accepted results: no figures; not a recipient: no results at all.
    for (year, code), item in items.items():
        if (year, code) in {(2022, "49-2022"), (2026, "48")}:
            continue
        if item["plan"]["status"] == "not_a_recipient":
            assert item["results"] is None
        else:
            assert item["results"] == {"published": False, "activities_held": None,
                                       "activities_added": None, "participants": None,
                                       "initiatives_launched": None}, (year, code)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_shows_the_same_results(client, with_results, language):
    response = client.get(PAGES[language])
    assert response.status_code == 200
    tree = HTMLParser(response.content.decode())
    rows = {(int(tr.attributes["data-year"]), tr.attributes["data-code"]): tr
            for tr in tree.css("#years tbody tr")}
    for (year, code) in ((2022, "49-2022"), (2026, "48")):
        figures = counted(Campaign.objects.get(year=year), code)
        row = rows[(year, code)]
        assert row.css_first("td.held").text(strip=True) == str(figures["activities_held"])
        assert row.css_first("td.participants").text(strip=True) == str(
            figures["participants"])
        assert row.css_first("td.launched").text(strip=True) == str(
            figures["initiatives_launched"])
        link = row.css_first("td.held a").attributes["href"]
        assert link == (f"/campaigns/{year}/results/{code}/" if language == "vi"
                        else f"/en/campaigns/{year}/results/{code}/")
        assert client.get(link).status_code == 200
    assert rows[(2022, "48-2022")].css_first("td.held").text(strip=True) == "—"


def test_the_embargo_holds_the_years_results_back(client, with_results):
    with_results.publish_from = timezone.now() + datetime.timedelta(days=1)
    with_results.save()
    body = client.get("/api/v1/organisations/48/years").json()
    city = next(i for i in body["years"] if i["year"] == 2026)
    assert city["results"]["published"] is False and city["results"]["participants"] is None
    trend = next(t for t in client.get("/api/v1/trends").json() if t["year"] == 2026)
    assert (trend["activities_planned"], trend["activities_held"], trend["participants"],
            trend["initiatives_launched"]) == (0, 0, 0, 0)
    assert trend["published"] is False


def national(campaign) -> dict:
    """A campaign's national figures, counted here from the rows."""
    outcomes = ActivityOutcome.objects.public().filter(campaign=campaign)
    return {
        "year": campaign.year, "published": campaign.is_published(),
        "expected_units": campaign.recipients.count(),
        "plans_accepted": Plan.objects.filter(campaign=campaign, status="accepted").count(),
        "results_accepted": Result.objects.filter(campaign=campaign, status="accepted").count(),
        "activities_planned": Activity.objects.public().filter(campaign=campaign).count(),
        "activities_held": outcomes.filter(planned__isnull=False,
                                           status__in=("held", "changed")).count(),
        "activities_added": outcomes.filter(planned__isnull=True).count(),
        "participants": sum((o.participants_in_person or 0) + (o.participants_online or 0)
                            for o in outcomes),
        "initiatives_launched": InitiativeOutcome.objects.public().filter(
            campaign=campaign, launched=True, planned__isnull=False).count(),
    }


def test_national_trends_are_the_counted_figures(client, with_results):
    trends = client.get("/api/v1/trends").json()
    campaigns = list(Campaign.objects.order_by("year"))
    assert [t["year"] for t in trends] == [c.year for c in campaigns]
    assert trends == [national(c) for c in campaigns]
    by_year = {t["year"]: t for t in trends}
    assert by_year[2026]["activities_held"] == 2 and by_year[2022]["participants"] == 240
    # The page's section shows the same figures.
    tree = HTMLParser(client.get(PAGES["vi"]).content.decode())
    for tr in tree.css("#trends tbody tr"):
        trend = by_year[int(tr.attributes["data-year"])]
        for cell in tr.css("td[data-figure]"):
            assert cell.text(strip=True) == str(trend[cell.attributes["data-figure"]])
    assert len(tree.css("#trends tbody tr")) == len(campaigns)


def test_the_trends_are_renewed_when_results_are_published(client, published, reviewer,
                                                           django_capture_on_commit_callbacks):
    old = Campaign.objects.get(year=2022)
    old.results_deadline = timezone.now() + datetime.timedelta(days=5)
    old.save()
    before = next(t for t in client.get("/api/v1/trends").json() if t["year"] == 2022)
    assert (before["activities_held"], before["participants"]) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        results_sample.report(old, "49-2022", results_sample.quang_nam_2022, reviewer)
    after = next(t for t in client.get("/api/v1/trends").json() if t["year"] == 2022)
    assert after == national(old)
    assert (after["activities_held"], after["participants"]) == (1, 240)
