"""The consolidated report in DOCX (docxtpl), PDF (WeasyPrint) and XLSX (openpyxl), all from
dxday.reports.content: the same content, the same rows."""

import io
from pathlib import Path

from django.template.loader import render_to_string

from dxday.lib.tables import to_xlsx_sheets
from dxday.reports.content import report_content, report_tables

DOCX_TEMPLATE = Path(__file__).parent / "templates" / "bao-cao.docx"
FORMATS = ("docx", "pdf", "xlsx")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render_docx(content: dict) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(DOCX_TEMPLATE))
    moment = content["as_of"]
    context = {**content, "as_of_text": f"{moment:%H:%M} ngày {moment:%d/%m/%Y}",
               "groups": [vars(g) for g in content["groups"]]}
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(content: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/bao-cao.html", content)
    return HTML(string=html).write_pdf()


def render_xlsx(campaign) -> bytes:
    return to_xlsx_sheets([(t.title.split(".")[0], t.headers, t.rows)
                           for t in report_tables(campaign)])


def render(campaign, fmt: str, *, number: str = "", as_of=None) -> bytes:
    if fmt == "xlsx":
        return render_xlsx(campaign)
    content = report_content(campaign, number=number, as_of=as_of)
    return render_docx(content) if fmt == "docx" else render_pdf(content)
