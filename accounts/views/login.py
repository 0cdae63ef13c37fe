"""Login with throttling (accounts/throttle.py); a locked attempt answers 429. Single sign-on
providers, where configured, are offered beside it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from accounts.forms import THROTTLED, ThrottledAuthenticationForm


class ThrottledLoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = f"?{urlencode({'next': context['next']})}" if context.get("next") else ""
        context["sso_providers"] = [
            {
                "label": conf.get("LABEL", name),
                "url": reverse("accounts:oidc_authenticate", args=[name]) + query,
            }
            for name, conf in settings.OIDC_PROVIDERS.items()
        ]
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, THROTTLED):
            response.status_code = 429
        return response
