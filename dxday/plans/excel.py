"""The plan as an Excel workbook, and back.

A unit downloads its draft as an .xlsx (one sheet per section, dropdowns from a hidden list
sheet, date cells, an instructions sheet in Vietnamese) and uploads it again. Every cell goes
through the one validator; an error is reported as "Sheet!Cell: message" and nothing is saved.
"""

import datetime
import io
import zipfile

from django.utils.translation import gettext as _

from dxday.campaigns.services import province_codes
from dxday.lib.tables import keep_as_text
from dxday.lib.text import fold, from_legacy
from dxday.plans.labels import CHOICE_LABELS
from dxday.plans.validation import BENEFICIARIES, CONTACT, MAX_ROWS, SECTIONS, Problem
from dxday.registry.models import Organisation

MAX_BYTES = 5 * 1024 * 1024
INSTRUCTIONS, GENERAL, LISTS = "Hướng dẫn", "Thông tin chung", "Danh mục"
SECTION_SHEETS = {"activities": "Hoạt động", "initiatives": "Sáng kiến số",
                  "communications": "Truyền thông", "display_urls": "Nơi hiển thị"}
HEADERS = {
    "title": "Tên", "category": "Loại hình", "start": "Bắt đầu", "end": "Kết thúc",
    "location": "Địa điểm", "province": "Tỉnh, thành phố", "format": "Hình thức",
    "audience": "Đối tượng", "description": "Mô tả", "url": "Liên kết (URL)", "name": "Tên",
    "sector": "Lĩnh vực", "launch_date": "Ngày ra mắt", "channel": "Kênh", "date": "Ngày",
    "kind": "Loại",
}
BENEFICIARY_HEADERS = {"citizens": "Cho người dân", "businesses": "Cho doanh nghiệp",
                       "officials": "Cho cán bộ, công chức"}
GENERAL_ROWS = [("summary", "Tóm tắt kế hoạch"), ("contact.name", "Người liên hệ"),
                ("contact.position", "Chức vụ"), ("contact.phone", "Điện thoại"),
                ("contact.email", "Thư điện tử")]
CHOICE_FIELDS = {"category": "category", "format": "format", "channel": "channel",
                 "kind": "kind"}
DATE_FORMAT = "DD/MM/YYYY"


class WorkbookRefused(Exception):
    """The workbook cannot be read or is not valid; ``problems`` name sheets and cells."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))
        self.problems = problems


def columns(section: str) -> list[str]:
    """The columns of a section's sheet: its fields, beneficiaries spread over three."""
    cols = []
    for field, rule in SECTIONS[section].items():
        if rule is BENEFICIARIES:
            cols += [f"beneficiaries.{b}" for b in BENEFICIARY_HEADERS]
        else:
            cols.append(field)
    return cols


def _province_choices(campaign) -> list[str]:
    return [f"{code} — {name}" for code, name in Organisation.objects.filter(
        code__in=province_codes(campaign)).order_by("code").values_list("code", "name")]


# --- export ----------------------------------------------------------------------------------

