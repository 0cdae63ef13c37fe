"""Who does what, cooperation, allocation and the project inventory."""

import datetime

import pytest
from django.urls import reverse

from analysis.models import (
    AllocationPractice,
    CooperationBody,
    ExternalActor,
    Instrument,
    Project,
    Responsibility,
    SectionAssignment,
    TargetGroup,
    TaskArea,
    Unit,
)
from analysis.services import structures as services
from factors.models import SuccessFactor

pytestmark = pytest.mark.django_db

PAGES = ["responsibility_map", "cooperation", "allocation", "projects", "project_create"]


@pytest.fixture
def unit(analysis):
    return Unit.objects.create(municipality=analysis.municipality, name="Eiendom")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "planner": 200,
        "reader": 200,
        "adviser": 200,
        "outside_adviser": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_structure_pages_answer_each_persona_as_designed(
    client_for, analysis, page, persona, status
):
    response = client_for(persona).get(reverse(f"analysis:{page}", args=[analysis.pk]))
    assert response.status_code == status


@pytest.mark.parametrize("page", ["responsibility_map", "allocation", "project_create"])
@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 403, "adviser": 403, "outside_adviser": 404, "other_planner": 404}.items(),
)
def test_only_the_municipality_editors_post(client_for, analysis, unit, page, persona, status):
    response = client_for(persona).post(
        reverse(f"analysis:{page}", args=[analysis.pk]), {"name": "Forged"}
    )
    assert response.status_code == status
    assert not Project.objects.exists() and not Responsibility.objects.exists()


def map_post(client, analysis, **cells):
    page = client.get(reverse("analysis:responsibility_map", args=[analysis.pk]))
    data = {"token": page.context["token"]}
    data.update(cells)
    return client.post(reverse("analysis:responsibility_map", args=[analysis.pk]), data)


def test_map_saves_roles_and_shows_the_gaps(client_for, analysis, unit):
    other = Unit.objects.create(municipality=analysis.municipality, name="NAV-kontoret")
    allocation = TaskArea.objects.get(key="tildeling")
    client = client_for("planner")
    response = map_post(
        client,
        analysis,
        **{
            f"cell-{allocation.pk}-{unit.pk}": "responsible",
            f"cell-{allocation.pk}-{other.pk}": "responsible",
        },
    )
    assert response.status_code == 302
    assert Responsibility.objects.filter(analysis=analysis).count() == 2
    page = client.get(reverse("analysis:responsibility_map", args=[analysis.pk]))
    assert "Oppgaver flere enheter har ansvar for:</strong> Tildeling" in page.text
    assert len(page.context["matrix"].without_owner) == 8


def test_a_stale_map_is_refused_and_overwrites_nothing(client_for, analysis, unit):
    area = TaskArea.objects.get(key="forvaltning")
    client = client_for("planner")
    page = client.get(reverse("analysis:responsibility_map", args=[analysis.pk]))
    stale_token = page.context["token"]
    map_post(client, analysis, **{f"cell-{area.pk}-{unit.pk}": "responsible"})
    response = client.post(
        reverse("analysis:responsibility_map", args=[analysis.pk]),
        {"token": stale_token, f"cell-{area.pk}-{unit.pk}": "contributing"},
    )
    assert response.status_code == 200
    assert "Noen andre endret dette" in response.text
    assert Responsibility.objects.get().role == "responsible"
    # the person's choice is still shown, on top of the saved map
    assert response.context["matrix"].rows[1].roles[unit.pk] == "contributing"


def test_a_forged_role_is_a_bad_request(client_for, analysis, unit):
    area = TaskArea.objects.first()
    response = map_post(client_for("planner"), analysis, **{f"cell-{area.pk}-{unit.pk}": "owner"})
    assert response.status_code == 400
    assert not Responsibility.objects.exists()


def test_a_unit_of_another_municipality_cannot_be_put_in_the_map(
    client_for, analysis, other_analysis
):
    foreign = Unit.objects.create(municipality=other_analysis.municipality, name="Fremmed")
    area = TaskArea.objects.first()
    response = map_post(
        client_for("planner"), analysis, **{f"cell-{area.pk}-{foreign.pk}": "responsible"}
    )
    assert response.status_code == 302
    assert not Responsibility.objects.exists()


def test_a_unit_in_use_cannot_be_deleted_and_nothing_is_lost(client_for, analysis, unit):
    Responsibility.objects.create(
        analysis=analysis, task_area=TaskArea.objects.first(), unit=unit, role="responsible"
    )
    SectionAssignment.objects.create(
        analysis=analysis, section=analysis.round.questionnaire.sections.first(), unit=unit
    )
    client = client_for("planner")
    response = client.post(
        reverse("analysis:unit_change", args=[analysis.pk, unit.pk]),
        {"action": "delete"},
        follow=True,
    )
    assert "brukes fortsatt" in response.text
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert Responsibility.objects.filter(unit=unit).exists()


