"""Public portal pages over published data: calendar, catalogue, map, organisation, feed."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db


def test_campaign_overview_figures(client, published):
    response = client.get("/campaigns/2026/")
    assert response.context["activities_count"] == 3
    assert response.context["initiatives_count"] == 2
    assert response.context["answered"] == 2  # Đà Nẵng accepted, BKHCN submitted
    bars = {b["key"]: b["count"] for b in response.context["by_category"]}
    assert bars["exhibition"] == 1 and bars["conference"] == 1
    assert len(response.context["missing"]) == 54


def test_category_bars_count_every_activity(client, campaign, reviewer, good_plan):
    from tests.opendata.conftest import activity, publish

    publish(campaign, "01", {**good_plan, "activities": [
        activity(f"Hội thảo {n}", f"2026-10-0{n}", "01") for n in range(1, 4)] + [
        activity("Triển lãm", "2026-10-05", "01", category="exhibition")]}, reviewer)
    bars = {b["key"]: b["count"] for b in client.get("/campaigns/2026/").context["by_category"]}
    assert bars["conference"] == 3 and bars["exhibition"] == 1


def test_calendar_list_month_and_ical_link(client, published):
    html = client.get("/campaigns/2026/calendar/", {"format": "online"}).content.decode()
    assert "Ngày hội kỹ năng số" in html and "Hội thảo chuyển đổi số" not in html
    assert "/api/v1/campaigns/2026/activities.ics?format=online" in html
    month = client.get("/campaigns/2026/calendar/", {"view": "month", "month": "2026-10"})
    days = {d["date"].day: [a["title"] for a in d["items"]] for week in month.context["weeks"]
            for d in week if d["in_month"]}
    assert "Triển lãm sản phẩm số; “Make in Vietnam”" in days[10]  # 08–10/10
    assert days[7] == []
    assert client.get("/campaigns/2026/calendar/", {"view": "month",
                                                    "month": "garbage"}).status_code == 200


def test_during_the_window_what_is_to_come_is_listed_first(client, published):
    import datetime
    from unittest import mock

    from django.utils import timezone

    # 09/10/2026: the conference of the 5th is over, the exhibition (08–10) and the skills day
    # (09) are still on; they come first, the past one last.
    today = datetime.date(2026, 10, 9)
    with mock.patch.object(timezone, "localdate", return_value=today):
        page = client.get("/campaigns/2026/calendar/", {"x": "window"}).context["page"]
    titles = [a.title for a in page]
    assert titles[-1] == "Hội thảo chuyển đổi số"
    assert titles[0] == "Triển lãm sản phẩm số; “Make in Vietnam”"


def test_catalogue_links_to_the_service(client, published):
    html = client.get("/campaigns/2026/initiatives/", {"beneficiary": "businesses"}).content.decode()
    assert "Sàn thương mại điện tử" in html and "Ví điện tử công dân" not in html
    assert 'href="https://danang.example.vn/san"' in html


def test_map_counts_earlier_years_on_todays_provinces(client, published):
    page = client.get("/campaigns/2022/map/")
    rows = {r["code"]: r for r in page.context["rows"]}
    assert len(rows) == 34
    assert rows["48"]["activities"] == 1  # Quảng Nam's 2022 activity, on Đà Nẵng
    assert page.context["earlier"] is True
    assert 'id="map-table"' in page.content.decode()


def test_organisation_page_shows_the_published_plan(client, published):
    html = client.get("/organisations/48/").content.decode()
    assert "Hội thảo chuyển đổi số" in html and "Ví điện tử công dân" in html
    assert "Chưa được duyệt" not in client.get("/organisations/BKHCN/").content.decode()
    old = client.get("/organisations/49-2022/").content.decode()
    assert "Thành phố Đà Nẵng" in old and "Hội nghị Quảng Nam 2022" in old


def test_atom_feed_of_published_plans(client, published):
    response = client.get("/feeds/plans.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert any("Thành phố Đà Nẵng" in t for t in titles)
    assert not any("Bộ Khoa học và Công nghệ" in t for t in titles)


def test_detail_pages_hide_unpublished_rows(client, published):
    import datetime

    from django.utils import timezone

    from dxday.plans.models import Activity

    activity = Activity.objects.filter(campaign=published).first()
    assert client.get(f"/campaigns/2026/activities/{activity.pk}/").status_code == 200
    published.publish_from = timezone.now() + datetime.timedelta(days=1)
    published.save()
    from dxday.public.cache import publication_changed

    publication_changed()  # what the campaign admin does on save
    assert client.get(f"/campaigns/2026/activities/{activity.pk}/").status_code == 404
    assert client.get(f"/campaigns/2022/activities/{activity.pk}/").status_code == 404
