"""The Excel round trip: download the draft as a workbook, fill it, upload it; every cell
through the one validator, refused cell by cell, nothing saved on error."""

import io
import random
import zipfile

import pytest
from openpyxl import load_workbook

from dxday.plans.excel import WorkbookRefused, plan_workbook
from dxday.plans.models import Plan
from dxday.plans.services import plan_import_workbook, plan_save_draft
from dxday.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def danang():
    return Organisation.objects.get(code="48")


def template(campaign, danang, data=None) -> bytes:
    return plan_workbook(campaign=campaign, organisation=danang, data=data or {})


def edit(raw: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(raw))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_untouched_template_reimports_cleanly(campaign, danang, editor_a, good_plan):
    plan, _ = plan_save_draft(campaign=campaign, organisation=danang, data=good_plan,
                              by=editor_a)
    before = dict(plan.draft)
    raw = template(campaign, danang, plan.draft)
    plan, warnings, changes = plan_import_workbook(campaign=campaign, organisation=danang,
                                                   raw=raw, by=editor_a)
    assert changes == [] and warnings == []
    assert plan.draft == before
    empty = template(campaign, Organisation.objects.get(code="BKHCN"))
    plan, warnings, changes = plan_import_workbook(
        campaign=campaign, organisation=Organisation.objects.get(code="BKHCN"), raw=empty,
        by=editor_a)
    assert plan.draft["activities"] == [] and warnings == []


def test_template_has_dropdowns_dates_hidden_lists_and_instructions(campaign, danang, good_plan):
    book = load_workbook(io.BytesIO(template(campaign, danang, good_plan)))
    assert book.sheetnames[:2] == ["Hướng dẫn", "Thông tin chung"]
    assert book["Danh mục"].sheet_state == "hidden"
    activities = book["Hoạt động"]
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1
                for dv in activities.data_validations.dataValidation}
    assert "B2" in formulas and "Danh mục" in formulas["B2"]  # category
    assert activities["C2"].number_format == "DD/MM/YYYY"
    assert activities["B2"].value == "Hội nghị, hội thảo"
    assert activities["F2"].value == "48 — Thành phố Đà Nẵng"


def test_vietnamese_legacy_and_hostile_cells(campaign, danang, editor_a):
    def fill(book):
        general = book["Thông tin chung"]
        general["B2"] = "Kế hoạch hưởng ứng Ngày Chuyển đổi số"
        general["B3"] = "Ng« V¨n An"  # TCVN3
        general["B6"] = "an@danang.example.vn"
        sheet = book["Hoạt động"]
        sheet["A2"] = "Hoäi thaûo chuyeån ñoåi soá"  # VNI
        sheet["B2"] = "hoi nghi, hoi thao"  # a label typed without accents
        sheet["C2"] = "05/10/2026"
        sheet["F2"] = "48"
        sheet["G2"] = "Trực tuyến"
        sheet["A3"] = "=HYPERLINK(\"http://evil.example\")"
        sheet["A3"].data_type = "s"  # typed as text, not a formula
        sheet["A4"] = "<script>alert(1)</script>"

    raw = edit(template(campaign, danang), fill)
    plan, warnings, changes = plan_import_workbook(campaign=campaign, organisation=danang,
                                                   raw=raw, by=editor_a)
    assert plan.draft["contact"]["name"] == "Ngô Văn An"
    titles = [a["title"] for a in plan.draft["activities"]]
    assert titles == ["Hội thảo chuyển đổi số", '=HYPERLINK("http://evil.example")',
                      "<script>alert(1)</script>"]
    assert plan.draft["activities"][0]["category"] == "conference"
    assert plan.draft["activities"][0]["start"] == "2026-10-05"
    assert plan.draft["activities"][0]["format"] == "online"
    assert {w.path for w in warnings} >= {"Thông tin chung!B3", "Hoạt động!A2"}
    assert len(changes) > 5


