"""The results report ("Báo cáo kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm Y"):
results of several units made through the services, the report generated, and every figure of
its DOCX, PDF and XLSX compared with counts the test makes from the rows it wrote; the snapshot
kept and frozen once issued; hostile unit names kept as text; the Nghị định 30/2020 parts."""

import dataclasses
import datetime
import io
import random
import shutil
import subprocess
from collections import Counter

import pdfplumber
import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from dxday.plans.labels import CHOICE_LABELS
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from dxday.reports import results_report, snapshot
from dxday.reports.models import ReportGeneration
from dxday.reports.render import render_docx, render_pdf
from dxday.reports.services import report_request
from dxday.results.models import Result
from dxday.results.services import (
    results_for_update,
    results_review,
    results_save_draft,
    results_submit,
)
from tests.reports.test_consolidated import as_counts, docx_tables, find, pdf_tables, total_of

pytestmark = pytest.mark.django_db
DETAILS = {"number": "21/BC-CĐSQG", "issue_date": datetime.date(2026, 12, 10), "addressee": "",
           "extra_recipients": "Bộ trưởng (để b/c)", "signer_authority": "KT. CỤC TRƯỞNG",
           "signer_title": "PHÓ CỤC TRƯỞNG", "signer_name": "Nguyễn Văn Bình",
           "assessment": "Các đơn vị tổ chức nhiều hoạt động thiết thực.",
           "recommendations": "Đề nghị các đơn vị duy trì các nền tảng số.", "issued": True}
HOSTILE = '=HYPERLINK("http://evil.example/?x","Xem")<script>alert(1)</script> & “Sở”'
CATEGORIES = ["conference", "exhibition", "communication", "launch", "digital_skills"]
STATUSES = ["held", "held", "changed", "not_held"]


@pytest.fixture
def after_window(campaign):
    """The 2026 campaign after its window, results due in five days (as tests/results')."""
    campaign.results_deadline = timezone.now() + datetime.timedelta(days=5)
    campaign.save()
    return campaign


def vi(field: str) -> dict:
    with translation.override("vi"):
        return {code: str(label) for code, label in CHOICE_LABELS[field].items()}


@dataclasses.dataclass
class Expected:
    """What the test wrote, row by row; the figures are counted from these rows."""
    recipients: int
    units: dict = dataclasses.field(default_factory=dict)  # code → (state, on_time)
    plan_activities: list = dataclasses.field(default_factory=list)  # (org, category, province)
    plan_initiatives: list = dataclasses.field(default_factory=list)  # org
    outcomes: list = dataclasses.field(default_factory=list)  # dicts of accepted results' rows
    initiatives: list = dataclasses.field(default_factory=list)  # accepted initiative rows
    communications: Counter = dataclasses.field(default_factory=Counter)
    display_urls: int = 0

    def held(self, *, status=None, added=None, category=None, province=None, org=None):
        return [o for o in self.outcomes
                if (status is None or o["status"] in status)
                and (added is None or (o["planned"] is None) == added)
                and (category is None or o["category"] == category)
                and (province is None or o["province"] == province)
                and (org is None or o["org"] == org)]

    @staticmethod
    def people(rows) -> int:
        return sum((o["participants_in_person"] or 0) + (o["participants_online"] or 0)
                   for o in rows)


def _plan(rng, index, provinces) -> dict:
    activities = [{"title": f"Hoạt động {index}-{j}", "category": rng.choice(CATEGORIES),
                   "start": f"2026-10-{1 + j % 9:02d}", "end": f"2026-10-{2 + j % 9:02d}",
                   "location": "Hội trường", "province": provinces[(index + j) % 3],
                   "format": "in_person", "audience": "", "description": "", "url": ""}
                  for j in range(3 + 2 * index)]
    initiatives = [{"name": f"Nền tảng {index}-{j}", "description": "",
                    "beneficiaries": ["citizens"], "sector": "Dịch vụ công",
                    "url": f"https://nen-tang{index}.example.vn/{j}", "launch_date": "2026-10-10"}
                   for j in range(1 + index % 3)]
    return {"summary": "Kế hoạch", "contact": {"name": "A", "position": "B",
                                                 "phone": "0236 3822 111",
                                                 "email": "a@example.vn"},
            "activities": activities, "initiatives": initiatives,
            "communications": [{"title": "Phóng sự", "channel": "tv", "url": "", "date": ""}],
            "display_urls": [{"url": f"https://donvi{index}.example.vn/", "kind": "portal"}]}


