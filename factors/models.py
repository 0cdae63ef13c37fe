"""The six success factors for social-housing work and the self-assessment against them.

Source: Husbanken, "Suksessfaktorar for godt bustadsosialt arbeid" (seed 001): NOU 2011:15
"Rom for alle" named five, the strategy "Bolig for velferd" (2014–2020) added the sixth.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.models import Analysis, TranslatedFieldsMixin

SCORE_RANGE = Q(score__isnull=True) | Q(score__gte=1, score__lte=5)


class SuccessFactor(TranslatedFieldsMixin, models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_nb = models.TextField(_("summary (bokmål)"))
    summary_nn = models.TextField(_("summary (nynorsk)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("success factor")
        verbose_name_plural = _("success factors")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=6), name="six_success_factors"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def summary(self) -> str:
        return self.localized("summary")


class Criterion(TranslatedFieldsMixin, models.Model):
    factor = models.ForeignKey(SuccessFactor, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"))
    text_nb = models.TextField(_("criterion (bokmål)"))
    text_nn = models.TextField(_("criterion (nynorsk)"), blank=True)
    text_en = models.TextField(_("criterion (English)"), blank=True)

    class Meta:
        ordering = ["factor__number", "order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["factor", "order"], name="unique_criterion_order")
        ]

    def __str__(self) -> str:
        return self.localized("text")

    @property
    def text(self) -> str:
        return self.localized("text")


class MaturityLevel(TranslatedFieldsMixin, models.Model):
    """What a score of 1–5 means for one factor, shown while the planner chooses."""

    factor = models.ForeignKey(SuccessFactor, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    description_nb = models.TextField(_("description (bokmål)"))
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["factor__number", "level"]
        verbose_name = _("maturity level")
        verbose_name_plural = _("maturity levels")
        constraints = [
            models.UniqueConstraint(fields=["factor", "level"], name="unique_level_per_factor"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="maturity_level_1_to_5"
            ),
        ]

    @property
    def description(self) -> str:
        return self.localized("description")


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
    def is_complete(self) -> bool:
        return self.score is not None and bool(self.status.strip())


class UserOrganisationInput(models.Model):
    """A user organisation's view on the six factors, given through an invitation link."""

    invitation = models.OneToOneField(
        "analysis.Invitation", on_delete=models.CASCADE, related_name="input"
    )
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
