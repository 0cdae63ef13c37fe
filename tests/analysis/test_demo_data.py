from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from analysis.models import Analysis, Membership, Role
from factors.models import FactorAssessment

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_four_flagged_nordland_analyses_and_five_users(demo_data):
    demo = Analysis.objects.filter(is_demo=True)
    assert sorted(demo.values_list("municipality__number", flat=True)) == [
        "1824",
        "1841",
        "1865",
        "1870",
    ]
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "radgiver",
        "planlegger",
        "leser",
        "planlegger.vefsn",
    }
    assert Membership.objects.get(user__username="planlegger").municipality.name == "Fauske"
    assert Membership.objects.get(user__username="radgiver").role == Role.ADVISER
    assert FactorAssessment.objects.filter(analysis__in=demo).count() == 24


def test_seed_demo_twice_changes_nothing(demo_data):
    before = FactorAssessment.objects.count(), Analysis.objects.count(), User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    after = FactorAssessment.objects.count(), Analysis.objects.count(), User.objects.count()
    assert before == after


def test_demo_analysis_page_says_it_is_demo_data(client, demo_data):
    client.force_login(User.objects.get(username="planlegger"))
    response = client.get("/", follow=True)
    assert "Fauske" in response.text
    assert "Demodata" in response.text
