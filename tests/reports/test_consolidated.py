"""The consolidated report: every figure of the DOCX, the PDF and the XLSX, of the campaign page
and of the API, against counts the test makes from the plans it wrote; one snapshot per
generation; the Nghị định 30/2020 checklist on the DOCX and on the PDF."""

import io
import shutil
import subprocess
from collections import Counter

import pdfplumber
import pytest
from django.core.management import call_command
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from dxday.plans.labels import CHOICE_LABELS
from dxday.registry.models import Organisation
from dxday.reports import document, snapshot
from dxday.reports.render import render_docx, render_pdf, render_xlsx, text_width_pt

pytestmark = pytest.mark.django_db
DETAILS = {"number": "12/BC-CĐSQG", "issue_date": None, "addressee": "",
           "extra_recipients": "Bộ trưởng (để b/c)", "signer_authority": "KT. CỤC TRƯỞNG",
           "signer_title": "PHÓ CỤC TRƯỞNG", "signer_name": "Nguyễn Văn Bình",
           "assessment": "Các đơn vị hưởng ứng tích cực.\nMột số đơn vị gửi muộn.",
           "recommendations": "Đề nghị các đơn vị gửi đúng hạn.", "issued": True}


def vi(field: str) -> dict:
    with translation.override("vi"):
        return {code: str(label) for code, label in CHOICE_LABELS[field].items()}


def docx_tables(raw: bytes) -> dict[str, list[list[str]]]:
    """Each data table by its caption ("Bảng N. …"), as rows of cell texts."""
    doc = Document(io.BytesIO(raw))
    body = doc.element.body
    tables, caption = {}, None
    by_element = {t._tbl: t for t in doc.tables}
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text.startswith("Bảng "):
                caption = text
        elif child.tag == qn("w:tbl") and caption:
            table = by_element[child]
            tables[caption] = [[c.text for c in row.cells] for row in table.rows]
            caption = None
    return tables


def as_counts(rows: list[list[str]], *, label_col=1, value_col=-1) -> dict[str, int]:
    return {r[label_col]: int(r[value_col].replace(".", "")) for r in rows[1:]
            if r[label_col] != "Tổng cộng"}


def total_of(rows, col=-1) -> int:
    last = rows[-1]
    assert last[1] == "Tổng cộng"
    return int(last[col].replace(".", ""))


def find(tables: dict, title: str) -> list[list[str]]:
    matches = [rows for caption, rows in tables.items() if caption.endswith(title)]
    assert matches, f"no table {title!r} in {list(tables)}"
    return matches[0]


