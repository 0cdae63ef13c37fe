"""The report reads a fixed number of queries: none per factor, project, unit or answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis import access
from analysis.models import Project
from factors.models import SuccessFactor
from reports.selectors import report_context
from tests.reports.conftest import add_indicator_values, fill

pytestmark = pytest.mark.django_db

# 1 success factors, 2 assessments, 3 maturity levels, 4 sections, 5 questions, 6 answers,
# 7 task areas, 8 cells, 9 units (the responsibility map), 10 cooperation bodies,
# 11 external actors, 12 instruments, 13 allocation practices, 14 projects active in the
# period (with their unit), 15 their target groups, 16 their funding, 17 their factors,
# 18 user-organisation inputs (with invitation), 19 their ratings, 20 recommendation rules,
# key figures (analysis.selectors.indicators): 21 indicators, 22 the municipality's values,
# and as it has some: 23 the official county and country figures, 24 every municipality's
# values for those indicator-years, 25 the number of municipalities per county.
REPORT_QUERIES = 25


def fresh(analysis, user):
    """The analysis as the view gets it from the access module."""
    return access.get_analysis_for_user(user, analysis.pk)


def test_report_context_runs_a_fixed_number_of_queries(
    analysis, rules, administrator, django_assert_num_queries
):
    fill(analysis, projects=1)
    add_indicator_values(analysis.municipality)
    analysis = fresh(analysis, administrator)
    with django_assert_num_queries(REPORT_QUERIES):
        ctx = report_context(analysis)
        # Reading everything the template reads triggers no further query.
        for project in ctx.projects:
            list(project.target_groups.all()), list(project.factors.all())
            str(project.responsible_unit)
        [row.task_area.name for row in ctx.responsibility_rows]


def test_report_query_count_does_not_grow_with_projects_or_answers(analysis, rules, administrator):
    fill(analysis, projects=1)
    with CaptureQueriesContext(connection) as small:
        report_context(fresh(analysis, administrator))
    for i in range(12):
        project = Project.objects.create(municipality=analysis.municipality, name=f"Ekstra {i}")
        project.factors.set(SuccessFactor.objects.all())
    with CaptureQueriesContext(connection) as large:
        ctx = report_context(fresh(analysis, administrator))
    assert len(ctx.projects) == 13
    assert len(large.captured_queries) == len(small.captured_queries)


def test_report_page_query_count_is_pinned(client_for, filled, django_assert_max_num_queries):
    client = client_for("planner")
    client.get(f"/rapport/{filled.pk}/")  # warm the session
    # The report's queries, plus session, user, memberships, the analysis, and the archive count.
    with django_assert_max_num_queries(REPORT_QUERIES + 5):
        assert client.get(f"/rapport/{filled.pk}/").status_code == 200
