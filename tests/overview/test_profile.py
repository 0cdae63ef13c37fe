"""The factor profile across a region: the spread of scores per factor, the weakest and
strongest municipalities, and two to six municipalities compared side by side."""

import pytest
from django.urls import reverse

from factors.charts import profiles_comparison_figure, score_distribution_figure
from overview.forms import ProfileComparisonForm
from reference.models import Municipality, Region
from tests.factories import analysis_of, open_year, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordland():
    return Region.objects.get(name="Statsforvalteren i Nordland")


def profile(client, region, **params):
    return client.get(reverse("overview:region_profile", args=[region.pk]), params)


def scored_in(round_, number, scores):
    return score(analysis_of(round_, number), scores)


@pytest.fixture
def scored(round_):
    return {
        "1841": scored_in(round_, "1841", [1, 2, 3, 4, 5, None]),  # Fauske
        "1824": scored_in(round_, "1824", [1, 4, 3, 2, 5, 2]),  # Vefsn
        "1870": scored_in(round_, "1870", [4, 4, 3, 2, 1, 3]),  # Sortland
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "adviser": 200,
        "administrator": 200,
        "outside_adviser": 404,
        "planner": 404,
        "reader": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_the_factor_profile_answers_each_persona_as_designed(
    client_for, round_, nordland, persona, status
):
    assert profile(client_for(persona), nordland).status_code == status


def test_per_factor_the_spread_of_scores_adds_up_to_the_region(
    client_for, round_, nordland, scored
):
    response = profile(client_for("adviser"), nordland)
    spreads = response.context["profile"].spreads
    region_size = Municipality.objects.filter(county__region=nordland).count()
    assert [s.level_counts for s in spreads] == [
        [2, 0, 0, 1, 0],
        [0, 1, 0, 2, 0],
        [0, 0, 3, 0, 0],
        [0, 2, 0, 1, 0],
        [1, 0, 0, 0, 2],
        [0, 1, 1, 0, 0],
    ]
    assert [s.unscored for s in spreads] == [region_size - 3] * 5 + [region_size - 2]
    # the chart carries the same numbers as the table
    chart = response.context["profile"].distribution_chart
    assert [trace["y"] for trace in chart["data"]] == [s.level_counts for s in spreads]
    assert 'data-plotly-figure="distribution-data"' in response.text
    assert "/static/plotly/plotly.min.js" in response.text


def test_weakest_and_strongest_per_factor_name_every_tie(client_for, round_, nordland, scored):
    spreads = profile(client_for("adviser"), nordland).context["profile"].spreads
    names = [
        ([s.municipality.name for s in f.weakest], [s.municipality.name for s in f.strongest])
        for f in spreads
    ]
    assert names[0] == (["Fauske", "Vefsn"], ["Sortland"])
    assert names[4] == (["Sortland"], ["Fauske", "Vefsn"])
    assert names[5] == (["Vefsn"], ["Sortland"])  # Fauske has no score on factor 6
    assert [s.score for s in spreads[0].weakest] == [1, 1]


def test_two_to_six_municipalities_are_compared_side_by_side(client_for, round_, nordland, scored):
    response = profile(client_for("adviser"), nordland, kommune=["1870", "1841"])
    compared = response.context["profile"].compared
    assert [c.municipality.name for c in compared] == ["Sortland", "Fauske"]
    assert compared[1].scores == [1, 2, 3, 4, 5, None]
    chart = response.context["profile"].comparison_chart
    assert [t["name"] for t in chart["data"]] == ["Sortland", "Fauske"]
    assert chart["data"][1]["y"] == [1, 2, 3, 4, 5, None]
    assert 'data-plotly-figure="comparison-data"' in response.text
    rows = response.context["profile"].comparison_rows
    assert rows[0][1] == [4, 1] and rows[5][1] == [3, None]


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (["1841"], "Velg mellom 2 og 6 kommuner å sammenligne; du valgte 1."),
        (
            ["1841", "1824", "1870", "1865", "1804", "1806", "1811"],
            "Velg mellom 2 og 6 kommuner å sammenligne; du valgte 7.",
        ),
        (["1841", "5501"], "5501 er ikke en kommune i denne regionen."),  # Tromsø
        (["1841", "abcd"], "abcd er ikke en kommune i denne regionen."),
    ],
)
def test_a_bad_choice_of_municipalities_gets_a_clear_message(
    client_for, round_, nordland, scored, chosen, message
):
    response = profile(client_for("adviser"), nordland, kommune=chosen)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["profile"].compared == []
    assert 'data-plotly-figure="comparison-data"' not in response.text


