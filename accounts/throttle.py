"""Login throttling (DESIGN.md, Security): repeated failures for a user name or from an
address lock further attempts for a while, on the app's login and the admin's alike.

A user name is counted as the login would match it, whatever its case or surrounding
spaces ("Planlegger " and "planlegger" share one counter), and hashed so any text typed
makes a short cache key. The address is REMOTE_ADDR unless NUM_PROXIES says how many
proxies of our own stand in front of the app: only then is X-Forwarded-For read, and only
the entry the nearest of those proxies added, since anything to its left is what the
client chose to send."""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().casefold()


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    if len(forwarded) < proxies:
        # Not through all our proxies (or misconfigured): the connection's own address.
        return remote
    return forwarded[-proxies]


def _user_key(username: str) -> str:
    name = hashlib.sha256(normalise_username(username).encode()).hexdigest()
    return f"login-fail:user:{name}"


def _keys(request: HttpRequest, username: str) -> list[str]:
    return [_user_key(username), f"login-fail:addr:{client_address(request)}"]


def is_locked(request: HttpRequest, username: str) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    return any((cache.get(k) or 0) >= limit for k in _keys(request, username))


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def clear_failures(username: str) -> None:
    """After a successful login: that user name's count only. The address's count stays, or
    anyone could guess four passwords for each of many user names, log in to their own
    account between the rounds and so never reach the limit (issue 11)."""
    cache.delete(_user_key(username))


def _hit(key: str, window: int) -> int:
    """Count one more within the window; the count so far."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Counts a reset request for the address typed and for the client; False once either
    is over its limit in the window. The page answers the same either way, so the limit
    tells nobody whether an account exists."""
    window = settings.PASSWORD_RESET_THROTTLE_WINDOW_SECONDS
    name = hashlib.sha256(normalise_username(email).encode()).hexdigest()
    per_email = _hit(f"reset:email:{name}", window)
    per_address = _hit(f"reset:addr:{client_address(request)}", window)
    return (
        per_email <= settings.PASSWORD_RESET_ATTEMPTS_PER_EMAIL
        and per_address <= settings.PASSWORD_RESET_ATTEMPTS_PER_ADDRESS
    )
