"""The plan as an Excel workbook, and back.

A unit downloads its draft as an .xlsx (one sheet per section, dropdowns from a hidden list
sheet, date cells, an instructions sheet in Vietnamese) and uploads it again. Every cell goes
through the one validator; an error is reported as "Sheet!Cell: message" and nothing is saved.
"""

import datetime
import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _

from dxday.campaigns.selectors import province_codes
from dxday.lib.tables import Column, Table, keep_as_text
from dxday.lib.text import fold, from_legacy
from dxday.plans import schema
from dxday.plans.validation import BENEFICIARIES, CONTACT, MAX_ROWS, SECTIONS, Problem
from dxday.registry.models import Organisation

MAX_BYTES = 5 * 1024 * 1024
INSTRUCTIONS, GENERAL, LISTS = "Hướng dẫn", "Thông tin chung", "Danh mục"
SECTION_SHEETS = {s.name: s.sheet for s in schema.SECTIONS}
GENERAL_ROWS = [("summary", schema.SUMMARY.excel),
                *[(f"contact.{f.name}", f.excel) for f in schema.CONTACT]]
# Fields chosen from a dropdown (the province too); a set of choices has a column per choice.
CHOICE_FIELDS = {name for name, choices in schema.CHOICES.items() if choices is not BENEFICIARIES}
MARKS = ("x", "co", "yes", "1")
DATE_FORMAT = "DD/MM/YYYY"
CODE_COLUMN = Column("code", title="Mã đơn vị")
GENERAL_COLUMNS = [Column("field", title="Trường", width=24),
                   Column("value", title="Nội dung", width=100)]


class WorkbookRefused(Exception):
    """The workbook cannot be read or is not valid; ``problems`` name sheets and cells."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))
        self.problems = problems


def columns(section: str) -> list[str]:
    """The columns of a section's sheet: its fields, a set of choices spread over a column each
    ("beneficiaries.citizens")."""
    return [f"{field}.{code}" if rule is BENEFICIARIES else field
            for field, rule in SECTIONS[section].items()
            for code in (rule if rule is BENEFICIARIES else [None])]


def _header(column: str) -> str:
    """A column's Vietnamese header; a choice's column says "Cho người dân"."""
    field, _sep, code = column.partition(".")
    if not code:
        return schema.FIELDS[field].excel
    with translation.override("vi"):
        label = str(schema.CHOICES[field][code])
    return f"{schema.FIELDS[field].excel} {label[:1].lower()}{label[1:]}"


def _province_choices(campaign) -> list[str]:
    return [f"{code} — {name}" for code, name in Organisation.objects.filter(
        code__in=province_codes(campaign)).order_by("code").values_list("code", "name")]


# --- export ----------------------------------------------------------------------------------

def _lists_sheet(book, campaign) -> tuple[dict, list[str]]:
    """The hidden sheet of dropdown values; returns the ranges and the province choices."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    lists = book.create_sheet(LISTS)
    choice_lists = {field: [str(label) for label in schema.CHOICES[field].values()]
                    for field in schema.CHOICES if field in CHOICE_FIELDS}
    choice_lists["province"] = _province_choices(campaign)
    choice_lists["mark"] = ["x"]
    ranges = {}
    for index, (field, values) in enumerate(choice_lists.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=field)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        ranges[field] = (f"{quote_sheetname(LISTS)}!${letter}$2:${letter}$"
                         f"{max(2, len(values) + 1)}")
    lists.sheet_state = "hidden"
    return ranges, choice_lists["province"]


def _cell_values(section: str, row: dict, provinces: list[str]) -> list:
    values = []
    for col in columns(section):
        if col.startswith("beneficiaries."):
            chosen = col.split(".")[1] in row.get("beneficiaries", [])
            values.append("x" if chosen else None)
        elif SECTIONS[section][col] == "date":
            values.append(datetime.date.fromisoformat(row[col]) if row.get(col) else None)
        elif col in CHOICE_FIELDS and row.get(col):
            values.append(str(schema.CHOICES[col].get(row[col], row[col])))
        elif col == "province" and row.get(col):
            values.append(next((p for p in provinces if p.startswith(row[col] + " — ")),
                               row[col]))
        else:
            values.append(row.get(col) or None)
    return values


