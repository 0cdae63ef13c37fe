"""The municipality's action plan (tiltaksplan): measures with an owner, a responsible unit, a
deadline, a cost and a status that each round updates (DESIGN.md capability 10).

A measure belongs to the municipality, not to one analysis: it outlives rounds, so a new round
continues the same rows rather than copying them. Every status change is kept with who, when
and a short note, so the next round's report can say what happened to each measure.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from analysis.models import Analysis, Round, Unit
from keyfigures.models import Indicator
from reference.models import FundingSource, Municipality, SuccessFactor, in_choices


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


# A measure in one of these is still under way: each new round asks what happened to it.
OPEN_STATUSES = frozenset({MeasureStatus.PLANNED, MeasureStatus.STARTED})


class MeasurePriority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class MeasureQuerySet(models.QuerySet):
    def open(self) -> MeasureQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today) -> MeasureQuerySet:
        return self.open().filter(deadline__lt=today)


class Measure(models.Model):
    """A measure (tiltak) in the municipality's action plan."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="measures"
    )
    # The round in which the measure was planned: its year is the baseline a target year is
    # measured from, and its first day the earliest deadline.
    planned_in = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned in round")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The recommendations it answers, by their rule's key (reports.RecommendationRule.key),
    # which stays the same when an administrator edits the rule's texts.
    recommendation_keys = models.JSONField(
        _("recommendations it answers"), default=list, blank=True
    )
    factors = models.ManyToManyField(
        SuccessFactor,
        blank=True,
        related_name="measures",
        verbose_name=_("success factors it answers"),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("responsible unit"),
    )
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    owner_role = models.CharField(_("owner's role"), max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner (user)"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=MeasurePriority.choices, default=MeasurePriority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    stop_reason = models.TextField(_("why it was stopped"), blank=True)
    estimated_cost = models.PositiveIntegerField(_("estimated cost (NOK)"), null=True, blank=True)
    funding_source = models.ForeignKey(
        FundingSource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("funding source"),
    )
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("key figure to follow"),
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "deadline", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            in_choices("status", MeasureStatus, "measure_status_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=MeasurePriority.values), name="measure_priority_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.STOPPED) | ~Q(stop_reason=""),
                name="stopped_measure_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today

    @property
    def owner(self) -> str:
        """The owner as a reader sees it: "Kari Nordmann, boligkoordinator", or the user."""
        name = self.owner_name
        if not name and self.owner_user_id:
            name = self.owner_user.get_full_name() or self.owner_user.get_username()
        return ", ".join(part for part in (name, self.owner_role) if part)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.responsible_unit_id
            and self.municipality_id
            and self.responsible_unit.municipality_id != self.municipality_id
        ):
            errors["responsible_unit"] = _("Choose one of the municipality's own units.")
        if self.planned_in_id and self.deadline and self.deadline < self.planned_in.opens_on:
            errors["deadline"] = _(
                "The deadline cannot be before the round the measure was planned in "
                "(it opened on %(date)s)."
            ) % {"date": formats.date_format(self.planned_in.opens_on, "j. F Y")}
        if self.planned_in_id and self.target_year and self.target_year < self.planned_in.year:
            errors["target_year"] = _(
                "The target year cannot be before the baseline year %(year)s, the year the "
                "measure was planned."
            ) % {"year": self.planned_in.year}
        if self.status == MeasureStatus.STOPPED and not self.stop_reason.strip():
            errors["stop_reason"] = _("Say why the measure was stopped.")
        if (self.target_value is not None or self.target_year) and not self.indicator_id:
            errors["indicator"] = _("Choose the key figure the target is measured on.")
        if errors:
            raise ValidationError(errors)


class MeasureStatusChange(models.Model):
    """A status update of a measure: who, when, in which round, and what happened. A planner
    may record the same status again with a note: "still under way, because …"."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="status_changes")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    # Empty for the change that created the measure.
    from_status = models.CharField(
        _("from"), max_length=20, choices=MeasureStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MeasureStatus.choices)
    note = models.TextField(_("what happened"), blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change of a measure")
        verbose_name_plural = _("status changes of measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=MeasureStatus.values),
                name="measure_change_from_valid",
            ),
            in_choices("to_status", MeasureStatus, "measure_change_to_valid"),
        ]


class DecisionProposal(models.Model):
    """The proposed decision (forslag til vedtak) the round's report puts before the municipal
    council: written by an editor of the analysis, or a generated draft accepted as it stands
    (plans/selectors.py, `decision_draft`). It belongs to the action plan: it asks the council
    to take note of the analysis and to endorse the plan's measures. One per analysis, since
    each round's report proposes its own decision; nothing carries it into the next round."""

    analysis = models.OneToOneField(
        Analysis, on_delete=models.CASCADE, related_name="decision_proposal"
    )
    text = models.TextField(_("proposed decision"), max_length=5000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposed decision")
        verbose_name_plural = _("proposed decisions")

    def __str__(self) -> str:
        return str(self.analysis)
