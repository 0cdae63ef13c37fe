"""A submitted or approved analysis is read-only everywhere: every section's page shows its
fields disabled, every POST changes nothing, and every write service refuses under its row
lock. Units and projects belong to the municipality, but are not changed from a submitted
analysis either."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis import merge
from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    ExternalActor,
    Project,
    Responsibility,
    Revision,
    SectionAssignment,
    Unit,
)
from analysis.services import answers as answer_services
from analysis.services import structures as services
from factors.models import FactorAssessment
from factors.services import assessments as factor_services
from reference.models import Instrument, Question, TaskArea
from tests import module_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """This round, the personas and `fill`, made once for the module's many tests (each
    test's own changes are rolled back before the next, tests/module_data.py)."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        world = module_data.usual_world()
        planner = User.objects.get(username="planner")
        world.filled = fill(Analysis.objects.get(pk=world.analysis), planner)
        yield world


@pytest.fixture
def analysis(made_once, db):
    return Analysis.objects.get(pk=made_once.analysis)


@pytest.fixture
def other_analysis(made_once, db):
    return Analysis.objects.get(pk=made_once.other_analysis)


@pytest.fixture
def personas(made_once, db):
    return module_data.personas()


@pytest.fixture
def planner(personas):
    return personas["planner"]


@pytest.fixture
def filled(made_once, db):
    """What `fill` made, read again for each test (a test may change the objects it gets)."""
    return {name: type(row).objects.get(pk=row.pk) for name, row in made_once.filled.items()}


def fill(analysis, planner):
    """One of everything, saved through the services while the analysis is open."""
    unit = services.add_unit(analysis=analysis, name="Eiendom", by=planner)
    question = Question.objects.get(key="eksisterende-planer")
    answer_services.save_section_answers(
        analysis=analysis,
        section=question.section,
        values={question.key: "Først"},
        versions={question.key: 0},
        by=planner,
    )
    answer_services.save_section_answers(
        analysis=analysis,
        section=question.section,
        values={question.key: "Så"},
        versions={question.key: 1},
        by=planner,
    )
    for score in (2, 3):
        factor_services.save_assessments(
            analysis=analysis,
            values={1: {"score": score, "status": "S", "challenges": "", "evidence": ""}},
            versions={1: score - 2},
            by=planner,
        )
    body = services.save_row(
        analysis=analysis, instance=CooperationBody(name="Forum"), base=None, by=planner
    )
    services.save_row(
        analysis=analysis,
        instance=CooperationBody(pk=body.pk, name="Forum", mandate="Ny"),
        base=merge.fingerprints({"mandate": ""}),
        by=planner,
    )
    actor = services.save_row(
        analysis=analysis,
        instance=ExternalActor(kind="nav", name="NAV"),
        base=None,
        by=planner,
    )
    project = services.save_project(
        analysis=analysis,
        project=None,
        values={"name": "Bo trygt", "status": "planned"},
        version=None,
        base=None,
        by=planner,
    )
    services.save_project(
        analysis=analysis,
        project=project,
        values={"name": "Bo trygt hjemme"},
        version=1,
        base=None,
        by=planner,
    )
    return {"unit": unit, "question": question, "body": body, "actor": actor, "project": project}


def state(analysis):
    """Everything the planner can change, to compare before and after."""
    return {
        "answers": list(Answer.objects.values_list("value", "version")),
        "assessments": list(FactorAssessment.objects.values_list("score", "version")),
        "map": list(Responsibility.objects.values_list("task_area", "unit", "role")),
        "units": list(Unit.objects.order_by("pk").values_list("name", "is_active")),
        "bodies": list(CooperationBody.objects.values_list("name", "mandate")),
        "actors": list(ExternalActor.objects.values_list("name", "cooperation_about")),
        "allocation": list(AllocationPractice.objects.values_list("decided_by")),
        "projects": list(Project.objects.values_list("name", "status", "version")),
        "assignments": list(SectionAssignment.objects.values_list("unit", "note")),
        "revisions": Revision.objects.count(),
    }


