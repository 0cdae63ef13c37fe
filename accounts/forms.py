"""Login forms that go through the throttle: the app's login and the admin's share it, so
the admin's login page is no way around it."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import throttle as login_throttle

THROTTLED = "throttled"


class ThrottledAuthenticationMixin:
    """Refuses every attempt while the user name or the address is locked, even with the
    right password; counts each failure (a wrong password, an inactive or, in the admin, a
    non-staff account); clears the count on success."""

    def clean(self):
        username = self.data.get("username", "")
        if login_throttle.is_locked(self.request, username):
            raise ValidationError(
                _("Too many failed login attempts. Wait a few minutes and try again."),
                code=THROTTLED,
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            login_throttle.record_failure(self.request, username)
            raise
        login_throttle.clear_failures(self.request, username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledAuthenticationMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationMixin, AdminAuthenticationForm):
    pass
