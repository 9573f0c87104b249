"""The write API: draft, submit, review, versions; who may do what."""

import datetime

import pytest
from django.utils import timezone

from dxday.plans.models import Plan, PlanVersion

pytestmark = pytest.mark.django_db
A = "campaigns/2026/plans/48"
B = "campaigns/2026/plans/BKHCN"


def test_anonymous_is_401(campaign, bearer, good_plan):
    assert bearer(None).get(A)[0] == 401
    assert bearer(None).put(A, good_plan)[0] == 401
    assert bearer(None).post(A + "/submit")[0] == 401
    assert bearer("dxd_not-a-real-token").get(A)[0] == 401


def test_editor_saves_submits_and_reads_its_plan(campaign, editor_a, token_of, bearer,
                                                 good_plan, django_capture_on_commit_callbacks):
    api = bearer(token_of(editor_a))
    status, body = api.get(A)
    assert (status, body["status"], body["versions"]) == (200, "not_submitted", [])
    status, body = api.put(A, good_plan)
    assert (status, body["status"]) == (200, "draft")
    assert body["draft"]["activities"][0]["title"] == "Hội thảo chuyển đổi số"
    with django_capture_on_commit_callbacks(execute=True):
        status, body = api.post(A + "/submit")
    assert (status, body["status"], body["on_time"]) == (200, "submitted", True)
    assert body["submitted_at"].endswith("+07:00")
    assert [v["number"] for v in body["versions"]] == [1]
    # Read-only until returned.
    status, body = api.put(A, good_plan)
    assert status == 409
    assert api.post(A + "/submit")[0] == 409


def test_invalid_draft_is_422_with_paths_and_nothing_saved(campaign, editor_a, token_of,
                                                           bearer, good_plan):
    api = bearer(token_of(editor_a))
    api.put(A, good_plan)
    bad = {**good_plan, "activities": [{**good_plan["activities"][0], "end": "2026-10-01"}]}
    status, body = api.put(A, bad)
    assert status == 422
    assert {"path": "activities[0].end", "message": body["detail"][0]["message"]} in body["detail"]
    assert Plan.objects.get(organisation__code="48").draft["activities"][0]["end"] == "2026-10-06"