def check_figures(tables, expected, recipients):
    """The report's tables hold the test's own counts."""
    categories = find(tables, "Hoạt động theo loại hình")
    assert as_counts(categories) == {vi("category")[c]: expected.categories.get(c, 0)
                                     for c in CHOICE_LABELS["category"]}
    assert total_of(categories) == expected.activities
    formats = find(tables, "Hoạt động theo hình thức tổ chức")
    assert as_counts(formats) == {vi("format")[c]: expected.formats.get(c, 0)
                                  for c in CHOICE_LABELS["format"]}
    assert total_of(formats) == expected.activities
    places = find(tables, "Hoạt động theo địa bàn")
    assert total_of(places) == expected.activities
    names = dict(Organisation.objects.filter(code__in=expected.provinces).values_list(
        "code", "name"))
    assert as_counts(places) == {
        names.get(code, "Không gắn với tỉnh, thành phố"): n
        for code, n in expected.provinces.items()}
    beneficiaries = find(tables, "Sáng kiến số theo đối tượng thụ hưởng")
    assert as_counts(beneficiaries) == {vi("beneficiaries")[b]: expected.beneficiaries.get(b, 0)
                                        for b in CHOICE_LABELS["beneficiaries"]}
    sectors = find(tables, "Sáng kiến số theo lĩnh vực")
    named = {s: n for s, n in expected.sectors.items() if s}
    counts = as_counts(sectors)
    assert {k: v for k, v in counts.items() if k != "Chưa ghi lĩnh vực"} == named
    assert counts.get("Chưa ghi lĩnh vực", 0) == expected.sectors.get("", 0)
    assert total_of(sectors) == expected.initiatives
    by_kind = find(tables, "Tình hình gửi kế hoạch theo loại đơn vị")
    assert by_kind[0][1:] == ["Loại đơn vị", *document.UNIT_COLUMNS]
    sent = {"submitted", "accepted", "returned"}
    kinds = {"Bộ": {"ministry"}, "Tỉnh, thành phố": {"province", "city"},
             "Cơ quan ngang bộ, cơ quan thuộc Chính phủ": {"ministerial_agency",
                                                          "government_agency"}}
    rows = {r[1]: [int(v.replace(".", "")) for v in r[2:]] for r in by_kind[1:-1]}
    assert set(rows) == set(kinds)
    for label, kind in kinds.items():  # every row, not only the total
        assert rows[label] == [expected.count(kind=kind), expected.count(kind=kind, state=sent),
                               expected.count(kind=kind, on_time=True),
                               expected.count(kind=kind, on_time=False),
                               expected.count(kind=kind, state={"missing"}),
                               expected.count(kind=kind, state={"accepted"})], label
    total = by_kind[-1]
    assert [int(v) for v in total[2:]] == [
        recipients, expected.count(state={"submitted", "accepted", "returned"}),
        expected.count(on_time=True), expected.count(on_time=False),
        expected.count(state={"missing"}), expected.count(state={"accepted"})]
    provinces = find(tables, "Tình hình gửi kế hoạch theo tỉnh, thành phố")
    assert int(provinces[-1][2]) == expected.count(kind={"province", "city"})
    assert int(provinces[-1][3]) == expected.count(kind={"province", "city"}, state=sent)
    province_names = dict(Organisation.objects.filter(
        code__in=[c for c, u in expected.units.items() if u[3]]).values_list("name", "code"))
    for row in provinces[1:-1]:
        code = province_names[row[1]]
        assert [int(v) for v in row[2:5]] == [
            expected.count(province=code), expected.count(province=code, state=sent),
            expected.count(province=code, on_time=True)], row[1]
    missing = find(tables, "Đơn vị chưa gửi kế hoạch")
    assert len(missing) - 1 == expected.count(state={"missing"})
    assert [r[0] for r in missing[1:]] == [str(i) for i in range(1, len(missing))]  # STT


@pytest.fixture
def taken(mixed, campaign):
    return snapshot.take(campaign)


def test_docx_figures_are_the_rows_counts(taken, mixed, campaign):
    raw = render_docx(document.build(taken, DETAILS))
    check_figures(docx_tables(raw), mixed, campaign.recipients.count())
    text = "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs)
    assert f"Tổng số hoạt động đã công bố: {mixed.activities} (chi tiết tại Phụ lục II" in text


def pdf_tables(raw: bytes):
    """The PDF's tables by the caption just above them; a table with no caption above it,
    at the top of a page, continues the previous one (its repeated header row is dropped and
    counted: every page a table runs onto must repeat it)."""
    tables, repeats, current = {}, Counter(), None
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        for page in pdf.pages:
            captions = [(line["top"], line["text"]) for line in page.extract_text_lines()
                        if line["text"].startswith("Bảng ")]
            for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
                rows = [[(c or "").replace("\n", " ") for c in row] for row in table.extract()]
                above = [text for top, text in captions if 0 < table.bbox[1] - top < 40]
                if above:
                    current = above[-1]
                    tables[current] = rows
                else:
                    assert current is not None, "a table without a caption"
                    header = tables[current][0]
                    repeats[current] += rows[0] == header
                    tables[current].extend(rows[1:] if rows[0] == header else rows)
    return tables, repeats


def test_pdf_figures_are_the_rows_counts_and_headers_repeat(taken, mixed, campaign):
    raw = render_pdf(document.build(taken, DETAILS))
    tables, repeats = pdf_tables(raw)
    check_figures(tables, mixed, campaign.recipients.count())
    assert sum(repeats.values()) >= 1, "a table runs over a page and repeats its header"


