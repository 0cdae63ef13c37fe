"""Every page of the planner's analysis runs a fixed number of queries, however many
answers, units, projects, cooperation entries and history rows there are (DESIGN.md, Speed).
Each page is loaded with a little and with a lot of data; the count must be the same."""

import datetime

import pytest
from django.urls import reverse

from analysis import merge
from analysis.models import CooperationBody, ExternalActor, Project
from analysis.services import answers as answer_services
from analysis.services import structures as services
from factors.services import assessments as factor_services
from plans import services as plan_services
from plans.models import Measure
from reference.models import (
    FundingSource,
    Instrument,
    Question,
    SuccessFactor,
    TargetGroup,
    TaskArea,
)
from tests.factories import FAUSKE, VEFSN, analysis_of, make_editor, open_year
from tests.module_data import rolled_back_at_the_end

pytestmark = pytest.mark.django_db


def populate(analysis, planner, size):
    """`size` units, map columns, projects, bodies and actors, and `size` saves of every
    answer and assessment (so the history pages have `size` rows each). With size 1, one
    question per section is answered; with more, all of them."""
    units = [
        services.add_unit(analysis=analysis, name=f"Enhet {i}", by=planner) for i in range(size)
    ]
    cells = {(area.pk, unit.pk): "responsible" for area in TaskArea.objects.all() for unit in units}
    services.save_responsibility_map(
        analysis=analysis,
        cells=cells,
        base={services.cell_key(a, u): merge.fingerprint("") for a, u in cells},
        by=planner,
    )
    for section in analysis.round.questionnaire.sections.all():
        questions = list(section.questions.all())[: 1 if size == 1 else None]
        for i in range(size):
            answer_services.save_section_answers(
                analysis=analysis,
                section=section,
                values={q.key: _answer(q, i) for q in questions},
                versions={q.key: i for q in questions},
                by=planner,
            )
        for i in range(size):
            services.save_assignments(
                analysis=analysis,
                rows={section.pk: {"unit": units[i], "assignee": planner, "note": f"Frist {i}"}},
                by=planner,
            )
    factors = list(SuccessFactor.objects.all())
    for i in range(size):
        factor_services.save_assessments(
            analysis=analysis,
            values={
                f.number: {"score": 1 + i % 5, "status": f"S{i}", "challenges": "", "evidence": ""}
                for f in factors
            },
            versions={f.number: i for f in factors},
            by=planner,
        )
    rows = []
    for i in range(size):
        rows.append(
            services.save_row(
                analysis=analysis,
                instance=CooperationBody(name=f"Organ {i}", members="NAV"),
                base=None,
                by=planner,
            )
        )
        rows.append(
            services.save_row(
                analysis=analysis,
                instance=ExternalActor(kind="nav", name=f"Aktør {i}"),
                base=None,
                by=planner,
            )
        )
    project = None
    for i in range(size):
        values = {
            "name": f"Prosjekt {i}",
            "status": "active",
            "responsible_unit": units[i],
            "target_groups": list(TargetGroup.objects.all()[:3]),
            "funding_sources": list(FundingSource.objects.all()[:2]),
            "factors": list(SuccessFactor.objects.all()[:2]),
        }
        saved = services.save_project(
            analysis=analysis, project=None, values=values, version=None, base=None, by=planner
        )
        project = project or saved
        # The first project changes `size` times: its history grows with the data.
        if i:
            services.save_project(
                analysis=analysis,
                project=project,
                values={"results": f"Resultat {i}"},
                version=project.version + i - 1,
                base=None,
                by=planner,
            )
    instruments = list(Instrument.objects.all())
    for i in range(size):
        services.save_allocation(
            analysis=analysis,
            rows={
                x.pk: {"decided_by": f"Team {i}", "criteria": "Inntekt", "criteria_written": True}
                for x in instruments
            },
            bases={
                x.pk: merge.fingerprints(
                    services.allocation_values(None)
                    if i == 0
                    else {
                        "decided_by": f"Team {i - 1}",
                        "criteria": "Inntekt",
                        "criteria_written": True,
                    }
                )
                for x in instruments
            },
            by=planner,
        )
    # The action plan: three measures per unit of size (30 for the larger world), each with a
    # unit, an owner, factors and a status update beside its creation.
    measures = []
    for i in range(3 * size):
        measure = plan_services.save_measure(
            analysis=analysis,
            measure=None,
            values={
                "title": f"Tiltak {i}",
                "priority": 1 + i % 3,
                "responsible_unit": units[i % size],
                "owner_user": planner,
                "funding_source": FundingSource.objects.first(),
                "factors": list(SuccessFactor.objects.all()[:2]),
            },
            version=None,
            base=None,
            by=planner,
        )
        plan_services.change_measure_status(
            analysis=analysis, measure=measure, status="started", note="", version=None, by=planner
        )
        measures.append(measure)
    # The first measure is edited `size` times: its history grows with the data.
    first = measures[0]
    for i in range(size):
        version = Measure.objects.get(pk=first.pk).version
        plan_services.save_measure(
            analysis=analysis,
            measure=first,
            values={
                "deadline": datetime.date(2026, 6, 1) + datetime.timedelta(days=i),
                "owner_name": f"Eier {i}",
                "funding_source": FundingSource.objects.last(),
            },
            version=version,
            base=None,
            by=planner,
        )
    return {"body": rows[0], "actor": rows[1], "project": project, "measure": measures[0]}


