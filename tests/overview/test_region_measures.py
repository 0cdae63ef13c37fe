"""The adviser's view of the region's action plans: per municipality how many measures, how
many overdue, how many done in the round, and the overdue ones listed on request."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from analysis.models import Analysis
from plans import services
from plans.models import Measure
from reference.models import Region
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def url(query: str = "") -> str:
    region = Region.objects.get(name="Statsforvalteren i Nordland")
    return reverse("overview:region_measures", args=[region.pk]) + query


def measure(analysis: Analysis, by, title: str, deadline=None, status="") -> Measure:
    made = services.save_measure(
        analysis=analysis,
        measure=None,
        values={"title": title, "priority": 1, "deadline": deadline},
        version=None,
        base=None,
        by=by,
    )
    if status:
        services.change_measure_status(
            analysis=analysis, measure=made, status=status, note="", version=None, by=by
        )
    return made


@pytest.fixture
def plans(analysis, other_analysis, planner, other_planner):
    make_unit(analysis)
    measure(analysis, planner, "Boligplan", datetime.date(2026, 1, 5))  # overdue
    measure(analysis, planner, "Forum", datetime.date(2026, 2, 1), status="done")
    measure(analysis, planner, "Økonomiplan", datetime.date(2099, 1, 1))
    measure(other_analysis, other_planner, "Vefsn-tiltak", datetime.date(2026, 1, 9))  # overdue


def row_of(page: str, name: str) -> str:
    start = page.index(f">{name}<")
    return page[start : page.index("</tr>", start)]


def test_the_adviser_sees_each_municipalitys_counts(client_for, plans):
    page = client_for("adviser").get(url()).content.decode()
    fauske = row_of(page, "Fauske")
    cells = [c.split("</td>")[0] for c in fauske.split('<td class="text-end">')[1:]]
    # all, open, overdue (a link to them), done this round
    assert cells[0:2] == ["3", "2"]
    assert "?overdue=on" in cells[2] and ">1<" in cells[2]
    assert cells[3] == "1"
    assert "overdue-measures" not in page


def test_the_adviser_can_list_the_overdue_measures_of_the_region(client_for, plans):
    page = client_for("adviser").get(url("?forsinket=1")).content.decode()
    listed = page[page.index("overdue-measures") :]
    assert "Boligplan" in listed and "Vefsn-tiltak" in listed
    assert "Forum" not in listed and "Økonomiplan" not in listed


def test_an_adviser_of_another_region_sees_nothing(client_for, plans):
    assert client_for("outside_adviser").get(url()).status_code == 404
    assert client_for("planner").get(url()).status_code == 404


def test_the_page_runs_the_same_queries_for_any_number_of_measures(
    client_for, plans, analysis, planner, django_assert_num_queries
):
    client = client_for("adviser")
    page = url("?forsinket=1")
    client.get(page)
    # session, user, memberships (the region among them); rounds (the round among them);
    # municipalities, their analyses, the counts, the overdue measures
    with django_assert_num_queries(8):
        client.get(page)
    for i in range(20):
        measure(analysis, planner, f"Tiltak {i}", datetime.date(2026, 1, 2))
    with django_assert_num_queries(8):
        client.get(page)
