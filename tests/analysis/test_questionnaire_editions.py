import pytest

from analysis.models import Answer, Question, Questionnaire
from analysis.services.questionnaire import (
    copy_questionnaire_edition,
    publish_questionnaire_edition,
)

pytestmark = pytest.mark.django_db


def test_a_new_edition_copies_every_section_and_question_as_an_unpublished_draft():
    first = Questionnaire.objects.get(edition=1)
    draft = copy_questionnaire_edition(source=first)
    assert draft.edition == 2
    assert not draft.is_published
    assert list(draft.sections.values_list("key", flat=True)) == list(
        first.sections.values_list("key", flat=True)
    )
    assert Question.objects.filter(section__questionnaire=draft).count() == (
        Question.objects.filter(section__questionnaire=first).count()
    )


def test_editing_the_new_edition_leaves_the_old_edition_and_its_answers_alone(analysis):
    first = Questionnaire.objects.get(edition=1)
    question = Question.objects.get(section__questionnaire=first, key="oppgaver")
    Answer.objects.create(analysis=analysis, question=question, value="Svar i runde 1")
    draft = copy_questionnaire_edition(source=first)
    Question.objects.filter(section__questionnaire=draft, key="oppgaver").update(
        text_nb="Ny ordlyd"
    )
    question.refresh_from_db()
    assert question.text_nb != "Ny ordlyd"
    assert Answer.objects.get(analysis=analysis).question == question


def test_publishing_sets_the_date_once():
    draft = copy_questionnaire_edition(source=Questionnaire.objects.get(edition=1))
    publish_questionnaire_edition(questionnaire=draft)
    published = draft.published_at
    publish_questionnaire_edition(questionnaire=draft)
    assert draft.published_at == published is not None


def test_administrator_copies_an_edition_from_the_admin(client_for):
    first = Questionnaire.objects.get(edition=1)
    response = client_for("administrator").post(
        "/admin/analysis/questionnaire/",
        {"action": "copy_as_new_edition", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Questionnaire.objects.filter(edition=2).exists()
