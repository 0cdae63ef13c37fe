"""A municipality's or an office's people: who has access, invitations, roles. For the
municipality's administrators, the office's advisers and system administrators (the Django
admin stays for the last only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, selectors, services
from accounts.forms import InviteForm, MembershipForm
from accounts.models import UserInvitation
from reference.models import Municipality, Region


def _page_of(scope: Municipality | Region):
    if isinstance(scope, Municipality):
        return redirect("accounts:municipality_people", number=scope.number)
    return redirect("accounts:region_people", pk=scope.pk)


def _people(request: HttpRequest, scope: Municipality | Region) -> HttpResponse:
    is_municipality = isinstance(scope, Municipality)
    roles = access.grantable_roles(
        request.user,
        municipality_id=scope.pk if is_municipality else None,
        region_id=None if is_municipality else scope.pk,
    )
    form = InviteForm(request.POST or None, roles=roles, for_municipality=is_municipality)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invite(
                    by=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    make_municipality_admin=form.cleaned_data.get("make_municipality_admin", False),
                    **({"municipality": scope} if is_municipality else {"region": scope}),
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request,
                    _("The invitation is on its way to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return _page_of(scope)
        status = 400
    memberships = list(selectors.memberships_in(scope))
    return render(
        request,
        "accounts/people.html",
        {
            "scope": scope,
            "is_municipality": is_municipality,
            "rows": [
                (
                    m,
                    MembershipForm(
                        prefix=f"m{m.pk}",
                        initial={"role": m.role, "is_municipality_admin": m.is_municipality_admin},
                    ),
                )
                for m in memberships
            ],
            "invitations": selectors.pending_invitations(scope),
            "form": form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def municipality_people(request: HttpRequest, number: str) -> HttpResponse:
    return _people(request, access.get_municipality_to_manage(request.user, number))


@require_http_methods(["GET", "POST"])
def region_people(request: HttpRequest, pk: int) -> HttpResponse:
    return _people(request, access.get_region_to_manage(request.user, pk))


@require_POST
def membership_change(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_to_manage(request.user, pk)
    scope = membership.municipality or membership.region
    try:
        if request.POST.get("action") == "remove":
            services.remove(membership=membership, by=request.user)
            messages.success(
                request,
                _("%(name)s no longer has access.")
                % {"name": membership.user.get_full_name() or membership.user.username},
            )
        elif membership.municipality_id:
            form = MembershipForm(request.POST, prefix=f"m{membership.pk}")
            if not form.is_valid():
                messages.error(request, _("The form was not sent as expected."))
                return _page_of(scope)
            if services.change_role(
                membership=membership,
                by=request.user,
                role=form.cleaned_data["role"],
                municipality_admin=form.cleaned_data["is_municipality_admin"],
            ):
                messages.success(request, _("The role was changed."))
            else:
                messages.info(request, _("Nothing was changed."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _page_of(scope)


@require_POST
def invitation_change(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = (
        UserInvitation.objects.select_related("municipality__county", "region")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    if invitation.municipality_id:
        scope = access.get_municipality_to_manage(request.user, invitation.municipality.number)
    else:
        scope = access.get_region_to_manage(request.user, invitation.region_id)
    try:
        if request.POST.get("action") == "revoke":
            services.revoke(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation was revoked; the link no longer works."))
        else:
            services.send_again(invitation=invitation, by=request.user)
            messages.success(
                request,
                _("A new link is on its way to %(email)s.") % {"email": invitation.email},
            )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _page_of(scope)
