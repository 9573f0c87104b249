"""Hostile input across every form and API field: 200+ payloads (XSS, template and SQL
injection, spreadsheet formulas, NFD and legacy-encoded Vietnamese, control and bidi
characters, oversized values, path traversal, CRLF) go through the plan form, the write API,
the review comment, the workbook import, search, login and the open-data exports. Nothing may
crash (no 5xx); what is stored is what was typed (NFC; legacy-font text is converted only by
workbook imports) or refused with a message on the field; nothing is ever rendered unescaped;
exports keep formulas as text."""

import io
import json
import unicodedata

import pytest

from dxday.plans.models import Plan
from tests.conftest import ORG_A, Client

BASE = [
    "<script>alert('xss')</script>", '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>",
    "javascript:alert(document.cookie)", "<iframe src=//evil.example></iframe>",
    "</textarea><script>alert(1)</script>", "'';!--\"<XSS>=&{()}", "<a href=\"#\" x=\"",
    "{{ 7*7 }}", "{% debug %}", "${7*7}", "<%= 7*7 %>",
    "' OR '1'='1", "'; DROP TABLE plans_plan; --", "1 UNION SELECT password FROM accounts_user",
    "\\'; SELECT pg_sleep(5); --", "admin'--",
    "=HYPERLINK(\"http://evil.example\",\"bấm\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
    unicodedata.normalize("NFD", "Hội thảo chuyển đổi số tỉnh Đắk Lắk"),
    unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết"),
    "Héi th¶o chuyÓn ®æi sè",  # TCVN3 (ABC) bytes read as Latin-1
    "Hoäi thaûo chuyeån ñoåi soá",  # VNI bytes read as Windows-1252
    "\u202egnp.exe", "zero\u200bwidth\u200djoin", "nul\x00byte", "bell\x07and\x1bescape",
    "line\r\nSet-Cookie: evil=1", "../../../../etc/passwd", "..\\..\\windows\\win.ini",
    "%00%2e%2e%2f", "😀🇻🇳 Ngày Chuyển đổi số", "𝕳𝖊𝖑𝖑𝖔", "A" * 5000, "Đ" * 70000,
    "\ufeffBOM at start", "-" * 300, "0" * 400, "1e309", "NaN", "null", "[]", "{}",
]
# Each base payload alone, wrapped in ordinary Vietnamese text, and doubled: 200+ in all.
PAYLOADS = list(dict.fromkeys(
    [p for b in BASE for p in (b, f"Kế hoạch {b} năm 2026", f"{b}{b}"[:80000],
                               b.upper(), f"  {b}  ")]))
assert len(PAYLOADS) >= 200, len(PAYLOADS)


def plain(text: str) -> bool:
    """No control, bidi or zero-width characters and no legacy-encoding look."""
    from dxday.lib.text import legacy_encoding

    return (all(unicodedata.category(c)[0] != "C" for c in text) and "  " not in text
            and legacy_encoding(text) is None)


TEXT_FIELDS = {  # every free-text field of the plan document (structured fields: below)
    "contact": ["name", "position"],
    "activities": ["title", "location", "audience", "description"],
    "initiatives": ["name", "description", "sector"],
    "communications": ["title"],
}


def planted(good_plan: dict, payload: str) -> dict:
    """The good plan with ``payload`` in every free-text field."""
    plan = json.loads(json.dumps(good_plan))
    plan["summary"] = payload
    for section, keys in TEXT_FIELDS.items():
        row = plan[section] if section == "contact" else plan[section][0]
        for key in keys:
            row[key] = payload
    return plan


def assert_escaped(page: str, payload: str, where: str):
    """No markup or attribute break-out of the payload appears as typed: from each dangerous
    marker on, the typed text must not be in the page (escaped, it reads &lt;… or &quot;…)."""
    lowered = payload.lower()
    for marker in ("<script", "<img", "<svg", "<iframe", "</textarea", "<xss>", '"><',
                   '<a href="#" x="'):
        at = lowered.find(marker)
        if at >= 0:
            fragment = payload[at:at + 40]
            assert fragment not in page, f"{where}: {fragment!r} unescaped"


def is_server_error(response) -> bool:
    return response.status_code >= 500


@pytest.fixture
def editor_client(editor_a, campaign):
    browser = Client()
    browser.force_login(editor_a)
    return browser


