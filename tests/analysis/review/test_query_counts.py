"""The review page, the rounds page and the answers export run a fixed number of queries,
however many comments, status changes, rounds and answers there are (DESIGN.md, Speed). Each
is measured with a little and with a lot of data, and both counts are pinned to one number.
The review page keeps what it computed under the analysis's content token
(analysis/versions.py): it is pinned both when it computes afresh and when it reads the cache."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis import versions
from analysis.models import AnalysisStatus, StatusChange
from analysis.services import review
from reference.models import Question
from tests.analysis.test_query_counts import populate
from tests.factories import open_year

pytestmark = pytest.mark.django_db

# Every page starts with: the session, the user, the user's memberships.
BASE = 3
# The analysis, with its municipality, county, region, round and questionnaire (access).
ANALYSIS = BASE + 1

# Whenever the page is shown: top-level comments (with author and question), their replies
# (with author), the office's internal notes; and, for an adviser, the audit log's note that
# they opened the analysis. Nothing else while the analysis's content token is unchanged.
REVIEW_CACHED = ANALYSIS + 3 + 1
# Computed afresh: sections, their questions, the answers, status changes (with who), the
# current round (whether the analysis can still be sent back)
REVIEW_BASE = REVIEW_CACHED + 5
# Every part read-only (issue 15, item 6), each without previous round and with the parts
# empty: the previous round's analysis (none here); the map (task areas, units, cells, gaps);
# cooperation bodies, external actors; allocation practices, instruments; success factors,
# assessments, user organisations' answers; projects; the plan (measures waiting for this
# round's word, the measures)
PARTS = 1 + 4 + 2 + 2 + 3 + 1 + 2
REVIEW_QUERIES = REVIEW_BASE + PARTS
# With a previous round and something in every part: the previous round's answers, map (4),
# bodies, actors, allocation practices and assessments; the user organisations' ratings; the
# projects' target groups, funding sources and factors; the measures' factors and status
# changes
REVIEW_FULL_QUERIES = REVIEW_QUERIES + 1 + 4 + 2 + 1 + 1 + 1 + 3 + 2
# the newest round and the newest published edition (the suggested next round), the rounds
# (with edition), the edition choices
ROUNDS_QUERIES = BASE + 4
# answers, sections, questions, the map (with unit), the task areas answered without a
# unit, task areas, cooperation bodies, external actors, allocation practices, instruments,
# assessments (with factor), projects; the audit log's note of the export
ANSWERS_EXPORT_QUERIES = ANALYSIS + 12 + 1


def queries_computing_afresh(client, url: str, analysis) -> int:
    """The queries of a GET of `url` after a change of what the analysis's pages show."""
    versions.changed_for_municipality(analysis.municipality_id)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def comment_with_reply(analysis, adviser, planner, i: int) -> None:
    """A comment on a question (every other one on the section as a whole), by the adviser,
    with a reply from the planner."""
    question = Question.objects.filter(section__questionnaire=analysis.round.questionnaire)[i]
    target = {"question": question} if i % 2 else {"section": question.section}
    comment = review.add_comment(analysis=analysis, author=adviser, body=f"Merknad {i}", **target)
    review.add_comment(analysis=analysis, author=planner, body=f"Svar {i}", parent=comment)


def status_change(analysis, user, i: int) -> None:
    StatusChange.objects.create(
        analysis=analysis,
        from_status=AnalysisStatus.SUBMITTED,
        to_status=AnalysisStatus.SENT_BACK,
        changed_by=user,
        message=f"Runde {i}",
    )


def test_the_review_page_runs_as_many_queries_for_five_comments_as_for_one(
    client_for, analysis, adviser, planner, queries_on_reload
):
    url = reverse("analysis:review", args=[analysis.pk])
    client = client_for("adviser")
    comment_with_reply(analysis, adviser, planner, 0)
    status_change(analysis, adviser, 0)
    little = queries_on_reload(client, url)
    little_afresh = queries_computing_afresh(client, url, analysis)
    # Each new comment and status change by someone else, so a per-row author lookup shows.
    for i in range(1, 5):
        author = User.objects.create_user(f"radgiver{i}")
        comment_with_reply(analysis, author, planner, i)
        status_change(analysis, author, i)
    much = queries_on_reload(client, url)
    much_afresh = queries_computing_afresh(client, url, analysis)
    page = client.get(url)
    assert page.context["open_comments"] == 5
    assert page.text.count("Runde ") == 5
    assert [little, much] == [REVIEW_CACHED, REVIEW_CACHED]
    assert [little_afresh, much_afresh] == [REVIEW_QUERIES, REVIEW_QUERIES]


