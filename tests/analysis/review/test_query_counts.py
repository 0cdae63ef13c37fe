"""The review page, the rounds page and the answers export run a fixed number of queries,
however many comments, status changes, rounds and answers there are (DESIGN.md, Speed). Each
is measured with a little and with a lot of data, and both counts are pinned to one number."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

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

# sections, their questions, the answers, top-level comments (with author and question),
# their replies (with author), status changes (with who), assessments (with factor), the
# current round (whether the analysis can still be sent back); and, for an adviser, the audit
# log's note that they opened the analysis
REVIEW_QUERIES = ANALYSIS + 8 + 1
# the newest round and the newest published edition (the suggested next round), the rounds
# (with edition), the edition choices
ROUNDS_QUERIES = BASE + 4
# answers, sections, questions, the map (with unit), the task areas answered without a
# unit, task areas, cooperation bodies, external actors, allocation practices, instruments,
# assessments (with factor), projects; the audit log's note of the export
ANSWERS_EXPORT_QUERIES = ANALYSIS + 12 + 1


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
    # Each new comment and status change by someone else, so a per-row author lookup shows.
    for i in range(1, 5):
        author = User.objects.create_user(f"radgiver{i}")
        comment_with_reply(analysis, author, planner, i)
        status_change(analysis, author, i)
    much = queries_on_reload(client, url)
    page = client.get(url)
    assert page.context["open_comments"] == 5
    assert page.text.count("Runde ") == 5
    assert [little, much] == [REVIEW_QUERIES, REVIEW_QUERIES]


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
