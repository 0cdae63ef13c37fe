"""Key figures (nøkkeltall): the indicator catalogue and the published values per
municipality, county and country and year, as official statistics publish them.

Depends on `reference` only. Tables keep the names they had in `analysis`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reference.models import County, Municipality, TranslatedFieldsMixin, in_choices


class FiguresQuerySet(models.QuerySet):
    """Bulk writes of what the key figures are computed from change the figures' version
    (keyfigures/versions.py) like a save does, so no writer has to remember to."""

    def update(self, **kwargs):
        from keyfigures import versions

        count = super().update(**kwargs)
        versions.changed()
        return count

    def bulk_create(self, *args, **kwargs):
        from keyfigures import versions

        created = super().bulk_create(*args, **kwargs)
        versions.changed()
        return created

    def bulk_update(self, *args, **kwargs):
        from keyfigures import versions

        count = super().bulk_update(*args, **kwargs)
        versions.changed()
        return count

    def delete(self):
        from keyfigures import versions

        deleted = super().delete()
        versions.changed()
        return deleted


class ChangesFigures:
    """A deleted row changes the figures' version (keyfigures/versions.py); saves are seen by
    the signals connected in KeyFiguresConfig.ready."""

    def delete(self, *args, **kwargs):
        from keyfigures import versions

        deleted = super().delete(*args, **kwargs)
        versions.changed()
        return deleted


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Count")
    PER_1000 = "per_1000", _("Per 1000 inhabitants")
    PERCENT = "percent", _("Percent")
    NOK = "nok", _("NOK")


class BetterDirection(models.TextChoices):
    NONE = "", _("Neither")
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class UnitNoteMixin:
    """The unit to write after a figure's name, in lower case, or nothing when the name says
    it already ("… per 1000 innbyggere (per 1000 innbyggere)" was seen in a usability test)."""

    @property
    def unit_note(self) -> str:
        unit = str(self.get_unit_display()).lower()
        return "" if unit in str(self.name).lower() else unit


class Indicator(ChangesFigures, UnitNoteMixin, TranslatedFieldsMixin, models.Model):
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
    # A table that has closed (sosialhjelp-andel's 12210 ended with 2022): a value of a later
    # year is not labelled with it.
    source_table_until = models.PositiveSmallIntegerField(
        _("last year of the source table"), null=True, blank=True
    )
    # Variable labels as they appear in downloaded files, for matching on import.
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    # The count indicator this rate is computed from, for the count/share switch.
    count_indicator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rates"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # What a fetch from SSB's PxWebApi 2 asks for. The region and year dimensions are read from
    # the table's own metadata (its "geo" and "time" roles) when it is fetched; only the
    # contents code and any other dimension fixed to one value are recorded here. An
    # indicator whose table or contents code could not be checked against SSB's published
    # metadata is not verified, and the fetch skips it with a message.
    ssb_table_id = models.CharField(_("SSB table id"), max_length=20, blank=True)
    ssb_contents_code = models.CharField(_("SSB contents code"), max_length=60, blank=True)
    ssb_dimensions = models.JSONField(_("other SSB dimensions"), default=dict, blank=True)
    ssb_verified = models.BooleanField(_("verified against SSB's metadata"), default=False)
    ssb_note = models.TextField(_("note on the SSB source"), blank=True)
    # The last fetch from SSB, and the table's own "updated" time it reported.
    ssb_fetched_at = models.DateTimeField(_("last fetched from SSB"), null=True, blank=True)
    ssb_updated = models.DateTimeField(_("updated by SSB"), null=True, blank=True)

    objects = FiguresQuerySet.as_manager()

    class Meta:
        db_table = "analysis_indicator"
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
    def unit_note(self) -> str:
        """The unit to show after the name, in lower case; "" when the name already says it
        ("… per 1000 innbyggere (per 1000 innbyggere)", issue 15)."""
        unit = str(self.get_unit_display()).lower()
        return "" if unit in self.name.lower() else unit

    @property
    def localized_definition(self) -> str:
        return self.localized("definition")

    @property
    def can_be_fetched(self) -> bool:
        return bool(self.ssb_verified and self.ssb_table_id and self.ssb_contents_code)

    @property
    def why_not_fetched(self) -> str:
        """Why the fetch from SSB skips the indicator, in the reader's language; "" when it
        does not. (`ssb_note` is the catalogue's record, in English, of how the source was
        checked: for the people who keep the catalogue, not for the pages.)"""
        if self.can_be_fetched:
            return ""
        if not self.source_publisher.startswith("SSB"):
            return gettext(
                "Published by %(publisher)s, not in SSB's API: import it from a file."
            ) % {"publisher": self.source_publisher.split(",")[0]}
        return gettext("Its table or contents code at SSB is not verified: import it from a file.")

    def source_for(self, year: int | None) -> str:
        """The source of a value of `year`: a closed table names only its publisher for a
        value from after it closed."""
        if year and self.source_table_until and year > self.source_table_until:
            return self.source_publisher
        return self.source

    def source_url_for(self, year: int | None) -> str:
        """SSB's StatBank page of the table a reader can follow, where one is known."""
        if not self.ssb_table_id or not self.ssb_table_id.isdigit():
            return ""
        if year and self.source_table_until and year > self.source_table_until:
            return ""
        return f"https://www.ssb.no/statbank/table/{self.ssb_table_id}/"

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
    # Provenance of a value fetched from SSB's API: the table, the table's "updated" time as
    # the response gave it, and when it was fetched. Empty for a value from a file.
    source_table = models.CharField(_("source table"), max_length=20, blank=True)
    source_updated = models.DateTimeField(_("table updated"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)

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


class IndicatorValue(ChangesFigures, StatisticValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="indicator_values"
    )

    objects = FiguresQuerySet.as_manager()

    class Meta:
        db_table = "analysis_indicatorvalue"
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


class KostraGroup(ChangesFigures, models.Model):
    """One of SSB's KOSTRA groups of comparable municipalities (`EKG13`, "Kostragruppe 13"),
    SSB classification 112. A municipality's group per year: KostraGroupMembership."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)

    objects = FiguresQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("KOSTRA group")
        verbose_name_plural = _("KOSTRA groups")

    def __str__(self) -> str:
        return self.name or self.code


class KostraGroupMembership(ChangesFigures, models.Model):
    """The KOSTRA group a municipality belongs to in a year, with where that was read."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="kostra_groups"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.ForeignKey(KostraGroup, on_delete=models.CASCADE, related_name="members")
    # "SSB KLASS, classification 112 → 131 at 2024-01-01" or the bundled file's name and date.
    source = models.CharField(_("source"), max_length=300)
    retrieved_at = models.DateTimeField(_("retrieved"), default=timezone.now)

    objects = FiguresQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "-year"]
        verbose_name = _("KOSTRA group of a municipality")
        verbose_name_plural = _("KOSTRA groups of municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="one_kostra_group_per_municipality_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.group}"


