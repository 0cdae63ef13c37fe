"""Key figures beside the municipality's own answers: the latest value of each indicator, its
trend, and the same figure for the county and the whole country. The one implementation of
comparison and suppression: the analysis page, the key-figures page and the report (and
later the adviser overview) all read figures from `key_figures`, and show numbers through
`display_value`.

Comparisons. An official county or country figure from an imported file (`18 Nordland`,
`0 Hele landet`, KOSTRA's `EKA18` and `EAK`) is always preferred. Without one, the figure is
computed from the municipalities' values: counts are added up, rates and shares weighted by
population. The weights are the population in the reference data (the latest count SSB
published, `Municipality.population`), not the population of the figure's year, which the
application does not hold; for the few percent a population changes in a decade this moves a
weighted rate very little. A computed figure is shown only when every municipality of the
county (or the country) has a value for that year; otherwise it would describe just the
municipalities that happen to be imported (with the demo file, "the whole country" would be
Nordland), so it is replaced by its coverage, "4 of 41 municipalities". Suppressed or missing
values count as not covered, never as zero.

Suppression. A count of 1 or 2 could identify people and is shown as "under 3", in pages,
charts and exports alike, and so is a county or country count of 1 or 2. A count of 0 is
shown as 0: that nobody is counted identifies no one, and hiding it would hide the good news
of a municipality without, say, households in temporary accommodation. Rates and shares are
not suppressed (they do not show a number of people).

Trends. With `trends=True` the comparisons are read for every year the municipality has a
figure, not only the latest, so each trend chart draws the county, the country and the KOSTRA
group beside the municipality (`KeyFigure.series`): the same queries, more rows.

Queries: indicators, the municipality's values, and when it has any: its KOSTRA groups, the
official figures, every municipality's values for those indicator-years, and the number of
municipalities per county. Six at most, whatever the number of indicators or years, with or
without trends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keyfigures import versions
from keyfigures.models import (
    Indicator,
    IndicatorAggregateValue,
    IndicatorUnit,
    IndicatorValue,
    KostraGroupMembership,
    MissingReason,
)
from reference.models import Municipality

SUPPRESS_BELOW = 3
DEMO_MARK = "fiktiv"


def is_small_count(value: Decimal | float | None, unit: str) -> bool:
    """A count of 1 or 2 (or anything between 0 and 3): shown as "under 3"."""
    return unit == IndicatorUnit.COUNT and value is not None and 0 < value < SUPPRESS_BELOW


def missing_text(reason: str) -> str:
    return {
        MissingReason.SUPPRESSED: _("suppressed"),
        MissingReason.NOT_APPLICABLE: _("not applicable"),
        MissingReason.NOT_YET_AVAILABLE: _("not yet available"),
        MissingReason.NIL: _("nil"),
    }.get(reason, "–")


def display_value(value: Decimal | float | None, unit: str, reason: str = "") -> str:
    """A value as every page and export shows it."""
    if value is None:
        return missing_text(reason)
    if is_small_count(value, unit):
        return _("under 3")
    value = Decimal(str(value))
    if unit == IndicatorUnit.COUNT:
        value, places = value.quantize(Decimal("1"), ROUND_HALF_UP), 0
    else:
        value, places = value.quantize(Decimal("0.1"), ROUND_HALF_UP), 1
    # Django's number_format cuts decimals off; rounding first keeps 25.75 from showing 25,7.
    text = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text} %" if unit == IndicatorUnit.PERCENT else text


def aggregate(values: list[tuple[Decimal | float, int]], unit: str) -> Decimal | None:
    """(value, population) pairs → a sum for counts, a population-weighted mean otherwise."""
    if not values:
        return None
    if unit == IndicatorUnit.COUNT:
        return sum((Decimal(str(v)) for v, _pop in values), Decimal(0))
    population = sum(p for _v, p in values)
    if not population:
        return None
    return sum((Decimal(str(v)) * p for v, p in values), Decimal(0)) / population


@dataclass
class Comparison:
    """The county's or the country's figure for one indicator and year."""

    unit: str
    value: Decimal | None = None
    missing_reason: str = ""
    official: bool = False
    covered: int = 0  # municipalities with a value (computed figures)
    expected: int = 0  # municipalities in the county or the country
    source_file: str = ""

    @property
    def complete(self) -> bool:
        return self.official or (self.expected > 0 and self.covered == self.expected)

    @property
    def shown(self) -> Decimal | None:
        """The number a chart or an export may use: none for an incomplete sum."""
        if not self.complete or self.value is None or is_small_count(self.value, self.unit):
            return None
        return self.value

    @property
    def display(self) -> str:
        if self.official:
            return display_value(self.value, self.unit, self.missing_reason)
        if not self.expected:
            return "–"
        if not self.complete:
            return self.coverage
        return display_value(self.value, self.unit)

    @property
    def coverage(self) -> str:
        return ngettext(
            "%(covered)s of %(expected)s municipality",
            "%(covered)s of %(expected)s municipalities",
            self.expected,
        ) % {"covered": self.covered, "expected": self.expected}

    @property
    def how(self) -> str:
        """Where the figure comes from, for a note or a title."""
        if self.official:
            return _("official figure from the statistics file")
        if self.complete:
            return _("computed from all %(n)s municipalities") % {"n": self.expected}
        return _("not shown: only %(coverage)s have figures") % {"coverage": self.coverage}


@dataclass
class ComparisonSeries:
    """The county's, the country's or the KOSTRA group's figure in each year of a trend (None
    where there is none to compare with, e.g. a year before the group is known)."""

    scope: str  # "county", "country" or "group"
    label: str
    points: list[Comparison | None]

    @property
    def values(self) -> list[float | None]:
        """What the chart draws: only numbers the table shows as numbers (no partial sums,
        no small counts)."""
        return [
            float(p.shown) if p is not None and p.shown is not None else None for p in self.points
        ]

    @property
    def displays(self) -> list[str]:
        return [p.display if p is not None else "–" for p in self.points]

    @property
    def drawn(self) -> bool:
        return any(v is not None for v in self.values)


@dataclass
class KeyFigure:
    indicator: Indicator
    year: int | None = None
    value: Decimal | None = None
    missing_reason: str = ""
    county: Comparison | None = None
    country: Comparison | None = None
    # The official figure of the municipality's KOSTRA group for the same year, where the
    # municipality's group for that year is known (load_kostra_groups) and SSB publishes it.
    group: Comparison | None = None
    group_name: str = ""
    trend: list[tuple[int, float | None]] = field(default_factory=list)
    # Every year as the table under the chart shows it: {"year", "display"}.
    rows: list[dict] = field(default_factory=list)
    source_file: str = ""
    fictitious: bool = False
    # Whether a count and a share of the same thing both exist (the switch on the page).
    has_count_view: bool = False
    # With trends: the comparisons that have a figure to draw in some year, aligned with
    # `rows`; and the labels of those left out because they have none.
    series: list[ComparisonSeries] = field(default_factory=list)
    series_missing: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        return display_value(self.value, self.indicator.unit, self.missing_reason)

    @property
    def county_display(self) -> str:
        return self.county.display if self.county else "–"

    @property
    def country_display(self) -> str:
        return self.country.display if self.country else "–"

    @property
    def source(self) -> str:
        return self.indicator.source_for(self.year)

    @property
    def source_url(self) -> str:
        return self.indicator.source_url_for(self.year)

    @property
    def group_display(self) -> str:
        return self.group.display if self.group else "–"


class KeyFigures(list):
    """The figures, with what the pages ask of them as a whole."""

    @property
    def has_values(self) -> bool:
        return any(f.year for f in self)

    @property
    def fictitious(self) -> bool:
        return any(f.fictitious for f in self)

    @property
    def has_count_view(self) -> bool:
        return any(f.has_count_view for f in self)

    @property
    def with_values(self) -> list[KeyFigure]:
        return [f for f in self if f.year]

    @property
    def kostra_group(self) -> str:
        """The KOSTRA group the comparison column is labelled with: the group of the latest
        year shown (the groups change about every five years)."""
        named = [f for f in self if f.group_name]
        return max(named, key=lambda f: f.year).group_name if named else ""


def _chosen(indicators: list[Indicator], show_counts: bool) -> list[Indicator]:
    by_pk = {i.pk: i for i in indicators}
    counts_of_rates = {i.count_indicator_id for i in indicators if i.count_indicator_id}
    chosen = []
    for indicator in indicators:
        if indicator.pk in counts_of_rates:
            continue  # shown through its rate, or in its place when counts are chosen
        count = by_pk.get(indicator.count_indicator_id)
        chosen.append(count if show_counts and count else indicator)
    return chosen


def _chartable(value: Decimal | None, unit: str) -> float | None:
    """A chart must not show what the table suppresses: small counts become gaps."""
    if value is None or is_small_count(value, unit):
        return None
    return float(value)


def key_figures(
    municipality: Municipality,
    *,
    show_counts: bool = False,
    trends: bool = False,
    token: str | None = None,
) -> KeyFigures:
    """The municipality's key figures with their comparisons (and with `trends`, the
    comparisons for every year), computed once for each change of the figures
    (keyfigures/versions.py): one query when nothing has changed, none when the caller has
    read the figures' `token` already."""
    return versions.cached(
        "figures",
        (municipality.pk, municipality.county_id, int(show_counts), int(trends)),
        lambda: _key_figures(municipality, show_counts=show_counts, trends=trends),
        token=token,
    )


