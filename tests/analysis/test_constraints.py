import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, Role
from analysis.models import Analysis, Answer, Project, ReviewComment, Revision, RevisionKind, Round
from factors.models import FactorAssessment
from keyfigures.models import Indicator, IndicatorAggregateValue
from reference.models import Municipality, Question, SuccessFactor

pytestmark = pytest.mark.django_db


def test_database_rejects_a_second_analysis_for_the_same_municipality_and_round(analysis):
    with pytest.raises(IntegrityError), transaction.atomic():
        Analysis.objects.create(municipality=analysis.municipality, round=analysis.round)


def test_database_rejects_a_score_of_six(analysis):
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorAssessment.objects.create(
            analysis=analysis, factor=SuccessFactor.objects.get(number=1), score=6
        )


def test_database_rejects_a_score_of_zero(analysis):
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorAssessment.objects.create(
            analysis=analysis, factor=SuccessFactor.objects.get(number=1), score=0
        )


def test_database_accepts_scores_one_to_five(analysis):
    for number, score in zip(range(1, 6), range(1, 6), strict=True):
        FactorAssessment.objects.create(
            analysis=analysis, factor=SuccessFactor.objects.get(number=number), score=score
        )
    assert FactorAssessment.objects.filter(analysis=analysis).count() == 5


def test_database_rejects_a_project_ending_before_it_starts(fauske):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            municipality=fauske,
            name="Baklengs",
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 1),
        )


def test_database_rejects_a_municipality_number_that_is_not_four_digits(fauske):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(
            number="301",
            name="Oslo uten null",
            ssb_name="Oslo",
            county=fauske.county,
            population=1,
            population_year=2024,
            valid_from=datetime.date(2024, 1, 1),
        )


def test_database_rejects_a_round_that_closes_before_it_opens(round_):
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(
            year=2030,
            title="Feil",
            questionnaire=round_.questionnaire,
            opens_on=datetime.date(2030, 5, 1),
            closes_on=datetime.date(2030, 1, 1),
        )


def test_database_rejects_an_adviser_membership_tied_to_a_municipality(planner):
    vefsn = Municipality.objects.get(number="1824")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=planner, role=Role.ADVISER, municipality=vefsn)


def test_database_rejects_a_status_outside_the_workflow(analysis):
    with pytest.raises(IntegrityError), transaction.atomic():
        Analysis.objects.filter(pk=analysis.pk).update(status="archived")


@pytest.mark.parametrize(
    "target",
    [
        # An answer's revision names its answer.
        {"kind": RevisionKind.ANSWER, "object_id": 1},
        # Every other kind names its row by object_id...
        {"kind": RevisionKind.ASSESSMENT},
        {"kind": RevisionKind.PROJECT},
        # ...and never an answer.
        {"kind": RevisionKind.ASSESSMENT, "object_id": 1, "answer": "an answer"},
    ],
    ids=["answer without answer", "assessment without row", "project without row", "both"],
)
def test_database_rejects_a_revision_whose_kind_does_not_match_its_target(analysis, target):
    if target.get("answer"):
        question = Question.objects.filter(section__questionnaire=analysis.round.questionnaire)[0]
        target["answer"] = Answer.objects.create(analysis=analysis, question=question, value="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(analysis=analysis, **target)


@pytest.mark.parametrize("kind", [RevisionKind.PROJECT, RevisionKind.ASSESSMENT])
def test_database_accepts_a_revision_named_by_object_id(analysis, kind):
    revision = Revision.objects.create(analysis=analysis, kind=kind, object_id=7, label="Bo trygt")
    assert revision.answer_id is None and revision.object_id == 7


def test_database_rejects_a_second_official_country_figure_for_the_same_year():
    indicator = Indicator.objects.order_by("pk").first()
    IndicatorAggregateValue.objects.create(indicator=indicator, year=2023, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorAggregateValue.objects.create(indicator=indicator, year=2023, value=2)


def test_database_rejects_a_comment_on_a_question_without_its_section(analysis):
    question = Question.objects.filter(section__questionnaire=analysis.round.questionnaire)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewComment.objects.create(analysis=analysis, question=question, body="Uten del")
