"""The comparison arithmetic (official figures first, sums, population weights, coverage,
suppression) and the pages that show key figures."""

import json
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from keyfigures.charts import trend_charts
from keyfigures.models import Indicator, IndicatorAggregateValue, IndicatorValue
from keyfigures.selectors import Comparison, aggregate, display_value, key_figures
from keyfigures.services.imports import import_indicator_file
from reference.models import County, Municipality

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
RATE, COUNT = "kommunale-boliger-per-1000", "kommunale-boliger"


def demo():
    path = FILES / "demo-fiktive-tall-nokkeltall.csv"
    return import_indicator_file(data=path.read_bytes(), filename=path.name)


def put(code, municipality, year, value, reason=""):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        municipality=municipality,
        year=year,
        value=value,
        missing_reason=reason,
    )


def figure_of(figures, code):
    return next(f for f in figures if f.indicator.code == code)


def nordland():
    return list(Municipality.objects.filter(county__number="18", valid_to__isnull=True))


# --- Display and suppression ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "reason", "shown"),
    [
        (Decimal(1), "count", "", "under 3"),
        (Decimal(2), "count", "", "under 3"),
        (Decimal(0), "count", "", "0"),  # nobody counted identifies no one
        (Decimal(3), "count", "", "3"),
        (Decimal(1234), "count", "", "1\xa0234"),
        (Decimal(2), "per_1000", "", "2,0"),
        (Decimal("25.75"), "percent", "", "25,8 %"),
        (None, "count", "suppressed", "skjult"),
        (None, "count", "nil", "null (–)"),
        (None, "count", "not_yet_available", "mangler foreløpig"),
        (None, "count", "not_available", "–"),
    ],
)
def test_values_are_shown_with_one_suppression_rule(value, unit, reason, shown):
    assert display_value(value, unit, reason) == shown


def test_counts_add_up_and_rates_are_weighted_by_population():
    assert aggregate([(10, 1000), (20, 3000)], "count") == 30
    assert aggregate([(10, 1000), (20, 3000)], "per_1000") == Decimal("17.5")
    assert aggregate([], "percent") is None
    assert aggregate([(5, 0)], "percent") is None


def test_an_aggregate_count_of_1_or_2_is_suppressed_too():
    complete = Comparison(unit="count", value=Decimal(2), covered=357, expected=357)
    assert complete.display == "under 3" and complete.shown is None
    official = Comparison(unit="count", value=Decimal(1), official=True)
    assert official.display == "under 3"


def test_an_incomplete_sum_shows_its_coverage_instead_of_a_number():
    partial = Comparison(unit="count", value=Decimal(500), covered=4, expected=41)
    assert partial.display == "4 av 41 kommuner"
    assert partial.shown is None
    assert "ikke vist" in partial.how


# --- County and country: official first, otherwise computed with coverage -------------------


def test_the_county_is_weighted_by_population_when_every_municipality_has_a_figure():
    municipalities = nordland()
    values = {m.pk: Decimal(10 + i) for i, m in enumerate(municipalities)}
    for m in municipalities:
        put(RATE, m, 2023, values[m.pk])
    fauske = Municipality.objects.get(number="1841")
    figure = figure_of(key_figures(fauske), RATE)
    weights = sum(m.population for m in municipalities)
    expected = sum(values[m.pk] * m.population for m in municipalities) / weights
    assert figure.county.complete and not figure.county.official
    assert figure.county.value == pytest.approx(expected)
    assert figure.county.covered == figure.county.expected == len(municipalities) == 41
    # The country has only Nordland: no number, its coverage.
    assert figure.country_display == "41 av 357 kommuner"


def test_county_counts_are_summed_and_a_suppressed_municipality_leaves_the_sum_out():
    municipalities = nordland()
    for i, m in enumerate(municipalities):
        put(COUNT, m, 2023, Decimal(100 + i))
    fauske = Municipality.objects.get(number="1841")
    figure = figure_of(key_figures(fauske, show_counts=True), COUNT)
    assert figure.county.value == sum(Decimal(100 + i) for i in range(41))
    # One municipality's figure becomes suppressed: the sum would be too small, so it goes.
    IndicatorValue.objects.filter(municipality=municipalities[-1]).update(
        value=None, missing_reason="suppressed"
    )
    figure = figure_of(key_figures(fauske, show_counts=True), COUNT)
    assert figure.county.covered == 40 and figure.county.shown is None
    assert figure.county_display == "40 av 41 kommuner"


def test_official_county_and_country_figures_are_preferred_over_sums():
    fauske = Municipality.objects.get(number="1841")
    put(RATE, fauske, 2023, Decimal("21.1"))
    indicator = Indicator.objects.get(code=RATE)
    IndicatorAggregateValue.objects.create(
        indicator=indicator, county=County.objects.get(number="18"), year=2023, value=19
    )
    IndicatorAggregateValue.objects.create(
        indicator=indicator, county=None, year=2023, value=None, missing_reason="suppressed"
    )
    # Another county's official figure and another year's must not be taken.
    IndicatorAggregateValue.objects.create(
        indicator=indicator, county=County.objects.get(number="03"), year=2023, value=99
    )
    IndicatorAggregateValue.objects.create(indicator=indicator, county=None, year=2022, value=1)
    figure = figure_of(key_figures(fauske), RATE)
    assert figure.county.official and figure.county_display == "19,0"
    assert figure.country.official and figure.country_display == "skjult"


