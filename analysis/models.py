"""The municipality's pre-analysis (foranalyse) and the reference data it hangs on.

Domain words map one to one to DESIGN.md's glossary: kommune → Municipality, runde → Round,
foranalyse → Analysis, refleksjonsspørsmål → Question, svar → Answer, and so on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


def in_choices(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    """A choice field's values checked by the database too, not only by forms."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class TranslatedFieldsMixin:
    """Reference texts carry every language in `<field>_nb`, `<field>_nn` and `<field>_en`.

    `obj.localized("name")` picks the active language and falls back to bokmål, so a text
    that is not yet translated still shows.
    """

    def localized(self, field: str, language: str | None = None) -> str:
        lang = (language or get_language() or "nb")[:2]
        value = getattr(self, f"{field}_{lang}", "") if lang in {"nb", "nn", "en"} else ""
        return value or getattr(self, f"{field}_nb", "")


# --- Reference data: regions, counties, municipalities --------------------------------------


class Region(models.Model):
    """A Statsforvalter office (embete); advisers follow every municipality in theirs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region (Statsforvalter office)")
        verbose_name_plural = _("regions (Statsforvalter offices)")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="counties", verbose_name=_("region")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{2}$"), name="county_number_two_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class LanguageForm(models.TextChoices):
    """A municipality's official written form (målform, språklova § 15)."""

    BOKMAAL = "bokmål", _("Bokmål")
    NYNORSK = "nynorsk", _("Nynorsk")
    NEUTRAL = "nøytral", _("Neutral")


class Municipality(models.Model):
    """A kommune; kommunenummer is the key and is always four digits kept as text."""

    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    ssb_name = models.CharField(_("name in SSB's classification"), max_length=200)
    other_language_names = models.CharField(_("Sami and Kven names"), max_length=200, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    language_form = models.CharField(
        _("official language form"), max_length=10, choices=LanguageForm.choices, blank=True
    )
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population year"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="municipality_ends_after_it_starts",
            ),
            # Empty for the six municipalities where the sources disagree.
            models.CheckConstraint(
                condition=Q(language_form="") | Q(language_form__in=LanguageForm.values),
                name="municipality_language_form_valid",
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_four_digits"
            ),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def region_id(self) -> int:
        return self.county.region_id

    @property
    def default_language(self) -> str:
        return "nn" if self.language_form == LanguageForm.NYNORSK else "nb"


class MunicipalityClassification(models.Model):
    """A version of SSB's municipality classification (classification 131) that has been
    loaded. A load never goes back to an older version than the newest one stored, so a plain
    `load_reference_data` after a newer file keeps the newer municipality structure."""

    valid_from = models.DateField(_("valid from"), unique=True)
    source = models.CharField(_("source file"), max_length=300)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("municipality classification")
        verbose_name_plural = _("municipality classifications")

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} ({self.source})"


# --- Users and roles ------------------------------------------------------------------------


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    READER = "reader", _("Reader")
    ADVISER = "adviser", _("Adviser")


