"""The real stack for browser tests: gunicorn on a SQLite file of its own, headless Chromium."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Ngay-CDS-10/10"  # noqa: S105 - a test persona's password
# Hà Nội's published plan, so that every public page template has content to show.
SEED = """
from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
c = Campaign.objects.get(year=2026)
org = Organisation.objects.get(code="01")
data = {"summary": "Kế hoạch của Hà Nội", "contact": {"name": "Lê Văn B", "position": "",
        "phone": "024 3825 3536", "email": ""},
        "activities": [{"title": "Triển lãm chuyển đổi số Thủ đô", "category": "exhibition",
                        "start": "2026-10-08", "end": "2026-10-10", "location": "Hoàn Kiếm",
                        "province": "01", "format": "in_person", "audience": "Người dân",
                        "description": "Mô tả", "url": "https://hanoi.example.vn/"}],
        "initiatives": [{"name": "iHanoi", "description": "Ứng dụng công dân",
                         "beneficiaries": ["citizens"], "sector": "Dịch vụ công",
                         "url": "https://hanoi.example.vn/ihanoi", "launch_date": "2026-10-10"}],
        "communications": [], "display_urls": []}
plan_save_draft(campaign=c, organisation=org, data=data, by=None)
plan = plan_submit(campaign=c, organisation=org, by=None)
plan_review(plan=plan, by=User.objects.get(role="reviewer"), decision="accept")
"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def dxday(env, *args, stdin=None):
    return subprocess.run([BIN / "dxday", *args], env=env, input=stdin, text=True,
                          capture_output=True, check=True, timeout=120)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DXDAY_VAR_DIR": str(var), "SITE_URL": base,
           "DATABASE_URL": f"sqlite:///{var}/dxday.sqlite3", "DEBUG": "false"}
    env.pop("EMAIL_HOST", None)
    dxday(env, "migrate", "--no-input", "-v", "0")
    dxday(env, "load_reference")
    dxday(env, "collectstatic", "--no-input", "-v", "0")
    # The 2026 campaign opens: plans due in three days, activities 01–10/10/2026.
    dxday(env, "shell", "--no-imports", "-c", (
        "import datetime; from django.utils import timezone; "
        "from dxday.campaigns.models import Campaign; c = Campaign.objects.get(year=2026); "
        "c.submission_deadline = timezone.now() + datetime.timedelta(days=3); "
        "c.window_start = datetime.date(2026, 10, 1); c.window_end = datetime.date(2026, 10, 10); "
        "c.save()"))
    dxday(env, "adduser", "bientap@danang.example.vn", "--role", "editor", "--org", "48",
          stdin=PASSWORD + "\n")
    dxday(env, "adduser", "thamdinh@cdsqg.example.vn", "--role", "reviewer",
          stdin=PASSWORD + "\n")
    dxday(env, "shell", "--no-imports", "-c", SEED)
    web = subprocess.Popen([BIN / "gunicorn", "dxday.wsgi", "--bind", f"127.0.0.1:{port}",
                            "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        yield {"base": base, "env": env, "var": var}
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=20)


@pytest.fixture(scope="module")  # Playwright runs an event loop while open: close it early
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make setup`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


