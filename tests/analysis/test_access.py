"""The access matrix: each persona gets exactly what DESIGN.md says, on every view."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import Membership, Role
from analysis import access
from analysis.forms.sections import AssignmentForm
from analysis.models import SectionAssignment
from reference.models import Municipality, Region
from tests.test_settings import PRODUCTION, run

pytestmark = pytest.mark.django_db

READ_ANALYSIS = {
    "planner": 200,
    "reader": 200,
    "adviser": 200,
    "administrator": 200,
    "outside_adviser": 404,
    "other_planner": 404,
}


@pytest.mark.parametrize(("persona", "status"), READ_ANALYSIS.items())
def test_analysis_page_answers_each_persona_as_designed(client_for, analysis, persona, status):
    response = client_for(persona).get(reverse("analysis:detail", args=[analysis.pk]))
    assert response.status_code == status
    # The page shown is this analysis, not some other page that happens to answer 200.
    assert (analysis.round.title in response.text) == (status == 200)


def test_anonymous_visitor_is_sent_to_the_login_page(client_for, analysis):
    response = client_for("anonymous").get(reverse("analysis:detail", args=[analysis.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_analysis_is_404_like_a_forbidden_one(client_for, analysis):
    assert client_for("planner").get(reverse("analysis:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "adviser": 200,
        "administrator": 200,
        "outside_adviser": 404,
        "planner": 404,
        "reader": 404,
        "other_planner": 404,
    }.items(),
)
def test_region_page_answers_each_persona_as_designed(client_for, round_, persona, status):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for(persona).get(reverse("overview:region", args=[nordland.pk]))
    assert response.status_code == status
    if status == 200:
        rows = response.context["rows"]
        assert (
            len(rows)
            == Municipality.objects.filter(county__region=nordland, valid_to__isnull=True).count()
        )
        assert "Fauske" in response.text and "Vefsn" in response.text


def test_anonymous_visitor_cannot_see_a_region(client_for, round_):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for("anonymous").get(reverse("overview:region", args=[nordland.pk]))
    assert response.status_code == 302


def test_planner_lands_on_own_municipality_analysis(client_for, analysis):
    response = client_for("planner").get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == analysis.get_absolute_url()


def test_adviser_lands_on_the_region(client_for, round_):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for("adviser").get(reverse("home"))
    assert response["Location"] == reverse("overview:region", args=[nordland.pk])


def test_region_page_lists_all_41_nordland_municipalities(client_for, round_):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for("adviser").get(reverse("overview:region", args=[nordland.pk]))
    assert len(response.context["rows"]) == 41
    assert "Fauske" in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    {"administrator": 200, "adviser": 302, "planner": 302, "anonymous": 302}.items(),
)
def test_only_administrators_reach_the_admin(client_for, round_, persona, status):
    assert client_for(persona).get("/admin/").status_code == status


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


HEALTH_CHECK = (
    "import django; django.setup(); from django.test import Client;"
    "r = Client(raise_request_exception=False).get('/healthz');"
    "print(r.status_code); print(r.content.decode())"
)


def test_healthz_says_unavailable_without_a_traceback_when_the_database_is_down(tmp_path):
    """A real outage, in a production process: the database file cannot be opened."""
    unreachable = tmp_path / "no-such-folder" / "boligsosial.sqlite3"
    result = run(
        ["-c", HEALTH_CHECK],
        **{**PRODUCTION, "ALLOWED_HOSTS": "testserver"},
        DATABASE_URL=f"sqlite:///{unreachable}",
    )
    assert result.returncode == 0, result.stderr
    # Production logs to standard output, one JSON object a line, before what the test prints.
    *log, status, body = result.stdout.rstrip("\n").split("\n")
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable"}
    for leak in ["Traceback", "OperationalError", "unable to open", str(unreachable)]:
        assert leak not in body
    # The operator finds the reason in the log.
    assert "the database cannot be reached: unable to open database file" in [
        json.loads(line)["msg"].split(": ", 1)[1] for line in log
    ]


def test_adviser_reads_but_cannot_write(adviser, analysis):
    assert access.get_analysis_for_user(adviser, analysis.pk) == analysis
    with pytest.raises(PermissionDenied):
        access.get_analysis_for_user(adviser, analysis.pk, write=True)


def test_reader_reads_but_cannot_write(reader, analysis):
    assert access.get_analysis_for_user(reader, analysis.pk) == analysis
    with pytest.raises(PermissionDenied):
        access.get_analysis_for_user(reader, analysis.pk, write=True)


def test_planner_writes_own_but_cannot_review(planner, analysis):
    assert access.get_analysis_for_user(planner, analysis.pk, write=True) == analysis
    with pytest.raises(PermissionDenied):
        access.get_analysis_for_user(planner, analysis.pk, review=True)


def test_planner_of_another_municipality_gets_404_even_for_writes(other_planner, analysis):
    with pytest.raises(Http404):
        access.get_analysis_for_user(other_planner, analysis.pk, write=True)


def test_adviser_sees_only_the_region_municipalities(adviser, outside_adviser):
    assert access.municipalities_visible_to(adviser).count() == 41
    assert access.municipalities_visible_to(outside_adviser).count() == 39
    assert not access.municipalities_visible_to(adviser).filter(number="5501").exists()


def test_user_without_membership_sees_nothing(django_user_model, analysis):
    nobody = django_user_model.objects.create_user("nobody", password="x-y-z-123456")
    assert not access.analyses_visible_to(nobody).exists()
    assert not access.municipalities_visible_to(nobody).exists()


def test_editors_of_a_municipality_are_its_active_editors_only(
    planner, reader, adviser, other_planner, fauske, django_user_model
):
    retired = django_user_model.objects.create_user("retired", is_active=False)
    Membership.objects.create(user=retired, role=Role.EDITOR, municipality=fauske)
    assert list(access.editors_of(fauske)) == [planner]


def test_the_assignee_list_offers_editors_not_readers(planner, reader, analysis):
    form = AssignmentForm(analysis=analysis, prefix="s1")
    assert list(form.fields["assignee"].queryset) == [planner]


def test_a_forged_reader_assignee_is_refused_and_saves_nothing(client_for, reader, analysis):
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    response = client_for("planner").post(
        reverse("analysis:assignments", args=[analysis.pk]),
        {f"s{section.pk}-assignee": reader.pk, f"s{section.pk}-note": "Til leseren"},
    )
    assert response.status_code == 400  # a reader cannot be chosen in the form: forged
    assert not SectionAssignment.objects.filter(analysis=analysis).exists()
