"""Review comments and decisions, rounds and carry-over, the answers export."""

import datetime
import io
import re

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis import merge
from analysis.models import (
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    Responsibility,
    ReviewComment,
    Revision,
    Round,
    StatusChange,
    Unit,
)
from analysis.services import rounds
from factors.models import FactorAssessment
from reference.models import Municipality, Question, SuccessFactor, TaskArea
from tests.factories import make_complete, open_year
from tests.form_data import error_summary

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
    page = client.get(review_url(analysis))
    assert page.status_code == status
    export = client.get(reverse("reports:answers_export", args=[analysis.pk]))
    assert export.status_code == status
    if status == 200:
        sections = analysis.round.questionnaire.sections.all()
        assert [r.section for r in page.context["section_reviews"]] == list(sections)
        assert export.content.startswith(b"PK")  # an .xlsx is a zip
        assert "foranalyse-fauske-2026.xlsx" in export["Content-Disposition"]


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


@pytest.mark.parametrize("target", ["section:²", "question:٣", "reply:" + "9" * 30, "section:"])
def test_a_comment_aimed_at_no_valid_id_is_a_bad_request(client_for, analysis, target):
    response = client_for("adviser").post(
        review_url(analysis, "comment"), {"target": target, "body": "Hei"}
    )
    assert response.status_code == 400
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
    assert not ReviewComment.objects.exists()


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
    analysis.refresh_from_db()
    approved_at = analysis.approved_at
    response = client.post(review_url(analysis, "decision"), {"decision": "approve"}, follow=True)
    assert "Foranalysen er allerede godkjent. Ingenting ble endret." in response.text
    assert StatusChange.objects.filter(analysis=analysis, to_status="approved").count() == 1
    analysis.refresh_from_db()
    assert analysis.approved_at == approved_at


def submitted_with_an_open_comment(analysis, adviser):
    from analysis.services.review import add_comment

    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    return add_comment(
        analysis=analysis,
        author=adviser,
        body="Mangler planstrategi.",
        section=analysis.round.questionnaire.sections.first(),
    )


def test_approving_with_an_open_comment_asks_for_confirmation_and_keeps_the_message(
    client_for, analysis, adviser
):
    submitted_with_an_open_comment(analysis, adviser)
    client = client_for("adviser")
    page = client.get(review_url(analysis))
    assert "Godkjenn selv om kommentarer er åpne" in page.text
    response = client.post(
        review_url(analysis, "decision"), {"decision": "approve", "message": "Godt arbeid."}
    )
    assert response.status_code == 400
    # In the error summary, a link to the box to tick (issue 15, item 3), which is marked.
    summary = error_summary(response.text)
    assert "Foranalysen ble ikke godkjent: 1 kommentar er fortsatt åpen." in summary
    assert 'href="#despite-open-comments"' in summary
    assert re.search(
        r'<input[^>]*is-invalid[^>]*id="despite-open-comments"[^>]*aria-invalid="true"',
        response.text,
    )
    assert ">Godt arbeid.</textarea>" in response.text
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED
    assert not StatusChange.objects.filter(analysis=analysis, to_status="approved").exists()


