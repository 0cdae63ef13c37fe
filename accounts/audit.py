"""The audit log (hendelseslogg): `record(...)` from any layer notes who did what, when, and
from where. Inside a request the person and their address come from the request itself
(AuditContextMiddleware); a command or a background task names the person, or leaves it
empty. The address is the one the login throttle uses (accounts/throttle.py), so NUM_PROXIES
decides here too whether X-Forwarded-For is believed."""

from __future__ import annotations

import datetime
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts import access
from accounts.models import AuditAction, AuditEvent
from accounts.throttle import client_address
from reference.models import Municipality, Region

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def bind_request(request: HttpRequest):
    """Called by the middleware: events recorded while this request runs are its own."""
    return _request.set(request)


def unbind_request(token) -> None:
    _request.reset(token)


def record(
    action: AuditAction | str,
    *,
    actor: User | AnonymousUser | None = None,
    actor_name: str = "",
    municipality: Municipality | None = None,
    region: Region | None = None,
    target: str = "",
    details: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    request = request or _request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    if region is None and municipality is not None:
        region = municipality.county.region
    address = client_address(request) if request is not None else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else actor_name)[:254],
        address=address or None,
        municipality=municipality,
        region=region,
        target=str(target)[:300],
        details=details or {},
    )


def home_scope(user: User) -> dict:
    """Where a person's own events (logins) belong: their municipality or region, so that
    region's advisers see them; nothing for someone with several or none."""
    memberships = access.memberships_of(user)
    if len(memberships) != 1:
        return {}
    m = memberships[0]
    return {"municipality": m.municipality} if m.municipality_id else {"region": m.region}


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Administrators see every event; an office's advisers their region's; others none."""
    if access.is_administrator(user):
        return AuditEvent.objects.all()
    regions = access.region_ids_for(user)
    if not regions:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(region__in=regions)


def search(
    events: QuerySet[AuditEvent],
    *,
    text: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if text:
        events = events.filter(
            Q(actor_name__icontains=text)
            | Q(target__icontains=text)
            | Q(municipality__name__icontains=text)
            | Q(address__startswith=text)
        )
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.select_related("municipality", "region")


def prune(*, now: datetime.datetime | None = None) -> int:
    """Remove events older than AUDIT_LOG_KEEP_DAYS."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.AUDIT_LOG_KEEP_DAYS)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def record_adviser_opened(user, municipality: Municipality, *, target: str, page: str) -> None:
    """An adviser opening a municipality's analysis (not one they belong to themselves)."""
    if access.advises_region(user, municipality.county.region_id) and (
        municipality.pk not in access.municipality_ids_for(user)
    ):
        record(
            AuditAction.ANALYSIS_OPENED,
            actor=user,
            municipality=municipality,
            target=target,
            details={"page": page},
        )
