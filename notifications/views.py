"""A person's own e-mail settings, and the link in each message that turns one kind off
without logging in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.models import Profile, Role
from accounts.services import set_language
from notifications import services
from notifications.forms import SettingsForm
from notifications.models import ADVISER_KINDS, EDITOR_KINDS, Kind, OptOut


def kinds_for(user: User) -> list[Kind]:
    roles = {m.role for m in access.memberships_of(user)}
    kinds = set()
    if Role.EDITOR in roles:
        kinds |= set(EDITOR_KINDS)
    if Role.ADVISER in roles:
        kinds |= set(ADVISER_KINDS)
    return [k for k in Kind if k in kinds]


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    kinds = kinds_for(request.user)
    off = set(OptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    profile = Profile.objects.filter(user=request.user).first()
    initial = {f"kind_{k.value}": k.value not in off for k in kinds}
    initial["language"] = profile.language if profile else ""
    form = SettingsForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_language(user=request.user, language=form.cleaned_data["language"])
        services.save_choices(
            user=request.user, enabled=form.enabled(), offered=[k.value for k in kinds]
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "kind_fields": [form[f"kind_{k.value}"] for k in kinds],
            "email": request.user.email,
        },
        status=400 if form.errors else 200,
    )


@login_not_required
@csrf_exempt  # RFC 8058: a mail program's one-click POST carries the signed link, no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = services.read_unsubscribe_token(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind = Kind(found[1])
    if request.method == "POST":
        services.turn_off(user=user, kind=kind)
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "token": token})
