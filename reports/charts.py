"""Static charts for the PDF: one function turns a plotly figure into SVG, so the exporter can
be swapped without touching the report.

The exporter is plotly-print (plotly.js run in QuickJS, no browser): about 0.4 s for the first
chart of a process and 0.05–0.08 s for each further one (docs STACK.md; bench_reports.py
measures it again beside kaleido). The page itself draws the same figure with plotly.js.
"""

from __future__ import annotations

import base64
import re
from xml.sax.saxutils import escape

import plotly_print

from boligsosial.charts import Figure

# A4 portrait with 2 cm margins leaves about 17 cm; 700 px at 96 dpi is 18.5 cm, scaled down.
DEFAULT_WIDTH = 700


def figure_to_svg(fig: Figure, *, title: str, width: int = DEFAULT_WIDTH) -> str:
    """The figure as a standalone SVG document with `title` as its text alternative.

    plotly's SVG carries no <title>; screen readers and WeasyPrint's tagged PDF take the
    chart's alternative text from it (and from <img alt>), so it is always added.
    """
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
