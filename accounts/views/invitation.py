"""The invitation link: a new colleague sets up an account (their own password, or single
sign-on); someone who already has one logs in and accepts. A link that is unknown, expired,
revoked or used says only that it cannot be used."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import NewAccountForm
from accounts.selectors import users_with_email


def _sso_choices(token: str) -> list[dict]:
    return [
        {
            "label": conf.get("LABEL", name),
            "url": reverse("accounts:oidc_authenticate", args=[name]) + f"?invitation={token}",
        }
        for name, conf in settings.OIDC_PROVIDERS.items()
    ]


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitation_unavailable.html", status=410)


@login_not_required
@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_usable():
        return _unusable(request)
    context = {"invitation": invitation, "sso": _sso_choices(token)}
    if request.user.is_authenticated:
        if request.method == "POST" and request.POST.get("action") == "log_out":
            logout(request)
            return redirect("accounts:invitation", token=token)
        if request.method == "POST":
            try:
                services.accept(invitation=invitation, user=request.user)
            except services.InvitationUnusable:
                return _unusable(request)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return render(request, "accounts/invitation.html", context, status=403)
            messages.success(
                request, _("You now have access to %(scope)s.") % {"scope": invitation.scope}
            )
            return redirect("home")
        return render(request, "accounts/invitation.html", context)
    if users_with_email(invitation.email).exists():
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "accounts/invitation.html", context)
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnusable:
            return _unusable(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! Your user name is %(username)s.") % {"username": user.username},
            )
            return redirect("home")
    context["form"] = form
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)
