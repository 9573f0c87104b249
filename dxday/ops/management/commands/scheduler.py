"""``dxday scheduler``: enqueue the periodic jobs (reminders, kit checks) every few minutes.

`make run` starts it beside the web server and the worker. Run exactly one per deployment;
or run ``dxday scheduler --once`` from cron instead (see docs/deploy.md).
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from dxday.plans.tasks import send_due_reminders
from dxday.scanner.tasks import scan_due_campaigns


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (reminders) every SCHEDULER_INTERVAL_SECONDS seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue once and exit (cron)")
        parser.add_argument("--interval", type=int, default=settings.SCHEDULER_INTERVAL_SECONDS)

    def handle(self, *args, once=False, interval=300, **options):
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while True:
            result = send_due_reminders.enqueue()
            self.stdout.write(f"enqueued send_due_reminders ({result.id})")
            result = scan_due_campaigns.enqueue()
            self.stdout.write(f"enqueued scan_due_campaigns ({result.id})")
            if once or stop.wait(max(10, interval)):
                return
