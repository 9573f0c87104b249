"""Editors never lose work: the warning before the idle session ends, extending it, and a save
that arrives after the end kept for after the next login."""

import re
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxday.accounts.session import SEEN_KEY, STARTED_KEY, STASH_KEY
from dxday.plans.models import Plan
from tests.conftest import PASSWORD, pdf_bytes
from tests.plans.test_web_plans import URL, form_data

pytestmark = pytest.mark.django_db
IDLE = 30 * 60
RESTORED = "What you typed before your session ended has been restored."


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def age(client, seconds: int) -> None:
    """Make the session's last-seen time ``seconds`` old."""
    session = client.session
    now = int(time.time())
    session[STARTED_KEY] = now - seconds - 10
    session[SEEN_KEY] = now - seconds
    session.save()


def log_in(client, email, next_url=URL):
    response = client.post(f"/accounts/login/?next={next_url}",
                           {"username": email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


# --- the warning and "Stay logged in" ---------------------------------------------------------

def test_pages_tell_the_script_how_long_the_session_has(client, campaign, editor_a):
    html = client.get("/").content.decode()
    assert 'id="session-timeout"' not in html  # nobody to warn
    client.force_login(editor_a)
    client.get("/plans/")
    age(client, 50)  # stored 50 s ago (the middleware rewrites it once a minute only)
    html = english(client).get(URL).content.decode()
    left = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert IDLE - 52 <= left <= IDLE - 49
    assert 'data-warn="120"' in html
    assert "Your session is about to end" in html and "Stay logged in" in html
    assert re.search(r'<script src="/static/dxday/session\.(\w+\.)?js" defer>', html)
    assert 'action="/accounts/session/extend/"' in html
    assert "data-keeps-typing" in html  # the plan form: its typing is kept after the end


def test_status_does_not_count_as_activity(client, campaign, editor_a):
    client.force_login(editor_a)
    client.get("/plans/")
    age(client, 25 * 60)
    answer = client.get("/accounts/session/status/")
    assert answer.status_code == 200
    assert IDLE - 25 * 60 - 2 <= answer.json()["seconds_left"] <= IDLE - 25 * 60
    assert client.session[SEEN_KEY] <= int(time.time()) - 25 * 60  # not moved


def test_extend_starts_the_idle_time_again(campaign, editor_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor_a)
    page = browser.get(URL).content.decode()
    age(browser, 28 * 60 + 30)
    assert browser.post("/accounts/session/extend/").status_code == 403  # CSRF
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = browser.post("/accounts/session/extend/", {"csrfmiddlewaretoken": token},
                          headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.json()["seconds_left"] >= IDLE - 1
    assert browser.session[SEEN_KEY] >= int(time.time()) - 1
    age(browser, 31 * 60)  # and it still ends when idle
    gone = browser.get("/accounts/session/status/", headers={"Accept": "application/json"})
    assert gone.status_code == 401
    assert browser.get(URL).status_code == 302


def test_extend_cannot_pass_the_absolute_limit(client, campaign, editor_a, settings):
    client.force_login(editor_a)
    client.get("/plans/")
    session = client.session
    session[STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.post("/accounts/session/extend/").json()["seconds_left"] <= 60


def test_after_the_end_status_and_extend_answer_401(client, campaign, editor_a):
    client.force_login(editor_a)
    client.get("/plans/")
    age(client, IDLE + 5)
    answer = client.get("/accounts/session/status/", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    answer = client.post("/accounts/session/extend/", headers={"Accept": "application/json"})
    assert answer.status_code == 401 and answer.json()["seconds_left"] == 0


# --- a save after the end ---------------------------------------------------------------------

def typed(good_plan):
    return {**good_plan, "summary": "Gõ trước khi hết phiên",
            "contact": {**good_plan["contact"], "name": "Trần Thị Bình"},
            "activities": [{**good_plan["activities"][0], "title": "Hoạt động gõ dở"}]}


def test_a_save_after_the_end_is_restored_after_logging_in(client, campaign, editor_a,
                                                           good_plan):
    english(client)
    log_in(client, editor_a.email)
    client.post(URL, form_data(good_plan, action="save"))
    age(client, IDLE + 60)
    response = client.post(URL, form_data(typed(good_plan), action="save"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fplans%2F2026%2F48%2F"
    assert Plan.objects.get().draft["summary"] == good_plan["summary"]  # nothing saved
    login_page = client.get(response["Location"]).content.decode()
    assert 'id="session-kept-note"' in login_page
    assert log_in(client, editor_a.email)["Location"] == URL
    html = client.get(URL).content.decode()
    assert RESTORED in html and "press Save draft" in html
    assert "Gõ trước khi hết phiên" in html
    assert 'value="Trần Thị Bình"' in html and 'value="Hoạt động gõ dở"' in html
    assert "attach it again" not in html
    assert STASH_KEY not in client.session  # once only
    again = client.get(URL).content.decode()
    assert RESTORED not in again and "Gõ trước khi hết phiên" not in again
    # Saved as typed once the editor presses Save draft on the restored form.
    client.post(URL, form_data(typed(good_plan), action="save"))
    assert Plan.objects.get().draft["activities"][0]["title"] == "Hoạt động gõ dở"


def test_an_attached_file_is_not_kept_and_the_user_is_told(client, campaign, editor_a,
                                                           good_plan):
    english(client)
    log_in(client, editor_a.email)
    client.get(URL)
    age(client, IDLE + 60)
    upload = SimpleUploadedFile("kh.pdf", pdf_bytes(200), content_type="application/pdf")
    client.post(URL, form_data(typed(good_plan), action="save", document=upload))
    log_in(client, editor_a.email)
    html = client.get(URL).content.decode()
    assert RESTORED in html and "The file you had attached was not kept" in html
    assert not Plan.objects.filter(document__gt="").exists()


def test_a_post_from_an_already_ended_session_is_kept_too(client, campaign, editor_a,
                                                          good_plan):
    """The page's script asked for the status after the end: that request logged out, and
    the save then arrives without a user."""
    english(client)
    log_in(client, editor_a.email)
    client.get(URL)
    age(client, IDLE + 60)
    assert client.get("/accounts/session/status/",
                      headers={"Accept": "application/json"}).status_code == 401
    response = client.post(URL, form_data(typed(good_plan), action="submit"))
    assert response["Location"].startswith("/accounts/login/?next=")
    log_in(client, editor_a.email)
    assert "Gõ trước khi hết phiên" in client.get(URL).content.decode()


def test_a_forged_post_is_not_kept(campaign, editor_a, good_plan):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor_a)
    browser.get(URL)
    age(browser, IDLE + 60)
    response = browser.post(URL, form_data(typed(good_plan), action="save"))
    assert response.status_code == 302  # logged out all the same
    assert STASH_KEY not in browser.session


def test_another_unit_never_sees_what_was_kept(client, campaign, editor_a, editor_b,
                                               good_plan):
    log_in(client, editor_a.email)
    client.get(URL)
    age(client, IDLE + 60)
    client.post(URL, form_data(typed(good_plan), action="save"))
    log_in(client, editor_b.email, next_url="/plans/")
    assert client.get(URL).status_code == 404
    assert STASH_KEY not in client.session


def test_nothing_is_restored_into_a_plan_submitted_meanwhile(client, campaign, editor_a,
                                                             good_plan):
    from dxday.plans.services import plan_save_draft, plan_submit

    english(client)
    log_in(client, editor_a.email)
    client.get(URL)
    age(client, IDLE + 60)
    client.post(URL, form_data(typed(good_plan), action="save"))
    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=None)
    plan_submit(campaign=campaign, organisation=editor_a.organisation, by=None)
    log_in(client, editor_a.email)
    html = client.get(URL).content.decode()
    assert "could not be restored" in html and "Gõ trước khi hết phiên" not in html


def test_other_forms_after_the_end_are_not_kept(client, campaign, editor_a):
    client.force_login(editor_a)
    client.get("/plans/")
    age(client, IDLE + 60)
    response = client.post("/accounts/profile/", {"name": "token"})
    assert response["Location"].startswith("/accounts/login/")
    assert STASH_KEY not in client.session


def test_the_warning_works_on_the_two_factor_page(reviewer):
    """An agency user who has not yet given a code sees the same warning there."""
    browser = Client()
    log_in(browser, reviewer.email, next_url="/backoffice/")
    assert 'id="session-timeout"' in browser.get("/accounts/2fa/setup/").content.decode()
    assert browser.get("/accounts/session/status/").status_code == 200
    assert browser.post("/accounts/session/extend/").status_code == 200
    assert browser.get("/backoffice/")["Location"].startswith("/accounts/2fa/")
