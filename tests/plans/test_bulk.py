"""The agency's workbook: every plan of a campaign; corrections per unit, all or nothing,
with a preview; submitted plans are never changed here."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from dxday.plans.excel import WorkbookRefused, campaign_workbook
from dxday.plans.models import Plan
from dxday.plans.services import plan_save_draft, plan_submit, plans_bulk_import
from dxday.registry.models import Organisation

pytestmark = pytest.mark.django_db


def rows_of(book, sheet):
    return [[c.value for c in row] for row in book[sheet].iter_rows(min_row=2)]


def saved(raw_book) -> bytes:
    out = io.BytesIO()
    raw_book.save(out)
    return out.getvalue()


@pytest.fixture
def state(campaign, good_plan, editor_a):
    """Đà Nẵng has a draft; BKHCN has submitted; BTC has nothing."""
    danang = Organisation.objects.get(code="48")
    bkhcn = Organisation.objects.get(code="BKHCN")
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=editor_a)
    plan_save_draft(campaign=campaign, organisation=bkhcn, data=good_plan, by=None)
    plan_submit(campaign=campaign, organisation=bkhcn, by=None)
    return campaign


def test_the_workbook_holds_every_recipient_and_reimports_unchanged(state, reviewer):
    book = load_workbook(io.BytesIO(campaign_workbook(campaign=state)))
    general = rows_of(book, "Thông tin chung")
    assert len(general) == 56
    assert general[[r[0] for r in general].index("48")][:2] == ["48", "Thành phố Đà Nẵng"]
    activities = [r for r in rows_of(book, "Hoạt động") if any(r)]
    assert {r[0] for r in activities} == {"48", "BKHCN"}
    results = plans_bulk_import(campaign=state, raw=campaign_workbook(campaign=state),
                                by=reviewer, apply=False)
    assert {r.action for r in results} == {"unchanged"}


def fill(state):
    book = load_workbook(io.BytesIO(campaign_workbook(campaign=state)))
    general = book["Thông tin chung"]
    codes = [row[0].value for row in general.iter_rows(min_row=2)]
    btc_row = codes.index("BTC") + 2
    general[f"C{btc_row}"] = "Kế hoạch của Bộ Tài chính (nhập hộ)"
    danang_row = codes.index("48") + 2
    general[f"C{danang_row}"] = "Tóm tắt đã sửa"
    bkhcn_row = codes.index("BKHCN") + 2
    general[f"C{bkhcn_row}"] = "Sửa kế hoạch đã gửi"
    btc_bad = codes.index("BNG") + 2
    general[f"C{btc_bad}"] = "Bộ Ngoại giao"
    sheet = book["Hoạt động"]
    last = sheet.max_row + 1
    sheet[f"A{last}"], sheet[f"B{last}"], sheet[f"D{last}"] = "BNG", "Hội thảo", "ngày mai"
    sheet[f"A{last + 1}"], sheet[f"B{last + 1}"] = "BTC", "Héi th¶o Tµi chÝnh sè"  # TCVN3
    return saved(book), last


def test_preview_then_apply_per_unit(state, reviewer):
    raw, bad_row = fill(state)
    preview = {r.code: r for r in plans_bulk_import(campaign=state, raw=raw, by=reviewer,
                                                    apply=False)}
    assert preview["BTC"].action == "update"
    assert preview["48"].action == "update"
    assert preview["BKHCN"].action == "refused"
    assert preview["BNG"].action == "invalid"
    assert [p.path for p in preview["BNG"].problems] == [f"Hoạt động!D{bad_row}"]
    assert preview["BTC"].warnings and "Hoạt động!" in preview["BTC"].warnings[0].path
    assert not Plan.objects.filter(organisation__code="BTC").exists()  # a dry run
    applied = {r.code: r for r in plans_bulk_import(campaign=state, raw=raw, by=reviewer,
                                                    apply=True)}
    assert applied["BTC"].action == "update"
    btc = Plan.objects.get(organisation__code="BTC")
    assert btc.draft["summary"] == "Kế hoạch của Bộ Tài chính (nhập hộ)"
    assert btc.draft["activities"][0]["title"] == "Hội thảo Tài chính số"
    assert Plan.objects.get(organisation__code="48").draft["summary"] == "Tóm tắt đã sửa"
    submitted = Plan.objects.get(organisation__code="BKHCN")
    assert submitted.status == "submitted" and submitted.draft["summary"] != "Sửa kế hoạch đã gửi"
    assert not Plan.objects.filter(organisation__code="BNG").exists()


def test_unknown_units_and_rows_without_code_are_refused(state, reviewer):
    book = load_workbook(io.BytesIO(campaign_workbook(campaign=state)))
    sheet = book["Hoạt động"]
    last = sheet.max_row + 1
    sheet[f"A{last}"], sheet[f"B{last}"] = "49-2022", "Không thuộc chiến dịch"
    sheet[f"B{last + 1}"] = "Không có mã"
    with pytest.raises(WorkbookRefused) as refused:
        plans_bulk_import(campaign=state, raw=saved(book), by=reviewer, apply=False)
    paths = [p.path for p in refused.value.problems]
    assert f"Hoạt động!A{last + 1}" in paths
    assert any(p.startswith("Hoạt động!") for p in paths)
    assert not Plan.objects.filter(organisation__code="BTC").exists()


def test_the_back_office_page(client, state, reviewer, editor_a):
    raw, _bad_row = fill(state)
    client.force_login(reviewer)
    download = client.get("/backoffice/2026/bulk.xlsx")
    assert download.content.startswith(b"PK")
    preview = client.post("/backoffice/2026/bulk/",
                          {"action": "preview", "workbook": SimpleUploadedFile("all.xlsx", raw)})
    html = preview.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html)[1]
    assert not Plan.objects.filter(organisation__code="BTC").exists()
    applied = client.post("/backoffice/2026/bulk/", {"action": "apply", "token": token})
    assert applied.status_code == 200
    assert Plan.objects.filter(organisation__code="BTC").exists()
    again = client.post("/backoffice/2026/bulk/", {"action": "apply", "token": token})
    assert again.status_code == 404  # a preview is applied once
    bad = client.post("/backoffice/2026/bulk/", {"action": "preview",
                                                 "workbook": SimpleUploadedFile("x.xlsx", b"zz")})
    assert bad.status_code == 422
    client.force_login(editor_a)
    assert client.get("/backoffice/2026/bulk.xlsx").status_code == 403
