"""python manage.py send_outbox [--loop [--interval SECONDS]]

Sends the e-mail that is due. Run it on a schedule (every minute), or once with --loop as a
long-running process; several at a time do no harm (outbox/sender.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from outbox.sender import prune_sent, send_due_messages


class Command(BaseCommand):
    help = "Send the e-mail waiting in the outbox (safe to run often and in parallel)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="keep running, sending every --interval seconds"
        )
        parser.add_argument("--interval", type=float, default=30.0)
        parser.add_argument("--limit", type=int, default=200, help="messages per round")

    def handle(self, *args, loop: bool, interval: float, limit: int, **options):
        while True:
            report = send_due_messages(limit=limit)
            pruned = prune_sent()
            if options["verbosity"] >= 1 and (report.sent or report.retrying or report.failed):
                self.stdout.write(f"E-mail: {report}.")
            if pruned and options["verbosity"] >= 2:
                self.stdout.write(f"Forgot {pruned} sent messages past their keeping time.")
            if not loop:
                return
            time.sleep(interval)