def _answer(question, i):
    if question.kind == "yes_no":
        return "yes"
    if question.kind == "scale":
        return "3"
    if question.kind == "choice":
        return question.choices[0]["value"]
    return f"Svar {i}"


PAGES = {
    "analysis": lambda a, o: a.get_absolute_url(),
    "section forarbeid": lambda a, o: reverse("analysis:section", args=[a.pk, "forarbeid"]),
    "section refleksjon": lambda a, o: reverse("analysis:section", args=[a.pk, "refleksjon"]),
    "factors": lambda a, o: reverse("factors:assessments", args=[a.pk]),
    "map": lambda a, o: reverse("analysis:responsibility_map", args=[a.pk]),
    "cooperation": lambda a, o: reverse("analysis:cooperation", args=[a.pk]),
    "allocation": lambda a, o: reverse("analysis:allocation", args=[a.pk]),
    "projects": lambda a, o: reverse("analysis:projects", args=[a.pk]),
    "project create": lambda a, o: reverse("analysis:project_create", args=[a.pk]),
    "project edit": lambda a, o: reverse("analysis:project_edit", args=[a.pk, o["project"].pk]),
    "body form": lambda a, o: reverse(
        "analysis:cooperation_edit", args=[a.pk, "organ", o["body"].pk]
    ),
    "actor form": lambda a, o: reverse(
        "analysis:cooperation_edit", args=[a.pk, "aktor", o["actor"].pk]
    ),
    "assignments": lambda a, o: reverse("analysis:assignments", args=[a.pk]),
    "measures": lambda a, o: reverse("plans:measures", args=[a.pk]),
    "measure create": lambda a, o: reverse("plans:measure_create", args=[a.pk]),
    "measure edit": lambda a, o: reverse("plans:measure_edit", args=[a.pk, o["measure"].pk]),
    "measure status": lambda a, o: reverse("plans:measure_status", args=[a.pk, o["measure"].pk]),
    "map history": lambda a, o: reverse("analysis:map_history", args=[a.pk]),
    "cooperation history": lambda a, o: reverse("analysis:cooperation_history", args=[a.pk]),
    "allocation history": lambda a, o: reverse("analysis:allocation_history", args=[a.pk]),
    "project history": lambda a, o: reverse(
        "analysis:project_history", args=[a.pk, o["project"].pk]
    ),
    "assignment history": lambda a, o: reverse("analysis:assignment_history", args=[a.pk]),
    "answer history": lambda a, o: reverse(
        "analysis:answer_history", args=[a.pk, Question.objects.get(key="eksisterende-planer").pk]
    ),
    "assessment history": lambda a, o: reverse("factors:assessment_history", args=[a.pk, 1]),
}


# Every page starts with: the session, the user, the user's memberships, the analysis (with
# its municipality, county, region, round and questionnaire).
BASE = 4
# Structure pages add: the sections in order, each with whether it has questions of its own
# (the page's section, and the links to the previous and next part), the adviser's comments
# on the section, the section assignments. (BASE + 4, and + 1 for the links, before the
# sections were read once.)
STRUCTURE = BASE + 3

# The analysis page computed afresh, as after any change of what it shows.
# What several blocks share is read once (analysis/selectors/reads.py): sections,
# questions (their progress and the unanswered required ones), answers (by id for the
# progress, by key for the recommendations), task areas, map cells, task areas answered
# without a unit, allocation practices with their instrument, instruments, assessments,
# factors. Then: cooperation counts, projects exist; assignments; the key figures' version
# (the figures themselves were computed on the page before, keyfigures/versions.py);
# who changed the analysis last; the municipality's measures (read once for the action
# plan's block and the recommendations answered by a measure), those waiting for this
# round's update; the recommendations: the map's units, cooperation bodies, the rules; the
# scores of every round (the trend). (Was BASE + 36 before the shared reads and the cached
# key figures, issue 16.)
ANALYSIS_PAGE_AFRESH = BASE + 22

