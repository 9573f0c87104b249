"""The agency's side of results: the results deadline in the campaign's settings, tracking
per state and level with the plan-versus-result figures, the review beside the plan, bulk
accept, province reviewers' limits, and results reminders."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from dxday.campaigns.models import Campaign
from dxday.campaigns.services import round_open
from dxday.plans.models import Activity, Plan, Reminder
from dxday.plans.reminders import reminders_send_due
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from dxday.results.models import ActivityOutcome, Result
from dxday.results.services import (
    results_for_update,
    results_review,
    results_save_draft,
    results_submit,
)
from tests.conftest import ORG_A, ORG_B, make_user
from tests.results.conftest import accepted_plan, after_window, filled  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "01"  # Thành phố Hà Nội


def org(code):
    return Organisation.objects.get(code=code)


def web(client, user):
    client.force_login(user)
    return client


def plan_accepted(campaign, code, editor, reviewer, data):
    plan_save_draft(campaign=campaign, organisation=org(code), data=data, by=editor)
    plan = plan_submit(campaign=campaign, organisation=org(code), by=editor)
    return plan_review(plan=plan, by=reviewer, decision="accept")


def results_sent(campaign, code, editor, *, now=None):
    """The unit's results, filled from its plan and submitted (at ``now``)."""
    draft = results_for_update(campaign=campaign, organisation=org(code), by=editor).draft
    results_save_draft(campaign=campaign, organisation=org(code), data=filled(draft), by=editor)
    return results_submit(campaign=campaign, organisation=org(code), by=editor, now=now)


# --- the results deadline in the campaign's settings ---------------------------------------

@pytest.fixture
def admin_web(client, agency_admin):
    return web(client, agency_admin)


def settings_values(client, year=2026, **changes):
    form = client.get(f"/backoffice/{year}/setup/").context["form"]
    values = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        elif isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        elif value is True:
            value = "on"
        elif value in (None, False):
            value = ""
        values[name] = value
    values.update(action="save", **changes)
    return values


def test_results_deadline_typed_day_first_with_a_time(admin_web, campaign):
    values = settings_values(admin_web, results_deadline="31/10/2026",
                             results_deadline_time="17:30", results_lock_at="15/11/2026")
    response = admin_web.post("/backoffice/2026/setup/", values)
    assert response.status_code == 302, response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.results_deadline == datetime.datetime(2026, 10, 31, 17, 30, tzinfo=VN)
    assert campaign.results_lock_at == datetime.datetime(2026, 11, 15, 0, 0, tzinfo=VN)
    # Shown on the campaign's settings page and read back into the form.
    page = admin_web.get("/backoffice/2026/setup/")
    assert page.context["form"].initial["results_deadline"] == datetime.date(2026, 10, 31)
    text = admin_web.get("/backoffice/2026/setup/?lang=en").content.decode()
    assert "before 17:30 on 31/10/2026 (Vietnam time)" in text
    # The results page shows it too.
    admin_web.force_login(make_user("r2@agency.example.vn", "reviewer"))
    assert "31/10/2026" in admin_web.get("/backoffice/2026/results/").content.decode()


