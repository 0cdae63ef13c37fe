"""Password reset by e-mail, on Django's views with the app's templates: throttled like the
login, the message through the outbox (accounts/forms.py), and the same answer whether or
not an account has the address, so the page tells nobody who has one."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from accounts import audit, throttle
from accounts.forms import OutboxPasswordResetForm
from accounts.models import AuditAction


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not throttle.password_reset_allowed(self.request, email):
            return HttpResponseRedirect(self.get_success_url())
        for user in form.get_users(email):
            audit.record(AuditAction.PASSWORD_RESET_REQUESTED, actor=user, target=email)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_SET, actor=form.user, details={"via": "reset link"})
        return response
