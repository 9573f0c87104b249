"""Names in other languages and in modern Vietnamese are kept exactly as typed, whichever way
they come in: the web form, the write API, the unit's workbook (download, upload) and the
agency's workbook. Legacy-font detection (TCVN3, VNI) belongs to workbook imports only, and
only converts on strong evidence (see tests/plans/test_excel.py for text that is converted)."""

import json

import pytest

from dxday.plans.models import Plan
from tests.conftest import ORG_A
from tests.plans.test_web_plans import form_data

pytestmark = pytest.mark.django_db
NAMES = ["Björn Peña", "naïve", "São Paulo", "Nguyễn Thị Ánh", "Đắk Lắk"]


@pytest.fixture
def editor_client(client, editor_a):
    client.force_login(editor_a)
    return client


def planted(good_plan: dict, name: str) -> dict:
    """The good plan with ``name`` in an activity's title and location, the contact's name and
    an initiative's name and sector."""
    plan = json.loads(json.dumps(good_plan))
    plan["contact"]["name"] = name
    plan["activities"][0].update(title=f"Hội thảo {name}", location=name)
    plan["initiatives"][0].update(name=name, sector=f"{name} — dịch vụ công")
    return plan


def assert_kept(name: str, good_plan: dict) -> None:
    expected = planted(good_plan, name)
    draft = Plan.objects.get(campaign__year=2026, organisation__code=ORG_A).draft
    assert draft["contact"]["name"] == name
    for section, keys in {"activities": ("title", "location"),
                          "initiatives": ("name", "sector")}.items():
        for key in keys:
            assert draft[section][0][key] == expected[section][0][key], (section, key)


@pytest.mark.parametrize("name", NAMES)
def test_names_are_kept_through_the_web_form(editor_client, campaign, good_plan, name):
    response = editor_client.post(f"/plans/2026/{ORG_A}/",
                                  form_data(planted(good_plan, name), action="save"))
    assert response.status_code == 302
    assert_kept(name, good_plan)
    page = editor_client.get(f"/plans/2026/{ORG_A}/").content.decode()
    assert name in page and "Converted from" not in page


@pytest.mark.parametrize("name", NAMES)
def test_names_are_kept_through_the_api(campaign, editor_a, token_of, bearer, good_plan,
                                        name):
    status, body = bearer(token_of(editor_a)).put(f"campaigns/2026/plans/{ORG_A}",
                                                  planted(good_plan, name))
    assert status == 200, body
    assert body["warnings"] == []
    assert body["draft"]["contact"]["name"] == name
    assert_kept(name, good_plan)


@pytest.mark.parametrize("name", NAMES)
def test_names_are_kept_through_the_unit_workbook(editor_client, campaign, good_plan, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/plans/2026/{ORG_A}/"
    assert editor_client.post(url, form_data(planted(good_plan, name),
                                             action="save")).status_code == 302
    raw = editor_client.get(url + "workbook.xlsx").content
    Plan.objects.filter(organisation__code=ORG_A).update(draft={})
    upload = SimpleUploadedFile("ke-hoach.xlsx", raw)
    assert editor_client.post(url + "workbook/", {"workbook": upload}).status_code == 302
    assert_kept(name, good_plan)


@pytest.mark.parametrize("name", NAMES)
def test_names_are_kept_through_the_agency_workbook(client, campaign, editor_a, reviewer,
                                                    good_plan, name):
    from dxday.plans.services import plan_save_draft, plans_bulk_import
    from dxday.registry.models import Organisation

    danang = Organisation.objects.get(code=ORG_A)
    plan_save_draft(campaign=campaign, organisation=danang, data=planted(good_plan, name),
                    by=editor_a)
    client.force_login(reviewer)
    raw = client.get("/backoffice/2026/bulk.xlsx").content
    Plan.objects.filter(organisation=danang).update(draft={})
    results = plans_bulk_import(campaign=campaign, raw=raw, by=reviewer,
                                apply=True)
    assert next(r for r in results if r.code == ORG_A).warnings == []
    assert_kept(name, good_plan)
