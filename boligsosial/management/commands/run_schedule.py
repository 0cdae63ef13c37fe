"""python manage.py run_schedule [--once]

The commands a server runs on a schedule, in one long-running process (compose's `scheduler`
service; or leave it out and use cron, README: E-mail): each command of
settings.SCHEDULED_COMMANDS every so many seconds. Every one of them is safe to run again and
beside another copy of itself, so a second scheduler, or one restarted in the middle, does no
harm. A command that fails is logged and tried again at its next time; the others go on.
SIGTERM lets the running command finish, then the scheduler stops.

--once runs every command once, in order, and stops (a cron job can run that every minute
for the frequent ones, but then the hourly ones run every minute too: they are cheap and
safe, yet the separate cron lines in the README are the better fit for cron).
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

logger = logging.getLogger("boligsosial.schedule")


class Command(BaseCommand):
    help = "Run the scheduled commands (e-mail, reminders, pruning) at their intervals."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run each command once and stop")

    def handle(self, *args, once: bool, **options):
        schedule = [(name, float(every)) for name, every in settings.SCHEDULED_COMMANDS]
        stop = threading.Event()
        if not once:
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
        due = dict.fromkeys((name for name, _every in schedule), 0.0)
        while not stop.is_set():
            for name, every in schedule:
                if stop.is_set() or time.monotonic() < due[name]:
                    continue
                self.run(name, verbosity=options["verbosity"])
                due[name] = time.monotonic() + every
            if once:
                return
            stop.wait(max(0.0, min(due.values()) - time.monotonic()))

    def run(self, name: str, *, verbosity: int) -> None:
        fresh_connection()
        started = time.monotonic()
        try:
            call_command(name, verbosity=max(0, verbosity - 1), stdout=self.stdout)
        except Exception:
            logger.exception("scheduled command %s failed", name)
        else:
            logger.info("scheduled command %s done in %.1f s", name, time.monotonic() - started)
        finally:
            fresh_connection()


def fresh_connection() -> None:
    """Drop a connection the database closed or that outlived CONN_MAX_AGE, between commands
    (never inside a transaction: a test's, or a caller's)."""
    if not connection.in_atomic_block:
        close_old_connections()
