"""The consolidated report's files, all drawn from a stored snapshot: DOCX (python-docx) and
PDF (WeasyPrint) from the same blocks (dxday.reports.document), XLSX annexes (the shared
writer of dxday.lib.tables).

The DOCX is built in code rather than from a docxtpl template: its tables need computed row
numbers, totals, repeated header rows and rows that do not split, and its rules must be as long
as the text above them (measured with the font's own metrics). See decision 0009.
"""

import datetime
import functools
import io
from pathlib import Path

from django.template.loader import render_to_string

from dxday.lib.tables import Column, Table, to_xlsx
from dxday.reports import document

FORMATS = ("docx", "pdf", "xlsx")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FONT = "Times New Roman"
FONT_FILES = Path("/usr/share/fonts/truetype/liberation2")  # Times New Roman's metrics
# Header: the two columns of ND 30's thể thức (content width 165 mm: A4 less 30 + 15 mm).
LEFT_MM, RIGHT_MM = 70, 95
QUOC_HIEU_PT, TIEU_NGU_PT, AGENCY_PT, NUMBER_PT, BODY_PT, TABLE_PT = 12, 13, 12, 13, 14, 12


@functools.cache
def _font(bold: bool):
    from PIL import ImageFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    try:
        return ImageFont.truetype(str(FONT_FILES / name), 1000)
    except OSError:
        return None


