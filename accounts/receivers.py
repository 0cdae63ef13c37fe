"""Logins, failed logins and logouts go to the audit log, whichever way they happen (the
app's login, the admin's, single sign-on)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import audit
from accounts.models import AuditAction


def _method(user) -> str:
    backend = getattr(user, "backend", "") or ""
    return "sso" if backend.endswith("OIDCBackend") else "password"


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs):
    details = {"method": _method(user)}
    if provider := getattr(user, "sso_provider", ""):
        details["provider"] = provider
    audit.record(
        AuditAction.LOGIN, actor=user, request=request, details=details, **audit.home_scope(user)
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_failed_login(sender, credentials, request=None, **kwargs):
    # Single sign-on refusals carry no user name; accounts/oidc.py records them with the reason.
    username = credentials.get("username")
    if username is None:
        return
    audit.record(
        AuditAction.LOGIN_FAILED,
        actor_name=str(username).strip(),
        request=request,
        details={"method": "password"},
    )
