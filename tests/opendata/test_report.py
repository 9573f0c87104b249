"""The consolidated report: figures equal to the API's, ND 30/2020 layout, three formats,
generations in the background, each compared with the previous one."""

import io

import pytest
from django.core.management import CommandError, call_command

from dxday.campaigns.models import Campaign
from dxday.reports import document, snapshot
from dxday.reports.render import render_docx, render_pdf, render_xlsx


def report_content(campaign, **details):
    return document.build(snapshot.take(campaign), details)

pytestmark = pytest.mark.django_db


def api_figures(client, year):
    recipients = client.get(f"/api/v1/campaigns/{year}/recipients", {"limit": 1000}).json()
    statuses = [r["status"] for r in recipients["items"]]
    return {
        "recipients": recipients["count"],
        "responded": sum(s != "not_submitted" for s in statuses),
        "on_time": sum(r["on_time"] is True for r in recipients["items"]),
        "late": sum(r["on_time"] is False for r in recipients["items"]),
        "missing": statuses.count("not_submitted"),
        "accepted": statuses.count("accepted"),
        "activities": client.get(f"/api/v1/campaigns/{year}/activities").json()["count"],
        "initiatives": client.get(f"/api/v1/campaigns/{year}/initiatives").json()["count"],
    }


def test_figures_equal_the_api(client, published):
    assert snapshot.take(published)["figures"] == api_figures(client, 2026)
    old = Campaign.objects.get(year=2022)
    assert snapshot.take(old)["figures"] == api_figures(client, 2022)


def test_docx_follows_decree_30(published):
    from docx import Document

    content = report_content(published, number="12/BC-CĐSQG")
    assert isinstance(content, document.Report)
    opened = Document(io.BytesIO(render_docx(content)))
    section = opened.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)]
    assert margins == [20, 20, 30, 15]  # ND 30/2020: 20–25, 20–25, 30–35, 15–20 mm
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    text = "\n".join(p.text for p in opened.paragraphs)
    cells = "\n".join(c.text for t in opened.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Độc lập - Tự do - Hạnh phúc" in cells
    assert "Số: 12/BC-CĐSQG" in cells and "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in cells
    assert "Nơi nhận:" in cells
    assert "BÁO CÁO" in text
    assert "Tổng số hoạt động đã công bố: 3 (chi tiết tại Phụ lục II kèm theo)." in text
    assert "- Ví điện tử công dân (Thành phố Đà Nẵng): https://danang.example.vn/vi." in text
    assert "{{" not in text + cells and "{%" not in text + cells


def test_pdf_follows_decree_30_with_fonts_embedded(published):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(report_content(published))))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = "".join(p.extract_text() for p in reader.pages)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Nơi nhận",
                   "Đắk Lắk" if "Đắk Lắk" in text else "Tổng số đơn vị nhận: 56"):
        assert phrase in text.replace("\n", " ")
    fonts = {str(f["/BaseFont"]) for p in reader.pages
             for f in p["/Resources"]["/Font"].values()}
    assert any("Liberation-Serif" in f for f in fonts)
    for p in reader.pages:
        for f in p["/Resources"]["/Font"].values():
            descriptor = f["/DescendantFonts"][0]["/FontDescriptor"] if "/DescendantFonts" in f \
                else f.get("/FontDescriptor")
            assert "/FontFile2" in descriptor, "fonts are embedded"


def test_xlsx_annexes_hold_the_api_rows(client, published):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_xlsx(snapshot.take(published), {})))
    assert len(book.sheetnames) == 3
    recipients, activities, initiatives = (book[name] for name in book.sheetnames)
    assert recipients.max_row - 4 == 56 and activities.max_row - 4 == 3
    assert initiatives.max_row - 4 == 2
    assert all(sheet.freeze_panes == "A5" and sheet.auto_filter.ref
               for sheet in (recipients, activities, initiatives))
    api = client.get("/api/v1/campaigns/2026/activities").json()["items"]
    assert [row[1].value for row in activities.iter_rows(min_row=5)] == [a["id"] for a in api]


def test_generation_in_the_background_and_its_comparison(client, reviewer, published,
                                                         good_plan,
                                                         django_capture_on_commit_callbacks):
    from dxday.reports.models import ReportGeneration
    from tests.opendata.conftest import publish

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/backoffice/2026/reports/", {"number": "7/BC-CĐSQG"})
    first = ReportGeneration.objects.get()
    assert response["Location"] == f"/backoffice/reports/{first.pk}/"
    assert (first.status, first.progress) == ("done", 100)
    assert first.docx and first.pdf and first.xlsx
    assert first.figures["activities"] == 3
    download = client.get(f"/backoffice/reports/{first.pk}/pdf/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    publish(published, "BTC", good_plan, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/backoffice/2026/reports/", {"number": "8/BC-CĐSQG"})
    second = ReportGeneration.objects.order_by("-pk").first()
    page = client.get(f"/backoffice/reports/{second.pk}/")
    delta = {str(key): change for key, _old, _new, change in page.context["delta"]}
    assert delta["Hoạt động đã công bố"] == 1 and delta["Kế hoạch đã gửi"] == 1
    assert first.pk in [g.pk for g in ReportGeneration.objects.all()]  # every generation kept


def test_report_command(published, tmp_path):
    out = tmp_path / "bao-cao.docx"
    call_command("report", campaign=2026, format="docx", output=out, stdout=io.StringIO())
    assert out.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="1999"):
        call_command("report", campaign=1999, format="pdf", output=tmp_path / "x.pdf")
