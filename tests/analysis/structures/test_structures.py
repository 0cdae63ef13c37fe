"""Who does what, cooperation, allocation and the project inventory."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from analysis import merge
from analysis.models import (
    AllocationPractice,
    CooperationBody,
    ExternalActor,
    Project,
    Responsibility,
    SectionAssignment,
    Unit,
)
from analysis.services import structures as services
from reference.models import Instrument, SuccessFactor, TargetGroup, TaskArea
from tests.factories import make_unit
from tests.form_data import form_data

pytestmark = pytest.mark.django_db

PAGES = ["responsibility_map", "cooperation", "allocation", "projects"]


@pytest.fixture
def unit(analysis):
    return make_unit(analysis)


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
    return client.post(
        reverse("analysis:responsibility_map", args=[analysis.pk]),
        map_data(client, analysis, **cells),
    )


def map_data(client, analysis, **cells):
    """The map form as the browser sends it: every cell as shown, then `cells` on top."""
    page = client.get(reverse("analysis:responsibility_map", args=[analysis.pk]))
    data = {"base": page.context["base"]}
    for row in page.context["matrix"].rows:
        for unit in page.context["matrix"].units:
            data[f"cell-{row.task_area.pk}-{unit.pk}"] = row.roles.get(unit.pk, "")
    return data | cells


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


def test_a_cell_both_people_changed_is_a_conflict_and_overwrites_nothing(
    client_for, analysis, unit
):
    area = TaskArea.objects.get(key="forvaltning")
    other_area = TaskArea.objects.get(key="tildeling")
    client = client_for("planner")
    stale = map_data(
        client,
        analysis,
        **{
            f"cell-{area.pk}-{unit.pk}": "contributing",
            f"cell-{other_area.pk}-{unit.pk}": "responsible",
        },
    )
    map_post(client, analysis, **{f"cell-{area.pk}-{unit.pk}": "responsible"})
    response = client.post(reverse("analysis:responsibility_map", args=[analysis.pk]), stale)
    assert response.status_code == 409
    [group] = response.context["conflicts"]
    assert group.title == "Forvaltning av boliger – Eiendom"
    assert (group.fields[0].saved, group.fields[0].mine) == ("Ansvarlig", "Bidrar")
    assert list(Responsibility.objects.values_list("task_area__key", "role")) == [
        ("forvaltning", "responsible")
    ]
    # the person's choices are still shown, on top of the saved map
    rows = {row.task_area.key: row for row in response.context["matrix"].rows}
    assert rows["forvaltning"].roles[unit.pk] == "contributing"
    assert rows["tildeling"].roles[unit.pk] == "responsible"
    # saving again is a deliberate choice and goes through
    retry = map_data(client, analysis) | {
        "base": response.context["base"],
        f"cell-{area.pk}-{unit.pk}": "contributing",
        f"cell-{other_area.pk}-{unit.pk}": "responsible",
    }
    response = client.post(reverse("analysis:responsibility_map", args=[analysis.pk]), retry)
    assert response.status_code == 302
    assert set(Responsibility.objects.values_list("task_area__key", "role")) == {
        ("forvaltning", "contributing"),
        ("tildeling", "responsible"),
    }


def test_cells_changed_by_two_people_from_the_same_copy_are_both_kept(client_for, analysis, unit):
    area = TaskArea.objects.get(key="forvaltning")
    other_area = TaskArea.objects.get(key="tildeling")
    client = client_for("planner")
    mine = map_data(client, analysis, **{f"cell-{area.pk}-{unit.pk}": "responsible"})
    theirs = map_data(client, analysis, **{f"cell-{other_area.pk}-{unit.pk}": "contributing"})
    url = reverse("analysis:responsibility_map", args=[analysis.pk])
    assert client.post(url, theirs).status_code == 302
    assert client.post(url, mine).status_code == 302
    assert set(Responsibility.objects.values_list("task_area__key", "role")) == {
        ("forvaltning", "responsible"),
        ("tildeling", "contributing"),
    }


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
    assert response.status_code == 400
    assert not Responsibility.objects.exists()


def test_a_forged_task_area_is_a_bad_request(client_for, analysis, unit):
    response = map_post(
        client_for("planner"), analysis, **{f"cell-987654-{unit.pk}": "responsible"}
    )
    assert response.status_code == 400
    assert not Responsibility.objects.exists()


def test_a_map_without_its_base_is_a_bad_request(client_for, analysis, unit):
    area = TaskArea.objects.first()
    response = client_for("planner").post(
        reverse("analysis:responsibility_map", args=[analysis.pk]),
        {f"cell-{area.pk}-{unit.pk}": "responsible", "base": "not json"},
    )
    assert response.status_code == 400
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


def test_a_duplicate_unit_name_comes_back_typed_with_the_reason_next_to_it(
    client_for, analysis, unit
):
    response = client_for("planner").post(
        reverse("analysis:unit_add", args=[analysis.pk]), {"name": "Eiendom"}
    )
    assert response.status_code == 200
    field = response.text[response.text.index('id="new-unit"') :]
    assert 'value="Eiendom"' in field.split(">")[0] and 'aria-invalid="true"' in field.split(">")[0]
    error = field[field.index('id="new-unit-error"') :]
    assert "Det finnes allerede en enhet som heter Eiendom." in error.split("</div>")[0]
    assert Unit.objects.filter(name="Eiendom").count() == 1
    # The page is shown at the unit's address: the map form still posts to the map.
    map_url = reverse("analysis:responsibility_map", args=[analysis.pk])
    assert f'<form method="post" action="{map_url}"' in response.text


def test_unit_names_are_unique_whatever_the_case(client_for, analysis, unit):
    response = client_for("planner").post(
        reverse("analysis:unit_add", args=[analysis.pk]), {"name": "EIENDOM"}
    )
    assert "finnes allerede" in response.text
    assert Unit.objects.count() == 1


def test_an_over_long_unit_name_comes_back_typed(client_for, analysis):
    response = client_for("planner").post(
        reverse("analysis:unit_add", args=[analysis.pk]), {"name": "Enhet " + "x" * 200}
    )
    assert response.status_code == 200
    assert "Enhet " + "x" * 200 in response.text
    assert "Teksten er for lang: høyst 200 tegn" in response.text
    assert not Unit.objects.exists()


def test_a_failed_rename_keeps_the_typed_name_next_to_its_unit(client_for, analysis, unit):
    Unit.objects.create(municipality=analysis.municipality, name="NAV-kontoret")
    response = client_for("planner").post(
        reverse("analysis:unit_change", args=[analysis.pk, unit.pk]),
        {"action": "rename", "name": "NAV-kontoret"},
    )
    assert response.status_code == 200
    field = response.text[response.text.index(f'id="unit-name-{unit.pk}"') :]
    assert 'value="NAV-kontoret"' in field.split(">")[0]
    error = field[field.index(f'id="unit-name-{unit.pk}-error"') :]
    assert "finnes allerede" in error.split("</div>")[0]
    unit.refresh_from_db()
    assert unit.name == "Eiendom"
    empty = client_for("planner").post(
        reverse("analysis:unit_change", args=[analysis.pk, unit.pk]),
        {"action": "rename", "name": "  "},
    )
    assert empty.status_code == 200 and f'id="unit-name-{unit.pk}-error"' in empty.text


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
        form_data(form, members="", mandate="Ny", meeting_frequency="") | {"is_formal": ""},
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


def test_a_cooperation_field_both_people_changed_is_a_conflict_showing_both(client_for, analysis):
    body = CooperationBody.objects.create(analysis=analysis, name="Forum", mandate="Gammel")
    client = client_for("planner")
    edit = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", body.pk])
    stale = form_data(client.get(edit).context["form"], mandate="Min tekst", members="NAV")
    CooperationBody.objects.filter(pk=body.pk).update(mandate="Endret av en annen")
    response = client.post(edit, stale)
    assert response.status_code == 409
    [group] = response.context["conflicts"]
    assert [(f.label, f.saved, f.mine) for f in group.fields] == [
        ("Mandat", "Endret av en annen", "Min tekst")
    ]
    body.refresh_from_db()
    assert (body.mandate, body.members) == ("Endret av en annen", "")
    retry = form_data(response.context["form"])
    assert (retry["mandate"], retry["members"]) == ("Min tekst", "NAV")
    assert client.post(edit, retry).status_code == 302
    body.refresh_from_db()
    assert (body.mandate, body.members) == ("Min tekst", "NAV")


def test_cooperation_fields_changed_by_two_people_are_both_kept(client_for, analysis):
    body = CooperationBody.objects.create(analysis=analysis, name="Forum", mandate="Gammel")
    client = client_for("planner")
    edit = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", body.pk])
    mine = form_data(client.get(edit).context["form"], members="NAV og eiendom")
    CooperationBody.objects.filter(pk=body.pk).update(mandate="Endret av en annen")
    assert client.post(edit, mine).status_code == 302
    body.refresh_from_db()
    assert (body.mandate, body.members) == ("Endret av en annen", "NAV og eiendom")


def test_cooperation_rows_of_another_analysis_are_404(client_for, analysis, other_analysis):
    foreign = CooperationBody.objects.create(analysis=other_analysis, name="Fremmed")
    url = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", foreign.pk])
    assert client_for("planner").get(url).status_code == 404


def allocation_data(client, analysis, **overrides):
    page = client.get(reverse("analysis:allocation", args=[analysis.pk]))
    data = {}
    for _instrument, form in page.context["forms"]:
        data |= form_data(form)
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


def test_an_allocation_field_both_people_changed_is_a_conflict_and_writes_nothing(
    client_for, analysis
):
    client = client_for("planner")
    startlan = Instrument.objects.get(key="startlan")
    bostotte = Instrument.objects.get(key="bostotte")
    stale = allocation_data(
        client,
        analysis,
        **{f"i{startlan.pk}-decided_by": "Meg", f"i{bostotte.pk}-decided_by": "NAV"},
    )
    AllocationPractice.objects.create(
        analysis=analysis, instrument=startlan, decided_by="Deg", criteria_written=True
    )
    response = client.post(reverse("analysis:allocation", args=[analysis.pk]), stale)
    assert response.status_code == 409
    [group] = response.context["conflicts"]
    assert group.title == "Startlån"
    assert [(f.label, f.saved, f.mine) for f in group.fields] == [("Hvem bestemmer", "Deg", "Meg")]
    assert list(AllocationPractice.objects.values_list("decided_by", flat=True)) == ["Deg"]
    assert 'value="Meg"' in response.text and 'value="NAV"' in response.text
    # The other person's answer to "written down" is kept in the form, and a second save
    # keeps it while writing this person's values deliberately.
    retry = {}
    for _instrument, form in response.context["forms"]:
        retry |= form_data(form)
    assert retry[f"i{startlan.pk}-criteria_written"] == "yes"
    assert client.post(reverse("analysis:allocation", args=[analysis.pk]), retry).status_code == 302
    practice = AllocationPractice.objects.get(instrument=startlan)
    assert (practice.decided_by, practice.criteria_written) == ("Meg", True)
    assert AllocationPractice.objects.get(instrument=bostotte).decided_by == "NAV"


def test_allocation_rows_changed_by_two_people_are_both_kept(client_for, analysis):
    client = client_for("planner")
    startlan = Instrument.objects.get(key="startlan")
    mine = allocation_data(client, analysis, **{f"i{startlan.pk}-criteria": "Inntekt"})
    AllocationPractice.objects.create(analysis=analysis, instrument=startlan, decided_by="Deg")
    assert client.post(reverse("analysis:allocation", args=[analysis.pk]), mine).status_code == 302
    practice = AllocationPractice.objects.get()
    assert (practice.decided_by, practice.criteria) == ("Deg", "Inntekt")


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


def test_a_project_field_both_people_changed_is_a_conflict_showing_both(
    client_for, analysis, planner, unit
):
    project = Project.objects.create(municipality=analysis.municipality, name="P")
    client = client_for("planner")
    edit = reverse("analysis:project_edit", args=[analysis.pk, project.pk])
    homeless = TargetGroup.objects.get(key="bostedslose")
    stale = form_data(
        client.get(edit).context["form"],
        name="Mitt navn",
        target_groups=[str(homeless.pk)],
        status="active",
    )
    services.save_project(
        analysis=analysis,
        project=project,
        values={"name": "Deres navn", "responsible_unit": unit, "status": "completed"},
        version=project.version,
        base=None,
        by=planner,
    )
    response = client.post(edit, stale)
    assert response.status_code == 409
    [group] = response.context["conflicts"]
    assert [(f.label, f.saved, f.mine) for f in group.fields] == [
        ("Navn", "Deres navn", "Mitt navn"),
        ("Status", "Avsluttet", "Aktivt"),
    ]
    project.refresh_from_db()
    assert (project.name, project.version) == ("Deres navn", 2)
    assert not project.target_groups.exists()
    retry = form_data(response.context["form"])
    assert retry["responsible_unit"] == str(unit.pk)
    assert client.post(edit, retry).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.status, project.responsible_unit) == ("Mitt navn", "active", unit)
    assert list(project.target_groups.all()) == [homeless]


def test_a_stale_project_edit_without_fingerprints_is_refused(client_for, analysis):
    project = Project.objects.create(municipality=analysis.municipality, name="P", version=3)
    response = client_for("planner").post(
        reverse("analysis:project_edit", args=[analysis.pk, project.pk]),
        project_data(name="Ny", version=2),
    )
    assert response.status_code == 409
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
        # session, user, memberships, analysis, the sections in order with whether each has
        # questions (the page's section and the part navigation), the adviser's comments on
        # it, assignments, then: task areas, cells, task areas answered without a unit, units
        # (matrix), all units (14 before the sections were read once)
        "responsibility_map": 12,
        # base 7, bodies, actors
        "cooperation": 9,
        # base 7, instruments, practices
        "allocation": 9,
        # base 7, target groups (filter form), projects, target groups, funding, factors
        "projects": 12,
    }
    for page, count in expected.items():
        url = reverse(f"analysis:{page}", args=[analysis.pk])
        client.get(url)
        with django_assert_num_queries(count):
            client.get(url)


def test_service_refuses_a_cell_changed_since_it_was_loaded(analysis, unit, planner):
    area = TaskArea.objects.first()
    Responsibility.objects.create(analysis=analysis, task_area=area, unit=unit, role="responsible")
    with pytest.raises(merge.StaleEdit) as error:
        services.save_responsibility_map(
            analysis=analysis,
            cells={(area.pk, unit.pk): "contributing"},
            base={services.cell_key(area.pk, unit.pk): merge.fingerprint("")},
            by=planner,
        )
    assert [(row.key, row.fields) for row in error.value.rows] == [
        ((area.pk, unit.pk), {"role": ("responsible", "contributing")})
    ]
    assert Responsibility.objects.get().role == "responsible"


def test_ending_a_project_keeps_an_end_date_in_the_past(analysis, planner):
    project = Project.objects.create(
        municipality=analysis.municipality,
        name="Ferdig",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 1, 1),
    )
    services.end_project(analysis=analysis, project=project, by=planner)
    assert project.ends_on == datetime.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("aktor", {"kind": "spy_agency", "name": "X"}),
        ("organ", {"name": "X", "is_formal": "on", "base": "not json"}),
    ],
)
def test_a_forged_cooperation_row_is_a_bad_request(client_for, analysis, kind, data):
    body = CooperationBody.objects.create(analysis=analysis, name="Forum")
    url = (
        reverse("analysis:cooperation_add", args=[analysis.pk, kind])
        if kind == "aktor"
        else reverse("analysis:cooperation_edit", args=[analysis.pk, kind, body.pk])
    )
    assert client_for("planner").post(url, data).status_code == 400
    assert not ExternalActor.objects.exists()
    assert CooperationBody.objects.get().is_formal is False


def test_a_forged_project_is_a_bad_request(client_for, analysis, other_analysis):
    foreign = Unit.objects.create(municipality=other_analysis.municipality, name="Fremmed")
    url = reverse("analysis:project_create", args=[analysis.pk])
    client = client_for("planner")
    for forged in (
        {"status": "abandoned"},
        {"responsible_unit": foreign.pk},
        {"target_groups": [987654]},
        {"factors": ["x"]},
    ):
        assert client.post(url, project_data(**forged)).status_code == 400, forged
    assert not Project.objects.exists()


def test_a_forged_allocation_answer_is_a_bad_request(client_for, analysis):
    client = client_for("planner")
    startlan = Instrument.objects.get(key="startlan")
    data = allocation_data(client, analysis, **{f"i{startlan.pk}-criteria_written": "maybe"})
    assert client.post(reverse("analysis:allocation", args=[analysis.pk]), data).status_code == 400
    data = allocation_data(client, analysis, **{f"i{startlan.pk}-base": ""})
    assert client.post(reverse("analysis:allocation", args=[analysis.pk]), data).status_code == 400
    assert not AllocationPractice.objects.exists()


def assignment_data(client, analysis, **overrides):
    page = client.get(reverse("analysis:assignments", args=[analysis.pk]))
    data = {}
    for _section, form in page.context["forms"]:
        data |= form_data(form)
    return data | overrides


def test_a_forged_assignment_unit_is_a_bad_request(client_for, analysis, other_analysis):
    foreign = Unit.objects.create(municipality=other_analysis.municipality, name="Fremmed")
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    client = client_for("planner")
    data = assignment_data(client, analysis, **{f"s{section.pk}-unit": str(foreign.pk)})
    assert client.post(reverse("analysis:assignments", args=[analysis.pk]), data).status_code == 400
    assert not SectionAssignment.objects.exists()


def test_a_section_assigned_to_a_retired_unit_still_saves(client_for, analysis, unit):
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    other = analysis.round.questionnaire.sections.get(key="forarbeid")
    SectionAssignment.objects.create(analysis=analysis, section=section, unit=unit)
    unit.is_active = False
    unit.save()
    client = client_for("planner")
    page = client.get(reverse("analysis:assignments", args=[analysis.pk]))
    forms = {s.pk: form for s, form in page.context["forms"]}
    assert unit in forms[section.pk].fields["unit"].queryset
    assert unit not in forms[other.pk].fields["unit"].queryset
    data = assignment_data(client, analysis, **{f"s{other.pk}-note": "Planleggeren svarer"})
    assert client.post(reverse("analysis:assignments", args=[analysis.pk]), data).status_code == 302
    assert SectionAssignment.objects.get(section=section).unit == unit
    assert SectionAssignment.objects.get(section=other).note == "Planleggeren svarer"


def test_saving_a_cooperation_row_removed_meanwhile_is_refused_clearly(analysis, planner):
    with pytest.raises(services.ValidationError) as error:
        services.save_row(
            analysis=analysis,
            instance=CooperationBody(pk=987654, name="Borte"),
            base=None,
            by=planner,
        )
    assert error.value.code == "gone"
    assert not CooperationBody.objects.exists()


def test_project_fields_changed_by_two_people_are_both_kept(client_for, analysis, planner, unit):
    project = Project.objects.create(municipality=analysis.municipality, name="P")
    client = client_for("planner")
    edit = reverse("analysis:project_edit", args=[analysis.pk, project.pk])
    mine = form_data(client.get(edit).context["form"], description="Min beskrivelse")
    services.save_project(
        analysis=analysis,
        project=project,
        values={"responsible_unit": unit, "status": "active"},
        version=project.version,
        base=None,
        by=planner,
    )
    assert client.post(edit, mine).status_code == 302
    project.refresh_from_db()
    assert (project.description, project.responsible_unit, project.status) == (
        "Min beskrivelse",
        unit,
        "active",
    )
    assert project.version == 3


def test_every_destructive_form_asks_in_norwegian_before_it_acts(client_for, analysis, unit):
    """confirm.js asks the question in data-confirm; without JavaScript the form still posts."""
    body = CooperationBody.objects.create(analysis=analysis, name="Boligforum")
    actor = ExternalActor.objects.create(analysis=analysis, name="Husbanken", kind="husbanken")
    project = Project.objects.create(municipality=analysis.municipality, name="Bo trygt")
    client = client_for("planner")
    pages = {
        "responsibility_map": [
            (reverse("analysis:unit_change", args=[analysis.pk, unit.pk]), "slette enheten")
        ],
        "cooperation": [
            (
                reverse("analysis:cooperation_delete", args=[analysis.pk, "organ", body.pk]),
                "fjerne samarbeidsorganet «Boligforum»",
            ),
            (
                reverse("analysis:cooperation_delete", args=[analysis.pk, "aktor", actor.pk]),
                "fjerne den eksterne aktøren «Husbanken»",
            ),
        ],
        "projects": [
            (
                reverse("analysis:project_end", args=[analysis.pk, project.pk]),
                "avslutte prosjektet «Bo trygt»",
            )
        ],
    }
    for name, forms in pages.items():
        html = client.get(reverse(f"analysis:{name}", args=[analysis.pk])).text
        for action, question in forms:
            asking = re.findall(
                rf'<form[^>]*action="{re.escape(action)}"[^>]*data-confirm="([^"]*)"', html
            )
            assert any(question in q for q in asking), (name, action)
    # The form itself is plain: the server removes the body whether or not a script asked.
    client.post(reverse("analysis:cooperation_delete", args=[analysis.pk, "organ", body.pk]))
    assert not CooperationBody.objects.filter(pk=body.pk).exists()


def test_a_stale_assignment_page_keeps_what_a_colleague_saved_meanwhile(
    client_for, analysis, planner, unit
):
    reflection = analysis.round.questionnaire.sections.get(key="refleksjon")
    preparation = analysis.round.questionnaire.sections.get(key="forarbeid")
    client = client_for("planner")
    stale = assignment_data(client, analysis)
    services.save_assignments(
        analysis=analysis, rows={reflection.pk: {"unit": unit, "note": "Frist mars"}}, by=planner
    )
    data = stale | {f"s{preparation.pk}-note": "Planleggeren svarer"}
    assert client.post(reverse("analysis:assignments", args=[analysis.pk]), data).status_code == 302
    assert SectionAssignment.objects.get(section=reflection).note == "Frist mars"
    assert SectionAssignment.objects.get(section=reflection).unit == unit
    assert SectionAssignment.objects.get(section=preparation).note == "Planleggeren svarer"


def test_two_people_changing_the_same_assignment_see_both_versions_and_nothing_is_lost(
    client_for, analysis, planner
):
    reflection = analysis.round.questionnaire.sections.get(key="refleksjon")
    client = client_for("planner")
    stale = assignment_data(client, analysis)
    services.save_assignments(
        analysis=analysis, rows={reflection.pk: {"note": "Frist mars"}}, by=planner
    )
    data = stale | {f"s{reflection.pk}-note": "Frist april"}
    response = client.post(reverse("analysis:assignments", args=[analysis.pk]), data)
    assert response.status_code == 409
    assert SectionAssignment.objects.get(section=reflection).note == "Frist mars"
    conflict = response.context["conflicts"][0]
    assert conflict.title == reflection.title
    assert [(f.saved, f.mine) for f in conflict.fields] == [("Frist mars", "Frist april")]
    # The form now shows my version on top of the saved one; saving it again is a choice.
    again = {}
    for _section, form in response.context["forms"]:
        again |= form_data(form)
    assert again[f"s{reflection.pk}-note"] == "Frist april"
    url = reverse("analysis:assignments", args=[analysis.pk])
    assert client.post(url, again).status_code == 302
    assert SectionAssignment.objects.get(section=reflection).note == "Frist april"


def test_the_database_refuses_a_unit_name_the_municipality_has_in_another_case(analysis, unit):
    # Two analyses of one municipality (a sent-back previous round and the current one) lock
    # different rows, so only the database can stop two saves at once (issue 11, defect 9).
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(municipality=analysis.municipality, name="EIENDOM")
    assert Unit.objects.create(municipality=analysis.municipality, name="Eiendom 2")


@pytest.mark.parametrize("name", ["Eiendom", "eiendom"])
@pytest.mark.parametrize("action", ["add", "rename"])
def test_a_unit_name_taken_after_the_check_is_a_form_error(
    client_for, analysis, unit, monkeypatch, name, action
):
    # As if another analysis of the municipality had saved the name between this save's
    # check and its write: the database refuses, and the person reads why.
    monkeypatch.setattr(services, "_check_unit_name", lambda unit: None)
    if action == "add":
        url, data = reverse("analysis:unit_add", args=[analysis.pk]), {"name": name}
    else:
        other = Unit.objects.create(municipality=analysis.municipality, name="Helse")
        url = reverse("analysis:unit_change", args=[analysis.pk, other.pk])
        data = {"action": "rename", "name": name}
    response = client_for("planner").post(url, data)
    assert response.status_code == 200
    assert f"Det finnes allerede en enhet som heter {name}." in response.text
    assert list(Unit.objects.filter(name__iexact=name).values_list("name", flat=True)) == [
        "Eiendom"
    ]