def mutate_cell(sheet, coordinate, value, data_type=None):
    def change(book):
        book[sheet][coordinate] = value
        if data_type:
            book[sheet][coordinate].data_type = data_type
    return change


def with_title(change):
    def both(book):
        book["Hoạt động"]["A2"] = "Hội thảo"
        change(book)
    return both


CELL_CASES = [
    ("date text", with_title(mutate_cell("Hoạt động", "C2", "ngày mai")), "Hoạt động!C2"),
    ("impossible date", with_title(mutate_cell("Hoạt động", "C2", "31/02/2026")),
     "Hoạt động!C2"),
    ("year 1900", with_title(mutate_cell("Hoạt động", "D2", "01/01/1900")), "Hoạt động!D2"),
    ("number as date", with_title(mutate_cell("Hoạt động", "C2", 12345.5)), "Hoạt động!C2"),
    ("unknown category", with_title(mutate_cell("Hoạt động", "B2", "Tiệc")), "Hoạt động!B2"),
    ("unknown format", with_title(mutate_cell("Hoạt động", "G2", "Bằng thư")), "Hoạt động!G2"),
    ("unknown province", with_title(mutate_cell("Hoạt động", "F2", "99 — Nowhere")),
     "Hoạt động!F2"),
    ("javascript url", with_title(mutate_cell("Hoạt động", "J2", "javascript:alert(1)")),
     "Hoạt động!J2"),
    ("ftp url", mutate_cell("Sáng kiến số", "H2", "ftp://x.vn/a"), "Sáng kiến số!H2"),
    ("formula", mutate_cell("Hoạt động", "A2", "=1+1"), "Hoạt động!A2"),
    ("formula in general", mutate_cell("Thông tin chung", "B2", "=A1"), "Thông tin chung!B2"),
    ("formula in initiative", mutate_cell("Sáng kiến số", "A2", "=SUM(1,2)"),
     "Sáng kiến số!A2"),
    ("bad email", mutate_cell("Thông tin chung", "B6", "an@@x"), "Thông tin chung!B6"),
    ("bad phone", mutate_cell("Thông tin chung", "B5", "gọi tôi"), "Thông tin chung!B5"),
    ("too long title", mutate_cell("Hoạt động", "A2", "x" * 600), "Hoạt động!A2"),
    ("too long summary", mutate_cell("Thông tin chung", "B2", "y" * 10_001),
     "Thông tin chung!B2"),
    ("beneficiary mark", mutate_cell("Sáng kiến số", "C2", "có lẽ"), "Sáng kiến số!C2"),
    ("unknown channel", mutate_cell("Truyền thông", "B2", "bồ câu"), "Truyền thông!B2"),
    ("unknown display kind", mutate_cell("Nơi hiển thị", "B2", "tờ rơi"), "Nơi hiển thị!B2"),
    ("display url", mutate_cell("Nơi hiển thị", "A2", "not a url"), "Nơi hiển thị!A2"),
    ("comm date", mutate_cell("Truyền thông", "D2", "hôm qua"), "Truyền thông!D2"),
    ("launch date", mutate_cell("Sáng kiến số", "G2", "32/13/2026"), "Sáng kiến số!G2"),
    ("boolean as date", with_title(mutate_cell("Hoạt động", "C2", True)), "Hoạt động!C2"),
    ("province name", with_title(mutate_cell("Hoạt động", "F2", "Atlantis")), "Hoạt động!F2"),
    ("long initiative", mutate_cell("Sáng kiến số", "A2", "z" * 700), "Sáng kiến số!A2"),
    ("long contact", mutate_cell("Thông tin chung", "B3", "w" * 700), "Thông tin chung!B3"),
    ("comm javascript", mutate_cell("Truyền thông", "C2", "javascript:x"), "Truyền thông!C2"),
]


def end_before_start(book):
    sheet = book["Hoạt động"]
    sheet["A2"], sheet["C2"], sheet["D2"] = "Hội thảo", "10/10/2026", "01/10/2026"


