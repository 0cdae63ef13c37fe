"""Every change to the map, units, cooperation, allocation, projects and assignments is kept
as a revision and shown in words on a history page; projects and cooperation rows can be
restored."""

import pytest
from django.urls import reverse

from analysis import merge
from analysis.models import CooperationBody, ExternalActor, Project, Revision, RevisionKind
from analysis.services import structures as services
from analysis.services.answers import save_section_answers
from reference.models import Instrument, Question, TargetGroup, TaskArea
from tests.factories import make_unit
from tests.form_data import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(analysis):
    return make_unit(analysis)


def revisions(kind):
    return list(Revision.objects.filter(kind=kind).order_by("pk"))


def test_map_changes_are_recorded_per_cell_and_shown_with_role_names(
    client_for, analysis, unit, planner
):
    area = TaskArea.objects.get(key="tildeling")
    cell = services.cell_key(area.pk, unit.pk)
    services.save_responsibility_map(
        analysis=analysis,
        cells={(area.pk, unit.pk): "responsible"},
        base={cell: merge.fingerprint("")},
        by=planner,
    )
    services.save_responsibility_map(
        analysis=analysis,
        cells={(area.pk, unit.pk): "contributing"},
        base={cell: merge.fingerprint("responsible")},
        by=planner,
    )
    first, second = revisions(RevisionKind.RESPONSIBILITY_MAP)
    assert (first.old_value, first.new_value["role"], first.label) == (
        None,
        "responsible",
        "Tildeling – Eiendom",
    )
    assert (second.old_value["role"], second.new_value["role"]) == ("responsible", "contributing")
    assert second.changed_by == planner and second.object_id == area.pk
    page = client_for("reader").get(reverse("analysis:map_history", args=[analysis.pk]))
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert [(c.label, c.old, c.new) for c in row.changes] == [("Rolle", "Ansvarlig", "Bidrar")]
    assert "contributing" not in page.text


def test_unit_changes_are_recorded_and_shown_on_the_map_history(client_for, analysis, planner):
    unit = services.add_unit(analysis=analysis, name="Helse", by=planner)
    services.rename_unit(analysis=analysis, unit=unit, name="Helse og omsorg", by=planner)
    services.set_unit_active(analysis=analysis, unit=unit, active=False, by=planner)
    services.remove_unit(analysis=analysis, unit=unit, by=planner)
    added, renamed, retired, removed = revisions(RevisionKind.UNIT)
    assert added.new_value == {"name": "Helse", "is_active": True} and added.old_value is None
    assert (renamed.old_value["name"], renamed.new_value["name"]) == ("Helse", "Helse og omsorg")
    assert (retired.old_value["is_active"], retired.new_value["is_active"]) == (True, False)
    assert removed.new_value is None and removed.label == "Helse og omsorg"
    page = client_for("planner").get(reverse("analysis:map_history", args=[analysis.pk]))
    changes = {r.revision.pk: r.changes for r in page.context["rows"]}
    assert [(c.old, c.new) for c in changes[retired.pk]] == [("Ja", "Nei")]


def test_cooperation_rows_keep_their_history_after_removal_and_can_be_restored(
    client_for, analysis, planner
):
    client = client_for("planner")
    client.post(
        reverse("analysis:cooperation_add", args=[analysis.pk, "aktor"]),
        {"kind": "husbanken", "name": "Husbanken", "cooperation_about": "Startlån"},
    )
    actor = ExternalActor.objects.get()
    edit = reverse("analysis:cooperation_edit", args=[analysis.pk, "aktor", actor.pk])
    client.post(edit, form_data(client.get(edit).context["form"], cooperation_about="Tilskudd"))
    client.post(reverse("analysis:cooperation_delete", args=[analysis.pk, "aktor", actor.pk]))
    created, edited, removed = revisions(RevisionKind.EXTERNAL_ACTOR)
    assert created.new_value["kind"] == "husbanken"
    assert (edited.old_value["cooperation_about"], edited.new_value["cooperation_about"]) == (
        "Startlån",
        "Tilskudd",
    )
    assert removed.new_value is None

    history = reverse("analysis:cooperation_row_history", args=[analysis.pk, "aktor", actor.pk])
    page = client.get(history)
    assert page.status_code == 200
    by_pk = {r.revision.pk: r for r in page.context["rows"]}
    assert ("Type", "–", "Husbanken") in [
        (c.label, c.old, c.new) for c in by_pk[created.pk].changes
    ]
    assert by_pk[removed.pk].restore_url is None
    assert by_pk[edited.pk].restore_url is not None

    # Restoring the edited state brings the removed actor back under its old number.
    assert client.post(by_pk[edited.pk].restore_url).status_code == 302
    actor = ExternalActor.objects.get()
    assert (actor.pk, actor.cooperation_about, actor.kind) == (
        created.object_id,
        "Tilskudd",
        "husbanken",
    )
    assert revisions(RevisionKind.EXTERNAL_ACTOR)[-1].note.startswith("Gjenopprettet")


