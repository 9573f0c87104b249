"""A unit's plans year by year (decision 0018): Thành phố Đà Nẵng from 2022 to 2026, through
Đà Nẵng (48-2022) and Quảng Nam (49-2022) before the merger of 01/07/2025, on the public page
in both languages and in the API; published figures only."""

import datetime

import pytest
from django.utils import timezone, translation
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dxday.campaigns.models import Campaign
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation, Succession
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def plan_data(name: str, activities: int, initiatives: int) -> dict:
    return {
        "summary": f"Kế hoạch của {name}.",
        "contact": {"name": "Lê Văn Cường", "position": "", "phone": "0235 3810 000",
                    "email": ""},
        "activities": [{"title": f"{name}: hoạt động {i}", "category": "launch", "start":
                        "2024-10-10", "end": "", "location": "", "province": None,
                        "format": "online", "audience": "", "description": "", "url": ""}
                       for i in range(activities)],
        "initiatives": [{"name": f"{name}: sáng kiến {i}", "description": "",
                         "beneficiaries": ["officials"], "sector": "", "url": "",
                         "launch_date": None} for i in range(initiatives)],
        "communications": [], "display_urls": [],
    }


def answer(year: int, code: str, data: dict, *, submit=True, accept_by=None):
    campaign = Campaign.objects.get(year=year)
    campaign.signature_required = False
    campaign.save()
    organisation = Organisation.objects.get(code=code)
    editor = make_user(f"bientap-{year}@{code.lower()}.example.vn", "editor", code)
    plan, _result = plan_save_draft(campaign=campaign, organisation=organisation, data=data,
                                    by=editor)
    if submit:
        plan = plan_submit(campaign=campaign, organisation=organisation, by=editor)
    if accept_by is not None:
        plan = plan_review(plan=plan, by=accept_by, decision="accept")
    return plan


@pytest.fixture
def history(reviewer):
    """2022: Quảng Nam accepted (late: the 2022 deadline passed), Đà Nẵng submitted only;
    2024: Quảng Nam accepted under an embargo; 2025: the new city accepted (no deadline: on
    time); 2026: a draft only."""
    plans = {
        (2022, "49-2022"): answer(2022, "49-2022", plan_data("Quảng Nam 2022", 3, 2),
                                  accept_by=reviewer),
        (2022, "48-2022"): answer(2022, "48-2022", plan_data("Đà Nẵng 2022", 4, 1)),
        (2024, "49-2022"): answer(2024, "49-2022", plan_data("Quảng Nam 2024", 5, 1),
                                  accept_by=reviewer),
        (2025, "48"): answer(2025, "48", plan_data("Đà Nẵng 2025", 2, 3), accept_by=reviewer),
        (2026, "48"): answer(2026, "48", plan_data("Bản nháp 2026", 7, 0), submit=False),
    }
    embargoed = Campaign.objects.get(year=2024)
    embargoed.publish_from = timezone.now() + datetime.timedelta(days=30)
    embargoed.save()
    return plans


def table(html: str) -> dict[tuple[int, str], dict]:
    """The page's rows by (year, unit code): state, timing, activities, initiatives."""
    rows = {}
    for tr in HTMLParser(html).css("#years tbody tr"):
        cells = {c: tr.css_first(f"td.{c}").text(strip=True)
                 for c in ("state", "timing", "activities", "initiatives")}
        rows[(int(tr.attributes["data-year"]), tr.attributes["data-code"])] = {
            **cells, "text": tr.text(separator=" ", strip=True)}
    return rows


def expected_rows() -> list[tuple[int, str]]:
    """Every (year, answering unit) from the registry: the city where it was a recipient,
    else the bodies merged into it that were."""
    city = Organisation.objects.get(code="48")
    before = [s.predecessor for s in Succession.objects.filter(successor=city)]
    found = []
    for campaign in Campaign.objects.order_by("year"):
        recipients = set(campaign.recipients.values_list("pk", flat=True))
        if city.pk in recipients:
            found.append((campaign.year, city.code))
        else:
            found += [(campaign.year, o.code) for o in before if o.pk in recipients]
    return found


@pytest.mark.parametrize(("path", "lang"), [("/don-vi/48/qua-cac-nam/", "vi"),
                                            ("/en/units/48/years/", "en")])
