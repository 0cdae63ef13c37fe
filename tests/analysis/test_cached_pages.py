"""The analysis page and the review page keep what they computed under the analysis's content
token (analysis/versions.py). Whatever changes what they show, through a service or straight
in the database as the admin does, shows on the next load at once: each test loads the page
(so it is kept), changes one thing, and loads it again."""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analysis import merge
from analysis.models import (
    AnalysisStatus,
    Answer,
    Project,
    Responsibility,
    Round,
    StatusChange,
    Unit,
)
from analysis.services import answers as answer_services
from analysis.services import rounds, structures
from factors.models import Invitation, UserOrganisationInput
from plans.models import Measure
from reference.models import Question, SuccessFactor, TargetGroup, TaskArea
from tests.analysis.review.test_every_part_and_internal_notes import fill_both_rounds, last_year
from tests.factories import FAUSKE, make_editor, open_year

pytestmark = pytest.mark.django_db

__all__ = ["last_year"]  # the fixture, for the tests below


def review(client, analysis) -> str:
    response = client.get(reverse("analysis:review", args=[analysis.pk]))
    assert response.status_code == 200
    return response.text


def page(client, analysis) -> str:
    response = client.get(analysis.get_absolute_url())
    assert response.status_code == 200
    return response.text


def free_text_question(analysis) -> Question:
    return (
        Question.objects.filter(section__questionnaire=analysis.round.questionnaire, kind="text")
        .order_by("section__order", "order")
        .first()
    )


def test_an_answer_saved_by_the_planner_shows_on_both_pages_at_once(client_for, analysis, planner):
    adviser, own = client_for("adviser"), client_for("planner")
    assert "Et nytt svar" not in review(adviser, analysis)
    page(own, analysis)
    question = free_text_question(analysis)
    answer_services.save_section_answers(
        analysis=analysis,
        section=question.section,
        values={question.key: "Et nytt svar"},
        versions={question.key: 0},
        by=planner,
    )
    assert "Et nytt svar" in review(adviser, analysis)
    # The analysis page counts it: the section is no longer missing that question.
    shown = own.get(analysis.get_absolute_url()).context["section_rows"]
    row = next(r for r in shown if r.section.pk == question.section_id)
    assert question not in row.missing_questions


def test_a_unit_renamed_shows_in_the_map_of_the_review_at_once(client_for, analysis, planner):
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    Responsibility.objects.create(
        analysis=analysis, task_area=TaskArea.objects.first(), unit=unit, role="responsible"
    )
    adviser = client_for("adviser")
    assert "Eiendom" in review(adviser, analysis)
    structures.rename_unit(analysis=analysis, unit=unit, name="Bolig og eiendom", by=planner)
    assert "Bolig og eiendom" in review(adviser, analysis)


def test_a_projects_target_groups_changed_show_at_once(client_for, analysis):
    project = Project.objects.create(municipality=analysis.municipality, name="Housing First")
    first, last = TargetGroup.objects.order_by("order")[:1].get(), TargetGroup.objects.last()
    project.target_groups.set([first])
    adviser = client_for("adviser")
    assert str(last) not in review(adviser, analysis)
    project.target_groups.add(last)
    assert str(last) in review(adviser, analysis)


def test_a_new_measure_and_a_user_organisations_view_show_at_once(client_for, analysis):
    import datetime

    adviser, own = client_for("adviser"), client_for("planner")
    review(adviser, analysis)
    page(own, analysis)
    Measure.objects.create(
        municipality=analysis.municipality, planned_in=analysis.round, title="Skrive boligplan"
    )
    invitation = Invitation.objects.create(
        analysis=analysis,
        organisation_name="Marborg",
        token="cached-marborg",
        expires_at=datetime.datetime(analysis.round.year + 1, 1, 1, tzinfo=datetime.UTC),
    )
    UserOrganisationInput.objects.create(invitation=invitation, comment="Brukerstemmen")
    shown = review(adviser, analysis)
    assert "Skrive boligplan" in shown and "Brukerstemmen" in shown
    assert "Skrive boligplan" in page(own, analysis)


def test_a_question_reworded_in_the_admin_shows_at_once(client_for, analysis):
    adviser, own = client_for("adviser"), client_for("planner")
    review(adviser, analysis)
    page(own, analysis)
    question = free_text_question(analysis)
    question.text_nb = "Et helt nytt spørsmål"
    question.save()
    assert "Et helt nytt spørsmål" in review(adviser, analysis)
    section = question.section
    section.title_nb = "En ny overskrift"
    section.save()
    assert "En ny overskrift" in page(own, analysis)


def test_a_change_in_the_previous_round_shows_as_a_change_at_once(client_for, analysis, last_year):
    fill_both_rounds(analysis, last_year)
    adviser = client_for("adviser")
    assert "Helt nytt svar" in review(adviser, analysis)
    question = free_text_question(analysis)
    Answer.objects.filter(analysis=last_year, question=question).update(value="x")  # unseen
    Answer.objects.get(analysis=last_year, question=question).save()  # as the admin saves it
    shown = review(adviser, analysis)
    assert "Gammel refleksjon" not in shown
    assert '<div class="answer-text">x</div>' in shown


