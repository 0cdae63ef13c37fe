"""python manage.py send_reminders

Reminders before a round closes (REMINDER_DAYS_BEFORE_CLOSE), to user organisations whose
invitation expires soon without an answer, and to the owners of measures past their deadline.
Safe to run every hour: each reminder is recorded once and goes out once."""

from django.core.management.base import BaseCommand

from factors.services.invitations import remind_unanswered
from notifications.services import send_overdue_measures, send_reminders


class Command(BaseCommand):
    help = "Record the reminders that are due (each once); send_outbox sends them."

    def handle(self, *args, **options):
        rounds = send_reminders()
        organisations = remind_unanswered()
        overdue = send_overdue_measures()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Reminders: {rounds} before rounds close, {organisations} to user organisations,"
                f" {overdue} about measures past their deadline."
            )
