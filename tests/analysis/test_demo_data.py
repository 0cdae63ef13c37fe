from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from analysis.models import Analysis, AnalysisStatus, Membership, Region, Role, StatusChange
from analysis.selectors.progress import section_progress, submission_blockers
from factors.models import FactorAssessment

pytestmark = pytest.mark.django_db

DEMO_NUMBERS = ["1824", "1841", "1865", "1870"]


def test_seed_demo_creates_two_rounds_of_flagged_nordland_analyses_and_the_users(demo_data):
    year = timezone.localdate().year
    for round_year in (year - 1, year):
        demo = Analysis.objects.filter(is_demo=True, round__year=round_year)
        assert sorted(demo.values_list("municipality__number", flat=True)) == DEMO_NUMBERS
        assert FactorAssessment.objects.filter(analysis__in=demo).count() == 24
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "radgiver",
        "planlegger",
        "leser",
        "planlegger.vefsn",
        "planlegger.sortland",
        "planlegger.vagan",
    }
    assert Membership.objects.get(user__username="planlegger").municipality.name == "Fauske"
    assert Membership.objects.get(user__username="planlegger.vagan").municipality.name == "Vågan"
    assert Membership.objects.get(user__username="radgiver").role == Role.ADVISER
    # every demo user says it is a demo user
    for user in User.objects.filter(username__in=["planlegger.sortland", "planlegger.vagan"]):
        assert user.last_name.endswith("(demo)")


def test_seed_demo_twice_changes_nothing(demo_data):
    before = (
        FactorAssessment.objects.count(),
        Analysis.objects.count(),
        User.objects.count(),
        StatusChange.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    after = (
        FactorAssessment.objects.count(),
        Analysis.objects.count(),
        User.objects.count(),
        StatusChange.objects.count(),
    )
    assert before == after


def test_demo_analysis_page_says_it_is_demo_data(client, demo_data):
    client.force_login(User.objects.get(username="planlegger"))
    response = client.get("/", follow=True)
    assert "Fauske" in response.text
    assert "Demodata" in response.text


def test_submitted_and_approved_demo_analyses_are_complete(demo_data):
    finished = Analysis.objects.filter(
        is_demo=True, status__in=[AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED]
    )
    assert finished.count() == 6  # last round's four, and Sortland and Vefsn this round
    for analysis in finished:
        assert submission_blockers(section_progress(analysis)) == [], analysis


def test_demo_status_log_and_last_activity_name_plausible_people(demo_data):
    year = timezone.localdate().year
    current = {
        a.municipality.number: a
        for a in Analysis.objects.filter(is_demo=True, round__year=year).select_related(
            "last_activity_by"
        )
    }
    assert current["1841"].last_activity_by.username == "planlegger"
    assert current["1865"].last_activity_by.username == "planlegger.vagan"
    assert current["1870"].last_activity_by.username == "planlegger.sortland"
    assert current["1824"].last_activity_by.username == "radgiver"  # the approval was last
    log = list(
        StatusChange.objects.filter(analysis=current["1824"]).values_list(
            "to_status", "changed_by__username"
        )
    )
    assert log == [
        ("in_progress", "planlegger.vefsn"),
        ("submitted", "planlegger.vefsn"),
        ("approved", "radgiver"),
    ]
    for analysis in current.values():
        assert analysis.previous.round.year == year - 1


def test_after_seeding_the_overview_shows_change_since_last_round(client, demo_data):
    client.force_login(User.objects.get(username="radgiver"))
    region = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client.get(reverse("analysis:region", args=[region.pk]))
    rows = {r.municipality.number: r for r in response.context["rows"]}
    assert len(rows) == 41
    assert rows["1841"].changes == {1: 1, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0}
    assert "▲+1" in response.text
