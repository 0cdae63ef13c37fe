"""Invitations for user organisations: the list (its live links for the municipality's editors
only), and the public answer form (for the organisation, never for someone signed in)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access
from factors.forms import InvitationForm, UserInputForm
from factors.services import invitations
from reference.models import SuccessFactor


@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    analysis = access.get_analysis_for_user(request.user, pk, write=write)
    form = InvitationForm(request.POST or None)
    if write and form.is_valid():
        try:
            invitations.create_invitation(
                analysis=analysis,
                organisation_name=form.cleaned_data["organisation_name"],
                by=request.user,
                valid_for=datetime.timedelta(days=form.cleaned_data["valid_days"]),
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            if not analysis.is_editable:
                # The page no longer offers the form; say why on the page it returns to.
                messages.error(request, " ".join(error.messages))
                return redirect("factors:invitations", pk=analysis.pk)
            form.add_error(None, error)
        else:
            if form.cleaned_data["email"]:
                messages.success(
                    request,
                    _("The invitation was created and is on its way to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
            else:
                messages.success(request, _("The invitation was created. Send the link below."))
            return redirect("factors:invitations", pk=analysis.pk)
    return render(
        request,
        "invitations/list.html",
        {
            "analysis": analysis,
            "form": form,
            "invitations": analysis.invitations.select_related("input").prefetch_related(
                "input__ratings__factor"
            ),
            "can_edit": access.can_edit_municipality(request.user, analysis.municipality_id),
        },
    )


@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    invitation = get_object_or_404(analysis.invitations, pk=invitation_pk)
    invitations.revoke_invitation(invitation=invitation)
    messages.success(request, _("The invitation was revoked; the link no longer works."))
    return redirect("factors:invitations", pk=analysis.pk)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        # The organisation answers without an account, and the report shows the answer as
        # its view: nobody signed in to the service (a planner, a reader, an adviser) may
        # answer in its name, nor learn from this page whether the link is still live.
        return render(request, "invitations/signed_in.html", status=403)
    invitation = invitations.usable_invitation(token)
    if invitation is None:
        return render(request, "invitations/unavailable.html", status=410)
    if not invitations.takes_answers(invitation):
        return _closed(request, invitation)
    factors = list(SuccessFactor.objects.prefetch_related("criteria", "levels"))
    form = UserInputForm(request.POST or None, factors=factors)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.submit_user_input(
                invitation=invitation,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            if error.code == invitations.ANALYSIS_CLOSED:
                return _closed(request, invitation)
            return render(request, "invitations/unavailable.html", status=410)
        return render(request, "invitations/thanks.html", {"invitation": invitation})
    return render(request, "invitations/answer.html", {"invitation": invitation, "form": form})


def _closed(request: HttpRequest, invitation) -> HttpResponse:
    # 409: the link is valid, but the analysis's state does not allow an answer now.
    return render(request, "invitations/closed.html", {"invitation": invitation}, status=409)
