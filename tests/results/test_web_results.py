"""The unit's results pages, through HTTP as a browser without JavaScript would use them:
prefilled from the accepted plan, saved all or nothing, checked and submitted with a
reference, read-only afterwards, read by the agency, hidden from other units; the kit
check's latest verdict beside each display address."""

import datetime
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from dxday.registry.models import Organisation
from dxday.results.models import Result
from dxday.results.schema import SECTIONS
from dxday.results.services import accepted_plan_version, prefilled
from dxday.scanner.models import ScanResult, ScanTarget
from dxday.scanner.services import result_record
from tests.conftest import ORG_A, make_user, pdf_bytes
from tests.plans.test_session_keep import log_in
from tests.results.conftest import filled

pytestmark = pytest.mark.django_db
URL = "/results/2026/48/"
SUBMIT = "/results/2026/48/submit/"


def form_data(doc: dict, **extra) -> dict:
    """The HTML form fields for a results document (lists of links one per line)."""
    data = {"summary": doc.get("summary", "")}
    for key, value in doc.get("contact", {}).items():
        data[f"contact-{key}"] = value
    for section in SECTIONS:
        for i, row in enumerate(doc.get(section.name, [])):
            for key, value in row.items():
                if isinstance(value, list):
                    value = "\n".join(value)
                data[f"{section.name}-{i}-{key}"] = "" if value is None else value
    data.update(extra)
    return data


def prefill(accepted_plan) -> dict:
    return prefilled(accepted_plan_version(accepted_plan.campaign, accepted_plan.organisation))


def pdf():
    return SimpleUploadedFile("báo cáo kết quả.pdf", pdf_bytes(2000),
                              content_type="application/pdf")


