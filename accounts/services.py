"""People: inviting colleagues, accepting an invitation, changing and removing access.
Every change is checked against what the person making it may grant (accounts/access.py)
and written to the audit log."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import AuditAction, Membership, Profile, Role, UserInvitation
from accounts.selectors import language_for, users_with_email
from outbox import services as outbox
from reference.models import Municipality, Region


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> UserInvitation | None:
    """The invitation behind a link, usable or not; None for a link that never existed."""
    return (
        UserInvitation.objects.select_related("municipality", "region", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _scope_ids(municipality: Municipality | None, region: Region | None) -> dict:
    return {
        "municipality_id": municipality.pk if municipality else None,
        "region_id": region.pk if region else None,
    }


def _invitation_message(invitation: UserInvitation, token: str) -> outbox.Message:
    existing = users_with_email(invitation.email).first()
    if existing is not None:
        language = language_for(existing)
    elif invitation.municipality_id:
        language = invitation.municipality.default_language
    else:
        language = settings.LANGUAGE_CODE
    return outbox.render(
        "emails/user_invitation",
        {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "link": outbox.absolute_url(reverse("accounts:invitation", args=[token])),
            "expires": invitation.expires_at,
            "has_account": existing is not None,
        },
        to=invitation.email,
        language=language,
        kind="user_invitation",
        sensitive=True,
    )


@transaction.atomic
def invite(
    *,
    by: User,
    email: str,
    role: str,
    municipality: Municipality | None = None,
    region: Region | None = None,
    make_municipality_admin: bool = False,
) -> UserInvitation:
    """Invite a colleague to one role; the e-mail with the link leaves through the outbox."""
    if not access.may_grant(
        by,
        role=role,
        municipality_admin=make_municipality_admin,
        **_scope_ids(municipality, region),
    ):
        raise PermissionDenied(_("You cannot give this role."))
    email = email.strip()
    scope = {"municipality": municipality} if municipality else {"region": region}
    if Membership.objects.filter(user__email__iexact=email, **scope).exists():
        raise ValidationError(_("%(email)s already has access here.") % {"email": email})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    # Inviting an address that has an open invitation here sends a fresh link instead (with
    # the role chosen now); the old link stops working.
    invitation = (
        UserInvitation.objects.select_for_update()
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, **scope)
        .first()
    ) or UserInvitation(email=email, **scope)
    invitation.role = role
    invitation.make_municipality_admin = make_municipality_admin
    invitation.token_hash = hash_token(token)
    invitation.invited_by = by
    invitation.created_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.USER_INVITATION_DAYS)
    invitation.full_clean()
    invitation.save()
    outbox.enqueue(_invitation_message(invitation, token))
    audit.record(
        AuditAction.USER_INVITED,
        actor=by,
        target=email,
        details={"role": role, "municipality_admin": make_municipality_admin},
        **scope,
    )
    return invitation


@transaction.atomic
def send_again(*, invitation: UserInvitation, by: User) -> UserInvitation:
    """A new link with a new expiry date; the old link stops working."""
    _check_manages(by, invitation)
    invitation = UserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("The invitation has been accepted or revoked."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.created_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.USER_INVITATION_DAYS)
    invitation.invited_by = by
    invitation.save(update_fields=["token_hash", "created_at", "expires_at", "invited_by"])
    outbox.enqueue(_invitation_message(invitation, token))
    audit.record(
        AuditAction.USER_INVITED,
        actor=by,
        target=invitation.email,
        municipality=invitation.municipality,
        region=invitation.region,
        details={"role": invitation.role, "again": True},
    )
    return invitation


def _check_manages(by: User, invitation: UserInvitation) -> None:
    if invitation.municipality_id:
        allowed = access.can_manage_municipality(by, invitation.municipality_id)
    else:
        allowed = access.can_manage_region(by, invitation.region_id)
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def revoke(*, invitation: UserInvitation, by: User) -> None:
    _check_manages(by, invitation)
    updated = UserInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated:
        audit.record(
            AuditAction.INVITATION_REVOKED,
            actor=by,
            target=invitation.email,
            municipality=invitation.municipality,
            region=invitation.region,
        )


class InvitationUnusable(Exception):
    """The link is unknown, expired, revoked or already used; the visitor is not told which."""


@transaction.atomic
def accept(*, invitation: UserInvitation, user: User, via: str = "link") -> Membership:
    """Give `user` what the invitation grants, once. The invitation was made for an e-mail
    address: only the person with that address (or the one who set up an account through
    the link, `via="new_account"`, or a single sign-on login started from the link,
    `via="sso"`) may take it."""
    invitation = UserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise InvitationUnusable
    if via == "link" and user.email.strip().casefold() != invitation.email.strip().casefold():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    scope = (
        {"municipality": invitation.municipality}
        if invitation.municipality_id
        else {"region": invitation.region}
    )
    membership = Membership.objects.filter(user=user, **scope).first()
    if membership is None:
        membership = Membership(user=user, **scope)
    before = (membership.role, membership.is_municipality_admin) if membership.pk else None
    membership.role = invitation.role
    membership.is_municipality_admin = invitation.make_municipality_admin
    membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        AuditAction.ROLE_GRANTED,
        actor=user,
        target=user.get_username(),
        details={
            "role": invitation.role,
            "municipality_admin": invitation.make_municipality_admin,
            "invited_by": invitation.invited_by.get_username() if invitation.invited_by else "",
            "via": via,
            **({"before": list(before)} if before else {}),
        },
        **scope,
    )
    return membership


@transaction.atomic
def create_account(
    *, invitation: UserInvitation, first_name: str, last_name: str, password: str | None
) -> User:
    """A new person sets up their account from the invitation link (their own password,
    or none when they log in through single sign-on) and gets what it grants."""
    invitation = UserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise InvitationUnusable
    username = invitation.email.strip().lower()
    user = User(
        username=username,
        email=invitation.email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError(
            _("There is already a user named %(name)s. Log in to accept the invitation.")
            % {"name": username}
        ) from error
    accept(invitation=invitation, user=user, via="new_account")
    return user


def _lowers(membership: Membership, role: str, admin: bool) -> bool:
    rank = {Role.READER: 0, Role.EDITOR: 1, Role.ADVISER: 1}
    return rank[role] < rank[membership.role] or (membership.is_municipality_admin and not admin)


@transaction.atomic
def change_role(*, membership: Membership, by: User, role: str, municipality_admin: bool) -> bool:
    """Change an editor or reader's role and the administrator flag; returns whether
    anything changed. Nobody lowers their own access (another administrator must)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not access.may_grant(
        by,
        role=role,
        municipality_id=membership.municipality_id,
        region_id=membership.region_id,
        municipality_admin=municipality_admin,
    ):
        raise PermissionDenied(_("You cannot give this role."))
    if membership.user_id == by.pk and _lowers(membership, role, municipality_admin):
        raise ValidationError(
            _("You cannot lower your own access. Ask another administrator to do it.")
        )
    before = (membership.role, membership.is_municipality_admin)
    if before == (role, municipality_admin):
        return False
    membership.role = role
    membership.is_municipality_admin = municipality_admin
    membership.full_clean()
    membership.save(update_fields=["role", "is_municipality_admin"])
    audit.record(
        AuditAction.ROLE_CHANGED,
        actor=by,
        target=membership.user.get_username(),
        municipality=membership.municipality,
        region=membership.region,
        details={
            "from": {"role": before[0], "municipality_admin": before[1]},
            "to": {"role": role, "municipality_admin": municipality_admin},
        },
    )
    return True


@transaction.atomic
def remove(*, membership: Membership, by: User) -> None:
    if membership.user_id == by.pk:
        raise ValidationError(
            _("You cannot remove your own access. Ask another administrator to do it.")
        )
    if membership.municipality_id:
        allowed = access.can_manage_municipality(by, membership.municipality_id)
    else:
        allowed = access.can_manage_region(by, membership.region_id)
    if not allowed:
        raise PermissionDenied
    audit.record(
        AuditAction.ROLE_REMOVED,
        actor=by,
        target=membership.user.get_username(),
        municipality=membership.municipality,
        region=membership.region,
        details={"role": membership.role, "municipality_admin": membership.is_municipality_admin},
    )
    membership.delete()


def set_language(*, user: User, language: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})