def test_an_assignees_new_name_shows_at_once(client_for, analysis, planner):
    colleague = make_editor("kollega", FAUSKE)
    unit = structures.add_unit(analysis=analysis, name="Eiendom", by=planner)
    section = analysis.round.questionnaire.sections.order_by("order").first()
    structures.save_assignments(
        analysis=analysis,
        rows={section.pk: {"unit": unit, "assignee": colleague, "note": ""}},
        by=planner,
    )
    own = client_for("planner")
    assert "Eiendom, kollega" in page(own, analysis)
    colleague.first_name, colleague.last_name = "Kari", "Nordmann"
    colleague.save()
    assert "Eiendom, Kari Nordmann" in page(own, analysis)


def test_a_login_keeps_what_the_pages_computed(analysis, planner):
    """A login writes only its time: nothing a page shows, so nothing is computed again."""
    from django.contrib.auth.models import update_last_login

    analysis.refresh_from_db()
    token = analysis.content_token
    update_last_login(None, planner)
    analysis.refresh_from_db()
    assert analysis.content_token == token


def test_a_change_that_is_rolled_back_leaves_the_token_as_it_was(analysis, planner):
    analysis.refresh_from_db()
    token = analysis.content_token
    with pytest.raises(RuntimeError), transaction.atomic():
        Unit.objects.create(municipality=analysis.municipality, name="Angret")
        raise RuntimeError
    analysis.refresh_from_db()
    assert analysis.content_token == token


def token_writes(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "content_token" in q["sql"])


def test_a_transaction_writing_many_rows_replaces_the_token_once(analysis, planner):
    """A service saving a page of rows replaced the token once a row; once is enough."""
    analysis.refresh_from_db()
    token = analysis.content_token
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for name in ("Eiendom", "Helse", "NAV", "Bolig"):
            Unit.objects.create(municipality=analysis.municipality, name=name)
    assert token_writes(queries) == 1
    analysis.refresh_from_db()
    assert analysis.content_token != token


def token_writes_saving_a_map(analysis, planner, areas, units) -> int:
    cells = {(area.pk, unit.pk): "responsible" for area in areas for unit in units}
    with CaptureQueriesContext(connection) as queries:
        structures.save_responsibility_map(
            analysis=analysis,
            cells=cells,
            base={structures.cell_key(a, u): merge.fingerprint("") for a, u in cells},
            by=planner,
        )
    return token_writes(queries)


def test_saving_a_map_replaces_the_token_as_often_for_one_cell_as_for_all(
    analysis, other_analysis, planner, other_planner
):
    """The first save of a responsibility map writes a row and a revision a cell."""
    areas = list(TaskArea.objects.all())
    one = structures.add_unit(analysis=analysis, name="A", by=planner)
    many = [
        structures.add_unit(analysis=other_analysis, name=name, by=other_planner)
        for name in ("A", "B", "C")
    ]
    assert len(areas) * len(many) > 10
    assert token_writes_saving_a_map(analysis, planner, areas[:1], [one]) == (
        token_writes_saving_a_map(other_analysis, other_planner, areas, many)
    )


@pytest.fixture
def mapped_unit(analysis) -> Unit:
    """A unit in Fauske's responsibility map, so the review page shows its name."""
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    Responsibility.objects.create(
        analysis=analysis, task_area=TaskArea.objects.first(), unit=unit, role="responsible"
    )
    return unit


def rename(unit: Unit, name: str) -> None:
    unit.name = name
    unit.save()


def test_each_block_replaces_the_token_again(client_for, analysis, mapped_unit):
    """The next transaction (here a savepoint after the first) replaces the token of its
    own, so a page read between the two shows the second write too."""
    adviser = client_for("adviser")
    with transaction.atomic():
        rename(mapped_unit, "Helse")
    assert "Helse" in review(adviser, analysis)
    with transaction.atomic():
        rename(mapped_unit, "Helsetjenesten")
    assert "Helsetjenesten" in review(adviser, analysis)


def test_a_page_read_between_two_writes_of_one_block_is_not_kept(client_for, analysis, mapped_unit):
    """The second write leaves the token as the first made it, so the page read between
    them must not be kept under it."""
    adviser = client_for("adviser")
    with transaction.atomic():
        rename(mapped_unit, "Helse")
        assert "Helse" in review(adviser, analysis)
        rename(mapped_unit, "Helsetjenesten")
    assert "Helsetjenesten" in review(adviser, analysis)