def test_comparing_with_nobody_chosen_says_so(client_for, round_, nordland):
    response = profile(client_for("adviser"), nordland, sammenlign="1")
    assert "Velg mellom 2 og 6 kommuner å sammenligne; du valgte 0." in response.text


def test_the_first_visit_shows_no_error(client_for, round_, nordland):
    response = profile(client_for("adviser"), nordland)
    assert not response.context["form"].is_bound
    assert "Velg mellom 2 og 6" not in response.text


def test_the_same_municipality_twice_counts_once(client_for, round_, nordland, scored):
    response = profile(client_for("adviser"), nordland, kommune=["1841", "1841"])
    assert "du valgte 1" in response.text


def test_the_overview_and_the_profile_link_to_each_other(client_for, round_, nordland):
    client = client_for("adviser")
    page = profile(client, nordland)
    assert f"{reverse('overview:region', args=[nordland.pk])}?runde=2026" in page.text


def test_an_unknown_round_for_the_profile_redirects_with_a_message(client_for, round_, nordland):
    response = client_for("adviser").get(
        reverse("overview:region_profile", args=[nordland.pk]), {"runde": "1990"}, follow=True
    )
    assert "Det finnes ingen runde for 1990" in response.text
    assert response.context["round"] == round_


@pytest.mark.parametrize("filled", [3, 30])
def test_the_profile_runs_a_fixed_number_of_queries(
    client_for, round_, nordland, filled, django_assert_num_queries
):
    for m in Municipality.objects.filter(county__region=nordland)[:filled]:
        scored_in(round_, m.number, [2, 3, 4, 5, 1, 2])
    client = client_for("adviser")
    chosen = list(
        Municipality.objects.filter(county__region=nordland).values_list("number", flat=True)[:4]
    )
    profile(client, nordland, kommune=chosen)
    # session, user, memberships (the region among them), rounds (the current one among
    # them), municipalities; analyses, factors, scores
    with django_assert_num_queries(8):
        response = profile(client, nordland, kommune=chosen)
    assert sum(s.scored for s in response.context["profile"].spreads) == 6 * filled


# --- The chart builders, without a database ---------------------------------------------------


def test_distribution_figure_has_one_small_chart_per_factor_with_its_counts():
    fig = score_distribution_figure(["A", "B"], [[1, 0, 2, 0, 0], [0, 0, 0, 0, 3]])
    data = fig["data"]
    assert [t["y"] for t in data] == [[1, 0, 2, 0, 0], [0, 0, 0, 0, 3]]
    assert [t["text"] for t in data] == [["1", "0", "2", "0", "0"], ["0", "0", "0", "0", "3"]]
    assert data[0]["xaxis"] != data[1]["xaxis"]  # separate panels
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == ["A", "B"]


def test_comparison_figure_groups_dots_with_distinct_shapes_and_gaps():
    fig = profiles_comparison_figure(
        ["F1", "F2", "F3"], [("Fauske", [1, None, 3]), ("Vefsn", [2, 2, 2])]
    )
    traces = fig["data"]
    assert [t["name"] for t in traces] == ["Fauske", "Vefsn"]
    assert traces[0]["y"] == [1, None, 3]  # a missing score is a gap, never a zero
    assert traces[0]["marker"]["symbol"] != traces[1]["marker"]["symbol"]
    assert traces[0]["marker"]["color"] != traces[1]["marker"]["color"]
    # Dots grouped under each factor, never a line drawn across six unrelated factors.
    assert {t["mode"] for t in traces} == {"markers"}
    assert fig["layout"]["scattermode"] == "group"


