"""Health check, the 503 page, lost tasks put back, a full disk, a report run twice."""

import contextlib
import datetime
import errno

import pytest
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dxday.ops.models import WorkerHeartbeat
from dxday.ops.services import heartbeat_beat, tasks_requeue_lost, tasks_requeue_own
from tests.conftest import ORG_A, Client

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def beat(worker_id, seconds_ago=0):
    heartbeat_beat(worker_id=worker_id, host="web-1", pid=123, started_at=timezone.now())
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        last_seen=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def test_healthz_reports_database_and_workers(client, db, settings):
    settings.TASKS = DB_TASKS
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() | {"time": None} == {
        "status": "unavailable", "database": "ok", "workers": "down", "workers_alive": 0,
        "time": None}
    beat("w1")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["workers_alive"] == 1
    assert "no-cache" in response["Cache-Control"]
    beat("w1", seconds_ago=settings.WORKER_STALE_SECONDS + 1)
    assert client.get("/healthz").status_code == 503


@contextlib.contextmanager
def broken_database(monkeypatch):
    """Every query fails as it does while PostgreSQL restarts (the drill in bench/ stops a
    real server)."""
    from django.db.backends import utils

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(utils.CursorWrapper, "execute", refuse)
        patch.setattr(utils.CursorWrapper, "executemany", refuse)
        yield


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    with broken_database(monkeypatch):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_pages_say_503_while_the_database_is_down(db, monkeypatch, editor_a):
    browser = Client(raise_request_exception=False)
    browser.force_login(editor_a)
    with broken_database(monkeypatch):
        responses = {path: browser.get(path) for path in (
            "/", "/campaigns/2026/", "/plans/", "/api/v1/organisations")}
    for path, response in responses.items():
        assert response.status_code == 503, path
        assert response["Retry-After"] == "30"
        assert "Hệ thống tạm thời gián đoạn" in response.content.decode()
    assert browser.get("/plans/").status_code == 200  # back without any restart


def test_other_server_errors_get_the_500_page(db, monkeypatch):
    from dxday.ops import views

    def bug():
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "health", bug)
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in response.content.decode()


def running_task(worker_ids, minutes_ago=5):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, task_path="dxday.scanner.tasks.scan_campaign",
        args_kwargs={"args": [1, True], "kwargs": {}}, queue_name="default",
        backend_name="default", priority=0, worker_ids=worker_ids,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))


def test_tasks_of_lost_workers_are_queued_again_then_failed(db, settings):
    beat("alive")
    beat("dead", seconds_ago=settings.WORKER_STALE_SECONDS + 5)
    lost = running_task(["dead"])
    lost_thrice = running_task(["dead", "dead", "dead"])
    busy = running_task(["alive"])
    unknown = running_task(["some-db_worker"])  # a worker without heartbeat: not judged
    assert tasks_requeue_lost() == {"requeued": 1, "failed": 1}
    for row in (lost, lost_thrice, busy, unknown):
        row.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()
    assert lost_thrice.status == TaskResultStatus.FAILED
    assert "WorkerLost" in lost_thrice.exception_class_path
    assert busy.status == unknown.status == TaskResultStatus.RUNNING
    # Twice changes nothing more.
    assert tasks_requeue_lost() == {"requeued": 0, "failed": 0}


def test_a_worker_puts_back_its_own_task_after_a_database_outage(db):
    mine, other = running_task(["me"]), running_task(["other"])
    assert tasks_requeue_own(worker_id="me") == 1
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == TaskResultStatus.READY and other.status == TaskResultStatus.RUNNING


def test_a_report_cut_short_is_made_again_once(campaign, tmp_path):
    from dxday.reports.models import ReportGeneration
    from dxday.reports.services import report_generate

    generation = ReportGeneration.objects.create(campaign=campaign, status="running")
    generation.xlsx.save("partial.xlsx", ContentFile(b"half"), save=True)
    partial = generation.xlsx.path
    done = report_generate(generation=generation)
    assert done.status == "done" and done.docx and done.pdf and done.xlsx
    assert done.xlsx.name != "partial.xlsx"
    import os

    assert not os.path.exists(partial)
    names = (done.docx.name, done.pdf.name, done.xlsx.name)
    again = report_generate(generation=done)  # delivered a second time: nothing redone
    assert (again.docx.name, again.pdf.name, again.xlsx.name) == names


@pytest.mark.parametrize(("code", "message"), [(errno.ENOSPC, "hết dung lượng"),
                                               (errno.EIO, "không lưu được tệp")])
def test_a_full_disk_saves_no_half_plan(client, campaign, editor_a, good_plan, monkeypatch,
                                        settings, code, message):
    from django.core.files.storage import FileSystemStorage

    from dxday.plans.models import Plan
    from tests.plans.test_web_plans import form_data, pdf

    client.force_login(editor_a)
    url = f"/plans/2026/{ORG_A}/"
    assert client.post(url, form_data(good_plan, action="save")).status_code == 302
    real_save = FileSystemStorage._save

    def full(self, name, content):
        real_save(self, name, ContentFile(b"%PDF-1.7 half written"))  # a partial file…
        raise OSError(code, "No space left on device" if code == errno.ENOSPC else "I/O")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    changed = {**good_plan, "summary": "Không được lưu khi đầy đĩa"}
    response = client.post(url, form_data(changed, action="save", document=pdf()))
    assert response.status_code == 422
    assert message in response.content.decode()
    plan = Plan.objects.get()
    assert plan.draft["summary"] == good_plan["summary"] and not plan.document
    media = settings.MEDIA_ROOT / "plans"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))  # …removed
