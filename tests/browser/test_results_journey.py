"""End to end, as an editor would: on the real server (gunicorn) in headless Chromium, Hà
Nội's editor opens the results of its accepted plan from the unit's home, says what happened
(participants, an initiative launched), adds an activity that was not planned (htmx), saves,
checks and submits, and gets the reference; the pages pass axe-core."""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import OPEN_2026, SEED, dxday, stack
from tests.browser.test_plan_journey import log_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
EDITOR = "bientap@hanoi.example.vn"
# The activity window has passed: results are due in five days.
RESULTS_DUE = (
    "import datetime; from django.utils import timezone; "
    "from dxday.campaigns.models import Campaign; c = Campaign.objects.get(year=2026); "
    "c.results_deadline = timezone.now() + datetime.timedelta(days=5); c.save()")
READ_RESULT = (
    "import json; from dxday.results.models import Result; "
    "r = Result.objects.get(organisation__code='01'); "
    "print(json.dumps({'status': r.status, 'versions': r.versions.count(), "
    "'activities': r.draft['activities'], 'initiatives': r.draft['initiatives']}))")


@pytest.fixture(scope="module")
def results_server(tmp_path_factory):
    """Hà Nội's plan accepted (one activity, one initiative), its editor, results due."""
    users = [(EDITOR, "editor", "01"), ("thamdinh@cdsqg.example.vn", "reviewer", None)]
    with stack(tmp_path_factory.mktemp("results"), users=users,
               seeds=[OPEN_2026, SEED, RESULTS_DUE]) as running:
        yield running


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})""")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def stored(server) -> dict:
    out = dxday(server["env"], "shell", "--no-imports", "-c", READ_RESULT).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_results_journey(results_server, browser):
    base = results_server["base"]
    page = log_in(browser, base, EDITOR)
    page.goto(base + "/plans/")
    page.locator("a.results-link").first.click()
    assert page.url.endswith("/results/2026/01/")
    # What the plan said is shown beside the row that answers it.
    assert "Triển lãm chuyển đổi số Thủ đô" in page.locator("#activities-0-planned").inner_text()
    page.locator("#results-start button[value=start]").click()
    assert page.locator("#results-start").count() == 0

    page.locator("#id_summary").fill("Hà Nội đã tổ chức triển lãm và ngày hội số.")
    page.locator("#id_activities-0-status").select_option("held")
    page.locator("#id_activities-0-start").fill("2026-10-08")
    page.locator("#id_activities-0-participants_in_person").fill("1.200")
    page.locator("#id_activities-0-participants_online").fill("350")
    page.locator("#id_activities-0-evidence").fill("https://hanoi.example.vn/tin/trien-lam")
    page.locator("#id_initiatives-0-launched").select_option("yes")
    page.locator("#id_initiatives-0-usage_measure").select_option("users")
    page.locator("#id_initiatives-0-usage_value").fill("25000")

    # htmx adds the unplanned activity in place: what was typed stays on the page.
    page.locator("#add-activities").click()
    added = page.locator("#activities-rows fieldset").nth(1)
    added.wait_for()
    added.locator("input[name$='-title']").fill("Ngày hội số cho người cao tuổi")
    added.locator("select[name$='-category']").select_option("digital_skills")
    added.locator("select[name$='-status']").select_option("held")
    added.locator("input[name$='-start']").fill("2026-10-09")
    added.locator("select[name$='-format']").select_option("in_person")
    added.locator("input[name$='-participants_in_person']").fill("80")
    assert page.locator("#id_activities-0-participants_in_person").input_value() == "1.200"
    page.locator("#results-save").click()
    assert page.locator(".alert-danger").count() == 0, page.locator("main").inner_text()[:500]

    saved = stored(results_server)
    assert saved["status"] == "draft"
    assert [(a["planned"], a["participants_in_person"]) for a in saved["activities"]] == [
        (1, 1200), (None, 80)]
    assert saved["activities"][0]["participants_online"] == 350
    assert saved["initiatives"][0]["usage_value"] == 25000
    context = browser.new_context(bypass_csp=True, storage_state=page.context.storage_state())
    checked = context.new_page()
    checked.goto(base + "/results/2026/01/")
    assert violations(checked) == []

    page.locator("#results-save-submit").click()
    assert page.url.endswith("/results/2026/01/submit/")
    assert page.locator("#submit-errors").count() == 0, page.locator("main").inner_text()[:500]
    checked.goto(base + "/results/2026/01/submit/")
    assert violations(checked) == []
    page.locator("#results-confirm-submit").click()
    assert page.locator("#submission-reference").inner_text() == "DXD-2026-01-KQ-V1"
    checked.goto(base + "/results/2026/01/submit/")
    assert violations(checked) == []
    context.close()
    page.goto(base + "/results/2026/01/")
    assert page.locator("#results-save").count() == 0
    assert page.locator("#results-read-only").count() == 1
    assert stored(results_server)["versions"] == 1
