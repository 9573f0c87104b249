"""A unit starts its plan from last year's (decision 0018): through the web pages, as an editor
does; the earlier plans are made through the plan services, as units submitted them."""

import datetime

import pytest
from django.utils import timezone

from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan, PlanEvent
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation, Succession
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

W25 = (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
W26 = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 10))  # the `campaign` fixture's


def url(code="48", year=2026):
    return f"/plans/{year}/{code}/carry-over/"


def plan_data(name: str, *, starts: list[str], province: str, launch: str = "2021-05-19"):
    return {
        "summary": f"Kế hoạch của {name}.",
        "contact": {"name": "Trần Thị Bình", "position": "Trưởng phòng", "phone": "0236 3822 222",
                    "email": "binh@example.vn"},
        "activities": [{"title": f"{name}: hoạt động {i + 1}", "category": "conference",
                        "start": start, "end": "", "location": "Hội trường", "province": province,
                        "format": "in_person", "audience": "", "description": "", "url": ""}
                       for i, start in enumerate(starts)],
        "initiatives": [{"name": f"{name}: sáng kiến", "description": "",
                         "beneficiaries": ["citizens", "businesses"], "sector": "Y tế",
                         "url": "", "launch_date": launch}],
        "communications": [{"title": "Phóng sự năm trước", "channel": "tv", "url": "",
                            "date": ""}],
        "display_urls": [{"url": "https://example.vn/", "kind": "portal"}],
    }


def submit(year: int, code: str, data: dict, *, window=None, accept_by=None) -> Plan:
    """A unit's plan of an earlier campaign, saved and submitted by its editor."""
    campaign = Campaign.objects.get(year=year)
    campaign.signature_required = False
    if window:
        campaign.window_start, campaign.window_end = window
    campaign.save()
    organisation = Organisation.objects.get(code=code)
    editor = make_user(f"bientap-{year}@{code.lower()}.example.vn", "editor", code)
    plan_save_draft(campaign=campaign, organisation=organisation, data=data, by=editor)
    plan = plan_submit(campaign=campaign, organisation=organisation, by=editor)
    if accept_by is not None:
        plan = plan_review(plan=plan, by=accept_by, decision="accept")
    return plan


def draft_of(campaign, code="48") -> dict | None:
    return (Plan.objects.filter(campaign=campaign, organisation__code=code)
            .values_list("draft", flat=True).first())


@pytest.fixture
def last_year(db):
    """Đà Nẵng's 2025 plan: one activity in the window's first days, one late in the month
    (beyond 2026's shorter window), one before the window; province given as 48."""
    return submit(2025, "48", plan_data("Đà Nẵng 2025", starts=[
        "2025-10-05", "2025-10-20", "2025-09-01"], province="48"), window=W25)


def expected_date(value: str) -> str | None:
    """The rule of decision 0018, computed here from the two windows."""
    day = datetime.date.fromisoformat(value)
    if not W25[0] <= day <= W25[1]:
        return None
    moved = W26[0] + (day - W25[0])
    return moved.isoformat() if moved <= W26[1] else None


