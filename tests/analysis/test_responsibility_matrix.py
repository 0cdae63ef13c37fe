import pytest

from analysis.models import Analysis
from analysis.selectors.structures import responsibility_matrix

pytestmark = pytest.mark.django_db


def test_matrix_shows_tasks_nobody_owns_and_tasks_several_units_own(demo_data):
    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    matrix = responsibility_matrix(fauske)
    assert [a.key for a in matrix.without_owner] == ["bomiljo", "organisering"]
    assert [a.key for a in matrix.with_several_owners] == ["tildeling"]
    allocation = next(r for r in matrix.rows if r.task_area.key == "tildeling")
    assert sorted(matrix.unit_names(allocation, "responsible")) == [
        "Helse og omsorg",
        "NAV-kontoret",
    ]


def test_matrix_reads_in_four_queries(demo_data, django_assert_num_queries):
    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    # task areas, cells, task areas answered without a unit, units
    with django_assert_num_queries(4):
        responsibility_matrix(fauske)


def test_empty_analysis_has_every_task_without_owner(analysis):
    matrix = responsibility_matrix(analysis)
    assert len(matrix.without_owner) == 9
    assert matrix.with_several_owners == []
