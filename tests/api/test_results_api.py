"""The results API through HTTP with tokens: a unit's results (read, save, submit, review,
signed document) under the plans' rules, refused before the plan is accepted (409), bad
fields named (422); the published results (paginated, embargoed) and plan versus result,
every figure compared with counts computed here from the submitted versions."""

import datetime

import pytest
from django.utils import timezone, translation

from dxday.plans.models import Plan
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from dxday.results import schema as results_schema
from dxday.results.models import Result
from dxday.results.services import results_for_update
from tests.conftest import ORG_A, ORG_B, make_user, pdf_bytes
from tests.results import conftest as results_fixtures
from tests.results.conftest import filled

pytestmark = pytest.mark.django_db
after_window = results_fixtures.after_window
accepted_plan = results_fixtures.accepted_plan

A = f"campaigns/2026/results/{ORG_A}"
B = f"campaigns/2026/results/{ORG_B}"
PUBLIC = "campaigns/2026/results"


def commune_of_hanoi():
    return (Organisation.objects.filter(parent__code="01", kind__in=Organisation.COMMUNE_KINDS)
            .order_by("code").first())


@pytest.fixture
def commune(after_window, reviewer, good_plan):
    """A commune of Hà Nội, a recipient, whose plan was accepted; its editor."""
    org = commune_of_hanoi()
    after_window.recipients.add(org)
    editor = make_user("xa@hanoi.example.vn", "editor", org.code)
    plan_save_draft(campaign=after_window, organisation=org, data=good_plan, by=editor)
    plan_review(plan=plan_submit(campaign=after_window, organisation=org, by=editor),
                by=reviewer, decision="accept")
    return org, editor


def send(api, path):
    """The prefilled draft filled in (tests/results/conftest.filled), saved and submitted."""
    status, body = api.get(path)
    assert status == 200, body
    status, body = api.put(path, filled(body["draft"]))
    assert status == 200, body
    status, body = api.post(path + "/submit")
    assert status == 200, body
    return body


def counted(campaign, org_codes=None):
    """Per unit, from the last version of its accepted results and of its accepted plan:
    what plan_vs_result counts."""
    found = {}
    for result in Result.objects.filter(campaign=campaign, status="accepted").select_related(
            "organisation"):
        code = result.organisation.code
        if org_codes is not None and code not in org_codes:
            continue
        data = result.versions.order_by("-number").first().data
        plan = Plan.objects.get(campaign=campaign, organisation=result.organisation)
        planned = plan.versions.order_by("-number").first().data
        activities = dict.fromkeys(("held", "changed", "cancelled", "added"), 0)
        people = {"in_person": 0, "online": 0}
        for row in data["activities"]:
            key = ("added" if row["planned"] is None else
                   {"held": "held", "changed": "changed", "not_held": "cancelled"}[row["status"]])
            activities[key] += 1
            people["in_person"] += row["participants_in_person"] or 0
            people["online"] += row["participants_online"] or 0
        activities["planned"] = len(planned["activities"])
        activities["not_reported"] = activities["planned"] - sum(
            activities[k] for k in ("held", "changed", "cancelled"))
        initiatives = {"planned": len(planned["initiatives"]),
                       "launched": sum(1 for i in data["initiatives"]
                                       if i["planned"] is not None and i["launched"] == "yes"),
                       "not_launched": sum(1 for i in data["initiatives"]
                                           if i["planned"] is not None and i["launched"] == "no"),
                       "added": sum(1 for i in data["initiatives"] if i["planned"] is None)}
        initiatives["not_reported"] = (initiatives["planned"] - initiatives["launched"]
                                       - initiatives["not_launched"])
        found[code] = {"activities": activities,
                       "participants": {**people, "total": people["in_person"] + people["online"]},
                       "initiatives": initiatives}
    return found


def test_anonymous_is_401_on_a_units_results(after_window, bearer):
    anonymous = bearer(None)
    assert anonymous.get(A)[0] == 401
    assert anonymous.put(A, {})[0] == 401
    assert anonymous.post(A + "/submit")[0] == 401
    assert anonymous.post(A + "/review", {"decision": "accept"})[0] == 401
    assert bearer("dxd_not-a-real-token").get(A)[0] == 401
    # The published figures are public.
    assert anonymous.get(PUBLIC)[0] == 200
    assert anonymous.get("campaigns/2026/plan-vs-result")[0] == 200