def test_a_unit_starts_from_last_years_plan(client, campaign, editor_a, last_year):
    client.force_login(editor_a)
    page = client.get("/plans/2026/48/").content.decode()
    assert 'id="carry-over"' in page and 'name="source" value="own"' in page
    response = client.post(url(), {"source": "own"})
    assert response.status_code == 302 and response["Location"] == "/plans/2026/48/"

    source = last_year.versions.get().data
    draft = draft_of(campaign)
    assert len(draft["activities"]) == len(source["activities"])
    for old, new in zip(source["activities"], draft["activities"], strict=True):
        assert new["title"] == old["title"] and new["category"] == old["category"]
        assert new["start"] == expected_date(old["start"])
        assert new["carried_over"] == "Thành phố Đà Nẵng (2025)"
    assert [a["start"] for a in draft["activities"]] == ["2026-10-05", None, None]
    assert [n["name"] for n in draft["initiatives"]] == [n["name"] for n in source["initiatives"]]
    assert all(n["carried_over"] == "Thành phố Đà Nẵng (2025)" for n in draft["initiatives"])
    # A launch date is when the service started: kept as it was.
    assert draft["initiatives"][0]["launch_date"] == source["initiatives"][0]["launch_date"]
    assert draft["summary"] == source["summary"] and draft["contact"] == source["contact"]
    assert draft["communications"] == []  # last year's coverage is not this year's

    # Through the one save service: a saved event by the editor, saying where it came from.
    event = PlanEvent.objects.filter(plan__campaign=campaign, plan__organisation__code="48",
                                     kind=PlanEvent.Kind.SAVED).get()
    assert event.by == editor_a and "Thành phố Đà Nẵng (2025)" in event.comment
    plan = Plan.objects.get(campaign=campaign, organisation__code="48")
    assert plan.status == Plan.Status.DRAFT and plan.history.first().history_user == editor_a

    # The form marks every carried row, keeps the mark in a hidden input, and a row removed
    # or edited is the unit's choice.
    page = client.get("/plans/2026/48/").content.decode()
    carried = len(draft["activities"]) + len(draft["initiatives"])
    assert page.count('class="badge text-bg-info carried-over"') == carried
    assert page.count('name="activities-0-carried_over"') == 1
    form = {"summary": draft["summary"], "activities-0-title": "Hội thảo năm 2026",
            "activities-0-category": "conference", "activities-0-start": "2026-10-06",
            "activities-0-format": "online", "activities-0-carried_over": "Thành phố Đà Nẵng (2025)",
            "activities-1-title": draft["activities"][1]["title"],
            "activities-1-category": "conference", "activities-1-delete": "1",
            "activities-1-carried_over": "Thành phố Đà Nẵng (2025)",
            "action": "save"}
    assert client.post("/plans/2026/48/", form).status_code == 302
    saved = draft_of(campaign)["activities"]
    assert [(a["title"], a["carried_over"]) for a in saved] == [
        ("Hội thảo năm 2026", "Thành phố Đà Nẵng (2025)")]


