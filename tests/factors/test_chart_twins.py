"""A chart whose table says the same is hidden from assistive technology, so a screen reader
reads the numbers once, from the table, not as a stream from the drawing (issue 15, item 7)."""

import re

import pytest
from django.urls import reverse

from tests.factories import score

pytestmark = pytest.mark.django_db


def test_the_profile_chart_on_the_analysis_page_is_hidden_beside_its_table(client_for, analysis):
    score(analysis, [1, 2, 3, 4, 5, 3])
    page = client_for("planner").get(analysis.get_absolute_url())
    charts = re.findall(r"<div[^>]*data-plotly-figure[^>]*>", page.text)
    assert charts and all('aria-hidden="true"' in chart for chart in charts)
    assert 'id="factor-table-caption"' in page.text


def test_the_region_profile_charts_are_hidden_beside_their_tables(client_for, analysis, adviser):
    score(analysis, [1, 2, 3, 4, 5, 3])
    region = analysis.municipality.county.region
    page = client_for("adviser").get(reverse("overview:region_profile", args=[region.pk]))
    charts = re.findall(r"<div[^>]*data-plotly-figure[^>]*>", page.text)
    assert charts and all('aria-hidden="true"' in chart for chart in charts)