def _results(rng, draft: dict, index: int) -> dict:
    data = {**draft, "summary": "Đã tổ chức các hoạt động hưởng ứng."}
    rows = []
    for j, row in enumerate(draft["activities"]):
        status = STATUSES[(index + j) % len(STATUSES)]
        rows.append({**row, "status": status,
                     "reason": "Dời lịch" if status != "held" else "",
                     "start": row["start"] or "2026-10-05",
                     "participants_in_person": None if status == "not_held" else rng.randint(
                         20, 900),
                     "participants_online": None if status == "not_held" else rng.choice(
                         [None, rng.randint(100, 20000)]),
                     "views": rng.randint(0, 5000), "reach_source": "Cổng thông tin"})
    rows.append({"planned": None, "title": f"Ngày hội số {index}", "category": "digital_skills",
                 "status": "held", "start": "2026-10-08", "format": "in_person",
                 "province": draft["activities"][0]["province"],
                 "participants_in_person": 50 + index,
                 "evidence": [f"https://donvi{index}.example.vn/tin/{index}"]})
    data["activities"] = rows
    data["initiatives"] = [
        {**row, "launched": "no" if (index + j) % 3 == 2 else "yes",
         "reason": "Chưa hoàn thiện" if (index + j) % 3 == 2 else "",
         "usage_measure": "users", "usage_value": 1000 * (index + 1) + j,
         "usage_date": "2026-10-31"}
        for j, row in enumerate(draft["initiatives"])]
    data["initiatives"].append({"planned": None, "name": f"Ứng dụng mới {index}",
                                "launched": "yes", "launch_date": "2026-10-12",
                                "usage_measure": "downloads", "usage_value": 300 + index})
    data["communications"] = [*draft["communications"],
                              {"title": "Bài viết", "channel": "press", "url": "", "date": ""}]
    return data


@pytest.fixture
def several(after_window, reviewer):
    """Seven units with plans: three with results accepted (one late, one a ministry's with a
    hostile name), one submitted and
    waiting, one returned, one with its plan accepted and no results; one whose plan is
    not accepted (its results cannot start); the other recipients sent nothing."""
    campaign = after_window
    rng = random.Random(18)
    recipients = list(campaign.recipients.order_by("code"))
    provincial = [o for o in recipients if o.kind in ("province", "city")]
    central = [o for o in recipients if o.kind not in ("province", "city")]
    # A ministry among the accepted ones: its activities take place in provinces.
    units = [provincial[0], provincial[1], central[0], provincial[2], central[1], central[2],
             provincial[3]]
    provinces = [o.code for o in provincial[:3]]
    expected = Expected(recipients=len(recipients))
    outcome = ["accept", "accept-late", "accept", "submitted", "returned", "none", "no-plan"]
    late = campaign.results_deadline + datetime.timedelta(hours=2)
    for index, (org, what) in enumerate(zip(units, outcome, strict=True)):
        plan_data = _plan(rng, index, provinces)
        plan_save_draft(campaign=campaign, organisation=org, data=plan_data, by=None)
        plan = plan_submit(campaign=campaign, organisation=org, by=None)
        if what == "no-plan":
            expected.units[org.code] = ("not_ready", None)
            continue
        plan_review(plan=plan, by=reviewer, decision="accept")
        expected.plan_activities += [(org.code, a["category"], a["province"])
                                     for a in plan_data["activities"]]
        expected.plan_initiatives += [org.code] * len(plan_data["initiatives"])
        if what == "none":
            expected.units[org.code] = ("missing", None)
            continue
        draft = results_for_update(campaign=campaign, organisation=org, by=None).draft
        data = _results(rng, draft, index)
        results_save_draft(campaign=campaign, organisation=org, data=data, by=None)
        result = results_submit(campaign=campaign, organisation=org, by=None,
                                now=late if what == "accept-late" else None)
        on_time = what != "accept-late"
        if what == "returned":
            results_review(result=result, by=reviewer, decision="return", comment="Bổ sung")
            expected.units[org.code] = ("returned", on_time)
            continue
        if what == "submitted":
            expected.units[org.code] = ("submitted", on_time)
            continue
        results_review(result=result, by=reviewer, decision="accept")
        expected.units[org.code] = ("accepted", on_time)
        stored = result.versions.order_by("-number").first().data
        expected.outcomes += [{**a, "org": org.code} for a in stored["activities"]]
        expected.initiatives += [{**i, "org": org.code} for i in stored["initiatives"]]
        expected.communications.update(c["channel"] for c in stored["communications"])
        expected.display_urls += len(stored["display_urls"])
    # A unit's name as someone hostile might have typed it: text in every file, never markup
    # or a formula.
    Organisation.objects.filter(code=central[0].code).update(name=HOSTILE)
    Organisation.objects.filter(code=central[-1].code).update(name=HOSTILE + " 2")  # no results
    assert len({o["status"] for o in expected.outcomes}) == 3
    return expected