def _key_figures(
    municipality: Municipality, *, show_counts: bool = False, trends: bool = False
) -> KeyFigures:
    indicators = list(Indicator.objects.order_by("order", "code"))
    paired = {i.count_indicator_id for i in indicators if i.count_indicator_id} | {
        i.pk for i in indicators if i.count_indicator_id
    }
    chosen = _chosen(indicators, show_counts)
    own: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(
        municipality=municipality, indicator__in=chosen
    ).order_by("year"):
        own.setdefault(value.indicator_id, []).append(value)
    figures = KeyFigures()
    for indicator in chosen:
        values = own.get(indicator.pk, [])
        latest = values[-1] if values else None
        figures.append(
            KeyFigure(
                indicator=indicator,
                year=latest.year if latest else None,
                value=latest.value if latest else None,
                missing_reason=latest.missing_reason if latest else "",
                trend=[(v.year, _chartable(v.value, indicator.unit)) for v in values],
                rows=[
                    {
                        "year": v.year,
                        "display": display_value(v.value, indicator.unit, v.missing_reason),
                    }
                    for v in values
                ],
                source_file=latest.source_file if latest else "",
                fictitious=any(DEMO_MARK in v.source_file.lower() for v in values),
                has_count_view=indicator.pk in paired,
            )
        )
    if trends:
        wanted = [(f.indicator, row["year"]) for f in figures for row in f.rows]
    else:
        wanted = [(f.indicator, f.year) for f in figures if f.year]
    if not wanted:
        return figures
    memberships = list(
        KostraGroupMembership.objects.filter(municipality=municipality)
        .select_related("group")
        .order_by("year")
    )
    found = comparisons(
        wanted,
        county_ids={municipality.county_id},
        group_ids={m.group_id for m in memberships},
    )
    for figure in figures:
        if not figure.year:
            continue
        for scope, county_id in (("county", municipality.county_id), ("country", None)):
            comparison = found[(figure.indicator.pk, figure.year, county_id)]
            figure.fictitious |= DEMO_MARK in comparison.source_file.lower()
            setattr(figure, scope, comparison)
        # The group of the figure's year, or of the latest year before it that is loaded.
        membership = next((m for m in reversed(memberships) if m.year <= figure.year), None)
        if membership is not None:
            figure.group_name = membership.group.name
            figure.group = found.get(
                (figure.indicator.pk, figure.year, (GROUP, membership.group_id)),
                Comparison(
                    unit=figure.indicator.unit, official=True, missing_reason="not_available"
                ),
            )
    if trends:
        # After the latest year's comparisons: the group's series is labelled with its name.
        _add_series(figures, found, municipality, memberships)
    return figures


