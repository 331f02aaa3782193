"""Run background jobs and the periodic schedules: `manage.py worker`.

One process does three things: django-tasks' database worker runs queued jobs
(imports, exports, reminders); a scheduler thread queues each periodic job once
per period (core/schedules.py); and a heartbeat row tells /readyz the worker is
alive. Run as many workers as you like, on as many machines as share the
database: jobs are claimed with row locks and periods with a unique key.
"""

import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from citkit.core.models import WorkerHeartbeat
from citkit.core.schedules import run_due

logger = logging.getLogger("citkit.worker")


class Scheduler(threading.Thread):
    """Every `every` seconds: write the heartbeat, queue the schedules that are due."""

    def __init__(self, worker_id: str, every: float):
        super().__init__(name="citkit-scheduler", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.tick()
            self.stopped.wait(self.every)
        connection.close()

    def tick(self) -> None:
        close_old_connections()
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id, defaults={"seen_at": timezone.now()}
            )
            run_due()
        except DatabaseError:
            # SQLite busy with a long import, or the database restarting: next tick.
            logger.warning("Scheduler tick skipped: the database did not answer", exc_info=True)


class Command(BaseCommand):
    help = "Run queued jobs and the periodic schedules (reminders, snapshots, clean-up)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )
        parser.add_argument(
            "--tick", type=float, default=30.0, help="seconds between scheduler runs"
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="run jobs only, no schedules"
        )
        parser.add_argument(
            "--id", dest="worker_id", default="", help="worker id (default: host name and process)"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then exit (for tests)"
        )

    def handle(self, *args, interval, tick, no_schedule, batch, worker_id, **options):
        worker_id = (worker_id or f"{socket.gethostname()}-{os.getpid()}")[:64]
        scheduler = None if no_schedule else Scheduler(worker_id, every=tick)
        if scheduler is not None:
            if batch:
                scheduler.tick()
            else:
                scheduler.start()
        self.stdout.write(
            f"citkit worker {worker_id} running jobs" + ("" if no_schedule else " and schedules")
        )
        worker = Worker(
            queue_names=settings.TASKS["default"].get("QUEUES", ["default"]),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        try:
            worker.run()
        finally:
            if scheduler is not None:
                scheduler.stopped.set()
