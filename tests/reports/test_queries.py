"""The report reads a fixed number of queries: none per factor, project, unit or answer."""

import datetime
import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse

from analysis import access
from analysis.models import ActorKind, Answer, CooperationBody, ExternalActor, Project
from factors.models import Invitation, UserFactorRating, UserOrganisationInput
from reference.models import Question, SuccessFactor, TargetGroup
from reports.models import ArchivedReport
from reports.selectors import report_context
from tests.reports.conftest import add_indicator_values, fill

pytestmark = pytest.mark.django_db

# 1 success factors, 2 assessments, 3 maturity levels, 4 sections, 5 questions, 6 answers,
# 7 task areas, 8 cells, 8b task areas answered without a unit, 9 units (the
# responsibility map), 10 cooperation bodies,
# 11 external actors, 12 instruments, 13 allocation practices, 14 projects active in the
# period (with their unit), 15 their target groups, 16 their funding, 17 their factors,
# 18 user-organisation inputs (with invitation), 19 their ratings, 20 recommendation rules,
# key figures (analysis.selectors.indicators): 21 indicators, 22 the municipality's values,
# and as it has some: 23 its KOSTRA groups, 24 the official county, country and group
# figures, 25 every municipality's values for those indicator-years, 26 the number of
# municipalities per county; 27 the municipality's own figures; 28 the previous round's
# assessments (with their round); the task areas answered without a unit; the plan: 29 the measures
# (with unit, owner, funding, round), 30 their status changes (with who and round; none without
# measures); 31 the scores of every round (the trend); for the cover and the method and
# background: 32 the submission and approval (with who), 33 the units given a section,
# 34 the user organisations invited; 35 the proposed decision (plans); 36 the key figures'
# version (the figures are computed once for each version, keyfigures/versions.py).
REPORT_QUERIES = 37


def fresh(analysis, user):
    """The analysis as the view gets it from the access module."""
    return access.get_analysis_for_user(user, analysis.pk)


def grow(analysis) -> None:
    """Many more of everything that is listed: projects with target groups and factors,
    cooperation bodies, external actors, every question answered, a second user view."""
    year = analysis.round.year
    groups = list(TargetGroup.objects.all())
    for i in range(15):
        project = Project.objects.create(
            municipality=analysis.municipality,
            name=f"Ekstra {i}",
            starts_on=datetime.date(year, 1, 1),
        )
        project.factors.set(SuccessFactor.objects.all())
        project.target_groups.set(groups)
    for i in range(8):
        CooperationBody.objects.create(analysis=analysis, name=f"Organ {i}", is_formal=True)
        ExternalActor.objects.create(analysis=analysis, kind=ActorKind.OTHER, name=f"Aktør {i}")
    for question in Question.objects.filter(section__questionnaire=analysis.round.questionnaire):
        Answer.objects.update_or_create(
            analysis=analysis, question=question, defaults={"value": "Svar."}
        )
    invitation = Invitation.objects.create(
        analysis=analysis,
        organisation_name="Marborg",
        token=f"second-{analysis.pk}",
        expires_at=datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC),
    )
    second = UserOrganisationInput.objects.create(invitation=invitation, comment="Mer.")
    for factor in SuccessFactor.objects.all():
        UserFactorRating.objects.create(input=second, factor=factor, score=2)


@pytest.mark.parametrize("size", ["small", "large"])
def test_report_context_runs_the_same_queries_whatever_its_size(
    analysis, rules, administrator, django_assert_num_queries, size
):
    fill(analysis, projects=1)
    add_indicator_values(analysis.municipality)
    if size == "large":
        grow(analysis)
    analysis = fresh(analysis, administrator)
    with django_assert_num_queries(REPORT_QUERIES):
        ctx = report_context(analysis)
        # Reading everything the template reads triggers no further query.
        for project in ctx.projects:
            list(project.target_groups.all()), list(project.factors.all())
            list(project.funding_sources.all()), str(project.responsible_unit)
        [row.task_area.name for row in ctx.responsibility_rows]
        [view.scores for view in ctx.user_views]
    assert len(ctx.projects) == (16 if size == "large" else 1)


# The page adds, before the report's own queries: 1 session, 2 user, 3 memberships (access),
# 4 the analysis (with municipality, county, region, round, questionnaire), 5 the number of
# archived PDFs, 6 the key figures' token (reports/versions.py; the analysis's content token
# comes with the analysis).
PAGE_QUERIES = REPORT_QUERIES + 6
# Once rendered, until something it shows changes: 1–6 above and nothing of the report's own.
WARM_PAGE_QUERIES = 6


@pytest.mark.parametrize("size", ["small", "large"])
def test_report_page_query_count_is_pinned(
    client_for, analysis, rules, django_assert_num_queries, size
):
    fill(analysis, projects=1)
    add_indicator_values(analysis.municipality)
    if size == "large":
        grow(analysis)
    client = client_for("planner")
    with django_assert_num_queries(PAGE_QUERIES):
        cold = client.get(f"/rapport/{analysis.pk}/")
    with django_assert_num_queries(WARM_PAGE_QUERIES):
        warm = client.get(f"/rapport/{analysis.pk}/")
    assert cold.status_code == warm.status_code == 200
    assert _without_csrf(warm.text) == _without_csrf(cold.text)


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def archive_by(analysis, user: User, i: int) -> ArchivedReport:
    """An archived PDF as the archive service leaves it; the list reads only the row."""
    content = f"%PDF-1.7 arkiv {i}".encode()
    return ArchivedReport.objects.create(
        analysis=analysis,
        file=ContentFile(content, name=f"arkiv-{i}.pdf"),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        analysis_version=i,
        language="nn" if i % 2 else "nb",
        created_by=user,
    )


# 1 session, 2 user, 3 memberships, 4 the analysis (with municipality, county, region, round,
# questionnaire), 5 the archived PDFs (with who made them)
ARCHIVE_LIST_QUERIES = 5


def test_the_archive_list_runs_as_many_queries_for_four_archived_pdfs_as_for_one(
    client_for, analysis, planner, queries_on_reload
):
    url = reverse("reports:archive_list", args=[analysis.pk])
    client = client_for("planner")
    archive_by(analysis, planner, 0)
    little = queries_on_reload(client, url)
    # Each by another colleague, so a per-row lookup of who made it would show.
    for i in range(1, 4):
        archive_by(analysis, User.objects.create_user(f"kollega{i}"), i)
    much = queries_on_reload(client, url)
    page = client.get(url)
    assert len(page.context["archived"]) == 4
    assert all(f"kollega{i}" in page.text for i in range(1, 4))
    assert [little, much] == [ARCHIVE_LIST_QUERIES, ARCHIVE_LIST_QUERIES]