def page(client, url=URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_before_the_plan_is_accepted_the_reason_and_no_form(client, after_window, editor_a,
                                                             good_plan):
    client.force_login(editor_a)
    with translation.override("en"):
        html = page(client)
    assert 'id="results-not-ready"' in html and "chưa được chấp thuận" in html
    assert 'name="summary"' not in html
    response = client.post(URL, form_data({**good_plan, "activities": []}, action="save"))
    assert response.status_code == 200 and 'id="results-not-ready"' in response.content.decode()
    assert not Result.objects.exists()
    assert 'href="/results/2026/48/"' not in page(client, "/plans/")


def test_prefill_shown_beside_what_was_planned_and_a_get_never_writes(
        client, accepted_plan, editor_a, good_plan):
    client.force_login(editor_a)
    html = page(client)
    planned = good_plan["activities"][0]
    assert 'name="activities-0-planned" value="1"' in html
    assert f'value="{planned["title"]}"' in html
    assert 'id="activities-0-planned"' in html  # the plan's row shown beside the inputs
    facts = html.split('id="activities-0-planned"')[1].split("</dl>")[0]
    assert "05/10/2026" in facts  # its planned start, dd/mm/yyyy
    assert "Thành phố Đà Nẵng" in facts  # its province by name
    assert 'name="activities-0-participants_in_person"' in html
    assert 'inputmode="numeric"' in html
    assert 'name="initiatives-0-usage_value"' in html
    assert 'id="id_display_urls-0-url" value="https://danang.example.vn/"' in html
    assert 'id="results-start"' in html and 'value="start"' in html
    # The deadline, in Vietnam's time, "HH giờ MM phút, dd/mm/yyyy".
    due = timezone.localtime(accepted_plan.campaign.results_deadline)
    assert f"{due.hour} giờ {due.minute:02d} phút, {due:%d/%m/%Y}" in html
    assert not Result.objects.exists()

    assert client.post(URL, {"action": "start"}).status_code == 302
    result = Result.objects.get()
    assert [r["planned"] for r in result.draft["activities"]] == list(
        range(1, len(good_plan["activities"]) + 1))
    assert 'id="results-start"' not in page(client)


def test_links_from_the_unit_home_and_the_plan_page(client, accepted_plan, editor_a):
    client.force_login(editor_a)
    home = page(client, "/plans/")
    assert 'href="/results/2026/48/"' in home and 'class="results-link"' in home
    assert 'id="results-link"' in page(client, "/plans/2026/48/")


def test_save_draft_with_an_activity_that_was_not_planned(client, accepted_plan, editor_a):
    client.force_login(editor_a)
    draft = prefill(accepted_plan)
    typed = {**draft, "summary": "Đã tổ chức hội thảo."}
    typed["activities"] = [{**draft["activities"][0], "participants_in_person": "320"}]
    # Without JavaScript, "add an activity that was not planned" is a round trip that keeps
    # what was typed and saves nothing.
    response = client.post(URL, form_data(typed, action="add-activities"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="activities-1-title"' in html and 'name="activities-1-planned" value=""' in html
    assert 'name="activities-0-participants_in_person"' in html and 'value="320"' in html
    assert not Result.objects.exists()

    data = filled(draft)
    response = client.post(URL, form_data(data, action="save", document=pdf()))
    assert response.status_code == 302
    result = Result.objects.get()
    rows = result.draft["activities"]
    expected = [(a["planned"], a["title"]) for a in data["activities"]]
    assert [(r["planned"], r["title"]) for r in rows] == expected
    assert rows[0]["participants_online"] == 1250  # typed "1.250"
    assert rows[0]["participants_in_person"] == data["activities"][0]["participants_in_person"]
    assert rows[0]["evidence"] == data["activities"][0]["evidence"]
    assert result.draft["initiatives"][0]["usage_value"] == 12000
    assert result.document_name == "báo cáo kết quả.pdf"
    assert result.events.filter(kind="saved").count() == 1
    # An added row can be removed; a planned row has no "remove" box.
    html = page(client)
    assert 'name="activities-1-delete"' in html and 'name="activities-0-delete"' not in html
    client.post(URL, form_data(data, action="save", **{"activities-1-delete": "1"}))
    result.refresh_from_db()
    assert [r["planned"] for r in result.draft["activities"]] == [1]


def test_field_errors_are_named_and_nothing_is_saved(client, accepted_plan, editor_a):
    client.force_login(editor_a)
    data = filled(prefill(accepted_plan))
    assert client.post(URL, form_data(data, action="save")).status_code == 302
    before = Result.objects.get().draft
    bad = {**data, "activities": [{**data["activities"][0], "participants_in_person": "-5",
                                   "views": "nhiều", "shares": "20000000",
                                   "evidence": ["not a link"], "title": "Đổi tên"},
                                  data["activities"][1]]}
    with translation.override("en"):
        response = client.post(URL, form_data(bad, action="save"))
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("participants_in_person", "views", "shares", "evidence"):
        assert f'id="id_activities-0-{field}-error"' in html, field
        assert f'href="#id_activities-0-{field}"' in html, field  # the summary links to it
    assert "Người tham dự trực tiếp" in html  # the error summary names the field
    assert html.count('aria-invalid="true"') >= 4
    assert Result.objects.get().draft == before


def test_hostile_text_is_escaped_and_stored_nfc(client, accepted_plan, editor_a):
    client.force_login(editor_a)
    data = filled(prefill(accepted_plan))
    nfd = unicodedata.normalize("NFD", "Hội nghị trực tuyến Đà Nẵng")
    data["summary"] = nfd
    data["activities"][1]["title"] = '<script>alert("x")</script>'
    data["activities"][1]["reason"] = '"><img src=x onerror=alert(1)>'
    assert client.post(URL, form_data(data, action="save")).status_code == 302
    result = Result.objects.get()
    assert result.draft["summary"] == unicodedata.normalize("NFC", nfd) != nfd
    assert result.draft["activities"][1]["title"] == '<script>alert("x")</script>'
    html = page(client)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_another_units_results_are_not_found(client, accepted_plan, editor_a, editor_b):
    client.force_login(editor_b)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"action": "start"}).status_code == 404
    assert client.get(SUBMIT).status_code == 404
    assert client.get(URL + "versions/1/").status_code == 404
    assert client.get(URL + "rows/activities/").status_code == 404
    assert not Result.objects.exists()
    other_province = make_user("tinh@hanoi.example.vn", "reviewer", "01")
    client.force_login(other_province)
    assert client.get(URL).status_code == 404


def test_the_agency_reads_but_does_not_write(client, accepted_plan, editor_a, reviewer):
    client.force_login(reviewer)
    html = page(client)
    assert 'id="results-read-only"' in html and 'value="save"' not in html
    assert 'name="summary"' not in html  # nothing started yet: nothing to show
    assert client.post(URL, {"action": "start"}).status_code == 403
    assert not Result.objects.exists()

    editor = type(client)()
    editor.force_login(editor_a)
    editor.post(URL, form_data(filled(prefill(accepted_plan)), action="save"))
    html = page(client)
    assert 'name="activities-0-participants_in_person"' in html and " readonly" in html
    assert 'value="save"' not in html and 'value="start"' not in html
    assert client.post(URL, form_data({"summary": "x"}, action="save")).status_code == 403
    assert client.post(SUBMIT).status_code == 403
    assert Result.objects.get().status == "draft"


def test_check_submit_reference_receipt_then_read_only(
        client, accepted_plan, editor_a, smtp, django_capture_on_commit_callbacks):
    client.force_login(editor_a)
    draft = prefill(accepted_plan)
    # Nothing said yet about what happened: the check page lists what stops a submission.
    client.post(URL, form_data(draft, action="save"))
    response = client.get(SUBMIT)
    html = response.content.decode()
    assert 'id="submit-errors"' in html and 'href="/results/2026/48/#id_activities-0-status"' in html
    assert client.post(SUBMIT).status_code == 422
    assert Result.objects.get().status == "draft"

    data = filled(draft)
    response = client.post(URL, form_data(data, action="submit", document=pdf()))
    assert response.status_code == 302 and response["Location"] == SUBMIT
    html = page(client, SUBMIT)
    assert 'id="submit-errors"' not in html and 'id="results-confirm-submit"' in html
    for row in data["activities"]:
        assert row["title"] in html
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(SUBMIT).status_code == 302
    result = Result.objects.get()
    assert (result.status, result.on_time) == ("submitted", True)
    assert result.versions.count() == 1
    receipt = page(client, SUBMIT)
    assert '<strong id="submission-reference">DXD-2026-48-KQ-V1</strong>' in receipt
    assert any(editor_a.email in m["to"] and "DXD-2026-48-KQ-V1" in m["body"]
               for m in smtp.messages)

    # Read-only now: no save button, and a save changes nothing.
    html = page(client)
    assert 'value="save"' not in html and 'id="results-read-only"' in html
    assert 'href="/results/2026/48/versions/1/"' in html
    response = client.post(URL, form_data({**data, "summary": "changed"}, action="save"))
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.draft["summary"] == data["summary"]
    version = page(client, URL + "versions/1/")
    assert "DXD-2026-48-KQ-V1" in version and data["activities"][1]["title"] in version
    document = client.get(URL + "versions/1/document/")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert document["X-Content-Type-Options"] == "nosniff"
    assert b"".join(document.streaming_content).startswith(b"%PDF-")
    assert client.get(URL + "versions/2/").status_code == 404


def test_the_kit_checks_latest_verdict_beside_each_display_address(
        client, accepted_plan, editor_a):
    client.force_login(editor_a)
    campaign = accepted_plan.campaign
    org = Organisation.objects.get(code=ORG_A)
    data = filled(prefill(accepted_plan))
    data["display_urls"] = [{"url": "https://danang.example.vn/", "kind": "portal"},
                            {"url": "https://baodanang.example.vn", "kind": "e_newspaper"},
                            {"url": "https://app.danang.example.vn/", "kind": "app"}]
    client.post(URL, form_data(data, action="save"))
    portal = ScanTarget.objects.create(campaign=campaign, organisation=org, kind="portal",
                                       url="https://danang.example.vn/", source="plan")
    paper = ScanTarget.objects.create(campaign=campaign, organisation=org, kind="e_newspaper",
                                      url="https://baodanang.example.vn/", source="registry")
    result_record(target=portal, result={"verdict": "absent", "score": 0.1, "evidence": {}})
    latest = result_record(target=portal, result={"verdict": "present", "score": 0.93,
                                                  "evidence": {"method": "template"}})
    ScanResult.objects.filter(pk=latest.pk).update(
        checked_at=timezone.now() + datetime.timedelta(minutes=5))
    result_record(target=paper, result={"verdict": "error", "error": "timeout"})
    latest_text = timezone.localtime(ScanResult.objects.get(pk=latest.pk).checked_at)

    html = page(client)
    kit = {i: html.split(f'id="display_urls-{i}-kit"')[1].split("</p>")[0] for i in range(3)}
    assert "kit-present" in kit[0] and "kit-absent" not in kit[0]
    assert f"{latest_text.hour} giờ {latest_text.minute:02d} phút" in kit[0]
    assert "kit-error" in kit[1]  # the same address with a final "/"
    assert "kit-unchecked" in kit[2]
    counted = {v: ScanResult.objects.filter(target__organisation=org, verdict=v).count()
               for v in ("present", "absent", "error")}
    assert counted == {"present": 1, "absent": 1, "error": 1}


def test_typing_is_kept_when_the_session_ends(client, accepted_plan, editor_a):
    data = filled(prefill(accepted_plan))
    data["summary"] = "Gõ trước khi phiên hết hạn"
    response = client.post(URL, form_data(data, action="save"))  # no session any more
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Result.objects.exists()
    log_in(client, editor_a.email, URL)
    html = page(client)
    assert "Gõ trước khi phiên hết hạn" in html
    assert not Result.objects.exists()  # put back on the page, not saved
