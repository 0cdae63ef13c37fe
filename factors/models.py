"""The municipality's self-assessment (egenvurdering) against the six success factors, and
the user organisations' view given through an invitation link (success factor 6,
brukermedvirkning).

The factors themselves, with criteria and maturity levels, are reference data
(`reference.models.SuccessFactor`). This app builds on `analysis`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.models import Analysis, Revision, RevisionKind
from reference.models import SCORE_RANGE, SuccessFactor


class FactorAssessment(models.Model):
    """The municipality's self-assessment (egenvurdering) on one factor in one analysis."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="assessments")
    factor = models.ForeignKey(SuccessFactor, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    status = models.TextField(_("where we are"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    evidence = models.TextField(_("what the score rests on"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["factor__number"]
        verbose_name = _("factor assessment")
        verbose_name_plural = _("factor assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "factor"], name="one_assessment_per_factor"
            ),
            models.CheckConstraint(condition=SCORE_RANGE, name="assessment_score_1_to_5"),
        ]

    @property
    def revisions(self) -> QuerySet[Revision]:
        """This assessment's history (a revision names it by object_id: analysis/models.py)."""
        return Revision.objects.filter(
            analysis_id=self.analysis_id, kind=RevisionKind.ASSESSMENT, object_id=self.pk
        )


class Invitation(models.Model):
    """An expiring, single-purpose link for a user organisation to rate the six factors
    without an account (success factor 6, brukermedvirkning)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="invitations")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Where the link was sent from the app (empty: the planner sent it themselves).
    email = models.EmailField(_("sent to"), blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        db_table = "analysis_invitation"
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation_name

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class UserOrganisationInput(models.Model):
    """A user organisation's view on the six factors, given through an invitation link."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="input")
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("user organisation input")
        verbose_name_plural = _("user organisation inputs")


class UserFactorRating(models.Model):
    input = models.ForeignKey(
        UserOrganisationInput, on_delete=models.CASCADE, related_name="ratings"
    )
    factor = models.ForeignKey(SuccessFactor, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("user organisation rating")
        verbose_name_plural = _("user organisation ratings")
        constraints = [
            models.UniqueConstraint(fields=["input", "factor"], name="one_rating_per_factor"),
            models.CheckConstraint(condition=SCORE_RANGE, name="rating_score_1_to_5"),
        ]
