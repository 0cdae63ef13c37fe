"""Chart builders for key figures: pure functions from figures to plotly figures as plain
data (what the page's plotly.js draws)."""

from __future__ import annotations

from boligsosial.charts import FONT_FAMILY, NORWEGIAN_SEPARATORS, Figure, figure
from keyfigures.models import IndicatorUnit
from keyfigures.selectors import KeyFigure


def trend_charts(figures: list[KeyFigure]) -> list[tuple[str, Figure]]:
    """One small line chart per indicator with at least two years, each on its own y-axis in
    its own unit (a percentage, a rate per 1000 and a count do not share a scale)."""
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
            "name": f.indicator.name,
            "line": {"color": "#0b5394", "width": 2},
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        }
        layout = {
            "separators": NORWEGIAN_SEPARATORS,
            "height": 220,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 30},
            "showlegend": False,
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
        charts.append((f.indicator.code, figure([line], layout)))
    return charts
