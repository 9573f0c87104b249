"""Every write of a plan records who acted, in the plan's history (django-simple-history) and in
its thread of events, whatever the way in: the web form, the unit's workbook, the write API,
`dxday import-plan --as`, the agency's workbook, a review, a deadline extension. Commands and
jobs run outside a web request, where the history alone would record nobody."""

import datetime
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from dxday.plans.models import Plan, PlanEvent
from tests.conftest import ORG_A

pytestmark = pytest.mark.django_db
A = f"campaigns/2026/plans/{ORG_A}"


def plan_a() -> Plan:
    return Plan.objects.get(campaign__year=2026, organisation__code=ORG_A)


def assert_acted(user, kind: str, *, records: int | None = None) -> None:
    """The plan's last history record and its last event name ``user``; so does every history
    record when ``records`` (their number) is given."""
    plan = plan_a()
    history = list(plan.history.order_by("history_date", "history_id"))
    assert history[-1].history_user == user
    if records is not None:
        assert [h.history_user for h in history] == [user] * records
    event = plan.events.order_by("at", "pk").last()
    assert (event.kind, event.by) == (kind, user)


def test_web_form_save_and_submit(client, campaign, editor_a, good_plan):
    from tests.plans.test_web_plans import form_data

    client.force_login(editor_a)
    url = f"/plans/2026/{ORG_A}/"
    assert client.post(url, form_data(good_plan, action="save")).status_code == 302
    assert_acted(editor_a, PlanEvent.Kind.SAVED, records=2)  # created, then saved
    assert client.post(url + "submit/").status_code == 302
    assert_acted(editor_a, PlanEvent.Kind.SUBMITTED)


def test_unit_workbook_upload(client, campaign, editor_a, good_plan):
    from dxday.plans.excel import plan_workbook

    client.force_login(editor_a)
    raw = plan_workbook(campaign=campaign, organisation=editor_a.organisation, data=good_plan)
    response = client.post(f"/plans/2026/{ORG_A}/workbook/",
                           {"workbook": SimpleUploadedFile("ke-hoach.xlsx", raw)})
    assert response.status_code == 302
    assert_acted(editor_a, PlanEvent.Kind.SAVED, records=2)


def test_api_put_submit_and_review(campaign, editor_a, reviewer, token_of, bearer, good_plan):
    unit, agency = bearer(token_of(editor_a)), bearer(token_of(reviewer))
    assert unit.put(A, good_plan)[0] == 200
    assert_acted(editor_a, PlanEvent.Kind.SAVED, records=2)
    assert unit.post(A + "/submit")[0] == 200
    assert_acted(editor_a, PlanEvent.Kind.SUBMITTED)
    assert agency.post(A + "/review", {"decision": "return", "comment": "Thêm ngày"})[0] == 200
    assert_acted(reviewer, PlanEvent.Kind.RETURNED)
    assert unit.put(A, good_plan)[0] == 200
    assert_acted(editor_a, PlanEvent.Kind.SAVED)
    assert unit.post(A + "/submit")[0] == 200
    assert agency.post(A + "/review", {"decision": "accept"})[0] == 200
    assert_acted(reviewer, PlanEvent.Kind.ACCEPTED)
    # Every kind of event is written by some way in.
    assert set(plan_a().events.values_list("kind", flat=True)) == set(PlanEvent.Kind.values)


def test_import_plan_as(campaign, editor_a, good_plan, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(good_plan), encoding="utf-8")
    call_command("import-plan", str(path), campaign=2026, org=ORG_A, as_user=editor_a.email)
    assert_acted(editor_a, PlanEvent.Kind.SAVED, records=2)
    call_command("import-plan", str(path), campaign=2026, org=ORG_A, submit=True,
                 as_user=editor_a.email.upper())
    assert_acted(editor_a, PlanEvent.Kind.SUBMITTED)
    assert plan_a().versions.get().submitted_by == editor_a


def test_import_plan_workbook_as(campaign, editor_a, good_plan, tmp_path):
    from dxday.plans.excel import plan_workbook

    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(plan_workbook(campaign=campaign, organisation=editor_a.organisation,
                                   data=good_plan))
    call_command("import-plan", str(path), campaign=2026, org=ORG_A, as_user=editor_a.email)
    assert_acted(editor_a, PlanEvent.Kind.SAVED, records=2)


def test_import_plan_without_as_names_nobody(campaign, good_plan, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(good_plan), encoding="utf-8")
    call_command("import-plan", str(path), campaign=2026, org=ORG_A)
    assert_acted(None, PlanEvent.Kind.SAVED, records=2)


def test_agency_workbook_import(client, campaign, editor_a, reviewer, good_plan):
    from dxday.plans.services import plan_save_draft

    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=editor_a)
    client.force_login(reviewer)
    book = load_workbook(io.BytesIO(client.get("/backoffice/2026/bulk.xlsx").content))
    general = book["Thông tin chung"]
    row = [c.value for c in general["A"]].index(ORG_A) + 1
    general[f"C{row}"] = "Tóm tắt do Cục nhập hộ"
    out = io.BytesIO()
    book.save(out)
    preview = client.post("/backoffice/2026/bulk/", {
        "action": "preview", "workbook": SimpleUploadedFile("all.xlsx", out.getvalue())})
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode())[1]
    assert client.post("/backoffice/2026/bulk/",
                       {"action": "apply", "token": token}).status_code == 200
    assert plan_a().draft["summary"] == "Tóm tắt do Cục nhập hộ"
    assert_acted(reviewer, PlanEvent.Kind.SAVED)


def test_agency_workbook_import_outside_a_request(campaign, reviewer, good_plan):
    from dxday.plans.excel import campaign_workbook
    from dxday.plans.services import plans_bulk_import

    book = load_workbook(io.BytesIO(campaign_workbook(campaign=campaign)))
    general = book["Thông tin chung"]
    row = [c.value for c in general["A"]].index(ORG_A) + 1
    general[f"C{row}"] = "Tóm tắt do Cục nhập hộ"
    out = io.BytesIO()
    book.save(out)
    plans_bulk_import(campaign=campaign, raw=out.getvalue(), by=reviewer, apply=True)
    assert_acted(reviewer, PlanEvent.Kind.SAVED, records=2)


def test_extension_granted_by_a_reviewer(campaign, editor_a, reviewer):
    from dxday.plans.extensions import extension_decide, extension_request

    request = extension_request(campaign=campaign, organisation=editor_a.organisation,
                                by=editor_a, reason="Chờ ý kiến lãnh đạo")
    assert [h.history_user for h in plan_a().history.all()] == [editor_a]  # created by
    later = timezone.localdate(campaign.submission_deadline) + datetime.timedelta(days=3)
    extension_decide(request=request, by=reviewer, decision="grant", until=later)
    assert plan_a().history.order_by("history_date").last().history_user == reviewer
