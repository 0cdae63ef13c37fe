"""Chart builders for the six-factor profile: pure functions from numbers to a plotly figure.

The page renders the figure with plotly.js (served by the app); the PDF turns the same figure
into SVG through reports.charts.figure_to_svg. Every chart also has a table with the same
numbers, so nobody depends on seeing colours or shapes.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from boligsosial.charts import FONT_FAMILY, NORWEGIAN_SEPARATORS, WHOLE_NUMBER_TICKS

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
        separators=NORWEGIAN_SEPARATORS,
        xaxis={
            "range": [0, 5],
            "tick0": 0,
            **WHOLE_NUMBER_TICKS,
            "title": _("Score (1–5)"),
            "fixedrange": True,
        },
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
        font={"family": FONT_FAMILY, "size": 13},
        plot_bgcolor="white",
        showlegend=len(series) > 1,
        uniformtext={"minsize": 10, "mode": "show"},
    )
    fig.update_xaxes(gridcolor="#dddddd")
    return fig


# --- Region charts: the spread of scores per factor, and chosen municipalities overlaid -----

# Six colours with at least 3:1 contrast against white, each with its own marker and dash,
# so the lines differ by shape as well as colour (WCAG 1.4.1, 1.4.11).
COMPARISON_STYLES = (
    ("#1f4e79", "circle", "solid"),
    ("#b35c00", "square", "dash"),
    ("#2e7d32", "diamond", "dot"),
    ("#8e24aa", "triangle-up", "dashdot"),
    ("#c62828", "x", "longdash"),
    ("#00695c", "star", "longdashdot"),
)


def score_distribution_figure(
    factor_names: Sequence[str], level_counts: Sequence[Sequence[int]]
) -> go.Figure:
    """One small bar chart per factor: how many municipalities gave themselves 1, 2, 3, 4
    and 5. Each bar carries its count, so the chart reads without colour."""
    from plotly.subplots import make_subplots

    names = list(factor_names)
    columns = 3
    rows = max(1, -(-len(names) // columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=names,
        horizontal_spacing=0.08,
        vertical_spacing=0.22,
    )
    levels = [1, 2, 3, 4, 5]
    highest = max((max(c) for c in level_counts if c), default=0)
    score_label = _("Score")
    for n, (name, counts) in enumerate(zip(names, level_counts, strict=True)):
        fig.add_trace(
            go.Bar(
                x=levels,
                y=list(counts),
                marker_color=MUNICIPALITY_COLOUR,
                text=[str(c) for c in counts],
                textposition="outside",
                name=name,
                hovertemplate=score_label + " %{x}: %{y}<extra>" + name + "</extra>",
                showlegend=False,
            ),
            row=n // columns + 1,
            col=n % columns + 1,
        )
    fig.update_xaxes(
        tickvals=levels, tickformat="d", title_text=_("Score (1–5)"), title_font_size=11
    )
    # Counts of municipalities are whole numbers too; past ten, plotly's own step is whole.
    counts_axis = {"tickformat": "d", **({"dtick": 1} if highest <= 10 else {})}
    fig.update_yaxes(
        range=[0, highest * 1.25 + 1], gridcolor="#dddddd", rangemode="tozero", **counts_axis
    )
    fig.update_annotations(font_size=13)
    fig.update_layout(
        separators=NORWEGIAN_SEPARATORS,
        height=300 * rows,
        margin={"l": 40, "r": 10, "t": 40, "b": 40},
        font={"family": FONT_FAMILY, "size": 12},
        plot_bgcolor="white",
        bargap=0.25,
    )
    return fig


def profiles_comparison_figure(
    factor_names: Sequence[str], profiles: Sequence[tuple[str, Sequence[int | None]]]
) -> go.Figure:
    """Two to six municipalities' profiles overlaid: one line per municipality over the six
    factors on the 1–5 scale. A missing score leaves a gap, never a zero."""
    names = list(factor_names)
    fig = go.Figure()
    for n, (municipality, scores) in enumerate(profiles):
        colour, symbol, dash = COMPARISON_STYLES[n % len(COMPARISON_STYLES)]
        fig.add_trace(
            go.Scatter(
                x=names,
                y=list(scores),
                name=municipality,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 11, "color": colour},
                connectgaps=False,
                hovertemplate="%{x}: %{y}<extra>" + municipality + "</extra>",
            )
        )
    fig.update_layout(
        separators=NORWEGIAN_SEPARATORS,
        yaxis={"range": [0.5, 5.5], "tick0": 1, **WHOLE_NUMBER_TICKS, "title": _("Score (1–5)")},
        height=440,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.3},
        font={"family": FONT_FAMILY, "size": 12},
        plot_bgcolor="white",
    )
    fig.update_yaxes(gridcolor="#dddddd")
    return fig


def factor_trend_figure(
    rounds: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]]
) -> go.Figure:
    """The municipality's score on each factor in every round it has, as lines over the
    rounds: one line per factor, each with its own colour, marker and dash (so they differ
    by shape as well as colour). A round without a score is a gap in the line."""
    fig = go.Figure()
    for (name, values), (colour, marker, dash) in zip(series, COMPARISON_STYLES, strict=False):
        fig.add_trace(
            go.Scatter(
                name=name,
                x=list(rounds),
                y=list(values),
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": marker, "size": 9, "color": colour},
                connectgaps=False,
                hovertemplate="%{x}: %{y}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        separators=NORWEGIAN_SEPARATORS,
        yaxis={
            "range": [0.5, 5.5],
            "tick0": 1,
            **WHOLE_NUMBER_TICKS,
            "title": _("Score (1–5)"),
            "fixedrange": True,
        },
        xaxis={"type": "category", "fixedrange": True},
        height=360,
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.25},
        font={"family": FONT_FAMILY, "size": 13},
        plot_bgcolor="white",
    )
    fig.update_yaxes(gridcolor="#dddddd")
    return fig
