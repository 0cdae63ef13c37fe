"""The adviser's regional overview, the national view, and their exports."""

import io

import pandas as pd
import pytest
from django.urls import reverse

from analysis.models import Analysis, AnalysisStatus, Municipality, Region
from factors.models import FactorAssessment, SuccessFactor

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordland():
    return Region.objects.get(name="Statsforvalteren i Nordland")


def overview(client, region, **params):
    return client.get(reverse("analysis:region", args=[region.pk]), params)


def score(analysis, scores):
    for factor, value in zip(SuccessFactor.objects.all(), scores, strict=True):
        FactorAssessment.objects.create(analysis=analysis, factor=factor, score=value, status="x")


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
def test_overview_and_exports_answer_each_persona_as_designed(
    client_for, round_, nordland, persona, status
):
    client = client_for(persona)
    assert overview(client, nordland).status_code == status
    for fmt in ["csv", "xlsx"]:
        url = reverse("analysis:region_export", args=[nordland.pk, fmt])
        assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    {"administrator": 200, "adviser": 404, "planner": 404, "anonymous": 302}.items(),
)
def test_national_view_is_for_administrators(client_for, round_, persona, status):
    assert client_for(persona).get(reverse("analysis:national")).status_code == status


def test_overview_shows_status_progress_scores_and_change(client_for, round_, analysis, nordland):
    import datetime

    from analysis.services.rounds import open_round

    score(analysis, [2, 2, 3, 2, 3, 1])
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    # A later round where Fauske improved on factor 1.
    later = open_round(
        year=2027,
        title="Foranalyse 2027",
        questionnaire=round_.questionnaire,
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 12, 31),
    )
    new = Analysis.objects.get(round=later, municipality=analysis.municipality)
    score(new, [4, 2, 3, 2, 3, 1])
    response = overview(client_for("adviser"), nordland, runde=2027)
    row = next(r for r in response.context["rows"] if r.municipality.number == "1841")
    assert row.scores[1] == 4 and row.changes[1] == 2 and row.changes[2] == 0
    assert "▲+2" in response.text
    assert "endring +2 siden forrige runde" in response.text


def test_overview_sorts_filters_and_searches(client_for, round_, analysis, nordland):
    score(analysis, [5, 5, 5, 5, 5, 5])
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    client = client_for("adviser")
    rows = overview(client, nordland, sort="f1", dir="desc").context["rows"]
    assert rows[0].municipality.name == "Fauske"
    rows = overview(client, nordland, sort="name").context["rows"]
    assert [r.municipality.name for r in rows] == sorted(r.municipality.name for r in rows)
    rows = overview(client, nordland, status="in_progress").context["rows"]
    assert [r.municipality.number for r in rows] == ["1841"]
    assert [
        r.municipality.number for r in overview(client, nordland, q="fuossko").context["rows"]
    ] == ["1841"]
    assert len(overview(client, nordland, q="1841").context["rows"]) == 1
    nynorsk = overview(client, nordland, malform="nynorsk").context["rows"]
    assert all(r.municipality.language_form == "nynorsk" for r in nynorsk)


def test_an_unknown_round_is_404_for_the_overview_and_the_export(client_for, round_, nordland):
    client = client_for("adviser")
    assert overview(client, nordland, runde=1999).status_code == 404
    url = reverse("analysis:region_export", args=[nordland.pk, "csv"])
    assert client.get(url, {"runde": "abc"}).status_code == 404


def test_csv_export_reads_back_cell_by_cell(client_for, round_, analysis, nordland):
    score(analysis, [1, 2, 3, 4, 5, None])
    response = client_for("adviser").get(
        reverse("analysis:region_export", args=[nordland.pk, "csv"]), {"q": "Fauske"}
    )
    frame = pd.read_csv(
        io.BytesIO(response.content), sep=";", encoding="utf-8-sig", dtype={"Kommunenummer": str}
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["Kommunenummer"] == "1841"
    assert row["Kommune"] == "Fauske"
    assert row["Status"] == "Ikke startet"
    assert row["Forankring og eierskap"] == 1
    assert row["Kompetanse"] == 5
    assert pd.isna(row["Brukermedvirkning"])
    from analysis.selectors.progress import overall_percent, section_progress

    # the bulk arithmetic agrees with the analysis page's
    assert row["Framdrift (%)"] == overall_percent(section_progress(analysis)) > 0


def test_excel_export_keeps_numbers_as_numbers(client_for, round_, analysis, nordland):
    score(analysis, [1, 2, 3, 4, 5, 3])
    response = client_for("adviser").get(
        reverse("analysis:region_export", args=[nordland.pk, "xlsx"])
    )
    frame = pd.read_excel(io.BytesIO(response.content), dtype={"Kommunenummer": str})
    assert len(frame) == 41
    fauske = frame[frame["Kommunenummer"] == "1841"].iloc[0]
    assert fauske["Økonomiske ressurser"] == 4
    assert frame["Framdrift (%)"].dtype.kind in "iu"
    assert frame["Kommunenummer"].str.len().eq(4).all()


@pytest.mark.parametrize("filled", [1, 8])
def test_overview_runs_a_fixed_number_of_queries(
    client_for, round_, nordland, filled, django_assert_num_queries
):
    for analysis in Analysis.objects.filter(round=round_, municipality__county__region=nordland)[
        :filled
    ]:
        score(analysis, [3, 3, 3, 3, 3, 3])
    client = client_for("adviser")
    overview(client, nordland)
    # session, user, memberships, region, current round, counties (filter form),
    # municipalities, analyses; progress: required questions, answered, owned task areas,
    # allocation, assessed, bodies, actors, projects, task area / instrument / factor counts;
    # scores; previous round; rounds list; factors
    with django_assert_num_queries(24):
        overview(client, nordland)


@pytest.mark.parametrize("filled", [2, 30])
def test_national_view_runs_a_fixed_number_of_queries(
    client_for, round_, filled, django_assert_num_queries
):
    for analysis in Analysis.objects.filter(round=round_)[:filled]:
        score(analysis, [3, 3, 3, 3, 3, 3])
    client = client_for("administrator")
    client.get(reverse("analysis:national"))
    # as the region overview, with the regions for grouping instead of the one region
    with django_assert_num_queries(24):
        response = client.get(reverse("analysis:national"))
    assert (
        len(response.context["rows"]) == Municipality.objects.filter(valid_to__isnull=True).count()
    )
