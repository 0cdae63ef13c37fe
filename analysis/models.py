"""The municipality's pre-analysis (foranalyse): rounds, the analysis itself and its status,
answers, who does what, cooperation, allocation, the project inventory, review and history.

Reference data (municipalities, the questionnaire, the vocabularies) is in `reference`; the
six-factor self-assessment is in `factors`, which builds on this app.
Domain words map one to one to DESIGN.md's glossary: runde → Round, foranalyse → Analysis,
svar → Answer, enhet → Unit, and so on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.versions import new_token
from reference.models import (
    FundingSource,
    Instrument,
    Municipality,
    Question,
    Questionnaire,
    Section,
    SuccessFactor,
    TargetGroup,
    TaskArea,
    in_choices,
)

# --- Rounds and analyses ---------------------------------------------------------------------


class Round(models.Model):
    """A round (runde) of pre-analyses, usually one a year, tied to one questionnaire edition."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds"
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="round_closes_after_it_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AnalysisStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    SENT_BACK = "sent_back", _("Sent back")
    APPROVED = "approved", _("Approved")


# Statuses in which the municipality may change its answers.


EDITABLE_STATUSES = frozenset(
    {AnalysisStatus.NOT_STARTED, AnalysisStatus.IN_PROGRESS, AnalysisStatus.SENT_BACK}
)


class AnalysisQuerySet(models.QuerySet):
    def of_round(self, round_: Round, municipalities=None) -> AnalysisQuerySet:
        """The round's analyses, of the given municipalities (a queryset or ids) or of all."""
        analyses = self.filter(round=round_)
        if municipalities is not None:
            analyses = analyses.filter(municipality__in=municipalities)
        return analyses


class Analysis(models.Model):
    """One municipality's pre-analysis (foranalyse) for one round."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="analyses"
    )
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="analyses")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AnalysisStatus.choices,
        default=AnalysisStatus.NOT_STARTED,
    )
    # Raised on every saved change; a save that started from an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
        verbose_name=_("carried over from"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    last_activity_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Replaced by every write to what the analysis page and the review page show (this
    # analysis's rows, its municipality's, the reference data), so they may keep what they
    # computed under it (analysis/versions.py).
    content_token = models.CharField(max_length=32, default=new_token, editable=False)
    # Demo analyses hold invented content; every page that shows them says so.
    is_demo = models.BooleanField(_("demo data"), default=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["round", "municipality__number"]
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        constraints = [
            in_choices("status", AnalysisStatus, "analysis_status_valid"),
            models.UniqueConstraint(
                fields=["municipality", "round"], name="one_analysis_per_municipality_and_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} – {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("analysis:detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Unit(models.Model):
    """A unit or service in the municipality (enhet/tjeneste); units outlive rounds."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            # One name per unit in a municipality whatever the case of its letters, in the
            # database: two analyses of one municipality (a sent-back previous round and the
            # current one) lock different rows, so their checks cannot see each other's
            # saves (issue 11).
            models.UniqueConstraint(
                Lower("name"),
                "municipality",
                name="unique_unit_name_per_municipality_any_case",
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SectionAssignment(models.Model):
    """Who answers a section: a unit, a colleague, or both (DESIGN.md capability 2)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="assignments")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # When the section should be answered (issue 15, item 9); within the round, checked where
    # it is chosen (analysis/forms/sections.py, AssignmentForm).
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("section assignment")
        verbose_name_plural = _("section assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "section"], name="one_assignment_per_section"
            ),
        ]


class Answer(models.Model):
    """The municipality's answer to one question; the value is kept as normalised text.

    Text answers as typed, yes/no as "yes"/"no", a choice by its value, a scale as "1"–"5".
    """

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(_("answer"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.value[:60]

    @property
    def is_answered(self) -> bool:
        return bool(self.value.strip())


class RevisionKind(models.TextChoices):
    """What a revision records a change of. Answers have their own foreign key (history per
    answer with restore); every other row is named by `object_id`, which stays valid after the
    row is deleted (an assessment's revisions name the assessment this way, since the
    assessment lives in `factors`, which builds on this app)."""

    ANSWER = "answer", _("Answer")
    ASSESSMENT = "assessment", _("Factor assessment")
    RESPONSIBILITY_MAP = "responsibility_map", _("Who does what")
    UNIT = "unit", _("Unit")
    COOPERATION_BODY = "cooperation_body", _("Cooperation body")
    EXTERNAL_ACTOR = "external_actor", _("External actor")
    ALLOCATION = "allocation", _("Allocation practice")
    PROJECT = "project", _("Project")
    ASSIGNMENT = "assignment", _("Section assignment")
    # A measure's fields (plans); its status changes have their own rows with a note.
    MEASURE = "measure", _("Measure")


class Revision(models.Model):
    """One saved change: who, when, the old and the new value. History can restore it."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(
        _("kind"), max_length=20, choices=RevisionKind.choices, default=RevisionKind.ANSWER
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    # The changed row for every other kind; kept after the row itself is deleted.
    object_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)
    label = models.CharField(_("what changed"), max_length=300, blank=True)
    old_value = models.JSONField(_("old value"), null=True, blank=True)
    new_value = models.JSONField(_("new value"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=RevisionKind.ANSWER, answer__isnull=False)
                    | (
                        ~Q(kind=RevisionKind.ANSWER)
                        & Q(answer__isnull=True, object_id__isnull=False)
                    )
                ),
                name="revision_target_matches_kind",
            ),
            in_choices("kind", RevisionKind, "revision_kind_valid"),
        ]
        indexes = [models.Index(fields=["analysis", "kind", "object_id"])]


