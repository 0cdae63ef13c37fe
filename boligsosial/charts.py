"""What every chart of the project shares: Norwegian numbers, whole-number score axes, the
font the PDF is set in, and the figure itself as plain data.

A chart builder returns a figure as a plain dict, {"data": [...], "layout": {...}}: what
plotly.js draws in the page (through static/js/charts.js) and what `figure_to_svg` turns
into SVG for the PDF. Building a plotly.graph_objects.Figure instead validates every property
on every request: 50–280 ms a chart, most of a profile page's time (issue 16). The builders'
tests check that plotly accepts each figure as it is (tests/factors/test_charts.py).
"""

from __future__ import annotations

import base64
import re
from functools import cache
from typing import Any

# Norwegian numbers in every chart (plotly.js has no Norwegian locale of its own here): a
# decimal comma, and a non-breaking space between thousands, 12 345,6 (layout.separators
# takes the decimal mark first, then the thousands separator).
NORWEGIAN_SEPARATORS = ",\u00a0"

# A score axis shows whole numbers only: 1, 2, 3 … never 2.5.
WHOLE_NUMBER_TICKS = {"tickmode": "linear", "dtick": 1, "tickformat": "d"}

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

# A4 portrait with 2 cm margins leaves about 17 cm; 700 px at 96 dpi is 18.5 cm, scaled down.
PDF_WIDTH = 700

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


def figure_to_svg(fig: Figure, *, title: str, width: int = PDF_WIDTH) -> str:
    """The figure as a standalone SVG document for the PDF, with `title` as its text
    alternative.

    The exporter is plotly-print (plotly.js run in QuickJS, no browser): about 0.4 s to start
    its engine in a process, then 0.05–0.08 s a chart (docs STACK.md; bench_reports.py
    measures it again beside kaleido). plotly's SVG carries no <title>; screen readers and
    WeasyPrint's tagged PDF take the chart's alternative text from it (and from <img alt>),
    so it is always added.
    """
    from xml.sax.saxutils import escape

    import plotly_print  # only where a PDF is made

    svg = plotly_print.to_svg(fig, width=width)
    title_element = f"<title>{escape(title)}</title>"
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + title_element, svg, count=1)
    if 'role="img"' not in svg:
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return svg


def svg_data_uri(svg: str) -> str:
    """An <img src> for the PDF: WeasyPrint logs dozens of harmless warnings on inline SVG
    and none for a data URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
