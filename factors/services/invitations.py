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

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.models import Analysis
from analysis.services.workflow import ensure_editable
from factors.models import Invitation, UserFactorRating, UserOrganisationInput
from outbox import services as outbox
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
    email: str = "",
) -> Invitation:
    """A new link; with an e-mail address, the link goes there from the app (outbox)."""
    ensure_editable(analysis)
    if not datetime.timedelta(days=1) <= valid_for <= MAX_VALIDITY:
        raise ValidationError(_("An invitation is valid for 1 to 90 days."))
    invitation = Invitation(
        analysis=analysis,
        organisation_name=organisation_name.strip(),
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + valid_for,
        created_by=by,
        email=email.strip(),
    )
    invitation.full_clean()
    invitation.save()
    if invitation.email:
        outbox.enqueue(_message(invitation, "emails/organisation_invitation"))
    return invitation


def _message(invitation: Invitation, template: str) -> outbox.Message:
    """To the organisation, in the municipality's language form (språklova § 15)."""
    analysis = invitation.analysis
    return outbox.render(
        template,
        {
            "invitation": invitation,
            "municipality": analysis.municipality,
            "inviter": invitation.created_by,
            "link": outbox.absolute_url(
                reverse("factors:invitation_answer", args=[invitation.token])
            ),
        },
        to=invitation.email,
        language=analysis.municipality.default_language,
        kind="organisation_invitation",
        sensitive=True,
    )


def remind_unanswered(*, now: datetime.datetime | None = None) -> int:
    """A reminder, once, to each organisation that got its link by e-mail and has not
    answered ORGANISATION_INVITATION_REMINDER_DAYS before it expires (while the analysis still
    takes answers). Safe to run as often as one likes."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.ORGANISATION_INVITATION_REMINDER_DAYS)
    due = Invitation.objects.filter(
        reminded_at__isnull=True,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=soon,
    ).exclude(email="")
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_related("analysis__municipality", "created_by")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if invitation is None or not takes_answers(invitation):
                continue
            # Claimed by the update: a second run at the same moment finds it reminded.
            if not Invitation.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            outbox.enqueue(_message(invitation, "emails/organisation_invitation_reminder"))
            sent += 1
    return sent


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