GROUP = "kostra_group"


def _add_series(
    figures: KeyFigures,
    found: dict[tuple, Comparison],
    municipality: Municipality,
    memberships: list[KostraGroupMembership],
) -> None:
    """Each figure's county, country and KOSTRA group series over the years of its trend, from
    the comparisons already read. A series with nothing to draw is left out and named."""
    groups = [(m.year, m.group_id) for m in memberships]
    names = {m.group_id: m.group.name for m in memberships}

    def group_of(year: int) -> int | None:
        # The group of that year, or of the latest year before it that is loaded.
        return next((g for y, g in reversed(groups) if y <= year), None)

    for figure in figures:
        if not figure.rows:
            continue
        years = [row["year"] for row in figure.rows]
        pk = figure.indicator.pk
        # Named after its group when the municipality was in one group through the trend's
        # years; after a regrouping the line follows the municipality from group to group,
        # and a single group's name would be wrong for some of its years.
        in_groups = {group_of(y) for y in years} - {None}
        group_label = names[next(iter(in_groups))] if len(in_groups) == 1 else _("KOSTRA group")

        candidates = [
            ComparisonSeries(
                "county",
                municipality.county.name,
                [found.get((pk, y, municipality.county_id)) for y in years],
            ),
            ComparisonSeries("country", _("Norway"), [found.get((pk, y, None)) for y in years]),
        ]
        if groups:
            candidates.append(
                ComparisonSeries(
                    "group",
                    group_label,
                    [
                        found.get((pk, y, (GROUP, group_of(y)))) if group_of(y) else None
                        for y in years
                    ],
                )
            )
        figure.series = [s for s in candidates if s.drawn]
        figure.series_missing = [s.label for s in candidates if not s.drawn]


