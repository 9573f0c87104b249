"""Worker heartbeats, tasks lost with their worker, and the health of the platform.

A worker (`dxday worker`) writes its heartbeat every WORKER_HEARTBEAT_SECONDS. A task still
marked running whose worker has not beaten for WORKER_STALE_SECONDS was lost with that worker
(killed, out of memory, machine gone): any live worker puts it back in the queue, at most
WORKER_MAX_ATTEMPTS runs in all, then it is marked failed. The tasks themselves make a second
run harmless (a report already done is not redone; a scan skips addresses already checked).
"""

import datetime
import logging
import traceback

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dxday.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task stopped beating before the task finished."""


def heartbeat_beat(*, worker_id: str, host: str, pid: int, started_at: datetime.datetime
                   ) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": host[:255], "pid": pid, "started_at": started_at, "last_seen": now})


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)


def tasks_requeue_lost(*, now: datetime.datetime | None = None) -> dict:
    """Put back in the queue the running tasks of workers that stopped beating."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    dead = set(WorkerHeartbeat.objects.filter(last_seen__lt=_stale_before(now))
               .values_list("worker_id", flat=True))
    counts = {"requeued": 0, "failed": 0}
    if not dead:
        return counts
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "id", "worker_ids", "started_at", "task_path"):
        if not row.worker_ids or row.worker_ids[-1] not in dead:
            continue
        # Conditional update: another worker doing the same at the same time changes nothing.
        same = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING,
                                           started_at=row.started_at)
        if len(row.worker_ids) >= settings.WORKER_MAX_ATTEMPTS:
            error = WorkerLost(f"worker {row.worker_ids[-1]} lost {len(row.worker_ids)} times")
            done = same.update(
                status=TaskResultStatus.FAILED, finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="".join(traceback.format_exception_only(error)))
            counts["failed"] += done
        else:
            done = same.update(status=TaskResultStatus.READY, started_at=None)
            counts["requeued"] += done
        if done:
            logger.warning("Task %s (%s) lost with worker %s: %s", row.pk, row.task_path,
                           row.worker_ids[-1], "failed" if len(row.worker_ids) >=
                           settings.WORKER_MAX_ATTEMPTS else "queued again")
    # Heartbeats of workers gone for a day are forgotten.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - datetime.timedelta(days=1)).delete()
    return counts


def tasks_requeue_own(*, worker_id: str) -> int:
    """A worker that lost its database mid-task puts that task back (it runs nothing now)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    requeued = 0
    with transaction.atomic():
        for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
                "id", "worker_ids", "started_at"):
            if row.worker_ids and row.worker_ids[-1] == worker_id:
                requeued += DBTaskResult.objects.filter(
                    pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
                ).update(status=TaskResultStatus.READY, started_at=None)
    return requeued


def _workers_alive(now: datetime.datetime) -> int:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq."):
        import django_rq
        from rq import Worker

        workers = Worker.all(connection=django_rq.get_connection("default"))
        return sum(1 for w in workers
                   if w.last_heartbeat and w.last_heartbeat.replace(
                       tzinfo=datetime.UTC) >= _stale_before(now))
    if backend.startswith("django_tasks_db."):
        return WorkerHeartbeat.objects.filter(last_seen__gte=_stale_before(now)).count()
    return 1  # tasks run in the web process (tests, the immediate backend)


def health() -> tuple[bool, dict]:
    """(healthy, details): the database answers, and a worker beat recently."""
    now = timezone.now()
    details: dict = {"time": now.isoformat()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        details["database"] = "ok"
    except Exception as exc:  # any failure to reach the database is "down"
        details["database"] = "down"
        details["database_error"] = type(exc).__name__
        details["workers"] = "unknown"
        return False, details
    try:
        alive = _workers_alive(now)
    except Exception as exc:  # the queue's store (Redis) unreachable
        details["workers"] = "down"
        details["workers_error"] = type(exc).__name__
        return False, details
    details["workers_alive"] = alive
    details["workers"] = "ok" if alive else "down"
    return bool(alive), details
