import pytest
from django.utils import translation

from analysis.models import Answer
from reference.models import Question, Questionnaire, Section
from reference.services.editions import (
    copy_questionnaire_edition,
    edition_is_frozen,
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
        "/admin/reference/questionnaire/",
        {"action": "copy_as_new_edition", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Questionnaire.objects.filter(edition=2).exists()


# --- A published edition (or one a round uses) is read-only in the admin --------------------


def section_change_url(section) -> str:
    return f"/admin/reference/section/{section.pk}/change/"


def section_post(section, **changes) -> dict:
    return {
        "questionnaire": section.questionnaire_id,
        "key": section.key,
        "order": section.order,
        "kind": section.kind,
        "title_nb": section.title_nb,
        "title_nn": section.title_nn,
        "title_en": section.title_en,
        "intro_nb": section.intro_nb,
        "intro_nn": section.intro_nn,
        "intro_en": section.intro_en,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        **changes,
    }


def test_a_published_editions_section_is_shown_read_only_in_the_admin(client_for):
    section = Section.objects.get(questionnaire__edition=1, key="forarbeid")
    client = client_for("administrator")

    page = client.get(section_change_url(section))
    refused = client.post(section_change_url(section), section_post(section, title_nb="Nytt"))

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert "kopierer du utgaven" in page.text
    assert refused.status_code == 403
    section.refresh_from_db()
    assert section.title_nb == "Forarbeid"


def test_a_published_editions_questions_cannot_be_changed_through_the_questionnaire_page(
    client_for,
):
    first = Questionnaire.objects.get(edition=1)
    response = client_for("administrator").post(
        f"/admin/reference/questionnaire/{first.pk}/change/", {"title_nb": "Nytt navn"}
    )
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.title != "Nytt navn"


def test_a_draft_editions_section_can_be_edited_in_the_admin(client_for):
    draft = copy_questionnaire_edition(source=Questionnaire.objects.get(edition=1))
    section = draft.sections.get(key="forarbeid")
    client = client_for("administrator")

    page = client.get(section_change_url(section))
    response = client.post(
        section_change_url(section), section_post(section, title_nb="Forarbeid, ny ordlyd")
    )

    assert 'name="_save"' in page.text
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.title_nb == "Forarbeid, ny ordlyd"


def test_a_draft_edition_a_round_uses_is_read_only_too(client_for, round_):
    draft = copy_questionnaire_edition(source=Questionnaire.objects.get(edition=1))
    round_.questionnaire = draft
    round_.save()
    section = draft.sections.get(key="forarbeid")

    response = client_for("administrator").post(
        section_change_url(section), section_post(section, title_nb="Endret")
    )

    assert response.status_code == 403
    assert edition_is_frozen(draft)


def test_no_section_can_be_added_to_a_published_edition(client_for):
    first = Questionnaire.objects.get(edition=1)
    before = first.sections.count()
    response = client_for("administrator").post(
        "/admin/reference/section/add/",
        {
            **section_post(first.sections.first(), key="ny-del", order=99),
            "questionnaire": first.pk,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "kopierer du utgaven" in response.text
    assert first.sections.count() == before


def test_admin_action_labels_follow_the_active_language():
    from reference.admin import QuestionnaireAdmin

    label = QuestionnaireAdmin.copy_as_new_edition.short_description
    with translation.override("en"):
        assert str(label) == "Copy as a new draft edition"
    with translation.override("nb"):
        assert str(label) == "Kopier som ny utkastutgave"


def test_the_questionnaires_title_is_in_the_readers_language():
    from django.utils import translation

    first = Questionnaire.objects.get(edition=1)
    with translation.override("nn"):
        assert first.title == "Bustadsosial oversikt – foranalyse, 1. utgåve"
    with translation.override("en"):
        assert first.title == "Social housing overview – pre-analysis, 1st edition"
    with translation.override("nb"):
        assert first.title == "Boligsosial oversikt – foranalyse, 1. utgave"


def test_a_new_edition_gets_a_title_in_every_language():
    draft = copy_questionnaire_edition(source=Questionnaire.objects.get(edition=1))
    assert draft.title_nb == "Boligsosial oversikt – foranalyse, 1. utgave (utgave 2)"
    assert draft.title_nn == "Bustadsosial oversikt – foranalyse, 1. utgåve (utgåve 2)"
    assert draft.title_en.endswith("(edition 2)")


def test_loading_again_fills_the_titles_an_older_load_lacked():
    from reference.services.loading import load_reference_data

    Questionnaire.objects.filter(edition=1).update(title_nn="", title_en="")
    load_reference_data()
    first = Questionnaire.objects.get(edition=1)
    assert first.title_nn.startswith("Bustadsosial") and first.title_en.startswith("Social")