def test_xlsx_annexes_hold_the_rows_with_dates_as_dates(taken, mixed, campaign):
    import datetime

    book = load_workbook(io.BytesIO(render_xlsx(taken, {**DETAILS, "issue_date":
                                                         datetime.date(2026, 10, 15)})))
    assert book.sheetnames == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    units, activities, initiatives = (book[n] for n in book.sheetnames)
    for sheet, numeral in ((units, "I"), (activities, "II"), (initiatives, "III")):
        assert sheet["A1"].value == f"Phụ lục {numeral}"
        assert sheet["A3"].value == ("(Kèm theo Báo cáo số 12/BC-CĐSQG ngày 15/10/2026 của Cục "
                                     "Chuyển đổi số quốc gia)")
        assert sheet["A4"].value == "STT" and sheet.freeze_panes == "A5"
    assert units.max_row - 4 == campaign.recipients.count()
    states = Counter(row[5] for row in units.iter_rows(min_row=5, values_only=True))
    assert states["Chưa gửi"] == mixed.count(state={"missing"})
    assert activities.max_row - 4 == mixed.activities
    header = [c.value for c in activities[4]]
    assert header[3] == "Tên hoạt động" and "category" not in header
    rows = list(activities.iter_rows(min_row=5, values_only=True))
    assert sorted(r[3] for r in rows) == sorted(mixed.activity_titles)
    assert Counter(r[4] for r in rows) == Counter(
        {vi("category")[c]: n for c, n in mixed.categories.items()})
    assert Counter(r[5] for r in rows) == Counter(
        {vi("format")[c]: n for c, n in mixed.formats.items()})
    assert all(isinstance(r[6], datetime.datetime) for r in rows), "dates are date cells"
    assert activities.cell(5, 7).number_format.lower() == "dd/mm/yyyy"
    assert initiatives.max_row - 4 == mixed.initiatives
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))


def test_campaign_page_and_api_show_the_same_counts(client, mixed, campaign):
    page = client.get(f"/campaigns/{campaign.year}/")
    assert page.status_code == 200
    context = page.context
    assert context["activities_count"] == mixed.activities
    assert {b["key"]: b["count"] for b in context["by_category"]} == {
        c: mixed.categories.get(c, 0) for c in CHOICE_LABELS["category"]}
    assert {b["key"]: b["count"] for b in context["by_beneficiary"]} == {
        b: mixed.beneficiaries.get(b, 0) for b in CHOICE_LABELS["beneficiaries"]}
    assert context["answered"] == mixed.count(state={"submitted", "accepted", "returned"})
    assert context["on_time"] == mixed.count(on_time=True)
    api = client.get(f"/api/v1/campaigns/{campaign.year}/figures").json()
    assert api["activities_by_category"] == {c: n for c, n in mixed.categories.items()}
    assert api["activities_by_format"] == dict(mixed.formats)
    assert api["activities_by_province"] == dict(mixed.provinces)
    assert api["initiatives_by_beneficiary"] == dict(mixed.beneficiaries)
    assert api["initiatives_by_sector"] == dict(mixed.sectors)
    assert (api["recipients"], api["submitted"], api["late"], api["missing"]) == (
        campaign.recipients.count(), mixed.count(state={"submitted", "accepted", "returned"}),
        mixed.count(on_time=False), mixed.count(state={"missing"}))
    by_kind = {g["key"]: g for g in api["by_kind"]}
    assert by_kind["ministries"]["expected"] == mixed.count(kind={"ministry"})
    assert by_kind["provinces"]["submitted"] == mixed.count(
        kind={"province", "city"}, state={"submitted", "accepted", "returned"})
    assert sum(p["expected"] for p in api["by_province"]) == mixed.count(
        kind={"province", "city"})
    assert {g["kind"]: g["counts"].expected for g in context["groups"]} == {
        k: g["expected"] for k, g in by_kind.items()}
    recipients = client.get(f"/api/v1/campaigns/{campaign.year}/recipients",
                            {"limit": 1000}).json()["items"]
    assert Counter(r["status"] for r in recipients)["not_submitted"] == api["missing"]