def text_width_pt(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` set in Times New Roman (Liberation Serif metrics) at ``size`` pt."""
    font = _font(bold)
    if font is None:  # no font file: an average Times width per character
        return len(text) * size * 0.5
    return font.getlength(text) / 1000 * size


# ---------------------------------------------------------------------------------------- DOCX

def _set(element, tag: str, **attrs):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        element.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), str(value))
    return child


def _rule(container, *, width_pt: float, box_pt: float):
    """A solid rule ``width_pt`` long, centred in a ``box_pt`` wide cell or page: a paragraph
    of its own (2 pt high) with a bottom border, indented on both sides. The text above keeps
    its full width, so Word and LibreOffice never wrap it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    side = max(0.0, (box_pt - width_pt) / 2)
    fmt.left_indent = fmt.right_indent = Pt(side)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)
    return paragraph


def _para(container, text="", *, bold=False, italic=False, size=None, align=None,
          indent=False, before=0, after=0, keep_next=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        fmt.first_line_indent = Mm(10)
    if keep_next:
        fmt.keep_with_next = True
    return p


def _no_borders(table) -> None:
    borders = _set(table._tbl.tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(borders, f"w:{edge}", val="nil")


def _fixed_widths(table, widths_mm, *, no_margins=False) -> None:
    from docx.shared import Mm

    table.autofit = False
    _set(table._tbl.tblPr, "w:tblLayout", type="fixed")
    if no_margins:
        margins = _set(table._tbl.tblPr, "w:tblCellMar")
        for edge in ("left", "right"):
            _set(margins, f"w:{edge}", w="0", type="dxa")
    # Row by row: python-docx's table.cell() and column.cells rebuild the whole grid on every
    # call, which is quadratic on a table of hundreds of rows.
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_text(cell, text, *, bold=False, italic=False, size=None, align=None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]  # a new cell's one empty paragraph
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    p.paragraph_format.space_after = Pt(0)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def _docx_table(doc, table: document.Table) -> None:
    from docx.shared import Mm

    _para(doc, table.caption, bold=True, size=13, align="center", before=6, after=3,
          keep_next=True)
    headers = ["STT", *table.headers]
    body = table.cells()
    grid = doc.add_table(rows=1 + len(body), cols=len(headers))
    grid.style = "Table Grid"
    widths = table.widths or [8] + [92 / len(table.headers)] * len(table.headers)
    scale = 165 / sum(widths)
    _fixed_widths(grid, [w * scale for w in widths])
    rows = list(grid.rows)
    for index, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        _set(tr_pr, "w:cantSplit")
        if index == 0:
            _set(tr_pr, "w:tblHeader")  # repeated at the top of every page
    for cell, header in zip(rows[0].cells, headers, strict=True):
        _cell_text(cell, header, bold=True, size=TABLE_PT, align="center")
    for r, values in enumerate(body, start=1):
        is_total = table.total is not None and r == len(body)
        for c, (cell, (value, numeric)) in enumerate(zip(rows[r].cells, values, strict=True)):
            _cell_text(cell, value, bold=is_total, size=TABLE_PT,
                       align="center" if c == 0 else "right" if numeric else None)
    if table.note:
        _para(doc, table.note, italic=True, size=12, after=6)
    else:
        _para(doc, "", after=0).paragraph_format.space_after = Mm(1)


def render_docx(report: document.Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(BODY_PT)
    style.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    field.append(run)
    header._p.append(field)

    top = doc.add_table(rows=2, cols=2)
    _no_borders(top)
    _fixed_widths(top, [LEFT_MM, RIGHT_MM], no_margins=True)
    left_pt, right_pt = LEFT_MM * 72 / 25.4, RIGHT_MM * 72 / 25.4
    left, right = top.cell(0, 0), top.cell(0, 1)
    _cell_text(left, report.issuer, size=AGENCY_PT, align="center")
    _para(left, report.agency, bold=True, size=AGENCY_PT, align="center")
    _rule(left, width_pt=text_width_pt(report.agency, AGENCY_PT, bold=True) * 0.4,
          box_pt=left_pt)
    _cell_text(right, document.MOTTO[0], bold=True, size=QUOC_HIEU_PT, align="center")
    _para(right, document.MOTTO[1], bold=True, size=TIEU_NGU_PT, align="center")
    _rule(right, width_pt=text_width_pt(document.MOTTO[1], TIEU_NGU_PT, bold=True),
          box_pt=right_pt)
    number = _cell_text(top.cell(1, 0), report.number_text, size=NUMBER_PT, align="center")
    number.paragraph_format.space_before = Pt(6)
    day = _cell_text(top.cell(1, 1), report.date_text, italic=True, size=NUMBER_PT,
                     align="center")
    day.paragraph_format.space_before = Pt(6)

    _para(doc, "BÁO CÁO", bold=True, size=BODY_PT, align="center", before=18, keep_next=True)
    _para(doc, report.title, bold=True, size=BODY_PT, align="center", keep_next=True)
    _rule(doc, width_pt=110, box_pt=165 * 72 / 25.4)
    _para(doc, "", size=6)
    if report.addressee:
        _para(doc, report.addressee, size=BODY_PT, align="center", after=12)
    for index, block in enumerate(report.blocks):
        if block.kind == "heading":
            _para(doc, block.text, bold=True, before=6, after=3, keep_next=True, indent=True)
        elif block.kind == "paragraph":
            # The closing sentence stays on the signer block's page.
            _para(doc, block.text, align="justify", indent=True, after=6,
                  keep_next=index == len(report.blocks) - 1)
        else:
            _docx_table(doc, block.table)

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _fixed_widths(sign, [80, 85], no_margins=True)
    _set(sign.rows[0]._tr.get_or_add_trPr(), "w:cantSplit")  # the block stays on one page
    cell = sign.cell(0, 0)
    _cell_text(cell, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in report.recipients:
        _para(cell, line, size=11)
    signer = sign.cell(0, 1)
    lines = [t for t in (report.signer_authority, report.signer_title) if t]
    _cell_text(signer, lines[0] if lines else "", bold=True, size=BODY_PT, align="center")
    for text in lines[1:]:
        _para(signer, text, bold=True, size=BODY_PT, align="center")
    for _ in range(4):
        _para(signer, "", size=BODY_PT)
    _para(signer, report.signer_name, bold=True, size=BODY_PT, align="center")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------- PDF

def render_pdf(report: document.Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/bao-cao.html", {
        "report": report, "motto": document.MOTTO,
        "sizes": {"quoc_hieu": QUOC_HIEU_PT, "tieu_ngu": TIEU_NGU_PT, "agency": AGENCY_PT,
                  "number": NUMBER_PT, "body": BODY_PT, "table": TABLE_PT},
        "left_mm": LEFT_MM, "right_mm": RIGHT_MM})
    return HTML(string=html).write_pdf()


# ---------------------------------------------------------------------------------------- XLSX

def _annex(*columns) -> list[Column]:
    return [Column(name, kind, title=name, width=width) for name, kind, width in columns]


ANNEX_COLUMNS = {
    "units": _annex(("STT", "integer", 6), ("Mã đơn vị", "string", 12),
                    ("Tên đơn vị", "string", 40), ("Loại đơn vị", "string", 18),
                    ("Trực thuộc", "string", 28), ("Tình trạng", "string", 18),
                    ("Thời điểm gửi", "datetime", 18), ("Đúng hạn", "string", 10)),
    "activities": _annex(("STT", "integer", 6), ("Mã hoạt động", "integer", 12),
                         ("Đơn vị", "string", 32), ("Tên hoạt động", "string", 48),
                         ("Loại hình", "string", 24), ("Hình thức", "string", 14),
                         ("Từ ngày", "date", 12), ("Đến ngày", "date", 12),
                         ("Địa điểm", "string", 30), ("Tỉnh, thành phố", "string", 22)),
    "initiatives": _annex(("STT", "integer", 6), ("Mã sáng kiến", "integer", 12),
                          ("Đơn vị", "string", 32), ("Tên sáng kiến", "string", 44),
                          ("Đối tượng thụ hưởng", "string", 28), ("Lĩnh vực", "string", 22),
                          ("Địa chỉ truy cập", "string", 36), ("Ngày triển khai", "date", 14)),
}


def annex_rows(snapshot: dict, name: str):
    """An annex's rows as the XLSX holds them (STT first; dates as dates)."""
    if name == "units":
        source = ([u["code"], u["name"], u["kind"], u["parent"], u["state"],
                   u["submitted_at"], u["on_time"] or ""]
                  for u in snapshot["annexes"]["units"])
    else:
        source = iter(snapshot["annexes"][name])
    types = [c.type for c in ANNEX_COLUMNS[name]][1:]
    for number, row in enumerate(source, start=1):
        values = [number]
        for value, kind in zip(row, types, strict=True):
            if value and kind == "date":
                value = datetime.date.fromisoformat(value)
            elif value and kind == "datetime":
                value = datetime.datetime.fromisoformat(value)
            values.append(value)
        yield values


def render_xlsx(snapshot: dict, details: dict) -> bytes:
    """Phụ lục I, II, III: a sheet each, with its title and the "Kèm theo Báo cáo số …" line
    above Vietnamese headers; dates as date cells; text cells escaped (formula injection)."""
    line = document.annex_line(details)
    return to_xlsx(*[Table(f"Phụ lục {numeral}", ANNEX_COLUMNS[name], annex_rows(snapshot, name),
                           header="title", lines=(f"Phụ lục {numeral}", title.upper(), line))
                     for name, (numeral, title) in document.ANNEXES.items()])
