"""Several workers (as on several hosts) share one PostgreSQL queue: every task is run exactly
once, by one of them, and each leaves no heartbeat behind when it stops cleanly."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the PostgreSQL pass runs it")

ENQUEUE = """
from dxday.scanner.tasks import scan_due_campaigns
for _ in range(40):
    scan_due_campaigns.enqueue()
"""
RESULT = """
import json
from django_tasks_db.models import DBTaskResult
from dxday.ops.models import WorkerHeartbeat
rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
print(json.dumps({"rows": rows, "heartbeats": WorkerHeartbeat.objects.count()}))
"""


def test_two_workers_share_the_queue_and_run_each_task_once(tmp_path):
    import json

    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"dxday_workers_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": f"{base}/{name}", "DXDAY_VAR_DIR": str(tmp_path),
           "DEBUG": "false"}
    env.pop("TASKS_BACKEND", None)

    def dxday(*args):
        return subprocess.run([BIN / "dxday", *args], env=env, capture_output=True, text=True,
                              check=True, timeout=300, cwd=ROOT).stdout

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            dxday("migrate", "--no-input", "-v", "0")
            dxday("shell", "--no-imports", "-c", ENQUEUE)
            workers = [subprocess.Popen(
                [BIN / "dxday", "worker", "--batch", "--no-startup-delay", "--worker-id",
                 f"host-{n}"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL) for n in (1, 2)]
            assert [w.wait(120) for w in workers] == [0, 0]
            state = json.loads(dxday("shell", "--no-imports", "-c", RESULT).splitlines()[-1])
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    rows = state["rows"]
    assert len(rows) == 40
    assert all(status == "SUCCESSFUL" and len(ids) == 1 for status, ids in rows), rows
    assert {ids[0] for _, ids in rows} <= {"host-1", "host-2"}
    assert state["heartbeats"] == 0