def test_units_are_added_renamed_retired_and_deleted(client_for, analysis):
    client = client_for("planner")
    client.post(reverse("analysis:unit_add", args=[analysis.pk]), {"name": "Helse"})
    unit = Unit.objects.get(name="Helse")
    url = reverse("analysis:unit_change", args=[analysis.pk, unit.pk])
    client.post(url, {"action": "rename", "name": "Helse og omsorg"})
    client.post(url, {"action": "retire"})
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Helse og omsorg", False)
    client.post(url, {"action": "delete"})
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_a_duplicate_unit_name_gets_a_clear_message(client_for, analysis, unit):
    response = client_for("planner").post(
        reverse("analysis:unit_add", args=[analysis.pk]), {"name": "Eiendom"}, follow=True
    )
    assert "finnes allerede" in response.text
    assert Unit.objects.filter(name="Eiendom").count() == 1


def test_another_municipality_unit_is_404(client_for, analysis, other_analysis):
    foreign = Unit.objects.create(municipality=other_analysis.municipality, name="Fremmed")
    response = client_for("planner").post(
        reverse("analysis:unit_change", args=[analysis.pk, foreign.pk]), {"action": "delete"}
    )
    assert response.status_code == 404


def test_cooperation_bodies_and_actors_are_added_edited_and_removed(client_for, analysis):
    client = client_for("planner")
    add_body = reverse("analysis:cooperation_add", args=[analysis.pk, "organ"])
    client.post(
        add_body,
        {
            "name": "Boligforum",
            "members": "NAV, eiendom",
            "mandate": "<b>Samordne</b>",
            "meeting_frequency": "Månedlig",
            "is_formal": "on",
        },
    )
    body = CooperationBody.objects.get()
    assert body.is_formal and body.analysis == analysis
    page = client.get(reverse("analysis:cooperation", args=[analysis.pk]))
    assert "&lt;b&gt;Samordne&lt;/b&gt;" in page.text
    edit = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", body.pk])
    form = client.get(edit).context["form"]
    client.post(
        edit,
        {
            "name": "Boligforum",
            "members": "",
            "mandate": "Ny",
            "meeting_frequency": "",
            "token": form.initial["token"],
        },
    )
    body.refresh_from_db()
    assert (body.mandate, body.is_formal) == ("Ny", False)
    client.post(
        reverse("analysis:cooperation_add", args=[analysis.pk, "aktor"]),
        {
            "kind": "husbanken",
            "name": "Husbanken",
            "cooperation_about": "Startlån",
            "is_state_level": "on",
        },
    )
    assert ExternalActor.objects.get().is_state_level
    client.post(reverse("analysis:cooperation_delete", args=[analysis.pk, "organ", body.pk]))
    assert not CooperationBody.objects.exists()


def test_a_stale_cooperation_edit_keeps_what_was_typed(client_for, analysis):
    body = CooperationBody.objects.create(analysis=analysis, name="Forum", mandate="Gammel")
    client = client_for("planner")
    edit = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", body.pk])
    token = client.get(edit).context["form"].initial["token"]
    CooperationBody.objects.filter(pk=body.pk).update(mandate="Endret av en annen")
    response = client.post(edit, {"name": "Forum", "mandate": "Min tekst", "token": token})
    assert response.status_code == 200
    assert "Min tekst" in response.text and "Noen andre endret dette" in response.text
    body.refresh_from_db()
    assert body.mandate == "Endret av en annen"


def test_cooperation_rows_of_another_analysis_are_404(client_for, analysis, other_analysis):
    foreign = CooperationBody.objects.create(analysis=other_analysis, name="Fremmed")
    url = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", foreign.pk])
    assert client_for("planner").get(url).status_code == 404


def allocation_data(client, analysis, **overrides):
    page = client.get(reverse("analysis:allocation", args=[analysis.pk]))
    data = {"token": page.context["token"]}
    for _instrument, form in page.context["forms"]:
        data |= {
            f"{form.prefix}-decided_by": "",
            f"{form.prefix}-criteria": "",
            f"{form.prefix}-criteria_written": "",
        }
    data.update(overrides)
    return data


def test_allocation_is_saved_per_instrument(client_for, analysis):
    client = client_for("planner")
    startlan = Instrument.objects.get(key="startlan")
    data = allocation_data(
        client,
        analysis,
        **{
            f"i{startlan.pk}-decided_by": "Tildelingsteamet",
            f"i{startlan.pk}-criteria_written": "yes",
        },
    )
    assert client.post(reverse("analysis:allocation", args=[analysis.pk]), data).status_code == 302
    practice = AllocationPractice.objects.get()
    assert (practice.instrument, practice.decided_by, practice.criteria_written) == (
        startlan,
        "Tildelingsteamet",
        True,
    )


def test_a_stale_allocation_form_writes_nothing(client_for, analysis):
    client = client_for("planner")
    startlan = Instrument.objects.get(key="startlan")
    stale = allocation_data(client, analysis, **{f"i{startlan.pk}-decided_by": "Meg"})
    AllocationPractice.objects.create(analysis=analysis, instrument=startlan, decided_by="Deg")
    response = client.post(reverse("analysis:allocation", args=[analysis.pk]), stale)
    assert response.status_code == 200
    assert AllocationPractice.objects.get().decided_by == "Deg"
    assert 'value="Meg"' in response.text