def test_the_cycle_through_the_api(accepted_plan, editor_a, reviewer, token_of, bearer,
                                   django_capture_on_commit_callbacks):
    api = bearer(token_of(editor_a))
    status, body = api.get(A)
    assert (status, body["status"], body["ready"], body["not_ready"]) == (
        200, "not_submitted", True, "")
    assert [row["planned"] for row in body["draft"]["activities"]] == [1]  # prefilled
    assert not Result.objects.exists()  # a read never writes
    status, body = api.put(A, filled(body["draft"]))
    assert (status, body["status"]) == (200, "draft")
    assert body["draft"]["activities"][0]["participants_online"] == 1250  # "1.250"
    with django_capture_on_commit_callbacks(execute=True):
        status, body = api.post(A + "/submit")
    assert (status, body["status"], body["on_time"]) == (200, "submitted", True)
    assert body["submitted_at"].endswith("+07:00")
    assert [(v["number"], v["plan_version"]) for v in body["versions"]] == [(1, 1)]
    assert api.put(A, body["draft"])[0] == 409  # read-only until returned
    # Returned with a comment, then resubmitted and accepted.
    agency = bearer(token_of(reviewer))
    status, body = agency.post(A + "/review", {"decision": "return", "comment": "Bổ sung"})
    assert (status, body["status"], body["review_comment"]) == (200, "returned", "Bổ sung")
    assert api.post(A + "/submit")[0] == 200
    status, body = agency.post(A + "/review", {"decision": "accept"})
    assert (status, body["status"], len(body["versions"])) == (200, "accepted", 2)
    # Published: in the list and in plan versus result, counted as here.
    campaign = accepted_plan.campaign
    status, page = bearer(None).get(PUBLIC)
    assert (status, page["count"]) == (200, 1)
    item = page["items"][0]
    assert (item["organisation"], item["on_time"]) == (ORG_A, True)
    expected = counted(campaign)[ORG_A]
    assert {k: item[k] for k in expected} == expected
    status, unit = bearer(None).get(f"campaigns/2026/plan-vs-result/{ORG_A}")
    assert (status, unit["state"]) == (200, "accepted")
    assert {k: unit[k] for k in expected} == expected
    assert [(r["number"], r["outcome"]["status"]) for r in unit["rows"]] == [
        (1, "held"), (None, "held")]
    assert unit["rows"][0]["plan"]["title"] == accepted_plan.versions.get().data[
        "activities"][0]["title"]


def test_before_the_plan_is_accepted_409_with_the_reason(after_window, editor_b, token_of,
                                                         bearer, good_plan):
    api = bearer(token_of(editor_b))
    status, body = api.get(B)
    assert (status, body["ready"]) == (200, False) and body["not_ready"]
    with translation.override("en"):
        status, body = api.put(B, {"activities": []})
    assert status == 409 and "chưa được chấp thuận" in body["detail"]
    # A plan submitted but not accepted yet: still refused, the reason says its state.
    org = Organisation.objects.get(code=ORG_B)
    plan_save_draft(campaign=after_window, organisation=org, data=good_plan, by=editor_b)
    plan_submit(campaign=after_window, organisation=org, by=editor_b)
    with translation.override("en"):
        status, body = api.post(B + "/submit")
        assert status == 409 and "chưa được chấp thuận" in body["detail"]
        assert str(Plan.Status.SUBMITTED.label) in body["detail"]
    assert not Result.objects.exists()


@pytest.mark.parametrize("value", [-1, 10_000_001, "nhiều"])
def test_bad_fields_422_naming_the_path_nothing_saved(accepted_plan, editor_a, token_of, bearer,
                                                      value):
    api = bearer(token_of(editor_a))
    draft = api.get(A)[1]["draft"]
    assert api.put(A, filled(draft))[0] == 200
    before = Result.objects.get().draft
    bad = filled(draft)
    bad["activities"][0]["participants_in_person"] = value
    status, body = api.put(A, bad)
    assert status == 422
    assert [p["path"] for p in body["detail"]] == ["activities[0].participants_in_person"]
    assert body["detail"][0]["message"]
    assert Result.objects.get().draft == before