def test_a_county_with_one_municipality_is_complete_and_its_small_count_suppressed():
    oslo = Municipality.objects.get(number="0301")
    put(COUNT, oslo, 2023, Decimal(2))
    figure = figure_of(key_figures(oslo, show_counts=True), COUNT)
    assert figure.county.complete and figure.county.value == 2
    assert figure.county_display == "under 3" and figure.display == "under 3"


def test_the_switch_shows_counts_where_a_count_and_a_share_both_exist():
    fauske = Municipality.objects.get(number="1841")
    put(RATE, fauske, 2023, Decimal("21.1"))
    put(COUNT, fauske, 2023, Decimal("205"))
    shares = key_figures(fauske)
    counts = key_figures(fauske, show_counts=True)
    assert RATE in [f.indicator.code for f in shares] and COUNT not in [
        f.indicator.code for f in shares
    ]
    assert COUNT in [f.indicator.code for f in counts] and RATE not in [
        f.indicator.code for f in counts
    ]
    assert figure_of(counts, COUNT).has_count_view and shares.has_count_view
    assert not figure_of(shares, "befolkning-80-andel").has_count_view


def test_each_trend_chart_has_its_own_unit_and_gaps_for_small_counts():
    fauske = Municipality.objects.get(number="1841")
    for year, value in [(2021, "20.5"), (2022, "21"), (2023, "21.1")]:
        put(RATE, fauske, year, Decimal(value))
    for year, value in [(2021, "3.1"), (2022, "3.4")]:
        put("sosialhjelp-andel", fauske, year, Decimal(value))
    for year, value in [(2021, 5), (2022, 2), (2023, 6)]:
        put("midlertidig-botilbud", fauske, year, Decimal(value))
    charts = dict(trend_charts(key_figures(fauske)))
    assert set(charts) == {RATE, "sosialhjelp-andel", "midlertidig-botilbud"}
    assert charts[RATE]["layout"]["yaxis"]["title"]["text"] == "Per 1000 innbyggere"
    assert charts["sosialhjelp-andel"]["layout"]["yaxis"]["ticksuffix"] == " %"
    # Norwegian numbers: decimal comma, a space between thousands, no "k" for thousands.
    layout = charts[RATE]["layout"]
    assert layout["separators"] == ",\u00a0"
    assert (layout["yaxis"]["exponentformat"], layout["yaxis"]["separatethousands"]) == (
        "none",
        True,
    )
    assert layout["xaxis"]["tickformat"] == "d"  # years, never 2 021 or 2021.5
    # 2022's count of 2 is a gap in the line, not a point and not a bridge.
    line = charts["midlertidig-botilbud"]["data"][0]
    assert (line["x"], line["y"], line["connectgaps"]) == ([2021, 2022, 2023], [5, None, 6], False)
    # Plain numbers that plotly accepts as they are (the builder skips its validation).
    assert json.loads(json.dumps(charts[RATE]))["data"][0]["y"] == [20.5, 21.0, 21.1]
    assert json.loads(go.Figure(charts[RATE]).to_json()) == json.loads(json.dumps(charts[RATE]))


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "planner": 200,
        "reader": 200,
        "adviser": 200,
        "outside_adviser": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_key_figures_page_answers_each_persona(client_for, analysis, persona, status):
    url = reverse("analysis:key_figures", args=[analysis.pk])
    assert client_for(persona).get(url).status_code == status


def test_demo_figures_are_called_fictitious_on_every_page_that_shows_them(client_for, analysis):
    client = client_for("planner")
    pages = [
        reverse("analysis:key_figures", args=[analysis.pk]),
        reverse("analysis:detail", args=[analysis.pk]),
        f"/rapport/{analysis.pk}/",
    ]
    for url in pages:
        assert "Fiktive tall." not in client.get(url).text, url
    demo()
    for url in pages:
        assert "Fiktive tall." in client.get(url).text, url


def test_real_figures_carry_no_demo_notice(client_for, analysis):
    path = FILES / "ssb-wide-semicolon.csv"
    import_indicator_file(data=path.read_bytes(), filename=path.name)
    response = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk]))
    assert "21,1" in response.text and "Fiktive tall." not in response.text


def test_key_figures_page_shows_official_comparisons_charts_and_the_count_switch(
    client_for, analysis
):
    demo()
    client = client_for("planner")
    url = reverse("analysis:key_figures", args=[analysis.pk])
    text = client.get(url).text
    assert text.count('class="plotly-chart"') == 5  # one chart per indicator shown
    assert 'href="?visning=antall"' in text
    assert "Kommunalt disponerte boliger per 1000 innbyggere" in text
    counts = client.get(url + "?visning=antall").text
    assert "Kommunalt disponerte boliger <span" in counts
    assert "Kommunalt disponerte boliger per 1000 innbyggere <span" not in counts
    assert 'aria-current="page">Antall' in counts


