"""Key figures beside the municipality's own answers: the latest value of each indicator, its
trend, and the same figure for the county and the whole country (counts added up; rates and
shares weighted by population). Counts under 3 are shown as "under 3" where they could
identify people. Three queries, whatever the number of indicators or years."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from analysis.models import Indicator, IndicatorUnit, IndicatorValue, Municipality

SUPPRESS_BELOW = 3


def display_value(value: Decimal | float | None, unit: str, reason: str = "") -> str:
    if value is None:
        return {
            "suppressed": _("suppressed"),
            "not_applicable": _("not applicable"),
        }.get(reason, "–")
    if unit == IndicatorUnit.COUNT and 0 < value < SUPPRESS_BELOW:
        return _("under 3")
    places = 0 if unit == IndicatorUnit.COUNT else 1
    text = number_format(round(float(value), places), places, use_l10n=True, force_grouping=True)
    return f"{text} %" if unit == IndicatorUnit.PERCENT else text


def aggregate(values: list[tuple[float, int]], unit: str) -> float | None:
    """(value, population) pairs → a sum for counts, a population-weighted mean otherwise."""
    if not values:
        return None
    if unit == IndicatorUnit.COUNT:
        return sum(v for v, _pop in values)
    population = sum(p for _v, p in values)
    return sum(v * p for v, p in values) / population if population else None


def _chartable(value: Decimal | None, unit: str) -> float | None:
    """A chart must not show what the table suppresses: small counts become gaps."""
    if value is None or (unit == IndicatorUnit.COUNT and 0 < value < SUPPRESS_BELOW):
        return None
    return float(value)


@dataclass
class KeyFigure:
    indicator: Indicator
    year: int | None = None
    value: Decimal | None = None
    missing_reason: str = ""
    county: float | None = None
    country: float | None = None
    trend: list[tuple[int, float | None]] = field(default_factory=list)
    source_file: str = ""
    has_count_view: bool = False

    @property
    def display(self) -> str:
        return display_value(self.value, self.indicator.unit, self.missing_reason)

    @property
    def county_display(self) -> str:
        return display_value(self.county, self.indicator.unit)

    @property
    def country_display(self) -> str:
        return display_value(self.country, self.indicator.unit)


def _chosen_indicators(show_counts: bool) -> list[Indicator]:
    indicators = list(Indicator.objects.select_related("count_indicator").order_by("order"))
    counts_of_rates = {i.count_indicator_id for i in indicators if i.count_indicator_id}
    chosen = []
    for indicator in indicators:
        if indicator.pk in counts_of_rates:
            continue  # shown through its rate, or in its place when counts are chosen
        chosen.append(
            indicator.count_indicator if show_counts and indicator.count_indicator else indicator
        )
    return chosen


def key_figures(municipality: Municipality, *, show_counts: bool = False) -> list[KeyFigure]:
    indicators = _chosen_indicators(show_counts)
    rates_with_counts = {
        i.count_indicator_id for i in Indicator.objects.filter(count_indicator__isnull=False)
    }
    own: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(
        municipality=municipality, indicator__in=indicators
    ).order_by("year"):
        own.setdefault(value.indicator_id, []).append(value)
    figures = {}
    for indicator in indicators:
        values = own.get(indicator.pk, [])
        latest = values[-1] if values else None
        figures[indicator.pk] = KeyFigure(
            indicator=indicator,
            year=latest.year if latest else None,
            value=latest.value if latest else None,
            missing_reason=latest.missing_reason if latest else "",
            trend=[(v.year, _chartable(v.value, indicator.unit)) for v in values],
            source_file=latest.source_file if latest else "",
            has_count_view=indicator.pk in rates_with_counts
            or indicator.count_indicator_id is not None,
        )
    wanted = {(f.indicator.pk, f.year) for f in figures.values() if f.year}
    comparison: dict[tuple[int, int], dict[str, list[tuple[float, int]]]] = {}
    if wanted:
        rows = IndicatorValue.objects.filter(
            indicator__in=[i for i, _y in wanted],
            year__in=[y for _i, y in wanted],
            value__isnull=False,
        ).values_list(
            "indicator_id",
            "year",
            "value",
            "municipality__population",
            "municipality__county_id",
        )
        for indicator_id, year, value, population, county_id in rows:
            if (indicator_id, year) not in wanted:
                continue
            bucket = comparison.setdefault((indicator_id, year), {"county": [], "country": []})
            bucket["country"].append((float(value), population))
            if county_id == municipality.county_id:
                bucket["county"].append((float(value), population))
    for figure in figures.values():
        bucket = comparison.get((figure.indicator.pk, figure.year))
        if bucket:
            figure.county = aggregate(bucket["county"], figure.indicator.unit)
            figure.country = aggregate(bucket["country"], figure.indicator.unit)
    return list(figures.values())


def trend_figure_json(figures: list[KeyFigure]) -> str:
    """One line per indicator with data, on a shared year axis (plotly JSON)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for f in figures:
        points = [(y, v) for y, v in f.trend if v is not None]
        if len(points) < 2:
            continue
        fig.add_trace(
            go.Scatter(
                x=[y for y, _v in points],
                y=[v for _y, v in points],
                mode="lines+markers",
                name=f.indicator.name,
            )
        )
    fig.update_layout(
        height=380,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.25},
        xaxis={"dtick": 1},
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 12},
        plot_bgcolor="white",
    )
    fig.update_yaxes(gridcolor="#dddddd")
    return fig.to_json()