def test_snapshot_is_kept_and_renders_the_same_figures_later(client, reviewer, mixed,
                                                            campaign, good_plan,
                                                            django_capture_on_commit_callbacks):
    from dxday.reports.models import ReportGeneration
    from tests.opendata.conftest import publish

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/{campaign.year}/reports/", {})
    generation = ReportGeneration.objects.get()
    assert generation.status == "done" and generation.snapshot
    first = docx_tables(generation.docx.open("rb").read())
    # More data arrives; the draft is edited and rendered again from its own snapshot.
    org = next(o for o in campaign.recipients.order_by("code")
               if mixed.units[o.code][1] == "missing")
    publish(campaign, org.code, good_plan, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/backoffice/reports/{generation.pk}/",
                               {"action": "save", "signer_name": "Trần Thị C"})
    assert response.status_code == 302
    generation.refresh_from_db()
    assert generation.status == "done"
    again = docx_tables(generation.docx.open("rb").read())
    assert again == first
    text = "\n".join(p.text for t in Document(generation.docx.open("rb")).tables
                     for row in t.rows for c in row.cells for p in c.paragraphs)
    assert "Trần Thị C" in text
    # The XLSX of the same generation agrees with its DOCX, not with the live data.
    book = load_workbook(generation.xlsx.open("rb"))
    assert book["Phụ lục II"].max_row - 4 == mixed.activities


def test_draft_then_issued_then_immutable(client, reviewer, mixed, campaign,
                                          django_capture_on_commit_callbacks):
    from dxday.reports.models import ReportGeneration

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/{campaign.year}/reports/", {})
    generation = ReportGeneration.objects.get()
    url = f"/backoffice/reports/{generation.pk}/"
    refused = client.post(url, {"action": "issue", "number": "abc", "issue_date": "31/02/2026",
                                "signer_title": "", "signer_name": "", "assessment": "",
                                "recommendations": ""})
    assert refused.status_code == 422
    errors = refused.context["errors"]  # every problem at once, the bad date among them
    assert set(errors) == {"number", "issue_date", "signer_title", "signer_name", "assessment",
                           "recommendations"}
    assert "dd/mm/yyyy" in errors["issue_date"]
    refused = client.post(url, {"action": "issue", "number": "abc", "issue_date": "",
                                "signer_title": "", "signer_name": "", "assessment": "",
                                "recommendations": ""})
    assert set(refused.context["errors"]) == {"number", "issue_date", "signer_title",
                                              "signer_name", "assessment", "recommendations"}
    assert 'href="#number"' in refused.content.decode()
    generation.refresh_from_db()
    assert not generation.issued
    issue = {"action": "issue", "number": "15/BC-CĐSQG", "issue_date": "05/10/2027",
             "signer_authority": "KT. Cục trưởng", "signer_title": "Phó Cục trưởng",
             "signer_name": "Nguyễn Văn Bình", "assessment": "Kết quả tốt.",
             "recommendations": "Tiếp tục.", "addressee": "Bộ trưởng Bộ Khoa học và Công nghệ"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, issue).status_code == 302
    generation.refresh_from_db()
    assert generation.issued and generation.status == "done"
    pdf = generation.pdf.open("rb").read()
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = "\n".join(p.extract_text() for p in opened.pages)
    assert "Số: 15/BC-CĐSQG" in text and "ngày 05 tháng 10 năm 2027" in text
    assert "KT. CỤC TRƯỞNG" in text and "Nguyễn Văn Bình" in text
    assert "Kính gửi: Bộ trưởng Bộ Khoa học và Công nghệ." in text and "- Như trên;" in text
    files = {f: getattr(generation, f).name for f in ("docx", "pdf", "xlsx", "snapshot")}
    again = client.post(url, {"action": "save", "signer_name": "Người khác"})
    assert again.status_code == 409
    assert "đã ban hành" in again.content.decode()
    generation.refresh_from_db()
    assert generation.signer_name == "Nguyễn Văn Bình"
    assert {f: getattr(generation, f).name for f in files} == files
    # The number is used: another draft cannot be issued under it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/{campaign.year}/reports/", {})
    other = ReportGeneration.objects.exclude(pk=generation.pk).get()
    clash = client.post(f"/backoffice/reports/{other.pk}/", issue)
    assert clash.status_code == 422 and "number" in clash.context["errors"]


