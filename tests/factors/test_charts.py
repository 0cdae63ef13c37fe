import json
import re

import plotly.graph_objects as go
import pytest

from boligsosial.charts import figure_to_svg
from factors.charts import (
    factor_profile_figure,
    profiles_comparison_figure,
    score_distribution_figure,
)


def test_profile_figure_has_one_bar_per_factor_with_the_scores_as_text():
    fig = factor_profile_figure(["A", "B", "C"], [1, None, 5])
    (bars,) = fig["data"]
    assert bars["y"] == ["A", "B", "C"]
    assert bars["x"] == [1, 0, 5]
    assert bars["text"][0] == "1" and bars["text"][2] == "5"


def test_profile_figure_adds_the_users_view_and_previous_round_as_separate_series():
    fig = factor_profile_figure(["A"], [3], users_scores=[2], previous_scores=[1])
    assert [t["x"] for t in fig["data"]] == [[1], [3], [2]]
    assert fig["layout"]["showlegend"] is True


def test_a_factor_without_a_score_is_marked_in_the_bar_area_not_in_its_name():
    fig = factor_profile_figure(["Forankring", "Økonomiske ressurser"], [2, None])
    (bars,) = fig["data"]
    # The factor's name stays the name: the mark is the bar's own text, outside a zero bar.
    assert bars["y"] == ["Forankring", "Økonomiske ressurser"]
    assert bars["text"][1] == "<i>(ikke vurdert)</i>"
    assert bars["textposition"] == ["inside", "outside"]
    # An axis line separates the names from the bar area.
    assert fig["layout"]["yaxis"]["showline"] is True


def test_the_score_axis_ends_at_five_with_the_scores_inside_their_bars():
    fig = factor_profile_figure(["A", "B"], [5, 1])
    assert fig["layout"]["xaxis"]["range"] == [0, 5]
    assert fig["data"][0]["textposition"] == ["inside", "inside"]


def all_charts():
    return {
        "profile": factor_profile_figure(["A", "B"], [5, 1]),
        "distribution": score_distribution_figure(["A", "B"], [[0, 1, 2, 0, 0], [1, 0, 0, 0, 0]]),
        "comparison": profiles_comparison_figure(
            ["A", "B"], [("Fauske", [2, 3]), ("Bodø", [4, None])]
        ),
    }


@pytest.mark.parametrize("name", ["profile", "distribution", "comparison"])
def test_every_chart_is_plain_data_that_plotly_accepts_as_it_is(name):
    # The builders skip plotly's validation for speed; plotly's own Figure validates the
    # same data here (it raises on an unknown property or a wrong value) and adds nothing.
    chart = all_charts()[name]
    validated = json.loads(go.Figure(chart).to_json())
    assert validated == json.loads(json.dumps(chart))


@pytest.mark.parametrize("name", ["profile", "distribution", "comparison"])
def test_every_chart_writes_numbers_the_norwegian_way(name):
    layout = all_charts()[name]["layout"]
    # Decimal comma first, then a non-breaking space between thousands: 12 345,6.
    assert layout["separators"] == ",\u00a0"


def test_the_score_axes_tick_whole_numbers_only():
    charts = {name: fig["layout"] for name, fig in all_charts().items()}
    profile_axis = charts["profile"]["xaxis"]
    assert (profile_axis["dtick"], profile_axis["tickformat"], profile_axis["tickmode"]) == (
        1,
        "d",
        "linear",
    )
    comparison_axis = charts["comparison"]["yaxis"]
    assert (comparison_axis["tick0"], comparison_axis["dtick"], comparison_axis["tickformat"]) == (
        1,
        1,
        "d",
    )
    distribution = charts["distribution"]
    assert list(distribution["xaxis"]["tickvals"]) == [1, 2, 3, 4, 5]
    # The counts of municipalities are whole numbers as well: 0, 1, 2, never 0.5.
    assert (distribution["yaxis"]["dtick"], distribution["yaxis"]["tickformat"]) == (1, "d")


def test_the_pdf_chart_draws_whole_score_ticks():
    svg = figure_to_svg(factor_profile_figure(["A", "B"], [5, 1]), title="profil")
    ticks = re.findall(r'class="xtick"><text[^>]*>([^<]*)<', svg)
    assert ticks == ["0", "1", "2", "3", "4", "5"]


@pytest.mark.parametrize(
    "language, users_label",
    [("nb", "Brukerorganisasjon"), ("nn", "Brukarorganisasjon")],
)
def test_the_legend_shows_every_series_inside_the_drawing_with_the_user_organisation(
    language, users_label
):
    """With the previous round, the municipality and the user organisation, the legend once ran
    past the figure's bottom edge in the PDF and its last entry was cut off."""
    from django.utils import translation

    names = ["Forankring og eierskap", "Overordnet strategi", "Organisering og samordning"]
    with translation.override(language):
        fig = factor_profile_figure(
            names + ["Økonomiske ressurser", "Kompetanse", "Brukermedvirkning"],
            [2, 2, 3, 2, 3, 1],
            users_scores=[1] * 6,
            previous_scores=[1, 2, 2, None, 4, 1],
        )
    svg = figure_to_svg(fig, title="Profil")
    height = float(re.search(r'<svg[^>]*\bheight="([\d.]+)"', svg).group(1))
    legend_top = float(re.search(r'<g class="legend"[^>]*translate\([\d.]+,([\d.]+)\)', svg)[1])
    clip_id = re.search(r'class="scrollbox"[^>]*clip-path="url\(#([^)]+)\)"', svg)[1]
    clip_height = float(re.search(rf'<clipPath id="{clip_id}"><rect[^>]*height="([\d.]+)"', svg)[1])
    entries = [
        float(y) for y in re.findall(r'class="traces" transform="translate\(0,([\d.]+)\)', svg)
    ]
    assert len(entries) == 3
    assert users_label in svg
    # Every entry (its text runs about 5 px below its anchor) inside the legend's clip, and the
    # legend inside the drawing.
    assert all(y + 6 <= clip_height for y in entries)
    assert legend_top + clip_height <= height
    # Below the score axis's title, not over the bars.
    axis_title = float(re.search(r'class="g-xtitle".*?<text[^>]*\by="([\d.]+)"', svg, re.S)[1])
    assert legend_top > axis_title