class Membership(models.Model):
    """Ties a user to a municipality (editor or reader) or to a region (adviser)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="adviser", region__isnull=False, municipality__isnull=True)
                    | Q(
                        role__in=["editor", "reader"],
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                ),
                name="membership_role_matches_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(municipality__isnull=False),
                name="one_membership_per_user_and_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(region__isnull=False),
                name="one_membership_per_user_and_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.municipality or self.region}"


# --- Questionnaire editions ----------------------------------------------------------------


class Questionnaire(models.Model):
    """An edition of the pre-analysis questionnaire; a round is tied to one edition."""

    edition = models.PositiveSmallIntegerField(_("edition"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["edition"]
        verbose_name = _("questionnaire edition")
        verbose_name_plural = _("questionnaire editions")

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class SectionKind(models.TextChoices):
    QUESTIONS = "questions", _("Questions")
    RESPONSIBILITY_MAP = "responsibility_map", _("Who does what")
    COOPERATION = "cooperation", _("Cooperation")
    ALLOCATION = "allocation", _("Allocation")
    FACTORS = "factors", _("Success factors")
    PROJECTS = "projects", _("Projects")


class Section(TranslatedFieldsMixin, models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("key"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    title_nb = models.CharField(_("title (bokmål)"), max_length=200)
    title_nn = models.CharField(_("title (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_nb = models.TextField(_("introduction (bokmål)"), blank=True)
    intro_nn = models.TextField(_("introduction (nynorsk)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            in_choices("kind", SectionKind, "section_kind_valid"),
            models.UniqueConstraint(fields=["questionnaire", "key"], name="unique_section_key"),
            models.UniqueConstraint(fields=["questionnaire", "order"], name="unique_section_order"),
        ]

    def __str__(self) -> str:
        return self.localized("title")

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def intro(self) -> str:
        return self.localized("intro")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Choice")
    SCALE = "scale", _("Scale 1–5")


class Question(TranslatedFieldsMixin, models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    text_nb = models.TextField(_("question (bokmål)"))
    text_nn = models.TextField(_("question (nynorsk)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    help_nb = models.TextField(_("help text (bokmål)"), blank=True)
    help_nn = models.TextField(_("help text (nynorsk)"), blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)
    # For kind=choice: [{"value": "...", "label_nb": "...", "label_nn": "...", "label_en": "..."}]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), default=5000)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["section__order", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            in_choices("kind", QuestionKind, "question_kind_valid"),
            models.UniqueConstraint(fields=["section", "key"], name="unique_question_key"),
        ]

    def __str__(self) -> str:
        return self.localized("text")

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def help(self) -> str:
        return self.localized("help")

    def choice_pairs(self) -> list[tuple[str, str]]:
        lang = (get_language() or "nb")[:2]
        return [
            (c["value"], c.get(f"label_{lang}") or c.get("label_nb", c["value"]))
            for c in self.choices
        ]

    def display_answer(self, value: str) -> str:
        """A stored answer as a person reads it: yes/no in words, a choice by its label (the
        stored value is a code such as "spredt"), free text as it is; no answer is ""."""
        if not value:
            return ""
        if self.kind == QuestionKind.YES_NO:
            return {"yes": gettext("Yes"), "no": gettext("No")}.get(value, value)
        if self.kind == QuestionKind.CHOICE:
            return dict(self.choice_pairs()).get(value, value)
        return value


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

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


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
    # Demo analyses hold invented content; every page that shows them says so.
    is_demo = models.BooleanField(_("demo data"), default=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

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
            models.UniqueConstraint(
                fields=["municipality", "name"], name="unique_unit_name_per_municipality"
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
    """What a revision records a change of; answers and assessments have their own foreign
    key (history per answer with restore), the other rows are named by `object_id`."""

    ANSWER = "answer", _("Answer")
    ASSESSMENT = "assessment", _("Factor assessment")
    RESPONSIBILITY_MAP = "responsibility_map", _("Who does what")
    UNIT = "unit", _("Unit")
    COOPERATION_BODY = "cooperation_body", _("Cooperation body")
    EXTERNAL_ACTOR = "external_actor", _("External actor")
    ALLOCATION = "allocation", _("Allocation practice")
    PROJECT = "project", _("Project")
    ASSIGNMENT = "assignment", _("Section assignment")


class Revision(models.Model):
    """One saved change: who, when, the old and the new value. History can restore it."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(
        _("kind"), max_length=20, choices=RevisionKind.choices, default=RevisionKind.ANSWER
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    assessment = models.ForeignKey(
        "factors.FactorAssessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    # The changed row for the other kinds; kept after the row itself is deleted.
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
                    Q(kind=RevisionKind.ANSWER, answer__isnull=False, assessment__isnull=True)
                    | Q(kind=RevisionKind.ASSESSMENT, answer__isnull=True, assessment__isnull=False)
                    | (
                        ~Q(kind__in=[RevisionKind.ANSWER, RevisionKind.ASSESSMENT])
                        & Q(answer__isnull=True, assessment__isnull=True)
                    )
                ),
                name="revision_target_matches_kind",
            ),
            in_choices("kind", RevisionKind, "revision_kind_valid"),
        ]
        indexes = [models.Index(fields=["analysis", "kind", "object_id"])]


# --- Who does what ---------------------------------------------------------------------------


class TaskArea(TranslatedFieldsMixin, models.Model):
    """A social-housing task area (oppgaveområde), rows of the responsibility map."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (bokmål)"), blank=True)
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("task area")
        verbose_name_plural = _("task areas")

    def __str__(self) -> str:
        return self.localized("name")

    @property
    def name(self) -> str:
        return self.localized("name")


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


# --- Cooperation -----------------------------------------------------------------------------


class CooperationBody(models.Model):
    """A cross-unit cooperation body (samarbeidsorgan)."""

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


class Instrument(TranslatedFieldsMixin, models.Model):
    """An economic instrument or kind of housing the municipality allocates (virkemiddel)."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.localized("name")

    @property
    def name(self) -> str:
        return self.localized("name")