def test_two_requests_at_once_make_one_generation(reviewer, campaign):
    from dxday.reports.models import ReportGeneration
    from dxday.reports.services import report_request

    first = report_request(campaign=campaign, by=reviewer)
    second = report_request(campaign=campaign, by=reviewer)  # the worker has not started
    assert first.pk == second.pk
    assert ReportGeneration.objects.count() == 1


def test_a_campaign_with_no_plans_reports_zeros(campaign):
    data = snapshot.take(campaign)
    report = document.build(data, {})
    texts = [b.text for b in report.blocks if b.kind == "paragraph"]
    assert "Chưa có hoạt động nào được công bố." in texts
    assert "Chưa có sáng kiến số nào được công bố." in texts
    raw = render_docx(report)
    tables = docx_tables(raw)
    by_kind = find(tables, "Tình hình gửi kế hoạch theo loại đơn vị")
    assert by_kind[-1][3] == "0"  # nothing sent
    assert render_pdf(report).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(render_xlsx(data, {})))
    assert book["Phụ lục II"].max_row == 4  # the header, no rows


def test_hostile_text_stays_text(taken):
    hostile = {**DETAILS, "number": "=HYPERLINK(\"http://evil.example\")",
               "signer_name": "<script>alert(1)</script>",
               "assessment": "=1+2\n<b>đậm</b> & “ngoặc”", "addressee": "@SUM(A1)"}
    report = document.build(taken, hostile)
    raw = render_docx(report)
    doc = Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "<b>đậm</b> & “ngoặc”" in text  # as typed, not markup
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "<script>alert(1)</script>" in pdf_text and "<b>đậm</b>" in pdf_text
    taken["annexes"]["activities"][0][2] = '=HYPERLINK("http://evil.example/?x","X")'
    taken["annexes"]["initiatives"][0][2] = "@SUM(A1:A9)"
    book = load_workbook(io.BytesIO(render_xlsx(taken, hostile)))
    title = book["Phụ lục II"]["D5"]
    assert title.data_type == "s" and title.value == "'=HYPERLINK(\"http://evil.example/?x\",\"X\")"
    assert book["Phụ lục III"]["D5"].value == "'@SUM(A1:A9)"
    line = book["Phụ lục I"]["A3"]
    assert line.data_type == "s" and 'Báo cáo số =HYPERLINK("http://evil' in line.value


def test_report_command_with_signer(mixed, campaign, tmp_path):
    out = tmp_path / "bao-cao.docx"
    call_command("report", campaign=campaign.year, format="docx", output=out,
                 signer_authority="KT. CỤC TRƯỞNG", signer_title="PHÓ CỤC TRƯỞNG",
                 signer_name="Lê Văn Dũng", stdout=io.StringIO())
    doc = Document(out)
    sign = doc.tables[-1]
    assert [p.text for p in sign.cell(0, 1).paragraphs if p.text] == [
        "KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Lê Văn Dũng"]
    check_figures(docx_tables(out.read_bytes()), mixed, campaign.recipients.count())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make")
def test_word_user_sees_one_line_quoc_hieu_and_a_whole_signer_block(taken, tmp_path):
    """What a Word user sees: LibreOffice opens the DOCX and prints it to PDF."""
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(render_docx(document.build(taken, DETAILS)))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "bao-cao.pdf") as pdf:
        first = pdf.pages[0].extract_text().splitlines()
        assert any(line.strip().endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
                   for line in first), first[:4]
        # The header's other lines are not wrapped either (each on one line of its own).
        assert any("CỤC CHUYỂN ĐỔI SỐ QUỐC GIA" in line for line in first), first[:4]
        assert any(line.strip().endswith("Độc lập - Tự do - Hạnh phúc") for line in first)
        words = pdf.pages[0].extract_words()
        stt = [w for w in words if w["text"] in ("STT", "ST")]
        assert stt and stt[0]["text"] == "STT", "the STT header fits its column"
        pages = [p.extract_text() for p in pdf.pages]
    where = {needle: [i for i, text in enumerate(pages) if needle in text]
             for needle in ("PHÓ CỤC TRƯỞNG", "Nguyễn Văn Bình", "Nơi nhận:", "của Cục Chuyển "
                            "đổi số quốc gia./.")}
    assert where["PHÓ CỤC TRƯỞNG"] == where["Nguyễn Văn Bình"] == where["Nơi nhận:"]
    assert where["của Cục Chuyển đổi số quốc gia./."][-1] == where["Nơi nhận:"][0]
    assert len(where["Nguyễn Văn Bình"]) == 1
    assert len(pages) > 1 and pages[1].splitlines()[0].strip() == "2"  # numbered from page 2
    assert pages[0].splitlines()[0].strip() != "1"


