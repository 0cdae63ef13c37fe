from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """E-mail when something needs someone: who gets which message about what happens to an
    analysis (analysis/signals.py), each person's choices, reminders before a round closes.
    The messages themselves leave through the outbox (`outbox`)."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from analysis import receipts
        from notifications import receivers  # noqa: F401 – connects to analysis/signals.py
        from notifications.services import submission_recipients

        receipts.register_submission_recipients(submission_recipients)