class AllocationPractice(models.Model):
    """How one instrument is allocated: who decides, on what criteria, written down or not."""

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="allocation_practices"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    decided_by = models.CharField(_("who decides"), max_length=300, blank=True)
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
        ]


# --- Projects --------------------------------------------------------------------------------


class TargetGroup(TranslatedFieldsMixin, models.Model):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.localized("name")


class FundingSource(TranslatedFieldsMixin, models.Model):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.localized("name")


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
        "factors.SuccessFactor",
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


# --- Key figures -----------------------------------------------------------------------------


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Count")
    PER_1000 = "per_1000", _("Per 1000 inhabitants")
    PERCENT = "percent", _("Percent")
    NOK = "nok", _("NOK")


class BetterDirection(models.TextChoices):
    NONE = "", _("Neither")
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(TranslatedFieldsMixin, models.Model):
    """A key figure (nøkkeltall) with its definition and source table."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    theme = models.CharField(_("theme"), max_length=100)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    definition_nb = models.TextField(_("definition (bokmål)"))
    definition_nn = models.TextField(_("definition (nynorsk)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    better = models.CharField(
        _("better direction"), max_length=10, choices=BetterDirection.choices, blank=True
    )
    source_publisher = models.CharField(_("publisher"), max_length=100)
    # Empty where no table id could be verified: the source line then names the publisher only.
    source_table = models.CharField(_("source table"), max_length=100, blank=True)
    # Variable labels as they appear in downloaded files, for matching on import.
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    # The count indicator this rate is computed from, for the count/share switch.
    count_indicator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rates"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            in_choices("unit", IndicatorUnit, "indicator_unit_valid"),
            in_choices("better", BetterDirection, "indicator_better_direction_valid"),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def localized_definition(self) -> str:
        return self.localized("definition")

    @property
    def source(self) -> str:
        """The source as every page and the report print it: "SSB (KOSTRA), tabell 12008",
        or the publisher alone where no table id is known."""
        if not self.source_table:
            return self.source_publisher
        return gettext("%(publisher)s, table %(table)s") % {
            "publisher": self.source_publisher,
            "table": self.source_table,
        }


class MissingReason(models.TextChoices):
    NONE = "", _("Not missing")
    SUPPRESSED = "suppressed", _("Suppressed for privacy")
    NOT_AVAILABLE = "not_available", _("Not available")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_YET_AVAILABLE = "not_yet_available", _("Not yet available")
    # SSB's "-": the source reports nothing (nil); kept apart from a measured zero.
    NIL = "nil", _("Nil in the source")


class StatisticValue(models.Model):
    """A published figure for one year: a value, or the reason it is missing (never a zero
    standing in for a suppressed cell), with the file it came from."""

    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    missing_reason = models.CharField(
        _("why missing"), max_length=20, choices=MissingReason.choices, blank=True
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    # Provenance: the file the value came from (a demo file says "fiktive" in its name).
    source_file = models.CharField(_("source file"), max_length=200, blank=True)

    class Meta:
        abstract = True


def value_or_reason(*, check_name: str, choices_name: str) -> list[models.CheckConstraint]:
    """A StatisticValue holds a value or says why it is missing, and only a known reason."""
    return [
        models.CheckConstraint(
            condition=Q(value__isnull=False, missing_reason="")
            | Q(value__isnull=True) & ~Q(missing_reason=""),
            name=check_name,
        ),
        in_choices("missing_reason", MissingReason, choices_name),
    ]


class IndicatorValue(StatisticValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="indicator_values"
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"],
                name="one_value_per_indicator_municipality_year",
            ),
            *value_or_reason(
                check_name="value_or_reason_for_missing",
                choices_name="indicator_value_missing_reason_valid",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "indicator", "year"])]


class IndicatorAggregateValue(StatisticValue):
    """An official figure for a county or the whole country (county empty), as the statistics
    file publishes it. Preferred over a sum of the municipalities that happen to be imported,
    which covers the whole county or country only when every municipality is there."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="aggregate_values"
    )
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.CASCADE, related_name="indicator_values"
    )

    class Meta:
        verbose_name = _("official county or country figure")
        verbose_name_plural = _("official county and country figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "county", "year"],
                condition=Q(county__isnull=False),
                name="one_county_value_per_indicator_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(county__isnull=True),
                name="one_country_value_per_indicator_year",
            ),
            *value_or_reason(
                check_name="aggregate_value_or_reason_for_missing",
                choices_name="aggregate_missing_reason_valid",
            ),
        ]


# --- User-organisation input -----------------------------------------------------------------


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

    class Meta:
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
