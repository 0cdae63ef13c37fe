import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from analysis.models import Analysis, AnalysisStatus, StatusChange
from analysis.selectors.progress import section_progress, submission_blockers
from factors.models import FactorAssessment
from reference.models import Region
from tests import module_data

pytestmark = pytest.mark.django_db

DEMO_NUMBERS = ["1824", "1841", "1865", "1870"]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module's tests (about 1.5 s a seeding); each test's
    own changes, a second seeding among them, are rolled back before the next
    (tests/module_data.py). A test without demo data belongs in test_real_analyses.py."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        call_command("seed_demo", stdout=StringIO())
        yield


@pytest.fixture
def demo_data(seeded_once, db):
    """The demo data seeded once (conftest.py's fixture would seed it again)."""


def test_seed_demo_creates_three_rounds_of_flagged_nordland_analyses_and_the_users(demo_data):
    year = timezone.localdate().year
    for round_year in (year - 2, year - 1, year):
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
    # the two earlier rounds' four each, and Sortland and Vefsn this round
    assert finished.count() == 10
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
    response = client.get(reverse("overview:region", args=[region.pk]))
    rows = {r.municipality.number: r for r in response.context["rows"]}
    assert len(rows) == 41
    assert rows["1841"].changes == {1: 1, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0}
    assert "▲+1" in response.text


def demo_fauske():
    return Analysis.objects.filter(municipality__number="1841", is_demo=True).latest("round__year")


def pages_of(analysis) -> dict[str, str]:
    """Every page of an analysis a planner or a user organisation opens."""
    from analysis.models import Project
    from factors.services.invitations import create_invitation
    from reference.models import Question

    a = analysis.pk
    project = analysis.municipality.projects.first() or Project.objects.create(
        municipality=analysis.municipality, name="Demo"
    )
    question = Question.objects.filter(section__questionnaire=analysis.round.questionnaire)[0]
    pages = {
        name: reverse(f"analysis:{name}", args=[a])
        for name in [
            "detail",
            "responsibility_map",
            "map_history",
            "cooperation",
            "cooperation_history",
            "allocation",
            "allocation_history",
            "projects",
            "project_create",
            "assignments",
            "assignment_history",
            "key_figures",
            "review",
        ]
    }
    pages["factors"] = reverse("factors:assessments", args=[a])
    for section in analysis.round.questionnaire.sections.all():
        pages[f"section {section.key}"] = reverse("analysis:section", args=[a, section.key])
    pages |= {
        "cooperation_add": reverse("analysis:cooperation_add", args=[a, "organ"]),
        "project_edit": reverse("analysis:project_edit", args=[a, project.pk]),
        "project_history": reverse("analysis:project_history", args=[a, project.pk]),
        "answer_history": reverse("analysis:answer_history", args=[a, question.pk]),
        "assessment_history": reverse("factors:assessment_history", args=[a, 1]),
        "invitations": reverse("factors:invitations", args=[a]),
        "report": reverse("reports:report", args=[a]),
        "archive_list": reverse("reports:archive_list", args=[a]),
        "measures": reverse("plans:measures", args=[a]),
        "measure_create": reverse("plans:measure_create", args=[a]),
        "check_answers": reverse("analysis:check_answers", args=[a]),
    }
    if analysis.is_editable:
        invitation = create_invitation(
            analysis=analysis,
            organisation_name="Demo-brukerforeningen",
            by=User.objects.get(username="planlegger"),
        )
        pages["invitation_answer"] = reverse("factors:invitation_answer", args=[invitation.token])
    return pages


def as_who_opens(name: str, planner_client):
    """The user organisation answers without an account (nobody logged in may answer)."""
    return Client() if name == "invitation_answer" else planner_client


def test_every_page_of_a_demo_analysis_says_the_data_is_invented(client, demo_data):
    client.force_login(User.objects.get(username="planlegger"))
    for name, url in pages_of(demo_fauske()).items():
        response = as_who_opens(name, client).get(url)
        assert response.status_code == 200, name
        assert "Demodata" in response.text, name


def test_a_new_round_for_a_demo_municipality_is_demo_data_before_and_after_copying(
    client, demo_data
):
    from analysis.services.rounds import open_round, start_from_previous_round
    from reference.models import Questionnaire

    year = timezone.localdate().year
    next_round = open_round(
        year=year + 1,
        title=f"Foranalyse {year + 1}",
        questionnaire=Questionnaire.objects.get(edition=1),
        opens_on=datetime.date(year + 1, 1, 1),
        closes_on=datetime.date(year + 1, 12, 31),
    )
    fauske = Analysis.objects.get(round=next_round, municipality__number="1841")
    assert fauske.is_demo
    # a municipality without demo data is not marked
    assert not Analysis.objects.get(round=next_round, municipality__number="1804").is_demo
    planner = User.objects.get(username="planlegger")
    client.force_login(planner)
    assert "Demodata" in client.get(fauske.get_absolute_url()).text

    copy = start_from_previous_round(analysis=fauske, by=planner)
    assert copy.is_demo and copy.previous == demo_fauske_of(year)
    for name, url in pages_of(copy).items():
        assert "Demodata" in as_who_opens(name, client).get(url).text, name


def demo_fauske_of(year):
    return Analysis.objects.get(municipality__number="1841", round__year=year)


def test_fauske_has_a_plan_of_measures_one_waiting_for_this_rounds_update(client, demo_data):
    from plans.models import Measure, MeasureStatus
    from plans.selectors import needing_update

    year = timezone.localdate().year
    measures = Measure.objects.filter(municipality__number="1841")
    assert measures.count() == 4
    assert set(measures.values_list("status", flat=True)) == {
        MeasureStatus.PLANNED,
        MeasureStatus.STARTED,
        MeasureStatus.DONE,
    }
    assert all(m.responsible_unit and m.owner and m.deadline for m in measures)
    analysis = Analysis.objects.get(municipality__number="1841", round__year=year)
    assert list(needing_update(analysis).values_list("title", flat=True)) == [
        "Skriftlige kriterier for tildeling av kommunale boliger (demo)"
    ]
    call_command("seed_demo", stdout=StringIO())
    assert measures.count() == 4


def test_fauskes_demo_analysis_has_a_proposed_decision_from_its_plan(demo_data):
    from plans.models import DecisionProposal

    year = timezone.localdate().year
    proposal = DecisionProposal.objects.get(
        analysis__municipality__number="1841", analysis__round__year=year
    )
    assert proposal.text.startswith(f"1. Kommunestyret tar «Foranalyse {year}» for Fauske")
    assert "Utarbeide en boligsosial handlingsplan (demo)" in proposal.text
    assert "(demo)" in proposal.text
    call_command("seed_demo", stdout=StringIO())
    assert DecisionProposal.objects.count() == 1
