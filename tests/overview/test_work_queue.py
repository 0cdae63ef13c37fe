"""The adviser's work queue (issue 15, item 6): analyses waiting for review first, the oldest
submission first; then those not submitted in a round open now, the round closing soonest
first, with the municipality's name and status."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.models import Analysis, AnalysisStatus, Round, StatusChange
from overview.selectors.queue import work_queue
from reference.models import Municipality, Questionnaire, Region
from tests.factories import FAUSKE, VEFSN, analysis_of

pytestmark = pytest.mark.django_db

NORDLAND = "Statsforvalteren i Nordland"


def submit(analysis: Analysis, when: datetime.datetime) -> None:
    StatusChange.objects.create(
        analysis=analysis,
        from_status=AnalysisStatus.IN_PROGRESS,
        to_status=AnalysisStatus.SUBMITTED,
        changed_at=when,
    )
    Analysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.SUBMITTED, submitted_at=when
    )


def region():
    return Region.objects.get(name=NORDLAND)


def nordland():
    return Municipality.objects.current().in_region(region())


def test_waiting_for_review_comes_first_oldest_submission_first(round_):
    now = timezone.now()
    submit(analysis_of(round_, FAUSKE), now - datetime.timedelta(days=1))
    submit(analysis_of(round_, VEFSN), now - datetime.timedelta(days=5))
    queue = work_queue(nordland(), timezone.localdate())
    assert [item.analysis.municipality.number for item in queue.waiting] == [VEFSN, FAUSKE]
    assert FAUSKE not in {item.municipality.number for item in queue.pending}


def test_not_submitted_analyses_follow_by_how_soon_their_round_closes(round_):
    today = round_.opens_on + datetime.timedelta(days=30)
    Analysis.objects.filter(pk=analysis_of(round_, FAUSKE).pk).update(
        status=AnalysisStatus.IN_PROGRESS
    )
    Analysis.objects.filter(pk=analysis_of(round_, VEFSN).pk).update(status=AnalysisStatus.APPROVED)
    # A second round open at the same time that closes sooner, where nobody has begun (no
    # analysis rows at all: each municipality counts as not started).
    sooner = Round.objects.create(
        year=round_.year + 5,
        title="Ekstrarunde",
        questionnaire=Questionnaire.objects.get(edition=1),
        opens_on=round_.opens_on,
        closes_on=today + datetime.timedelta(days=3),
    )
    queue = work_queue(nordland(), today)
    count = nordland().count()
    assert [item.round for item in queue.pending[:count]] == [sooner] * count
    assert all(item.status == AnalysisStatus.NOT_STARTED for item in queue.pending[:count])
    assert queue.pending[0].days_left == 3
    later = queue.pending[count:]
    assert VEFSN not in {item.municipality.number for item in later}  # approved: done
    # In the same round, those not started before those in progress.
    statuses = [item.status for item in later]
    assert statuses[-1] == AnalysisStatus.IN_PROGRESS
    assert later[-1].municipality.number == FAUSKE


def test_the_adviser_opens_the_work_queue_from_the_region_overview(client_for, round_):
    submit(analysis_of(round_, VEFSN), timezone.now())
    client = client_for("adviser")
    overview = client.get(reverse("overview:region", args=[region().pk])).text
    url = reverse("overview:work_queue", args=[region().pk])
    assert url in overview
    page = client.get(url)
    assert page.status_code == 200
    assert "Venter på vurdering" in page.text
    assert "Vefsn" in page.text
    assert reverse("analysis:review", args=[analysis_of(round_, VEFSN).pk]) in page.text
    assert "Fauske" in page.text  # not started in the open round


@pytest.mark.parametrize("persona", ["planner", "reader", "outside_adviser"])
def test_nobody_but_the_regions_advisers_sees_its_work_queue(client_for, round_, persona):
    url = reverse("overview:work_queue", args=[region().pk])
    assert client_for(persona).get(url).status_code == 404


def test_the_work_queue_runs_a_fixed_number_of_queries(client_for, round_, queries_on_reload):
    url = reverse("overview:work_queue", args=[region().pk])
    client = client_for("adviser")
    little = queries_on_reload(client, url)
    now = timezone.now()
    for i, analysis in enumerate(Analysis.objects.filter(round=round_)[:5]):
        submit(analysis, now - datetime.timedelta(days=i))
    much = queries_on_reload(client, url)
    # session, user, memberships (the region among them, access); the submitted analyses, the
    # rounds open today, the municipalities, their analyses in those rounds (+ 1 for the
    # region before it came with the adviser's memberships)
    assert [little, much] == [3 + 4, 3 + 4]