@pytest.mark.parametrize(("changes", "field"), [
    ({"results_deadline": "2026-10-31"}, "results_deadline"),
    ({"results_deadline": "31/13/2026"}, "results_deadline"),
    ({"results_deadline": "31/10/2026", "results_deadline_time": "25:00"},
     "results_deadline_time"),
    # Before the end of the activity window (01–10/10/2026): 10/10 00:00 is still inside it.
    ({"results_deadline": "10/10/2026"}, "results_deadline"),
    ({"results_deadline": "05/10/2026"}, "results_deadline"),
    ({"results_deadline": "31/10/2026", "results_lock_at": "30/10/2026"}, "results_lock_at"),
])
def test_a_bad_results_deadline_is_refused_naming_the_field(admin_web, campaign, changes,
                                                            field):
    before = Campaign.objects.filter(pk=campaign.pk).values().get()
    response = admin_web.post("/backoffice/2026/setup/", settings_values(admin_web, **changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert Campaign.objects.filter(pk=campaign.pk).values().get() == before


def test_the_day_after_the_window_is_accepted(admin_web, campaign):
    response = admin_web.post("/backoffice/2026/setup/", settings_values(
        admin_web, results_deadline="11/10/2026"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.results_deadline == datetime.datetime(2026, 10, 11, tzinfo=VN)


# --- tracking ---------------------------------------------------------------------------

@pytest.fixture
def people(db):
    return {"a": make_user("a@danang.example.vn", "editor", ORG_A),
            "b": make_user("b@bkhcn.example.vn", "editor", ORG_B),
            "hn": make_user("hn@hanoi.example.vn", "editor", PROVINCE),
            "reviewer": make_user("r@agency.example.vn", "reviewer"),
            "province_reviewer": make_user("p@hanoi.example.vn", "reviewer", PROVINCE)}


@pytest.fixture
def season(after_window, people, good_plan):  # noqa: F811 - the imported fixture
    """Hà Nội's round (its communes recipients); plans accepted for Đà Nẵng, the ministry,
    Hà Nội and two of its communes; results: Đà Nẵng's submitted late, the ministry's in
    draft, one commune's submitted, one commune's accepted; Hà Nội's missing; another
    commune's plan only submitted (not ready)."""
    campaign = after_window
    round_open(campaign=campaign, province=org(PROVINCE),
               deadline_day=timezone.localdate(campaign.submission_deadline)
               - datetime.timedelta(days=1), by=people["province_reviewer"])
    communes = list(campaign.recipients.filter(parent__code=PROVINCE).order_by("code")[:3])
    assert len(communes) == 3
    editors = {c.code: make_user(f"x{c.code}@xa.example.vn", "editor", c.code) for c in communes}
    reviewer = people["reviewer"]
    for code, editor in [(ORG_A, people["a"]), (ORG_B, people["b"]), (PROVINCE, people["hn"]),
                         (communes[0].code, editors[communes[0].code]),
                         (communes[1].code, editors[communes[1].code])]:
        plan_accepted(campaign, code, editor, reviewer, good_plan)
    # The third commune's plan waits for review: its results are not ready.
    plan_save_draft(campaign=campaign, organisation=communes[2], data=good_plan,
                    by=editors[communes[2].code])
    plan_submit(campaign=campaign, organisation=communes[2], by=editors[communes[2].code])
    late = campaign.results_deadline + datetime.timedelta(hours=2)
    results_sent(campaign, ORG_A, people["a"], now=late)
    draft = results_for_update(campaign=campaign, organisation=org(ORG_B), by=people["b"]).draft
    results_save_draft(campaign=campaign, organisation=org(ORG_B), data=filled(draft),
                       by=people["b"])
    results_sent(campaign, communes[0].code, editors[communes[0].code])
    done = results_sent(campaign, communes[1].code, editors[communes[1].code])
    results_review(result=done, by=reviewer, decision="accept")
    return {"campaign": campaign, "communes": communes, "editors": editors}


def expected_state(campaign, organisation) -> tuple[str, bool | None]:
    """A unit's results state, computed here from the rows."""
    plan = Plan.objects.filter(campaign=campaign, organisation=organisation).first()
    if plan is None or plan.status != Plan.Status.ACCEPTED:
        return "not_ready", None
    result = Result.objects.filter(campaign=campaign, organisation=organisation).first()
    if result is None:
        return "missing", None
    if result.status == "draft":
        return "draft", None
    return result.status, result.on_time


def test_tracking_states_and_figures_match_the_rows(client, people, season):
    campaign = season["campaign"]
    reviewer = web(client, people["reviewer"])
    response = reviewer.get("/backoffice/2026/results/")
    assert response.status_code == 200
    rows = {r.code: r for r in response.context["page"].paginator.object_list}
    recipients = list(campaign.recipients.all())
    assert set(rows) == {o.code for o in recipients}
    for organisation in recipients:
        state, on_time = expected_state(campaign, organisation)
        assert (rows[organisation.code].state, rows[organisation.code].on_time) == (
            state, on_time), organisation.code
    assert rows[ORG_A].state == "submitted" and rows[ORG_A].on_time is False
    assert rows[ORG_B].state == "draft" and rows[PROVINCE].state == "missing"
    assert rows[season["communes"][2].code].state == "not_ready"
    summary = response.context["summary"]
    states = [expected_state(campaign, o) for o in recipients]
    assert summary["expected"] == len(recipients)
    for key in ("not_ready", "missing", "draft", "submitted", "returned", "accepted"):
        assert summary[key] == sum(1 for s, _ in states if s == key), key
    assert summary["late"] == sum(1 for _, t in states if t is False) == 1
    assert summary["on_time"] == sum(1 for _, t in states if t is True) == 2
    # Plan versus result (agency: embargo ignored), against counts of the rows.
    figures = response.context["figures"]
    accepted = Result.objects.filter(campaign=campaign, status="accepted")
    assert figures["units"]["results_accepted"] == accepted.count() == 1
    assert figures["units"]["plans_accepted"] == Plan.objects.filter(
        campaign=campaign, status="accepted").count() == 5
    outcomes = ActivityOutcome.objects.filter(campaign=campaign)
    assert figures["activities"]["held"] == outcomes.filter(status="held", planned__isnull=False
                                                            ).count()
    assert figures["activities"]["added"] == outcomes.filter(planned__isnull=True).count() == 1
    assert figures["participants"]["in_person"] == sum(
        o.participants_in_person or 0 for o in outcomes)
    # Filters: by state, late only.
    response = reviewer.get("/backoffice/2026/results/?state=submitted")
    codes = {r.code for r in response.context["page"]}
    assert codes == {o.code for o in recipients
                     if expected_state(campaign, o)[0] == "submitted"}
    response = reviewer.get("/backoffice/2026/results/?late=1")
    assert [r.code for r in response.context["page"]] == [ORG_A]


def test_tracking_per_level(client, people, season):
    campaign = season["campaign"]
    reviewer = web(client, people["reviewer"])
    national = reviewer.get("/backoffice/2026/results/").context["levels"]
    hanoi = next(level for level in national if level["code"] == PROVINCE)
    communes = list(campaign.recipients.filter(parent__code=PROVINCE,
                                               kind__in=Organisation.COMMUNE_KINDS))
    assert hanoi["counts"]["expected"] == len(communes)
    assert hanoi["counts"]["accepted"] == 1 and hanoi["own"] == "missing"
    response = reviewer.get(f"/backoffice/2026/results/?parent={PROVINCE}")
    rows = list(response.context["page"].paginator.object_list)
    assert {r.code for r in rows} == {c.code for c in communes}
    assert response.context["summary"]["submitted"] == 1
    assert response.context["summary"]["not_ready"] == sum(
        1 for c in communes if expected_state(campaign, c)[0] == "not_ready")


# --- review -----------------------------------------------------------------------------

def test_review_shows_the_results_beside_the_plan_and_returns_then_accepts(
        client, accepted_plan, editor_a, reviewer, good_plan):  # noqa: F811
    campaign = accepted_plan.campaign
    result = results_sent(campaign, ORG_A, editor_a)
    page = web(client, reviewer).get(f"/backoffice/2026/results/{ORG_A}/")
    assert page.status_code == 200
    activities = page.context["activities"]
    assert [(r["number"], r["plan"]["title"], r["result"]["status"])
            for r in activities["rows"]] == [(1, good_plan["activities"][0]["title"], "held")]
    assert [r["title"] for r in activities["added"]] == ["Ngày hội số cho người cao tuổi"]
    html = page.content.decode()
    assert 'data-planned="1"' in html and 'data-status="held"' in html
    # Dates read day first, as the results hold them (yyyy-mm-dd) nowhere on the page.
    held = activities["rows"][0]["result"]["start"]
    assert held == "2026-10-05" and "05/10/2026" in html
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", html)
    # Returning needs a comment: nothing changes without one.
    client.post(f"/backoffice/2026/results/{ORG_A}/", {"decision": "return", "comment": " "})
    result.refresh_from_db()
    assert result.status == "submitted"
    client.post(f"/backoffice/2026/results/{ORG_A}/",
                {"decision": "return", "comment": "Bổ sung minh chứng"})
    result.refresh_from_db()
    assert result.status == "returned" and result.review_comment == "Bổ sung minh chứng"
    # Resubmitted with a change: the second version shows what changed.
    data = dict(result.draft)
    data["activities"] = [dict(data["activities"][0], participants_in_person=350),
                          *data["activities"][1:]]
    results_save_draft(campaign=campaign, organisation=org(ORG_A), data=data, by=editor_a)
    results_submit(campaign=campaign, organisation=org(ORG_A), by=editor_a)
    page = client.get(f"/backoffice/2026/results/{ORG_A}/")
    versions = page.context["versions"]
    assert [v.number for v in versions] == [1, 2]
    assert [(c["old"], c["new"]) for c in versions[1].changes] == [("320", "350")]
    client.post(f"/backoffice/2026/results/{ORG_A}/", {"decision": "accept"})
    result.refresh_from_db()
    assert result.status == "accepted"
    assert ActivityOutcome.objects.get(result=result, planned=1).participants_in_person == 350


def test_bulk_accept_skips_results_not_submitted(client, people, season):
    campaign = season["campaign"]
    submitted = season["communes"][0].code
    response = web(client, people["reviewer"]).post("/backoffice/2026/results/bulk-accept/", {
        "codes": [ORG_A, ORG_B, submitted, PROVINCE]}, follow=True)
    assert response.status_code == 200
    states = dict(Result.objects.filter(campaign=campaign).values_list("organisation__code",
                                                                       "status"))
    assert states[ORG_A] == "accepted" and states[submitted] == "accepted"
    assert states[ORG_B] == "draft" and PROVINCE not in states
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and org(ORG_B).name in warnings[0]


def test_a_province_reviewer_sees_and_accepts_its_communes_only(client, people, season):
    campaign = season["campaign"]
    province = web(client, people["province_reviewer"])
    assert province.get(f"/backoffice/2026/results/{ORG_A}/").status_code == 404
    assert province.post(f"/backoffice/2026/results/{ORG_A}/",
                         {"decision": "accept"}).status_code == 404
    submitted = season["communes"][0].code
    assert province.get(f"/backoffice/2026/results/{submitted}/").status_code == 200
    # A body under the province that is not a commune (a department), a recipient too.
    department = Organisation.objects.create(code="01-STTTT", name="Sở Khoa học và Công nghệ",
                                             kind=Organisation.Kind.OTHER, parent=org(PROVINCE))
    campaign.recipients.add(department)
    response = province.get("/backoffice/2026/results/?parent=48")
    rows = response.context["page"].paginator
    codes = {r.code for r in rows.object_list}
    communes = {c.code for c in campaign.recipients.filter(
        parent__code=PROVINCE, kind__in=Organisation.COMMUNE_KINDS)}
    assert codes == communes  # its round's communes, whatever ?parent= says
    # The figures beside them are its communes' too (not the province's other children).
    assert campaign.recipients.filter(parent__code=PROVINCE).exclude(
        kind__in=Organisation.COMMUNE_KINDS).exists(), "the province has other children"
    figures = response.context["figures"]
    assert figures["units"]["expected"] == len(communes)
    assert figures["activities"]["planned"] == Activity.objects.filter(
        campaign=campaign, organisation__code__in=communes).count()
    province.post("/backoffice/2026/results/bulk-accept/", {"codes": [ORG_A, submitted]})
    states = dict(Result.objects.filter(campaign=campaign).values_list("organisation__code",
                                                                       "status"))
    assert states[ORG_A] == "submitted" and states[submitted] == "accepted"


# --- reminders --------------------------------------------------------------------------

def test_results_reminders_go_once_to_units_with_an_accepted_plan_and_no_results(
        people, season, smtp):
    campaign = season["campaign"]
    deadline = campaign.results_deadline
    # Returned results are reminded too: the submitted commune's go back.
    returned = Result.objects.get(campaign=campaign, organisation__code=season["communes"][0].code)
    results_review(result=returned, by=people["reviewer"], decision="return", comment="Thiếu")
    smtp.messages.clear()
    moment = deadline - datetime.timedelta(days=6)  # "7,2" days before: the 7-day one
    sent = [r for r in reminders_send_due(now=moment) if r.kind.startswith("results-")]
    expected = {o.code for o in campaign.recipients.all()
                if expected_state(campaign, o)[0] in ("missing", "draft", "returned")}
    assert expected == {ORG_B, PROVINCE, season["communes"][0].code}
    assert {r.organisation.code for r in sent} == expected
    assert {r.kind for r in sent} == {"results-before-7"}
    assert not any(r.kind.startswith("results-") for r in reminders_send_due(now=moment))
    assert Reminder.objects.filter(campaign=campaign, kind="results-before-7").count() == 3
    local = timezone.localtime(deadline)
    mails = [m for m in smtp.messages if "results" in m["body"].lower()
             or "kết quả" in m["body"].lower()]
    to_b = [m for m in mails if people["b"].email in m["to"]]
    assert len(to_b) == 1
    assert f"{local:%H:%M} on {local:%d/%m/%Y}" in to_b[0]["body"]
    assert f"/results/2026/{ORG_B}/" in to_b[0]["body"]
    assert not any(people["a"].email in m["to"] for m in mails)  # submitted: not reminded
    # The returned unit is told its results were returned, not that it never sent them.
    commune = season["communes"][0].code
    to_commune = [m for m in mails if f"/results/2026/{commune}/" in m["body"]]
    assert to_commune and all("returned for completion" in m["body"]
                              and "not been submitted yet" not in m["body"] for m in to_commune)
    assert "returned" not in to_b[0]["body"] and "not been submitted yet" in to_b[0]["body"]
    # After the deadline, the 1-day-after reminder; none once results are locked.
    after = deadline + datetime.timedelta(days=1, hours=1)
    later = [r for r in reminders_send_due(now=after) if r.kind.startswith("results-")]
    assert {r.kind for r in later} == {"results-after-1"}
    campaign.results_lock_at = after
    campaign.save()
    assert not [r for r in reminders_send_due(now=after + datetime.timedelta(days=1))
                if r.kind.startswith("results-")]


def test_remind_now_from_the_results_page(client, people, season, smtp):
    campaign = season["campaign"]
    reviewer = web(client, people["reviewer"])
    page = reviewer.get("/backoffice/2026/results/")
    batch = page.context["batch"]
    assert page.context["remindable"] == 2  # the ministry (draft) and Hà Nội (missing)
    reviewer.post("/backoffice/2026/results/remind/", {"batch": batch})
    reviewer.post("/backoffice/2026/results/remind/", {"batch": batch})  # a second click
    # The kind keeps as much of the batch as its column holds (32 characters).
    manual = Reminder.objects.filter(campaign=campaign, kind=f"results-manual-{batch[:17]}")
    assert {r.organisation.code for r in manual} == {ORG_B, PROVINCE}
    assert all(r.sent_by == people["reviewer"] for r in manual)
    listed = reviewer.get("/backoffice/2026/results/").context["sent"]
    assert sorted(r.organisation.code for r in listed) == sorted([ORG_B, PROVINCE])
    # The plans' reminders page lists the plans' reminders only.
    history = reviewer.get("/backoffice/2026/reminders/").context["history"]
    assert not any(r.kind.startswith("results-") for r in history)