def later_round(year: int, edition: int):
    return open_year(year, edition=edition)


def test_the_rounds_page_runs_as_many_queries_for_three_rounds_as_for_one(
    client_for, round_, queries_on_reload
):
    url = reverse("analysis:rounds")
    client = client_for("administrator")
    little = queries_on_reload(client, url)
    later_round(2027, 1)
    later_round(2028, 1)
    much = queries_on_reload(client, url)
    assert [r.year for r in client.get(url).context["rounds"]] == [2028, 2027, 2026]
    assert [little, much] == [ROUNDS_QUERIES, ROUNDS_QUERIES]


def test_the_answers_export_runs_as_many_queries_for_much_as_for_little(
    client_for, analysis, other_analysis, planner, queries_on_reload
):
    """Fauske with one of everything, Vefsn with five: units, answers, projects, bodies,
    actors, allocation and assessments, each saved five times."""
    populate(analysis, planner, 1)
    populate(other_analysis, planner, 5)
    client = client_for("administrator")
    little = queries_on_reload(client, reverse("reports:answers_export", args=[analysis.pk]))
    much = queries_on_reload(client, reverse("reports:answers_export", args=[other_analysis.pk]))
    assert [little, much] == [ANSWERS_EXPORT_QUERIES, ANSWERS_EXPORT_QUERIES]


def test_the_review_page_with_every_part_runs_as_many_queries_for_much_as_for_little(
    client_for, analysis, last_year, adviser, planner, queries_on_reload
):
    """Both rounds with one of each kind of row, then five times as many bodies, actors,
    projects, measures, user organisations and internal notes."""
    import datetime

    from analysis.models import CooperationBody, ExternalActor, Project
    from factors.models import Invitation, UserFactorRating, UserOrganisationInput
    from plans.models import Measure
    from reference.models import FundingSource, SuccessFactor, TargetGroup
    from tests.analysis.review.test_every_part_and_internal_notes import fill_both_rounds

    fill_both_rounds(analysis, last_year)
    project = Project.objects.get(municipality=analysis.municipality)
    project.target_groups.set(TargetGroup.objects.all()[:1])
    project.funding_sources.set(FundingSource.objects.all()[:1])
    project.factors.set(SuccessFactor.objects.all()[:1])
    review.add_internal_note(analysis=analysis, author=adviser, body="Notat 0")
    comment_with_reply(analysis, adviser, planner, 0)
    url = reverse("analysis:review", args=[analysis.pk])
    client = client_for("adviser")
    little = queries_on_reload(client, url)
    little_afresh = queries_computing_afresh(client, url, analysis)
    for i in range(1, 6):
        CooperationBody.objects.create(analysis=analysis, name=f"Organ {i}")
        CooperationBody.objects.create(analysis=last_year, name=f"Organ {i}", members="x")
        ExternalActor.objects.create(analysis=analysis, kind="other", name=f"Aktør {i}")
        more = Project.objects.create(municipality=analysis.municipality, name=f"Prosjekt {i}")
        more.target_groups.set(TargetGroup.objects.all())
        more.factors.set(SuccessFactor.objects.all())
        Measure.objects.create(
            municipality=analysis.municipality, planned_in=analysis.round, title=f"Tiltak {i}"
        )
        invitation = Invitation.objects.create(
            analysis=analysis,
            organisation_name=f"Organisasjon {i}",
            token=f"queries-{i}",
            expires_at=datetime.datetime(analysis.round.year + 1, 1, 1, tzinfo=datetime.UTC),
        )
        given = UserOrganisationInput.objects.create(invitation=invitation, comment=f"Syn {i}")
        for factor in SuccessFactor.objects.all():
            UserFactorRating.objects.create(input=given, factor=factor, score=3)
        review.add_internal_note(
            analysis=analysis, author=User.objects.create_user(f"radgiver{i}"), body=f"Notat {i}"
        )
    much = queries_on_reload(client, url)
    much_afresh = queries_computing_afresh(client, url, analysis)
    page = client.get(url).text
    assert "Organisasjon 5" in page and "Prosjekt 5" in page and "Notat 5" in page
    assert [little, much] == [REVIEW_CACHED, REVIEW_CACHED]
    assert [little_afresh, much_afresh] == [REVIEW_FULL_QUERIES, REVIEW_FULL_QUERIES]


@pytest.fixture
def last_year(round_):
    from tests.analysis.review.test_every_part_and_internal_notes import FAUSKE, analysis_of

    earlier = analysis_of(open_year(round_.year - 1), FAUSKE)
    earlier.status = AnalysisStatus.APPROVED
    earlier.save()
    return earlier
