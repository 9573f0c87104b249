"""The platform around the apps: database settings, the console script, text at the boundary."""

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.db import connection

from dxday.registry.models import Organisation

BIN = Path(sys.executable).parent


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "x.sqlite3")})
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        wrapper.close()


def run_dxday(*args, tmp_path, **env):
    """Run the console script on a database of its own in tmp_path, whatever the suite runs on."""
    environment = {**os.environ, "DXDAY_VAR_DIR": str(tmp_path),
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'dxday.sqlite3'}", **env}
    return subprocess.run([BIN / "dxday", *args], capture_output=True, text=True,
                          env=environment, timeout=120, check=False)


def test_console_script_is_manage_py(tmp_path):
    result = run_dxday("help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("load_reference", "migrate", "worker", "backup", "restore"):
        assert command in result.stdout


def test_fresh_database_migrates_and_loads_from_the_command_line(tmp_path):
    assert run_dxday("migrate", "--no-input", "-v", "0", tmp_path=tmp_path).returncode == 0
    first = run_dxday("load_reference", tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    # What it says it created is what the database holds: organisations, documents, campaigns
    # and the campaigns' documents (counted from the rows).
    import sqlite3

    with sqlite3.connect(tmp_path / "dxday.sqlite3") as db:
        rows = sum(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                   for table in ("registry_organisation", "registry_document",
                                 "campaigns_campaign", "campaigns_campaigndocument"))
    assert rows > 3400
    assert f"created {rows}, updated 0, unchanged 0" in first.stdout
    second = run_dxday("load_reference", tmp_path=tmp_path)
    assert f"created 0, updated 0, unchanged {rows}" in second.stdout
    assert (tmp_path / "dxday.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_text_entered_in_nfd_is_stored_in_nfc(admin_client):
    nfd_name = unicodedata.normalize("NFD", "Sở Khoa học và Công nghệ Hà Nội")
    response = admin_client.post("/admin/registry/organisation/add/", {
        "code": "SKHCN-HN", "name": nfd_name, "short_name": "", "kind": "other",
        "official_code": "", "note": "",
        "successions_out-TOTAL_FORMS": "0", "successions_out-INITIAL_FORMS": "0",
        "websites-TOTAL_FORMS": "0", "websites-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Organisation.objects.get(code="SKHCN-HN").name
    assert stored == "Sở Khoa học và Công nghệ Hà Nội"
    assert unicodedata.is_normalized("NFC", stored)


@pytest.mark.django_db
def test_nfc_applies_to_every_write():
    org = Organisation.objects.create(code="X-NFD", kind="other",
                                      name=unicodedata.normalize("NFD", "Đắk Lắk"))
    org.refresh_from_db()
    assert org.name == "Đắk Lắk" and unicodedata.is_normalized("NFC", org.name)


@pytest.mark.django_db
def test_an_organisation_cannot_end_before_it_starts():
    import datetime

    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(code="X-BAD", kind="other", name="X",
                                    valid_from=datetime.date(2025, 1, 2),
                                    valid_to=datetime.date(2025, 1, 1))
