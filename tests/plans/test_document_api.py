"""PUT /api/v1/campaigns/{year}/plans/{org_code}/document: the signed document as raw bytes."""

import hashlib
import io
import zipfile

import pytest

from dxday.plans.models import Plan
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.django_db
PATH = "/api/v1/campaigns/2026/plans/48/document"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def put(client, token_of, editor_a):
    key = token_of(editor_a)

    def call(body: bytes, content_type: str = PDF, path: str = PATH, key=key, **headers):
        if key:
            headers["Authorization"] = f"Bearer {key}"
        response = client.put(path, data=body, content_type=content_type, headers=headers)
        return response.status_code, response.json()

    return call


def test_a_pdf_is_attached_and_the_draft_kept(put, campaign, editor_a, good_plan, bearer,
                                              token_of):
    bearer(token_of(editor_a)).put("campaigns/2026/plans/48", good_plan)
    raw = pdf_bytes(1000)
    disposition = "attachment; filename*=UTF-8''k%E1%BA%BF%20ho%E1%BA%A1ch.pdf"
    status, body = put(raw, **{"Content-Disposition": disposition})
    assert status == 200, body
    assert body["document_name"] == "kế hoạch.pdf"
    plan = Plan.objects.get(organisation__code="48")
    assert plan.document.name.endswith(".pdf")
    assert plan.document.read() == raw
    assert plan.draft["summary"] == good_plan["summary"]  # the content is untouched
    assert body["document_sha256"] == hashlib.sha256(raw).hexdigest()


def test_a_docx_with_its_name_in_the_query(put, campaign):
    status, body = put(docx_bytes(), DOCX, path=PATH + "?filename=../../ke-hoach.docx")
    assert status == 200, body
    assert body["document_name"] == "ke-hoach.docx"
    assert Plan.objects.get(organisation__code="48").document.name.endswith(".docx")


def test_an_unnamed_type_is_judged_by_content(put, campaign):
    status, body = put(docx_bytes(), "application/octet-stream")
    assert (status, body["document_name"]) == (200, "ke-hoach-2026-48.docx")
    status, body = put(b"GIF89a not a plan", "application/octet-stream")
    assert status == 422 and "PDF" in body["detail"][0]["message"]


def test_without_a_name_the_file_is_named_after_the_plan(put, campaign):
    status, body = put(pdf_bytes(100))
    assert (status, body["document_name"]) == (200, "ke-hoach-2026-48.pdf")


@pytest.mark.parametrize(("body", "content_type", "status", "words"), [
    (pdf_bytes(100), "application/x-pdf", 415, "application/pdf"),
    (pdf_bytes(100), "text/plain", 415, "text/plain"),
    (b"MZ\x90\x00 not a pdf", PDF, 422, "PDF"),
    (pdf_bytes(100), DOCX, 422, "Content-Type"),
    (docx_bytes(), PDF, 422, "Content-Type"),
    (pdf_bytes(100, javascript="app.alert(1)"), PDF, 422, "JavaScript"),
    (b"", PDF, 411, "Content-Length"),
])
def test_refusals_name_the_problem_and_save_nothing(put, campaign, body, content_type, status,
                                                    words):
    got, answer = put(body, content_type)
    assert got == status, answer
    detail = answer["detail"]
    text = detail if isinstance(detail, str) else " ".join(p["message"] for p in detail)
    assert words in text
    if isinstance(detail, list):
        assert detail[0]["path"] == "document"
    plan = Plan.objects.filter(organisation__code="48").first()
    assert plan is None or not plan.document


def test_too_large(put, campaign, settings):
    settings.PLAN_DOCUMENT_MAX_BYTES = 2000
    status, body = put(pdf_bytes(5000))
    assert status == 413 and "MB" in body["detail"]
    assert not Plan.objects.filter(document__gt="").exists()


def test_who_may_attach(put, campaign, editor_b, reviewer, token_of, good_plan):
    from dxday.plans.services import plan_save_draft, plan_submit
    from dxday.registry.models import Organisation

    assert put(pdf_bytes(100), key=None)[0] == 401
    assert put(pdf_bytes(100), key=token_of(editor_b))[0] == 404  # another unit's plan
    assert put(pdf_bytes(100), key=token_of(reviewer))[0] == 403  # the agency reviews
    danang = Organisation.objects.get(code="48")
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=None)
    plan_submit(campaign=campaign, organisation=danang, by=None)
    status, body = put(pdf_bytes(100))
    assert status == 409 and body["detail"]


def test_closed_campaign_is_409(put, campaign):
    import datetime

    from django.utils import timezone

    campaign.lock_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    status, body = put(pdf_bytes(100))
    assert status == 409 and body["detail"]
    assert not Plan.objects.filter(document__gt="").exists()


def test_openapi_documents_the_endpoint(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/campaigns/{year}/plans/{org_code}/document"]["put"]
    assert set(operation["requestBody"]["content"]) == {PDF, DOCX, "application/octet-stream"}
    assert {"413", "415", "422", "409"} <= set(operation["responses"])
    assert any(p["name"] == "filename" for p in operation["parameters"])
    assert operation["security"]