def test_restoring_an_existing_cooperation_body_sets_its_earlier_values(client_for, analysis):
    client = client_for("planner")
    client.post(
        reverse("analysis:cooperation_add", args=[analysis.pk, "organ"]),
        {"name": "Forum", "mandate": "Første", "is_formal": "on"},
    )
    body = CooperationBody.objects.get()
    edit = reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", body.pk])
    client.post(
        edit, form_data(client.get(edit).context["form"], mandate="Andre") | {"is_formal": ""}
    )
    first = revisions(RevisionKind.COOPERATION_BODY)[0]
    url = reverse("analysis:cooperation_restore", args=[analysis.pk, "organ", body.pk, first.pk])
    assert client.post(url).status_code == 302
    body.refresh_from_db()
    assert (body.mandate, body.is_formal) == ("Første", True)


def test_allocation_changes_are_recorded_per_instrument(client_for, analysis, planner):
    startlan = Instrument.objects.get(key="startlan")
    services.save_allocation(
        analysis=analysis,
        rows={startlan.pk: {"decided_by": "NAV", "criteria": "", "criteria_written": True}},
        bases={startlan.pk: merge.fingerprints(services.allocation_values(None))},
        by=planner,
    )
    [revision] = revisions(RevisionKind.ALLOCATION)
    assert (revision.label, revision.object_id, revision.new_value["decided_by"]) == (
        "Startlån",
        startlan.pk,
        "NAV",
    )
    page = client_for("planner").get(reverse("analysis:allocation_history", args=[analysis.pk]))
    assert [(c.new) for c in page.context["rows"][0].changes] == ["NAV", "Ja"]


def test_project_history_shows_names_not_keys_and_restore_brings_values_back(
    client_for, analysis, unit
):
    client = client_for("planner")
    homeless = TargetGroup.objects.get(key="bostedslose")
    client.post(
        reverse("analysis:project_create", args=[analysis.pk]),
        {"name": "Bo trygt", "status": "active", "target_groups": [homeless.pk]},
    )
    project = Project.objects.get()
    edit = reverse("analysis:project_edit", args=[analysis.pk, project.pk])
    client.post(
        edit,
        form_data(client.get(edit).context["form"], status="stopped", responsible_unit=unit.pk)
        | {"target_groups": []},
    )
    client.post(reverse("analysis:project_end", args=[analysis.pk, project.pk]))
    created, edited, ended = revisions(RevisionKind.PROJECT)
    assert created.new_value["target_groups"] == [homeless.pk]
    assert edited.new_value["responsible_unit"] == unit.pk
    assert ended.new_value["status"] == "completed"

    page = client.get(reverse("analysis:project_history", args=[analysis.pk, project.pk]))
    by_pk = {r.revision.pk: r for r in page.context["rows"]}
    assert [(c.label, c.old, c.new) for c in by_pk[edited.pk].changes] == [
        ("Ansvarlig enhet", "–", "Eiendom"),
        ("Målgrupper", "Bostedsløse", "–"),
        ("Status", "Aktivt", "Stanset"),
    ]
    assert "bostedslose" not in page.text and ">active<" not in page.text

    assert client.post(by_pk[created.pk].restore_url).status_code == 302
    project.refresh_from_db()
    assert (project.status, project.responsible_unit, list(project.target_groups.all())) == (
        "active",
        None,
        [homeless],
    )
    assert project.ends_on is None


