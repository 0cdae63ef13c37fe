"""What every chart of the project shares: Norwegian numbers, whole-number score axes, the
font the PDF is set in, and the figure itself as plain data.

A chart builder returns a figure as a plain dict, {"data": [...], "layout": {...}}: what
plotly.js draws in the page (through static/js/charts.js) and what reports/charts.py turns
into SVG for the PDF. Building a plotly.graph_objects.Figure instead validates every property
on every request: 50–280 ms a chart, most of a profile page's time (issue 16). The builders'
tests check that plotly accepts each figure as it is (tests/factors/test_charts.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Norwegian numbers in every chart (plotly.js has no Norwegian locale of its own here): a
# decimal comma, and a non-breaking space between thousands, 12 345,6 (layout.separators
# takes the decimal mark first, then the thousands separator).
NORWEGIAN_SEPARATORS = ",\u00a0"

# A score axis shows whole numbers only: 1, 2, 3 … never 2.5.
WHOLE_NUMBER_TICKS = {"tickmode": "linear", "dtick": 1, "tickformat": "d"}

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

Figure = dict[str, Any]


@cache
def _template() -> dict:
    """plotly's default look ("plotly" template), which a Figure object carries in its layout;
    read once per process so plain-data figures look exactly as validated ones did."""
    import plotly.io as pio

    return pio.templates[pio.templates.default].to_plotly_json()


def figure(data: list[dict], layout: dict) -> Figure:
    """A figure as plain data with the project's template. Neither the template nor a figure
    is changed afterwards: consumers serialise them."""
    return {"data": data, "layout": {"template": _template(), **layout}}