def comparisons(
    wanted: list[tuple[Indicator, int]],
    *,
    county_ids: set[int],
    group_ids: frozenset | set = frozenset(),
) -> dict[tuple, Comparison]:
    """(indicator id, year, county id) → the county's figure, and (indicator id, year, None)
    → the country's, for each (indicator, year) wanted and each county named: the official
    figure where a file had one, else computed as the module docstring says. Three queries:
    the official figures, every municipality's values for those indicator-years, and the
    number of municipalities per county. The official figures of the KOSTRA groups named
    (`group_ids`) come with the first query, keyed (indicator id, year, (GROUP, group id));
    a group's figure is never computed (SSB publishes it, or it is not shown)."""
    if not wanted:
        return {}
    pairs = reduce(or_, (Q(indicator_id=i.pk, year=y) for i, y in wanted))
    official = {}
    group_figures = {}
    for a in IndicatorAggregateValue.objects.filter(pairs).filter(
        Q(county_id__in=county_ids)
        | Q(county__isnull=True, kostra_group__isnull=True)
        | Q(kostra_group_id__in=group_ids)
    ):
        if a.kostra_group_id is not None:
            group_figures[(a.indicator_id, a.year, (GROUP, a.kostra_group_id))] = a
        else:
            official[(a.indicator_id, a.year, a.county_id)] = a
    rows = (
        IndicatorValue.objects.filter(pairs, municipality__valid_to__isnull=True)
        .filter(value__isnull=False)
        .values_list(
            "indicator_id", "year", "value", "municipality__population", "municipality__county_id"
        )
    )
    scoped: dict[tuple[int, int, int | None], list[tuple[Decimal, int]]] = {}
    for indicator_id, year, value, population, county_id in rows:
        scoped.setdefault((indicator_id, year, None), []).append((value, population))
        if county_id in county_ids:
            scoped.setdefault((indicator_id, year, county_id), []).append((value, population))
    per_county = dict(
        Municipality.objects.current()
        .values("county_id")
        .annotate(n=Count("pk"))
        .values_list("county_id", "n")
    )
    expected = {None: sum(per_county.values())} | {c: per_county.get(c, 0) for c in county_ids}
    result = {}
    for indicator, year in wanted:
        unit = indicator.unit
        for county_id in (*county_ids, None):
            key = (indicator.pk, year, county_id)
            found = official.get(key)
            if found is not None:
                result[key] = Comparison(
                    unit=unit,
                    value=found.value,
                    missing_reason=found.missing_reason,
                    official=True,
                    source_file=found.source_file,
                )
            else:
                values = scoped.get(key, [])
                result[key] = Comparison(
                    unit=unit,
                    value=aggregate(values, unit),
                    covered=len(values),
                    expected=expected[county_id],
                )
    units = {indicator.pk: indicator.unit for indicator, _year in wanted}
    for key, found in group_figures.items():
        result[key] = Comparison(
            unit=units[key[0]],
            value=found.value,
            missing_reason=found.missing_reason,
            official=True,
            source_file=found.source_file,
        )
    return result


def import_progress(*, user_id: int, import_id: str) -> dict:
    """How far an administrator's running (or finished) import has come."""
    from django.core.cache import cache

    from keyfigures.services.imports import progress_key

    return cache.get(progress_key(user_id, import_id)) or {
        "stage": "unknown",
        "percent": None,
        "text": _("Waiting for the import to start …"),
    }


@dataclass(frozen=True)
class FetchOverview:
    indicators: list
    runs: list


def fetch_overview(*, runs: int = 5) -> FetchOverview:
    """The catalogue as the fetch sees it (table, verified, last fetch, SSB's update time)
    and the latest fetch runs, for the administrators' page. Two queries."""
    from keyfigures.models import FetchRun, Indicator

    return FetchOverview(
        indicators=list(Indicator.objects.order_by("order", "code")),
        runs=list(FetchRun.objects.select_related("started_by")[:runs]),
    )


def local_figures(municipality: Municipality) -> list:
    """The municipality's own figures, newest year first within each name. One query."""
    from keyfigures.models import LocalFigure

    return list(LocalFigure.objects.filter(municipality=municipality).order_by("name", "-year"))