def test_body_that_is_not_json(campaign, editor_a, token_of, client):
    response = client.put(f"/api/v1/{A}", data=b"{not json", content_type="application/json",
                          headers={"Authorization": f"Bearer {token_of(editor_a)}"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "(document)"


def test_incomplete_plan_cannot_be_submitted(campaign, editor_a, token_of, bearer):
    api = bearer(token_of(editor_a))
    api.put(A, {"summary": "Chưa xong"})
    status, body = api.post(A + "/submit")
    assert status == 422
    assert "contact.name" in {p["path"] for p in body["detail"]}
    assert not PlanVersion.objects.exists()


def test_another_units_plan_is_404(campaign, editor_a, editor_b, token_of, bearer, good_plan):
    bearer(token_of(editor_b)).put(B, good_plan)
    api_a = bearer(token_of(editor_a))
    assert api_a.get(B)[0] == 404
    assert api_a.put(B, good_plan)[0] == 404
    assert api_a.post(B + "/submit")[0] == 404
    assert api_a.post(B + "/review", {"decision": "accept"})[0] == 404
    # …and a unit that is no recipient, an unknown code or year.
    assert api_a.get("campaigns/2026/plans/49-2022")[0] == 404
    assert api_a.get("campaigns/2026/plans/NOPE")[0] == 404
    assert api_a.get("campaigns/1999/plans/48")[0] == 404


def test_review_return_resubmit_accept(campaign, editor_a, reviewer, token_of, bearer,
                                       good_plan, django_capture_on_commit_callbacks):
    unit, agency = bearer(token_of(editor_a)), bearer(token_of(reviewer))
    unit.put(A, good_plan)
    unit.post(A + "/submit")
    assert unit.post(A + "/review", {"decision": "accept"})[0] == 403
    status, body = agency.post(A + "/review", {"decision": "return", "comment": ""})
    assert status == 422 and body["detail"][0]["path"] == "comment"
    status, body = agency.post(A + "/review", {"decision": "return",
                                               "comment": "Bổ sung sáng kiến cho doanh nghiệp."})
    assert (status, body["status"]) == (200, "returned")
    assert body["review_comment"] == "Bổ sung sáng kiến cho doanh nghiệp."
    good_plan["initiatives"][0]["beneficiaries"] = ["citizens", "businesses"]
    assert unit.put(A, good_plan)[0] == 200
    status, body = unit.post(A + "/submit")
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert agency.post(A + "/review", {"decision": "maybe"})[0] == 422
    status, body = agency.post(A + "/review", {"decision": "accept"})
    assert (status, body["status"]) == (200, "accepted")
    assert agency.post(A + "/review", {"decision": "accept"})[0] == 409
    v1, v2 = PlanVersion.objects.order_by("number")
    assert v1.data["initiatives"][0]["beneficiaries"] == ["citizens"]
    assert v2.data["initiatives"][0]["beneficiaries"] == ["citizens", "businesses"]


def test_late_plan_is_accepted_and_marked_late(campaign, editor_a, token_of, bearer,
                                               good_plan, client):
    campaign.submission_deadline = timezone.now() - datetime.timedelta(hours=1)
    campaign.save()
    api = bearer(token_of(editor_a))
    api.put(A, good_plan)
    status, body = api.post(A + "/submit")
    assert (status, body["status"], body["on_time"]) == (200, "submitted", False)
    assert body["versions"][0]["late"] is True
    public = client.get("/api/v1/campaigns/2026/recipients", {"limit": 100}).json()["items"]
    row = next(r for r in public if r["code"] == "48")
    assert (row["status"], row["on_time"]) == ("submitted", False)
    assert row["submitted_at"].endswith("+07:00")


def test_lock_date_closes_the_campaign(campaign, editor_a, token_of, bearer, good_plan):
    campaign.lock_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    status, body = bearer(token_of(editor_a)).put(A, good_plan)
    assert status == 409
    assert timezone.localtime(campaign.lock_at).strftime("%H:%M %d/%m/%Y") in body["detail"]
    assert not Plan.objects.filter(organisation__code="48").exists()


def test_public_recipients_hide_drafts(campaign, editor_a, token_of, bearer, good_plan, client):
    bearer(token_of(editor_a)).put(A, good_plan)
    public = client.get("/api/v1/campaigns/2026/recipients", {"limit": 100}).json()["items"]
    assert next(r for r in public if r["code"] == "48")["status"] == "not_submitted"


def test_revoked_token_is_refused(campaign, editor_a, bearer):
    from dxday.accounts.services import token_create, token_revoke

    token, key = token_create(user=editor_a)
    assert bearer(key).get(A)[0] == 200
    token_revoke(token=token)
    assert bearer(key).get(A)[0] == 401


def test_import_plan_command(campaign, good_plan, tmp_path):
    import json

    from django.core.management import CommandError, call_command

    path = tmp_path / "plan.json"
    path.write_text(json.dumps(good_plan), encoding="utf-8")
    call_command("import-plan", str(path), campaign=2026, org="48", submit=True)
    plan = Plan.objects.get(organisation__code="48")
    assert plan.status == "submitted" and plan.versions.count() == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"activities": [{"start": "2026-10-05", "end": "2026-10-01"}]}))
    with pytest.raises(CommandError, match=r"activities\[0\]\.end"):
        call_command("import-plan", str(bad), campaign=2026, org="BKHCN")
    assert not Plan.objects.filter(organisation__code="BKHCN").exists()
    broken = tmp_path / "broken.json"
    broken.write_text("{oops")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import-plan", str(broken), campaign=2026, org="BKHCN")
