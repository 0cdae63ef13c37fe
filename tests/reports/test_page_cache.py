"""The report page is kept rendered (reports/versions.py), and every change of what it shows
appears on the very next load: of the analysis itself, of the municipality's other rows, of
earlier rounds, of what every report reads, and of the key figures."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    CooperationBody,
    ExternalActor,
    Project,
    Responsibility,
    SectionAssignment,
    StatusChange,
    Unit,
)
from factors.models import FactorAssessment, Invitation, UserFactorRating, UserOrganisationInput
from keyfigures.models import IndicatorValue, LocalFigure
from plans.models import DecisionProposal, Measure, MeasureStatusChange
from reference.models import (
    County,
    Municipality,
    Question,
    Section,
    SuccessFactor,
    TargetGroup,
)
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from reports.models import RecommendationRule
from tests import module_data
from tests.factories import analysis_of, open_year
from tests.reports.conftest import add_indicator_values, answer, fill

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """This round, the personas, the rules' texts and Fauske filled with key figures, made
    once for the module's tests (each test's own changes are rolled back before the next,
    tests/module_data.py)."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        world = module_data.usual_world()
        load_recommendation_rules()
        analysis = Analysis.objects.get(pk=world.analysis)
        fill(analysis)
        add_indicator_values(analysis.municipality)
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
def reader(personas):
    return personas["reader"]


@pytest.fixture
def report_page(client_for, analysis):
    """The planner's report page (of Fauske filled), read once so that it is kept; then each
    call reads it again as the planner would."""
    client = client_for("planner")
    url = f"/rapport/{analysis.pk}/"

    def load() -> str:
        response = client.get(url)
        assert response.status_code == 200
        shown = html.unescape(response.text).replace("\xa0", " ")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", shown)

    load()
    return load


def rename_first_question(analysis):
    question = Question.objects.get(
        section__questionnaire=analysis.round.questionnaire, key="eksisterende-planer"
    )
    question.text_nb = "Et nytt spørsmål om planene?"
    question.save()
    return "Et nytt spørsmål om planene?"


def earlier_round_scores(analysis):
    earlier = analysis_of(open_year(analysis.round.year - 1), analysis.municipality.number)
    for factor in SuccessFactor.objects.all():
        FactorAssessment.objects.create(analysis=earlier, factor=factor, score=5)
    return earlier.round.title


def approval_by_a_named_adviser(analysis):
    adviser = User.objects.create_user("godkjenner", first_name="Gunn", last_name="Godkjenner")
    StatusChange.objects.create(
        analysis=analysis, from_status="in_progress", to_status="submitted", changed_by=adviser
    )
    StatusChange.objects.create(
        analysis=analysis, from_status="submitted", to_status="approved", changed_by=adviser
    )
    Analysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.APPROVED, approved_at=timezone.now()
    )
    return "Gunn Godkjenner"


def renamed_adviser(analysis):
    approval_by_a_named_adviser(analysis)
    adviser = User.objects.get(username="godkjenner")
    adviser.last_name = "Omdøpt"
    adviser.save()
    return "Gunn Omdøpt"


