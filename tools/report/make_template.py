#!/usr/bin/env python3
"""Build dxday/reports/templates/bao-cao.docx, the docxtpl template of the consolidated report
(Nghị định 30/2020/NĐ-CP layout: A4, margins 20/20/30/15 mm, Times New Roman, page numbers
centred at the top from page 2). The output is committed; run this only to change it:

    .venv/bin/python tools/report/make_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION  # noqa: F401 - documents the section model used
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[2] / "dxday" / "reports" / "templates" / "bao-cao.docx"


def paragraph(doc_or_cell, text="", *, bold=False, italic=False, align=None, size=None,
              indent=False):
    p = doc_or_cell.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    return p


def no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def data_table(doc, headers, loop, cells):
    """A bordered table: header row, then one row repeated by docxtpl's {%tr for %}."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, header in enumerate(headers):
        table.cell(0, i).paragraphs[0].add_run(header).bold = True
    table.cell(1, 0).paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for i, cell in enumerate(cells):
        table.cell(2, i).paragraphs[0].add_run(cell)
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
    return table


def main():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.font.size = Pt(14)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    header._p.append(field)

    top = doc.add_table(rows=2, cols=2)
    no_borders(top)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = top.cell(0, 0), top.cell(0, 1)
    left.paragraphs[0].add_run("{{ issuer }}").font.size = Pt(13)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(left, "{{ agency }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    paragraph(left, "―――――――", align=WD_ALIGN_PARAGRAPH.CENTER, size=10)
    right.paragraphs[0].add_run("{{ motto[0] }}").bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(right, "{{ motto[1] }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, "―――――――――――――", align=WD_ALIGN_PARAGRAPH.CENTER, size=10)
    top.cell(1, 0).paragraphs[0].add_run("Số: {{ number }}")
    top.cell(1, 0).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    date = top.cell(1, 1).paragraphs[0]
    date.add_run("{{ date_text }}").italic = True
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER

    paragraph(doc, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, "{{ title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, "Thực hiện Công văn số 4644/BTTTT-CĐSQG ngày 13/9/2022 và các văn bản về Ngày "
                   "Chuyển đổi số quốc gia, Cục Chuyển đổi số quốc gia tổng hợp kết quả triển "
                   "khai năm {{ campaign.year }}{% if campaign.theme %} với chủ đề "
                   "“{{ campaign.theme }}”{% endif %}, số liệu đến {{ as_of_text }}, như sau:",
              indent=True)

    paragraph(doc, "I. TÌNH HÌNH GỬI KẾ HOẠCH", bold=True)
    paragraph(doc, "Tổng số đơn vị nhận: {{ figures.recipients }}; đã gửi kế hoạch: "
                   "{{ figures.responded }}, trong đó đúng hạn: {{ figures.on_time }}, muộn: "
                   "{{ figures.late }}; chưa gửi: {{ figures.missing }}; kế hoạch đã được chấp "
                   "nhận: {{ figures.accepted }}.", indent=True)
    data_table(doc, ["Loại đơn vị", "Phải gửi", "Đã gửi", "Đúng hạn", "Muộn", "Chưa gửi"],
               "g in groups", ["{{ g.label }}", "{{ g.expected }}", "{{ g.submitted }}",
                               "{{ g.on_time }}", "{{ g.late }}", "{{ g.missing }}"])
    paragraph(doc, "II. HOẠT ĐỘNG", bold=True)
    paragraph(doc, "Tổng số hoạt động đã công bố: {{ figures.activities }}.", indent=True)
    data_table(doc, ["Loại hình", "Số hoạt động"], "c in categories",
               ["{{ c[0] }}", "{{ c[1] }}"])
    data_table(doc, ["Hình thức", "Số hoạt động"], "f in formats", ["{{ f[0] }}", "{{ f[1] }}"])
    paragraph(doc, "III. SÁNG KIẾN SỐ", bold=True)
    paragraph(doc, "Tổng số sáng kiến số đã công bố: {{ figures.initiatives }}.", indent=True)
    data_table(doc, ["Đối tượng thụ hưởng", "Số sáng kiến"], "b in beneficiaries",
               ["{{ b[0] }}", "{{ b[1] }}"])
    paragraph(doc, "{%p if notable %}")
    paragraph(doc, "Một số sáng kiến tiêu biểu phục vụ người dân:", indent=True)
    paragraph(doc, "{%p for n in notable %}")
    paragraph(doc, "- {{ n.name }} ({{ n.organisation }}): {{ n.url }}", indent=True)
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "IV. ĐƠN VỊ CHƯA GỬI KẾ HOẠCH", bold=True)
    paragraph(doc, "{% if missing %}{{ missing|length }} đơn vị: {{ missing|join('; ') }}."
                   "{% else %}Tất cả các đơn vị đã gửi kế hoạch.{% endif %}", indent=True)
    paragraph(doc, "{%p if kit %}")
    paragraph(doc, "V. HIỂN THỊ BỘ NHẬN DIỆN", bold=True)
    paragraph(doc, "Kết quả kiểm tra tự động gần nhất: {{ kit.present }}/{{ kit.total }} địa chỉ "
                   "hiển thị bộ nhận diện Ngày Chuyển đổi số quốc gia; {{ kit.absent }} địa chỉ "
                   "chưa hiển thị; {{ kit.error }} địa chỉ không kiểm tra được.", indent=True)
    data_table(doc, ["Loại địa chỉ", "Đã kiểm tra", "Có hiển thị", "Chưa hiển thị",
                     "Không kiểm tra được"], "r in kit.rows",
               ["{{ r.label }}", "{{ r.total }}", "{{ r.present }}", "{{ r.absent }}",
                "{{ r.error }}"])
    paragraph(doc, "{%p endif %}")

    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    cell = sign.cell(0, 0)
    run = cell.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    paragraph(cell, "{%p for r in recipients %}")
    paragraph(cell, "{{ r }}", size=11)
    paragraph(cell, "{%p endfor %}")
    signer = sign.cell(0, 1)
    signer.paragraphs[0].add_run("{{ signer_title }}").bold = True
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _ in range(3):
        paragraph(signer)
    paragraph(signer, "{{ signer }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