def test_body_that_is_not_json(accepted_plan, editor_a, token_of, client):
    response = client.put(f"/api/v1/{A}", data=b"{not json", content_type="application/json",
                          headers={"Authorization": f"Bearer {token_of(editor_a)}"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "(document)"


def test_who_may_do_what(accepted_plan, commune, editor_a, editor_b, reviewer, token_of,
                         bearer):
    org, commune_editor = commune
    send(bearer(token_of(editor_a)), A)
    path = f"campaigns/2026/results/{org.code}"
    send(bearer(token_of(commune_editor)), path)
    # Another unit's results do not exist for an editor.
    other = bearer(token_of(editor_b))
    assert other.get(A)[0] == 404
    assert other.put(A, {})[0] == 404
    assert other.post(A + "/submit")[0] == 404
    assert other.post(A + "/review", {"decision": "accept"})[0] == 404
    # The agency reads and reviews, never writes.
    agency = bearer(token_of(reviewer))
    assert agency.get(A)[0] == 200
    assert agency.put(A, {})[0] == 403
    assert agency.post(A + "/submit")[0] == 403
    # An editor does not review its own results.
    assert bearer(token_of(editor_a)).post(A + "/review", {"decision": "accept"})[0] == 403
    # A province's reviewer reads and reviews its communes' results, no one else's.
    province = bearer(token_of(make_user("p@hanoi.example.vn", "reviewer", "01")))
    status, body = province.get(path)
    assert (status, body["status"]) == (200, "submitted")
    assert province.put(path, {})[0] == 403
    assert province.get(A)[0] == 404
    assert province.post(A + "/review", {"decision": "accept"})[0] == 404
    status, body = province.post(path + "/review", {"decision": "accept"})
    assert (status, body["status"]) == (200, "accepted")
    assert Result.objects.get(organisation=org).reviewed_by.email == "p@hanoi.example.vn"
    assert Result.objects.get(organisation__code=ORG_A).status == "submitted"


def test_review_of_results_never_sent_is_409(accepted_plan, reviewer, token_of, bearer):
    status, body = bearer(token_of(reviewer)).post(A + "/review", {"decision": "accept"})
    assert status == 409 and body["detail"]


def test_the_signed_document(accepted_plan, editor_b, editor_a, token_of, client):
    pdf = pdf_bytes()

    def put(key, path, body=pdf, content_type="application/pdf"):
        response = client.put(f"/api/v1/{path}/document?filename=ket-qua.pdf", data=body,
                              content_type=content_type,
                              headers={"Authorization": f"Bearer {key}"})
        return response.status_code, response.json()

    status, body = put(token_of(editor_a), A)
    assert (status, body["document_name"], body["status"]) == (200, "ket-qua.pdf", "draft")
    assert len(body["document_sha256"]) == 64
    assert put(token_of(editor_a), A, b"not a pdf")[0] == 422
    assert put(token_of(editor_a), A, content_type="text/plain")[0] == 415
    assert Result.objects.get().document_name == "ket-qua.pdf"
    # Before its plan is accepted, a unit attaches nothing either.
    status, body = put(token_of(editor_b), B)
    assert status == 409 and body["detail"]


@pytest.fixture
def published(accepted_plan, commune, editor_a, reviewer, token_of, bearer):
    """Two units' results accepted (Đà Nẵng, a commune of Hà Nội), one submitted only (a
    second commune)."""
    org, commune_editor = commune
    agency = bearer(token_of(reviewer))
    for editor, code in ((editor_a, ORG_A), (commune_editor, org.code)):
        send(bearer(token_of(editor)), f"campaigns/2026/results/{code}")
        assert agency.post(f"campaigns/2026/results/{code}/review",
                           {"decision": "accept"})[0] == 200
    return accepted_plan.campaign, org


def test_published_results_paginated(published, bearer):
    campaign, org = published
    public = bearer(None)
    status, page = public.get(PUBLIC + "?limit=1")
    assert (status, page["count"], len(page["items"])) == (200, 2, 1)
    second = public.get(PUBLIC + "?limit=1&offset=1")[1]
    codes = [page["items"][0]["organisation"], second["items"][0]["organisation"]]
    assert codes == sorted([ORG_A, org.code])
    expected = counted(campaign)
    for item in page["items"] + second["items"]:
        assert {k: item[k] for k in expected[item["organisation"]]} == (
            expected[item["organisation"]])
    assert public.get(PUBLIC + "?limit=0")[0] == 422
    assert public.get(PUBLIC + "?limit=1001")[0] == 422
    assert public.get("campaigns/1999/results")[0] == 404


def test_plan_vs_result_totals_and_levels(published, bearer):
    campaign, org = published
    public = bearer(None)
    status, body = public.get("campaigns/2026/plan-vs-result")
    assert (status, body["parent"]) == (200, None)
    expected = counted(campaign)
    for section in ("participants",):
        for key in ("in_person", "online", "total"):
            assert body[section][key] == sum(e[section][key] for e in expected.values())
    for key in ("held", "changed", "cancelled", "added"):
        assert body["activities"][key] == sum(e["activities"][key] for e in expected.values())
    assert body["activities"]["planned"] == sum(
        len(p.versions.order_by("-number").first().data["activities"])
        for p in Plan.objects.filter(campaign=campaign, status="accepted"))
    assert body["units"]["expected"] == campaign.recipients.count()
    assert body["units"]["results_accepted"] == 2
    assert {c["category"] for c in body["by_category"]} >= {"conference", "digital_skills"}
    # A province's level: its communes only.
    status, level = public.get("campaigns/2026/plan-vs-result?parent=01")
    assert (status, level["parent"], level["units"]["expected"]) == (
        200, "01", campaign.recipients.filter(parent__code="01").count())
    assert level["participants"] == expected[org.code]["participants"]
    assert public.get("campaigns/2026/plan-vs-result?parent=NOPE")[0] == 404
    assert public.get("campaigns/2026/plan-vs-result/NOPE")[0] == 404
    # A unit the campaign did not ask is a 404, even if it exists.
    stranger = Organisation.objects.filter(
        parent__code="01", kind__in=Organisation.COMMUNE_KINDS).exclude(pk=org.pk).first()
    assert public.get(f"campaigns/2026/plan-vs-result/{stranger.code}")[0] == 404


def test_a_draft_is_missing_to_the_public(accepted_plan, editor_a, bearer):
    results_for_update(campaign=accepted_plan.campaign,
                       organisation=Organisation.objects.get(code=ORG_A), by=editor_a)
    status, unit = bearer(None).get(f"campaigns/2026/plan-vs-result/{ORG_A}")
    assert (status, unit["state"]) == (200, "missing")
    assert [r["outcome"] for r in unit["rows"]] == [None]  # planned, nothing reported yet


def test_the_embargo(published, bearer, token_of, editor_a):
    campaign, org = published
    campaign.publish_from = timezone.now() + datetime.timedelta(days=10)
    campaign.save()
    public = bearer(None)
    status, page = public.get(PUBLIC)
    assert (status, page["count"], page["items"]) == (200, 0, [])
    body = public.get("campaigns/2026/plan-vs-result")[1]
    assert body["activities"]["planned"] == 0 and body["participants"]["total"] == 0
    assert body["by_province"] == [] and body["units"]["results_accepted"] == 2
    unit = public.get(f"campaigns/2026/plan-vs-result/{ORG_A}")[1]
    assert unit["rows"] == [] and unit["activities"]["held"] == 0
    # The unit itself still reads its own results.
    assert bearer(token_of(editor_a)).get(A)[1]["status"] == "accepted"


def test_openapi_documents_the_results_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path, methods in {"/api/v1/campaigns/{year}/results/{org_code}": {"get", "put"},
                          "/api/v1/campaigns/{year}/results/{org_code}/submit": {"post"},
                          "/api/v1/campaigns/{year}/results/{org_code}/review": {"post"},
                          "/api/v1/campaigns/{year}/results/{org_code}/document": {"put"},
                          "/api/v1/campaigns/{year}/results": {"get"},
                          "/api/v1/campaigns/{year}/plan-vs-result": {"get"},
                          "/api/v1/campaigns/{year}/plan-vs-result/{org_code}": {"get"}}.items():
        assert methods <= set(paths[path]), path
    body = paths["/api/v1/campaigns/{year}/results/{org_code}"]["put"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    activity = schema["properties"]["activities"]["items"]["properties"]
    fields = {f.name for f in results_schema.SECTION["activities"].fields}
    assert set(activity) == fields
    assert "participants_in_person" in activity and "planned" in activity
    assert set(schema["properties"]) >= {"summary", "contact", "activities", "initiatives",
                                         "communications", "display_urls"}
    # Writes need the token; the published figures do not.
    assert paths["/api/v1/campaigns/{year}/results/{org_code}"]["put"].get("security")
    assert not paths["/api/v1/campaigns/{year}/plan-vs-result"]["get"].get("security")
