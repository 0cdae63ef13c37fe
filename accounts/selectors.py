"""Reads about people: who has access where, pending invitations, and which language a
person's e-mail is written in."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Membership, Profile, Role, UserInvitation
from reference.models import Municipality, Region


def languages_for(users: Iterable[User]) -> dict[int, str]:
    """user id → the language of their e-mail: their own choice, else their municipality's
    målform (språklova § 15), else bokmål. Two queries for any number of people."""
    ids = {u.pk for u in users}
    chosen = dict(
        Profile.objects.filter(user_id__in=ids)
        .exclude(language="")
        .values_list("user_id", "language")
    )
    by_municipality: dict[int, str] = {}
    for membership in (
        Membership.objects.filter(user_id__in=ids - chosen.keys(), municipality__isnull=False)
        .select_related("municipality")
        .order_by("pk")
    ):
        by_municipality.setdefault(membership.user_id, membership.municipality.default_language)
    return {pk: chosen.get(pk) or by_municipality.get(pk) or settings.LANGUAGE_CODE for pk in ids}


def language_for(user: User) -> str:
    return languages_for([user])[user.pk]


def memberships_in(scope: Municipality | Region) -> QuerySet[Membership]:
    field = "municipality" if isinstance(scope, Municipality) else "region"
    return (
        Membership.objects.filter(**{field: scope})
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def pending_invitations(scope: Municipality | Region) -> QuerySet[UserInvitation]:
    """Invitations not yet accepted or revoked, expired ones too (so they can be sent anew)."""
    field = "municipality" if isinstance(scope, Municipality) else "region"
    return (
        UserInvitation.objects.filter(
            **{field: scope}, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def open_invitations_for_email(email: str) -> QuerySet[UserInvitation]:
    return UserInvitation.objects.filter(
        email__iexact=email.strip(),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def users_with_email(email: str) -> QuerySet[User]:
    return User.objects.filter(email__iexact=email.strip(), is_active=True)


def advisers_of(region_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__region_id=region_id, memberships__role=Role.ADVISER
    ).distinct()
