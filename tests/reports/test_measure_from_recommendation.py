"""From a recommendation on the analysis page to a measure in the plan, in one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from analysis.models import Analysis, AnalysisStatus, Answer
from plans.models import Measure
from reference.models import Question
from reports.management.commands.load_recommendation_rules import load_recommendation_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_plan(analysis):
    """Fauske answers that it has no housing-policy plan: the first rule fires."""
    load_recommendation_rules()
    Answer.objects.create(
        analysis=analysis,
        question=Question.objects.get(
            section__questionnaire=analysis.round.questionnaire, key="boligpolitisk-plan"
        ),
        value="no",
    )
    return analysis


def make_measure(client, analysis, key="boligpolitisk-plan"):
    return client.post(reverse("reports:measure_from_recommendation", args=[analysis.pk, key]))


def test_the_analysis_page_lists_the_recommendations_with_a_button_for_each(
    client_for, without_plan
):
    page = client_for("planner").get(without_plan.get_absolute_url()).content.decode()
    assert 'id="recommendation-boligpolitisk-plan"' in page
    assert "Kommunen har ingen vedtatt boligpolitisk plan." in page
    assert (
        reverse("reports:measure_from_recommendation", args=[without_plan.pk, "boligpolitisk-plan"])
        in page
    )


def test_a_planner_turns_a_recommendation_into_a_prefilled_measure_in_one_step(
    client_for, without_plan, planner
):
    response = make_measure(client_for("planner"), without_plan)
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:measure_edit", args=[without_plan.pk, measure.pk])
    assert measure.title == "Lag en boligpolitisk plan med operative mål"
    assert measure.description
    assert measure.recommendation_keys == ["boligpolitisk-plan"]
    assert list(measure.factors.values_list("number", flat=True)) == [2]
    assert measure.planned_in == without_plan.round
    assert measure.status_changes.get().changed_by == planner


def test_the_recommendation_then_says_which_measure_answers_it(client_for, without_plan):
    client = client_for("planner")
    make_measure(client, without_plan)
    page = client.get(without_plan.get_absolute_url()).content.decode()
    assert "Besvart av tiltaket «Lag en boligpolitisk plan med operative mål» (planlagt)" in page


def test_a_recommendation_that_does_not_apply_makes_nothing(client_for, without_plan):
    response = make_measure(client_for("planner"), without_plan, key="brukermedvirkning")
    assert response.status_code == 404
    assert not Measure.objects.exists()


@pytest.mark.parametrize("persona", ["reader", "adviser"])
def test_readers_and_advisers_cannot_make_measures(client_for, without_plan, persona):
    assert make_measure(client_for(persona), without_plan).status_code == 403
    assert not Measure.objects.exists()


def test_a_submitted_analysis_makes_no_measure_and_says_why(client_for, without_plan):
    Analysis.objects.filter(pk=without_plan.pk).update(status=AnalysisStatus.SUBMITTED)
    client = client_for("planner")
    response = make_measure(client, without_plan)
    assert response.status_code == 302
    assert response["Location"] == without_plan.get_absolute_url()
    assert not Measure.objects.exists()


def test_the_report_page_offers_the_same_step_to_editors_only(client_for, without_plan):
    url = reverse("reports:report", args=[without_plan.pk])
    action = reverse(
        "reports:measure_from_recommendation", args=[without_plan.pk, "boligpolitisk-plan"]
    )
    assert action in client_for("planner").get(url).content.decode()
    assert action not in client_for("reader").get(url).content.decode()


def test_the_report_says_which_measure_already_answers_a_recommendation(client_for, without_plan):
    client = client_for("planner")
    make_measure(client, without_plan)
    html = client.get(reverse("reports:report", args=[without_plan.pk])).content.decode()
    section = html[html.index('id="rec-boligpolitisk-plan"') :]
    section = section[: section.index("</section>")]
    assert "I tiltaksplanen:" in section
    assert "«Lag en boligpolitisk plan med operative mål» (planlagt)" in section
