"""Public results (issue 18): the campaign's results page and a unit's, each at a Vietnamese and
an English address; published (accepted) results only, held back by the campaign's embargo;
hostile text shown as text; figures compared with counts computed here from the rows; the
links from the campaign and unit pages; activities held in search; the cache renewed when
results are published."""

import datetime

import pytest
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dxday.campaigns.models import Campaign
from dxday.plans.models import Activity, Initiative
from dxday.registry.models import Organisation
from dxday.results.models import ActivityOutcome, InitiativeOutcome, Result
from tests.opendata import results_sample
from tests.opendata.results_sample import HOSTILE, danang_2026, quang_nam_2022, report

# The sample's fixtures, used here.
published, with_results = results_sample.published, results_sample.with_results

pytestmark = pytest.mark.django_db
PAGES = {"vi": "/campaigns/{year}/results/", "en": "/en/campaigns/{year}/results/"}
UNIT_PAGES = {"vi": "/campaigns/{year}/results/{code}/",
              "en": "/en/campaigns/{year}/results/{code}/"}


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response, HTMLParser(response.content.decode())


def grouped(n: int, language: str = "vi") -> str:
    """How a page writes a whole number: 1.800 in Vietnamese, 1,800 in English."""
    return f"{n:,}" if language == "en" else f"{n:,}".replace(",", ".")


def figure(tree, name) -> str:
    return tree.css_first(f'[data-figure="{name}"]').text(strip=True)


