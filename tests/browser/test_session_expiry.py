"""Editors never lose work, in a real browser against the real server (gunicorn) whose idle
sessions end after 20 seconds: the warning comes with its countdown, "Stay logged in" keeps the
session, and a plan saved after the end is put back in the form after logging in again."""

import time

import pytest

from tests.browser.conftest import OPEN_2026, PASSWORD, dxday, stack

IDLE = 20  # seconds; the warning comes at half of it (10 s) when that is under two minutes
EDITOR = "bientap@danang.example.vn"


@pytest.fixture(scope="module")
def short_server(tmp_path_factory):
    """A server of its own (the session's `server` keeps the default 30 minutes)."""
    with stack(tmp_path_factory.mktemp("short-sessions"),
               env={"SESSION_IDLE_SECONDS": str(IDLE)}, users=[(EDITOR, "editor", "48")],
               seeds=[OPEN_2026], web_args=("--workers", "1", "--threads", "4")) as running:
        yield running


def log_in(page, base):
    page.goto(base + "/accounts/login/?lang=en&next=/plans/2026/48/")
    page.get_by_label("Email").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/plans/2026/48/")


def stored_draft(server) -> str:
    return dxday(server["env"], "shell", "--no-imports", "-c", (
        "import json; from dxday.plans.models import Plan; "
        "print(json.dumps(Plan.objects.get(organisation__code='48').draft, "
        "ensure_ascii=False))")).stdout


def test_a_save_after_the_session_ended_is_restored(short_server, browser):
    base = short_server["base"]
    page = browser.new_context(locale="en-GB").new_page()
    log_in(page, base)
    page.get_by_label("Summary of the plan").fill("Kế hoạch gõ trước khi hết phiên")
    page.get_by_label("Name", exact=True).first.fill("Trần Thị Bình")
    page.get_by_label("Phone").fill("0236 3822 111")
    page.get_by_role("button", name="Add a row: Activity", exact=True).click()
    row = page.locator("#activities-rows fieldset").first
    row.wait_for()
    row.get_by_label("Title").fill("Ngày hội số của thành phố")

    dialog = page.locator("#session-timeout")
    dialog.locator('[data-state="warning"]').wait_for(state="visible", timeout=IDLE * 1000)
    assert "Your session ends in 0:" in dialog.inner_text()
    dialog.locator('[data-state="ended"]').wait_for(state="visible", timeout=IDLE * 1000)
    assert "press “Save draft”" in dialog.inner_text()
    dialog.get_by_role("button", name="Close").last.click()
    page.get_by_role("button", name="Save draft").click()

    page.wait_for_url("**/accounts/login/**")
    assert "what you typed was kept" in page.locator("#session-kept-note").inner_text()
    page.get_by_label("Email").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/plans/2026/48/")
    assert "has been restored" in page.content()
    assert page.get_by_label("Summary of the plan").input_value() == \
        "Kế hoạch gõ trước khi hết phiên"
    assert page.get_by_label("Name", exact=True).first.input_value() == "Trần Thị Bình"
    assert page.get_by_label("Phone").input_value() == "0236 3822 111"
    restored = page.locator("#activities-rows fieldset").first
    assert restored.get_by_label("Title").input_value() == "Ngày hội số của thành phố"

    page.get_by_role("button", name="Save draft").click()
    assert "Draft saved." in page.content()
    draft = stored_draft(short_server)
    for value in ("Kế hoạch gõ trước khi hết phiên", "Trần Thị Bình", "0236 3822 111",
                  "Ngày hội số của thành phố"):
        assert value in draft


def test_the_warning_extends_the_session(short_server, browser):
    base = short_server["base"]
    page = browser.new_context(locale="en-GB").new_page()
    log_in(page, base)
    loaded = time.monotonic()
    dialog = page.locator("#session-timeout")
    warning = dialog.locator('[data-state="warning"]')
    warning.wait_for(state="visible", timeout=IDLE * 1000)
    assert time.monotonic() - loaded >= IDLE / 2 - 3  # not at once: at the warning time
    assert "Your session is about to end" in dialog.inner_text()
    dialog.get_by_role("button", name="Stay logged in").click()
    warning.wait_for(state="hidden")
    assert not dialog.evaluate("d => d.open")
    left = page.request.get(base + "/accounts/session/status/").json()["seconds_left"]
    assert left >= IDLE - 3
    # Past the moment the session would have ended without the button: still logged in.
    time.sleep(max(0.0, loaded + IDLE + 2 - time.monotonic()))
    page.goto(base + "/plans/2026/48/")
    assert "/accounts/login/" not in page.url
    assert page.get_by_role("button", name="Save draft").count() == 1
