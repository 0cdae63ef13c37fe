"""Reference data every other app hangs on: the Statsforvalter offices (regions), counties and
municipalities with the classifications they come from, the questionnaire editions, the six
success factors with their criteria and maturity levels, and the small vocabularies (task
areas, instruments, target groups, funding sources).

It imports nothing of the project's own: everything else may import it (DESIGN.md, Layout).
Tables keep the names they had when these models lived in `analysis` and `factors`.
Domain words map one to one to DESIGN.md's glossary: kommune → Municipality, statsforvalter
→ Region, refleksjonsspørsmål → Question, suksessfaktor → SuccessFactor, and so on.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
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


class CitedMixin:
    """A citation in the reader's language: `source` in bokmål (its column from the start),
    `source_nn` and `source_en` where the words around the titles differ ("anbefalingene",
    "tilrådingane"); titles stay as they were published. An empty translation shows bokmål."""

    @property
    def localized_source(self) -> str:
        lang = (get_language() or "nb")[:2]
        return (getattr(self, f"source_{lang}", "") if lang in {"nn", "en"} else "") or self.source


# --- Regions, counties, municipalities ------------------------------------------------------


class Region(models.Model):
    """A Statsforvalter office (embete); advisers follow every municipality in theirs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)

    class Meta:
        db_table = "analysis_region"
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
        db_table = "analysis_county"
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


class MunicipalityQuerySet(models.QuerySet):
    def current(self) -> MunicipalityQuerySet:
        """The municipalities of today's structure: none a newer classification has ended."""
        return self.filter(valid_to__isnull=True)

    def in_region(self, region: Region) -> MunicipalityQuerySet:
        return self.filter(county__region=region)


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

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        db_table = "analysis_municipality"
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
        db_table = "analysis_municipalityclassification"
        ordering = ["-valid_from"]
        verbose_name = _("municipality classification")
        verbose_name_plural = _("municipality classifications")

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} ({self.source})"


# --- Questionnaire editions ----------------------------------------------------------------


class Questionnaire(TranslatedFieldsMixin, models.Model):
    """An edition of the pre-analysis questionnaire; a round is tied to one edition."""

    edition = models.PositiveSmallIntegerField(_("edition"), unique=True)
    # The bokmål title keeps the column it had when the title was in bokmål only.
    title_nb = models.CharField(_("title (bokmål)"), max_length=200, db_column="title")
    title_nn = models.CharField(_("title (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        db_table = "analysis_questionnaire"
        ordering = ["edition"]
        verbose_name = _("questionnaire edition")
        verbose_name_plural = _("questionnaire editions")

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"

    @property
    def title(self) -> str:
        """The title in the reader's language (a nynorsk page said "1. utgave")."""
        return self.localized("title")

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
        db_table = "analysis_section"
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


class Question(CitedMixin, TranslatedFieldsMixin, models.Model):
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
    source_nn = models.CharField(_("source (nynorsk)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)

    class Meta:
        db_table = "analysis_question"
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


# --- The six success factors (seed 001) -----------------------------------------------------


SCORE_RANGE = Q(score__isnull=True) | Q(score__gte=1, score__lte=5)


class SuccessFactor(CitedMixin, TranslatedFieldsMixin, models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_nb = models.TextField(_("summary (bokmål)"))
    summary_nn = models.TextField(_("summary (nynorsk)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_nn = models.CharField(_("source (nynorsk)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)

    class Meta:
        db_table = "factors_successfactor"
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
        db_table = "factors_criterion"
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
        db_table = "factors_maturitylevel"
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


# --- Vocabularies ---------------------------------------------------------------------------


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
        db_table = "analysis_taskarea"
        ordering = ["order"]
        verbose_name = _("task area")
        verbose_name_plural = _("task areas")

    def __str__(self) -> str:
        return self.localized("name")

    @property
    def name(self) -> str:
        return self.localized("name")


class Instrument(TranslatedFieldsMixin, models.Model):
    """An economic instrument or kind of housing the municipality allocates (virkemiddel)."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        db_table = "analysis_instrument"
        ordering = ["order"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.localized("name")

    @property
    def name(self) -> str:
        return self.localized("name")


class TargetGroup(TranslatedFieldsMixin, models.Model):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        db_table = "analysis_targetgroup"
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
        db_table = "analysis_fundingsource"
        ordering = ["order"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.localized("name")
