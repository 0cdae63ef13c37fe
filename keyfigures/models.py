"""Key figures (nøkkeltall): the indicator catalogue and the published values per
municipality, county and country and year, as official statistics publish them.

Depends on `reference` only. Tables keep the names they had in `analysis`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reference.models import County, Municipality, TranslatedFieldsMixin, in_choices


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
                condition=Q(county__isnull=True),
                name="one_country_value_per_indicator_year",
            ),
            *value_or_reason(
                check_name="aggregate_value_or_reason_for_missing",
                choices_name="aggregate_missing_reason_valid",
            ),
        ]