def counts(campaign) -> dict:
    """The campaign's public figures, counted here from the published rows."""
    outcomes = ActivityOutcome.objects.public().filter(campaign=campaign)
    answered = outcomes.filter(planned__isnull=False)  # what became of the planned ones
    people = sum((o.participants_in_person or 0) + (o.participants_online or 0)
                 for o in outcomes)
    return {
        "planned": Activity.objects.public().filter(campaign=campaign).count(),
        "took_place": answered.filter(status__in=("held", "changed")).count(),
        "changed": answered.filter(status="changed").count(),
        "cancelled": answered.filter(status="not_held").count(),
        "added": outcomes.filter(planned__isnull=True).count(),
        "participants": people,
        "launched": InitiativeOutcome.objects.public().filter(campaign=campaign,
                                                              launched=True).count(),
        "initiatives_planned": Initiative.objects.public().filter(campaign=campaign).count(),
        "results_accepted": Result.objects.filter(campaign=campaign,
                                                  status="accepted").count(),
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_campaign_results_page_shows_the_counted_figures(client, with_results, language):
    response, tree = page(client, PAGES[language].format(year=2026))
    assert response["Content-Language"] == language
    expected = counts(with_results)
    assert expected == {"planned": 3, "took_place": 2, "changed": 1, "cancelled": 1, "added": 1,
                        "participants": 320 + 1250 + 150 + 80, "launched": 1,
                        "initiatives_planned": 2, "results_accepted": 1}
    for name in ("planned", "changed", "cancelled", "added"):
        assert figure(tree, name) == grouped(expected[name], language), name
    assert figure(tree, "participants") == grouped(expected["participants"], language)
    assert figure(tree, "activities_held") == f"{expected['took_place']} / {expected['planned']}"
    # By category: each category's rows counted here.
    outcomes = ActivityOutcome.objects.public().filter(campaign=with_results)
    for row in tree.css("#by-category tbody tr"):
        category = row.attributes["data-category"]
        mine = outcomes.filter(category=category)
        assert row.css_first(".planned").text() == str(Activity.objects.public().filter(
            campaign=with_results, category=category).count())
        assert row.css_first(".held").text() == str(mine.filter(
            planned__isnull=False, status__in=("held", "changed")).count())
        assert row.css_first(".added").text() == str(mine.filter(planned__isnull=True).count())
    assert tree.css('#by-category tr[data-category="digital_skills"]')
    assert figure(tree, "initiatives_launched") == (
        f"{expected['launched']} / {expected['initiatives_planned']}")
    assert figure(tree, "results_accepted").startswith(f"{expected['results_accepted']} /")
    # The units whose results are published, each linking to its page in the same language.
    links = [a.attributes["href"] for a in tree.css("#units a")]
    assert links == [UNIT_PAGES[language].format(year=2026, code="48")]
    other = "en" if language == "vi" else "vi"
    assert PAGES[other].format(year=2026) in [
        a.attributes["href"] for a in tree.css(f'a[hreflang="{other}"]')]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_units_results_page_lists_its_published_rows(client, with_results, language):
    response, tree = page(client, UNIT_PAGES[language].format(year=2026, code="48"))
    assert response["Content-Language"] == language
    outcomes = list(ActivityOutcome.objects.public().filter(campaign=with_results,
                                                            organisation__code="48"))
    rows = tree.css("#activities tbody tr")
    assert [r.attributes["id"] for r in rows] == [f"activity-{o.pk}" for o in
                                                  sorted(outcomes, key=lambda o: o.position)]
    for outcome in outcomes:
        row = tree.css_first(f"#activity-{outcome.pk}")
        assert row.attributes["data-status"] == outcome.status
        people = (None if outcome.participants_in_person is None
                  and outcome.participants_online is None else
                  (outcome.participants_in_person or 0) + (outcome.participants_online or 0))
        shown = row.css_first(".participants").text(deep=False, strip=True)
        assert shown == ("—" if people is None else grouped(people, language))
        # Evidence: plain links, never followed by search engines nor given the opener.
        links = row.css(".evidence a")
        assert [a.attributes["href"] for a in links] == outcome.evidence
        assert all(a.attributes["rel"] == "nofollow noopener" for a in links)
    initiatives = InitiativeOutcome.objects.public().filter(campaign=with_results,
                                                            organisation__code="48")
    assert {r.attributes["id"] for r in tree.css("#initiatives tbody tr")} == {
        f"initiative-{n.pk}" for n in initiatives}
    launched = initiatives.get(launched=True)
    usage = tree.css_first(f"#initiative-{launched.pk} .usage").text(strip=True)
    assert usage.startswith(f"{grouped(launched.usage_value, language)} ")
    assert figure(tree, "cancelled") == str(sum(o.status == "not_held" for o in outcomes))
    assert figure(tree, "added") == str(sum(o.planned is None for o in outcomes))


def test_hostile_text_is_shown_as_text(client, with_results):
    html = client.get(UNIT_PAGES["vi"].format(year=2026, code="48")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tree = HTMLParser(html)
    added = ActivityOutcome.objects.get(planned__isnull=True, campaign=with_results)
    assert tree.css_first(f"#activity-{added.pk} th").text().startswith(HOSTILE)
    # An address with markup in it stays one attribute value.
    link = tree.css_first(f"#activity-{added.pk} .evidence a")
    assert link.attributes["href"] == added.evidence[0]
    assert not tree.css("script:not([src])") or all(
        "alert(1)" not in s.text() for s in tree.css("script"))


def test_the_embargo_holds_results_back(client, with_results):
    with_results.publish_from = timezone.now() + datetime.timedelta(days=1)
    with_results.save()
    _response, tree = page(client, PAGES["vi"].format(year=2026))
    assert tree.css_first("#embargo") is not None
    assert tree.css("#units a") == []
    html = client.get(UNIT_PAGES["vi"].format(year=2026, code="48")).content.decode()
    tree = HTMLParser(html)
    assert tree.css_first("#no-results") is not None and not tree.css("#activities")
    titles = ActivityOutcome.objects.filter(campaign=with_results).values_list("title",
                                                                            flat=True)
    assert titles and not any(t in html for t in titles if "<" not in t)
    assert ActivityOutcome.objects.public().filter(campaign=with_results).count() == 0
    assert not [r for r in client.get("/api/v1/search", {"q": "Hội thảo"}).json()
                if r["type"] == "activity_held"]


def test_submitted_results_are_not_public(client, published, reviewer):
    published.results_deadline = timezone.now() + datetime.timedelta(days=5)
    published.save()
    report(published, "48", danang_2026, reviewer, accept=False)
    html = client.get(UNIT_PAGES["vi"].format(year=2026, code="48")).content.decode()
    assert 'id="no-results"' in html and "Dời lịch" not in html
    tree = HTMLParser(client.get(PAGES["en"].format(year=2026)).content.decode())
    assert tree.css("#units a") == []
    assert not ActivityOutcome.objects.exists()


def test_unknown_campaign_or_unit_is_404(client, with_results):
    assert client.get(PAGES["vi"].format(year=1999)).status_code == 404
    assert client.get(UNIT_PAGES["en"].format(year=2026, code="NOPE")).status_code == 404
    # A unit that exists but that the campaign did not ask: 404, as the API says.
    outsider = Organisation.objects.exclude(campaigns=with_results).first()
    assert outsider is not None
    for language in ("vi", "en"):
        path = UNIT_PAGES[language].format(year=2026, code=outsider.code)
        assert client.get(path).status_code == 404
    api = f"/api/v1/campaigns/2026/plan-vs-result/{outsider.code}"
    assert client.get(api).status_code == 404


def test_links_from_the_campaign_and_the_unit_pages(client, with_results):
    tree = HTMLParser(client.get("/campaigns/2026/").content.decode())
    assert tree.css_first("#results-link").attributes["href"] == PAGES["vi"].format(year=2026)
    tree = HTMLParser(client.get("/organisations/48/").content.decode())
    assert [a.attributes["href"] for a in tree.css("a.results-link")] == [
        UNIT_PAGES["vi"].format(year=2026, code="48")]


def test_activities_held_are_found_by_search(client, with_results):
    held = ActivityOutcome.objects.filter(campaign=with_results, status__in=("held", "changed"),
                                          planned__isnull=False)
    found = [r for r in client.get("/api/v1/search", {"q": "Hội thảo chuyển đổi số"}).json()
             if r["type"] == "activity_held"]
    first = held.get(position=0)
    assert {"type": "activity_held", "title": first.title, "campaign": 2026,
            "url": f"/campaigns/2026/results/48/#activity-{first.pk}"} in found
    # Not held: not an activity held.
    cancelled = ActivityOutcome.objects.get(campaign=with_results, status="not_held")
    found = client.get("/api/v1/search", {"q": cancelled.title[:20]}).json()
    assert not any(r["url"].endswith(f"#activity-{cancelled.pk}") for r in found)
    tree = HTMLParser(client.get("/search/", {"q": "Hội thảo chuyển đổi số"}).content.decode())
    assert any(a.attributes.get("href") == f"/campaigns/2026/results/48/#activity-{first.pk}"
               for a in tree.css("a"))


def test_publishing_results_renews_the_cached_pages(client, published, reviewer,
                                                    django_capture_on_commit_callbacks):
    old = Campaign.objects.get(year=2022)
    old.results_deadline = timezone.now() + datetime.timedelta(days=5)
    old.save()
    path = PAGES["vi"].format(year=2022)
    assert HTMLParser(client.get(path).content.decode()).css("#units a") == []
    assert client.get(path)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        report(old, "49-2022", quang_nam_2022, reviewer)
    tree = HTMLParser(client.get(path).content.decode())
    assert [a.attributes["href"] for a in tree.css("#units a")] == [
        UNIT_PAGES["vi"].format(year=2022, code="49-2022")]
    # And the activity held is in the index, at the unit's page.
    held = ActivityOutcome.objects.get(campaign=old)
    found = client.get("/api/v1/search", {"q": "Hội nghị Quảng Nam 2022"}).json()
    assert any(r["url"] == f"/campaigns/2022/results/49-2022/#activity-{held.pk}"
               for r in found)


def test_results_on_the_map_by_todays_provinces(client, with_results):
    """Đà Nẵng's 2026 results, and Quảng Nam's 2022 results on today's Đà Nẵng (48)."""
    for year, code in ((2026, "48"), (2022, "49-2022")):
        campaign = Campaign.objects.get(year=year)
        outcomes = ActivityOutcome.objects.public().filter(campaign=campaign,
                                                           organisation__code=code)
        tree = HTMLParser(client.get(f"/campaigns/{year}/map/").content.decode())
        row = tree.css_first('#map-table tr[data-province="48"]')
        assert row.css_first(".held").text() == str(outcomes.filter(
            planned__isnull=False, status__in=("held", "changed")).count())
        assert row.css_first(".participants").text() == str(sum(
            (o.participants_in_person or 0) + (o.participants_online or 0) for o in outcomes))
        others = [r for r in tree.css("#map-table tbody tr")
                  if r.attributes["data-province"] != "48"]
        assert all(r.css_first(".held").text() == "0" for r in others)
        assert tree.css_first("#results-link").attributes["href"] == f"/campaigns/{year}/results/"


def test_the_units_list_comes_a_page_at_a_time(client, with_results, monkeypatch):
    """Thousands of communes: the list of units with published results is paged, in
    Vietnamese name order, each page linking to the next."""
    from dxday.public import results as public_results

    units = [("48", "Thành phố Đà Nẵng"), ("X1", "Xã Ân Hảo"), ("X2", "Xã Bình An")]
    monkeypatch.setattr(public_results.results_selectors, "published_units",
                        lambda campaign: units)
    monkeypatch.setattr(public_results, "UNITS_PER_PAGE", 2)
    path = PAGES["vi"].format(year=2026)
    _response, tree = page(client, path + "?page=1")
    first = [a.text() for a in tree.css("#units a")]
    assert first == ["Thành phố Đà Nẵng", "Xã Ân Hảo"]
    following = [a.attributes["href"] for a in tree.css(".pagination a")]
    assert following == [path + "?page=2"]
    _response, tree = page(client, path + "?page=2")
    assert [a.text() for a in tree.css("#units a")] == ["Xã Bình An"]
    assert "3 đơn vị đã công bố kết quả" in tree.body.text()
    # A page past the end, or not a number, shows a page that exists.
    _response, tree = page(client, path + "?page=99")
    assert [a.text() for a in tree.css("#units a")] == ["Xã Bình An"]
    _response, tree = page(client, path + "?page=abc")
    assert [a.text() for a in tree.css("#units a")] == first


def test_published_units_are_the_recipients_counted_in_vietnamese_name_order(client,
                                                                             with_results):
    from dxday.lib.text import sort_key
    from dxday.results.selectors import published_units

    found = published_units(with_results)
    expected = sorted(Result.objects.filter(campaign=with_results, status="accepted")
                      .values_list("organisation__code", "organisation__name"),
                      key=lambda u: (sort_key(u[1]), u[0]))
    assert found == expected and found
    # The list says how many, as the figure above it counts them.
    tree = page(client, PAGES["vi"].format(year=2026))[1]
    assert figure(tree, "results_accepted").startswith(f"{len(found)} /")
    assert f"{len(found)} đơn vị đã công bố kết quả" in tree.body.text()
    # A unit no longer asked by the campaign is neither counted nor listed.
    with_results.recipients.remove(Organisation.objects.get(code="48"))
    assert published_units(with_results) == []
