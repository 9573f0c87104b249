"""Restore drill: a platform with plans, a signed document, a report and a kit is backed up
with `dxday backup`, restored with `dxday restore` onto a fresh one, and the two are compared
table by table and file by file. A damaged backup is refused before anything changes."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

SEED = """
import datetime
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from dxday.accounts.services import user_create
from dxday.campaigns.models import Campaign
from dxday.plans.services import plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from dxday.reports.services import report_generate
from dxday.reports.models import ReportGeneration
from dxday.scanner.services import kit_file_add
from tests.conftest import pdf_bytes
from tests.scanner.conftest import logo_png
c = Campaign.objects.get(year=2026)
c.submission_deadline = timezone.now() + datetime.timedelta(days=3)
c.save()
for code in ("48", "01", "BKHCN"):
    org = Organisation.objects.get(code=code)
    user = user_create(email=f"editor-{code.lower()}@example.vn", role="editor",
                       organisation=org, password="Ngay-CDS-10/10")
    data = {"summary": f"Kế hoạch của {org.name}", "contact": {"name": "Nguyễn Văn An",
            "position": "", "phone": "024 3825 3536", "email": ""},
            "activities": [], "communications": [], "display_urls": [],
            "initiatives": [{"name": "Dịch vụ công trực tuyến", "description": "",
                             "beneficiaries": ["citizens"], "sector": "Dịch vụ công",
                             "url": "", "launch_date": "2026-10-10"}]}
    plan_save_draft(campaign=c, organisation=org, data=data, by=user,
                    upload=SimpleUploadedFile("ke-hoach.pdf", pdf_bytes(20000)))
    plan_submit(campaign=c, organisation=org, by=user)
kit_file_add(campaign=c, variant="colour", upload=SimpleUploadedFile("logo.png", logo_png(1)))
report_generate(generation=ReportGeneration.objects.create(campaign=c))
"""
STATE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from dxday.ops.backup import table_counts
root = Path(settings.MEDIA_ROOT)
files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(root.rglob("*")) if p.is_file()}
print(json.dumps({"tables": table_counts(), "media": files}))
"""


def platform(var: Path, database_url: str) -> dict:
    env = {**os.environ, "DXDAY_VAR_DIR": str(var), "DATABASE_URL": database_url,
           "PYTHONPATH": str(ROOT), "DEBUG": "false"}
    env.pop("TASKS_BACKEND", None)
    return env


def dxday(env, *args, check=True):
    return subprocess.run([BIN / "dxday", *args], env=env, capture_output=True, text=True,
                          check=check, timeout=300, cwd=ROOT)


def state(env) -> dict:
    return json.loads(dxday(env, "shell", "--no-imports", "-c", STATE).stdout.splitlines()[-1])


def drill(tmp_path, source_url, target_url, reference_sqlite=None):
    """``reference_sqlite``: a SQLite file migrated with the reference data that the source
    starts from (``source_url`` names where it is copied), instead of both commands."""
    source, target = platform(tmp_path / "a", source_url), platform(tmp_path / "b", target_url)
    if reference_sqlite:
        shutil.copyfile(reference_sqlite, source_url.removeprefix("sqlite:///"))
    else:
        dxday(source, "migrate", "--no-input", "-v", "0")
        dxday(source, "load_reference")
    dxday(source, "shell", "--no-imports", "-c", SEED)
    before = state(source)
    assert before["tables"]["plans_plan"] == 3 and before["tables"]["plans_planversion"] == 3
    assert len([f for f in before["media"] if f.startswith("plans/")]) == 3
    assert any(f.startswith("reports/") for f in before["media"])

    backup = tmp_path / "backup"
    out = dxday(source, "backup", str(backup)).stdout
    assert "media: " in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"] == before["tables"]
    assert {k: v["sha256"] for k, v in manifest["media"].items()} == before["media"]
    refused = dxday(source, "backup", str(backup), check=False)  # never over an old backup
    assert refused.returncode != 0 and "not empty" in refused.stderr

    dxday(target, "migrate", "--no-input", "-v", "0")
    # A damaged backup is refused before anything changes.
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-a", str(backup), str(damaged)], check=True)
    victim = next(p for p in (damaged / "media" / "plans").rglob("*.pdf"))
    victim.write_bytes(victim.read_bytes()[:-10] + b"tampered!!")
    refused = dxday(target, "restore", str(damaged), check=False)
    assert refused.returncode != 0 and "damaged" in refused.stderr
    assert state(target)["tables"].get("plans_plan") == 0

    out = dxday(target, "restore", str(backup)).stdout
    assert "verified" in out
    after = state(target)
    assert after == before  # every table's rows, every file's bytes
    # The restored platform works: a second restore over it needs --force.
    refused = dxday(target, "restore", str(backup), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert "verified" in dxday(target, "restore", str(backup), "--force").stdout


@pytest.mark.once
def test_sqlite_backup_restores_to_an_identical_platform(tmp_path, reference_sqlite):
    drill(tmp_path, f"sqlite:///{tmp_path}/a.sqlite3", f"sqlite:///{tmp_path}/b.sqlite3",
          reference_sqlite)


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL pass runs it (pg_dump/pg_restore)")
def test_postgres_backup_restores_to_an_identical_platform(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"dxday_drill_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("a", "b")]
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            drill(tmp_path, f"{base}/{names[0]}", f"{base}/{names[1]}")
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
