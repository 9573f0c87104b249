"""Drill: a worker is killed (SIGKILL) in the middle of a kit-check scan; another worker puts
the task back in the queue and finishes it. Every address ends with exactly one result: none
lost, none checked twice. Real processes (`dxday worker`), a real SQLite file, the corpus
sites on loopback with latency."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.scanner.corpus import synthetic as corpus

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.once  # its own database file: the same on every suite run

SEED = """
import sys
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from dxday.campaigns.models import Campaign
from dxday.registry.models import Website
from dxday.scanner import services, tasks
kit, urls = Path(sys.argv[1]), sys.argv[2:]
c = Campaign.objects.get(year=2026)
for path in sorted(p for p in kit.rglob("*") if p.is_file()):
    variant = "negative" if path.parent.name == "negatives" else "colour"
    services.kit_file_add(campaign=c, variant=variant,
                          upload=SimpleUploadedFile(path.name, path.read_bytes()))
Website.objects.all().delete()
for org, url in zip(c.recipients.order_by("code"), urls):
    Website.objects.create(organisation=org, kind="portal", url=url)
print(tasks.scan_campaign.enqueue(c.pk, False).id)
"""


def query(db, sql, *args):
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute(sql, args).fetchall()


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_scan_loses_nothing_and_repeats_nothing(tmp_path, reference_sqlite):
    labelled = corpus.build(3)
    sites = [s for s in labelled.sites if s.label != "error"][:12]
    kit = labelled.write_kit(tmp_path / "kit")
    db = tmp_path / "dxday.sqlite3"
    env = {**os.environ, "DXDAY_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{db}",
           "SCANNER_ALLOW_PRIVATE": "1", "SCANNER_RENDER": "0", "SCANNER_CONCURRENCY": "1",
           "SCANNER_TIMEOUT_SECONDS": "5", "WORKER_HEARTBEAT_SECONDS": "0.5",
           "WORKER_STALE_SECONDS": "3", "DEBUG": "false"}
    env.pop("TASKS_BACKEND", None)

    def dxday(*args):
        return subprocess.run([BIN / "dxday", *args], env=env, capture_output=True, text=True,
                              check=True, timeout=180).stdout

    shutil.copyfile(reference_sqlite, db)  # migrated, with the reference data
    with corpus.CorpusServer(sites, latency=0.25) as server:
        task_id = dxday("shell", "--no-imports", "-c",
                        f"import sys; sys.argv = ['', {str(kit)!r}, *{server.urls!r}]\n" + SEED
                        ).split()[-1]
        results = lambda: query(db, "SELECT count(*) FROM scanner_scanresult")[0][0]  # noqa: E731
        first = subprocess.Popen([BIN / "dxday", "worker", "--no-startup-delay", "--interval",
                                  "0.2"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for(lambda: results() >= 3, 120, "the first results")
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        cut_at = results()
        assert cut_at < len(sites), "the scan finished before the worker was killed"
        status = query(db, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id=?",
                       task_id.replace("-", ""))
        assert status == [("RUNNING",)]  # left running by the dead worker

        log = tmp_path / "second.log"
        with log.open("w") as out:
            second = subprocess.Popen([BIN / "dxday", "worker", "--no-startup-delay",
                                       "--interval", "0.2"], env=env, stdout=out,
                                      stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_for(lambda: query(
                    db, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id=?",
                    task_id.replace("-", "")) == [("SUCCESSFUL",)], 120, "the task to finish")
            finally:
                os.killpg(second.pid, signal.SIGTERM)
                second.wait(20)

    per_target = query(db, "SELECT target_id, count(*) FROM scanner_scanresult GROUP BY 1")
    targets = query(db, "SELECT count(*) FROM scanner_scantarget WHERE active")[0][0]
    assert targets == len(sites)
    assert len(per_target) == len(sites) and {n for _, n in per_target} == {1}
    workers = query(db, "SELECT worker_ids, return_value FROM "
                    "django_tasks_database_dbtaskresult WHERE id=?", task_id.replace("-", ""))
    import json

    worker_ids, returned = json.loads(workers[0][0]), json.loads(workers[0][1])
    assert len(worker_ids) == 2 and worker_ids[0] != worker_ids[1]
    assert returned == len(sites) - cut_at  # the second run checked only what was left
    assert "queued again" in log.read_text()