def test_a_draft_with_content_is_replaced_only_once_confirmed(client, campaign, editor_a,
                                                               last_year, good_plan):
    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=editor_a)
    client.force_login(editor_a)
    response = client.post(url(), {"source": "own"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'name="confirm" value="1"' in page
    for section in ("activities", "initiatives"):
        assert f"({len(good_plan[section])})" in page
    assert draft_of(campaign)["activities"][0]["title"] == good_plan["activities"][0]["title"]

    response = client.post(url(), {"source": "own", "confirm": "1"})
    assert response.status_code == 302
    draft = draft_of(campaign)
    source = last_year.versions.get().data
    assert [a["title"] for a in draft["activities"]] == [a["title"] for a in source["activities"]]
    # What the copy does not bring stays.
    assert draft["communications"][0]["title"] == good_plan["communications"][0]["title"]


def test_only_the_units_own_editors_while_a_draft_in_an_open_campaign(
        client, campaign, editor_a, editor_b, reviewer, last_year):
    client.post(url(), {"source": "own"})  # anonymous
    assert draft_of(campaign) is None
    client.force_login(editor_b)
    assert client.post(url(), {"source": "own"}).status_code == 404
    assert client.get(url()).status_code == 404
    client.force_login(reviewer)
    assert client.post(url(), {"source": "own"}).status_code == 403
    assert draft_of(campaign) is None

    client.force_login(editor_a)
    assert client.post(url(), {"source": "nowhere"}).status_code == 404
    assert client.post(url(), {"source": "49-2022"}).status_code == 404  # no plan to offer
    campaign.lock_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    response = client.post(url(), {"source": "own"}, follow=True)
    assert response.redirect_chain == [("/plans/2026/48/", 302)]
    assert "Chiến dịch đã khóa" in response.content.decode()  # the campaign is closed
    assert draft_of(campaign) is None
    assert 'id="carry-over"' not in response.content.decode()


def test_a_submitted_plan_is_not_replaced(client, campaign, editor_a, last_year, good_plan):
    campaign.signature_required = False
    campaign.save()
    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=editor_a)
    plan_submit(campaign=campaign, organisation=editor_a.organisation, by=editor_a)
    client.force_login(editor_a)
    response = client.post(url(), {"source": "own", "confirm": "1"}, follow=True)
    assert response.redirect_chain == [("/plans/2026/48/", 302)]
    assert 'class="alert alert-danger' in response.content.decode()
    assert 'id="carry-over"' not in response.content.decode()
    plan = Plan.objects.get(campaign=campaign, organisation__code="48")
    assert plan.status == "submitted" and plan.draft["activities"][0]["title"] == \
        good_plan["activities"][0]["title"]


def test_a_merged_city_is_offered_its_predecessors_plans(client, campaign, editor_a,
                                                         last_year):
    """Thành phố Đà Nẵng (48) was formed on 01/07/2025 from Đà Nẵng (48-2022) and Quảng Nam
    (49-2022): each one's last plan is offered, and all of them combined."""
    predecessors = {s.predecessor.code: s.predecessor.name for s in
                    Succession.objects.filter(successor__code="48").select_related("predecessor")}
    assert set(predecessors) == {"48-2022", "49-2022"}
    submit(2022, "49-2022", plan_data("Quảng Nam 2022", starts=["2022-10-03"],
                                      province="49-2022"))
    earlier = {code: submit(2024, code, plan_data(name, starts=["2024-10-08", "2024-10-09"],
                                                  province=code))
               for code, name in predecessors.items()}
    client.force_login(editor_a)
    page = client.get(url()).content.decode()
    for code in (*predecessors, "own", "all"):
        assert f'name="source" value="{code}"' in page

    # One at a time: Quảng Nam's latest (2024, not 2022), its province now Đà Nẵng.
    assert client.post(url(), {"source": "49-2022"}).status_code == 302
    draft = draft_of(campaign)
    source = earlier["49-2022"].versions.get().data
    assert [a["title"] for a in draft["activities"]] == [a["title"] for a in source["activities"]]
    assert {a["carried_over"] for a in draft["activities"]} == {"Tỉnh Quảng Nam (2024)"}
    assert {a["province"] for a in draft["activities"]} == {"48"}

    # All combined (replacing, once confirmed): every row of every source, each with its origin.
    assert client.post(url(), {"source": "all"}).status_code == 409
    assert client.post(url(), {"source": "all", "confirm": "1"}).status_code == 302
    draft = draft_of(campaign)
    expected = {"activities": [], "initiatives": []}
    origins = [(last_year, "Thành phố Đà Nẵng (2025)")] + [
        (earlier[code], f"{name} (2024)") for code, name in predecessors.items()]
    for plan, origin in origins:
        data = plan.versions.get().data
        for section in expected:
            key = "title" if section == "activities" else "name"
            expected[section] += [(row[key], origin) for row in data[section]]
    for section, rows in expected.items():
        key = "title" if section == "activities" else "name"
        found = [(row[key], row["carried_over"]) for row in draft[section]]
        assert sorted(found) == sorted(rows)
        assert len(found) == sum(len(p.versions.get().data[section]) for p, _o in origins)
    assert draft["summary"] == last_year.versions.get().data["summary"]


def test_a_split_successor_is_offered_the_split_bodys_plan(client, campaign):
    """Bộ Giáo dục và Đào tạo took over giáo dục nghề nghiệp from Bộ Lao động – Thương binh
    và Xã hội: that plan is offered, with what passed."""
    link = Succession.objects.select_related("predecessor").get(
        successor__code="BGDDT", type=Succession.Type.SPLIT)
    submit(2024, link.predecessor.code, plan_data("LĐ-TB&XH 2024", starts=["2024-10-10"],
                                                  province=""))
    editor = make_user("bientap@bgddt.example.vn", "editor", "BGDDT")
    client.force_login(editor)
    page = client.get(url("BGDDT")).content.decode()
    assert f'name="source" value="{link.predecessor.code}"' in page and link.note in page
    assert client.post(url("BGDDT"), {"source": link.predecessor.code}).status_code == 302
    draft = draft_of(campaign, "BGDDT")
    assert [a["carried_over"] for a in draft["activities"]] == [
        f"{link.predecessor.name} (2024)"]


def test_the_mark_is_kept_in_versions_and_not_published(client, campaign, editor_a, reviewer,
                                                        last_year):
    client.force_login(editor_a)
    assert client.post(url(), {"source": "own"}).status_code == 302
    campaign.signature_required = False
    campaign.save()
    draft = draft_of(campaign)
    draft["activities"] = [a for a in draft["activities"] if a["start"]]  # dated this year
    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=draft,
                    by=editor_a)
    plan = plan_submit(campaign=campaign, organisation=editor_a.organisation, by=editor_a)
    plan = plan_review(plan=plan, by=reviewer, decision="accept")
    version = plan.versions.get().data
    assert all(a["carried_over"] for a in version["activities"] + version["initiatives"])
    assert plan.activities.count() == len(version["activities"])
    assert plan.initiatives.count() == len(version["initiatives"])
    page = client.get(f"/plans/2026/48/versions/{plan.versions.get().number}/").content.decode()
    assert page.count('class="badge text-bg-info carried-over"') == (
        len(version["activities"]) + len(version["initiatives"]))
    assert 'value="own"' not in client.get(url()).content.decode()  # accepted: no offer
