"""Two analyses of one municipality (last round's, sent back, and the current one) add the
same unit name at the same moment, in two threads against the real database (issue 11,
defect 9). Each save locks its own analysis, so only the database's constraint can see the
other: one unit is stored, the other person reads the usual error, never a 500."""

import contextlib
import threading

import pytest
from django.test import Client
from django.urls import reverse

from analysis.models import AnalysisStatus, Unit
from analysis.services import structures as services
from tests.analysis.sections.test_concurrent_saves import run_together
from tests.factories import FAUSKE, analysis_of, open_year

pytestmark = pytest.mark.django_db(transaction=True)

MEETING_TIMEOUT = 1.0


@pytest.fixture
def meeting_point(monkeypatch):
    """Each save, right after its check found the name free, waits for the other to have
    checked too; without the constraint both then write."""
    barrier = threading.Barrier(2, timeout=MEETING_TIMEOUT)
    original = services._check_unit_name

    def check_then_meet(unit):
        original(unit)
        if threading.current_thread() is not threading.main_thread():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    monkeypatch.setattr(services, "_check_unit_name", check_then_meet)
    return barrier


@pytest.mark.parametrize("names", [("race-x", "race-x"), ("race-x", "RACE-X")])
def test_the_same_name_added_from_two_analyses_at_once_is_stored_once(
    analysis, planner, meeting_point, names
):
    sent_back = analysis_of(open_year(analysis.round.year - 1), FAUSKE)
    sent_back.status = AnalysisStatus.SENT_BACK
    sent_back.save()
    posts = []
    for target, name in zip([analysis, sent_back], names, strict=True):
        client = Client()
        client.force_login(planner)
        posts.append((client, reverse("analysis:unit_add", args=[target.pk]), {"name": name}))

    responses = run_together(*posts)

    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "Det finnes allerede en enhet som heter" in refused.text
    assert Unit.objects.filter(municipality=analysis.municipality).count() == 1
