"""Review comments and decisions, rounds and carry-over, the answers export."""

import datetime
import io

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis.models import (
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    Question,
    Responsibility,
    ReviewComment,
    Revision,
    Round,
    StatusChange,
    TaskArea,
    Unit,
)
from analysis.services import rounds
from factors.models import FactorAssessment, SuccessFactor

pytestmark = pytest.mark.django_db


def review_url(analysis, name="review"):
    return reverse(f"analysis:{name}", args=[analysis.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "planner": 200,
        "reader": 200,
        "adviser": 200,
        "administrator": 200,
        "outside_adviser": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_review_page_and_answers_export_answer_each_persona(client_for, analysis, persona, status):
    client = client_for(persona)
    assert client.get(review_url(analysis)).status_code == status
    assert client.get(review_url(analysis, "answers_export")).status_code == status


def test_adviser_comments_on_a_section_and_an_answer_and_the_planner_sees_and_replies(
    client_for, analysis
):
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    question = Question.objects.get(key="budsjett")
    client = client_for("adviser")
    client.post(
        review_url(analysis, "comment"),
        {"target": f"section:{section.pk}", "body": "Mangler planstrategi."},
    )
    client.post(
        review_url(analysis, "comment"),
        {"target": f"question:{question.pk}", "body": "Hvilket budsjett?"},
    )
    assert ReviewComment.objects.filter(analysis=analysis).count() == 2

    planner = client_for("planner")
    page = planner.get(reverse("analysis:section", args=[analysis.pk, "forarbeid"]))
    assert "Mangler planstrategi." in page.text and "Hvilket budsjett?" in page.text
    first = ReviewComment.objects.get(section=section, question__isnull=True)
    planner.post(
        review_url(analysis, "comment"), {"target": f"reply:{first.pk}", "body": "Vi tar det med."}
    )
    reply = ReviewComment.objects.get(parent=first)
    assert (reply.section, reply.body) == (section, "Vi tar det med.")
    assert "Vi tar det med." in planner.get(review_url(analysis)).text


def test_the_municipality_can_reply_but_not_start_a_comment(client_for, analysis):
    section = analysis.round.questionnaire.sections.first()
    response = client_for("planner").post(
        review_url(analysis, "comment"), {"target": f"section:{section.pk}", "body": "Hei"}
    )
    assert response.status_code == 403
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), {"reader": 403, "outside_adviser": 404, "other_planner": 404}.items()
)
def test_others_cannot_comment(client_for, analysis, persona, status):
    section = analysis.round.questionnaire.sections.first()
    response = client_for(persona).post(
        review_url(analysis, "comment"), {"target": f"section:{section.pk}", "body": "Hei"}
    )
    assert response.status_code == status
    assert not ReviewComment.objects.exists()


def test_a_comment_on_another_municipality_answer_is_404(
    client_for, analysis, other_analysis, adviser
):
    from analysis.services.review import add_comment

    foreign = add_comment(
        analysis=other_analysis,
        author=adviser,
        body="Vefsn",
        section=other_analysis.round.questionnaire.sections.first(),
    )
    response = client_for("planner").post(
        review_url(analysis, "comment"), {"target": f"reply:{foreign.pk}", "body": "Kapret"}
    )
    assert response.status_code == 404
    assert ReviewComment.objects.count() == 1


def test_a_forged_target_is_a_bad_request(client_for, analysis):
    response = client_for("adviser").post(
        review_url(analysis, "comment"), {"target": "section:x", "body": "a"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "status"),
    {"planner": 403, "reader": 403, "outside_adviser": 404, "other_planner": 404}.items(),
)
def test_only_the_region_adviser_decides(client_for, analysis, persona, status):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    response = client_for(persona).post(review_url(analysis, "decision"), {"decision": "approve"})
    assert response.status_code == status
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED


def test_adviser_sends_back_with_a_message_then_approves_once(client_for, analysis, adviser):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    client = client_for("adviser")
    response = client.post(
        review_url(analysis, "decision"), {"decision": "send_back", "message": ""}, follow=True
    )
    assert "Skriv en melding" in response.text
    client.post(
        review_url(analysis, "decision"), {"decision": "send_back", "message": "Se faktor 3."}
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SENT_BACK and analysis.is_editable
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    client.post(review_url(analysis, "decision"), {"decision": "approve"})
    response = client.post(review_url(analysis, "decision"), {"decision": "approve"}, follow=True)
    assert "Bare en innsendt foranalyse kan godkjennes." in response.text
    assert StatusChange.objects.filter(analysis=analysis, to_status="approved").count() == 1


def test_administrator_opens_a_round_for_every_municipality(client_for, round_):
    response = client_for("administrator").post(
        reverse("analysis:rounds"),
        {
            "year": 2027,
            "title": "Foranalyse 2027",
            "questionnaire": round_.questionnaire.pk,
            "opens_on": "2027-01-01",
            "closes_on": "2027-12-31",
        },
    )
    assert response.status_code == 302
    assert Analysis.objects.filter(round__year=2027).count() == 357


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (("2026-06-01", "2027-05-31"), "overlapper"),
        (("2027-06-01", "2027-01-01"), "kan ikke stenge før den åpner"),
    ],
)
def test_overlapping_or_backwards_dates_open_nothing(client_for, round_, dates, message):
    response = client_for("administrator").post(
        reverse("analysis:rounds"),
        {
            "year": 2027,
            "title": "X",
            "questionnaire": round_.questionnaire.pk,
            "opens_on": dates[0],
            "closes_on": dates[1],
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Round.objects.filter(year=2027).exists()


def test_a_second_round_for_the_same_year_is_refused(round_):
    with pytest.raises(ValidationError):
        rounds.open_round(
            year=2026,
            title="Igjen",
            questionnaire=round_.questionnaire,
            opens_on=datetime.date(2030, 1, 1),
            closes_on=datetime.date(2030, 2, 1),
        )


@pytest.mark.parametrize("persona", ["adviser", "planner"])
def test_only_administrators_reach_the_rounds_page(client_for, round_, persona):
    assert client_for(persona).get(reverse("analysis:rounds")).status_code == 404


def test_a_new_round_starts_from_a_copy_of_the_previous(client_for, analysis, planner):
    question = Question.objects.get(key="oppgaver")
    old_answer = Answer.objects.create(analysis=analysis, question=question, value="Tildeling")
    for factor in SuccessFactor.objects.all():
        FactorAssessment.objects.create(analysis=analysis, factor=factor, score=2, status="Start")
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    Responsibility.objects.create(
        analysis=analysis, task_area=TaskArea.objects.first(), unit=unit, role="responsible"
    )
    CooperationBody.objects.create(analysis=analysis, name="Forum", is_formal=True)
    later = rounds.open_round(
        year=2027,
        title="Foranalyse 2027",
        questionnaire=analysis.round.questionnaire,
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 12, 31),
    )
    new = Analysis.objects.get(round=later, municipality=analysis.municipality)
    client = client_for("planner")
    assert "Start fra forrige runde" in client.get(new.get_absolute_url()).text
    client.post(reverse("analysis:start_from_previous", args=[new.pk]))
    new.refresh_from_db()
    assert new.previous == analysis and new.status == AnalysisStatus.IN_PROGRESS
    copied = Answer.objects.get(analysis=new, question=question)
    assert copied.pk != old_answer.pk and copied.value == "Tildeling" and copied.carried_over
    # nothing shared by reference: changing the copy leaves the old round alone
    copied.value = "Endret"
    copied.save()
    old_answer.refresh_from_db()
    assert old_answer.value == "Tildeling"
    # history starts fresh, with a note of where it came from
    (revision,) = Revision.objects.filter(answer=copied)
    assert revision.note == "Videreført fra Foranalyse 2026"
    assert FactorAssessment.objects.filter(analysis=new, carried_over=True).count() == 6
    assert Responsibility.objects.filter(analysis=new, carried_over=True).count() == 1
    assert CooperationBody.objects.get(analysis=new).carried_over
    # the analysis page shows the change per factor against the previous round
    page = client.get(new.get_absolute_url())
    assert "Forrige runde" in page.text
    # and it cannot be copied twice
    response = client.post(reverse("analysis:start_from_previous", args=[new.pk]), follow=True)
    assert "ikke er startet" in response.text
    assert Answer.objects.filter(analysis=new).count() == 1


def test_answers_export_has_one_sheet_per_section_with_the_answers(client_for, analysis):
    question = Question.objects.get(key="boligpolitisk-plan")
    Answer.objects.create(analysis=analysis, question=question, value="no")
    FactorAssessment.objects.create(
        analysis=analysis, factor=SuccessFactor.objects.get(number=2), score=4, status="Godt"
    )
    response = client_for("reader").get(review_url(analysis, "answers_export"))
    sheets = pd.read_excel(io.BytesIO(response.content), sheet_name=None)
    assert list(sheets) == [s.title for s in analysis.round.questionnaire.sections.all()]
    forarbeid = sheets["Forarbeid"]
    row = forarbeid[forarbeid["Spørsmål"] == question.text].iloc[0]
    assert row["Svar"] == "Nei"
    factors = sheets["De seks suksessfaktorene"]
    assert factors.loc[factors["Spørsmål"] == "Overordnet strategi", "Vurdering"].iloc[0] == 4