def test_approving_with_an_open_comment_goes_through_once_confirmed(client_for, analysis, adviser):
    submitted_with_an_open_comment(analysis, adviser)
    client_for("adviser").post(
        review_url(analysis, "decision"),
        {"decision": "approve", "message": "Godt arbeid.", "despite_open_comments": "on"},
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.APPROVED


def test_resolved_comments_need_no_confirmation(client_for, analysis, adviser):
    from analysis.services.review import resolve_comment

    resolve_comment(comment=submitted_with_an_open_comment(analysis, adviser))
    client = client_for("adviser")
    assert "Godkjenn selv om kommentarer er åpne" not in client.get(review_url(analysis)).text
    client.post(review_url(analysis, "decision"), {"decision": "approve"})
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.APPROVED


def test_sending_back_with_an_open_comment_needs_no_confirmation(client_for, analysis, adviser):
    submitted_with_an_open_comment(analysis, adviser)
    client_for("adviser").post(
        review_url(analysis, "decision"), {"decision": "send_back", "message": "Se kommentaren."}
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SENT_BACK


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
    current = Municipality.objects.filter(valid_to__isnull=True)
    assert Analysis.objects.filter(round__year=2027).count() == current.count()


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


def test_the_review_page_shows_yes_no_and_choice_answers_in_words_not_codes(client_for, analysis):
    yes_no = Question.objects.get(key="boligpolitisk-plan")
    choice = Question.objects.filter(
        section__questionnaire=analysis.round.questionnaire, kind="choice"
    ).first()
    code, label = choice.choice_pairs()[0]
    Answer.objects.create(analysis=analysis, question=yes_no, value="no")
    Answer.objects.create(analysis=analysis, question=choice, value=code)
    page = client_for("adviser").get(review_url(analysis))
    shown = {q: value for row in page.context["section_reviews"] for q, value, *_ in row.answers}
    assert shown[yes_no] == "Nei"
    assert shown[choice] == label != code


def test_answers_export_has_one_sheet_per_section_with_the_answers(client_for, analysis):
    question = Question.objects.get(key="boligpolitisk-plan")
    Answer.objects.create(analysis=analysis, question=question, value="no")
    FactorAssessment.objects.create(
        analysis=analysis, factor=SuccessFactor.objects.get(number=2), score=4, status="Godt"
    )
    response = client_for("reader").get(reverse("reports:answers_export", args=[analysis.pk]))
    sheets = pd.read_excel(io.BytesIO(response.content), sheet_name=None)
    assert list(sheets) == [s.title for s in analysis.round.questionnaire.sections.all()]
    forarbeid = sheets["Forarbeid"]
    row = forarbeid[forarbeid["Spørsmål"] == question.text].iloc[0]
    assert row["Svar"] == "Nei"
    factors = sheets["De seks suksessfaktorene"]
    assert factors.loc[factors["Spørsmål"] == "Overordnet strategi", "Vurdering"].iloc[0] == 4


# --- Resolving comments -----------------------------------------------------------------------


@pytest.fixture
def section_comment(analysis, adviser):
    from analysis.services.review import add_comment

    return add_comment(
        analysis=analysis,
        author=adviser,
        body="Beskriv planstrategien.",
        section=analysis.round.questionnaire.sections.get(key="forarbeid"),
    )


def open_comments(client, analysis) -> int:
    return client.get(review_url(analysis)).context["open_comments"]


def test_the_adviser_resolves_a_comment_and_the_open_count_goes_down(
    client_for, analysis, section_comment
):
    client = client_for("adviser")
    assert open_comments(client, analysis) == 1
    url = reverse("analysis:resolve_comment", args=[analysis.pk, section_comment.pk])
    response = client.post(url, follow=True)
    assert "Kommentaren er merket som løst." in response.text
    section_comment.refresh_from_db()
    assert section_comment.resolved_at is not None
    assert open_comments(client, analysis) == 0
    # shown folded away, still readable
    assert '<details class="review-comment review-comment-resolved' in response.text
    assert "Løst kommentar fra" in response.text and "Beskriv planstrategien." in response.text
    again = client.post(url, follow=True)
    assert "Kommentaren var allerede løst." in again.text


def test_the_municipality_resolves_a_comment_by_replying_resolved(
    client_for, analysis, section_comment
):
    client = client_for("planner")
    client.post(
        review_url(analysis, "comment"),
        {"target": f"reply:{section_comment.pk}", "body": "Lagt inn.", "resolve": "on"},
    )
    section_comment.refresh_from_db()
    assert section_comment.resolved_at is not None
    assert section_comment.replies.get().body == "Lagt inn."
    assert open_comments(client, analysis) == 0


def test_a_reply_without_resolved_leaves_the_comment_open(client_for, analysis, section_comment):
    client_for("planner").post(
        review_url(analysis, "comment"),
        {"target": f"reply:{section_comment.pk}", "body": "Vi ser på det."},
    )
    section_comment.refresh_from_db()
    assert section_comment.resolved_at is None


@pytest.mark.parametrize(
    ("persona", "status"),
    {"planner": 403, "reader": 403, "outside_adviser": 404, "other_planner": 404}.items(),
)
def test_only_the_adviser_resolves_without_replying(
    client_for, analysis, section_comment, persona, status
):
    url = reverse("analysis:resolve_comment", args=[analysis.pk, section_comment.pk])
    assert client_for(persona).post(url).status_code == status
    section_comment.refresh_from_db()
    assert section_comment.resolved_at is None


def test_a_comment_of_another_analysis_cannot_be_resolved_through_this_one(
    client_for, analysis, other_analysis, adviser
):
    from analysis.services.review import add_comment

    foreign = add_comment(
        analysis=other_analysis,
        author=adviser,
        body="Vefsn",
        section=other_analysis.round.questionnaire.sections.first(),
    )
    url = reverse("analysis:resolve_comment", args=[analysis.pk, foreign.pk])
    assert client_for("adviser").post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.resolved_at is None


def test_a_comment_on_an_answer_of_another_municipality_is_refused(
    client_for, analysis, other_analysis
):
    from reference.models import Questionnaire, Section

    question = Question.objects.get(key="budsjett")
    # Vefsn's analysis is out of reach for Fauske's planner and for another region's adviser
    for persona in ["other_planner", "outside_adviser"]:
        response = client_for(persona).post(
            review_url(analysis, "comment"),
            {"target": f"question:{question.pk}", "body": "Kapret"},
        )
        assert response.status_code == 404
    response = client_for("planner").post(
        review_url(other_analysis, "comment"),
        {"target": f"question:{question.pk}", "body": "Kapret"},
    )
    assert response.status_code == 404
    # a question from another questionnaire edition is not part of this analysis
    edition = Questionnaire.objects.create(edition=99, title_nb="Annen utgave")
    section = Section.objects.create(
        questionnaire=edition, key="annen", order=1, kind="questions", title_nb="Annen"
    )
    foreign = Question.objects.create(
        section=section, key="annet", order=1, kind="text", text_nb="Annet?"
    )
    for target in [f"question:{foreign.pk}", f"section:{section.pk}"]:
        response = client_for("adviser").post(
            review_url(analysis, "comment"), {"target": target, "body": "Annen utgave"}
        )
        assert response.status_code == 404
    assert not ReviewComment.objects.exists()


# --- The status log and what each status allows ---------------------------------------------


def test_the_status_log_records_who_from_to_and_why_for_each_step(
    client_for, analysis, planner, adviser
):
    make_complete(analysis)
    planner_client = client_for("planner")
    planner_client.post(reverse("analysis:submit", args=[analysis.pk]))
    adviser_client = client_for("adviser")
    adviser_client.post(
        review_url(analysis, "decision"), {"decision": "send_back", "message": "Se faktor 3."}
    )
    client_for("planner").post(reverse("analysis:submit", args=[analysis.pk]))
    client_for("adviser").post(
        review_url(analysis, "decision"), {"decision": "approve", "message": "Fint."}
    )
    log = list(
        StatusChange.objects.filter(analysis=analysis).values_list(
            "from_status", "to_status", "changed_by__username", "message"
        )
    )
    assert log == [
        ("in_progress", "submitted", "planner", ""),
        ("submitted", "sent_back", "adviser", "Se faktor 3."),
        ("sent_back", "submitted", "planner", ""),
        ("submitted", "approved", "adviser", "Fint."),
    ]
    page = client_for("planner").get(review_url(analysis))
    assert "Se faktor 3." in page.text and "Fint." in page.text


def test_decisions_count_as_last_activity_by_the_adviser(analysis, adviser):
    from analysis.services import workflow

    Analysis.objects.filter(pk=analysis.pk).update(status=AnalysisStatus.SUBMITTED)
    workflow.send_back_analysis(analysis=analysis, by=adviser, message="Se faktor 3.")
    analysis.refresh_from_db()
    assert analysis.last_activity_by == adviser and analysis.last_activity_at is not None
    Analysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.SUBMITTED, last_activity_by=None, last_activity_at=None
    )
    workflow.approve_analysis(analysis=analysis, by=adviser)
    analysis.refresh_from_db()
    assert analysis.last_activity_by == adviser and analysis.last_activity_at is not None


def test_an_approved_analysis_refuses_answer_saves_and_sending_back_reopens_it(
    client_for, analysis, adviser
):
    question = Question.objects.get(key="budsjett")
    Analysis.objects.filter(pk=analysis.pk).update(status=AnalysisStatus.APPROVED)
    url = reverse("analysis:section", args=[analysis.pk, "forarbeid"])
    client = client_for("planner")
    response = client.post(url, {"q-budsjett": "yes", "v-budsjett": "0"}, follow=True)
    assert "godkjent" in response.text
    assert not Answer.objects.filter(analysis=analysis, question=question).exists()
    client_for("adviser").post(
        review_url(analysis, "decision"), {"decision": "send_back", "message": "Oppdater."}
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SENT_BACK
    client = client_for("planner")
    client.post(url, {"q-budsjett": "yes", "v-budsjett": "0"})
    assert Answer.objects.get(analysis=analysis, question=question).value == "yes"


# --- Rounds: opening, skipping, carrying over --------------------------------------------------


def later_round(round_, year=2027):
    return open_year(year, questionnaire=round_.questionnaire)


def test_a_second_open_round_for_the_same_period_is_refused_with_nothing_opened(client_for, round_):
    response = client_for("administrator").post(
        reverse("analysis:rounds"),
        {
            "year": 2030,
            "title": "Samme periode",
            "questionnaire": round_.questionnaire.pk,
            "opens_on": "2026-03-01",
            "closes_on": "2026-09-30",
        },
    )
    assert "overlapper med Foranalyse 2026" in response.text
    assert not Round.objects.filter(year=2030).exists()
    assert Analysis.objects.count() == Analysis.objects.filter(round=round_).count()


def test_the_rounds_page_suggests_the_period_after_the_newest_round(client_for, round_):
    form = client_for("administrator").get(reverse("analysis:rounds")).context["form"]
    assert form.initial["year"] == 2027
    assert form.initial["opens_on"] == datetime.date(2027, 1, 1)
    assert form.initial["closes_on"] == datetime.date(2027, 12, 31)
    assert form.initial["questionnaire"] == round_.questionnaire


def test_carrying_over_passes_a_skipped_round(analysis, planner):
    question = Question.objects.get(key="oppgaver")
    Answer.objects.create(analysis=analysis, question=question, value="Fra 2026")
    Analysis.objects.filter(pk=analysis.pk).update(status=AnalysisStatus.APPROVED)
    skipped_round = later_round(analysis.round, 2027)  # Fauske never started this one
    newest = later_round(analysis.round, 2028)
    new = Analysis.objects.get(round=newest, municipality=analysis.municipality)
    skipped = Analysis.objects.get(round=skipped_round, municipality=analysis.municipality)
    assert rounds.previous_analysis(new) == analysis
    assert rounds.previous_analysis(skipped) == analysis
    rounds.start_from_previous_round(analysis=new, by=planner)
    new.refresh_from_db()
    assert new.previous == analysis
    assert Answer.objects.get(analysis=new, question=question).value == "Fra 2026"
    (revision,) = Revision.objects.filter(answer__analysis=new)
    assert revision.note == "Videreført fra Foranalyse 2026"


def test_with_nothing_done_before_there_is_nothing_to_start_from(analysis, planner):
    later = later_round(analysis.round)
    new = Analysis.objects.get(round=later, municipality=analysis.municipality)
    assert rounds.previous_analysis(new) is None
    with pytest.raises(ValidationError, match="ingen tidligere runde"):
        rounds.start_from_previous_round(analysis=new, by=planner)
    new.refresh_from_db()
    assert new.status == AnalysisStatus.NOT_STARTED


def test_carry_over_copies_everything_and_shares_nothing(analysis, planner):
    from analysis.models import AllocationPractice, ExternalActor
    from analysis.services import answers as answer_services
    from analysis.services import structures
    from factors.services import assessments as factor_services
    from reference.models import Instrument

    question = Question.objects.get(key="oppgaver")
    source_answer = Answer.objects.create(analysis=analysis, question=question, value="Tildeling")
    Revision.objects.create(
        analysis=analysis, answer=source_answer, old_value=None, new_value="Tildeling"
    )
    for factor in SuccessFactor.objects.all():
        FactorAssessment.objects.create(
            analysis=analysis, factor=factor, score=2, status="Start", challenges="Tid"
        )
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    area = TaskArea.objects.first()
    Responsibility.objects.create(analysis=analysis, task_area=area, unit=unit, role="responsible")
    body = CooperationBody.objects.create(
        analysis=analysis, name="Forum", members="NAV, eiendom", is_formal=True
    )
    actor = ExternalActor.objects.create(
        analysis=analysis, kind="husbanken", name="Husbanken", cooperation_about="Startlån"
    )
    instrument = Instrument.objects.get(key="startlan")
    practice = AllocationPractice.objects.create(
        analysis=analysis, instrument=instrument, decided_by="Teamet", criteria="Behov"
    )
    Analysis.objects.filter(pk=analysis.pk).update(status=AnalysisStatus.APPROVED)
    source_revisions = set(Revision.objects.filter(analysis=analysis).values_list("pk", flat=True))

    later = later_round(analysis.round)
    new = Analysis.objects.get(round=later, municipality=analysis.municipality)
    rounds.start_from_previous_round(analysis=new, by=planner)
    new.refresh_from_db()

    copied = Answer.objects.get(analysis=new, question=question)
    assessments = FactorAssessment.objects.filter(analysis=new)
    (copied_map,) = Responsibility.objects.filter(analysis=new)
    (copied_body,) = CooperationBody.objects.filter(analysis=new)
    (copied_actor,) = ExternalActor.objects.filter(analysis=new)
    (copied_practice,) = AllocationPractice.objects.filter(analysis=new)
    # every kind copied, as new rows, each marked carried over
    assert copied.value == "Tildeling" and copied.pk != source_answer.pk
    assert sorted(a.score for a in assessments) == [2] * 6
    assert (copied_map.task_area, copied_map.unit, copied_map.role) == (area, unit, "responsible")
    assert (copied_body.name, copied_body.members, copied_body.is_formal) == (
        "Forum",
        "NAV, eiendom",
        True,
    )
    assert (copied_actor.name, copied_actor.cooperation_about) == ("Husbanken", "Startlån")
    assert (copied_practice.decided_by, copied_practice.criteria) == ("Teamet", "Behov")
    for row in [copied, *assessments, copied_map, copied_body, copied_actor, copied_practice]:
        assert row.carried_over, row
    assert copied_body.pk != body.pk and copied_actor.pk != actor.pk
    assert copied_practice.pk != practice.pk

    # the history of the copy starts fresh, naming where it came from
    answer_history = Revision.objects.filter(answer=copied)
    assert [(r.old_value, r.new_value, r.note) for r in answer_history] == [
        (None, "Tildeling", "Videreført fra Foranalyse 2026")
    ]
    assessment_history = Revision.objects.filter(analysis=new, kind="assessment")
    copied_assessments = {a.pk: a for a in assessments}
    assert sorted(copied_assessments[r.object_id].factor.number for r in assessment_history) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    for revision in assessment_history:
        assert revision.old_value is None
        assert revision.new_value["score"] == 2
        assert revision.note == "Videreført fra Foranalyse 2026"

    # editing the copies through the services leaves the source rows and revisions alone
    Analysis.objects.filter(pk=new.pk).update(status=AnalysisStatus.IN_PROGRESS)
    new.refresh_from_db()
    changed = answer_services.save_section_answers(
        analysis=new,
        section=question.section,
        values={"oppgaver": "Endret i 2027"},
        versions={"oppgaver": copied.version},
        by=planner,
    )
    assert changed == 1
    factor_services.save_assessments(
        analysis=new,
        values={1: {"score": 5, "status": "Bedre", "challenges": "", "evidence": ""}},
        versions={1: assessments.get(factor__number=1).version},
        by=planner,
    )
    # each form carries fingerprints of the values it was loaded with
    loaded_body = merge.fingerprints({f: getattr(copied_body, f) for f in CooperationBody.EDITABLE})
    copied_body.name = "Nytt forum"
    structures.save_row(analysis=new, instance=copied_body, base=loaded_body, by=planner)
    structures.save_allocation(
        analysis=new,
        rows={instrument.pk: {"decided_by": "Ny", "criteria": "Behov", "criteria_written": True}},
        bases={instrument.pk: merge.fingerprints(structures.allocation_values(copied_practice))},
        by=planner,
    )
    source_answer.refresh_from_db()
    body.refresh_from_db()
    practice.refresh_from_db()
    assert source_answer.value == "Tildeling"
    assert FactorAssessment.objects.get(analysis=analysis, factor__number=1).score == 2
    assert body.name == "Forum" and practice.decided_by == "Teamet"
    assert (
        set(Revision.objects.filter(analysis=analysis).values_list("pk", flat=True))
        == source_revisions
    )
    copied.refresh_from_db()
    assert copied.value == "Endret i 2027" and not copied.carried_over


# --- Round two through the UI ------------------------------------------------------------------


def test_administrator_opens_round_two_and_the_planner_starts_it_from_round_one(
    client_for, analysis, planner
):
    question = Question.objects.get(key="oppgaver")
    Answer.objects.create(analysis=analysis, question=question, value="Tildeling")
    for factor in SuccessFactor.objects.all():
        FactorAssessment.objects.create(analysis=analysis, factor=factor, score=3, status="Her")
    Analysis.objects.filter(pk=analysis.pk).update(status=AnalysisStatus.APPROVED)

    admin = client_for("administrator")
    suggested = admin.get(reverse("analysis:rounds")).context["form"].initial
    response = admin.post(
        reverse("analysis:rounds"),
        {
            "year": suggested["year"],
            "title": suggested["title"],
            "questionnaire": suggested["questionnaire"].pk,
            "opens_on": suggested["opens_on"].isoformat(),
            "closes_on": suggested["closes_on"].isoformat(),
        },
        follow=True,
    )
    assert "er åpen for alle kommuner" in response.text
    assert "Åpner senere" in response.text  # the new round lies ahead of today's date
    new = Analysis.objects.get(round__year=2027, municipality=analysis.municipality)

    # the planner still lands on this year's analysis, and finds round two in the switcher
    client = client_for("planner")
    landing = client.get(reverse("home"), follow=True)
    assert landing.context["analysis"] == analysis
    assert f'href="{new.get_absolute_url()}"' in landing.text
    assert "Foranalyse 2027 – ikke startet" in landing.text
    page = client.get(new.get_absolute_url())
    assert "Start fra forrige runde" in page.text
    response = client.post(reverse("analysis:start_from_previous", args=[new.pk]), follow=True)
    assert "Svarene fra forrige runde er kopiert inn" in response.text
    new.refresh_from_db()
    assert new.status == AnalysisStatus.IN_PROGRESS and new.previous == analysis
    assert Answer.objects.get(analysis=new, question=question).carried_over
    # the page now shows the change per factor against round one
    assert "Forrige runde" in client.get(new.get_absolute_url()).text


def test_the_round_switcher_lists_only_the_rounds_of_this_municipality(
    client_for, analysis, other_analysis
):
    later_round(analysis.round)
    page = client_for("planner").get(analysis.get_absolute_url())
    entries = page.context["round_entries"]
    assert [e.round.year for e in entries] == [2027, 2026]
    assert all(e.analysis.municipality == analysis.municipality for e in entries)
    assert entries[0].opens_later


def test_home_lists_the_rounds_for_an_administrator(client_for, round_):
    later_round(round_)
    page = client_for("administrator").get(reverse("home"))
    assert f"{reverse('overview:national')}?runde=2027" in page.text


def test_a_section_shows_last_rounds_choice_answers_by_their_labels(client_for, analysis):
    for key, value in [("prosjektoversikt", "yes"), ("samarbeidsorganer", "uformelle")]:
        Answer.objects.create(
            analysis=analysis, question=Question.objects.get(key=key), value=value
        )
    later = rounds.open_round(
        year=2027,
        title="Foranalyse 2027",
        questionnaire=analysis.round.questionnaire,
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 12, 31),
    )
    new = Analysis.objects.get(round=later, municipality=analysis.municipality)
    Analysis.objects.filter(pk=new.pk).update(previous=analysis)
    page = client_for("planner").get(reverse("analysis:section", args=[new.pk, "refleksjon"]))
    shown = re.findall(r"Forrige runde:</strong> ([^<]*)</p>", page.text)
    assert shown == ["Ja", "Bare uformelt samarbeid"]
