"""Chart builders for key figures: pure functions from figures to plotly figures as plain
data (what the page's plotly.js draws)."""

from __future__ import annotations

from boligsosial.charts import FONT_FAMILY, NORWEGIAN_SEPARATORS, Figure, figure
from keyfigures.models import IndicatorUnit
from keyfigures.selectors import KeyFigure

# The comparisons' lines: a colour and a dash each, so they are told apart without colour
# (the municipality's own line is solid, thicker and blue).
SERIES_STYLE = {
    "county": {"color": "#b45f06", "dash": "dash", "symbol": "square"},
    "group": {"color": "#38761d", "dash": "dot", "symbol": "diamond"},
    "country": {"color": "#555555", "dash": "dashdot", "symbol": "triangle-up"},
}
SERIES_ORDER = ("county", "group", "country")


def trend_charts(
    figures: list[KeyFigure], *, municipality_name: str = ""
) -> list[tuple[str, Figure]]:
    """One small line chart per indicator with at least two years, each on its own y-axis in
    its own unit (a percentage, a rate per 1000 and a count do not share a scale). A figure's
    comparison series (read with `key_figures(..., trends=True)`) are lines in the same chart,
    with a legend; without any, the chart is the municipality's line alone."""
    charts = []
    for f in figures:
        points = f.trend
        if sum(1 for _y, v in points if v is not None) < 2:
            continue
        unit = f.indicator.unit
        line = {
            "type": "scatter",
            "x": [y for y, _v in points],
            "y": [float(v) if v is not None else None for _y, v in points],
            "mode": "lines+markers",
            # A suppressed or missing year is a gap in the line, not a bridge across it.
            "connectgaps": False,
            "name": municipality_name or f.indicator.name,
            "line": {"color": "#0b5394", "width": 2},
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        }
        years = [y for y, _v in points]
        lines = [line]
        for series in sorted(f.series, key=lambda s: SERIES_ORDER.index(s.scope)):
            style = SERIES_STYLE[series.scope]
            lines.append(
                {
                    "type": "scatter",
                    "x": years,
                    "y": series.values,
                    "mode": "lines+markers",
                    "connectgaps": False,
                    "name": series.label,
                    "line": {"color": style["color"], "width": 1.5, "dash": style["dash"]},
                    "marker": {"symbol": style["symbol"], "size": 6},
                    "hovertemplate": "%{x}: %{y}<extra>" + series.label + "</extra>",
                }
            )
        compared = len(lines) > 1
        layout = {
            "separators": NORWEGIAN_SEPARATORS,
            "height": 280 if compared else 220,
            # Room below the axis for the legend when there is one.
            "margin": {"l": 50, "r": 10, "t": 10, "b": 80 if compared else 30},
            "showlegend": compared,
            "legend": {"orientation": "h", "y": -0.2, "x": 0, "xanchor": "left"},
            "xaxis": {"dtick": 1, "tickformat": "d"},
            "yaxis": {
                "title": {"text": f.indicator.get_unit_display()},
                "rangemode": "tozero",
                # 12 500, not plotly's "12.5k": whole figures as a Norwegian reader writes them.
                "exponentformat": "none",
                "separatethousands": True,
                "ticksuffix": " %" if unit == IndicatorUnit.PERCENT else "",
                "gridcolor": "#dddddd",
            },
            "font": {"family": FONT_FAMILY, "size": 12},
            "plot_bgcolor": "white",
        }
        charts.append((f.indicator.code, figure(lines, layout)))
    return charts
