"""Chart builders for the six-factor profile: pure functions from numbers to a plotly figure
as plain data (boligsosial/charts.py).

The page renders the figure with plotly.js (served by the app); the PDF turns the same figure
into SVG through boligsosial.charts.figure_to_svg. Every chart also has a table with the same
numbers, so nobody depends on seeing colours or shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.utils.translation import gettext as _

from boligsosial.charts import (
    FONT_FAMILY,
    NORWEGIAN_SEPARATORS,
    WHOLE_NUMBER_TICKS,
    Figure,
    figure,
)

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphical objects).
MUNICIPALITY_COLOUR = "#1f4e79"
USERS_COLOUR = "#b35c00"
PREVIOUS_COLOUR = "#6c757d"
# The height of a legend entry at the charts' 13 px font, with its spacing (px).
LEGEND_ROW = 22


def factor_profile_figure(
    factor_names: Sequence[str],
    scores: Sequence[int | None],
    *,
    users_scores: Sequence[int | None] | None = None,
    previous_scores: Sequence[int | None] | None = None,
    title: str = "",
) -> Figure:
    """Horizontal bars, one per factor, on the 1–5 scale; optionally the user organisation's
    view and the previous round beside the municipality's own. A missing score is no bar."""
    names = list(factor_names)
    series = [(_("The municipality's assessment"), scores, MUNICIPALITY_COLOUR)]
    if previous_scores is not None:
        series.insert(0, (_("Previous round"), previous_scores, PREVIOUS_COLOUR))
    if users_scores is not None:
        series.append((_("User organisation"), users_scores, USERS_COLOUR))
    not_scored = "<i>" + _("(not scored)") + "</i>"
    # The score sits inside the end of its bar, so the axis can stop at 5. A missing score
    # draws no bar; "(not scored)" stands in the bar area, in grey italics after the axis
    # line, so it does not read as part of the factor's name.
    data = [
        {
            "type": "bar",
            "name": label,
            "y": names,
            "x": [v if v is not None else 0 for v in values],
            "orientation": "h",
            "marker": {"color": colour},
            "text": [str(v) if v is not None else not_scored for v in values],
            "textposition": ["inside" if v is not None else "outside" for v in values],
            "insidetextanchor": "end",
            "textfont": {"color": ["white" if v is not None else "#444444" for v in values]},
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{text}<extra>" + label + "</extra>",
        }
        for label, values, colour in series
    ]
    layout = {
        "barmode": "group",
        "separators": NORWEGIAN_SEPARATORS,
        "xaxis": {
            "range": [0, 5],
            "tick0": 0,
            **WHOLE_NUMBER_TICKS,
            "title": {"text": _("Score (1–5)")},
            "fixedrange": True,
            "gridcolor": "#dddddd",
        },
        "yaxis": {
            "autorange": "reversed",
            "showline": True,
            "linecolor": "#444444",
            "ticksuffix": "  ",
            "fixedrange": True,
        },
        "height": 120 + 55 * len(names) * max(1, len(series)) // 1.6,
        # The legend is a column at the bottom left of the whole figure, under the axis
        # title, in a margin kept for it, one row per series. Placed below the plot as a share
        # of the plot's height (and laid out in a row, which wraps where the exporter's text
        # widths say so), its last entry was cut off in the PDF once the user organisation's
        # series was there.
        "margin": {
            "l": 10,
            "r": 20,
            "t": 40 if title else 10,
            "b": 60 + LEGEND_ROW * len(series) if len(series) > 1 else 50,
        },
        "legend": {
            "orientation": "v",
            "xref": "container",
            "yref": "container",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "bottom",
        },
        "font": {"family": FONT_FAMILY, "size": 13},
        "plot_bgcolor": "white",
        "showlegend": len(series) > 1,
        "uniformtext": {"minsize": 10, "mode": "show"},
    }
    if title:
        layout["title"] = {"text": title}
    return figure(data, layout)


# --- Region charts: the spread of scores per factor, and chosen municipalities overlaid -----

# Six colours with at least 3:1 contrast against white, each with its own marker, so the
# municipalities differ by shape as well as colour (WCAG 1.4.1, 1.4.11).
COMPARISON_STYLES = (
    ("#1f4e79", "circle"),
    ("#b35c00", "square"),
    ("#2e7d32", "diamond"),
    ("#8e24aa", "triangle-up"),
    ("#c62828", "x"),
    ("#00695c", "star"),
)


@cache
def _subplot_grid(rows: int, columns: int) -> dict:
    """The axes and title positions of a grid of small charts, as plotly's make_subplots lays
    them out (read once per grid size: make_subplots validates a whole figure)."""
    from plotly.subplots import make_subplots

    grid = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[str(n) for n in range(rows * columns)],
        horizontal_spacing=0.08,
        vertical_spacing=0.22,
    ).to_plotly_json()["layout"]
    grid.pop("template", None)
    return grid


