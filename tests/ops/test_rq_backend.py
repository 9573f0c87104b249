"""The documented alternative: tasks on Redis (django-tasks-rq), run by `dxday rqworker`,
against the local Redis. A report requested in the web process is made by the RQ worker, and
/healthz sees RQ workers' heartbeats."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_DB = 14  # a database of the local Redis that only this test uses


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [pytest.mark.once,
              pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")]

REQUEST = """
from dxday.campaigns.models import Campaign
from dxday.reports.services import report_request
from django.db import transaction
with transaction.atomic():
    generation = report_request(campaign=Campaign.objects.get(year=2026), by=None)
print(generation.pk)
"""


def test_reports_run_on_the_rq_backend(tmp_path, reference_sqlite):
    import redis

    store = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    store.flushdb()
    env = {**os.environ, "DXDAY_VAR_DIR": str(tmp_path), "DEBUG": "false",
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "TASKS_BACKEND": "django_tasks_rq.RQBackend",
           "RQ_URL": f"redis://127.0.0.1:6379/{REDIS_DB}"}

    def dxday(*args):
        return subprocess.run([BIN / "dxday", *args], env=env, capture_output=True, text=True,
                              check=True, timeout=300, cwd=ROOT).stdout

    try:
        shutil.copyfile(reference_sqlite, tmp_path / "db.sqlite3")  # migrated, reference data
        health = ("from dxday.ops.services import health; ok, d = health(); "
                  "print(ok, d['workers'])")
        assert dxday("shell", "--no-imports", "-c", health).split()[-2:] == ["False", "down"]
        pk = dxday("shell", "--no-imports", "-c", REQUEST).split()[-1]
        assert store.llen("rq:queue:default") == 1  # queued in Redis, not in the database
        worker = subprocess.Popen([BIN / "dxday", "rqworker", "default", "--job-class",
                                   "django_tasks_rq.backend.Job"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  cwd=ROOT, start_new_session=True)
        try:
            wait = ("import time\nfrom dxday.reports.models import ReportGeneration as R\n"
                    "for _ in range(300):\n"
                    f"    status = R.objects.get(pk={pk}).status\n"
                    "    if status in ('done', 'failed'): break\n"
                    "    time.sleep(0.2)\n"
                    "print(status)")
            assert dxday("shell", "--no-imports", "-c", wait).split()[-1] == "done"
            assert dxday("shell", "--no-imports", "-c", health).split()[-2:] == ["True", "ok"]
        finally:
            worker.terminate()
            worker.wait(30)
    finally:
        store.flushdb()
