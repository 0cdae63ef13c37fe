"""python manage.py prune_audit_log: remove audit events older than AUDIT_LOG_KEEP_DAYS. Run
it daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import audit


class Command(BaseCommand):
    help = "Remove audit log events older than AUDIT_LOG_KEEP_DAYS."

    def handle(self, *args, **options):
        deleted = audit.prune()
        self.stdout.write(
            f"Removed {deleted} audit events older than {settings.AUDIT_LOG_KEEP_DAYS} days."
        )
