"""Login with throttling: repeated failures for a username or from an address lock further
attempts for a while (DESIGN.md, Security)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _


def _keys(request, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


def is_locked(request, username: str) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    return any((cache.get(k) or 0) >= limit for k in _keys(request, username))


def record_failure(request, username: str) -> None:
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def clear_failures(request, username: str) -> None:
    cache.delete_many(_keys(request, username))


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if is_locked(request, username):
            form = self.get_form()
            form.add_error(
                None,
                _("Too many failed login attempts. Wait a few minutes and try again."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        if self.request.method == "POST" and not is_locked(self.request, username):
            record_failure(self.request, username)
        return super().form_invalid(form)

    def form_valid(self, form):
        clear_failures(self.request, form.get_user().get_username())
        return super().form_valid(form)
