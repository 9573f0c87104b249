"""The real stack for browser tests: gunicorn on a SQLite file of its own, headless Chromium."""

import contextlib
import dataclasses
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


OPEN_2026 = (
    "import datetime; from django.utils import timezone; "
    "from dxday.campaigns.models import Campaign; c = Campaign.objects.get(year=2026); "
    "c.submission_deadline = timezone.now() + datetime.timedelta(days=3); "
    "c.window_start = datetime.date(2026, 10, 1); c.window_end = datetime.date(2026, 10, 10); "
    "c.save()")


def adduser(email, role, org=None) -> str:
    """Code for `dxday shell` that runs `dxday adduser` (the password piped to it)."""
    args = [email, "--role", role, *(["--org", org] if org else [])]
    return ("import io, sys; from django.core.management import call_command; "
            f"sys.stdin = io.StringIO({PASSWORD + chr(10)!r}); call_command('adduser', *{args!r})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class Template:
    db: Path  # migrated, with the reference data
    static: Path  # collected static files (with their manifest)


_template: Template | None = None  # set once per session by the fixture below


@pytest.fixture(scope="session", autouse=True)
def template(reference_sqlite, collected_static):
    """What every stack starts from, made once per session: the migrated SQLite file with the
    reference data, and the collected static files."""
    global _template  # noqa: PLW0603 - stack() is a plain helper the fixtures call
    _template = Template(db=reference_sqlite, static=collected_static)
    yield _template
    _template = None


@contextlib.contextmanager
def stack(var, *, env=None, users=(), seeds=(), web_args=("--workers", "2"), worker=False):
    """The real stack on 127.0.0.1: a copy of the session's template SQLite file (migrated,
    with the reference data) and its collected static files, the ``users`` ((email, role, org
    code or None)), each ``seeds`` snippet run, gunicorn and, with ``worker``, the task worker.
    Yields {"base", "env", "var"}."""
    assert _template is not None, "stack() runs inside the browser tests' session"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    extra = env or {}
    env = {**os.environ, "DXDAY_VAR_DIR": str(var), "SITE_URL": base,
           "DATABASE_URL": f"sqlite:///{var}/dxday.sqlite3", "DEBUG": "false", **extra}
    if not extra.get("EMAIL_HOST"):
        env.pop("EMAIL_HOST", None)  # mail goes to files unless a test brings its server
    shutil.copyfile(_template.db, var / "dxday.sqlite3")
    (var / "static").symlink_to(_template.static, target_is_directory=True)
    if users or seeds:  # one process (each start of Django takes seconds on a busy machine)
        dxday(env, "shell", "--no-imports", "-c", "\n".join([
            *(adduser(email, role, org) for email, role, org in users), *seeds]))
    commands = [[BIN / "gunicorn", "dxday.wsgi", "--bind", f"127.0.0.1:{port}", *web_args]]
    if worker:
        commands.append([BIN / "dxday", "worker", "--interval", "0.2"])
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
                 for command in commands]
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        yield {"base": base, "env": env, "var": var}
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The 2026 campaign open (plans due in three days, activities 01–10/10/2026), an editor
    of Đà Nẵng, a reviewer, and Hà Nội's published plan."""
    users = [("bientap@danang.example.vn", "editor", "48"),
             ("thamdinh@cdsqg.example.vn", "reviewer", None)]
    with stack(tmp_path_factory.mktemp("server"), users=users,
               seeds=[OPEN_2026, SEED]) as running:
        yield running


@pytest.fixture(scope="module")  # Playwright runs an event loop while open: close it early
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make setup`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