@pytest.mark.django_db(transaction=True)
def test_in_real_transactions_once_each_and_again_in_the_next(client_for, analysis, mapped_unit):
    """As in production, each a transaction of its own that commits: the first replaces the
    token once for its writes, and the next replaces it again."""
    adviser = client_for("adviser")
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            rename(mapped_unit, "Helse")
            rename(mapped_unit, "Helse og omsorg")
        assert token_writes(queries) == 1
    assert "Helse og omsorg" in review(adviser, analysis)
    with transaction.atomic():
        rename(mapped_unit, "Helsetjenesten")
    assert "Helsetjenesten" in review(adviser, analysis)


def test_the_page_in_nynorsk_is_not_the_one_kept_in_bokmaal(client_for, analysis):
    adviser = client_for("adviser")
    assert "Kven gjer kva" not in review(adviser, analysis)
    adviser.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    assert "Kven gjer kva" in review(adviser, analysis)


def test_each_analysis_keeps_its_own_page(client_for, analysis, other_analysis):
    """Fauske's and Vefsn's pages are kept apart, even in a cache shared by both."""
    admin = client_for("administrator")
    fauske = review(admin, analysis)
    vefsn = review(admin, other_analysis)
    assert analysis.municipality.name in fauske and other_analysis.municipality.name in vefsn
    assert fauske != vefsn


def test_a_carried_over_round_shows_at_once_though_its_rows_were_written_in_bulk(
    client_for, analysis, last_year, planner
):
    """Carrying a round over writes its rows with bulk_create (no signal); the service's
    touch_analysis replaces the token."""
    question = free_text_question(analysis)
    Answer.objects.create(analysis=last_year, question=question, value="Fra i fjor")
    own = client_for("planner")
    carried = '<span class="answer-text">Fra i fjor</span>'
    assert carried not in review(own, analysis)
    rounds.start_from_previous_round(analysis=analysis, by=planner)
    assert carried in review(own, analysis)


def test_a_status_change_and_a_new_round_show_on_the_review_at_once(client_for, analysis, adviser):
    """The status history and whether the analysis can still be sent back are kept too."""
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    client = client_for("adviser")
    assert 'value="send_back"' in review(client, analysis)
    StatusChange.objects.create(
        analysis=analysis,
        from_status=AnalysisStatus.IN_PROGRESS,
        to_status=AnalysisStatus.SUBMITTED,
        changed_by=adviser,
        message="Sendt inn på nytt",
    )
    assert "Sendt inn på nytt" in review(client, analysis)
    # A later round that has opened already: this analysis is of an earlier round now.
    later = open_year(analysis.round.year + 1)
    assert 'value="send_back"' in review(client, analysis)  # it opens next year
    Round.objects.filter(pk=later.pk).update(opens_on=timezone.localdate())  # unseen
    assert 'value="send_back"' in review(client, analysis)
    later.opens_on = timezone.localdate()
    later.save()  # as the admin saves it
    shown = review(client, analysis)
    assert 'value="send_back"' not in shown
    assert "hører til en tidligere runde" in shown


def test_the_round_switcher_and_who_changed_last_show_at_once(
    client_for, analysis, last_year, planner
):
    """Both are kept with the analysis page: another round's status, and who saved last."""
    own = client_for("planner")
    assert "Foranalyse 2025 – godkjent" in page(own, analysis)
    last_year.status = AnalysisStatus.SUBMITTED
    last_year.save()
    assert "Foranalyse 2025 – sendt inn" in page(own, analysis)
    colleague = make_editor("kollega", FAUSKE, first_name="Kari", last_name="Nordmann")
    question = free_text_question(analysis)
    answer_services.save_section_answers(
        analysis=analysis,
        section=question.section,
        values={question.key: "Et svar"},
        versions={question.key: 0},
        by=colleague,
    )
    assert "av Kari Nordmann" in page(own, analysis)


def self_assessment(client, analysis) -> str:
    response = client.get(reverse("factors:assessments", args=[analysis.pk]))
    assert response.status_code == 200
    return response.text


def test_a_project_given_a_factor_shows_under_it_in_the_self_assessment_at_once(
    client_for, analysis
):
    project = Project.objects.create(municipality=analysis.municipality, name="Housing First")
    own = client_for("planner")
    assert "Housing First" not in self_assessment(own, analysis)
    project.factors.add(SuccessFactor.objects.get(number=3))
    assert "Housing First" in self_assessment(own, analysis)
    project.name = "Bolig først"
    project.save()
    shown = self_assessment(own, analysis)
    assert "Bolig først" in shown and "Housing First" not in shown


def test_a_criterion_and_a_maturity_level_reworded_in_the_admin_show_at_once(client_for, analysis):
    own = client_for("planner")
    self_assessment(own, analysis)
    factor = SuccessFactor.objects.get(number=1)
    criterion, level = factor.criteria.first(), factor.levels.get(level=4)
    criterion.text_nb = "Et helt nytt kriterium"
    criterion.save()
    level.description_nb = "Et helt nytt modenhetsnivå"
    level.save()
    shown = self_assessment(own, analysis)
    assert "Et helt nytt kriterium" in shown
    assert "Et helt nytt modenhetsnivå" in shown
