from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """E-mail that leaves the application: every message is recorded here first, in the
    transaction of the change that caused it, and sent afterwards by `send_outbox`
    (outbox/sender.py). It imports none of the project's apps, so every app may enqueue."""

    name = "outbox"
    verbose_name = _("Outgoing e-mail")

    def ready(self) -> None:
        from outbox import checks  # noqa: F401 – registers the deployment checks