def test_checklist_on_the_docx(taken):
    raw = render_docx(document.build(taken, {**DETAILS, "addressee": ""}))
    doc = Document(io.BytesIO(raw))
    section = doc.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    head = doc.tables[0]
    left, right = head.cell(0, 0), head.cell(0, 1)
    quoc_hieu, tieu_ngu = right.paragraphs[0], right.paragraphs[1]
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert quoc_hieu.runs[0].bold and 12 <= quoc_hieu.runs[0].font.size.pt <= 13
    cell_pt = right.width.pt
    assert text_width_pt(quoc_hieu.text, quoc_hieu.runs[0].font.size.pt, bold=True) < cell_pt
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc"
    assert tieu_ngu.runs[0].bold and 13 <= tieu_ngu.runs[0].font.size.pt <= 14
    rule_under = right.paragraphs[2]  # a paragraph of its own: the motto keeps its width
    assert not rule_under.text and rule_under._p.pPr.find(qn("w:pBdr")) is not None
    assert tieu_ngu.paragraph_format.left_indent is None
    fmt = rule_under.paragraph_format
    rule = cell_pt - fmt.left_indent.pt - fmt.right_indent.pt
    text = text_width_pt(tieu_ngu.text, tieu_ngu.runs[0].font.size.pt, bold=True)
    assert abs(rule - text) < 2, "the rule is as long as the motto"
    assert left.paragraphs[0].text == left.paragraphs[0].text.upper()
    agency = left.paragraphs[1]
    assert agency.text == "CỤC CHUYỂN ĐỔI SỐ QUỐC GIA" and agency.runs[0].bold
    assert left.paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None
    assert head.cell(1, 0).text == "Số: 12/BC-CĐSQG"
    date = head.cell(1, 1).paragraphs[0]
    assert date.runs[0].italic and 13 <= date.runs[0].font.size.pt <= 14
    paragraphs = doc.paragraphs
    kind_at = next(i for i, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    title = paragraphs[kind_at + 1]
    assert title.runs[0].bold and not title.text.lower().startswith("báo cáo")
    assert paragraphs[kind_at + 2]._p.pPr.find(qn("w:pBdr")) is not None  # rule under it
    body = [p for p in paragraphs if p.text.startswith(("Thực hiện", "Tổng số", "Trên đây"))]
    assert body and all(p.alignment == 3 and p.paragraph_format.first_line_indent.mm >= 10
                        for p in body)  # justified, first-line indent
    assert doc.styles["Normal"].font.size.pt == 14
    opening = body[0].text
    assert "505/QĐ-TTg ngày 22/04/2022 của Thủ tướng Chính phủ" in opening
    assert "4644" not in opening, "2026 cites its own legal basis"
    assert " giờ " in opening and " phút ngày " in opening
    headings = [p.text for p in paragraphs if p.text[:3] in ("I. ", "II.", "III", "IV.", "V. ",
                                                             "VI.")]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI"]
    captions = [p.text for p in paragraphs if p.text.startswith("Bảng ")]
    assert [c.split(".")[0] for c in captions] == [f"Bảng {i}" for i in
                                                   range(1, len(captions) + 1)]
    for table in doc.tables[1:-1]:
        first_row = table.rows[0]
        assert first_row.cells[0].text == "STT"
        assert first_row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "Phụ lục I" in "\n".join(p.text for p in paragraphs)
    sign = doc.tables[-1]
    assert sign.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    recipients = [p.text for p in sign.cell(0, 0).paragraphs]
    assert recipients[0] == "Nơi nhận:" and "- Như trên;" not in recipients
    assert recipients[-1] == "- Lưu: VT, CĐSQG."


def test_checklist_on_the_pdf(taken):
    raw = render_pdf(document.build(taken, DETAILS))
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["size", "fontname"])
        quoc = [w for w in words if w["text"] in ["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"]
                and w["top"] < 100]
        assert len({round(w["top"]) for w in quoc}) == 1, "the Quốc hiệu is one line"
        assert all(11.9 <= w["size"] <= 13.1 and "Bold" in w["fontname"] for w in quoc)
        motto = [w for w in words if w["text"] in ("Độc", "Hạnh", "phúc") and w["top"] < 100]
        assert all(12.9 <= w["size"] <= 14.1 for w in motto)
        left, right = min(w["x0"] for w in motto), max(w["x1"] for w in motto)
        bottom = max(w["bottom"] for w in motto)
        rules = [e for e in page.edges if e["orientation"] == "h"
                 and 0 < e["top"] - bottom < 8]
        assert any(abs(e["x0"] - left) < 3 and abs(e["x1"] - right) < 3 for e in rules), (
            "a rule as long as the motto, under it")
        date = [w for w in words if w["text"] == "ngày" and w["top"] < 150]
        assert date and "Italic" in date[0]["fontname"] and 12.9 <= date[0]["size"] <= 14.1
        number = [w for w in words if w["text"] == "Số:"]
        assert number and 12.9 <= number[0]["size"] <= 14.1
        text = page.extract_text()
        assert page.extract_text().splitlines()[0].strip() != "1", "no number on page 1"
        assert len(pdf.pages) > 1
        second = pdf.pages[1].extract_words()
        top_word = min(second, key=lambda w: w["top"])
        assert top_word["text"] == "2" and abs((top_word["x0"] + top_word["x1"]) / 2 - (
            pdf.pages[1].width - 15 * 72 / 25.4 + 30 * 72 / 25.4) / 2) < 10, "centred"
        pages = [p.extract_text() for p in pdf.pages]
    assert "BÁO CÁO\nTổng hợp kết quả triển khai" in text
    signer = [i for i, t in enumerate(pages) if "PHÓ CỤC TRƯỞNG" in t]
    assert signer == [i for i, t in enumerate(pages) if "Nguyễn Văn Bình" in t] == [
        i for i, t in enumerate(pages) if "Nơi nhận:" in t]
    whole = "\n".join(pages)
    for heading in ("I. TÌNH HÌNH GỬI KẾ HOẠCH", "II. HOẠT ĐỘNG", "III. SÁNG KIẾN SỐ",
                    "IV. TRUYỀN THÔNG VÀ HIỂN THỊ BỘ NHẬN DIỆN", "V. ĐÁNH GIÁ",
                    "VI. KIẾN NGHỊ, ĐỀ XUẤT"):
        assert heading in whole
    assert "Một số đơn vị gửi muộn." in whole and "Bảng 1. " in whole


def test_typed_text_is_stored_as_unicode_nfc(client, reviewer, campaign,
                                             django_capture_on_commit_callbacks):
    import unicodedata

    from dxday.reports.models import ReportGeneration

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/{campaign.year}/reports/", {})
    generation = ReportGeneration.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/backoffice/reports/{generation.pk}/", {
            "action": "save", "signer_name": unicodedata.normalize("NFD", "Nguyễn Thị Hà"),
            "assessment": "ChuyÓn ®æi sè quèc gia",  # a TCVN3 font: kept (issue 16)
            "number": "1/BC-CĐSQG\x07"})
    assert response.status_code == 302
    generation.refresh_from_db()
    assert generation.signer_name == "Nguyễn Thị Hà"  # NFC
    assert generation.assessment == "ChuyÓn ®æi sè quèc gia"  # only workbooks convert
    assert generation.number == "1/BC-CĐSQG"
    too_long = client.post(f"/backoffice/reports/{generation.pk}/",
                           {"action": "save", "signer_name": "x" * 200})
    assert too_long.status_code == 422 and "signer_name" in too_long.context["errors"]
    generation.refresh_from_db()
    assert generation.signer_name == "Nguyễn Thị Hà"  # nothing changed