@pytest.fixture
def taken(several, after_window):
    return snapshot.take_results(after_window)


def _n(text: str) -> int:
    return int(text.replace(".", ""))


def check_figures(tables: dict, expected: Expected, campaign) -> None:
    """Every table of the report against the test's own counts."""
    states = Counter(state for state, _on_time in expected.units.values())
    sent = states["submitted"] + states["returned"] + states["accepted"]
    units = as_counts(find(tables, "Tình hình gửi báo cáo kết quả"))
    assert units == {
        "Đơn vị phải báo cáo": expected.recipients,
        "Kế hoạch đã được chấp nhận": sum(1 for s, _t in expected.units.values()
                                          if s != "not_ready"),
        "Đã gửi báo cáo kết quả": sent,
        "- Gửi đúng hạn": sum(1 for _s, t in expected.units.values() if t is True),
        "- Gửi muộn": sum(1 for _s, t in expected.units.values() if t is False),
        "Chưa gửi báo cáo kết quả": expected.recipients - sent,
        # Never asked for a plan's acceptance, or not accepted: results cannot start.
        "- Trong đó kế hoạch chưa được chấp nhận": expected.recipients - sum(
            1 for s, _t in expected.units.values() if s != "not_ready"),
        "Báo cáo kết quả bị trả lại để bổ sung": states["returned"],
        "Báo cáo kết quả đã được chấp nhận": states["accepted"]}
    planned = len(expected.plan_activities)
    held = expected.held(status={"held"}, added=False)
    changed = expected.held(status={"changed"}, added=False)
    cancelled = expected.held(status={"not_held"}, added=False)
    added = expected.held(added=True)
    activities = as_counts(find(tables, "Hoạt động theo kế hoạch và kết quả thực hiện"))
    assert activities == {
        "Hoạt động theo kế hoạch": planned, "- Đã tổ chức theo kế hoạch": len(held),
        "- Đã tổ chức, có thay đổi": len(changed), "- Không tổ chức": len(cancelled),
        "- Chưa có báo cáo": planned - len(held) - len(changed) - len(cancelled),
        "Hoạt động phát sinh ngoài kế hoạch": len(added)}
    people = find(tables, "Người tham gia các hoạt động")
    in_person = sum(o["participants_in_person"] or 0 for o in expected.outcomes)
    online = sum(o["participants_online"] or 0 for o in expected.outcomes)
    assert as_counts(people) == {"Trực tiếp": in_person, "Trực tuyến": online}
    assert total_of(people) == in_person + online == Expected.people(expected.outcomes)
    labels = vi("category")
    categories = find(tables, "Hoạt động theo loại hình: kế hoạch và kết quả")
    assert categories[0][1:] == ["Loại hình", *results_report.COMPARE]
    rows = {r[1]: [_n(v) for v in r[2:]] for r in categories[1:-1]}
    for code, label in labels.items():
        # "Đã tổ chức" there: the planned activities that took place (as planned or changed).
        want = [sum(1 for _o, c, _p in expected.plan_activities if c == code),
                len(expected.held(status={"held", "changed"}, added=False, category=code)),
                len(expected.held(status={"not_held"}, added=False, category=code)),
                len(expected.held(added=True, category=code)),
                Expected.people(expected.held(category=code))]
        assert rows.get(label, [0] * 5) == want, label
    assert [_n(v) for v in categories[-1][2:]] == [
        planned, len(held) + len(changed), len(cancelled), len(added),
        Expected.people(expected.outcomes)]
    places = find(tables, "Kết quả theo tỉnh, thành phố")
    names = dict(Organisation.objects.filter(
        code__in={p for _o, _c, p in expected.plan_activities}).values_list("name", "code"))
    launched_by_org = Counter(i["org"] for i in expected.initiatives
                              if i["launched"] == "yes" and i["planned"] is not None)
    for row in places[1:-1]:
        code = names[row[1]]
        assert [_n(v) for v in row[2:7]] == [
            sum(1 for _o, _c, p in expected.plan_activities if p == code),
            len(expected.held(status={"held", "changed"}, added=False, province=code)),
            len(expected.held(status={"not_held"}, added=False, province=code)),
            len(expected.held(added=True, province=code)),
            Expected.people(expected.held(province=code))], row[1]
    assert _n(places[-1][2]) == planned
    provincial = set(Organisation.objects.filter(
        code__in=launched_by_org, kind__in=("province", "city")).values_list("code", flat=True))
    # A province's initiatives are its own; a ministry's belong to no province.
    assert {row[1]: _n(row[-1]) for row in places[1:-1]} == {
        name: launched_by_org[code] if code in provincial else 0 for name, code in names.items()}
    assert _n(places[-1][-1]) == sum(launched_by_org[c] for c in provincial)
    initiatives = as_counts(find(tables, "Sáng kiến số theo kế hoạch và kết quả"))
    answered = [i for i in expected.initiatives if i["planned"] is not None]
    launched = sum(1 for i in answered if i["launched"] == "yes")
    assert initiatives == {
        "Sáng kiến theo kế hoạch": len(expected.plan_initiatives),
        "- Đã đưa vào triển khai": launched,
        "- Chưa triển khai": len(answered) - launched,
        "- Chưa có báo cáo": len(expected.plan_initiatives) - len(answered),
        "Sáng kiến phát sinh ngoài kế hoạch": len(expected.initiatives) - len(answered)}
    channels = find(tables, "Hoạt động truyền thông theo kênh")
    assert as_counts(channels) == {label: expected.communications.get(code, 0)
                                   for code, label in vi("channel").items()}
    assert total_of(channels) == sum(expected.communications.values())
    missing = find(tables, "Đơn vị chưa gửi báo cáo kết quả")
    assert len(missing) - 1 == expected.recipients - sent
    assert [r[0] for r in missing[1:]] == [str(i) for i in range(1, len(missing))]  # STT


