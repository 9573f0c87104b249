"""Second factor for agency staff, session limits, CSP, rate limits, production settings."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dxday.accounts.middleware import SEEN_KEY, STARTED_KEY
from tests.conftest import ORG_A, PASSWORD, Client

BIN = Path(sys.executable).parent


def log_in(browser, email):
    return browser.post("/accounts/login/", {"username": email, "password": PASSWORD})


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_agency_staff_set_up_then_give_a_code(reviewer, campaign):
    browser = Client()
    response = log_in(browser, reviewer.email)
    # The password alone opens nothing of the back office.
    assert browser.get("/backoffice/").status_code == 302
    assert browser.get("/backoffice/")["Location"].startswith("/accounts/2fa/setup/")
    page = browser.get("/accounts/2fa/setup/?next=/backoffice/")
    html = page.content.decode()
    assert "<svg" in html and 'id="otp-secret"' in html
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = browser.post("/accounts/2fa/setup/", {"otp_token": "000000", "next": "/backoffice/"})
    assert wrong.status_code == 200 and "id_otp_token-error" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes the next try wait after a wrong code
    response = browser.post("/accounts/2fa/setup/", {"otp_token": code_for(device),
                                                     "next": "/backoffice/"})
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert browser.get("/backoffice/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # The next login asks for a code; the one already used is refused (no replay).
    browser.post("/accounts/logout/")
    log_in(browser, reviewer.email)
    assert browser.get("/backoffice/")["Location"].startswith("/accounts/2fa/verify/")
    replay = browser.post("/accounts/2fa/verify/", {"otp_token": code_for(device)})
    assert replay.status_code == 200
    assert browser.get("/backoffice/").status_code == 302
    time.sleep(1.1)
    # A foreign "next" is not followed.
    response = browser.post("/accounts/2fa/verify/", {"otp_token": code_for(device, 1),
                                                      "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert browser.get("/backoffice/").status_code == 200


def test_unit_editors_need_no_second_factor(editor_a, campaign):
    browser = Client()
    assert log_in(browser, editor_a.email).status_code == 302
    assert browser.get("/plans/").status_code == 200
    assert not TOTPDevice.objects.filter(user=editor_a).exists()


def test_an_unverified_agency_session_cannot_use_htmx_or_admin(agency_admin):
    browser = Client()
    log_in(browser, agency_admin.email)
    assert browser.get("/admin/")["Location"].startswith("/accounts/2fa/setup/")
    assert browser.get("/backoffice/", headers={"HX-Request": "true"}).status_code == 403


@pytest.mark.parametrize(("key", "age"), [(STARTED_KEY, 12 * 3600 + 5), (SEEN_KEY, 30 * 60 + 5)])
def test_sessions_end_after_12_hours_or_30_idle_minutes(client, editor_a, campaign, key, age):
    client.force_login(editor_a)
    assert client.get("/plans/").status_code == 200
    session = client.session
    now = int(time.time())
    session[STARTED_KEY] = session[SEEN_KEY] = now - 60
    session[key] = now - age
    session.save()
    response = client.get("/plans/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/plans/")["Location"].startswith("/accounts/login/")  # logged out


def test_activity_keeps_a_session_alive(client, editor_a, campaign):
    client.force_login(editor_a)
    client.get("/plans/")
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/plans/").status_code == 200
    assert client.session[SEEN_KEY] >= int(time.time()) - 5


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>",
                           re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style", re.I)


def test_every_html_page_has_a_csp_and_no_inline_code(client, reviewer, editor_a, campaign,
                                                      good_plan):
    from dxday.plans.services import plan_review, plan_save_draft, plan_submit

    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=editor_a)
    plan_review(plan=plan_submit(campaign=campaign, organisation=editor_a.organisation,
                                 by=editor_a), by=reviewer, decision="accept")
    pages = ["/", "/campaigns/2026/", "/campaigns/2026/calendar/", "/campaigns/2026/map/",
             "/campaigns/2026/kit/", "/search/?q=số", "/accounts/login/", "/api/v1/docs",
             f"/organisations/{ORG_A}/", "/no-such-page/"]
    client.force_login(editor_a)
    pages += ["/plans/", "/plans/2026/", "/accounts/profile/"]
    for path in pages:
        response = client.get(path, follow=True)
        assert response["Content-Type"].startswith("text/html"), path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), path
        assert not EVENT_HANDLER.search(html), path
        assert not INLINE_STYLE.search(html), path
    client.force_login(reviewer)
    for path in ["/backoffice/", "/backoffice/2026/", f"/backoffice/2026/plans/{ORG_A}/",
                 "/backoffice/2026/kit/", "/backoffice/2026/reports/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html) and not EVENT_HANDLER.search(html), path
        assert not INLINE_STYLE.search(html), path


def test_login_attempts_are_rate_limited_per_address(client, editor_a, settings):
    settings.RATELIMIT_LOGIN = "3/m"
    for _ in range(3):
        assert client.post("/accounts/login/", {"username": "x@example.vn",
                                                "password": "wrong"}).status_code == 200
    refused = client.post("/accounts/login/", {"username": editor_a.email,
                                               "password": PASSWORD})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert log_in(other, editor_a.email).status_code == 302


def test_the_write_api_is_rate_limited_per_token(client, editor_a, campaign, good_plan,
                                                 token_of, monkeypatch):
    import json

    from dxday.api.plans import WRITE_THROTTLE

    monkeypatch.setattr(WRITE_THROTTLE, "num_requests", 2)
    headers = {"Authorization": f"Bearer {token_of(editor_a)}"}
    url = f"/api/v1/campaigns/2026/plans/{ORG_A}"
    for _ in range(2):
        assert client.put(url, json.dumps(good_plan), content_type="application/json",
                          headers=headers).status_code == 200
    refused = client.put(url, json.dumps(good_plan), content_type="application/json",
                         headers=headers)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "detail" in refused.json()
    # Reading is not limited; another unit's token is not affected.
    assert client.get(url, headers=headers).status_code == 200


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {**os.environ, "HTTPS": "1", "DEBUG": "0", "DXDAY_VAR_DIR": str(tmp_path),
           "SECRET_KEY": "k" * 20 + "-production-only-secret-0123456789abcdefXYZ",
           "ALLOWED_HOSTS": "dxday.example.gov.vn"}
    result = subprocess.run([BIN / "dxday", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    script = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
              "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)")
    shown = subprocess.run([BIN / "dxday", "shell", "--no-imports", "-c", script], env=env,
                           capture_output=True, text=True, timeout=120).stdout.split()
    assert shown == ["True", "True", "31536000", "True"]


def test_hsts_and_secure_cookies_when_served_over_https(client, editor_a, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"]
    response = client.post("/accounts/login/", {"username": editor_a.email,
                                                "password": PASSWORD}, secure=True)
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]


def test_an_admin_resets_a_lost_authenticator(admin_client, reviewer, campaign):
    browser = Client()
    browser.force_login(reviewer)  # pairs a device and verifies the session
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1
    response = admin_client.post("/admin/accounts/user/", {
        "action": "reset_two_factor", "_selected_action": [reviewer.pk]}, follow=True)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    fresh = Client()
    log_in(fresh, reviewer.email)
    assert fresh.get("/backoffice/")["Location"].startswith("/accounts/2fa/setup/")