def score_distribution_figure(
    factor_names: Sequence[str], level_counts: Sequence[Sequence[int]]
) -> Figure:
    """One small bar chart per factor: how many municipalities gave themselves 1, 2, 3, 4
    and 5. Each bar carries its count, so the chart reads without colour."""
    names = list(factor_names)
    columns = 3
    rows = max(1, -(-len(names) // columns))
    grid = _subplot_grid(rows, columns)
    levels = [1, 2, 3, 4, 5]
    highest = max((max(c) for c in level_counts if c), default=0)
    score_label = _("Score")
    data = []
    for n, (name, counts) in enumerate(zip(names, level_counts, strict=True)):
        axis = "" if n == 0 else str(n + 1)
        data.append(
            {
                "type": "bar",
                "x": levels,
                "y": list(counts),
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "marker": {"color": MUNICIPALITY_COLOUR},
                "text": [str(c) for c in counts],
                "textposition": "outside",
                "name": name,
                "hovertemplate": score_label + " %{x}: %{y}<extra>" + name + "</extra>",
                "showlegend": False,
            }
        )
    x_axis = {
        "tickvals": levels,
        "tickformat": "d",
        "title": {"text": _("Score (1–5)"), "font": {"size": 11}},
    }
    # Counts of municipalities are whole numbers too; past ten, plotly's own step is whole.
    y_axis = {
        "range": [0, highest * 1.25 + 1],
        "gridcolor": "#dddddd",
        "rangemode": "tozero",
        "tickformat": "d",
        **({"dtick": 1} if highest <= 10 else {}),
    }
    layout = {
        key: {**value, **(x_axis if key.startswith("xaxis") else y_axis)}
        for key, value in grid.items()
        if key.startswith(("xaxis", "yaxis"))
    }
    layout["annotations"] = [
        {**title, "text": name, "font": {"size": 13}}
        for title, name in zip(grid["annotations"], names, strict=False)
    ]
    layout |= {
        "separators": NORWEGIAN_SEPARATORS,
        "height": 300 * rows,
        "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        "font": {"family": FONT_FAMILY, "size": 12},
        "plot_bgcolor": "white",
        "bargap": 0.25,
    }
    return figure(data, layout)


def profiles_comparison_figure(
    factor_names: Sequence[str], profiles: Sequence[tuple[str, Sequence[int | None]]]
) -> Figure:
    """Two to six municipalities' profiles side by side: one dot per municipality and
    factor on the 1–5 scale, grouped under each factor. Dots, not lines: the six factors are
    not a sequence, and a line across them suggested a trend. A missing score is no dot."""
    names = list(factor_names)
    data = []
    for n, (municipality, scores) in enumerate(profiles):
        colour, symbol = COMPARISON_STYLES[n % len(COMPARISON_STYLES)]
        data.append(
            {
                "type": "scatter",
                "x": names,
                "y": list(scores),
                "name": municipality,
                "mode": "markers",
                "marker": {"symbol": symbol, "size": 12, "color": colour},
                "hovertemplate": "%{x}: %{y}<extra>" + municipality + "</extra>",
            }
        )
    layout = {
        "separators": NORWEGIAN_SEPARATORS,
        # Each factor's dots side by side, as grouped bars are, so equal scores do not hide
        # one another.
        "scattermode": "group",
        "scattergap": 0.4,
        "yaxis": {
            "range": [0.5, 5.5],
            "tick0": 1,
            **WHOLE_NUMBER_TICKS,
            "title": {"text": _("Score (1–5)")},
            "gridcolor": "#dddddd",
        },
        "height": 440,
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.3},
        "font": {"family": FONT_FAMILY, "size": 12},
        "plot_bgcolor": "white",
    }
    return figure(data, layout)


# The trend's lines: the comparison's colours and markers, each with its own dash as well.
TREND_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def factor_trend_figure(
    rounds: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]]
) -> Figure:
    """The municipality's score on each factor in every round it has, as lines over the
    rounds: one line per factor, each with its own colour, marker and dash (so they differ
    by shape as well as colour). A round without a score is a gap in the line."""
    data = [
        {
            "type": "scatter",
            "name": name,
            "x": list(rounds),
            "y": list(values),
            "mode": "lines+markers",
            "line": {"color": colour, "dash": dash, "width": 2},
            "marker": {"symbol": marker, "size": 9, "color": colour},
            "connectgaps": False,
            "hovertemplate": "%{x}: %{y}<extra>" + name + "</extra>",
        }
        for (name, values), (colour, marker), dash in zip(
            series, COMPARISON_STYLES, TREND_DASHES, strict=False
        )
    ]
    layout = {
        "separators": NORWEGIAN_SEPARATORS,
        "yaxis": {
            "range": [0.5, 5.5],
            "tick0": 1,
            **WHOLE_NUMBER_TICKS,
            "title": {"text": _("Score (1–5)")},
            "fixedrange": True,
            "gridcolor": "#dddddd",
            # Fixed margins instead of the template's automargin: the labels are short and
            # known (1–5, round titles), and automargin's extra layout passes made the PDF's
            # static export of this chart take 0.21 s instead of 0.08 (the report must stay
            # within 1.3× of WeasyPrint alone).
            "automargin": False,
        },
        "xaxis": {"type": "category", "fixedrange": True, "automargin": False},
        "height": 360,
        "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.25},
        "font": {"family": FONT_FAMILY, "size": 13},
        "plot_bgcolor": "white",
    }
    return figure(data, layout)