def posts(analysis, filled):
    """(url, data) for every write the planner can make from the browser."""
    unit, body, actor, project = filled["unit"], filled["body"], filled["actor"], filled["project"]
    area = TaskArea.objects.first()
    answer = Answer.objects.get()
    assessment = FactorAssessment.objects.get()
    first_answer = answer.revisions.order_by("pk").first()
    first_assessment = assessment.revisions.order_by("pk").first()
    first_body = Revision.objects.filter(kind="cooperation_body").order_by("pk").first()
    first_project = Revision.objects.filter(kind="project").order_by("pk").first()
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    startlan = Instrument.objects.get(key="startlan")
    a = analysis.pk
    return {
        "section": (
            reverse("analysis:section", args=[a, "forarbeid"]),
            {"q-eksisterende-planer": "Endret", "v-eksisterende-planer": "2"},
        ),
        "factors": (
            reverse("factors:assessments", args=[a]),
            {"f1-score": "5", "f1-status": "x", "f1-version": "2"},
        ),
        "map": (
            reverse("analysis:responsibility_map", args=[a]),
            {f"cell-{area.pk}-{unit.pk}": "responsible", "base": "{}"},
        ),
        "unit_add": (reverse("analysis:unit_add", args=[a]), {"name": "Ny enhet"}),
        "unit_rename": (
            reverse("analysis:unit_change", args=[a, unit.pk]),
            {"action": "rename", "name": "Nytt navn"},
        ),
        "unit_retire": (reverse("analysis:unit_change", args=[a, unit.pk]), {"action": "retire"}),
        "unit_delete": (reverse("analysis:unit_change", args=[a, unit.pk]), {"action": "delete"}),
        "cooperation_add": (
            reverse("analysis:cooperation_add", args=[a, "organ"]),
            {"name": "Nytt organ"},
        ),
        "cooperation_edit": (
            reverse("analysis:cooperation_edit", args=[a, "aktor", actor.pk]),
            {"kind": "nav", "name": "NAV", "cooperation_about": "Endret", "base": "{}"},
        ),
        "cooperation_delete": (
            reverse("analysis:cooperation_delete", args=[a, "organ", body.pk]),
            {},
        ),
        "cooperation_restore": (
            reverse("analysis:cooperation_restore", args=[a, "organ", body.pk, first_body.pk]),
            {},
        ),
        "allocation": (
            reverse("analysis:allocation", args=[a]),
            {f"i{startlan.pk}-decided_by": "NAV", f"i{startlan.pk}-base": "{}"},
        ),
        "project_create": (
            reverse("analysis:project_create", args=[a]),
            {"name": "Nytt", "status": "planned"},
        ),
        "project_edit": (
            reverse("analysis:project_edit", args=[a, project.pk]),
            {"name": "Endret", "status": "active", "version": "2"},
        ),
        "project_end": (reverse("analysis:project_end", args=[a, project.pk]), {}),
        "project_restore": (
            reverse("analysis:project_restore", args=[a, project.pk, first_project.pk]),
            {},
        ),
        "assignments": (
            reverse("analysis:assignments", args=[a]),
            {
                # every section's form carries the fingerprint of the row as loaded
                **{
                    f"s{s.pk}-base": merge.encode_base(
                        services.assignment_values(
                            SectionAssignment.objects.filter(analysis=analysis, section=s).first()
                        )
                    )
                    for s in analysis.round.questionnaire.sections.all()
                },
                f"s{section.pk}-unit": str(unit.pk),
                f"s{section.pk}-note": "x",
            },
        ),
        "answer_restore": (
            reverse("analysis:answer_restore", args=[a, filled["question"].pk, first_answer.pk]),
            {},
        ),
        "assessment_restore": (
            reverse("factors:assessment_restore", args=[a, 1, first_assessment.pk]),
            {},
        ),
    }


WRITES = [
    "section",
    "factors",
    "map",
    "unit_add",
    "unit_rename",
    "unit_retire",
    "unit_delete",
    "cooperation_add",
    "cooperation_edit",
    "cooperation_delete",
    "cooperation_restore",
    "allocation",
    "project_create",
    "project_edit",
    "project_end",
    "project_restore",
    "assignments",
    "answer_restore",
    "assessment_restore",
]


@pytest.mark.parametrize("status", [AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED])
@pytest.mark.parametrize("write", WRITES)
def test_no_post_changes_a_submitted_or_approved_analysis(
    client_for, analysis, filled, write, status
):
    url, data = posts(analysis, filled)[write]
    analysis.status = status
    analysis.save()
    before = state(analysis)
    response = client_for("planner").post(url, data, follow=True)
    assert response.status_code == 200
    assert "kan ikke endres" in response.text
    assert state(analysis) == before


@pytest.mark.parametrize("write", WRITES)
def test_the_same_posts_do_change_an_open_analysis(client_for, analysis, filled, write):
    """The read-only test above could pass for a wrong reason (a broken form); these posts
    are the ones that work while the analysis is open (allocation, map and the cooperation
    edit need their form's base, so they are refused as forged)."""
    url, data = posts(analysis, filled)[write]
    before = state(analysis)
    response = client_for("planner").post(url, data)
    if write in {"map", "allocation", "cooperation_edit"}:
        assert response.status_code in {400, 409}
        return
    assert response.status_code in {200, 302}
    assert state(analysis) != before


