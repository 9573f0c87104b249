"""Submitting: check your answers, the signed document a campaign may require (on every path),
the confirmation with its reference number, the receipt; the Excel summary; the error summary
that links to each field."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from dxday.plans.models import Plan
from dxday.plans.services import plan_save_draft, plan_submit, submission_reference
from dxday.registry.models import Organisation
from tests.conftest import pdf_bytes
from tests.plans.test_web_plans import URL, form_data

pytestmark = pytest.mark.django_db
SUBMIT = "/plans/2026/48/submit/"
REQUIRED = "A signed plan document (PDF or DOCX) is required before submitting."


@pytest.fixture
def en(client):
    """Pages in English (the interface's second language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def signed(campaign):
    campaign.signature_required = True
    campaign.save()
    return campaign


def pdf():
    return SimpleUploadedFile("ke-hoach-ky.pdf", pdf_bytes(500), content_type="application/pdf")


def messages_of(html: str) -> list[str]:
    return re.findall(r'<div class="alert alert-[a-z]+" role="(?:alert|status)">(.*?)</div>',
                      html, re.S)


# --- check your answers ---------------------------------------------------------------------

def test_check_page_shows_what_will_be_sent(en, campaign, editor_a, good_plan):
    en.force_login(editor_a)
    en.post(URL, form_data(good_plan, action="save", document=pdf()))
    html = en.get(SUBMIT).content.decode()
    assert good_plan["summary"] in html
    assert "Activities (1)" in html and "Hội thảo chuyển đổi số" in html
    assert "Digital initiatives (1)" in html and "Ví điện tử công dân" in html
    assert "Nguyễn Văn An" in html and "an@danang.example.vn" in html
    assert "ke-hoach-ky.pdf" in html
    local = timezone.localtime(campaign.submission_deadline)
    assert f"before {local:%H:%M} on {local:%d/%m/%Y} (Vietnam time)" in html
    assert "If you submit now, this version is on time." in html
    assert "Yes, submit the plan" in html


def test_check_page_late_and_extended(en, campaign, editor_a, good_plan):
    campaign.submission_deadline = timezone.now() - datetime.timedelta(days=1)
    campaign.save()
    en.force_login(editor_a)
    en.post(URL, form_data(good_plan, action="save"))
    html = en.get(SUBMIT).content.decode()
    assert "The deadline has passed" in html and "No document attached." in html
    plan = Plan.objects.get()
    plan.deadline_extension = datetime.datetime(2030, 1, 2, 0, 0,
                                                tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    plan.save()
    html = en.get(SUBMIT).content.decode()
    assert "Your unit's deadline was extended." in html
    assert "before 00:00 on 02/01/2030 (Vietnam time)" in html
    assert "this version is on time" in html


def test_check_page_in_vietnamese_by_default(client, campaign, editor_a, good_plan):
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save"))
    local = timezone.localtime(campaign.submission_deadline)
    html = client.get(SUBMIT).content.decode()
    assert f"{local:%H:%M}" in html and f"{local:%d/%m/%Y}" in html


def test_errors_block_submission_with_links_to_the_fields(en, campaign, editor_a, good_plan):
    en.force_login(editor_a)
    incomplete = {**good_plan, "summary": "", "activities": [
        {**good_plan["activities"][0], "category": ""}]}
    en.post(URL, form_data(incomplete, action="save"))
    html = en.get(SUBMIT).content.decode()
    assert "The plan cannot be submitted yet" in html
    assert f'<a href="{URL}#id_summary">Summary</a>' in html
    assert f'<a href="{URL}#id_activities-0-category">Activity 1 — Category</a>' in html
    assert "Yes, submit the plan" not in html
    form = en.get(URL).content.decode()
    assert 'id="id_summary"' in form and 'id="id_activities-0-category"' in form


# --- the signed document a campaign requires --------------------------------------------------

def test_signature_required_on_the_web(en, signed, editor_a, good_plan):
    en.force_login(editor_a)
    en.post(URL, form_data(good_plan, action="save"))
    html = en.get(SUBMIT).content.decode()
    assert f'<a href="{URL}#id_document">Signed plan document</a>: {REQUIRED}' in html
    assert "This campaign requires one." in html
    response = en.post(SUBMIT)
    assert response.status_code == 422 and REQUIRED in response.content.decode()
    assert Plan.objects.get().status == "draft"
    en.post(URL, form_data(good_plan, action="save", document=pdf()))
    assert en.post(SUBMIT).status_code == 302
    assert Plan.objects.get().status == "submitted"


def test_signature_not_required_for_reference_campaigns(client, campaign, editor_a, good_plan):
    assert campaign.signature_required is False
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save"))
    assert client.post(SUBMIT).status_code == 302
    assert Plan.objects.get().status == "submitted"


def test_signature_required_through_the_api_and_the_command(signed, editor_a, token_of, bearer,
                                                            good_plan, tmp_path):
    api = bearer(token_of(editor_a))
    assert api.put("campaigns/2026/plans/48", good_plan)[0] == 200
    status, body = api.post("campaigns/2026/plans/48/submit")
    assert status == 422
    assert {"path": "document", "message": body["detail"][0]["message"]} in body["detail"]
    path = tmp_path / "plan.json"
    import json

    path.write_text(json.dumps(good_plan), encoding="utf-8")
    with pytest.raises(CommandError, match="document"):
        call_command("import-plan", str(path), campaign=2026, org="48", submit=True)
    assert Plan.objects.get().status == "draft"
    from django.test import Client

    raw = pdf_bytes(300)
    response = Client().put("/api/v1/campaigns/2026/plans/48/document", data=raw,
                            content_type="application/pdf",
                            headers={"Authorization": f"Bearer {token_of(editor_a)}"})
    assert response.status_code == 200
    assert api.post("campaigns/2026/plans/48/submit")[0] == 200


def _submitted(campaign, code, data, *, document=False):
    organisation = Organisation.objects.get(code=code)
    upload = pdf() if document else None
    plan_save_draft(campaign=campaign, organisation=organisation, data=data, by=None,
                    upload=upload)
    return plan_submit(campaign=campaign, organisation=organisation, by=None)


def test_bulk_accept_skips_plans_without_their_document(client, campaign, reviewer, good_plan):
    _submitted(campaign, "48", good_plan, document=True)
    _submitted(campaign, "BKHCN", good_plan)
    _submitted(campaign, "01", good_plan)
    campaign.signature_required = True  # switched on after these were submitted
    campaign.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(reviewer)
    response = client.post("/backoffice/2026/bulk-accept/", {"codes": ["48", "BKHCN", "01"]},
                           follow=True)
    assert dict(Plan.objects.values_list("organisation__code", "status")) == {
        "48": "accepted", "BKHCN": "submitted", "01": "submitted"}
    html = response.content.decode()
    assert "1 plans accepted." in html
    skipped = next(m for m in messages_of(html) if m.startswith("Not accepted:"))
    assert "Bộ Khoa học và Công nghệ" in skipped and "Thành phố Hà Nội" in skipped
    assert "signed document" in skipped and "Đà Nẵng" not in skipped


def test_single_accept_needs_the_document_too(client, campaign, reviewer, good_plan):
    _submitted(campaign, "BKHCN", good_plan)
    campaign.signature_required = True
    campaign.save()
    client.force_login(reviewer)
    client.post("/backoffice/2026/plans/BKHCN/", {"decision": "accept"})
    assert Plan.objects.get().status == "submitted"
    client.post("/backoffice/2026/plans/BKHCN/", {"decision": "return", "comment": "Thiếu văn bản."})
    assert Plan.objects.get().status == "returned"


# --- the confirmation and the receipt ---------------------------------------------------------

def test_reference_numbers():
    assert submission_reference(year=2026, org_code="48", number=2) == "DXD-2026-48-V2"


def test_save_and_submit_shows_one_message_then_a_confirmation(
        en, campaign, editor_a, good_plan, smtp, django_capture_on_commit_callbacks):
    en.force_login(editor_a)
    response = en.post(URL, form_data(good_plan, action="submit", document=pdf()), follow=True)
    assert response.redirect_chain[-1][0] == SUBMIT
    shown = messages_of(response.content.decode())
    assert shown == ["Draft saved. Check what will be sent, then submit."]
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(SUBMIT, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == SUBMIT
    assert "Plan received" in html and "DXD-2026-48-V1" in html
    assert "It arrived before the deadline." in html and "ke-hoach-ky.pdf" in html
    assert "Draft saved." not in html  # no stale banner
    plan_page = en.get(URL).content.decode()
    assert "Draft saved." not in plan_page
    assert f'href="{SUBMIT}">Receipt of the last submission</a>' in plan_page
    receipt = next(m for m in smtp.messages if editor_a.email in m["to"])
    assert "DXD-2026-48-V1" in receipt["body"]
    # The confirmation stays the receipt of the last submission.
    assert "DXD-2026-48-V1" in en.get(SUBMIT).content.decode()


def test_a_late_second_version(en, campaign, editor_a, reviewer, good_plan, smtp,
                               django_capture_on_commit_callbacks):
    _submitted(campaign, "48", good_plan)
    from dxday.plans.services import plan_review

    plan_review(plan=Plan.objects.get(), by=reviewer, decision="return", comment="Bổ sung.")
    campaign.submission_deadline = timezone.now() - datetime.timedelta(hours=1)
    campaign.save()
    en.force_login(editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        html = en.post(SUBMIT, follow=True).content.decode()
    assert "DXD-2026-48-V2" in html and "marked late" in html
    assert 'href="/plans/2026/48/diff/1/2/"' in html
    assert any("DXD-2026-48-V2" in m["body"] for m in smtp.messages)


# --- Excel: one message, details on demand ----------------------------------------------------

def test_workbook_import_is_summarised_once(en, campaign, editor_a):
    from tests.plans.test_excel import edit, mutate_cell, template

    danang = Organisation.objects.get(code="48")
    raw = template(campaign, danang)
    good = edit(raw, mutate_cell("Thông tin chung", "B2", "Tóm tắt từ Excel"))
    en.force_login(editor_a)
    response = en.post("/plans/2026/48/workbook/",
                       {"workbook": SimpleUploadedFile("kh.xlsx", good)}, follow=True)
    html = response.content.decode()
    shown = messages_of(html)
    assert len(shown) == 1 and re.match(r"Workbook imported: \d+ changes, \d+ warnings\.",
                                        shown[0])
    assert '<details class="mb-3" id="import-details">' in html
    assert "Tóm tắt từ Excel" in html.split('id="import-details"')[1].split("</details>")[0]
    assert 'id="import-details"' not in en.get(URL).content.decode()  # once


# --- the error summary ------------------------------------------------------------------------

def test_error_summary_links_to_labelled_fields(en, campaign, editor_a, good_plan):
    en.force_login(editor_a)
    bad = {**good_plan,
           "contact": {**good_plan["contact"], "email": "not-an-email"},
           "activities": [{**good_plan["activities"][0], "end": "2026-10-01"}],
           "initiatives": [{**good_plan["initiatives"][0], "beneficiaries": ["aliens"]}]}
    response = en.post(URL, form_data(bad, action="save"))
    html = response.content.decode()
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert ("id_contact-email", "Contact — Email") in links
    assert ("id_activities-0-end", "Activity 1 — End") in links
    assert ("id_initiatives-0-beneficiaries", "Initiative 1 — Beneficiaries") in links
    for anchor, _label in links:
        assert f'id="{anchor}"' in html, anchor
    assert "activities[0]" not in summary and "contact.email" not in summary


def test_document_error_is_labelled(en, campaign, editor_a, good_plan):
    en.force_login(editor_a)
    bad = SimpleUploadedFile("a.pdf", b"MZ not a pdf")
    html = en.post(URL, form_data(good_plan, action="save", document=bad)).content.decode()
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    assert '<a href="#id_document">Signed plan document</a>:' in summary
    assert "document:" not in summary


def test_error_summary_in_vietnamese(client, campaign, editor_a, good_plan):
    client.force_login(editor_a)
    bad = {**good_plan, "activities": [{**good_plan["activities"][0], "end": "2026-10-01"}]}
    html = client.post(URL, form_data(bad, action="save")).content.decode()
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    assert '<a href="#id_activities-0-end">' in summary
    assert "activities" not in summary.replace('href="#id_activities-0-end"', "")
