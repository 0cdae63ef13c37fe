"""Key-figure trends with the county, the country and the KOSTRA group as lines in the same
chart, and the table under the chart holding the same rows."""

import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from keyfigures import versions
from keyfigures.charts import trend_charts
from keyfigures.models import (
    Indicator,
    IndicatorAggregateValue,
    IndicatorValue,
    KostraGroup,
    KostraGroupMembership,
)
from keyfigures.selectors import key_figures
from reference.models import County, Municipality
from tests.keyfigures.test_comparisons_and_pages import RATE, demo, figure_of, put

pytestmark = pytest.mark.django_db
SHARE = "sosialhjelp-andel"


@pytest.fixture
def fauske():
    return Municipality.objects.get(number="1841")


def official(code, year, value, *, county=None, group=None):
    IndicatorAggregateValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        county=county,
        kostra_group=group,
        year=year,
        value=value,
    )


def in_group(municipality, year, code="EKG07", name="Kostragruppe 07"):
    group, _created = KostraGroup.objects.get_or_create(code=code, defaults={"name": name})
    KostraGroupMembership.objects.create(
        municipality=municipality, year=year, group=group, source="test"
    )
    return group


@pytest.fixture
def rate_with_comparisons(fauske):
    """Fauske's rate 2021–2023; Nordland's official figure every year, the country's from
    2022 only, the KOSTRA group's (known from 2022) for 2023 only."""
    nordland = County.objects.get(number="18")
    for year, own, county in [(2021, "20.5", "18.0"), (2022, "21", "18.5"), (2023, "21.1", "19")]:
        put(RATE, fauske, year, Decimal(own))
        official(RATE, year, Decimal(county), county=nordland)
    official(RATE, 2022, Decimal("16.2"))
    official(RATE, 2023, Decimal("16.4"))
    group = in_group(fauske, 2022)
    official(RATE, 2023, Decimal("17"), group=group)
    return fauske


def test_each_comparison_is_a_series_over_the_trend_years(rate_with_comparisons):
    figure = figure_of(key_figures(rate_with_comparisons, trends=True), RATE)

    series = {s.scope: s for s in figure.series}
    assert [row["year"] for row in figure.rows] == [2021, 2022, 2023]
    assert series["county"].label == "Nordland"
    assert series["county"].values == [18.0, 18.5, 19.0]
    assert series["county"].displays == ["18,0", "18,5", "19,0"]
    # Without an official figure for 2021, the country is computed from the municipalities,
    # which only Fauske has: its coverage in the table, a gap in the line, never a number.
    assert series["country"].label == "Hele landet"
    assert series["country"].values == [None, 16.2, 16.4]
    assert series["country"].displays[0].startswith("1 av ")
    # The group from 2022 on: nothing before it is known, no figure published for 2022.
    assert series["group"].label == "Kostragruppe 07"
    assert series["group"].values == [None, None, 17.0]
    assert series["group"].displays == ["–", "–", "17,0"]
    assert figure.series_missing == []


def test_a_comparison_without_figures_is_left_out_and_named(rate_with_comparisons):
    for year, value in [(2022, "3.1"), (2023, "3.4")]:
        put(SHARE, rate_with_comparisons, year, Decimal(value))

    figure = figure_of(key_figures(rate_with_comparisons, trends=True), SHARE)

    # Only Fauske has a figure: the county and the country would be sums of one
    # municipality, and SSB published nothing for the group.
    assert figure.series == []
    assert figure.series_missing == ["Nordland", "Hele landet", "Kostragruppe 07"]
    [(_code, chart)] = [c for c in trend_charts([figure]) if c[0] == SHARE]
    assert [line["name"] for line in chart["data"]] == [Indicator.objects.get(code=SHARE).name]
    assert chart["layout"]["showlegend"] is False