def _calls(analysis, filled, planner):
    unit, body, project = filled["unit"], filled["body"], filled["project"]
    question = filled["question"]
    answer = Answer.objects.get()
    assessment = FactorAssessment.objects.get()
    body_revision = Revision.objects.filter(kind="cooperation_body").first()
    project_revision = Revision.objects.filter(kind="project").last()
    return {
        "save_section_answers": lambda: answer_services.save_section_answers(
            analysis=analysis,
            section=question.section,
            values={question.key: "x"},
            versions={question.key: 2},
            by=planner,
        ),
        "restore_answer": lambda: answer_services.restore_answer(
            answer=answer, revision=answer.revisions.last(), by=planner
        ),
        "save_assessments": lambda: factor_services.save_assessments(
            analysis=analysis,
            values={2: {"score": 1, "status": "", "challenges": "", "evidence": ""}},
            versions={2: 0},
            by=planner,
        ),
        "restore_assessment": lambda: factor_services.restore_assessment(
            assessment=assessment, revision=assessment.revisions.last(), by=planner
        ),
        "save_responsibility_map": lambda: services.save_responsibility_map(
            analysis=analysis, cells={}, base={}, by=planner
        ),
        "add_unit": lambda: services.add_unit(analysis=analysis, name="Ny", by=planner),
        "rename_unit": lambda: services.rename_unit(
            analysis=analysis, unit=unit, name="Ny", by=planner
        ),
        "set_unit_active": lambda: services.set_unit_active(
            analysis=analysis, unit=unit, active=False, by=planner
        ),
        "remove_unit": lambda: services.remove_unit(analysis=analysis, unit=unit, by=planner),
        "save_row": lambda: services.save_row(
            analysis=analysis, instance=CooperationBody(name="Ny"), base=None, by=planner
        ),
        "delete_row": lambda: services.delete_row(analysis=analysis, instance=body, by=planner),
        "restore_row": lambda: services.restore_row(
            analysis=analysis, revision=body_revision, by=planner
        ),
        "save_allocation": lambda: services.save_allocation(
            analysis=analysis, rows={}, bases={}, by=planner
        ),
        "save_assignments": lambda: services.save_assignments(
            analysis=analysis, rows={}, by=planner
        ),
        "save_project": lambda: services.save_project(
            analysis=analysis,
            project=None,
            values={"name": "Ny", "status": "planned"},
            version=None,
            base=None,
            by=planner,
        ),
        "end_project": lambda: services.end_project(analysis=analysis, project=project, by=planner),
        "restore_project": lambda: services.restore_project(
            analysis=analysis, revision=project_revision, by=planner
        ),
    }


SERVICES = [
    "save_section_answers",
    "restore_answer",
    "save_assessments",
    "restore_assessment",
    "save_responsibility_map",
    "add_unit",
    "rename_unit",
    "set_unit_active",
    "remove_unit",
    "save_row",
    "delete_row",
    "restore_row",
    "save_allocation",
    "save_assignments",
    "save_project",
    "end_project",
    "restore_project",
]


@pytest.mark.parametrize("name", SERVICES)
def test_every_write_service_refuses_a_submitted_analysis(analysis, filled, planner, name):
    call = _calls(analysis, filled, planner)[name]
    # The object in hand still says "in progress": the service must read the status itself.
    type(analysis).objects.filter(pk=analysis.pk).update(status=AnalysisStatus.SUBMITTED)
    before = state(analysis)
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.code == "read_only"
    assert state(analysis) == before


@pytest.mark.parametrize(
    "target",
    [
        ("analysis:section", ["forarbeid"], "q-eksisterende-planer"),
        ("factors:assessments", [], "f1-status"),
        ("analysis:allocation", [], None),
        ("analysis:cooperation_edit", ["aktor", "actor"], "cooperation_about"),
        ("analysis:project_edit", ["project"], "description"),
        ("analysis:assignments", [], None),
    ],
)
def test_a_submitted_analysis_shows_every_field_disabled(client_for, analysis, filled, target):
    name, args, _field = target
    args = [filled[a].pk if a in filled else a for a in args]
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    response = client_for("planner").get(reverse(name, args=[analysis.pk, *args]))
    assert response.status_code == 200
    assert ">Lagre</button>" not in response.text
    forms = [response.context.get("form")] if response.context.get("form") else []
    forms += [f for _x, f in response.context.get("forms") or []]
    forms += [f for f, _x in response.context.get("rows") or []]
    assert forms
    assert all(field.disabled for form in forms for field in form.fields.values() if field.label)


def test_the_map_and_units_are_shown_without_controls_when_submitted(client_for, analysis, filled):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    page = client_for("planner").get(reverse("analysis:responsibility_map", args=[analysis.pk]))
    assert "Legg til enhet" not in page.text and "Gi nytt navn" not in page.text
    assert 'name="name"' not in page.text
    # The roles are shown as text, not as controls nobody can use (issue 15).
    assert 'name="cell-' not in page.text and 'name="gap-' not in page.text
    assert page.context["matrix"].rows and "read-only-answer" in page.text


@pytest.mark.parametrize(
    "write", ["factors", "cooperation_add", "cooperation_delete", "unit_add", "assignments"]
)
def test_a_post_to_another_municipalitys_analysis_is_404(
    client_for, analysis, other_analysis, filled, write
):
    url, data = posts(analysis, filled)[write]
    url = url.replace(f"/{analysis.pk}/", f"/{other_analysis.pk}/", 1)
    before = state(analysis)
    assert client_for("planner").post(url, data).status_code == 404
    assert state(analysis) == before
