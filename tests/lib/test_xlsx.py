"""The streaming XLSX writer (dxday.lib.xlsx, through tables.to_xlsx), read back by tools it
was not written with: openpyxl, and LibreOffice Calc converting each sheet to CSV."""

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
import zoneinfo

import openpyxl
import pytest
from defusedxml import ElementTree

from dxday.lib.tables import Column, Table, to_xlsx
from dxday.lib.xlsx import column_letters, serial

COLUMNS = [Column("ten", "string", "Tên"), Column("so", "integer", "Số người"),
           Column("ngay", "date", "Ngày"), Column("luc", "datetime", "Lúc"),
           Column("ty_le", "number", "Tỷ lệ")]
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
ROWS = [
    ["Hội thảo chuyển đổi số", 120, datetime.date(2026, 10, 10),
     datetime.datetime(2026, 10, 10, 1, 30, tzinfo=datetime.UTC), 0.25],
    ["=HYPERLINK(\"http://x\")", 0, None, datetime.datetime(2026, 1, 2, 3, 4), -1.5],
    ["<b>Tom & Jerry</b> \"quoted\" 'single'", None, "", None, None],
    ["  lề hai bên  ", 10_000_000, datetime.date(1999, 12, 31), None, 3],
    ["Ngày hội số\nxuống dòng", -7, None, None, None],
    ["@SUM(A1)", 1, None, None, None],
]


def _book(*tables) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(*tables)))


def _expected(value):
    """What a reader finds in a cell written from ``value`` (computed here, not by the
    writer): formula starts kept as text behind an apostrophe, aware times in local time."""
    if value == "":
        return None
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(HANOI).replace(tzinfo=None)
    if type(value) is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value


