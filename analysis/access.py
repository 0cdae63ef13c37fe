"""Who may see and change which analysis, on the rules of `accounts/access.py`.

Every analysis page, list, export, chart and PDF fetches through these helpers. An analysis
outside a user's reach raises Http404, so nobody can tell "missing" from "forbidden"
(DESIGN.md, Roles and access). Whether this user may change this analysis now is decided
here, once (`can_edit_analysis`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts import access as people
from accounts.access import (
    AnyUser,
    can_edit_municipality,
    can_manage_municipality,
    editors_of,
    get_municipality_for_user,
    get_region_for_user,
    is_administrator,
    municipalities_visible_to,
    municipality_ids_for,
    regions_visible_to,
    require_administrator,
)
from analysis.models import Analysis

# The rules for municipalities and regions, so pages at this level and above need one access
# module only.
__all__ = [
    "analyses_visible_to",
    "can_answer_for",
    "can_edit_analysis",
    "can_edit_municipality",
    "can_manage_municipality",
    "can_keep_internal_notes",
    "can_review_analysis",
    "editors_of",
    "get_analysis_for_user",
    "get_municipality_for_user",
    "get_region_for_user",
    "is_administrator",
    "municipalities_visible_to",
    "municipality_ids_for",
    "regions_visible_to",
    "require_administrator",
]


def analyses_visible_to(user: AnyUser) -> QuerySet[Analysis]:
    if not user.is_authenticated:
        return Analysis.objects.none()
    return Analysis.objects.filter(people.municipality_scope(user, "municipality__"))


def can_review_analysis(user: AnyUser, analysis: Analysis) -> bool:
    """Advisers of the analysis's region comment, approve and send back."""
    return people.advises_region(user, analysis.municipality.county.region_id)


def can_keep_internal_notes(user: AnyUser, analysis: Analysis) -> bool:
    """The office's internal notes on an analysis: advisers of its region and administrators
    read and write them; nobody of the municipality ever does (issue 15)."""
    return is_administrator(user) or can_review_analysis(user, analysis)


def can_answer_for(user: AnyUser, analysis: Analysis) -> bool:
    """The municipality's editors: they answer, reply to comments and manage invitations,
    whatever the analysis's status."""
    return people.can_edit_municipality(user, analysis.municipality_id)


def can_edit_analysis(user: AnyUser, analysis: Analysis) -> bool:
    """Whether the user may change the analysis now: an editor of its municipality, while
    the analysis is not submitted or approved."""
    return analysis.is_editable and can_answer_for(user, analysis)


def get_analysis_for_user(
    user: AnyUser, pk: int, *, write: bool = False, review: bool = False
) -> Analysis:
    """Fetch an analysis the user may read, or 404.

    write=True: the user must be an editor of the municipality (readers and advisers can see
    the analysis, so they get 403 rather than 404). review=True: the user must be an adviser
    for the municipality's region.
    """
    analysis = (
        analyses_visible_to(user)
        .select_related("municipality__county__region", "round__questionnaire")
        .filter(pk=pk)
        .first()
    )
    if analysis is None:
        raise Http404
    if write and not can_answer_for(user, analysis):
        raise PermissionDenied
    if review and not can_review_analysis(user, analysis):
        raise PermissionDenied
    return analysis