def test_the_municipalities_to_compare_are_listed_by_name_with_norwegian_letters_last():
    names = ["Vågan", "Bodø", "Øksnes", "Andøy", "Ærøy", "Ballangen"]
    form = ProfileComparisonForm(
        municipalities=[
            Municipality(number=str(1800 + n), name=name) for n, name in enumerate(names)
        ]
    )
    assert [label for _number, label in form.fields["kommune"].choices] == [
        "Andøy",
        "Ballangen",
        "Bodø",
        "Vågan",
        "Ærøy",
        "Øksnes",
    ]


# --- One municipality over every round --------------------------------------------------------


@pytest.fixture
def three_rounds(round_):
    """Fauske scored in 2024, 2025 and this round (2026); Vefsn only this round."""
    scored_in(open_year(2024), "1841", [1, 1, 2, 1, 2, None])
    scored_in(open_year(2025), "1841", [1, 2, 2, 2, 3, 1])
    scored_in(round_, "1841", [2, 2, 3, 2, 3, 1])
    scored_in(round_, "1824", [3, 3, 3, 3, 3, 3])
    return round_


def test_the_profile_shows_one_municipalitys_scores_in_every_round(
    client_for, three_rounds, nordland
):
    from tests.factors.test_trend import trend_rows

    response = profile(client_for("adviser"), nordland, runde=2026, utvikling="1841")
    html = response.text
    rows = trend_rows(html)
    assert rows[0] == ["Suksessfaktor", "Foranalyse 2024", "Foranalyse 2025", "Foranalyse 2026"]
    assert rows[1][1:] == ["1", "1", "2"]
    assert rows[6][1:] == ["–", "1", "1"]
    # The chart draws the same numbers and is hidden from assistive technology (the table
    # says the same); the chosen municipality stays chosen when the round changes.
    assert 'data-plotly-figure="trend-figure-data" aria-hidden="true"' in html
    chart = response.context["trend_chart"]
    assert [t["y"] for t in chart["data"]][0] == [1, 1, 2]
    assert '<input type="hidden" name="utvikling" value="1841">' in html


def test_an_earlier_round_has_no_later_scores_in_the_trend(client_for, three_rounds, nordland):
    response = profile(client_for("adviser"), nordland, runde=2025, utvikling="1841")
    assert response.context["trend"].rounds == ["Foranalyse 2024", "Foranalyse 2025"]
    # Two rounds: the table, no chart (a trend is drawn from three, as on the analysis page).
    assert response.context["trend_chart"] is None
    assert "factor-trend" in response.text


def test_a_municipality_outside_the_region_is_refused_with_a_message(
    client_for, three_rounds, nordland
):
    response = profile(client_for("adviser"), nordland, utvikling="0301")  # Oslo
    assert response.status_code == 200
    assert response.context["trend"] is None
    assert "0301 er ikke en kommune i denne regionen" in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "adviser": 200,
        "administrator": 200,
        "outside_adviser": 404,
        "planner": 404,
        "reader": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_the_profile_with_a_trend_answers_each_persona_as_before(
    client_for, three_rounds, nordland, persona, status
):
    response = profile(client_for(persona), nordland, utvikling="1841")
    assert response.status_code == status


def test_the_trend_on_the_profile_is_read_in_one_query_however_many_rounds(
    client_for, three_rounds, nordland, django_assert_num_queries
):
    client = client_for("adviser")
    profile(client, nordland, utvikling="1841")
    # session, user, memberships (the region among them), rounds (the current one among
    # them), municipalities; analyses, factors, scores; the chosen municipality's scores in
    # every round
    with django_assert_num_queries(9):
        profile(client, nordland, utvikling="1841")
    scored_in(open_year(2023), "1841", [1, 1, 1, 1, 1, 1])
    with django_assert_num_queries(9):
        response = profile(client, nordland, utvikling="1841")
    assert len(response.context["trend"].rounds) == 4
