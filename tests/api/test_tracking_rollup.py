"""GET /api/v1/campaigns/{year}/tracking?parent=CODE: the figures of a level and one entry per
child, each compared with counts computed here from the rows."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from dxday.campaigns.services import round_open
from dxday.plans.models import Plan
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from tests.conftest import Client, make_user

pytestmark = pytest.mark.django_db
PROVINCE = "48"
COMMUNE_KINDS = {"commune", "ward", "special_zone"}
FIGURES = ("expected", "submitted", "on_time", "late", "missing", "accepted")


def _submit(campaign, organisation, data, now):
    editor = make_user(f"e{organisation.code}@unit.example.vn", "editor", organisation.code)
    plan, _ = plan_save_draft(campaign=campaign, organisation=organisation, data=data, by=editor)
    plan.document.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return plan_submit(campaign=campaign, organisation=organisation, by=editor, now=now)


@pytest.fixture
def world(campaign, agency_admin, good_plan):
    """Đà Nẵng's round; three of its communes answer (late, on time, accepted), Hà Nội's
    province and a ministry too, one commune keeps a draft."""
    day = timezone.localtime(campaign.submission_deadline).date() - datetime.timedelta(days=2)
    found, _ = round_open(campaign=campaign, province=Organisation.objects.get(code=PROVINCE),
                          deadline_day=day, by=agency_admin)
    communes = list(Organisation.objects.commune_level().filter(
        parent__code=PROVINCE, campaigns=campaign).order_by("code")[:4])
    _submit(campaign, communes[0], good_plan, found.deadline + datetime.timedelta(hours=1))
    _submit(campaign, communes[1], good_plan, found.deadline - datetime.timedelta(hours=1))
    accepted = _submit(campaign, communes[2], good_plan, found.deadline - datetime.timedelta(1))
    plan_review(plan=accepted, by=agency_admin, decision="accept")
    editor = make_user("draft@unit.example.vn", "editor", communes[3].code)
    plan_save_draft(campaign=campaign, organisation=communes[3], data=good_plan, by=editor)
    _submit(campaign, Organisation.objects.get(code="01"), good_plan, timezone.now())
    _submit(campaign, Organisation.objects.get(code="BKHCN"), good_plan, timezone.now())
    return campaign


def counts(plans: dict, units) -> dict:
    """The figures of ``units`` computed from their plan rows (a draft is not submitted)."""
    sent = [plans[u.pk] for u in units if u.pk in plans and plans[u.pk].status != "draft"]
    return {"expected": len(units), "submitted": len(sent),
            "on_time": sum(p.on_time is True for p in sent),
            "late": sum(p.on_time is False for p in sent), "missing": len(units) - len(sent),
            "accepted": sum(p.status == "accepted" for p in sent)}


def test_national_level_one_entry_per_top_level_unit(api, world):
    status, body = api(f"campaigns/{world.year}/tracking")
    assert status == 200
    recipients = list(world.recipients.select_related("parent"))
    plans = {p.organisation_id: p for p in Plan.objects.filter(campaign=world)}
    assert {k: body[k] for k in FIGURES} == counts(plans, recipients)
    assert body["parent"] is None
    groups: dict[str, list] = {}
    for unit in recipients:
        top = (unit.parent if unit.kind in COMMUNE_KINDS and unit.parent
               and unit.parent.kind in ("province", "city") else unit)
        groups.setdefault(top.code, []).append(unit)
    children = {c["code"]: c for c in body["children"]}
    assert set(children) == set(groups)
    for code, units in groups.items():
        assert {k: children[code][k] for k in FIGURES} == counts(plans, units), code
    danang = children[PROVINCE]
    assert danang["kind"] == "city"
    assert danang["communes"] == sum(u.kind in COMMUNE_KINDS for u in groups[PROVINCE])
    assert danang["late"] == 1 and danang["accepted"] == 1


def test_province_level_one_entry_per_commune(api, world):
    status, body = api(f"campaigns/{world.year}/tracking", parent=PROVINCE)
    assert status == 200
    units = list(world.recipients.filter(parent__code=PROVINCE))
    plans = {p.organisation_id: p for p in Plan.objects.filter(campaign=world)}
    assert {k: body[k] for k in FIGURES} == counts(plans, units)
    assert body["parent"] == PROVINCE
    assert sorted(c["code"] for c in body["children"]) == sorted(u.code for u in units)
    for child in body["children"]:
        unit = next(u for u in units if u.code == child["code"])
        assert {k: child[k] for k in FIGURES} == counts(plans, [unit])
        assert child["kind"] == unit.kind


def test_a_commune_has_no_units_under_it_and_unknown_codes_are_404(api, world):
    commune = world.recipients.filter(parent__code=PROVINCE).first()
    status, body = api(f"campaigns/{world.year}/tracking", parent=commune.code)
    assert status == 200 and body["expected"] == 0 and body["children"] == []
    status, body = api(f"campaigns/{world.year}/tracking", parent="NO-SUCH")
    assert status == 404 and "NO-SUCH" in body["detail"]
    status, body = api("campaigns/1999/tracking")
    assert status == 404


def test_the_endpoint_is_documented_with_a_translatable_summary(api):
    from dxday.public.datasets import API_WORDS

    status, schema = api("openapi.json")
    operation = schema["paths"]["/api/v1/campaigns/{year}/tracking"]["get"]
    assert operation["summary"] in API_WORDS
    assert {p["name"] for p in operation["parameters"]} == {"year", "parent"}


def test_the_tracking_page_goes_national_province_commune(api, world, reviewer):
    browser = Client()
    browser.force_login(reviewer)
    _status, national = api(f"campaigns/{world.year}/tracking")
    page = browser.get(f"/backoffice/{world.year}/").content.decode()
    danang = next(c for c in national["children"] if c["code"] == PROVINCE)
    # The province's row links to its communes, with the same figures as the API.
    row = page.split(f'href="?parent={PROVINCE}"', 1)[1].split("</tr>", 1)[0]
    cells = [int(v) for v in re.findall(r'<td class="text-end">(\d+)</td>', row)]
    assert cells == [danang[k] for k in ("expected", "submitted", "on_time", "late", "missing",
                                         "accepted")]
    _status, level = api(f"campaigns/{world.year}/tracking", parent=PROVINCE)
    response = browser.get(f"/backoffice/{world.year}/?parent={PROVINCE}")
    page = response.content.decode()
    for child in level["children"]:  # the communes, each leading to its plan
        assert f'/backoffice/{world.year}/plans/{child["code"]}/' in page
    total = response.context["summary"]["total"]
    assert {k: getattr(total, k) for k in FIGURES} == {k: level[k] for k in FIGURES}


def test_the_number_of_queries_does_not_grow_with_the_rows(client, world, good_plan, settings):
    """No query per row: more answered communes, the same number of queries."""
    settings.PUBLIC_CACHE_SECONDS = 0  # each request reaches the endpoint
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = [f"/api/v1/campaigns/{world.year}/tracking",
             f"/api/v1/campaigns/{world.year}/tracking?parent={PROVINCE}"]
    before = [queries(path) for path in paths]
    more = Organisation.objects.commune_level().filter(
        parent__code=PROVINCE, campaigns=world).exclude(plans__campaign=world).order_by("code")
    for organisation in more[:3]:
        _submit(world, organisation, good_plan, timezone.now())
    assert [queries(path) for path in paths] == before