# --- Who does what ---------------------------------------------------------------------------


class Gap(models.TextChoices):
    """An honest answer where no unit or decision-maker can be named (issue 15). It completes
    the question, so nobody has to invent an owner to submit, and it stays visible as a gap
    wherever the map and the allocation are shown."""

    NOBODY = "nobody", _("Nobody is responsible today")
    NOT_RELEVANT = "not_relevant", _("Not relevant in the municipality")


class ResponsibilityRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible")
    CONTRIBUTING = "contributing", _("Contributing")


class Responsibility(models.Model):
    """A cell of the responsibility map: a unit's role in a task area, in one analysis."""

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="responsibilities"
    )
    task_area = models.ForeignKey(TaskArea, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField(_("role"), max_length=20, choices=ResponsibilityRole.choices)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            in_choices("role", ResponsibilityRole, "responsibility_role_valid"),
            models.UniqueConstraint(
                fields=["analysis", "task_area", "unit"], name="one_role_per_unit_and_task"
            ),
        ]


class TaskAreaGap(models.Model):
    """A task area of the map answered without a unit: nobody is responsible for it today,
    or it is not relevant in the municipality. One per task area; a task area answered this
    way has no responsible unit (the service checks it)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="task_area_gaps")
    task_area = models.ForeignKey(TaskArea, on_delete=models.PROTECT, related_name="+")
    gap = models.CharField(_("without a unit"), max_length=20, choices=Gap.choices)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)

    class Meta:
        verbose_name = _("task area without a unit")
        verbose_name_plural = _("task areas without a unit")
        constraints = [
            in_choices("gap", Gap, "task_area_gap_valid"),
            models.UniqueConstraint(fields=["analysis", "task_area"], name="one_gap_per_task"),
        ]


# --- Cooperation -----------------------------------------------------------------------------


class CooperationBody(models.Model):
    """A cross-unit cooperation body (samarbeidsorgan)."""

    # What a planner edits: the history records these, a new round copies them.
    EDITABLE = ("name", "members", "mandate", "meeting_frequency", "is_formal")

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="cooperation_bodies"
    )
    name = models.CharField(_("name"), max_length=200)
    members = models.TextField(_("members"), blank=True)
    mandate = models.TextField(_("mandate"), blank=True)
    meeting_frequency = models.CharField(_("how often it meets"), max_length=200, blank=True)
    is_formal = models.BooleanField(_("formally established"), default=False)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation body")
        verbose_name_plural = _("cooperation bodies")

    def __str__(self) -> str:
        return self.name


class ActorKind(models.TextChoices):
    NAV = "nav", _("NAV")
    HUSBANKEN = "husbanken", _("Husbanken")
    STATSFORVALTEREN = "statsforvalteren", _("Statsforvalteren")
    USER_ORGANISATION = "user_organisation", _("User organisation")
    LANDLORD = "landlord", _("Landlord or housing company")
    VOLUNTARY = "voluntary", _("Voluntary organisation")
    OTHER = "other", _("Other")


class ExternalActor(models.Model):
    """An actor outside the municipality's own organisation (ekstern aktør)."""

    EDITABLE = ("kind", "name", "cooperation_about", "is_state_level")

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="external_actors")
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    cooperation_about = models.TextField(_("what the cooperation is about"), blank=True)
    # Vertical coordination: state levels (seed 002).
    is_state_level = models.BooleanField(_("state level"), default=False)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("external actor")
        verbose_name_plural = _("external actors")
        constraints = [in_choices("kind", ActorKind, "external_actor_kind_valid")]

    def __str__(self) -> str:
        return self.name


