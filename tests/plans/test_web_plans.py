"""The unit's plan pages, through HTTP as a browser without JavaScript would use them."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxday.plans.models import Plan

pytestmark = pytest.mark.django_db
URL = "/plans/2026/48/"


def form_data(plan: dict, **extra) -> dict:
    """The HTML form fields for a canonical plan document."""
    data = {"summary": plan.get("summary", "")}
    for key, value in plan.get("contact", {}).items():
        data[f"contact-{key}"] = value
    for section in ("activities", "initiatives", "communications", "display_urls"):
        for i, row in enumerate(plan.get(section, [])):
            for key, value in row.items():
                data[f"{section}-{i}-{key}"] = value if value is not None else ""
    data.update(extra)
    return data


def pdf(size=2000, **active):
    from tests.conftest import pdf_bytes

    return SimpleUploadedFile("kế hoạch.pdf", pdf_bytes(size, **active),
                              content_type="application/pdf")


def docx(entries: dict[str, bytes]):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return SimpleUploadedFile("plan.docx", buffer.getvalue())


def test_login_page_and_my_plans(client, campaign, editor_a):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": editor_a.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/plans/").content.decode()
    assert "Thành phố Đà Nẵng" in page
    assert 'href="/plans/2026/48/"' in page


def test_editor_fills_saves_and_submits(client, campaign, editor_a, good_plan, smtp,
                                        django_capture_on_commit_callbacks):
    client.force_login(editor_a)
    page = client.get(URL)
    assert page.status_code == 200 and 'name="summary"' in page.content.decode()
    response = client.post(URL, form_data(good_plan, action="save", document=pdf()))
    assert response.status_code == 302
    plan = Plan.objects.get(organisation__code="48")
    assert plan.draft["activities"][0]["title"] == "Hội thảo chuyển đổi số"
    assert plan.draft["initiatives"][0]["beneficiaries"] == ["citizens"]
    assert plan.document_name == "kế hoạch.pdf" and plan.document.name.endswith(".pdf")
    confirm = client.get("/plans/2026/48/submit/").content.decode()
    assert "Yes, submit" in confirm or "Đồng ý gửi" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/plans/2026/48/submit/").status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.on_time) == ("submitted", True)
    assert plan.versions.get().document_name == "kế hoạch.pdf"
    # A receipt reached the unit through SMTP.
    assert any(editor_a.email in m["to"] and "Thành phố Đà Nẵng" in m["body"]
               for m in smtp.messages)
    # Read-only now: the page has no save button, and a POST changes nothing.
    html = client.get(URL).content.decode()
    assert 'value="save"' not in html
    client.post(URL, form_data({**good_plan, "summary": "changed"}, action="save"))
    plan.refresh_from_db()
    assert plan.draft["summary"] == good_plan["summary"]


def test_rows_are_added_and_removed_without_javascript(client, campaign, editor_a, good_plan):
    client.force_login(editor_a)
    response = client.post(URL, form_data(good_plan, action="add-activities"))
    html = response.content.decode()
    assert 'name="activities-1-title"' in html  # a new empty row, typed data kept
    assert 'value="Hội thảo chuyển đổi số"' in html
    assert not Plan.objects.exists()
    two = {**good_plan, "activities": good_plan["activities"] * 2}
    client.post(URL, form_data(two, action="save"))
    assert len(Plan.objects.get().draft["activities"]) == 2
    client.post(URL, form_data(two, action="save", **{"activities-0-delete": "1"}))
    assert len(Plan.objects.get().draft["activities"]) == 1


def test_htmx_row_fragment(client, campaign, editor_a):
    client.force_login(editor_a)
    html = client.get("/plans/2026/48/rows/initiatives/").content.decode()
    assert 'name="initiatives-' in html and "beneficiaries" in html
    assert client.get("/plans/2026/48/rows/nonsense/").status_code == 404


def test_invalid_form_shows_errors_and_saves_nothing(client, campaign, editor_a, good_plan):
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save"))
    bad = {**good_plan, "activities": [{**good_plan["activities"][0], "end": "2026-10-01",
                                        "title": "Đổi tên"}]}
    response = client.post(URL, form_data(bad, action="save"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_activities-0-end-error"' in html
    assert 'aria-invalid="true"' in html
    assert Plan.objects.get().draft["activities"][0]["title"] == "Hội thảo chuyển đổi số"


@pytest.mark.parametrize(("upload", "reason"), [
    (lambda: SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"), "PDF"),
    (lambda: SimpleUploadedFile("a.pdf", b""), ""),
    (lambda: docx({"hello.txt": b"x"}), "Word"),
    (lambda: docx({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * 30_000_000}),
     "zip"),
    (lambda: SimpleUploadedFile("a.docx", b"PK\x03\x04 broken zip"), ""),
    (lambda: SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"0" * 500), "PDF"),
    (lambda: pdf(javascript="app.alert('x')"), "JavaScript"),
    (lambda: pdf(launch=True), "Launch"),
    (lambda: pdf(attachment=True), "Embedded"),
    (lambda: pdf(hidden_javascript=True), "JS"),
])
def test_bad_uploads_are_refused_and_nothing_is_saved(client, campaign, editor_a, good_plan,
                                                      upload, reason):
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save"))
    changed = {**good_plan, "summary": "Không được lưu"}
    response = client.post(URL, form_data(changed, action="save", document=upload()))
    assert response.status_code == 422
    assert 'id="id_document-error"' in response.content.decode()
    plan = Plan.objects.get()
    assert plan.draft["summary"] == good_plan["summary"] and not plan.document


def test_too_large_upload(client, campaign, editor_a, good_plan, settings):
    settings.PLAN_DOCUMENT_MAX_BYTES = 1000
    client.force_login(editor_a)
    response = client.post(URL, form_data(good_plan, action="save", document=pdf(5000)))
    assert response.status_code == 422
    assert not Plan.objects.exists()


def test_a_real_docx_is_accepted(client, campaign, editor_a, good_plan):
    client.force_login(editor_a)
    good = docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert client.post(URL, form_data(good_plan, action="save", document=good)).status_code == 302
    assert Plan.objects.get().document.name.endswith(".docx")


def test_hostile_text_is_stored_as_typed_and_rendered_escaped(client, campaign, editor_a,
                                                              good_plan):
    client.force_login(editor_a)
    hostile = '<script>alert("x")</script>=cmd|"/c calc"!A1'
    good_plan["activities"][0]["title"] = hostile
    client.post(URL, form_data(good_plan, action="save"))
    assert Plan.objects.get().draft["activities"][0]["title"] == hostile
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_another_unit_cannot_see_or_change_the_plan(client, campaign, editor_a, editor_b,
                                                    good_plan):
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save"))
    client.force_login(editor_b)
    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data({"summary": "x"}, action="save")).status_code == 404
    assert client.post("/plans/2026/48/submit/").status_code == 404
    assert client.get("/plans/2026/48/versions/1/").status_code == 404
    assert Plan.objects.get().draft["summary"] == good_plan["summary"]


def test_versions_and_diff_after_return(client, campaign, editor_a, reviewer, good_plan, smtp,
                                        django_capture_on_commit_callbacks):
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save"))
    client.post("/plans/2026/48/submit/")
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/backoffice/2026/plans/48/", {"decision": "return",
                                                   "comment": "Thêm địa điểm cụ thể."})
    assert any("Thêm địa điểm cụ thể." in m["body"] and editor_a.email in m["to"]
               for m in smtp.messages)
    client.force_login(editor_a)
    html = client.get(URL).content.decode()
    assert "Thêm địa điểm cụ thể." in html
    good_plan["activities"][0]["location"] = "Trung tâm Hành chính Đà Nẵng"
    client.post(URL, form_data(good_plan, action="save"))
    client.post("/plans/2026/48/submit/")
    assert Plan.objects.get().versions.count() == 2
    diff = client.get("/plans/2026/48/diff/1/2/").content.decode()
    assert "Hội trường" in diff and "Trung tâm Hành chính Đà Nẵng" in diff
    assert client.get("/plans/2026/48/versions/2/").status_code == 200
    assert client.get("/plans/2026/48/versions/9/").status_code == 404
    client.force_login(reviewer)
    client.post("/backoffice/2026/plans/48/", {"decision": "accept"})
    assert Plan.objects.get().status == "accepted"


def test_document_download_is_restricted(client, campaign, editor_a, editor_b, good_plan):
    client.force_login(editor_a)
    client.post(URL, form_data(good_plan, action="save", document=pdf()))
    response = client.get("/plans/2026/48/versions/0/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(editor_b)
    assert client.get("/plans/2026/48/versions/0/document/").status_code == 404