def merged(book):
    book["Hoạt động"]["A2"] = "Hội thảo"
    book["Hoạt động"].merge_cells("A2:B2")


def too_many_rows(book):
    for row in range(2, 700):
        book["Hoạt động"].cell(row=row, column=1, value=f"Hoạt động {row}")


CELL_CASES += [
    ("end before start", end_before_start, "Hoạt động!D2"),
    ("merged cells", merged, "Hoạt động!A2:B2"),
    ("too many rows", too_many_rows, "Hoạt động"),
]
SHEETS = ["Thông tin chung", "Hoạt động", "Sáng kiến số", "Truyền thông", "Nơi hiển thị"]


def deleted(name):
    def change(book):
        del book[name]
    return change


def renamed(name):
    def change(book):
        book[name].title = name[:20] + " (2)"
    return change


CELL_CASES += [(f"deleted {s}", deleted(s), s) for s in SHEETS]
CELL_CASES += [(f"renamed {s}", renamed(s), s) for s in SHEETS]


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_macros(raw: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    entries = {i.filename: source.read(i.filename) for i in source.infolist()}
    return zipped({**entries, "xl/vbaProject.bin": b"\x00" * 100})


FILE_CASES = [
    ("random bytes", lambda raw: random.Random(1).randbytes(5000), "(file)"),
    ("random bytes 2", lambda raw: random.Random(2).randbytes(100), "(file)"),
    ("empty", lambda raw: b"", "(file)"),
    ("old xls", lambda raw: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "(file)"),
    ("truncated", lambda raw: raw[: len(raw) // 2], "(file)"),
    ("zip without workbook", lambda raw: zipped({"hello.txt": b"x"}), "(file)"),
    ("docx", lambda raw: zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
     "(file)"),
    ("xlsm", with_macros, "(file)"),
    ("zip bomb", lambda raw: zipped({"xl/workbook.xml": b"<x/>", "big": b"\0" * 60_000_000}),
     "(file)"),
    ("too large", lambda raw: b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "(file)"),
    ("pdf named xlsx", lambda raw: b"%PDF-1.7\n" + b"0" * 100, "(file)"),
    ("html named xlsx", lambda raw: b"<html><script>alert(1)</script></html>", "(file)"),
    ("broken workbook xml", lambda raw: zipped({"xl/workbook.xml": b"<not xml",
                                                "[Content_Types].xml": b"<x/>"}), "(file)"),
]


def test_at_least_fifty_malformed_workbooks():
    assert len(CELL_CASES) + len(FILE_CASES) >= 50


@pytest.mark.parametrize(("name", "change", "where"), CELL_CASES, ids=[c[0] for c in CELL_CASES])
def test_malformed_workbooks_are_refused_by_cell(campaign, danang, editor_a, good_plan, name,
                                                 change, where):
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=editor_a)
    raw = edit(template(campaign, danang), change)
    with pytest.raises(WorkbookRefused) as refused:
        plan_import_workbook(campaign=campaign, organisation=danang, raw=raw, by=editor_a)
    assert where in [p.path for p in refused.value.problems], refused.value.problems
    assert all(p.message for p in refused.value.problems)
    assert Plan.objects.get(organisation=danang).draft["summary"] == good_plan["summary"]


@pytest.mark.parametrize(("name", "make", "where"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_broken_files_are_refused(campaign, danang, editor_a, name, make, where):
    raw = make(template(campaign, danang))
    with pytest.raises(WorkbookRefused) as refused:
        plan_import_workbook(campaign=campaign, organisation=danang, raw=raw, by=editor_a)
    assert [p.path for p in refused.value.problems] == [where]
    assert not Plan.objects.filter(organisation=danang).exists()


def test_a_hundred_thousand_rows_are_refused_quickly(campaign, danang, editor_a):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name in SHEETS:
        sheet = book.create_sheet(name)
        if name == "Hoạt động":
            for row in range(100_000):
                sheet.append([f"Hoạt động {row}"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(WorkbookRefused) as refused:
        plan_import_workbook(campaign=campaign, organisation=danang, raw=out.getvalue(),
                             by=editor_a)
    assert [p.path for p in refused.value.problems] == ["Hoạt động"]


def test_upload_on_the_plan_page(client, campaign, danang, editor_a, editor_b, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor_a)
    raw = client.get("/plans/2026/48/workbook.xlsx").content

    def fill(book):
        book["Thông tin chung"]["B2"] = "Tóm tắt từ Excel"
        book["Hoạt động"]["A2"] = "Hội thảo từ Excel"

    good = edit(raw, fill)
    response = client.post("/plans/2026/48/workbook/",
                           {"workbook": SimpleUploadedFile("kh.xlsx", good)}, follow=True)
    assert "Hội thảo từ Excel" in response.content.decode()
    assert Plan.objects.get(organisation=danang).draft["summary"] == "Tóm tắt từ Excel"
    bad = edit(raw, mutate_cell("Hoạt động", "C2", "ngày mai"))
    response = client.post("/plans/2026/48/workbook/",
                           {"workbook": SimpleUploadedFile("kh.xlsx", bad)})
    assert response.status_code == 422
    assert "Hoạt động!C2" in response.content.decode()
    client.force_login(editor_b)
    assert client.post("/plans/2026/48/workbook/",
                       {"workbook": SimpleUploadedFile("kh.xlsx", good)}).status_code == 404
    client.force_login(reviewer)
    assert client.post("/plans/2026/48/workbook/",
                       {"workbook": SimpleUploadedFile("kh.xlsx", good)}).status_code == 403


def test_import_plan_command_with_a_workbook(campaign, danang, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "kh.xlsx"
    path.write_bytes(edit(template(campaign, danang), mutate_cell("Hoạt động", "B2", "Tiệc")))
    with pytest.raises(CommandError, match="Hoạt động!B2"):
        call_command("import-plan", str(path), campaign=2026, org="48")
    path.write_bytes(random.Random(3).randbytes(300))
    with pytest.raises(CommandError, match=r"^\(file\): "):
        call_command("import-plan", str(path), campaign=2026, org="48")
    out = tmp_path / "t.xlsx"
    call_command("export-template", campaign=2026, org="48", output=out, stdout=io.StringIO())
    call_command("import-plan", str(out), campaign=2026, org="48", stdout=io.StringIO())
    assert Plan.objects.filter(organisation=danang).exists()


HOSTILE = '=HYPERLINK("http://evil.example/?x","X")'


def formulas_in(raw: bytes) -> list[str]:
    """Every <f> element of every sheet, read from the XML itself (not through openpyxl)."""
    import re

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return [f for name in archive.namelist() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f[ >].*?</f>", archive.read(name).decode())]


def test_text_typed_as_a_formula_stays_text_in_every_workbook(client, campaign, danang,
                                                              editor_a, reviewer, good_plan):
    data = {**good_plan, "summary": "=1+1",
            "contact": {**good_plan["contact"], "name": "@SUM(1)"},
            "activities": [{**good_plan["activities"][0], "title": HOSTILE,
                            "location": "-2+3"}]}
    plan, _ = plan_save_draft(campaign=campaign, organisation=danang, data=data, by=editor_a)
    client.force_login(editor_a)
    own = client.get("/plans/2026/48/workbook.xlsx").content
    client.force_login(reviewer)
    bulk = client.get("/backoffice/2026/bulk.xlsx").content
    for raw in (own, bulk):
        assert formulas_in(raw) == []
        book = load_workbook(io.BytesIO(raw))
        texts = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
        assert {HOSTILE, "=1+1", "@SUM(1)", "-2+3"} <= texts
    # Read back, the text is what was typed (no apostrophe added).
    plan, warnings, changes = plan_import_workbook(campaign=campaign, organisation=danang,
                                                   raw=own, by=editor_a)
    assert changes == [] and plan.draft["activities"][0]["title"] == HOSTILE
    assert plan.draft["summary"] == "=1+1"