def test_the_city_year_by_year_through_its_predecessors(client, history, path, lang):
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Language"] == lang
    html = response.content.decode()
    rows = table(html)
    assert sorted(rows) == sorted(expected_rows())
    assert (2022, "49-2022") in rows and (2026, "48") in rows  # Quảng Nam 2022 → the city 2026
    with translation.override(lang):
        t = translation.gettext
        merged = t("Merged into %(name)s (%(date)s)") % {"name": "Thành phố Đà Nẵng",
                                                        "date": "01/07/2025"}
        not_submitted, accepted, submitted = t("Not submitted"), t("Accepted"), t("Submitted")
        late, on_time = t("late"), t("on time")
    for key, plan in history.items():
        row = rows[key]
        data = plan.versions.last().data if plan.versions.exists() else None
        if data is None:  # a draft is nobody's business
            assert row["state"] == not_submitted and row["activities"] == "—"
            assert "Bản nháp" not in html
            continue
        published = (plan.status == "accepted"
                     and Campaign.objects.get(pk=plan.campaign_id).is_published())
        assert row["state"] == (accepted if plan.status == "accepted" else submitted)
        assert (late in row["timing"]) == (plan.on_time is False)
        assert (on_time in row["timing"]) == (plan.on_time is True)
        if published:
            assert row["activities"] == str(len(data["activities"]))
            assert row["initiatives"] == str(len(data["initiatives"]))
        else:  # submitted only, or accepted under an embargo
            assert (row["activities"], row["initiatives"]) == ("—", "—")
    assert rows[(2024, "49-2022")]["state"] == accepted  # the state is public, not the content
    for (year, code), row in rows.items():
        if code != "48":
            assert merged in row["text"], (year, code)
        if (year, code) not in history:
            assert row["state"] == not_submitted
    other = "/en/units/48/years/" if lang == "vi" else "/don-vi/48/qua-cac-nam/"
    assert f'href="{other}"' in html


def test_the_api_gives_the_same_figures(client, history):
    body = client.get("/api/v1/organisations/48/years").json()
    assert body["organisation"] == {"code": "48", "name": "Thành phố Đà Nẵng"}
    items = {(i["year"], i["organisation"]["code"]): i for i in body["years"]}
    assert sorted(items) == sorted(expected_rows())
    for key, plan in history.items():
        item = items[key]["plan"]
        versions = list(plan.versions.all())
        if not versions:
            assert item["status"] == "not_submitted" and item["activities"] is None
            continue
        data = versions[-1].data
        assert item["status"] == plan.status and item["on_time"] == plan.on_time
        if (plan.status == "accepted"
                and Campaign.objects.get(pk=plan.campaign_id).is_published()):
            assert (item["activities"], item["initiatives"]) == (
                len(data["activities"]), len(data["initiatives"]))
        else:
            assert (item["activities"], item["initiatives"], item["published"]) == (
                None, None, False)
    via = items[(2022, "49-2022")]["via"]
    assert (via["type"], via["date"], via["successor"]["code"]) == ("merged", "2025-07-01", "48")
    assert items[(2025, "48")]["via"] is None


def test_an_ended_body_and_the_links_between_pages(client, history):
    html = client.get("/don-vi/49-2022/qua-cac-nam/").content.decode()
    rows = table(html)
    quang_nam = Organisation.objects.get(code="49-2022")
    years = list(Campaign.objects.order_by("year").values_list("year", flat=True))
    assert sorted(rows) == [(y, "49-2022") for y in years]
    with translation.override("vi"):
        outside = translation.gettext("Not among the recipients")
    received = set(Campaign.objects.filter(recipients=quang_nam).values_list("year", flat=True))
    assert received == {2022, 2023, 2024}
    for year in years:
        assert (rows[(year, "49-2022")]["state"] == outside) == (year not in received)
    assert "/organisations/48/" in html  # "Hợp nhất vào Thành phố Đà Nẵng"
    page = client.get("/organisations/48/").content.decode()
    assert 'href="/don-vi/48/qua-cac-nam/"' in page
    page = client.get("/organisations/48/", {"lang": "en"}).content.decode()
    assert 'href="/en/units/48/years/"' in page


def test_unknown_codes_are_404(client):
    for path in ("/don-vi/KHONG-CO/qua-cac-nam/", "/en/units/KHONG-CO/years/",
                 "/api/v1/organisations/KHONG-CO/years"):
        assert client.get(path).status_code == 404
