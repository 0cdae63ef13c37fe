"""The self-assessment, history with restore, assignments, the analysis page and submit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from analysis.models import (
    AllocationPractice,
    AnalysisStatus,
    Answer,
    CooperationBody,
    Responsibility,
    Round,
    SectionAssignment,
    StatusChange,
    Unit,
)
from analysis.services import carry_over, workflow
from factors.models import FactorAssessment
from reference.models import Instrument, Question, SuccessFactor, TaskArea
from tests.factories import make_editor
from tests.form_data import form_data

pytestmark = pytest.mark.django_db


def factors_url(analysis):
    return reverse("factors:assessments", args=[analysis.pk])


def factor_data(scores=(3, 3, 3, 3, 3, 3), versions=None, status="Vi har startet."):
    data = {}
    for n, score in enumerate(scores, start=1):
        data |= {
            f"f{n}-score": "" if score is None else str(score),
            f"f{n}-status": status,
            f"f{n}-challenges": "",
            f"f{n}-evidence": "",
            f"f{n}-version": str((versions or {}).get(n, 0)),
        }
    return data


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
def test_factor_page_answers_each_persona_as_designed(client_for, analysis, persona, status):
    response = client_for(persona).get(factors_url(analysis))
    assert response.status_code == status
    if status == 200:
        assert all(f.name_nb in response.text for f in SuccessFactor.objects.all())


def test_factor_page_shows_criteria_and_every_level_description(client_for, analysis):
    response = client_for("planner").get(factors_url(analysis))
    assert "Politikere og administrativ ledelse tar aktivt del i arbeidet" in response.text
    assert "5 – Forankringen fornyes jevnlig" in response.text


def test_planner_saves_all_six_scores_with_history(client_for, analysis, planner):
    response = client_for("planner").post(factors_url(analysis), factor_data((1, 2, 3, 4, 5, 2)))
    assert response.status_code == 302
    scores = list(
        FactorAssessment.objects.filter(analysis=analysis).values_list("score", flat=True)
    )
    assert scores == [1, 2, 3, 4, 5, 2]
    assessment = FactorAssessment.objects.get(analysis=analysis, factor__number=3)
    revision = assessment.revisions.get()
    assert revision.new_value["score"] == 3 and revision.changed_by == planner


def test_a_forged_score_of_seven_is_a_bad_request_and_saves_nothing(client_for, analysis):
    response = client_for("planner").post(factors_url(analysis), factor_data((7, 2, 3, 4, 5, 2)))
    assert response.status_code == 400
    assert not FactorAssessment.objects.exists()


@pytest.mark.parametrize(("persona", "status"), {"reader": 403, "adviser": 403}.items())
def test_readers_and_advisers_cannot_change_scores(client_for, analysis, persona, status):
    assert client_for(persona).post(factors_url(analysis), factor_data()).status_code == status
    assert not FactorAssessment.objects.exists()


def test_a_stale_assessment_save_is_a_conflict_and_overwrites_nothing(client_for, analysis):
    client = client_for("planner")
    client.post(factors_url(analysis), factor_data((2, 2, 2, 2, 2, 2), status="Først"))
    # A second save still carrying version 0 (loaded before the first save).
    response = client.post(factors_url(analysis), factor_data((4, 4, 4, 4, 4, 4), status="Sist"))
    assert response.status_code == 409
    assert set(FactorAssessment.objects.values_list("score", flat=True)) == {2}


def loaded_factor_data(client, analysis, response=None, **overrides):
    """The six factor forms as the browser sends them; overrides by full field name."""
    response = response or client.get(factors_url(analysis))
    data = {}
    for form, _projects in response.context["rows"]:
        data |= form_data(form)
    return data | overrides


@pytest.fixture
def colleague(analysis):
    return make_editor("colleague", analysis.municipality)


def test_two_people_changing_different_fields_of_a_factor_both_keep_their_change(
    client_for, analysis, planner, colleague
):
    client = client_for("planner")
    a_copy = loaded_factor_data(client, analysis, **{"f1-score": "4"})
    client.force_login(colleague)
    b_copy = loaded_factor_data(client, analysis, **{"f1-evidence": "Spørreundersøkelse"})
    assert client.post(factors_url(analysis), b_copy).status_code == 302
    client.force_login(planner)
    assert client.post(factors_url(analysis), a_copy).status_code == 302
    assessment = FactorAssessment.objects.get(analysis=analysis, factor__number=1)
    assert (assessment.score, assessment.evidence) == (4, "Spørreundersøkelse")


def test_two_people_changing_the_same_factor_field_get_a_conflict_with_every_field(
    client_for, analysis, planner, colleague
):
    client = client_for("planner")
    a_copy = loaded_factor_data(
        client, analysis, **{"f2-challenges": "Mangler budsjett", "f2-status": "Vi har startet"}
    )
    client.force_login(colleague)
    b_copy = loaded_factor_data(client, analysis, **{"f2-challenges": "Mangler folk"})
    client.post(factors_url(analysis), b_copy)
    client.force_login(planner)
    response = client.post(factors_url(analysis), a_copy)
    assert response.status_code == 409
    [group] = response.context["conflicts"]
    assert [(f.label, f.saved, f.mine) for f in group.fields] == [
        ("Utfordringer", "Mangler folk", "Mangler budsjett")
    ]
    assert group.saved_by == colleague
    assert FactorAssessment.objects.get(factor__number=2).challenges == "Mangler folk"
    # Saving again from the conflict page keeps the planner's text deliberately.
    retry = loaded_factor_data(client, analysis, response=response)
    assert client.post(factors_url(analysis), retry).status_code == 302
    assessment = FactorAssessment.objects.get(factor__number=2)
    assert (assessment.challenges, assessment.status) == ("Mangler budsjett", "Vi har startet")


def test_projects_linked_to_a_factor_show_on_that_factor(client_for, analysis):
    from analysis.models import Project

    project = Project.objects.create(municipality=analysis.municipality, name="Bo trygt")
    project.factors.set(SuccessFactor.objects.filter(number=5))
    html = client_for("planner").get(factors_url(analysis)).text

    def fieldset(number):
        # The factor's block runs to the next factor's block (the score is a fieldset of
        # its own inside it), the last one to the end of the form.
        start = html.index(f'id="factor-{number}"')
        ends = [html.find('class="factor-block"', start), html.index("</form>", start)]
        return html[start : min(e for e in ends if e > 0)]

    assert "Bo trygt" in fieldset(5)
    assert all("Bo trygt" not in fieldset(n) for n in (1, 2, 3, 4, 6))


def test_history_lists_changes_and_restore_brings_an_earlier_value_back(
    client_for, analysis, planner
):
    from analysis.services.answers import save_section_answers

    question = Question.objects.get(key="oppgaver")
    section = question.section
    save_section_answers(
        analysis=analysis,
        section=section,
        values={"oppgaver": "Første"},
        versions={"oppgaver": 0},
        by=planner,
    )
    save_section_answers(
        analysis=analysis,
        section=section,
        values={"oppgaver": "Andre"},
        versions={"oppgaver": 1},
        by=planner,
    )
    client = client_for("planner")
    history = reverse("analysis:answer_history", args=[analysis.pk, question.pk])
    response = client.get(history)
    assert "Første" in response.text and "Andre" in response.text
    first = Answer.objects.get(question=question).revisions.order_by("changed_at", "pk").first()
    restore = reverse("analysis:answer_restore", args=[analysis.pk, question.pk, first.pk])
    assert client.post(restore).status_code == 302
    answer = Answer.objects.get(question=question)
    assert (answer.value, answer.version) == ("Første", 3)
    assert answer.revisions.count() == 3
    assert answer.revisions.first().note.startswith("Gjenopprettet")


@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 403, "adviser": 403, "other_planner": 404, "outside_adviser": 404}.items(),
)
def test_only_editors_restore(client_for, analysis, planner, persona, status):
    from analysis.services.answers import save_section_answers

    question = Question.objects.get(key="oppgaver")
    save_section_answers(
        analysis=analysis,
        section=question.section,
        values={"oppgaver": "A"},
        versions={"oppgaver": 0},
        by=planner,
    )
    save_section_answers(
        analysis=analysis,
        section=question.section,
        values={"oppgaver": "B"},
        versions={"oppgaver": 1},
        by=planner,
    )
    first = Answer.objects.get().revisions.get(new_value="A")
    url = reverse("analysis:answer_restore", args=[analysis.pk, question.pk, first.pk])
    assert client_for(persona).post(url).status_code == status
    answer = Answer.objects.get()
    assert (answer.value, answer.version, answer.revisions.count()) == ("B", 2, 2)


def test_assessment_history_and_restore(client_for, analysis):
    client = client_for("planner")
    client.post(factors_url(analysis), factor_data((2, 2, 2, 2, 2, 2)))
    client.post(
        factors_url(analysis), factor_data((4, 2, 2, 2, 2, 2), versions={n: 1 for n in range(1, 7)})
    )
    assessment = FactorAssessment.objects.get(analysis=analysis, factor__number=1)
    assert assessment.score == 4
    first = assessment.revisions.order_by("changed_at", "pk").first()
    url = reverse("factors:assessment_restore", args=[analysis.pk, 1, first.pk])
    assert client.post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.score == 2
    history = client.get(reverse("factors:assessment_history", args=[analysis.pk, 1]))
    assert history.status_code == 200
    assert "Gjenopprettet" in history.text
    assert len(history.context["rows"]) == assessment.revisions.count() == 3


def test_planner_assigns_a_section_to_a_unit_and_the_pages_show_it(client_for, analysis):
    unit = Unit.objects.create(municipality=analysis.municipality, name="NAV-kontoret")
    client = client_for("planner")
    page = client.get(reverse("analysis:assignments", args=[analysis.pk]))
    data = {}
    for _section, form in page.context["forms"]:
        data |= form_data(form)
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    data[f"s{section.pk}-unit"] = str(unit.pk)
    assert client.post(reverse("analysis:assignments", args=[analysis.pk]), data).status_code == 302
    assert SectionAssignment.objects.get(section=section).unit == unit
    detail = client.get(analysis.get_absolute_url())
    assert "NAV-kontoret" in detail.text
    section_page = client.get(reverse("analysis:section", args=[analysis.pk, "refleksjon"]))
    assert "Svares av: NAV-kontoret" in section_page.text


def test_an_empty_unit_choice_reads_in_norwegian_not_django_english(client_for, analysis):
    page = client_for("planner").get(reverse("analysis:assignments", args=[analysis.pk]))
    assert "– Velg –" in page.text
    assert "Select an option" not in page.text


def test_a_reader_cannot_assign(client_for, analysis):
    unit = Unit.objects.create(municipality=analysis.municipality, name="NAV-kontoret")
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    response = client_for("reader").post(
        reverse("analysis:assignments", args=[analysis.pk]), {f"s{section.pk}-unit": unit.pk}
    )
    assert response.status_code == 403
    assert not SectionAssignment.objects.exists()


def fill_everything(analysis, planner):
    for q in Question.objects.filter(section__questionnaire=analysis.round.questionnaire):
        value = {"yes_no": "yes", "choice": q.choices[0]["value"] if q.choices else ""}.get(
            q.kind, "Svar"
        )
        Answer.objects.create(analysis=analysis, question=q, value=value, updated_by=planner)
    unit = Unit.objects.create(municipality=analysis.municipality, name="Enhet")
    for area in TaskArea.objects.all():
        Responsibility.objects.create(
            analysis=analysis, task_area=area, unit=unit, role="responsible"
        )
    for instrument in Instrument.objects.all():
        AllocationPractice.objects.create(
            analysis=analysis, instrument=instrument, decided_by="Team"
        )
    CooperationBody.objects.create(analysis=analysis, name="Boligforum", is_formal=True)
    from analysis.models import Project

    Project.objects.create(municipality=analysis.municipality, name="Bo trygt hjemme")
    for factor in SuccessFactor.objects.all():
        FactorAssessment.objects.create(analysis=analysis, factor=factor, score=3, status="Status")


def test_the_analysis_page_lists_what_blocks_submission(client_for, analysis):
    response = client_for("planner").get(analysis.get_absolute_url())
    assert response.context["overall_percent"] == 0
    assert "Foranalysen kan sendes inn når disse delene er ferdige" in response.text
    assert "Send inn foranalysen" not in response.text


def test_a_complete_analysis_reaches_100_percent_and_is_submitted(client_for, analysis, planner):
    fill_everything(analysis, planner)
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    client = client_for("planner")
    page = client.get(analysis.get_absolute_url())
    assert page.context["overall_percent"] == 100
    response = client.post(reverse("analysis:submit", args=[analysis.pk]), follow=True)
    assert "sendt inn til vurdering" in response.text
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED


def test_submitting_an_incomplete_analysis_names_the_missing_sections(client_for, analysis):
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    response = client_for("planner").post(
        reverse("analysis:submit", args=[analysis.pk]), follow=True
    )
    assert "Disse delene er ikke ferdige: Forarbeid" in response.text
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 403, "adviser": 403, "other_planner": 404, "outside_adviser": 404}.items(),
)
def test_only_editors_submit(client_for, analysis, planner, persona, status):
    # Complete, so only the persona stands between the analysis and "submitted".
    fill_everything(analysis, planner)
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    response = client_for(persona).post(reverse("analysis:submit", args=[analysis.pk]))
    assert response.status_code == status
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.IN_PROGRESS
    assert not StatusChange.objects.filter(analysis=analysis).exists()


def test_analysis_page_query_count_does_not_grow_with_answers_projects_or_measures(
    client_for, analysis, planner, django_assert_num_queries
):
    from analysis import versions
    from analysis.models import Project
    from plans.models import Measure, MeasureStatusChange

    client = client_for("planner")
    fill_everything(analysis, planner)
    for i in range(10):
        Project.objects.create(municipality=analysis.municipality, name=f"Prosjekt {i}")
    # Thirty measures, each with factors and a status change.
    for i in range(30):
        measure = Measure.objects.create(
            municipality=analysis.municipality, planned_in=analysis.round, title=f"Tiltak {i}"
        )
        measure.factors.set(SuccessFactor.objects.all()[:2])
        MeasureStatusChange.objects.create(
            measure=measure, round=analysis.round, to_status="planned", changed_by=planner
        )
    client.get(analysis.get_absolute_url())
    # As after any change of what the page shows: the page is computed afresh
    # (analysis/versions.py).
    versions.changed_for_municipality(analysis.municipality_id)
    # session, user, memberships, analysis; read once for the progress and the panels
    # (analysis/selectors/reads.py): sections, questions, answers, task areas, map cells, task
    # areas answered without a unit, allocation practices, instruments, assessments, factors;
    # cooperation counts, projects exist; assignments; the previous round's analysis (offered
    # as a starting point while not started); the key figures' version (the figures
    # themselves were computed on the page before); the municipality's analyses in every round
    # (round switcher); the municipality's measures (once for the action plan's block and
    # the recommendations answered by a measure), those waiting for this round's update; the
    # recommendations: the map's units, cooperation bodies, the rules; the scores of every
    # round (trend). (40 before the shared reads and the cached key figures, issue 16.)
    with django_assert_num_queries(26):
        client.get(analysis.get_absolute_url())
    # Then kept under the analysis's content token: session, user, memberships, analysis, the
    # key figures' version.
    with django_assert_num_queries(5):
        client.get(analysis.get_absolute_url())


def test_factor_page_runs_a_fixed_number_of_queries(
    client_for, analysis, planner, django_assert_num_queries
):
    from analysis.models import Project

    client = client_for("planner")
    fill_everything(analysis, planner)
    for i in range(5):
        project = Project.objects.create(municipality=analysis.municipality, name=f"P{i}")
        project.factors.set(SuccessFactor.objects.all())
    client.get(factors_url(analysis))
    # session, user, memberships, analysis; assessments; factor section; the adviser's
    # comments on it; assignments; the sections in order (previous and next part). The
    # factors with their criteria and levels, and the projects by factor, are kept under the
    # analysis's content token after the first load (five queries then).
    with django_assert_num_queries(9):
        client.get(factors_url(analysis))


# --- Submission waits for carried-over entries and for the round's first day ------------------


@pytest.fixture
def complete_analysis(analysis, planner):
    fill_everything(analysis, planner)
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    return analysis


def test_submit_is_refused_while_carried_over_entries_are_unconfirmed(complete_analysis, planner):
    body = CooperationBody.objects.get(analysis=complete_analysis)
    CooperationBody.objects.filter(pk=body.pk).update(carried_over=True)
    with pytest.raises(ValidationError) as refused:
        workflow.submit_analysis(analysis=complete_analysis, by=planner)
    assert [e.code for e in refused.value.error_list] == ["unconfirmed"]
    assert "Samarbeid" in refused.value.messages[0]
    complete_analysis.refresh_from_db()
    assert complete_analysis.status == AnalysisStatus.IN_PROGRESS

    carry_over.confirm_carried_over(
        analysis=complete_analysis, kind="cooperation_body", ids=[body.pk], by=planner
    )
    workflow.submit_analysis(analysis=complete_analysis, by=planner)
    complete_analysis.refresh_from_db()
    assert complete_analysis.status == AnalysisStatus.SUBMITTED


def test_submit_is_refused_before_the_round_opens(complete_analysis, planner):
    opens = timezone.localdate() + datetime.timedelta(days=10)
    Round.objects.filter(pk=complete_analysis.round_id).update(
        opens_on=opens, closes_on=opens + datetime.timedelta(days=300)
    )
    complete_analysis.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        workflow.submit_analysis(analysis=complete_analysis, by=planner)
    assert [e.code for e in refused.value.error_list] == ["round_not_open"]
    assert f"Runden åpner {opens.day}." in refused.value.messages[0]
    complete_analysis.refresh_from_db()
    assert complete_analysis.status == AnalysisStatus.IN_PROGRESS


def test_the_analysis_page_lists_unconfirmed_carried_over_sections_among_the_blockers(
    client_for, complete_analysis
):
    Responsibility.objects.filter(analysis=complete_analysis).update(carried_over=True)
    client = client_for("planner")
    page = client.get(complete_analysis.get_absolute_url())
    blockers = page.text.split('id="submit-blockers"')[1].split("</div>")[0]
    assert "må bekreftes eller oppdateres før foranalysen sendes inn" in blockers
    map_url = reverse("analysis:responsibility_map", args=[complete_analysis.pk])
    assert f'<a href="{map_url}">Hvem gjør hva</a>' in blockers
    assert "Send inn foranalysen" not in page.text

    response = client.post(reverse("analysis:submit", args=[complete_analysis.pk]), follow=True)
    assert "er ikke bekreftet ennå. Bekreft eller oppdater det i: Hvem gjør hva" in response.text
    complete_analysis.refresh_from_db()
    assert complete_analysis.status == AnalysisStatus.IN_PROGRESS


def test_the_analysis_page_says_when_the_round_opens_instead_of_offering_submit(
    client_for, complete_analysis
):
    opens = timezone.localdate() + datetime.timedelta(days=3)
    Round.objects.filter(pk=complete_analysis.round_id).update(
        opens_on=opens, closes_on=opens + datetime.timedelta(days=300)
    )
    page = client_for("planner").get(complete_analysis.get_absolute_url())
    assert "foranalysen kan sendes inn fra den dagen" in page.text
    assert "Send inn foranalysen" not in page.text