def project_data(**overrides):
    data = {
        "name": "Bo trygt",
        "status": "active",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    return data | overrides


def test_a_project_is_created_filtered_edited_and_ended(client_for, analysis, unit):
    client = client_for("planner")
    homeless = TargetGroup.objects.get(key="bostedslose")
    response = client.post(
        reverse("analysis:project_create", args=[analysis.pk]),
        project_data(
            target_groups=[homeless.pk],
            responsible_unit=unit.pk,
            factors=[f.pk for f in SuccessFactor.objects.filter(number__in=[1, 3])],
        ),
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.municipality == analysis.municipality
    assert list(project.target_groups.all()) == [homeless]
    Project.objects.create(municipality=analysis.municipality, name="Unge i bolig")
    listing = reverse("analysis:projects", args=[analysis.pk])
    filtered = client.get(listing, {"target_group": "bostedslose"})
    assert [p.name for p in filtered.context["projects"]] == ["Bo trygt"]
    by_status = client.get(listing, {"status": "planned"})
    assert [p.name for p in by_status.context["projects"]] == ["Unge i bolig"]
    edit = reverse("analysis:project_edit", args=[analysis.pk, project.pk])
    client.post(edit, project_data(name="Bo trygt hjemme", version=project.version))
    project.refresh_from_db()
    assert (project.name, project.version) == ("Bo trygt hjemme", 2)
    client.post(reverse("analysis:project_end", args=[analysis.pk, project.pk]))
    project.refresh_from_db()
    assert project.status == "completed" and project.ends_on is not None


def test_a_project_ending_before_it_starts_is_refused_with_input_kept(client_for, analysis):
    response = client_for("planner").post(
        reverse("analysis:project_create", args=[analysis.pk]),
        project_data(name="Baklengs", starts_on="2026-05-01", ends_on="2026-04-01"),
    )
    assert response.status_code == 200
    assert "Prosjektet kan ikke slutte før det starter." in response.text
    assert 'value="Baklengs"' in response.text
    assert not Project.objects.exists()


def test_a_stale_project_edit_is_refused(client_for, analysis):
    project = Project.objects.create(municipality=analysis.municipality, name="P", version=3)
    response = client_for("planner").post(
        reverse("analysis:project_edit", args=[analysis.pk, project.pk]),
        project_data(name="Ny", version=2),
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.name == "P"


def test_projects_of_another_municipality_are_404(client_for, analysis, other_analysis):
    foreign = Project.objects.create(municipality=other_analysis.municipality, name="Fremmed")
    client = client_for("planner")
    assert (
        client.get(reverse("analysis:project_edit", args=[analysis.pk, foreign.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("analysis:project_end", args=[analysis.pk, foreign.pk])).status_code
        == 404
    )


def test_over_long_text_is_refused(client_for, analysis):
    response = client_for("planner").post(
        reverse("analysis:project_create", args=[analysis.pk]), project_data(name="x" * 201)
    )
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_submitted_analysis_structures_are_read_only(client_for, analysis, unit):
    analysis.status = "submitted"
    analysis.save()
    area = TaskArea.objects.first()
    response = map_post(
        client_for("planner"), analysis, **{f"cell-{area.pk}-{unit.pk}": "responsible"}
    )
    assert response.status_code == 302
    assert not Responsibility.objects.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_structure_pages_run_a_fixed_number_of_queries(
    client_for, analysis, size, django_assert_num_queries
):
    for i in range(size):
        unit = Unit.objects.create(municipality=analysis.municipality, name=f"Enhet {i}")
        Responsibility.objects.create(
            analysis=analysis, task_area=TaskArea.objects.first(), unit=unit, role="contributing"
        )
        p = Project.objects.create(
            municipality=analysis.municipality, name=f"P{i}", responsible_unit=unit
        )
        p.target_groups.set(TargetGroup.objects.all()[:2])
        CooperationBody.objects.create(analysis=analysis, name=f"Organ {i}")
    client = client_for("planner")
    expected = {
        # session, user, memberships, analysis, section, assignments, section questions,
        # then: task areas, cells, units (matrix), cells (token), all units
        "responsibility_map": 12,
        # base 7, bodies, actors
        "cooperation": 9,
        # base 7, instruments, practices, practices (token)
        "allocation": 10,
        # base 7, target groups (filter form), projects, target groups, funding, factors
        "projects": 12,
    }
    for page, count in expected.items():
        url = reverse(f"analysis:{page}", args=[analysis.pk])
        client.get(url)
        with django_assert_num_queries(count):
            client.get(url)


def test_service_refuses_a_stale_map_token(analysis, unit, planner):
    with pytest.raises(services.StaleEdit):
        services.save_responsibility_map(
            analysis=analysis, cells={}, token="not-the-state", by=planner
        )


def test_ending_a_project_keeps_an_end_date_in_the_past(analysis, planner):
    project = Project.objects.create(
        municipality=analysis.municipality,
        name="Ferdig",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 1, 1),
    )
    services.end_project(analysis=analysis, project=project, by=planner)
    assert project.ends_on == datetime.date(2025, 1, 1)
