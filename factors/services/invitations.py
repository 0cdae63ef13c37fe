"""User-organisation input through an invitation link (success factor 6, brukermedvirkning).

A planner invites a user organisation; the link works without an account, for one answer,
until it expires or is revoked, and only while the municipality may still change its
analysis: once it is submitted or approved, the answers the adviser reviews are settled,
so no link takes an answer (until the analysis is sent back) and no new link is made.
The organisation rates the six factors and comments; the report shows the municipality's
and the users' view side by side.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.models import Analysis
from analysis.services.workflow import ensure_editable
from factors.models import Invitation, UserFactorRating, UserOrganisationInput
from reference.models import SuccessFactor

DEFAULT_VALIDITY = datetime.timedelta(days=30)
MAX_VALIDITY = datetime.timedelta(days=90)


@transaction.atomic
def create_invitation(
    *,
    analysis: Analysis,
    organisation_name: str,
    by: User,
    valid_for: datetime.timedelta = DEFAULT_VALIDITY,
) -> Invitation:
    ensure_editable(analysis)
    if not datetime.timedelta(days=1) <= valid_for <= MAX_VALIDITY:
        raise ValidationError(_("An invitation is valid for 1 to 90 days."))
    invitation = Invitation(
        analysis=analysis,
        organisation_name=organisation_name.strip(),
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + valid_for,
        created_by=by,
    )
    invitation.full_clean()
    invitation.save()
    return invitation


def revoke_invitation(*, invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


ANALYSIS_CLOSED = "analysis_closed"


def takes_answers(invitation: Invitation) -> bool:
    """Whether a usable link may take its answer now: not while the analysis is submitted
    or approved."""
    return invitation.analysis.is_editable


def usable_invitation(token: str) -> Invitation | None:
    """The invitation behind a token, if it can still be answered; None otherwise, whether
    it never existed, expired, was revoked or was used: the visitor can't tell which."""
    invitation = (
        Invitation.objects.select_related("analysis__municipality", "analysis__round")
        .filter(token=token)
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


@transaction.atomic
def submit_user_input(
    *,
    invitation: Invitation,
    ratings: dict[int, tuple[int | None, str]],
    comment: str,
) -> UserOrganisationInput:
    """Save the organisation's ratings (factor number → (score or None, comment)) once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise ValidationError(_("This invitation has expired or has already been used."))
    # Locked like submit_analysis locks it: an answer and a submission cannot cross.
    analysis = Analysis.objects.select_for_update().only("status").get(pk=invitation.analysis_id)
    if not analysis.is_editable:
        raise ValidationError(
            _("The municipality has submitted its analysis; the link takes no answers now."),
            code=ANALYSIS_CLOSED,
        )
    factors = {f.number: f for f in SuccessFactor.objects.all()}
    user_input = UserOrganisationInput(invitation=invitation, comment=comment.strip())
    user_input.full_clean()
    user_input.save()
    rows = []
    for number, (score, factor_comment) in sorted(ratings.items()):
        row = UserFactorRating(
            input=user_input, factor=factors[number], score=score, comment=factor_comment.strip()
        )
        row.full_clean(exclude=["input"])
        rows.append(row)
    UserFactorRating.objects.bulk_create(rows)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user_input
