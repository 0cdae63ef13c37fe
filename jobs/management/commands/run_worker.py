"""The background worker: `python manage.py run_worker` runs the queued tasks (django.tasks
on the database) until stopped. Run one or more per machine; they share the queue.

It is django-tasks-db's `db_worker` (same options) with what production needs besides:

* a heartbeat every WORKER_HEARTBEAT_SECONDS, and every few beats a look for tasks whose
  worker has gone silent (killed, out of memory): those are queued again, up to
  TASK_MAX_ATTEMPTS runs (jobs.services.recover_lost_tasks);
* WORKER_PRELOAD imported before the first task (WeasyPrint alone takes most of a second);
* finished jobs older than JOB_KEEP_DAYS removed now and then;
* every queue by default, and never the autoreloader (a reloaded worker would leave its task
  behind).

SIGTERM or Ctrl+C lets the running task finish and then stops; give the container a stop
grace period longer than the longest task (a region's PDFs are one task each, about a second).
"""

from __future__ import annotations

import importlib
import logging
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs import services

logger = logging.getLogger("jobs.worker")

RECOVER_EVERY_BEATS = 3
PRUNE_EVERY_BEATS = 360


def preload() -> None:
    """Import what the tasks need (`module` or `module:function` to call once)."""
    for entry in settings.WORKER_PRELOAD:
        module, _, function = entry.partition(":")
        loaded = importlib.import_module(module)
        if function:
            getattr(loaded, function)()


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        beats = 0
        while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
            beats += 1
            try:
                services.beat(self.worker_id)
                if beats % RECOVER_EVERY_BEATS == 0:
                    services.recover_lost_tasks()
                if beats % PRUNE_EVERY_BEATS == 0:
                    services.prune()
            except Exception:
                logger.exception("Worker housekeeping failed; trying again at the next beat")
            finally:
                connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopping.set()


class Command(DatabaseWorkerCommand):
    help = "Run queued background tasks (reports, imports, …) until stopped."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args, **options):
        options["reload"] = False
        worker_id = options["worker_id"]
        preload()
        services.beat(worker_id)
        requeued, given_up = services.recover_lost_tasks()
        if requeued or given_up:
            logger.warning("Queued %s lost tasks again; gave up %s", requeued, given_up)
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            services.sign_off(worker_id)