def _section_table(section: str, rows, provinces: list[str], *, with_code: bool) -> Table:
    """A section's sheet as an exporter: its columns from the schema, its rows (optionally
    keyed by unit code) yielded once."""
    cols = [Column(c, "date" if SECTIONS[section].get(c) == "date" else "string",
                   title=_header(c), width=40 if c in ("title", "name", "description", "url")
                   else 18) for c in columns(section)]
    return Table(SECTION_SHEETS[section], [CODE_COLUMN] * with_code + cols, (
        [code] * with_code + _cell_values(section, row, provinces) for code, row in rows),
        header="title")


def _sheet(book, table: Table, *, ranges: dict | None = None, last: int = 0, index=None):
    """The writer of the fillable workbooks: bold headers, text kept as text (never a live
    formula, and read back unchanged), a dropdown on each column with a list, date cells."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(table.title, index)
    sheet.append(table.headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        keep_as_text(sheet[sheet.max_row])
    count = sheet.max_row - 1
    for number, column in enumerate(table.columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width or 13
        source = "mark" if "." in column.name else column.name
        if source in (ranges or {}):
            validation = DataValidation(type="list", formula1=ranges[source], allow_blank=True,
                                        showErrorMessage=True)
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
        if column.type == "date":
            for cell_row in range(2, min(last, max(count + 1, MAX_ROWS + 1)) + 1):
                sheet.cell(row=cell_row, column=number).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    return sheet


def _instructions(book, title: str, extra: tuple[str, ...] = ()) -> None:
    from openpyxl.styles import Font

    guide = book.active
    guide.title = INSTRUCTIONS
    for line in (
        title,
        "",
        "1. Điền từng trang tính: Thông tin chung, Hoạt động, Sáng kiến số, Truyền thông, "
        "Nơi hiển thị. Mỗi dòng là một mục; để trống dòng không dùng.",
        "2. Chọn Loại hình, Hình thức, Kênh, Loại, Tỉnh từ danh sách thả xuống.",
        "3. Ngày ghi theo dạng ngày/tháng/năm (DD/MM/YYYY).",
        "4. Đánh dấu x vào các cột Cho người dân / Cho doanh nghiệp / Cho cán bộ, công chức.",
        "5. Không đổi tên, không xóa trang tính; không gộp ô; không dùng công thức.",
        "6. Tải tệp lên: nếu có lỗi, hệ thống báo từng ô và không lưu gì.",
        "Văn bản gõ bằng phông TCVN3 hoặc VNI được tự động chuyển sang Unicode.",
        *extra,
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=13)


def plan_workbook(*, campaign, organisation, data: dict) -> bytes:
    """The draft as a workbook to fill in (and upload again)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    _instructions(book, f"Kế hoạch của {organisation.name} — {campaign.title}")
    ranges, provinces = _lists_sheet(book, campaign)
    contact = data.get("contact", {})
    general = _sheet(book, Table(GENERAL, GENERAL_COLUMNS, (
        [label, contact.get(path[8:], "") if path.startswith("contact.") else data.get(path, "")]
        for path, label in GENERAL_ROWS), header="title"), index=1)
    general["B2"].alignment = Alignment(wrap_text=True, vertical="top")
    for section in SECTION_SHEETS:
        _sheet(book, _section_table(section, [(None, row) for row in data.get(section, [])],
                                    provinces, with_code=False), ranges=ranges, last=MAX_ROWS + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------

def _check_container(raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        raise WorkbookRefused([Problem("(file)", _("The workbook is larger than %(mb)d MB.")
                                       % {"mb": MAX_BYTES // 1024 // 1024})])
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookRefused([Problem("(file)", _(
            "This is an old Excel .xls file: open it in Excel or LibreOffice and save it as "
            ".xlsx, then upload it again."))])
    if not raw.startswith(b"PK\x03\x04"):
        raise WorkbookRefused([Problem("(file)", _("This file is not an Excel (.xlsx) "
                                                   "workbook."))])
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            total = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries) or 1
    except zipfile.BadZipFile:
        raise WorkbookRefused([Problem("(file)", _("The workbook is damaged and cannot be "
                                                   "read."))]) from None
    if len(entries) > 500 or total > 100 * 1024 * 1024 or total / packed > 100:
        raise WorkbookRefused([Problem("(file)", _("The workbook expands to %(mb)d MB: refused "
                                                   "as a possible zip bomb.")
                                       % {"mb": total // 1024 // 1024})])
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WorkbookRefused([Problem("(file)", _("The workbook contains macros (.xlsm): "
                                                   "save it as a plain .xlsx."))])
    if "xl/workbook.xml" not in names:
        raise WorkbookRefused([Problem("(file)", _("This file is not an Excel (.xlsx) "
                                                   "workbook."))])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice(field: str, text: str) -> str:
    if not text:
        return ""
    if field == "province":
        return text.split(" — ", 1)[0].strip()
    for code, label in schema.CHOICES[field].items():
        if fold(text) in (fold(code), fold(str(label))):
            return code
    return text  # unknown: the validator names the cell


Row = list[tuple[str, str]]  # a row's cells: ("Sheet!Cell", text)


def _read(raw: bytes, widths: dict[str, int], *, max_rows: int
          ) -> tuple[dict[str, list[Row]], dict[str, Problem], list[Problem]]:
    """The one workbook reader behind both imports: the container checked, each sheet streamed
    (read-only, its declared dimension ignored) up to ``max_rows`` rows under its headers and
    ``widths[sheet]`` columns. Too many rows or merged cells refuse the file at once; returns
    the rows, the warnings by cell (legacy fonts converted) and the cells' problems (formulas),
    each naming its "Sheet!Cell"."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.xml.functions import iterparse

    _check_container(raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on broken files
        raise WorkbookRefused([Problem("(file)", _("The workbook is damaged and cannot be "
                                                   "read."))]) from None
    missing = [name for name in widths if name not in book.sheetnames]
    if missing:
        raise WorkbookRefused([Problem(name, _("The sheet is missing (it must not be renamed "
                                               "or deleted).")) for name in missing])
    sheets: dict[str, list[Row]] = {}
    warnings: dict[str, Problem] = {}
    problems: list[Problem] = []
    refused: list[Problem] = []
    for name, width in widths.items():
        sheet = book[name]
        sheet.reset_dimensions()  # a workbook may carry no (or a false) dimension
        letters = [get_column_letter(c) for c in range(1, width + 1)]
        rows = sheets[name] = []
        for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width), start=2):
            if number > max_rows + 1:
                refused.append(Problem(name, _("At most %(n)d rows.") % {"n": max_rows}))
                break
            row = []
            for letter, cell in zip(letters, cells, strict=True):
                ref, text = f"{name}!{letter}{number}", ""
                if cell.data_type == "f":
                    problems.append(Problem(ref, _("Formulas are not allowed: type the value.")))
                else:
                    text, encoding = from_legacy(_text(cell.value))
                    if encoding:
                        warnings[ref] = Problem(ref, _("Converted from %(encoding)s to "
                                                       "Unicode.") % {"encoding": encoding.upper()})
                row.append((ref, text))
            rows.append(row)
        with book._archive.open(sheet._worksheet_path) as source:  # merged cells: streamed too
            for _event, element in iterparse(source):
                if element.tag.endswith("}mergeCell"):
                    refused.append(Problem(f"{name}!{element.get('ref')}",
                                           _("Merged cells are not allowed.")))
                element.clear()
    book.close()
    if refused:
        raise WorkbookRefused(refused)
    return sheets, warnings, problems


def _section_row(section: str, cells: Row, index: int, problems: list[Problem]
                 ) -> tuple[dict, dict[str, str]]:
    """A section's row from its cells: the document's row and its paths → cells."""
    row: dict = {field: [] for field, rule in SECTIONS[section].items() if rule is BENEFICIARIES}
    refs: dict[str, str] = {}
    for column, (ref, value) in zip(columns(section), cells, strict=True):
        field, _sep, code = column.partition(".")
        refs[f"{section}[{index}].{field}"] = ref
        if code:
            if value and fold(value) in MARKS:
                row[field].append(code)
            elif value:
                problems.append(Problem(ref, _('Mark with "x" or leave empty.')))
        else:
            row[field] = _choice(field, value) if field in CHOICE_FIELDS | {"province"} else value
    return row, refs


def plan_from_workbook(raw: bytes) -> tuple[dict, list[Problem], dict[str, str]]:
    """Read a filled workbook: (document, warnings, path → cell). Refused → WorkbookRefused."""
    widths = {GENERAL: 2, **{title: len(columns(s)) for s, title in SECTION_SHEETS.items()}}
    sheets, warnings, problems = _read(raw, widths, max_rows=MAX_ROWS)
    data: dict = {"contact": {}}
    general = sheets[GENERAL]
    cells: dict[str, str] = {}
    for offset, (path, _label) in enumerate(GENERAL_ROWS):
        ref, value = general[offset][1] if offset < len(general) else (
            f"{GENERAL}!B{offset + 2}", "")
        cells[path] = ref
        section, _sep, key = path.partition(".")
        if key:
            data["contact"][key] = value
        else:
            data[section] = value
    for section, title in SECTION_SHEETS.items():
        data[section] = []
        for row_cells in sheets[title]:
            if any(text for _ref, text in row_cells):  # an empty row is skipped
                row, refs = _section_row(section, row_cells, len(data[section]), problems)
                data[section].append(row)
                cells.update(refs)
    if problems:
        raise WorkbookRefused(problems)
    return data, list(warnings.values()), cells


# --- the agency's workbook: every plan of a campaign, keyed by unit code -----------------------

BULK_MAX_ROWS = 20_000


def campaign_workbook(*, campaign) -> bytes:
    """Every recipient's draft in one workbook: a row per unit or per item, by unit code."""
    from openpyxl import Workbook

    from dxday.plans.models import Plan

    drafts = dict(Plan.objects.filter(campaign=campaign).values_list("organisation_id", "draft"))
    recipients = list(campaign.recipients.order_by("code").values_list("pk", "code", "name"))
    book = Workbook()
    _instructions(book, f"Kế hoạch của các đơn vị — {campaign.title}", (
        "Trang tính của Cục: mỗi dòng bắt đầu bằng mã đơn vị. Chỉ nhập hoặc sửa kế hoạch "
        "chưa gửi hoặc đã được trả lại; kế hoạch đã gửi phải được trả lại trước.",))
    ranges, provinces = _lists_sheet(book, campaign)
    _sheet(book, Table(GENERAL, [CODE_COLUMN, Column("unit", title="Tên đơn vị"), *[
        Column(path, title=label) for path, label in GENERAL_ROWS]], (
        [code, name, (drafts.get(pk) or {}).get("summary", ""),
         *[(drafts.get(pk) or {}).get("contact", {}).get(f.name, "") for f in schema.CONTACT]]
        for pk, code, name in recipients), header="title"), index=1)
    for section in SECTION_SHEETS:
        rows = [(code, item) for pk, code, _name in recipients
                for item in (drafts.get(pk) or {}).get(section, [])]
        _sheet(book, _section_table(section, rows, provinces, with_code=True), ranges=ranges,
               last=max(len(rows) + 200, 1000))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def campaign_from_workbook(raw: bytes) -> tuple[dict, dict, dict, list[Problem]]:
    """Read the agency's workbook: documents by unit code, their cells, their warnings, and
    the problems that concern no single unit (a row without a code…)."""
    widths = {GENERAL: 2 + len(GENERAL_ROWS),
              **{title: 1 + len(columns(s)) for s, title in SECTION_SHEETS.items()}}
    sheets, found, problems = _read(raw, widths, max_rows=BULK_MAX_ROWS)
    docs: dict[str, dict] = {}
    cells: dict[str, dict[str, str]] = {}
    warnings: dict[str, list[Problem]] = {}

    def doc(code: str, row_cells: Row) -> dict:
        warnings.setdefault(code, []).extend(found[ref] for ref, _t in row_cells if ref in found)
        return docs.setdefault(code, {"summary": "", "contact": dict.fromkeys(CONTACT, ""),
                                      **{s: [] for s in SECTION_SHEETS}})

    for (code_ref, code), *row_cells in sheets[GENERAL]:
        row_cells = row_cells[1:]  # after the unit's name
        if not code:
            if any(text for _ref, text in row_cells):
                problems.append(Problem(code_ref, _("Give the unit code.")))
            continue
        target = doc(code, row_cells)
        for (path, _label), (ref, value) in zip(GENERAL_ROWS, row_cells, strict=True):
            cells.setdefault(code, {})[path] = ref
            section, _sep, key = path.partition(".")
            if key:
                target["contact"][key] = value
            else:
                target[section] = value
    for section, title in SECTION_SHEETS.items():
        for (code_ref, code), *row_cells in sheets[title]:
            if not any(text for _ref, text in row_cells):
                continue
            if not code:
                problems.append(Problem(code_ref, _("Give the unit code.")))
                continue
            rows = doc(code, row_cells)[section]
            row, refs = _section_row(section, row_cells, len(rows), problems)
            rows.append(row)
            cells.setdefault(code, {}).update(refs)
    return docs, cells, {c: w for c, w in warnings.items() if w}, problems
