"""With a previous round, the report shows each factor's earlier score beside this round's:
in the summary, in the profile table and chart, and factor by factor."""

import re

import pytest

from analysis.models import Analysis
from factors.models import FactorAssessment
from reference.models import SuccessFactor
from reports.selectors import report_context
from reports.services import profile_chart
from tests.factories import open_year
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

THIS_ROUND = (2, 2, 3, 2, 3, 1)
LAST_ROUND = (1, 2, 2, None, 4, 1)


@pytest.fixture
def last_year(analysis):
    earlier = open_year(2025)
    previous = Analysis.objects.get(round=earlier, municipality=analysis.municipality)
    for factor, score in zip(SuccessFactor.objects.order_by("number"), LAST_ROUND, strict=True):
        FactorAssessment.objects.create(analysis=previous, factor=factor, score=score)
    return previous


def cells(html: str, table_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="{table_class}[^"]*">(.*?)</table>', html, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", c).replace("\xa0", " ").strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_the_report_shows_last_rounds_score_and_the_change_per_factor(
    client_for, analysis, last_year, rules
):
    fill(analysis, scores=THIS_ROUND, with_users=False)
    Analysis.objects.filter(pk=analysis.pk).update(previous=last_year)
    html = client_for("planner").get(f"/rapport/{analysis.pk}/").text
    summary = cells(html, "scores")
    assert summary[0] == ["Suksessfaktor", "Vurdering", "Foranalyse 2025", "Endring"]
    assert [row[2:] for row in summary[1:]] == [
        ["1", "+1"],
        ["2", "0"],
        ["2", "+1"],
        ["–", "–"],
        ["4", "−1"],
        ["1", "0"],
    ]
    profile = cells(html, "profile")
    assert profile[0][:3] == ["Suksessfaktor", "Foranalyse 2025", "Kommunen"]
    assert profile[1][1:3] == ["1", "2"]
    text = " ".join(re.sub(r"<[^>]+>|&nbsp;", " ", html).split())
    assert "I Foranalyse 2025: 1 av 5 (endring +1)" in text


def test_without_an_earlier_pointer_the_latest_earlier_self_assessment_is_used(
    analysis, last_year, rules
):
    fill(analysis, scores=THIS_ROUND, with_users=False)
    ctx = report_context(Analysis.objects.get(pk=analysis.pk))
    assert ctx.previous_round.title == "Foranalyse 2025"
    assert [row.previous_score for row in ctx.factors] == list(LAST_ROUND)
    # the chart draws the previous round as its own series
    assert [trace["name"] for trace in profile_chart(ctx)["data"]][0] == "Forrige runde"


def test_a_first_round_report_has_no_previous_column(client_for, analysis, rules):
    fill(analysis, scores=THIS_ROUND, with_users=False)
    html = client_for("planner").get(f"/rapport/{analysis.pk}/").text
    assert cells(html, "scores")[0] == ["Suksessfaktor", "Vurdering"]
    assert "Endring" not in html
    assert report_context(Analysis.objects.get(pk=analysis.pk)).previous_round is None