EXPECTED = {
    # Everything the page computed is kept under the analysis's content token
    # (analysis/versions.py), the round switcher and who changed the analysis last too; what
    # is left: the key figures' version (the figures are kept under it,
    # keyfigures/versions.py). (Was ANALYSIS_PAGE_AFRESH before, issue 16.)
    "analysis": BASE + 1,
    # Every part ends with "previous part" and "next part": + 1, the sections in order, except
    # where the page reads them itself.
    # the sections in order (the page's and the links to the previous and next part), its
    # questions, the answers, review comments, assignments
    "section forarbeid": BASE + 5,
    "section refleksjon": BASE + 5,
    # assessments, the factor section, the adviser's comments on it, assignments (the factors
    # with their criteria and levels, and the projects by factor, are kept under the
    # analysis's content token: analysis/versions.py)
    "factors": BASE + 4 + 1,
    # task areas, cells, task areas answered without a unit, units in the map; every unit
    # (the list under the map)
    "map": STRUCTURE + 5,
    # bodies, actors
    "cooperation": STRUCTURE + 2,
    # instruments, practices
    "allocation": STRUCTURE + 2,
    # target groups (filter), projects, their target groups, funding sources and factors
    "projects": STRUCTURE + 5,
    # unit, target group, funding source and factor choices
    "project create": STRUCTURE + 4,
    # the project, its target groups, funding sources and factors (initial values), then
    # the choices as for a new project
    "project edit": STRUCTURE + 8,
    # the body or actor
    "body form": STRUCTURE + 1,
    "actor form": STRUCTURE + 1,
    # sections, units, colleagues (once for all the sections' forms), assignments
    "assignments": BASE + 4,
    # revisions with who made them
    "map history": BASE + 1,
    "cooperation history": BASE + 1,
    "allocation history": BASE + 1,
    # the project, its revisions, units, target groups, funding sources, factors
    "project history": BASE + 6,
    # revisions, units, the colleagues they name
    "assignment history": BASE + 3,
    # the question (or factor), its revisions
    "answer history": BASE + 2,
    "assessment history": BASE + 2,
    # measures (with unit, owner, funding, key figure, round), their factors, their status
    # changes (with who and round), those waiting for this round's update
    "measures": BASE + 4,
    # unit, colleague, funding source, key figure and factor choices
    "measure create": BASE + 5,
    # the measure, its factors (initial values), then the choices as for a new measure
    "measure edit": BASE + 7,
    # the measure, its status changes with who and round, the edits of its fields (with who);
    # for the edits in words: the municipality's units, funding sources, key figures, success
    # factors, the owners named
    "measure status": BASE + 8,
}


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """The data every test of this module reads, made once: this round's Fauske with a little
    (size 1) and Vefsn with a lot (size 10), each with an editor of its own. It lives in a
    transaction that every test runs inside (each test's own is a savepoint) and that is
    rolled back when the module is done."""
    with django_db_blocker.unblock(), rolled_back_at_the_end():
        round_ = open_year(2026)
        made = {}
        for size, number in ((1, FAUSKE), (10, VEFSN)):
            analysis = analysis_of(round_, number)
            planner = make_editor(f"planner-{size}", number)
            made[size] = (analysis, planner, populate(analysis, planner, size))
        yield made


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_the_same_number_of_queries_for_little_and_much_data(
    client, worlds, page, size, django_assert_num_queries
):
    analysis, planner, objects = worlds[size]
    url = PAGES[page](analysis, objects)
    client.force_login(planner)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(EXPECTED[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_the_analysis_page_computed_afresh_runs_the_same_number_of_queries(
    client, worlds, size, django_assert_num_queries
):
    from analysis import versions

    analysis, planner, _objects = worlds[size]
    client.force_login(planner)
    assert client.get(analysis.get_absolute_url()).status_code == 200
    # As after any change of what the page shows (analysis/versions.py).
    versions.changed_for_municipality(analysis.municipality_id)
    with django_assert_num_queries(ANALYSIS_PAGE_AFRESH):
        response = client.get(analysis.get_absolute_url())
    assert response.status_code == 200


def test_the_data_really_grows_between_the_two_sizes(worlds):
    """The test above means something only if size 10 holds more of everything."""
    from analysis.models import Answer, Revision, Unit

    analysis, _planner, objects = worlds[10]
    municipality = analysis.municipality
    assert Unit.objects.filter(municipality=municipality).count() == 10
    assert Project.objects.filter(municipality=municipality).count() == 10
    assert CooperationBody.objects.filter(analysis=analysis).count() == 10
    assert ExternalActor.objects.filter(analysis=analysis).count() == 10
    assert (
        Answer.objects.filter(analysis=analysis).count()
        == Question.objects.filter(section__questionnaire=analysis.round.questionnaire).count()
    )
    answer = Answer.objects.get(analysis=analysis, question__key="eksisterende-planer")
    assert answer.revisions.count() == 10
    project = objects["project"]
    assert Revision.objects.filter(kind="project", object_id=project.pk).count() == 10
    assert Revision.objects.filter(kind="measure", object_id=objects["measure"].pk).count() == 10
    allocation = Revision.objects.filter(analysis=analysis, kind="allocation")
    assert allocation.count() == 10 * Instrument.objects.count()
