"""Shared fixtures: the reference data is loaded once per test session, as `make run` loads it;
every test runs in a transaction that is rolled back."""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import django.test
import pytest

from dxday.campaigns.services import reference_load

# Tests that never touch the suite's database (their own server and SQLite file, or none at
# all) run the same on every pass; the PostgreSQL pass skips them.
ONCE_MODULES = ("tests/browser/", "tests/scanner/test_http.py", "tests/scanner/test_images.py",
                "tests/scanner/test_scan.py")


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis"))
    for item in items:
        path = item.nodeid.replace("\\", "/")
        if path.startswith(ONCE_MODULES):
            item.add_marker(pytest.mark.once)
        if on_postgres and item.get_closest_marker("once"):
            item.add_marker(pytest.mark.skip(reason="independent of the database: run in the "
                                                    "SQLite pass"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture(scope="session")
def reference_sqlite(tmp_path_factory):
    """A SQLite file migrated and loaded with the reference data by the real commands (`dxday
    migrate`, `dxday load_reference`), made once per session; tests that run the platform in
    processes of their own start from a copy of it instead of repeating both
    commands. Tests of those commands themselves run them on an empty file."""
    var = tmp_path_factory.mktemp("reference-sqlite")
    db = var / "dxday.sqlite3"
    env = {**os.environ, "DXDAY_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{db}",
           "DEBUG": "false", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    dxday = shutil.which("dxday", path=str(Path(sys.executable).parent))
    for args in (["migrate", "--no-input", "-v", "0"], ["load_reference"]):
        subprocess.run([dxday, *args], env=env, capture_output=True, text=True, check=True,
                       timeout=300)
    # One self-contained file: the write-ahead log folded in, so that a plain copy is whole
    # (each connection of the platform turns WAL on again).
    with contextlib.closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    return db



def _up_to_date(root: Path) -> bool:
    """Whether ``root`` holds collected static files newer than every source file and the
    settings."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [Path(sys.modules[settings.SETTINGS_MODULE].__file__)]
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            sources.append(Path(storage.path(path)))
    return max(source.stat().st_mtime for source in sources) <= manifest.stat().st_mtime


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Collected static files (with their manifest) for platforms the tests start in processes
    of their own: the suite's own STATIC_ROOT, collected by `make setup`, when it is up to
    date; else `dxday collectstatic` once per session (it compresses every file: minutes)."""
    from django.conf import settings

    root = Path(settings.STATIC_ROOT)
    if _up_to_date(root):
        return root
    var = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DXDAY_VAR_DIR": str(var), "DEBUG": "false",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    subprocess.run([shutil.which("dxday", path=str(Path(sys.executable).parent)),
                    "collectstatic", "--no-input", "-v", "0"], env=env, capture_output=True,
                   text=True, check=True, timeout=900)
    return var / "static"

class Client(django.test.Client):
    """Django's test client; force_login of an agency persona also passes the second factor
    (a confirmed authenticator and a verified session, as after entering a code), because
    agency pages require it. tests/accounts test the two-factor pages themselves."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.is_staff_reviewer:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                      or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    admin = Client()
    admin.force_login(admin_user)
    return admin


@pytest.fixture
def api(client):
    """GET a path under /api/v1/ and return (status, JSON)."""

    def get(path: str, **params):
        response = client.get(f"/api/v1/{path}", params)
        return response.status_code, response.json()

    return get


# --- personas, an open campaign, a real SMTP sink -------------------------------------------

import datetime  # noqa: E402
import email  # noqa: E402
import email.policy  # noqa: E402
import socket  # noqa: E402

from django.utils import timezone  # noqa: E402

PASSWORD = "Ngay-CDS-10/10"  # noqa: S105 - a test persona's password
ORG_A, ORG_B = "48", "BKHCN"  # Thành phố Đà Nẵng, Bộ Khoa học và Công nghệ


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache of its own."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "tests"}}
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test personas."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run at once in tests (the worker is tested through its command elsewhere)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def open_campaign():
    """The 2026 campaign, open: deadline in three days, window 01–10/10/2026."""
    from dxday.campaigns.models import Campaign

    c = Campaign.objects.get(year=2026)
    c.submission_deadline = timezone.now() + datetime.timedelta(days=3)
    c.window_start, c.window_end = datetime.date(2026, 10, 1), datetime.date(2026, 10, 10)
    c.save()
    return c


@pytest.fixture
def campaign(db):
    """The 2026 campaign, open: deadline in three days, window 01–10/10/2026."""
    return open_campaign()


# The settings the autouse fixtures above give each test, for data a module builds once.
TEST_SETTINGS = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                           "LOCATION": "tests"}},
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


@contextlib.contextmanager
def module_transaction(django_db_blocker):
    """For a module-scoped fixture of data: a transaction open while the module's tests run
    (each test runs in a savepoint of it, rolled back after the test, as with Django's
    TestCase.setUpTestData), rolled back after the last one."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def suite_settings(media):
    """The settings the autouse fixtures give each test, and ``media`` for uploads: for data
    a module builds once."""
    from django.test import override_settings

    return override_settings(MEDIA_ROOT=media, **TEST_SETTINGS)


def make_user(email_address, role, org_code=None):
    from dxday.accounts.services import user_create
    from dxday.registry.models import Organisation

    org = Organisation.objects.get(code=org_code) if org_code else None
    return user_create(email=email_address, role=role, organisation=org, password=PASSWORD)


@pytest.fixture
def editor_a(db):
    return make_user("bientap@danang.example.vn", "editor", ORG_A)


@pytest.fixture
def editor_b(db):
    return make_user("bientap@bkhcn.example.vn", "editor", ORG_B)


@pytest.fixture
def reviewer(db):
    return make_user("thamdinh@cdsqg.example.vn", "reviewer")


@pytest.fixture
def agency_admin(db):
    return make_user("quantri@cdsqg.example.vn", "admin")


@pytest.fixture
def token_of():
    from dxday.accounts.services import token_create

    def make(user):
        return token_create(user=user, name="test")[1]

    return make


@pytest.fixture
def good_plan():
    return good_plan_data()


def good_plan_data():
    return {
        "summary": "Kế hoạch hưởng ứng Ngày Chuyển đổi số quốc gia năm 2026 của Đà Nẵng.",
        "contact": {"name": "Nguyễn Văn An", "position": "Phó Giám đốc Sở",
                    "phone": "0236 3822 111", "email": "an@danang.example.vn"},
        "activities": [{"title": "Hội thảo chuyển đổi số", "category": "conference",
                        "start": "2026-10-05", "end": "2026-10-06", "location": "Hội trường",
                        "province": "48", "format": "hybrid", "audience": "Doanh nghiệp",
                        "description": "", "url": "https://danang.example.vn/hoi-thao"}],
        "initiatives": [{"name": "Ví điện tử công dân", "description": "",
                         "beneficiaries": ["citizens"], "sector": "Dịch vụ công",
                         "url": "https://danang.example.vn/vi", "launch_date": "2026-10-10"}],
        "communications": [{"title": "Phóng sự", "channel": "tv", "url": "", "date": ""}],
        "display_urls": [{"url": "https://danang.example.vn/", "kind": "portal"}],
    }


class _Sink:
    def __init__(self):
        self.messages = []
        self.refuse: set[str] = set()  # addresses the server refuses, as a real one would

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": message["subject"],
                              "body": message.get_body().get_content()})
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def bearer(client):
    """Call the API with a bearer token: bearer(key).put(path, json)."""
    import json as json_module

    class Caller:
        def __init__(self, key):
            self.headers = {"Authorization": f"Bearer {key}"} if key else {}

        def _call(self, method, path, body=None):
            kwargs = {"headers": self.headers}
            if body is not None:
                kwargs.update(data=json_module.dumps(body), content_type="application/json")
            response = getattr(client, method)(f"/api/v1/{path}", **kwargs)
            return response.status_code, (response.json() if response.content else None)

        def get(self, path):
            return self._call("get", path)

        def put(self, path, body):
            return self._call("put", path, body)

        def post(self, path, body=None):
            return self._call("post", path, body if body is not None else {})

    return Caller


def pdf_bytes(size: int = 0, *, javascript: str | None = None, launch: bool = False,
              attachment: bool = False, hidden_javascript: bool = False) -> bytes:
    """A real one-page PDF (pypdf) padded to about ``size`` bytes, optionally carrying active
    content: document JavaScript, a launch action, an attached file, or JavaScript in a page
    action written with escaped names inside a compressed object stream."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    if size:
        content = DecodedStreamObject()
        content.set_data(b"% " + b"0" * size + b"\n")
        page[NameObject("/Contents")] = writer._add_object(content)
    if javascript:  # a document-level script, in the catalogue's /Names tree
        action = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(javascript)}))
        writer._root_object[NameObject("/Names")] = DictionaryObject({
            NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): ArrayObject(
                [TextStringObject("init"), action])})})
    if launch:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe")})
    if attachment:
        writer.add_attachment("run.bat", b"echo hello")
    if hidden_javascript:
        action = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)")}))
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
        writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    raw = buffer.getvalue()
    if hidden_javascript:
        assert b"/JavaScript" in raw  # then escape the names so a byte search misses them
        raw = raw.replace(b"/JavaScript", b"/J#61vaScript")
    return raw
