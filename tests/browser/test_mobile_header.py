"""The header on a phone (375 px): the menu folds behind a "Menu" button that the keyboard
opens and closes (aria-expanded follows); opened, the search box and the language links work.
At 1280 px everything shows without the button; without JavaScript the menu stays open.
The agency's people, units and history pages pass axe-core at phone width too."""

import base64
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, dxday

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 800}


def header_parts(page):
    return {"button": page.locator("#site-menu-button"),
            "search": page.locator("#site-search"),
            "languages": page.locator("header a[hreflang]"),
            "campaigns": page.locator("#site-menu").get_by_role("link", name="Campaigns")}


def test_the_menu_folds_on_a_phone_and_opens_from_the_keyboard(server, browser):
    base = server["base"]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(f"{base}/?lang=en")
    parts = header_parts(page)
    expect(parts["button"]).to_be_visible()
    expect(parts["button"]).to_have_attribute("aria-expanded", "false")
    expect(parts["button"]).to_have_accessible_name("Menu")
    for name in ("search", "campaigns"):
        expect(parts[name]).to_be_hidden()
    expect(parts["languages"].first).to_be_hidden()

    # Skip link, brand, then the menu button: Enter opens it.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-menu-button"
    page.keyboard.press("Enter")
    expect(parts["button"]).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-menu.show")).to_be_visible()
    expect(parts["search"]).to_be_visible()
    expect(parts["campaigns"]).to_be_visible()
    expect(parts["languages"]).to_have_count(2)
    for i in range(2):
        expect(parts["languages"].nth(i)).to_be_visible()

    # The search box works from the opened menu.
    parts["search"].fill("ha noi")
    parts["search"].press("Enter")
    page.wait_for_url("**/search/?q=ha+noi")
    assert page.locator("h1").count() == 1

    # So does the language switch; Space closes the menu again.
    parts = header_parts(page)
    parts["button"].focus()
    page.keyboard.press("Space")
    expect(parts["button"]).to_have_attribute("aria-expanded", "true")
    page.locator('header a[hreflang="vi"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    parts = header_parts(page)
    expect(parts["search"]).to_be_hidden()  # a new page starts folded
    parts["button"].focus()
    page.keyboard.press("Enter")
    expect(parts["button"]).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-menu.show")).to_be_visible()  # the opening transition ended
    page.keyboard.press("Space")
    expect(parts["button"]).to_have_attribute("aria-expanded", "false")
    expect(parts["search"]).to_be_hidden()
    context.close()
    assert refused == []


def test_everything_shows_on_a_wide_screen(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{server['base']}/?lang=en")
    parts = header_parts(page)
    expect(parts["button"]).to_be_hidden()
    for name in ("search", "campaigns"):
        expect(parts[name]).to_be_visible()
    for i in range(2):
        expect(parts["languages"].nth(i)).to_be_visible()
    context.close()


def test_without_javascript_the_menu_stays_open(server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server['base']}/?lang=en")
    parts = header_parts(page)
    expect(parts["button"]).to_be_hidden()
    expect(parts["search"]).to_be_visible()
    expect(parts["languages"].first).to_be_visible()
    context.close()


def serious_violations(page) -> list:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page shown."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})""")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_people_units_and_history_pass_axe_on_a_phone(server, browser, language):
    """An agency admin of its own (the journey test pairs the shared reviewer)."""
    base = server["base"]
    email = f"xem.{language}@cdsqg.example.vn"
    dxday(server["env"], "adduser", email, "--role", "admin", stdin=PASSWORD + "\n")
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/?lang={language}")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.locator("#id_otp_token").fill(f"{totp(base64.b32decode(secret)):06d}")
    page.locator("main form button[type=submit]").click()
    assert "/accounts/2fa/" not in page.url
    page.goto(base + "/backoffice/people/")
    person = page.locator("main table").get_by_role("link", name=email)
    person_path = person.get_attribute("href")
    found = {}
    for path in ("/backoffice/people/", "/backoffice/people/invite/", person_path,
                 "/backoffice/units/", "/backoffice/units/48/", "/backoffice/units/48-2022/",
                 "/backoffice/history/", "/backoffice/history/?unit=01"):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}, found


def test_the_open_data_pages_pass_axe_on_a_phone(server, browser):
    """Their examples and tables scroll sideways on a phone: each scroll region is reachable
    from the keyboard and named."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path, language in (("/du-lieu-mo/", "vi"), ("/du-lieu-mo/api/", "vi"),
                           ("/en/open-data/", "en"), ("/en/open-data/api/", "en")):
        response = page.goto(server["base"] + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        problems = serious_violations(page)
        if problems:
            found[path] = problems
        # Paths wrap only after a "/", never inside a word.
        assert page.locator("main").evaluate("e => e.scrollWidth <= e.clientWidth + 1"), path
    context.close()
    assert found == {}, found
