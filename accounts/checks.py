"""Deployment checks (manage.py check --deploy) for the login throttle (accounts/throttle.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_the_throttle_counts_across_processes(app_configs, **kwargs) -> list[Warning]:
    """Failed logins are counted in the cache. A local-memory cache belongs to one process:
    with several gunicorn workers each would count alone, and the throttle would let through
    as many times the allowed guesses (issue 11)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith(".LocMemCache") or settings.WEB_CONCURRENCY <= 1:
        return []
    return [
        Warning(
            f"The cache is in each process's own memory (REDIS_URL is not set) and gunicorn "
            f"runs {settings.WEB_CONCURRENCY} worker processes (WEB_CONCURRENCY): each counts "
            f"failed logins and password reset requests alone, so the throttle allows "
            f"{settings.WEB_CONCURRENCY} times as many.",
            hint="Set REDIS_URL to a Redis every app process and server shares (README, "
            "Deployment). Only a single server with WEB_CONCURRENCY=1 can do without it.",
            id="accounts.W001",
        )
    ]
