"""Chart builders for the six-factor profile: pure functions from numbers to a plotly figure.

The page renders the figure with plotly.js (served by the app); the PDF turns the same figure
into SVG through reports.charts.figure_to_svg. Every chart also has a table with the same
numbers, so nobody depends on seeing colours or shapes.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphical objects).
MUNICIPALITY_COLOUR = "#1f4e79"
USERS_COLOUR = "#b35c00"
PREVIOUS_COLOUR = "#6c757d"


def factor_profile_figure(
    factor_names: Sequence[str],
    scores: Sequence[int | None],
    *,
    users_scores: Sequence[int | None] | None = None,
    previous_scores: Sequence[int | None] | None = None,
    title: str = "",
) -> go.Figure:
    """Horizontal bars, one per factor, on the 1–5 scale; optionally the user organisation's
    view and the previous round beside the municipality's own. A missing score is no bar."""
    names = list(factor_names)
    fig = go.Figure()
    series = [(_("The municipality's assessment"), scores, MUNICIPALITY_COLOUR)]
    if previous_scores is not None:
        series.insert(0, (_("Previous round"), previous_scores, PREVIOUS_COLOUR))
    if users_scores is not None:
        series.append((_("User organisation"), users_scores, USERS_COLOUR))
    not_scored = "<i>" + _("(not scored)") + "</i>"
    for label, values, colour in series:
        # The score sits inside the end of its bar, so the axis can stop at 5. A missing score
        # draws no bar; "(not scored)" stands in the bar area, in grey italics after the axis
        # line, so it does not read as part of the factor's name.
        fig.add_trace(
            go.Bar(
                name=label,
                y=names,
                x=[v if v is not None else 0 for v in values],
                orientation="h",
                marker_color=colour,
                text=[str(v) if v is not None else not_scored for v in values],
                textposition=["inside" if v is not None else "outside" for v in values],
                insidetextanchor="end",
                textfont={"color": ["white" if v is not None else "#444444" for v in values]},
                cliponaxis=False,
                hovertemplate="%{y}: %{text}<extra>" + label + "</extra>",
            )
        )
    fig.update_layout(
        title=title or None,
        barmode="group",
        xaxis={"range": [0, 5], "dtick": 1, "title": _("Score (1–5)"), "fixedrange": True},
        yaxis={
            "autorange": "reversed",
            "showline": True,
            "linecolor": "#444444",
            "ticksuffix": "  ",
            "fixedrange": True,
        },
        height=120 + 55 * len(names) * max(1, len(series)) // 1.6,
        margin={"l": 10, "r": 20, "t": 40 if title else 10, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
        plot_bgcolor="white",
        showlegend=len(series) > 1,
        uniformtext={"minsize": 10, "mode": "show"},
    )
    fig.update_xaxes(gridcolor="#dddddd")
    return fig