@pytest.fixture
def no_write_limit(monkeypatch):
    from dxday.api.plans import WRITE_THROTTLE

    monkeypatch.setattr(WRITE_THROTTLE, "num_requests", 10**6)


def test_every_payload_through_the_write_api_and_the_plan_page(
        client, editor_client, editor_a, campaign, good_plan, token_of, no_write_limit):
    headers = {"Authorization": f"Bearer {token_of(editor_a)}"}
    url = f"/api/v1/campaigns/2026/plans/{ORG_A}"
    outcomes = {}
    for payload in PAYLOADS:
        response = client.put(url, json.dumps(planted(good_plan, payload)),
                              content_type="application/json", headers=headers)
        assert not is_server_error(response), payload[:60]
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        if response.status_code == 422:
            problems = response.json()["detail"]
            assert problems and all(p["path"] and p["message"] for p in problems)
            continue
        if response.status_code == 413:  # the whole document over 5 MB
            assert "MB" in response.json()["detail"]
            continue
        assert response.status_code == 200, (payload[:60], response.content[:300])
        stored = Plan.objects.get(campaign=campaign, organisation__code=ORG_A).draft
        assert unicodedata.is_normalized("NFC", stored["summary"])
        if plain(payload):  # ordinary characters: kept exactly (as NFC, trimmed)
            assert stored["summary"] == unicodedata.normalize("NFC", payload).strip()
        page = editor_client.get(f"/plans/2026/{ORG_A}/")
        assert page.status_code == 200
        assert_escaped(page.content.decode(), payload, "plan page")
    assert outcomes.get(200, 0) > len(PAYLOADS) // 3, outcomes  # most are simply stored


def test_nfd_text_is_stored_as_nfc_and_legacy_text_as_typed(client, editor_a, campaign,
                                                            good_plan, token_of):
    headers = {"Authorization": f"Bearer {token_of(editor_a)}"}
    url = f"/api/v1/campaigns/2026/plans/{ORG_A}"
    for typed, stored in [
            (unicodedata.normalize("NFD", "Hội thảo chuyển đổi số"), "Hội thảo chuyển đổi số"),
            ("Héi th¶o chuyÓn ®æi sè", "Héi th¶o chuyÓn ®æi sè")]:  # kept: not a workbook
        plan = planted(good_plan, "Kế hoạch")
        plan["activities"][0]["title"] = typed
        response = client.put(url, json.dumps(plan), content_type="application/json",
                              headers=headers)
        assert response.status_code == 200, response.content
        assert Plan.objects.get().draft["activities"][0]["title"] == stored


@pytest.mark.parametrize("field", ["activities-0-start", "activities-0-end",
                                   "activities-0-category", "activities-0-format",
                                   "activities-0-province", "activities-0-url",
                                   "initiatives-0-launch_date", "initiatives-0-beneficiaries",
                                   "initiatives-0-url", "communications-0-channel",
                                   "communications-0-date", "display_urls-0-kind",
                                   "display_urls-0-url", "contact-email"])
def test_structured_form_fields_refuse_hostile_values_with_a_message(
        editor_client, campaign, good_plan, field):
    from tests.plans.test_web_plans import form_data

    url = f"/plans/2026/{ORG_A}/"
    assert editor_client.post(url, form_data(good_plan, action="save")).status_code == 302
    before = Plan.objects.get().draft
    for payload in BASE[:17] + ["9999-99-99", "2026-02-30", "-1", "A" * 5000]:
        response = editor_client.post(url, form_data(good_plan, action="save",
                                                     **{field: payload}))
        assert not is_server_error(response), (field, payload[:40])
        page = response.content.decode()
        assert_escaped(page, payload, field)
        if response.status_code == 422:
            assert f'id="id_{field}-error"' in page or "alert-danger" in page, (field, payload)
            assert Plan.objects.get().draft == before  # nothing saved
        else:
            assert response.status_code == 302