def test_docx_figures_are_the_rows_counts(taken, several, after_window):
    raw = render_docx(results_report.build(taken, DETAILS))
    check_figures(docx_tables(raw), several, after_window)
    text = "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs)
    assert (f"đã tổ chức thêm {len(several.held(added=True))} hoạt động (chi tiết tại Phụ lục "
            "II kèm theo)") in text


def test_pdf_figures_are_the_rows_counts(taken, several, after_window):
    raw = render_pdf(results_report.build(taken, DETAILS))
    tables, _repeats = pdf_tables(raw)
    check_figures(tables, several, after_window)


def test_xlsx_annexes_hold_every_unit_activity_and_initiative(taken, several, after_window):
    book = load_workbook(io.BytesIO(results_report.render_xlsx(taken, DETAILS)))
    assert book.sheetnames == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    units, activities, initiatives = (book[n] for n in book.sheetnames)
    for sheet, numeral in ((units, "I"), (activities, "II"), (initiatives, "III")):
        assert sheet["A1"].value == f"Phụ lục {numeral}"
        assert sheet["A3"].value == ("(Kèm theo Báo cáo số 21/BC-CĐSQG ngày 10/12/2026 của Cục "
                                     "Chuyển đổi số quốc gia)")
        assert sheet["A4"].value == "STT" and sheet.freeze_panes == "A5"
    # Phụ lục I: every recipient, with its own plan-versus-result counts.
    header = [c.value for c in units[4]]
    rows = {r[1]: dict(zip(header, r, strict=True))
            for r in units.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == several.recipients
    for code, (state, on_time) in several.units.items():
        row = rows[code]
        assert row["Tình trạng báo cáo kết quả"] == snapshot.RESULT_STATES[state], code
        assert (row["Đúng hạn"] or "") == ("" if on_time is None else
                                          "Có" if on_time else "Không")
        assert row["Hoạt động theo kế hoạch"] == sum(
            1 for o, _c, _p in several.plan_activities if o == code)
        assert row["Đã tổ chức theo kế hoạch"] == len(several.held(status={"held"},
                                                                   added=False, org=code))
        assert row["Đã tổ chức, có thay đổi"] == len(several.held(status={"changed"},
                                                                  added=False, org=code))
        assert row["Không tổ chức"] == len(several.held(status={"not_held"}, added=False,
                                                        org=code))
        assert row["Phát sinh"] == len(several.held(added=True, org=code))
        assert row["Người tham gia"] == Expected.people(several.held(org=code))
        assert row["Sáng kiến theo kế hoạch"] == several.plan_initiatives.count(code)
        assert row["Sáng kiến đã triển khai"] == sum(
            1 for i in several.initiatives if i["org"] == code and i["launched"] == "yes"
            and i["planned"] is not None)
        assert row["Sáng kiến phát sinh"] == sum(
            1 for i in several.initiatives if i["org"] == code and i["planned"] is None)
        if state in ("submitted", "returned", "accepted"):
            assert isinstance(row["Thời điểm gửi"], datetime.datetime)
    assert sum(r["Người tham gia"] for r in rows.values()) == Expected.people(several.outcomes)
    states = Counter(r["Tình trạng báo cáo kết quả"] for r in rows.values())
    assert states["Chưa gửi"] == 1  # its plan accepted, no results
    assert states["Kế hoạch chưa được chấp nhận"] == several.recipients - len(several.units) + 1
    # Phụ lục II: every activity held (as planned, changed or added) with its participants.
    header = [c.value for c in activities[4]]
    held = [dict(zip(header, r, strict=True))
            for r in activities.iter_rows(min_row=5, values_only=True)]
    assert len(held) == len(several.held(status={"held", "changed"}))
    assert sorted(r["Tên hoạt động"] for r in held) == sorted(
        o["title"] for o in several.held(status={"held", "changed"}))
    assert sum(r["Tổng số người tham gia"] for r in held) == Expected.people(
        several.held(status={"held", "changed"}))
    assert Counter(r["Theo kế hoạch"] for r in held)["Phát sinh"] == len(
        several.held(added=True))
    assert all(isinstance(r["Từ ngày"], datetime.datetime) for r in held)  # date cells
    # Phụ lục III: every initiative launched with its usage figure.
    header = [c.value for c in initiatives[4]]
    launched = [dict(zip(header, r, strict=True))
                for r in initiatives.iter_rows(min_row=5, values_only=True)]
    want = sorted((i["name"], i["usage_value"]) for i in several.initiatives
                  if i["launched"] == "yes")
    assert sorted((r["Tên sáng kiến"], r["Số liệu sử dụng"]) for r in launched) == want
    assert {r["Chỉ số sử dụng"] for r in launched} == {"Người dùng", "Lượt tải"}


def test_hostile_unit_names_stay_text(taken):
    raw = render_docx(results_report.build(taken, DETAILS))
    tables = docx_tables(raw)
    missing = find(tables, "Đơn vị chưa gửi báo cáo kết quả")
    assert [row[1] for row in missing if "HYPERLINK" in row[1]] == [HOSTILE + " 2"]
    with pdfplumber.open(io.BytesIO(render_pdf(results_report.build(taken, DETAILS)))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "<script>alert(1)</script>" in text.replace("\n", "")
    book = load_workbook(io.BytesIO(results_report.render_xlsx(taken, DETAILS)))
    names = [c for row in book["Phụ lục I"].iter_rows(min_row=5) for c in row
             if c.column == 3 and "HYPERLINK" in str(c.value)]
    assert sorted(c.value for c in names) == ["'" + HOSTILE, "'" + HOSTILE + " 2"]
    assert all(c.data_type == "s" for c in names)
    activity_units = [row[1] for row in book["Phụ lục II"].iter_rows(min_row=5)
                      if "HYPERLINK" in str(row[1].value)]
    assert activity_units and all(c.value.startswith("'=") for c in activity_units)


def test_title_and_the_nd30_parts(taken):
    report = results_report.build(taken, DETAILS)
    raw = render_docx(report)
    doc = Document(io.BytesIO(raw))
    paragraphs = [p.text for p in doc.paragraphs]
    at = paragraphs.index("BÁO CÁO")
    assert paragraphs[at + 1] == ("Kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm "
                                  "2026")
    head = doc.tables[0]
    assert head.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert head.cell(0, 1).paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert head.cell(0, 0).paragraphs[1].text == "CỤC CHUYỂN ĐỔI SỐ QUỐC GIA"
    assert head.cell(1, 0).text == "Số: 21/BC-CĐSQG"
    assert head.cell(1, 1).text == "Hà Nội, ngày 10 tháng 12 năm 2026"
    headings = [p for p in paragraphs if p[:3] in ("I. ", "II.", "III", "IV.", "V. ", "VI.")]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI"]
    assert "V. ĐÁNH GIÁ" in headings and "VI. KIẾN NGHỊ, ĐỀ XUẤT" in headings
    captions = [p for p in paragraphs if p.startswith("Bảng ")]
    assert [c.split(".")[0] for c in captions] == [f"Bảng {i}" for i in
                                                   range(1, len(captions) + 1)]
    assert DETAILS["assessment"] in paragraphs and DETAILS["recommendations"] in paragraphs
    assert any(p.endswith("năm 2026 của Cục Chuyển đổi số quốc gia./.") for p in paragraphs)
    sign = doc.tables[-1]
    assert [p.text for p in sign.cell(0, 1).paragraphs if p.text] == [
        "KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Nguyễn Văn Bình"]
    recipients = [p.text for p in sign.cell(0, 0).paragraphs]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, CĐSQG."
    opening = next(p for p in paragraphs if p.startswith("Thực hiện"))
    assert " giờ " in opening and " phút ngày " in opening
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        whole = "\n".join(p.extract_text() for p in pdf.pages)
    assert "BÁO CÁO\nKết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm 2026" in whole
    for heading in ("I. TÌNH HÌNH BÁO CÁO KẾT QUẢ CỦA CÁC ĐƠN VỊ",
                    "II. KẾT QUẢ TỔ CHỨC CÁC HOẠT ĐỘNG", "III. SÁNG KIẾN SỐ ĐƯA VÀO TRIỂN KHAI",
                    "IV. TRUYỀN THÔNG VÀ HIỂN THỊ BỘ NHẬN DIỆN", "V. ĐÁNH GIÁ",
                    "VI. KIẾN NGHỊ, ĐỀ XUẤT", "Số: 21/BC-CĐSQG", "Nơi nhận:"):
        assert heading in whole


def test_requested_edited_issued_and_frozen_from_the_report_page(
        client, reviewer, several, after_window, django_capture_on_commit_callbacks):
    campaign = after_window
    client.force_login(reviewer)
    page = client.get(f"/backoffice/{campaign.year}/reports/")
    assert page.status_code == 200
    assert 'name="kind"' in page.content.decode() and 'value="results"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/backoffice/{campaign.year}/reports/",
                               {"kind": "results", "number": ""})
    generation = ReportGeneration.objects.get()
    assert response["Location"] == f"/backoffice/reports/{generation.pk}/"
    assert generation.kind == "results" and generation.status == "done", generation.error
    assert generation.figures["activities_added"] == len(several.held(added=True))
    first_docx = docx_tables(generation.docx.open("rb").read())
    check_figures(first_docx, several, campaign)
    download = client.get(f"/backoffice/reports/{generation.pk}/xlsx/")
    assert "bao-cao-ket-qua-2026-" in download["Content-Disposition"]
    # A consolidated report can be asked for at the same time: each waits on its own.
    plans = report_request(campaign=campaign, by=reviewer, kind="plans")
    assert plans.pk != generation.pk and plans.kind == "plans"
    # More results are accepted: the draft, edited, still shows its own snapshot's figures.
    org = Organisation.objects.get(code=next(c for c, (s, _t) in several.units.items()
                                             if s == "submitted"))
    results_review(result=Result.objects.get(campaign=campaign, organisation=org),
                   by=reviewer, decision="accept")
    url = f"/backoffice/reports/{generation.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "save", "signer_name": "Trần Thị C"}).status_code == 302
    generation.refresh_from_db()
    assert docx_tables(generation.docx.open("rb").read()) == first_docx
    issue = {"action": "issue", "number": "22/BC-CĐSQG", "issue_date": "15/12/2026",
             "signer_authority": "KT. Cục trưởng", "signer_title": "Phó Cục trưởng",
             "signer_name": "Nguyễn Văn Bình", "assessment": "Kết quả tốt.",
             "recommendations": "Tiếp tục.", "addressee": ""}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, issue).status_code == 302
    generation.refresh_from_db()
    assert generation.issued and generation.status == "done"
    with pdfplumber.open(generation.pdf.open("rb")) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Số: 22/BC-CĐSQG" in text and "ngày 15 tháng 12 năm 2026" in text
    assert "Kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm 2026" in text
    files = {f: getattr(generation, f).name for f in ("docx", "pdf", "xlsx", "snapshot")}
    refused = client.post(url, {"action": "save", "signer_name": "Người khác"})
    assert refused.status_code == 409
    generation.refresh_from_db()
    assert generation.signer_name == "Nguyễn Văn Bình"
    assert {f: getattr(generation, f).name for f in files} == files
    with generation.snapshot.open("rb") as handle:
        frozen = snapshot.loads(handle.read())
    assert frozen["kind"] == "results"
    assert frozen["units"]["results_accepted"] == Counter(
        s for s, _t in several.units.values())["accepted"]  # not the one accepted later
    # A new generation reads the figures again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/{campaign.year}/reports/", {"kind": "results"})
    newer = ReportGeneration.objects.filter(kind="results").exclude(pk=generation.pk).get()
    assert newer.figures["results_accepted"] == generation.figures["results_accepted"] + 1
    assert newer.previous() == generation
    bad = client.post(f"/backoffice/{campaign.year}/reports/", {"kind": "nonsense"})
    assert bad.status_code == 302
    assert ReportGeneration.objects.filter(kind="nonsense").count() == 0