# --- Allocation ------------------------------------------------------------------------------


class AllocationPractice(models.Model):
    """How one instrument is allocated: who decides, on what criteria, written down or not."""

    EDITABLE = ("decided_by", "gap", "criteria", "criteria_written")

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="allocation_practices"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    decided_by = models.CharField(_("who decides"), max_length=300, blank=True)
    # Instead of a decision-maker: nobody decides today, or the instrument is not used.
    gap = models.CharField(
        _("without a decision-maker"), max_length=20, choices=Gap.choices, blank=True
    )
    criteria = models.TextField(_("criteria"), blank=True)
    criteria_written = models.BooleanField(_("criteria are written down"), null=True, blank=True)
    carried_over = models.BooleanField(_("carried over from previous round"), default=False)

    class Meta:
        verbose_name = _("allocation practice")
        verbose_name_plural = _("allocation practices")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "instrument"], name="one_practice_per_instrument"
            ),
            models.CheckConstraint(
                condition=Q(gap="") | Q(gap__in=Gap.values, decided_by=""),
                name="allocation_gap_valid_and_without_decider",
                violation_error_message=_(
                    "Either name who decides, or answer that nobody decides or that the "
                    "instrument is not relevant, not both."
                ),
            ),
        ]

    @property
    def is_answered(self) -> bool:
        return bool(self.decided_by or self.gap)


# --- Projects --------------------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class Project(models.Model):
    """A project or measure (prosjekt/tiltak); projects belong to the municipality and outlive
    rounds: each round's report shows those active in its period."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("responsible unit"),
    )
    partners = models.TextField(_("partners"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="projects", verbose_name=_("target groups")
    )
    funding_sources = models.ManyToManyField(
        FundingSource, blank=True, related_name="projects", verbose_name=_("funding")
    )
    funding_note = models.CharField(_("funding details"), max_length=300, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    factors = models.ManyToManyField(
        SuccessFactor,
        blank=True,
        related_name="projects",
        verbose_name=_("success factors it strengthens"),
    )
    results = models.TextField(_("results"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            in_choices("status", ProjectStatus, "project_status_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_between(self, start, end) -> bool:
        return (self.starts_on is None or self.starts_on <= end) and (
            self.ends_on is None or self.ends_on >= start
        )


# --- Review ----------------------------------------------------------------------------------


class ReviewComment(models.Model):
    """An adviser's comment on a section or a single answer, or the municipality's reply."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            # A comment on an answer also names the answer's section, so it shows there too.
            models.CheckConstraint(
                condition=Q(question__isnull=True) | Q(section__isnull=False),
                name="comment_on_question_names_its_section",
            ),
        ]


class InternalNote(models.Model):
    """A note the region's office keeps on an analysis for itself (issue 15): advisers of the
    region and administrators read and write it; the municipality never sees it, not on its
    pages, in the report, in an export or in an e-mail (no signal is sent for it)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("internal note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")


class StatusChange(models.Model):
    """Every status change of an analysis: who, when, why."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=AnalysisStatus.choices)
    to_status = models.CharField(max_length=20, choices=AnalysisStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            in_choices("from_status", AnalysisStatus, "status_change_from_valid"),
            in_choices("to_status", AnalysisStatus, "status_change_to_valid"),
        ]
