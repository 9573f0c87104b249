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
    assert book.defined_names is not None


def test_hostile_text_stays_text_and_nothing_is_a_formula():
    data = to_xlsx(Table("x", COLUMNS[:1], [["=1+1"], ["+cmd|' /C calc'!A0"], ["-2+3"],
                                            ["a\x01b\x1fc"], ["x" * 40_000]]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        sheet = archive.read("xl/worksheets/sheet1.xml")
    ElementTree.fromstring(sheet)  # well-formed XML
    assert b"<f>" not in sheet and b"<f " not in sheet
    cells = [c.value for c in _book(Table("x", COLUMNS[:1], [["=1+1"], ["a\x01b"],
                                                            ["x" * 40_000]]))["x"]["A"]]
    assert cells[1] == "'=1+1"
    assert cells[2] == "a_x0001_b"  # as Excel writes a control character
    assert len(cells[3]) == 32767  # Excel's limit for a cell


def test_sheet_names_are_made_valid_and_distinct():
    book = _book(Table("Phụ lục: I/II", COLUMNS[:1], [["a"]]),
                 Table("Phụ lục: I/II", COLUMNS[:1], []),
                 Table("Một tên rất dài vượt quá ba mươi mốt ký tự của Excel", COLUMNS[:1], []))
    names = book.sheetnames
    assert len(set(n.lower() for n in names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
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
    assert serial(datetime.datetime(2026, 10, 10, 12)) == serial(datetime.date(2026, 10, 10)) + .5


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make")
def test_libreoffice_calc_opens_the_workbook(tmp_path):
    source = tmp_path / "bang.xlsx"
    source.write_bytes(to_xlsx(Table("Phụ lục II", COLUMNS, ROWS, header="title",
                                     lines=["PHỤ LỤC II"])))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    lines = list(csv.reader((tmp_path / "bang.csv").read_text("utf-8").splitlines(True)))
    assert lines[0][0] == "PHỤ LỤC II"
    assert lines[1] == [c.title for c in COLUMNS]
    body = lines[2:]
    assert len(body) == len(ROWS)
    assert [r[0] for r in body] == [_expected(r[0]) for r in ROWS]
    assert [r[1] for r in body] == ["" if r[1] is None else str(r[1]) for r in ROWS]
    assert body[0][2] == "10/10/2026" and body[3][2] == "31/12/1999"
    assert body[0][3] == "10/10/2026 08:30"
