"""PostgreSQL restarted under load (bench/drill_postgres.py, shortened): 503 while it is down,
never a 500 or a dropped connection, 200 again after it is back without restarting gunicorn or
the worker."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.once, pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/usr/lib/postgresql/15/bin/initdb").exists()
    or not shutil.which("runuser"),
    reason="needs root and Debian's postgresql-15 binaries (a throwaway cluster is made)")]


def test_postgres_restart_under_load_recovers_by_itself(collected_static):
    run = subprocess.run([sys.executable, ROOT / "bench" / "drill_postgres.py", "--up", "2",
                          "--down", "4", "--after", "4", "--clients", "4", "--json",
                          "--static", collected_static],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["problems"] == [], run.stdout + run.stderr[-3000:]
    assert result["statuses"]["down"]["503"] > 0
    assert result["healthz_while_down"]["database"] == "down"
    assert result["healthz_after"][0] == 200
    assert all(result["processes_alive"])
