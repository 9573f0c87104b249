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
import re
import unicodedata
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


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Parts of a Word package that carry code: VBA projects (a .docm renamed .docx), ActiveX
# controls and their binaries, embedded OLE objects or macro-enabled documents (an embedded
# chart's .xlsx stays). The package's own list of content types names them too.
DOCX_CODE_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)activeX/"
                             r"|(^|/)embeddings/.*\.(bin|docm|xlsm|pptm)$", re.I)
# A relationship to a part outside the package (a remote template fetched when it opens).
DOCX_EXTERNAL = re.compile(rb'TargetMode\s*=\s*["\']External["\']', re.I)
DOCX_CODE_TYPES = re.compile(rb"macroEnabled|vbaProject|ms-office\.activeX|ms-office\.vba", re.I)
UNSAFE_NAME = re.compile(r'[/\\:*?"<>|;]+')


@dataclasses.dataclass(frozen=True)
class CheckedDocument:
    kind: str  # "pdf" or "docx"
    sha256: str
    size: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def document_filename(name: str | None, kind: str, *, default: str = "tai-lieu") -> str:
    """The name a document is stored and served under: the uploader's name without folders,
    control or bidirectional characters and without its own extension, ending in the extension
    of the type its content was found to be (``plan.hta`` holding a PDF → ``plan.pdf``)."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    # Control and format characters (bidirectional overrides, zero-width, BOM) go; the
    # characters a file system or a header would read otherwise become "_".
    stem = "".join(c for c in stem if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    stem = UNSAFE_NAME.sub("_", stem).strip(" ._") or default
    return f"{stem[:150]}.{kind}"


def stored_kind(handle) -> str | None:
    """The kind of a stored document, read from its first bytes ("pdf", "docx" or None)."""
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    return None


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
            code = sorted(name for name in names if DOCX_CODE_PARTS.search(name))
            if not code and DOCX_CODE_TYPES.search(archive.read("[Content_Types].xml")):
                code = ["[Content_Types].xml"]
            if not code and "word/_rels/settings.xml.rels" in names and DOCX_EXTERNAL.search(
                    archive.read("word/_rels/settings.xml.rels")):
                code = ["word/_rels/settings.xml.rels"]  # an attached template from elsewhere
            if code:
                raise UploadRefused(_(
                    "The Word file contains macros, ActiveX controls, embedded programs or a "
                    "link to a remote template (%(part)s), which are refused for the safety of "
                    "those who open it. Save it as a plain Word document (.docx) and upload "
                    "that.") % {"part": code[0]})
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
