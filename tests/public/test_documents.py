"""Public documents (the campaign's call): the page and its signed file."""

import pytest
from django.core.files.base import ContentFile

from dxday.registry.models import Document
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def dispatch(number="123/BKHCN-CĐSQG", *, body=None):
    document = Document.objects.create(kind=Document.Kind.DISPATCH, number=number,
                                       date="2026-09-01", title="Hưởng ứng Ngày CĐS 2026")
    if body is not None:
        document.file.save("cong-van-2026.pdf", ContentFile(body))
    return document


def test_the_calls_signed_file_is_offered_as_a_typed_download(client, db):
    """The call's signed dispatch (stored under the type its content has) is downloadable
    from its public page, as an attachment named after its number."""
    body = pdf_bytes(1500)
    document = dispatch(body=body)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert f'href="/documents/{document.pk}/file/"' in page
    response = client.get(f"/documents/{document.pk}/file/")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "123-BKHCN-C" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == body
    other = dispatch("9/X")
    assert client.get(f"/documents/{other.pk}/file/").status_code == 404
    assert "/file/" not in client.get(f"/documents/{other.pk}/").content.decode()


def test_a_file_missing_from_storage_or_of_another_type_is_not_offered(client, db):
    gone = dispatch(body=pdf_bytes(800))
    gone.file.storage.delete(gone.file.name)
    assert client.get(f"/documents/{gone.pk}/file/").status_code == 404
    page = client.get(f"/documents/{gone.pk}/")
    assert page.status_code == 200 and "/file/" not in page.content.decode()
    html = dispatch("8/X", body=b"<html><script>alert(1)</script></html>")
    assert client.get(f"/documents/{html.pk}/file/").status_code == 404