def test_a_campaign_with_no_results_reports_zeros(after_window):
    data = snapshot.take_results(after_window)
    report = results_report.build(data, {})
    texts = [b.text for b in report.blocks if b.kind == "paragraph"]
    assert any("chưa có báo cáo" in t.lower() or "Chưa có" in t for t in texts)
    tables = docx_tables(render_docx(report))
    units = as_counts(find(tables, "Tình hình gửi báo cáo kết quả"))
    assert units["Đã gửi báo cáo kết quả"] == 0
    assert units["Đơn vị phải báo cáo"] == after_window.recipients.count()
    assert render_pdf(report).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(results_report.render_xlsx(data, {})))
    assert book["Phụ lục II"].max_row == 4 and book["Phụ lục III"].max_row == 4


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make")
def test_libreoffice_opens_the_docx(taken, several, tmp_path):
    """What a Word user sees: LibreOffice opens the DOCX and prints it to PDF, with the same
    figures."""
    source = tmp_path / "bao-cao-ket-qua.docx"
    source.write_bytes(render_docx(results_report.build(taken, DETAILS)))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "bao-cao-ket-qua.pdf") as pdf:
        first = pdf.pages[0].extract_text().splitlines()
        pages = [p.extract_text() for p in pdf.pages]
    assert any(line.strip().endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in first)
    whole = "\n".join(pages)
    assert "Kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm 2026" in whole
    where = [i for i, text in enumerate(pages) if "Nguyễn Văn Bình" in text]
    assert where == [i for i, text in enumerate(pages) if "Nơi nhận:" in text]
    total = Expected.people(several.outcomes)
    assert f"Tổng số lượt người tham gia các hoạt động: {total:,}".replace(",", ".") in (
        whole.replace("\n", " "))


def test_report_command_and_the_benchmark_entry_make_the_same_figures(several, after_window,
                                                                      tmp_path):
    out = tmp_path / "ket-qua.docx"
    call_command("report", campaign=2026, report="results", format="docx", output=out,
                 signer_name="Lê Văn Dũng", stdout=io.StringIO())
    check_figures(docx_tables(out.read_bytes()), several, after_window)
    measured = results_report.bench(after_window, DETAILS)
    assert measured["figures"]["activities_added"] == len(several.held(added=True))
    assert measured["tables"] == len(docx_tables(out.read_bytes()))
    assert set(measured["sizes"]) == {"snapshot", "xlsx", "docx", "pdf"}


def test_snapshot_time_is_local_and_kept_as_given(several, after_window):
    moment = timezone.make_aware(datetime.datetime(2026, 11, 2, 7, 5), datetime.UTC)
    data = snapshot.take_results(after_window, as_of=moment)
    assert data["as_of"] == "2026-11-02T14:05:00+07:00"
    report = results_report.build(snapshot.loads(snapshot.dumps(data)), DETAILS)
    assert "(số liệu tính đến 14 giờ 05 phút ngày 02/11/2026)" in report.blocks[0].text
