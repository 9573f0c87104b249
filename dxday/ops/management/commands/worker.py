"""`dxday worker`: django-tasks-db's worker with a heartbeat, lost-task recovery and patience
when the database goes away.

Run one or more on any host that shares the database. Options are those of `db_worker`
(--queue-name, --interval, --batch, --max-tasks, --worker-id, …), without --reload.
"""

import contextlib
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from dxday.ops import services

logger = logging.getLogger("dxday.worker")
DATABASE_RETRY_SECONDS = 5


class HeartbeatWorker(Worker):
    def run(self) -> None:
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._beat()  # before the first task, so a lost task is never blamed on us
        beater = threading.Thread(target=self._beat_loop, name="heartbeat", daemon=True)
        beater.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except (OperationalError, InterfaceError) as exc:
                    if not self.running:
                        raise
                    logger.warning("Database unavailable (%s); trying again in %s s",
                                   exc, DATABASE_RETRY_SECONDS)
                    self.running_task = False
                    self._wait_for_database()
        finally:
            self._stop.set()
            with contextlib.suppress(OperationalError, InterfaceError):
                services.heartbeat_stop(worker_id=self.worker_id)

    def _wait_for_database(self) -> None:
        while self.running:
            close_old_connections()
            connections.close_all()
            time.sleep(DATABASE_RETRY_SECONDS)
            try:
                requeued = services.tasks_requeue_own(worker_id=self.worker_id)
            except (OperationalError, InterfaceError):
                continue
            if requeued:
                logger.warning("Put back %s task(s) cut short by the database outage", requeued)
            return

    def _beat(self) -> None:
        services.heartbeat_beat(worker_id=self.worker_id, host=socket.gethostname(),
                                pid=os.getpid(), started_at=self.started_at)

    def _beat_loop(self) -> None:
        while not self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                self._beat()
                counts = services.tasks_requeue_lost()
                if any(counts.values()):
                    logger.warning("Tasks of lost workers: %s", counts)
            except Exception:  # never let the heartbeat die; the database may come back
                logger.exception("Heartbeat failed")
                connections.close_all()
        connections.close_all()


class Command(DBWorkerCommand):
    help = "Run a background worker (with heartbeat and recovery of lost tasks)"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch,
            backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [])
        worker.configure_signals()
        worker.run()
