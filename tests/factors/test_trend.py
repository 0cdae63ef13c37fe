"""The six factors over every round the municipality has, as a chart and a table with the same
numbers, on the analysis page."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest

from factors.charts import factor_trend_figure
from tests.factories import analysis_of, open_year, score

pytestmark = pytest.mark.django_db


def trend_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table class="[^"]*factor-trend[^"]*">(.*?)</table>', html, re.S)
    assert table, "no trend table"
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def test_three_rounds_show_as_a_trend_chart_and_table(client_for, analysis):
    score(analysis_of(open_year(2024), "1841"), [1, 1, 2, 1, 2, None])
    score(analysis_of(open_year(2025), "1841"), [1, 2, 2, 2, 3, 1])
    score(analysis, [2, 2, 3, 2, 3, 1])
    html = client_for("planner").get(analysis.get_absolute_url()).content.decode()
    rows = trend_rows(html)
    assert rows[0] == ["Suksessfaktor", "Foranalyse 2024", "Foranalyse 2025", "Foranalyse 2026"]
    assert rows[1][1:] == ["1", "1", "2"]
    assert rows[6][1:] == ["–", "1", "1"]
    assert 'id="trend-figure-data"' in html


def test_a_later_round_is_not_in_an_earlier_rounds_trend(client_for, analysis):
    earlier = analysis_of(open_year(2024), "1841")
    score(earlier, [1, 1, 1, 1, 1, 1])
    score(analysis_of(open_year(2025), "1841"), [2, 2, 2, 2, 2, 2])
    score(analysis, [3, 3, 3, 3, 3, 3])
    score(analysis_of(open_year(2027), "1841"), [4, 4, 4, 4, 4, 4])
    html = client_for("planner").get(analysis.get_absolute_url()).content.decode()
    assert "Foranalyse 2027" not in trend_rows(html)[0]
    assert "factor-trend" not in client_for("planner").get(earlier.get_absolute_url()).text


def test_two_rounds_show_no_trend_only_the_previous_round(client_for, analysis):
    score(analysis_of(open_year(2025), "1841"), [1, 2, 2, 2, 3, 1])
    score(analysis, [2, 2, 3, 2, 3, 1])
    html = client_for("planner").get(analysis.get_absolute_url()).content.decode()
    assert "factor-trend" not in html


def test_the_trend_chart_draws_a_line_per_factor_with_a_gap_for_a_missing_score():
    figure = factor_trend_figure(
        ["2024", "2025", "2026"], [("1. Forankring", [1, None, 2]), ("2. Strategi", [2, 2, 3])]
    )
    assert [trace["name"] for trace in figure["data"]] == ["1. Forankring", "2. Strategi"]
    assert figure["data"][0]["y"] == [1, None, 2]
    assert figure["data"][0]["connectgaps"] is False
    assert figure["data"][0]["marker"]["symbol"] != figure["data"][1]["marker"]["symbol"]
    assert figure["data"][0]["line"]["dash"] != figure["data"][1]["line"]["dash"]
    # Plain data that plotly accepts as it is (the builder skips plotly's validation).
    assert json.loads(go.Figure(figure).to_json()) == json.loads(json.dumps(figure))