@pytest.fixture(autouse=True)
def _hanoi(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


def test_openpyxl_reads_back_every_cell_type_and_format():
    book = _book(Table("Phụ lục II", COLUMNS, ROWS, header="title", lines=["PHỤ LỤC II",
                                                                           "Hoạt động"]))
    sheet = book["Phụ lục II"]
    assert [sheet.cell(1, 1).value, sheet.cell(2, 1).value] == ["PHỤ LỤC II", "Hoạt động"]
    assert [c.value for c in sheet[3]] == [c.title for c in COLUMNS]
    for number, row in enumerate(ROWS, start=4):
        assert [c.value for c in sheet[number]] == [_expected(v) for v in row], number
    assert sheet.max_row == 3 + len(ROWS)
    assert sheet["C4"].number_format == "dd/mm/yyyy"
    assert sheet["D4"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["D4"].value == datetime.datetime(2026, 10, 10, 8, 30)
    assert sheet["B4"].data_type == "n" and sheet["E5"].value == -1.5
    assert sheet["A1"].font.b and sheet["A3"].font.b and sheet["A3"].border.left.style == "thin"
    assert not sheet["A4"].font.b
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == f"A3:E{3 + len(ROWS)}"
    assert sheet.column_dimensions["A"].width >= 12


def test_the_filter_is_named_for_excel_and_the_package_opens_with_its_types():
    rows = [["a"], ["b"]]
    data = to_xlsx(Table("Tom's & <Jerry>", COLUMNS[:1], rows, lines=["Tiêu đề"]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    # File-type sniffers read the first entry to know an OOXML package.
    assert names[0] == "[Content_Types].xml"
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    [defined] = workbook.iter(f"{main}definedName")
    assert defined.attrib == {"name": "_xlnm._FilterDatabase", "localSheetId": "0",
                              "hidden": "1"}
    # The header is row 2 (under one title line), the last row 2 + len(rows).
    assert defined.text == f"'Tom''s & <Jerry>'!$A$2:$A${2 + len(rows)}"
    assert [s.attrib["name"] for s in workbook.iter(f"{main}sheet")] == ["Tom's & <Jerry>"]


def test_hostile_text_stays_text_and_nothing_is_a_formula():
    data = to_xlsx(Table("x", COLUMNS[:1], [["=1+1"], ["+cmd|' /C calc'!A0"], ["-2+3"],
                                            ["a\x01b\x1fc"], ["x" * 40_000],
                                            ["x\ufffey\uffffz"], ["a\rb"]]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        sheet = archive.read("xl/worksheets/sheet1.xml")
    ElementTree.fromstring(sheet)  # well-formed XML
    assert b"<f>" not in sheet and b"<f " not in sheet
    cells = [c.value for c in _book(Table("x", COLUMNS[:1], [
        ["=1+1"], ["a\x01b"], ["x" * 40_000], ["x\ufffey\uffffz"], ["_x0041_ là chữ A"],
        ["😀" * 20_000]]))["x"]["A"]]
    assert cells[1] == "'=1+1"
    assert cells[2] == "a_x0001_b"  # as Excel writes a control character
    assert len(cells[3]) == 32767  # Excel's limit for a cell
    # Characters XML cannot hold never break the file; they are written as Excel escapes.
    assert cells[4] == "x_xFFFE_y_xFFFF_z"
    # Text that reads like an escape is protected ("_x005F_" is "_"), so Excel shows it.
    assert cells[5] == "_x005F_x0041_ là chữ A"
    # Excel counts UTF-16 units: an emoji is two, and is never cut in half.
    assert len(cells[6].encode("utf-16-le")) // 2 <= 32767 and set(cells[6]) == {"😀"}


def test_sheet_names_are_made_valid_and_distinct():
    book = _book(Table("Phụ lục: I/II", COLUMNS[:1], [["a"]]),
                 Table("Phụ lục: I/II", COLUMNS[:1], []),
                 Table("Một tên rất dài vượt quá ba mươi mốt ký tự của Excel", COLUMNS[:1], []))
    names = book.sheetnames
    assert len(set(n.lower() for n in names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    # Cut to 31 characters, a name never ends with an apostrophe (Excel refuses it).
    base = "Phụ lục II của đơn vị " + "a" * 8
    assert len(base) == 30
    cut = _book(Table(base + "'" + "x" * 10, COLUMNS[:1], [])).sheetnames
    assert cut == [base]
    empty = book[names[1]]
    assert [c.value for c in empty[1]] == ["ten"] and empty.max_row == 1


def test_many_rows_stream_and_round_trip():
    rows = [[f"Đơn vị {i}", i, datetime.date(2026, 10, 1 + i % 30), None, i / 4]
            for i in range(20_000)]
    sheet = _book(Table("t", COLUMNS, rows))["t"]
    found = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(found) == len(rows)
    assert sum(r[1] for r in found) == sum(r[1] for r in rows)
    assert found[12_345] == tuple(_expected(v) if v is not None else None
                                  for v in rows[12_345])


def test_helpers():
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    assert serial(datetime.date(1900, 3, 1)) == 61
    # Before March 1900, one less: Excel counts a 29/02/1900 that never was.
    assert serial(datetime.date(1900, 1, 1)) == 1
    assert serial(datetime.date(1900, 2, 28)) == 59
    assert serial(datetime.datetime(2026, 10, 10, 12)) == serial(datetime.date(2026, 10, 10)) + .5


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make")
def test_libreoffice_calc_opens_the_workbook(tmp_path):
    source = tmp_path / "bang.xlsx"
    rows = [*ROWS, ["_x0041_ là chữ A", None, None, None, None],
            ["x\uffffy", None, None, None, None]]
    source.write_bytes(to_xlsx(Table("Phụ lục II", COLUMNS, rows, header="title",
                                     lines=["PHỤ LỤC II"])))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    lines = list(csv.reader((tmp_path / "bang.csv").read_text("utf-8").splitlines(True)))
    assert lines[0][0] == "PHỤ LỤC II"
    assert lines[1] == [c.title for c in COLUMNS]
    body, extra = lines[2:2 + len(ROWS)], lines[2 + len(ROWS):]
    assert len(body) == len(ROWS) and len(extra) == 2
    assert [r[0] for r in body] == [_expected(r[0]) for r in ROWS]
    assert extra[0][0] == "_x0041_ là chữ A"  # shown as typed, not decoded to "A"
    assert [r[1] for r in body] == ["" if r[1] is None else str(r[1]) for r in ROWS]
    assert body[0][2] == "10/10/2026" and body[3][2] == "31/12/1999"
    assert body[0][3] == "10/10/2026 08:30"