def test_without_a_kostra_group_there_is_no_group_series(fauske):
    put(RATE, fauske, 2022, Decimal("21"))
    put(RATE, fauske, 2023, Decimal("21.1"))
    official(RATE, 2022, Decimal("16.2"))
    official(RATE, 2023, Decimal("16.4"))

    figure = figure_of(key_figures(fauske, trends=True), RATE)

    assert [s.scope for s in figure.series] == ["country"]
    assert figure.series_missing == ["Nordland"]


def test_after_a_regrouping_the_group_line_is_not_named_after_one_group(
    rate_with_comparisons,
):
    later = in_group(rate_with_comparisons, 2023, code="EKG08", name="Kostragruppe 08")
    official(RATE, 2023, Decimal("15"), group=later)

    figure = figure_of(key_figures(rate_with_comparisons, trends=True), RATE)

    [group] = [s for s in figure.series if s.scope == "group"]
    assert group.label == "KOSTRA-gruppe"
    assert group.values == [None, None, 15.0]  # 2023's figure is the new group's


def test_without_trends_only_the_latest_year_is_compared(rate_with_comparisons):
    figure = figure_of(key_figures(rate_with_comparisons), RATE)
    assert figure.series == [] and figure.county_display == "19,0"


def test_the_chart_draws_the_comparisons_as_lines_told_apart_without_colour(
    rate_with_comparisons,
):
    figures = key_figures(rate_with_comparisons, trends=True)
    chart = dict(trend_charts(figures.with_values, municipality_name="Fauske"))[RATE]

    lines = chart["data"]
    names = [line["name"] for line in lines]
    assert names == ["Fauske", "Nordland", "Kostragruppe 07", "Hele landet"]
    assert lines[1]["y"] == [18.0, 18.5, 19.0]
    assert lines[3]["y"] == [None, 16.2, 16.4]  # the incomplete sum is a gap
    assert len({line["line"].get("dash", "solid") for line in lines}) == 4
    assert chart["layout"]["showlegend"] is True
    # Plain data plotly accepts as it is.
    assert json.loads(go.Figure(chart).to_json())["data"][1]["y"] == [18.0, 18.5, 19.0]


def test_the_page_has_the_comparison_rows_under_each_chart(
    client_for, analysis, rate_with_comparisons
):
    text = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk])).text
    assert '<tr class="trend-county"><th scope="row" class="fw-normal">Nordland</th>' in text
    assert '<tr class="trend-group"><th scope="row" class="fw-normal">Kostragruppe 07</th>' in (
        text
    )
    assert '<tr class="trend-country"><th scope="row" class="fw-normal">Hele landet</th>' in text
    assert 'data-plotly-figure="trend-kommunale-boliger-per-1000-data" aria-hidden="true"' in text


def test_the_key_figure_page_with_comparisons_runs_a_fixed_number_of_queries(
    client_for, analysis, django_assert_num_queries
):
    demo()  # five years of figures for the region's municipalities, county and country
    fauske = analysis.municipality
    group = in_group(fauske, 2019)
    for indicator in Indicator.objects.all():
        for year in range(2019, 2024):
            official(indicator.code, year, Decimal(7), group=group)
    client = client_for("planner")
    url = reverse("analysis:key_figures", args=[analysis.pk])
    assert "trend-group" in client.get(url).text
    # A new version of the figures (keyfigures/versions.py), computed afresh: session, user,
    # memberships, analysis; the version; indicators, the municipality's values, its KOSTRA
    # groups, official county, country and group figures (every year of the trend), every
    # municipality's values for those indicator-years, municipalities per county; the
    # municipality's own figures. The same with one year or five.
    versions.changed()
    with django_assert_num_queries(12):
        response = client.get(url)
    series = [s for f in response.context["figures"] for s in f.series]
    assert {s.scope for s in series} >= {"county", "group"}
    # Another year of figures for every indicator adds no query (and makes a new version).
    for value in list(IndicatorValue.objects.filter(municipality=fauske, year=2023)):
        put(value.indicator.code, fauske, 2024, Decimal(5))
    with django_assert_num_queries(12):
        client.get(url)
    # Until the figures change again, the trends come from the cache.
    with django_assert_num_queries(6):
        client.get(url)
