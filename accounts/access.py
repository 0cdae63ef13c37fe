"""Who may see and change what: the one place that compares roles (DESIGN.md, Roles and
access).

Membership ties a user to a municipality (editor or reader) or to a region (adviser).
Planners (editors) change their own municipality; readers read it; advisers read every
municipality in their region, comment and approve, and change no answers; administrators
manage reference data. An object outside a user's reach raises Http404, so nobody can tell
"missing" from "forbidden".

This module knows municipalities and regions. `analysis/access.py` applies the same rules to
analyses and is what the analysis pages use; nothing else compares roles.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Role
from reference.models import Municipality, Region

AnyUser = User | AnonymousUser


def is_administrator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def memberships_of(user: AnyUser) -> list[Membership]:
    """The user's memberships, fetched once per request object (cached on the user)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_membership_cache", None)
    if cached is None:
        cached = list(user.memberships.select_related("municipality", "region"))
        user._membership_cache = cached
    return cached


def municipality_ids_for(user: AnyUser, *, write: bool = False) -> set[int]:
    roles = {Role.EDITOR} if write else {Role.EDITOR, Role.READER}
    return {m.municipality_id for m in memberships_of(user) if m.role in roles}


def region_ids_for(user: AnyUser) -> set[int]:
    return {m.region_id for m in memberships_of(user) if m.role == Role.ADVISER}


def is_adviser(user: AnyUser) -> bool:
    return bool(region_ids_for(user))


def municipality_scope(user: AnyUser, path: str = "") -> Q:
    """A filter on any model that leads to a municipality (`path`, e.g. "municipality__"),
    keeping what the user may read: their own municipalities, every municipality of the
    regions they advise, everything for an administrator, nothing for anyone else."""
    if is_administrator(user):
        return Q()
    own = municipality_ids_for(user)
    regions = region_ids_for(user)
    if not own and not regions:
        return Q(pk__in=[])
    return Q(**{f"{path}pk__in": own}) | Q(**{f"{path}county__region__in": regions})


def municipalities_visible_to(user: AnyUser) -> QuerySet[Municipality]:
    return Municipality.objects.filter(municipality_scope(user)).select_related("county__region")


def regions_visible_to(user: AnyUser) -> QuerySet[Region]:
    if is_administrator(user):
        return Region.objects.all()
    return Region.objects.filter(pk__in=region_ids_for(user))


def can_edit_municipality(user: AnyUser, municipality_id: int) -> bool:
    return municipality_id in municipality_ids_for(user, write=True)


def advises_region(user: AnyUser, region_id: int) -> bool:
    return region_id in region_ids_for(user)


def editors_of(municipality: Municipality) -> QuerySet[User]:
    """The active users who may change the municipality's analysis: the people a section can
    be assigned to (readers follow the work but cannot answer)."""
    return User.objects.filter(
        is_active=True,
        memberships__municipality=municipality,
        memberships__role=Role.EDITOR,
    ).order_by("first_name", "username")


def get_municipality_for_user(user: AnyUser, number: str, *, write: bool = False) -> Municipality:
    municipality = municipalities_visible_to(user).filter(number=number).first()
    if municipality is None:
        raise Http404
    if write and not can_edit_municipality(user, municipality.pk):
        raise PermissionDenied
    return municipality


def get_region_for_user(user: AnyUser, pk: int) -> Region:
    if is_administrator(user):
        region = Region.objects.filter(pk=pk).first()
    else:
        # An adviser's regions came with the memberships (memberships_of): no query.
        region = next(
            (
                m.region
                for m in memberships_of(user)
                if m.role == Role.ADVISER and m.region_id == pk
            ),
            None,
        )
    if region is None:
        raise Http404
    return region


def require_administrator(user: AnyUser) -> None:
    if not is_administrator(user):
        raise Http404


# --- Managing people (who may invite whom) ----------------------------------------------------
# A municipality's administrators (editors with the flag) manage its editors and readers; an
# office's advisers manage its advisers; system administrators manage everyone. Nobody grants
# more than they have: a municipality's administrator can give no adviser role, an adviser no
# role in a municipality.


def administered_municipality_ids(user: AnyUser) -> set[int]:
    return {
        m.municipality_id
        for m in memberships_of(user)
        if m.role == Role.EDITOR and m.is_municipality_admin
    }


def can_manage_municipality(user: AnyUser, municipality_id: int) -> bool:
    return is_administrator(user) or municipality_id in administered_municipality_ids(user)


def can_manage_region(user: AnyUser, region_id: int) -> bool:
    return is_administrator(user) or region_id in region_ids_for(user)


def grantable_roles(user: AnyUser, *, municipality_id: int | None = None, region_id=None):
    """The roles the user may give in this municipality or region (empty: none)."""
    if municipality_id is not None:
        if can_manage_municipality(user, municipality_id):
            return [Role.EDITOR, Role.READER]
        return []
    if region_id is not None and can_manage_region(user, region_id):
        return [Role.ADVISER]
    return []


def may_grant(
    user: AnyUser,
    *,
    role: str,
    municipality_id: int | None = None,
    region_id: int | None = None,
    municipality_admin: bool = False,
) -> bool:
    if role not in grantable_roles(user, municipality_id=municipality_id, region_id=region_id):
        return False
    # Only an editor can administer a municipality, and only someone who does may say so.
    return not municipality_admin or role == Role.EDITOR


def get_municipality_to_manage(user: AnyUser, number: str) -> Municipality:
    """404 for a municipality out of sight, 403 for one the user sees but does not manage."""
    municipality = get_municipality_for_user(user, number)
    if not can_manage_municipality(user, municipality.pk):
        raise PermissionDenied
    return municipality


def get_region_to_manage(user: AnyUser, pk: int) -> Region:
    region = get_region_for_user(user, pk)
    if not can_manage_region(user, region.pk):
        raise PermissionDenied
    return region


def get_membership_to_manage(user: AnyUser, pk: int) -> Membership:
    """A membership in a municipality or region the user manages, or 404 (403 where the
    user sees the municipality but does not manage it)."""
    membership = (
        Membership.objects.select_related("user", "municipality__county", "region")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    if membership.municipality_id:
        get_municipality_to_manage(user, membership.municipality.number)
    else:
        get_region_to_manage(user, membership.region_id)
    return membership


def people_pages_for(user: AnyUser) -> list[Municipality | Region]:
    """The municipalities and regions whose people the user manages (the menu's "People"),
    from the memberships already loaded."""
    pages: list[Municipality | Region] = []
    for m in memberships_of(user):
        if m.role == Role.EDITOR and m.is_municipality_admin:
            pages.append(m.municipality)
        elif m.role == Role.ADVISER:
            pages.append(m.region)
    return pages