def test_review_comments_search_and_login_resist_every_payload(
        client, editor_client, reviewer, editor_a, campaign, good_plan):
    from dxday.plans.services import plan_save_draft, plan_submit

    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=editor_a)
    plan_submit(campaign=campaign, organisation=editor_a.organisation, by=editor_a)
    agency = Client()
    agency.force_login(reviewer)
    hostile = [p for p in PAYLOADS if len(p) < 3000][::3]
    for payload in hostile:
        for path in ("/search/", "/api/v1/search"):
            response = client.get(path, {"q": payload})
            assert not is_server_error(response), (path, payload[:40])
            assert_escaped(response.content.decode(), payload, path)
        response = client.post("/accounts/login/", {"username": payload, "password": payload})
        assert response.status_code in (200, 400, 403, 429), payload[:40]
        assert_escaped(response.content.decode(), payload, "login")
    plan = Plan.objects.get()
    for payload in hostile[:25]:
        response = agency.post(f"/backoffice/2026/plans/{ORG_A}/",
                               {"decision": "return", "comment": payload})
        assert not is_server_error(response), payload[:40]
        plan.refresh_from_db()
        if plan.status == "returned":
            page = editor_client.get(f"/plans/2026/{ORG_A}/").content.decode()
            assert_escaped(page, payload, "review comment on the editor's page")
            editor_client.post(f"/plans/2026/{ORG_A}/submit/")
            plan.refresh_from_db()


def test_published_hostile_text_stays_text_in_pages_and_exports(
        client, editor_a, reviewer, campaign, good_plan):
    from openpyxl import load_workbook

    from dxday.plans.services import plan_review, plan_save_draft, plan_submit

    formula = "=HYPERLINK(\"http://evil.example\",\"bấm\")"
    xss = '"><img src=x onerror=alert(1)>'
    plan = planted(good_plan, xss)
    plan["activities"][0]["title"] = formula
    plan["activities"][0]["url"] = plan["initiatives"][0]["url"] = "https://danang.example.vn/"
    plan["display_urls"][0]["url"] = "https://danang.example.vn/"
    plan["contact"]["email"] = "an@danang.example.vn"
    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=plan,
                    by=editor_a)
    submitted = plan_submit(campaign=campaign, organisation=editor_a.organisation, by=editor_a)
    plan_review(plan=submitted, by=reviewer, decision="accept")
    activity = submitted.activities.get()
    for path in ("/campaigns/2026/", "/campaigns/2026/calendar/", f"/organisations/{ORG_A}/",
                 f"/campaigns/2026/activities/{activity.pk}/", "/campaigns/2026/initiatives/",
                 "/feeds/plans.atom", "/search/?q=img"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_escaped(response.content.decode(), xss, path)
    csv = client.get("/api/v1/campaigns/2026/activities.csv")
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    assert "'" + formula.replace('"', '""') in text and ',"=HYPERLINK' not in text
    xlsx = client.get("/api/v1/campaigns/2026/activities.xlsx")
    raw = b"".join(xlsx.streaming_content if xlsx.streaming else [xlsx.content])
    sheet = load_workbook(io.BytesIO(raw)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + formula in cells or formula in cells
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    ics = client.get("/api/v1/campaigns/2026/activities.ics").content.decode()
    assert "\r\nSet-Cookie" not in ics


@pytest.mark.parametrize(("persona", "path", "field", "extra"), [
    ("editor", "/accounts/profile/", "name", {}),
    ("editor", f"/plans/2026/{ORG_A}/", "action", {}),
    ("editor", "/accounts/2fa/verify/", "next", {"otp_token": "123456"}),
    ("reviewer", "/backoffice/2026/reports/", "number", {}),
    ("reviewer", "/backoffice/2026/bulk-accept/", "codes", {}),
    ("reviewer", "/accounts/2fa/verify/", "otp_token", {}),
    ("reviewer", "/backoffice/2026/kit/scan/", "all", {}),
])
def test_other_form_fields_resist_every_payload(editor_client, reviewer, campaign, persona,
                                                path, field, extra):
    from django.urls import resolve

    resolve(path)  # the route exists
    browser = editor_client
    if persona == "reviewer":
        browser = Client()
        browser.force_login(reviewer)
    for payload in [p for p in PAYLOADS if len(p) < 3000][::4]:
        response = browser.post(path, {field: payload, **extra}, follow=True)
        assert not is_server_error(response), (path, field, payload[:40])
        if response["Content-Type"].startswith("text/html"):
            assert_escaped(response.content.decode(), payload, f"{path} {field}")