def test_assignment_changes_are_recorded_with_unit_names(client_for, analysis, unit, planner):
    client = client_for("planner")
    page = client.get(reverse("analysis:assignments", args=[analysis.pk]))
    data = {}
    for _section, form in page.context["forms"]:
        data |= form_data(form)
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    data[f"s{section.pk}-unit"] = str(unit.pk)
    data[f"s{section.pk}-note"] = "Frist i mars"
    assert client.post(reverse("analysis:assignments", args=[analysis.pk]), data).status_code == 302
    [revision] = revisions(RevisionKind.ASSIGNMENT)
    assert (revision.object_id, revision.new_value["unit"], revision.label) == (
        section.pk,
        unit.pk,
        "Refleksjonsspørsmål",
    )
    history = client.get(reverse("analysis:assignment_history", args=[analysis.pk]))
    assert [(c.label, c.new) for c in history.context["rows"][0].changes] == [
        ("Ansvarlig enhet", "Eiendom"),
        ("Merknad", "Frist i mars"),
    ]


def test_answer_history_shows_choice_labels_not_keys(client_for, analysis, planner):
    question = Question.objects.get(key="boligpolitisk-plan")
    save_section_answers(
        analysis=analysis,
        section=question.section,
        values={question.key: "yes"},
        versions={question.key: 0},
        by=planner,
    )
    page = client_for("planner").get(
        reverse("analysis:answer_history", args=[analysis.pk, question.pk])
    )
    assert [(c.old, c.new) for c in page.context["rows"][0].changes] == [("–", "Ja")]
    assert ">yes<" not in page.text


def test_an_empty_history_spans_every_column(client_for, analysis):
    question = Question.objects.get(key="boligpolitisk-plan")
    page = client_for("planner").get(
        reverse("analysis:answer_history", args=[analysis.pk, question.pk])
    )
    # When, who, before, after, restore
    assert page.context["columns"] == 5 and 'colspan="5"' in page.text
    reader = client_for("reader").get(reverse("analysis:map_history", args=[analysis.pk]))
    # When, who, what, before, after (no restore on the map)
    assert 'colspan="5"' in reader.text and reader.context["columns"] == 5


@pytest.mark.parametrize(
    "name",
    ["map_history", "cooperation_history", "allocation_history", "assignment_history"],
)
@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 200, "adviser": 200, "outside_adviser": 404, "other_planner": 404}.items(),
)
def test_history_pages_answer_each_persona_as_designed(client_for, analysis, name, persona, status):
    assert (
        client_for(persona).get(reverse(f"analysis:{name}", args=[analysis.pk])).status_code
        == status
    )


@pytest.mark.parametrize(("persona", "status"), {"reader": 403, "other_planner": 404}.items())
def test_only_editors_restore_a_project(client_for, analysis, planner, persona, status):
    project = services.save_project(
        analysis=analysis,
        project=None,
        values={"name": "P", "status": "planned"},
        version=None,
        base=None,
        by=planner,
    )
    revision = Revision.objects.get(kind=RevisionKind.PROJECT)
    url = reverse("analysis:project_restore", args=[analysis.pk, project.pk, revision.pk])
    assert client_for(persona).post(url).status_code == status


def test_a_revision_of_another_row_cannot_be_restored_here(client_for, analysis, planner):
    body = CooperationBody.objects.create(analysis=analysis, name="A")
    services.save_row(analysis=analysis, instance=CooperationBody(name="B"), base=None, by=planner)
    other = Revision.objects.get(kind=RevisionKind.COOPERATION_BODY)
    url = reverse("analysis:cooperation_restore", args=[analysis.pk, "organ", body.pk, other.pk])
    assert client_for("planner").post(url).status_code == 404
