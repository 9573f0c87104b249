"""Checking the signed plan document by its content: PDF or DOCX, size-limited, no zip bomb.

A PDF starts with "%PDF-" and is then read with pypdf: every object reachable from its
trailer is visited, so JavaScript, launch actions and embedded files are found even inside
compressed object streams or behind escaped names; such a PDF is refused (reviewers open these
files). A DOCX is a ZIP holding [Content_Types].xml and word/document.xml; the ZIP's own
directory gives the sizes, so a bomb is refused before anything is inflated.
"""

import dataclasses
import hashlib
import logging
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

# pypdf warns about every oddity of a damaged file; the refusal message says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)

DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100


class UploadRefused(Exception):
    """The file cannot be accepted; the message says why, in the user's language."""


@dataclasses.dataclass(frozen=True)
class CheckedDocument:
    kind: str  # "pdf" or "docx"
    sha256: str
    size: int


def check_plan_document(upload) -> CheckedDocument:
    """Accept a PDF or DOCX of at most PLAN_DOCUMENT_MAX_BYTES, judged by content."""
    limit = settings.PLAN_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(_("The file is %(size)s MB; at most %(limit)d MB are accepted.") % {
            "size": f"{upload.size / 1024 / 1024:.1f}", "limit": limit // 1024 // 1024})
    if not upload.size:
        raise UploadRefused(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8)
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        _check_pdf(upload)
        upload.seek(0)
        return CheckedDocument("pdf", digest.hexdigest(), upload.size)
    if head.startswith(b"PK\x03\x04"):
        _check_docx(upload)
        upload.seek(0)
        return CheckedDocument("docx", digest.hexdigest(), upload.size)
    raise UploadRefused(_("Only PDF or Word (.docx) files are accepted; this file is neither "
                          "(its content was checked, not its name)."))


def _check_docx(upload) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if len(entries) > DOCX_MAX_ENTRIES:
                raise UploadRefused(_("The Word file holds too many parts (%(n)d).")
                                    % {"n": len(entries)})
            total = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
            if total > DOCX_MAX_UNCOMPRESSED or total / packed > DOCX_MAX_RATIO:
                raise UploadRefused(_("The Word file expands to %(mb)d MB: refused as a "
                                      "possible zip bomb.") % {"mb": total // 1024 // 1024})
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise UploadRefused(_("This ZIP file is not a Word (.docx) document."))
    except zipfile.BadZipFile:
        raise UploadRefused(_("The Word file is damaged and cannot be read.")) from None


# Keys and action types that make a PDF do something when opened or clicked.
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
                   "/XFA"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}
PDF_MAX_OBJECTS = 500_000


def pdf_active_content(stream) -> str | None:
    """The first active element found in a PDF (e.g. "/JavaScript"), or None.

    Raises UploadRefused when the file cannot be read as a PDF or is password-protected."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRefused(_("The PDF file is password-protected; upload it without a "
                                  "password."))
        pending = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        visited = 0
        while pending:
            node = pending.pop()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            visited += 1
            if visited > PDF_MAX_OBJECTS:
                raise UploadRefused(_("The PDF file has too many objects to be checked."))
            if isinstance(node, DictionaryObject):
                for name in node:
                    if name in PDF_ACTIVE_KEYS:
                        return str(name)
                if node.get("/S") in PDF_ACTIVE_ACTIONS:
                    return str(node.get("/S"))
                pending.extend(v for k, v in node.items() if k != "/Parent")
            elif isinstance(node, ArrayObject):
                pending.extend(node)
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            OSError, NotImplementedError):
        raise UploadRefused(_("The PDF file is damaged and cannot be read.")) from None
    return None


def _check_pdf(upload) -> None:
    upload.seek(0)
    found = pdf_active_content(upload)
    if found:
        raise UploadRefused(_(
            "The PDF file contains active content (%(what)s: scripts, launch actions or "
            "embedded files), which is refused for the safety of those who open it. Save or "
            "print it again as a plain PDF and upload that.") % {"what": found.lstrip("/")})