def user_organisation_view(analysis):
    invitation = Invitation.objects.create(
        analysis=analysis,
        organisation_name="Leieboerforeningen Nord",
        token="ny-invitasjon",
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    view = UserOrganisationInput.objects.create(invitation=invitation, comment="Godt arbeid.")
    UserFactorRating.objects.bulk_create(
        UserFactorRating(input=view, factor=f, score=4) for f in SuccessFactor.objects.all()
    )
    return "Leieboerforeningen Nord"


def new_measure_status(analysis):
    measure = Measure.objects.filter(municipality=analysis.municipality).first()
    measure.status = "stopped"
    measure.stop_reason = "Lagt inn i kommuneplanen i stedet."
    measure.save()
    MeasureStatusChange.objects.create(
        measure=measure, round=analysis.round, from_status="started", to_status="stopped"
    )
    return "Lagt inn i kommuneplanen i stedet."


def with_unit(analysis, name):
    return Unit.objects.create(municipality=analysis.municipality, name=name)


def project_target_group(analysis):
    group = TargetGroup.objects.order_by("pk").last()
    project = Project.objects.get(municipality=analysis.municipality, name="Bo trygt 0")
    project.target_groups.clear()
    project.target_groups.add(group)
    return group.name_nb


def tweak(model, filters, **values):
    row = model.objects.get(**filters)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


CHANGES = {
    "an answer": lambda a: answer(a, "eksisterende-planer", "Ny boligplan vedtatt i mai.").value,
    "a factor's text": lambda a: (
        tweak(
            FactorAssessment,
            {"analysis": a, "factor__number": 1},
            score=1,
            challenges="Ingen felles mål ennå.",
        ),
        "Ingen felles mål ennå.",
    )[1],
    "a unit's name": lambda a: (
        tweak(Unit, {"municipality": a.municipality, "name": "NAV-kontoret"}, name="NAV Salten"),
        "NAV Salten",
    )[1],
    "a cell of the responsibility map": lambda a: (
        Responsibility.objects.create(
            analysis=a,
            task_area=Responsibility.objects.filter(analysis=a).first().task_area,
            unit=with_unit(a, "Eiendomsavdelingen"),
            role="contributing",
        ),
        "Eiendomsavdelingen",
    )[1],
    "a cooperation body": lambda a: (
        CooperationBody.objects.create(
            analysis=a, name="Boligsosialt råd", is_formal=True, mandate="Samordne."
        ).name
    ),
    "an external actor": lambda a: (
        ExternalActor.objects.create(analysis=a, kind="other", name="Kirkens Bymisjon").name
    ),
    "an allocation practice": lambda a: (
        tweak(AllocationPractice, {"analysis": a}, decided_by="Boligkontoret i Fauske"),
        "Boligkontoret i Fauske",
    )[1],
    "a project": lambda a: (
        tweak(Project, {"municipality": a.municipality, "name": "Bo trygt 0"}, name="Bo godt"),
        "Bo godt",
    )[1],
    "a project's target groups": project_target_group,
    "a section given to a unit": lambda a: (
        SectionAssignment.objects.create(
            analysis=a,
            section=Section.objects.filter(questionnaire=a.round.questionnaire).first(),
            unit=with_unit(a, "Flyktningtjenesten"),
        ),
        "Flyktningtjenesten",
    )[1],
    "a user organisation's view": user_organisation_view,
    "a measure of the plan": lambda a: (
        Measure.objects.create(
            municipality=a.municipality, planned_in=a.round, title="Felles inntaksteam"
        ).title
    ),
    "a measure's status": new_measure_status,
    "the proposed decision": lambda a: (
        DecisionProposal.objects.create(
            analysis=a, text="Kommunestyret tar analysen til orientering."
        ).text
    ),
    "the municipality's own figure": lambda a: (
        LocalFigure.objects.create(
            municipality=a.municipality,
            name="Bostedsløse ved telling",
            year=2024,
            value=Decimal("7"),
            unit="count",
            source="Egen telling",
        ).name
    ),
    "the municipality's name": lambda a: (
        tweak(Municipality, {"pk": a.municipality_id}, name="Fauske by"),
        "Fauske by",
    )[1],
    "the county's name": lambda a: (
        tweak(County, {"pk": a.municipality.county_id}, name="Nordlandet"),
        "Nordlandet",
    )[1],
    "a key figure": lambda a: (
        tweak(
            IndicatorValue,
            {
                "municipality": a.municipality,
                "year": 2024,
                "indicator__code": "midlertidig-botilbud",
            },
            value=Decimal("1234"),
        ),
        "1 234",
    )[1],
    "a recommendation rule's text": lambda a: (
        tweak(
            RecommendationRule,
            {"key": "boligpolitisk-plan"},
            title_nb="Vedta en boligplan før sommeren",
        ),
        "Vedta en boligplan før sommeren",
    )[1],
    "a question of the questionnaire": rename_first_question,
    "a success factor's name": lambda a: (
        tweak(SuccessFactor, {"number": 2}, name_nb="Helhetlig styring"),
        "Helhetlig styring",
    )[1],
    "the previous round's scores": earlier_round_scores,
    "the approval, with who approved": approval_by_a_named_adviser,
    "the name of who approved": renamed_adviser,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_shows_in_the_report_at_once(report_page, analysis, change):
    before = report_page()
    expected = CHANGES[change](analysis)
    assert expected not in before
    assert expected in report_page()


def test_a_removed_row_is_gone_at_once(report_page, analysis):
    assert "Boligforum" in report_page()
    CooperationBody.objects.get(analysis=analysis, name="Boligforum").delete()
    assert "Boligforum" not in report_page()


def test_the_page_kept_is_the_same_as_the_page_rendered_afresh(report_page, analysis):
    from django.core.cache import cache

    kept = report_page()
    cache.clear()
    assert report_page() == kept


def test_a_change_rolled_back_leaves_the_kept_page_as_it_was(report_page, analysis):
    before = report_page()
    with pytest.raises(RuntimeError), transaction.atomic():
        answer(analysis, "eksisterende-planer", "Aldri lagret.")
        raise RuntimeError
    assert report_page() == before


def test_a_change_after_a_rolled_back_savepoint_still_shows(report_page, analysis):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            answer(analysis, "eksisterende-planer", "Aldri lagret.")
            raise RuntimeError
        answer(analysis, "eksisterende-planer", "Lagret etterpå.")
    shown = report_page()
    assert "Lagret etterpå." in shown
    assert "Aldri lagret." not in shown


def test_another_municipality_changing_leaves_the_kept_page_alone(
    report_page, analysis, other_analysis, django_assert_num_queries
):
    answer(other_analysis, "eksisterende-planer", "Vefsns egen plan.")
    # 1 session, 2 user, 3 memberships, 4 the analysis, 5 archived PDFs, 6 the tokens.
    with django_assert_num_queries(6):
        report_page()


def test_logging_in_leaves_the_kept_page_alone(
    report_page, client, planner, django_assert_num_queries
):
    # A login saves the user's last_login; nothing a report shows.
    client.force_login(planner)
    with django_assert_num_queries(6):
        report_page()


def test_a_reader_gets_no_buttons_from_the_planners_kept_page(
    report_page, client_for, analysis, reader
):
    assert 'form="measure-from-recommendation"' in report_page()
    client = client_for("reader")
    shown = client.get(f"/rapport/{analysis.pk}/").text
    assert 'form="measure-from-recommendation"' not in shown
    assert 'id="measure-from-recommendation"' not in shown


def test_the_buttons_post_a_form_with_the_persons_own_token(report_page, client, analysis):
    report_page()
    shown = client.get(f"/rapport/{analysis.pk}/").text
    assert shown.count('id="measure-from-recommendation"') == 1
    form = shown[shown.index('<form id="measure-from-recommendation"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken" value="' in form