def _lists_sheet(book, campaign) -> tuple[dict, list[str]]:
    """The hidden sheet of dropdown values; returns the ranges and the province choices."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    lists = book.create_sheet(LISTS)
    choice_lists = {field: [str(label) for label in CHOICE_LABELS[source].values()]
                    for field, source in CHOICE_FIELDS.items()}
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
            values.append(str(CHOICE_LABELS[CHOICE_FIELDS[col]].get(row[col], row[col])))
        elif col == "province" and row.get(col):
            values.append(next((p for p in provinces if p.startswith(row[col] + " — ")),
                               row[col]))
        else:
            values.append(row.get(col) or None)
    return values


def _section_sheet(book, section: str, rows: list[tuple[str | None, dict]], ranges: dict,
                   provinces: list[str], *, with_code: bool, last: int) -> None:
    """A section's sheet: headers, rows (optionally keyed by unit code), dropdowns, dates."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(SECTION_SHEETS[section])
    cols = columns(section)
    headers = [BENEFICIARY_HEADERS[c.split(".")[1]] if "." in c else HEADERS[c] for c in cols]
    sheet.append(([CODE_HEADER] if with_code else []) + headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code, row in rows:
        sheet.append(([code] if with_code else []) + _cell_values(section, row, provinces))
        keep_as_text(sheet[sheet.max_row])
    shift = 1 if with_code else 0
    for index, col in enumerate(cols, start=1 + shift):
        letter = get_column_letter(index)
        wide = col in ("title", "name", "description", "url")
        sheet.column_dimensions[letter].width = 40 if wide else 18
        source = "mark" if col.startswith("beneficiaries.") else (
            col if col in CHOICE_FIELDS or col == "province" else None)
        if source:
            validation = DataValidation(type="list", formula1=ranges[source], allow_blank=True,
                                        showErrorMessage=True)
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
        if SECTIONS[section].get(col) == "date":
            for cell_row in range(2, min(last, max(len(rows) + 1, MAX_ROWS + 1)) + 1):
                sheet.cell(row=cell_row, column=index).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"


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
    general = book.create_sheet(GENERAL, 1)
    general.append(["Trường", "Nội dung"])
    for path, label in GENERAL_ROWS:
        section, _sep, key = path.partition(".")
        value = data.get("contact", {}).get(key, "") if key else data.get(section, "")
        general.append([label, value])
        keep_as_text(general[general.max_row])
    general.column_dimensions["A"].width = 24
    general.column_dimensions["B"].width = 100
    general["B2"].alignment = Alignment(wrap_text=True, vertical="top")
    for section in SECTION_SHEETS:
        _section_sheet(book, section, [(None, row) for row in data.get(section, [])], ranges,
                       provinces, with_code=False, last=MAX_ROWS + 1)
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
    labels = CHOICE_LABELS[CHOICE_FIELDS[field]]
    for code, label in labels.items():
        if fold(text) in (fold(code), fold(str(label))):
            return code
    return text  # unknown: the validator names the cell


def plan_from_workbook(raw: bytes) -> tuple[dict, list[Problem], dict[str, str]]:
    """Read a filled workbook: (document, warnings, path → cell). Refused → WorkbookRefused."""
    from openpyxl import load_workbook

    _check_container(raw)
    problems: list[Problem] = []
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on broken files
        raise WorkbookRefused([Problem("(file)", _("The workbook is damaged and cannot be "
                                                   "read."))]) from None
    needed = [GENERAL, *SECTION_SHEETS.values()]
    missing = [name for name in needed if name not in book.sheetnames]
    if missing:
        raise WorkbookRefused([Problem(name, _("The sheet is missing (it must not be renamed "
                                               "or deleted).")) for name in missing])
    for name in needed:
        # Count rows with an early stop: a workbook may carry no (or a false) dimension.
        for count, _row in enumerate(book[name].iter_rows(values_only=True), start=1):
            if count > MAX_ROWS + 1:
                problems.append(Problem(name, _("At most %(n)d rows.") % {"n": MAX_ROWS}))
                break
    if problems:
        raise WorkbookRefused(problems)
    book.close()
    book = load_workbook(io.BytesIO(raw), read_only=False, data_only=False)
    for name in needed:
        for merged in book[name].merged_cells.ranges:
            problems.append(Problem(f"{name}!{merged.coord}", _("Merged cells are not "
                                                                "allowed.")))
    warnings: list[Problem] = []
    cells: dict[str, str] = {}

    def read(sheet, coordinate: str, path: str) -> str:
        cell = sheet[coordinate]
        ref = f"{sheet.title}!{coordinate}"
        cells[path] = ref
        if cell.data_type == "f":
            problems.append(Problem(ref, _("Formulas are not allowed: type the value.")))
            return ""
        text = _text(cell.value)
        converted, encoding = from_legacy(text)
        if encoding:
            warnings.append(Problem(ref, _("Converted from %(encoding)s to Unicode.")
                                    % {"encoding": encoding.upper()}))
        return converted

    general = book[GENERAL]
    data: dict = {"contact": {}}
    for offset, (path, _label) in enumerate(GENERAL_ROWS, start=2):
        value = read(general, f"B{offset}", path)
        section, _sep, key = path.partition(".")
        if key:
            data["contact"][key] = value
        else:
            data[section] = value
    for key in CONTACT:
        data["contact"].setdefault(key, "")

    from openpyxl.utils import get_column_letter

    for section, title in SECTION_SHEETS.items():
        sheet = book[title]
        cols = columns(section)
        rows = []
        for excel_row in range(2, (sheet.max_row or 1) + 1):
            index = len(rows)
            row: dict = {"beneficiaries": []} if "name" in SECTIONS[section] else {}
            filled = False
            for col_index, col in enumerate(cols, start=1):
                coordinate = f"{get_column_letter(col_index)}{excel_row}"
                if col.startswith("beneficiaries."):
                    value = read(sheet, coordinate, f"{section}[{index}].beneficiaries")
                    if value:
                        filled = True
                        if fold(value) in ("x", "co", "yes", "1"):
                            row["beneficiaries"].append(col.split(".")[1])
                        else:
                            problems.append(Problem(f"{title}!{coordinate}",
                                                    _('Mark with "x" or leave empty.')))
                    continue
                value = read(sheet, coordinate, f"{section}[{index}].{col}")
                if value:
                    filled = True
                row[col] = (_choice(col, value) if col in CHOICE_FIELDS or col == "province"
                            else value)
            if filled:
                rows.append(row)
            else:  # an empty row is skipped; its cells map to nothing
                for col in cols:
                    cells.pop(f"{section}[{index}].{col.split('.')[0]}", None)
        data[section] = rows
    if problems:
        raise WorkbookRefused(problems)
    return data, warnings, cells




# --- the agency's workbook: every plan of a campaign, keyed by unit code -----------------------

CODE_HEADER = "Mã đơn vị"
BULK_MAX_ROWS = 20_000


def campaign_workbook(*, campaign) -> bytes:
    """Every recipient's draft in one workbook: a row per unit or per item, by unit code."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from dxday.plans.models import Plan

    drafts = dict(Plan.objects.filter(campaign=campaign).values_list("organisation_id", "draft"))
    recipients = list(campaign.recipients.order_by("code").values_list("pk", "code", "name"))
    book = Workbook()
    _instructions(book, f"Kế hoạch của các đơn vị — {campaign.title}", (
        "Trang tính của Cục: mỗi dòng bắt đầu bằng mã đơn vị. Chỉ nhập hoặc sửa kế hoạch "
        "chưa gửi hoặc đã được trả lại; kế hoạch đã gửi phải được trả lại trước.",))
    ranges, provinces = _lists_sheet(book, campaign)
    general = book.create_sheet(GENERAL, 1)
    general.append([CODE_HEADER, "Tên đơn vị", *[label for _path, label in GENERAL_ROWS]])
    for cell in general[1]:
        cell.font = Font(bold=True)
    for pk, code, name in recipients:
        draft = drafts.get(pk) or {}
        contact = draft.get("contact", {})
        general.append([code, name, draft.get("summary", "")]
                       + [contact.get(k, "") for k in ("name", "position", "phone", "email")])
        keep_as_text(general[general.max_row])
    for section in SECTION_SHEETS:
        rows = [(code, item) for pk, code, _name in recipients
                for item in (drafts.get(pk) or {}).get(section, [])]
        _section_sheet(book, section, rows, ranges, provinces, with_code=True,
                       last=max(len(rows) + 200, 1000))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def campaign_from_workbook(raw: bytes) -> tuple[dict, dict, dict, list[Problem]]:
    """Read the agency's workbook: documents by unit code, their cells, their warnings, and
    the problems that concern no single unit (a row without a code…)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _check_container(raw)
    needed = [GENERAL, *SECTION_SHEETS.values()]
    try:
        book = load_workbook(io.BytesIO(raw), read_only=False, data_only=False)
    except Exception:
        raise WorkbookRefused([Problem("(file)", _("The workbook is damaged and cannot be "
                                                   "read."))]) from None
    missing = [name for name in needed if name not in book.sheetnames]
    if missing:
        raise WorkbookRefused([Problem(name, _("The sheet is missing (it must not be renamed "
                                               "or deleted).")) for name in missing])
    problems = [Problem(name, _("At most %(n)d rows.") % {"n": BULK_MAX_ROWS})
                for name in needed if (book[name].max_row or 0) > BULK_MAX_ROWS + 1]
    problems += [Problem(f"{name}!{merged.coord}", _("Merged cells are not allowed."))
                 for name in needed for merged in book[name].merged_cells.ranges]
    if problems:
        raise WorkbookRefused(problems)
    docs: dict[str, dict] = {}
    cells: dict[str, dict[str, str]] = {}
    warnings: dict[str, list[Problem]] = {}

    def read(sheet, coordinate: str, code: str | None, path: str | None) -> str:
        cell = sheet[coordinate]
        ref = f"{sheet.title}!{coordinate}"
        if code and path:
            cells.setdefault(code, {})[path] = ref
        if cell.data_type == "f":
            problems.append(Problem(ref, _("Formulas are not allowed: type the value.")))
            return ""
        text, encoding = from_legacy(_text(cell.value))
        if encoding and code:
            warnings.setdefault(code, []).append(Problem(ref, _(
                "Converted from %(encoding)s to Unicode.") % {"encoding": encoding.upper()}))
        return text

    def doc(code: str) -> dict:
        return docs.setdefault(code, {"summary": "", "contact": dict.fromkeys(CONTACT, ""),
                                      **{s: [] for s in SECTION_SHEETS}})

    general = book[GENERAL]
    for excel_row in range(2, (general.max_row or 1) + 1):
        code = read(general, f"A{excel_row}", None, None)
        values = [read(general, f"{get_column_letter(c)}{excel_row}", code or None, path)
                  for c, (path, _label) in enumerate(GENERAL_ROWS, start=3)]
        if not code:
            if any(values):
                problems.append(Problem(f"{GENERAL}!A{excel_row}", _("Give the unit code.")))
            continue
        target = doc(code)
        for (path, _label), value in zip(GENERAL_ROWS, values, strict=True):
            section, _sep, key = path.partition(".")
            if key:
                target["contact"][key] = value
            else:
                target[section] = value
    for section, title in SECTION_SHEETS.items():
        sheet = book[title]
        cols = columns(section)
        for excel_row in range(2, (sheet.max_row or 1) + 1):
            code = read(sheet, f"A{excel_row}", None, None)
            raw_values = {}
            for index, col in enumerate(cols, start=2):
                coordinate = f"{get_column_letter(index)}{excel_row}"
                raw_values[col] = (coordinate, read(sheet, coordinate, code or None, None))
            if not any(v for _c, v in raw_values.values()):
                continue
            if not code:
                problems.append(Problem(f"{title}!A{excel_row}", _("Give the unit code.")))
                continue
            target = doc(code)
            index = len(target[section])
            row: dict = {"beneficiaries": []} if "name" in SECTIONS[section] else {}
            for col, (coordinate, value) in raw_values.items():
                ref = f"{title}!{coordinate}"
                if col.startswith("beneficiaries."):
                    cells.setdefault(code, {})[f"{section}[{index}].beneficiaries"] = ref
                    if value and fold(value) in ("x", "co", "yes", "1"):
                        row["beneficiaries"].append(col.split(".")[1])
                    elif value:
                        problems.append(Problem(ref, _('Mark with "x" or leave empty.')))
                    continue
                cells.setdefault(code, {})[f"{section}[{index}].{col}"] = ref
                row[col] = (_choice(col, value) if col in CHOICE_FIELDS or col == "province"
                            else value)
            target[section].append(row)
    return docs, cells, warnings, problems
