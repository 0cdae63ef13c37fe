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


def test_the_plan_says_what_happened_to_each_measure_since_the_last_round(
    client_for, analysis, last_year, planner, rules
):
    from plans.models import Measure, MeasureStatusChange

    carried = Measure.objects.create(
        municipality=analysis.municipality, planned_in=last_year.round, title="Boligplan"
    )
    waiting = Measure.objects.create(
        municipality=analysis.municipality, planned_in=last_year.round, title="Kriterier"
    )
    closed = Measure.objects.create(
        municipality=analysis.municipality,
        planned_in=last_year.round,
        title="Forum fra i fjor",
        status="done",
    )
    MeasureStatusChange.objects.create(
        measure=closed, round=last_year.round, from_status="planned", to_status="done"
    )
    MeasureStatusChange.objects.create(
        measure=carried,
        round=analysis.round,
        from_status="planned",
        to_status="started",
        note="Planen er på høring.",
        changed_by=planner,
    )
    html = client_for("planner").get(f"/rapport/{analysis.pk}/").text
    rows = {row[0]: row for row in cells(html, "plan")[1:]}
    assert rows["Boligplan"][-1] == "Planen er på høring."
    assert rows["Kriterier"][-1] == "Ingen oppdatering ennå"
    # Done in an earlier round: that round's report showed it; this one leaves it out.
    assert "Forum fra i fjor" not in rows
    assert waiting


def test_three_rounds_show_in_the_reports_trend_table_and_pdf(analysis, rules, tmp_path):
    import subprocess
    import sys

    from reports.services import render_report_html, render_report_pdf
    from tests.factories import analysis_of, score
    from tests.pdf_text import pdf_text, squeeze
    from tests.reports.test_pdf import structure_elements

    score(analysis_of(open_year(2024), "1841"), [1, 1, 2, 1, 2, 1])
    score(analysis_of(open_year(2025), "1841"), [1, 2, 2, 2, 3, 1])
    fill(analysis, scores=THIS_ROUND, with_users=False)
    html = render_report_html(analysis, for_pdf=True)
    rows = cells(html, "trend")
    assert rows[0] == ["Suksessfaktor", "Foranalyse 2024", "Foranalyse 2025", "Foranalyse 2026"]
    assert [row[1:] for row in rows[1:3]] == [["1", "1", "2"], ["1", "2", "2"]]
    pdf = render_report_pdf(analysis)
    text = squeeze(pdf_text(pdf))
    assert "Skårene i alle rundene" in text
    assert "Foranalyse 2024 Foranalyse 2025 Foranalyse 2026" in text
    # Beside the table, the same scores as a chart: an image whose text alternative says
    # every factor's score in every round (the profile chart is the other figure).
    assert html.count('<figure class="chart') == 2
    alts = [alt for kind, alt in structure_elements(pdf) if kind == "/Figure"]
    [trend_alt] = [alt for alt in alts if "Foranalyse 2024" in alt]
    assert "1. Forankring og eierskap: Foranalyse 2024 1, Foranalyse 2025 1, Foranalyse 2026 2" in (
        trend_alt
    )
    # The trend table and the action plan keep the PDF accessible (PDF/UA, as test_pdf.py).
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    checked = subprocess.run(  # noqa: S603 (our own interpreter, our own file)
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    assert "errors=0 warnings=0" in checked.stdout, checked.stdout


def test_two_rounds_make_no_trend_table(client_for, analysis, last_year, rules):
    fill(analysis, scores=THIS_ROUND, with_users=False)
    html = client_for("planner").get(f"/rapport/{analysis.pk}/").text
    assert 'class="trend"' not in html
