"""Two administrators open a round at the same moment (issue 11, defect 8). The requests run
in two threads against the real database (SQLite or PostgreSQL): one round is opened, the
other person gets the form again with the usual error, never a 500, and never two rounds
open at once."""

import contextlib
import threading

import pytest
from django.test import Client
from django.urls import reverse

from analysis.models import Analysis, Round
from tests.analysis.sections.test_concurrent_saves import run_together

# Transactional: the two threads use their own connections and must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

# Long enough for the other thread to reach the meeting point if nothing holds it back.
MEETING_TIMEOUT = 1.0


@pytest.fixture
def meeting_point(monkeypatch):
    """Each opening, after its checks and before it writes the round, waits for the other to
    have checked too. Without a lock both find nothing in the way, meet here and both write;
    with it the second cannot check until the first has committed, so the first waits out
    the timeout alone and the second then finds the first's round."""
    barrier = threading.Barrier(2, timeout=MEETING_TIMEOUT)
    original = Round.full_clean

    def check_then_meet(self, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Round, "full_clean", check_then_meet)
    return barrier


def opening(administrator, questionnaire, year, opens_on, closes_on):
    client = Client()
    client.force_login(administrator)
    data = {
        "year": year,
        "title": f"Foranalyse {year}",
        "questionnaire": questionnaire.pk,
        "opens_on": opens_on,
        "closes_on": closes_on,
    }
    return client, reverse("analysis:rounds"), data


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ((2030, "2030-01-01", "2030-12-31"), "Det finnes allerede en runde for 2030."),
        (
            (2031, "2030-06-01", "2031-05-31"),
            "Datoene overlapper med {winner}. Bare én runde kan være åpen om gangen.",
        ),
    ],
    ids=["same year", "overlapping years"],
)
def test_two_openings_at_once_open_one_round_and_tell_the_other(
    administrator, round_, meeting_point, second, message
):
    questionnaire = round_.questionnaire
    first = opening(administrator, questionnaire, 2030, "2030-01-01", "2030-12-31")

    responses = run_together(first, opening(administrator, questionnaire, *second))

    assert sorted(r.status_code for r in responses) == [200, 302]
    [winner] = Round.objects.filter(year__gte=2030)
    refused = next(r for r in responses if r.status_code == 200)
    assert message.format(winner=winner.title) in refused.text
    assert Analysis.objects.filter(round__year__gte=2030).count() == (
        Analysis.objects.filter(round=winner).count()
    )


def test_the_admin_opens_no_round_beside_the_rounds_page(administrator, round_):
    client = Client()
    client.force_login(administrator)
    assert client.get(reverse("admin:analysis_round_add")).status_code == 403
