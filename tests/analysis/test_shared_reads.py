"""The analysis page reads what its blocks share once (analysis/selectors/reads.py), and
never keeps it beyond the page: a change shows on the next page at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.models import Responsibility, Unit
from analysis.selectors import reads
from reference.models import TaskArea

pytestmark = pytest.mark.django_db


def test_inside_the_block_a_read_is_made_once(analysis):
    with reads.shared_reads(analysis):
        reads.responsibility_cells(analysis)
        with CaptureQueriesContext(connection) as queries:
            reads.responsibility_cells(analysis)
        assert len(queries) == 0
    assert not reads.is_shared(analysis)


def test_outside_the_block_every_read_is_afresh(analysis):
    assert reads.responsibility_cells(analysis) == []
    area = TaskArea.objects.first()
    unit = Unit.objects.create(municipality=analysis.municipality, name="NAV")
    Responsibility.objects.create(analysis=analysis, task_area=area, unit=unit, role="responsible")
    assert [cell[:3] for cell in reads.responsibility_cells(analysis)] == [
        (area.pk, unit.pk, "responsible")
    ]


def test_a_new_cell_shows_on_the_analysis_page_at_once(client_for, analysis):
    client = client_for("planner")
    before = client.get(analysis.get_absolute_url()).context["section_rows"]
    area = TaskArea.objects.first()
    unit = Unit.objects.create(municipality=analysis.municipality, name="NAV")
    Responsibility.objects.create(analysis=analysis, task_area=area, unit=unit, role="responsible")
    after = client.get(analysis.get_absolute_url()).context["section_rows"]
    done = {row.section.kind: row.progress.done for row in before}
    now = {row.section.kind: row.progress.done for row in after}
    assert now["responsibility_map"] == done["responsibility_map"] + 1