class IndicatorAggregateValue(ChangesFigures, StatisticValue):
    """An official figure for a county, a KOSTRA group or the whole country (both empty), as
    the statistics publish it. Preferred over a sum of the municipalities that happen to be
    imported, which covers the whole county or country only when every municipality is there."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="aggregate_values"
    )
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.CASCADE, related_name="indicator_values"
    )
    kostra_group = models.ForeignKey(
        KostraGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("KOSTRA group"),
    )

    objects = FiguresQuerySet.as_manager()

    class Meta:
        db_table = "analysis_indicatoraggregatevalue"
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
                condition=Q(county__isnull=True, kostra_group__isnull=True),
                name="one_country_value_per_indicator_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "kostra_group", "year"],
                condition=Q(kostra_group__isnull=False),
                name="one_kostra_group_value_per_indicator_year",
            ),
            models.CheckConstraint(
                condition=Q(county__isnull=True) | Q(kostra_group__isnull=True),
                name="aggregate_value_county_or_kostra_group",
            ),
            *value_or_reason(
                check_name="aggregate_value_or_reason_for_missing",
                choices_name="aggregate_missing_reason_valid",
            ),
        ]


class FetchOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    CHANGED = "changed", _("Figures changed")
    NOTHING_NEW = "nothing_new", _("Nothing new")
    DRY_RUN = "dry_run", _("Checked, nothing written")
    FAILED = "failed", _("Failed, nothing written")


class FetchRun(models.Model):
    """One fetch of key figures from SSB's API: when, started by whom or how, and what came
    of it, for the administrators (admin and the catalogue page)."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Empty: started from the command line or a schedule (see `via`).
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    via = models.CharField(_("started from"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=FetchOutcome.choices, default=FetchOutcome.RUNNING
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("fetch from SSB")
        verbose_name_plural = _("fetches from SSB")
        constraints = [in_choices("outcome", FetchOutcome, "fetch_run_outcome_valid")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class LocalFigure(UnitNoteMixin, models.Model):
    """A figure the municipality keeps itself where the statistics have none (its own count
    of homeless persons, of applications for a municipal dwelling), with its source, year and
    a note. Shown apart from the official figures, and marked as the municipality's own."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="local_figures"
    )
    name = models.CharField(_("what is counted"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["name", "-year"]
        verbose_name = _("the municipality's own figure")
        verbose_name_plural = _("the municipality's own figures")
        constraints = [
            in_choices("unit", IndicatorUnit, "local_figure_unit_valid"),
            models.UniqueConstraint(
                fields=["municipality", "name", "year"], name="one_local_figure_per_name_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2100), name="local_figure_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class FiguresVersion(models.Model):
    """One row whose token changes with every change to what the key figures are computed
    from (indicators, values, official figures, KOSTRA groups, municipalities): the computed
    figures are cached under it (keyfigures/versions.py), so a change shows at once in every
    process that shares the database."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("key figures version")
        verbose_name_plural = _("key figures versions")

    def __str__(self) -> str:
        return self.token
