"""Deployment checks (manage.py check --deploy): e-mail must leave for real, with links that
point at the site."""

from django.conf import settings
from django.core.checks import Warning, register


@register("email", deploy=True)
def check_mail_settings(app_configs, **kwargs):
    problems = []
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend.endswith(
        ("ConsoleBackend", "console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")
    ):
        problems.append(
            Warning(
                "E-mail is not configured: messages are written to the console, not sent.",
                hint="Set EMAIL_URL, or EMAIL_HOST and its companions (README, E-mail).",
                id="outbox.W001",
            )
        )
    if any(host in settings.SITE_URL for host in ("127.0.0.1", "localhost")):
        problems.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL}: links in e-mail would point at this machine.",
                hint="Set SITE_URL to the address people open, e.g. https://boligsosial.example.no",
                id="outbox.W002",
            )
        )
    return problems