def test_key_figures_page_names_the_source_table_only_where_one_is_known(client_for, analysis):
    demo()
    text = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk])).text
    assert (
        'Kilde: <a href="https://www.ssb.no/statbank/table/12008/">SSB (KOSTRA), tabell 12008'
        in text
    )
    assert "Kilde: SSB (KOSTRA), statistikken Kommunale boliger<" in text
    assert "ikke angitt" not in text


def test_key_figures_page_runs_a_fixed_number_of_queries(
    client_for, analysis, django_assert_num_queries
):
    demo()
    client = client_for("planner")
    url = reverse("analysis:key_figures", args=[analysis.pk])
    # session, user, memberships, analysis; the key figures' version (keyfigures/versions.py);
    # the first time for that version: indicators, the municipality's values, its KOSTRA
    # groups, official county, country and group figures, every municipality's values for
    # those indicator-years, municipalities per county; the municipality's own figures
    with django_assert_num_queries(12):
        client.get(url)
    # Then the figures come from the cache: (was 11 every time before issue 16)
    with django_assert_num_queries(6):
        client.get(url)


def kostra_group(municipality, code, name, year):
    from keyfigures.models import KostraGroup, KostraGroupMembership

    group, _created = KostraGroup.objects.get_or_create(code=code, defaults={"name": name})
    KostraGroupMembership.objects.create(
        municipality=municipality, year=year, group=group, source="test"
    )
    return group


def test_the_kostra_group_is_a_comparison_beside_county_and_country():
    fauske = Municipality.objects.get(number="1841")
    put(RATE, fauske, 2023, Decimal("21.1"))
    indicator = Indicator.objects.get(code=RATE)
    group = kostra_group(fauske, "EKG07", "Kostragruppe 07", 2020)
    other = kostra_group(Municipality.objects.get(number="0301"), "EKG13", "Kostragruppe 13", 2020)
    IndicatorAggregateValue.objects.create(
        indicator=indicator, kostra_group=group, year=2023, value=17
    )
    IndicatorAggregateValue.objects.create(
        indicator=indicator, kostra_group=other, year=2023, value=9
    )
    IndicatorAggregateValue.objects.create(indicator=indicator, county=None, year=2023, value=20)

    figures = key_figures(fauske)

    figure = figure_of(figures, RATE)
    # The group of the latest year loaded before the figure's year (the 2020 grouping).
    assert (figure.group_name, figure.group_display) == ("Kostragruppe 07", "17,0")
    assert figure.country_display == "20,0"  # a group's figure is never the country's
    assert figures.kostra_group == "Kostragruppe 07"


def test_without_a_known_kostra_group_there_is_no_group_column(client_for, analysis):
    fauske = Municipality.objects.get(number="1841")
    put(RATE, fauske, 2023, Decimal("21.1"))
    assert not key_figures(fauske).kostra_group
    text = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk])).text
    assert "Kostragruppe" not in text


def test_the_key_figures_page_and_the_report_show_the_kostra_group_column(client_for, analysis):
    fauske = analysis.municipality
    put(RATE, fauske, 2023, Decimal("21.1"))
    group = kostra_group(fauske, "EKG07", "Kostragruppe 07", 2023)
    IndicatorAggregateValue.objects.create(
        indicator=Indicator.objects.get(code=RATE), kostra_group=group, year=2023, value=17
    )
    client = client_for("planner")

    page = client.get(reverse("analysis:key_figures", args=[analysis.pk])).text
    report = client.get(reverse("reports:report", args=[analysis.pk])).text

    for text in (page, report):
        assert ">Kostragruppe 07</th>" in text
        assert ">17,0</td>" in text


def test_the_key_figures_page_links_each_source_table(client_for, analysis):
    put(RATE, analysis.municipality, 2023, Decimal("21.1"))
    text = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk])).text
    assert (
        '<a href="https://www.ssb.no/statbank/table/12008/">SSB (KOSTRA), tabell 12008</a>' in text
    )


@pytest.mark.parametrize(
    "name, unit, note",
    [
        ("Kommunalt disponerte boliger per 1000 innbyggere", "per_1000", ""),
        ("Kommunalt disponerte boliger", "count", "antall"),
        ("Sosialhjelpsmottakere, andel av innbyggerne", "percent", "prosent"),
    ],
)
def test_a_figures_unit_follows_its_name_only_when_the_name_does_not_say_it(name, unit, note):
    assert Indicator(name_nb=name, unit=unit).unit_note == note


def test_the_key_figures_page_names_no_unit_twice(client_for, analysis):
    put(RATE, analysis.municipality, 2023, Decimal("20.5"))
    put(RATE, analysis.municipality, 2022, Decimal("20.1"))
    name = str(Indicator.objects.get(code=RATE).name)
    assert name.endswith("per 1000 innbyggere")
    text = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk])).text
    assert name in text
    assert "innbyggere (per 1000 innbyggere)" not in text
