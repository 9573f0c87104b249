"""Province reviewers review their communes' plans (web and API token) and nothing else; the
province's submitted plan carries its communes' roll-up, computed as of its submission."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from dxday.campaigns.services import local_midnight, round_open
from dxday.plans.models import Activity, Initiative, Plan
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from tests.conftest import Client, make_user

pytestmark = pytest.mark.django_db
PROVINCE, OTHER_PROVINCE = "48", "01"


def submit(campaign, organisation, data, *, now=None, email=None):
    editor = make_user(email or f"e{organisation.code}@unit.example.vn", "editor",
                       organisation.code)
    plan, _ = plan_save_draft(campaign=campaign, organisation=organisation, data=data, by=editor)
    plan.document.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return plan_submit(campaign=campaign, organisation=organisation, by=editor, now=now), editor


@pytest.fixture
def rounds(campaign, agency_admin):
    """Rounds of Đà Nẵng and Hà Nội, due two days before the national deadline."""
    day = timezone.localtime(campaign.submission_deadline).date() - datetime.timedelta(days=2)
    found = {}
    for code in (PROVINCE, OTHER_PROVINCE):
        found[code], _ = round_open(campaign=campaign, province=Organisation.objects.get(code=code),
                                    deadline_day=day, by=agency_admin)
    return found


@pytest.fixture
def province_reviewer(db):
    return make_user("tinh@danang.example.vn", "reviewer", PROVINCE)


def communes_of(campaign, code, n):
    return list(Organisation.objects.commune_level().filter(
        parent__code=code, campaigns=campaign).order_by("code")[:n])


def review_api(client, key, year, code, decision="accept", comment=""):
    return client.post(f"/api/v1/campaigns/{year}/plans/{code}/review",
                       data=json.dumps({"decision": decision, "comment": comment}),
                       content_type="application/json", headers={"Authorization": f"Bearer {key}"})


def test_a_province_reviewer_reviews_its_communes_by_api_token(
        client, campaign, rounds, province_reviewer, token_of, good_plan):
    mine = communes_of(campaign, PROVINCE, 1)[0]
    theirs = communes_of(campaign, OTHER_PROVINCE, 1)[0]
    submit(campaign, mine, good_plan)
    submit(campaign, theirs, good_plan)
    central, _ = submit(campaign, Organisation.objects.get(code="BKHCN"), good_plan)
    key = token_of(province_reviewer)
    returned = review_api(client, key, campaign.year, mine.code, "return", "Bổ sung hoạt động")
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned"
    # Another province's commune and a central body: as if they did not exist.
    for code in (theirs.code, "BKHCN"):
        response = review_api(client, key, campaign.year, code)
        assert response.status_code == 404, code
        assert client.get(f"/api/v1/campaigns/{campaign.year}/plans/{code}",
                          headers={"Authorization": f"Bearer {key}"}).status_code == 404
    assert Plan.objects.get(organisation=theirs).status == Plan.Status.SUBMITTED
    central.refresh_from_db()
    assert central.status == Plan.Status.SUBMITTED
    # It reviews but never writes a commune's plan.
    put = client.put(f"/api/v1/campaigns/{campaign.year}/plans/{mine.code}",
                     data=json.dumps(good_plan), content_type="application/json",
                     headers={"Authorization": f"Bearer {key}"})
    assert put.status_code == 403


def test_the_web_review_page_is_scoped_to_the_province(campaign, rounds, province_reviewer,
                                                      good_plan):
    mine = communes_of(campaign, PROVINCE, 1)[0]
    theirs = communes_of(campaign, OTHER_PROVINCE, 1)[0]
    submit(campaign, mine, good_plan)
    submit(campaign, theirs, good_plan)
    browser = Client()
    browser.force_login(province_reviewer)
    url = f"/backoffice/{campaign.year}/plans/"
    assert browser.get(url + mine.code + "/").status_code == 200
    assert browser.post(url + mine.code + "/", {"decision": "accept"}).status_code == 302
    assert Plan.objects.get(organisation=mine).status == Plan.Status.ACCEPTED
    for code in (theirs.code, "BKHCN"):
        assert browser.get(url + code + "/").status_code == 404
        assert browser.post(url + code + "/", {"decision": "accept"}).status_code == 404
    assert Plan.objects.get(organisation=theirs).status == Plan.Status.SUBMITTED
    # Its own province's plan is the agency's to review.
    province = Organisation.objects.get(code=PROVINCE)
    submit(campaign, province, good_plan)
    assert browser.post(url + PROVINCE + "/", {"decision": "accept"}).status_code == 403
    assert Plan.objects.get(organisation=province).status == Plan.Status.SUBMITTED


def test_a_province_reviewer_accepts_its_communes_at_once_and_nothing_else(
        campaign, rounds, province_reviewer, good_plan):
    mine = communes_of(campaign, PROVINCE, 3)
    theirs = communes_of(campaign, OTHER_PROVINCE, 1)[0]
    for organisation in [*mine, theirs]:
        submit(campaign, organisation, good_plan)
    province = Organisation.objects.get(code=PROVINCE)
    submit(campaign, province, good_plan)
    browser = Client()
    browser.force_login(province_reviewer)
    page = browser.get(f"/backoffice/{campaign.year}/").content.decode()
    for organisation in mine:
        assert f'name="codes" value="{organisation.code}"' in page
    # The form of its round, with a commune of another province and its own province slipped in.
    response = browser.post(f"/backoffice/{campaign.year}/bulk-accept/", {
        "codes": [o.code for o in mine] + [theirs.code, PROVINCE]})
    assert response.status_code == 302
    states = dict(Plan.objects.filter(campaign=campaign).exclude(status=Plan.Status.DRAFT)
                  .values_list("organisation__code", "status"))
    assert [states[o.code] for o in mine] == [Plan.Status.ACCEPTED] * 3
    assert states[theirs.code] == states[PROVINCE] == Plan.Status.SUBMITTED
    assert sum(state == Plan.Status.ACCEPTED for state in states.values()) == 3


def test_tracking_shows_only_the_rounds_communes(campaign, rounds, province_reviewer,
                                                 good_plan):
    browser = Client()
    browser.force_login(province_reviewer)
    page = browser.get(f"/backoffice/{campaign.year}/").content.decode()
    mine = campaign.recipients.filter(parent__code=PROVINCE, kind__in=Organisation.COMMUNE_KINDS)
    theirs = communes_of(campaign, OTHER_PROVINCE, 1)[0]
    assert f"{mine.count()} units match" in page or f"{mine.count()} đơn vị" in page
    assert theirs.name not in page
    assert "Bộ Khoa học và Công nghệ" not in page
    # Without a round of its province in a campaign, nothing.
    rounds[PROVINCE].delete()
    assert browser.get(f"/backoffice/{campaign.year}/").status_code == 404


def test_the_provinces_version_carries_its_communes_rollup(
        client, campaign, rounds, agency_admin, good_plan, token_of):
    province = Organisation.objects.get(code=PROVINCE)
    deadline = rounds[PROVINCE].deadline
    on_time, late, returned, accepted = communes_of(campaign, PROVINCE, 4)
    submit(campaign, on_time, good_plan, now=deadline - datetime.timedelta(hours=2))
    submit(campaign, late, good_plan, now=deadline + datetime.timedelta(hours=2))
    back, _ = submit(campaign, returned, good_plan, now=deadline - datetime.timedelta(hours=1))
    plan_review(plan=back, by=agency_admin, decision="return", comment="Sửa")
    ok, _ = submit(campaign, accepted, good_plan, now=deadline - datetime.timedelta(hours=3))
    plan_review(plan=ok, by=agency_admin, decision="accept")
    moment = timezone.now()
    plan, province_editor = submit(campaign, province, good_plan, now=moment)
    version = plan.versions.get()

    # The expected figures, from the rows.
    communes = list(campaign.recipients.filter(parent=province,
                                               kind__in=Organisation.COMMUNE_KINDS))
    plans = {p.organisation_id: p for p in Plan.objects.filter(campaign=campaign,
                                                               organisation__in=communes)}
    sent = [p for p in plans.values() if p.status != Plan.Status.DRAFT]
    expected = {
        "expected": len(communes), "submitted": len(sent),
        "on_time": sum(p.on_time is True for p in sent),
        "late": sum(p.on_time is False for p in sent),
        "missing": len(communes) - len(sent),
        "returned": sum(p.status == Plan.Status.RETURNED for p in sent),
        "accepted": sum(p.status == Plan.Status.ACCEPTED for p in sent),
        "activities": Activity.objects.filter(organisation__in=communes).count(),
        "initiatives": Initiative.objects.filter(organisation__in=communes).count(),
    }
    assert (expected["on_time"], expected["late"], expected["accepted"]) == (3, 1, 1)
    assert {k: version.rollup[k] for k in expected} == expected
    assert version.rollup["as_of"] == timezone.localtime(moment).isoformat()

    # Later changes do not alter the roll-up of the version already sent.
    plan_review(plan=Plan.objects.get(organisation=on_time), by=agency_admin,
                decision="accept")
    version.refresh_from_db()
    assert version.rollup["accepted"] == 1

    # The API and the review page show it.
    key = token_of(province_editor)
    body = client.get(f"/api/v1/campaigns/{campaign.year}/plans/{PROVINCE}",
                      headers={"Authorization": f"Bearer {key}"}).json()
    assert {k: body["rollup"][k] for k in expected} == expected
    assert body["versions"][0]["rollup"] == body["rollup"]
    browser = Client()
    browser.force_login(agency_admin)
    page = browser.get(f"/backoffice/{campaign.year}/plans/{PROVINCE}/").content.decode()
    assert f'data-rollup="late">{expected["late"]}<' in page
    own = Client()
    own.force_login(province_editor)
    page = own.get(f"/plans/{campaign.year}/{PROVINCE}/").content.decode()
    assert f'data-rollup="missing">{expected["missing"]}<' in page


def test_a_commune_editor_never_sees_the_provinces_plan(client, campaign, rounds, good_plan,
                                                       token_of):
    province = Organisation.objects.get(code=PROVINCE)
    submit(campaign, province, good_plan)
    commune = communes_of(campaign, PROVINCE, 1)[0]
    editor = make_user("xa@danang.example.vn", "editor", commune.code)
    key = token_of(editor)
    response = client.get(f"/api/v1/campaigns/{campaign.year}/plans/{PROVINCE}",
                          headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404
    assert "rollup" not in response.content.decode()
    browser = Client()
    browser.force_login(editor)
    assert browser.get(f"/plans/{campaign.year}/{commune.code}/").status_code == 200
    assert browser.get(f"/plans/{campaign.year}/{PROVINCE}/").status_code == 404
    assert browser.get(f"/plans/{campaign.year}/{PROVINCE}/versions/1/").status_code == 404
    assert browser.get(f"/backoffice/{campaign.year}/plans/{PROVINCE}/").status_code == 403
    assert browser.get(f"/api/v1/campaigns/{campaign.year}/tracking?parent={PROVINCE}"
                       ).status_code == 200  # the public figures, no draft in them


def test_a_commune_plan_is_late_for_the_round_though_before_the_national_deadline(
        campaign, rounds, good_plan):
    commune = communes_of(campaign, PROVINCE, 1)[0]
    moment = rounds[PROVINCE].deadline + datetime.timedelta(minutes=1)
    assert moment < campaign.submission_deadline
    plan, editor = submit(campaign, commune, good_plan, now=moment)
    assert plan.on_time is False
    assert plan.versions.get().late
    # The commune's page gives the round's deadline, not the national one.
    browser = Client()
    browser.force_login(editor)
    page = browser.get(f"/plans/{campaign.year}/{commune.code}/").content.decode()
    due = timezone.localtime(rounds[PROVINCE].deadline)
    assert f'<time datetime="{due.isoformat()}">{due:%H:%M %d/%m/%Y}</time>' in page
    assert local_midnight(timezone.localtime(rounds[PROVINCE].deadline).date()) == (
        rounds[PROVINCE].deadline)


def test_a_province_reviewers_pages_give_its_round_not_the_nation(campaign, rounds,
                                                                 province_reviewer, good_plan):
    """Its home page counts its communes (computed here from the rows) and gives both
    deadlines; its tracking page leads to the province's own plan, which it may read."""
    mine = communes_of(campaign, PROVINCE, 2)
    submit(campaign, mine[0], good_plan)
    browser = Client()
    browser.force_login(province_reviewer)
    with translation.override("en"):
        home = browser.get("/backoffice/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    expected = campaign.recipients.filter(parent__code=PROVINCE,
                                          kind__in=Organisation.COMMUNE_KINDS).count()
    submitted = Plan.objects.filter(campaign=campaign, organisation__parent__code=PROVINCE,
                                    organisation__kind__in=Organisation.COMMUNE_KINDS).exclude(
        status=Plan.Status.DRAFT).count()
    assert submitted == 1
    deadline = timezone.localtime(rounds[PROVINCE].deadline)
    row = next(line for line in home.split("<tr>") if campaign.title in line)
    assert f'<td class="text-end">{expected}</td><td class="text-end">{submitted}</td>' in row
    assert f"{deadline:%H:%M %d/%m/%Y}" in row
    assert f"{timezone.localtime(campaign.submission_deadline):%H:%M %d/%m/%Y}" in row
    tracking = browser.get(f"/backoffice/{campaign.year}/").content.decode()
    own = f'href="/backoffice/{campaign.year}/plans/{PROVINCE}/"'
    assert own in tracking
    assert browser.get(f"/backoffice/{campaign.year}/plans/{PROVINCE}/").status_code == 200
