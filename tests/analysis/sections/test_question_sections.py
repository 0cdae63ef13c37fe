"""The planner answers the question sections: saved safely, with history and conflicts."""

import re

import pytest
from django.urls import reverse

from analysis.models import AnalysisStatus, Answer, Revision, StatusChange
from reference.models import Question
from tests.factories import make_editor
from tests.form_data import error_summary, form_data

pytestmark = pytest.mark.django_db


def url(analysis, key="forarbeid"):
    return reverse("analysis:section", args=[analysis.pk, key])


def question(key):
    return Question.objects.get(key=key, section__questionnaire__edition=1)


def post_data(client, analysis, key="forarbeid", **values):
    """The form as the browser would send it, with the given answers (by question key) typed
    on top."""
    form = client.get(url(analysis, key)).context["form"]
    return form_data(form, **{f"q-{k}": v for k, v in values.items()})


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
def test_section_page_answers_each_persona_as_designed(client_for, analysis, persona, status):
    response = client_for(persona).get(url(analysis))
    assert response.status_code == status
    if status == 200:
        section = analysis.round.questionnaire.sections.get(key="forarbeid")
        assert all(q.text_nb in response.text for q in section.questions.all())


@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 403, "adviser": 403, "outside_adviser": 404, "other_planner": 404}.items(),
)
def test_only_the_municipality_editors_can_save(client_for, analysis, persona, status):
    response = client_for(persona).post(url(analysis), {"q-eksisterende-planer": "Forged"})
    assert response.status_code == status
    assert not Answer.objects.exists()


def test_anonymous_post_is_sent_to_login_and_saves_nothing(client_for, analysis):
    response = client_for("anonymous").post(url(analysis), {"q-eksisterende-planer": "x"})
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_saving_a_section_stores_answers_history_and_moves_the_analysis_on(
    client_for, analysis, planner
):
    client = client_for("planner")
    data = post_data(
        client, analysis, **{"eksisterende-planer": "Kommuneplanen", "boligpolitisk-plan": "no"}
    )
    response = client.post(url(analysis), data, follow=True)
    assert "Lagret." in response.text
    answer = Answer.objects.get(question=question("eksisterende-planer"))
    assert (answer.value, answer.version, answer.updated_by) == ("Kommuneplanen", 1, planner)
    assert Answer.objects.get(question=question("boligpolitisk-plan")).value == "no"
    revision = Revision.objects.get(answer=answer)
    assert (revision.old_value, revision.new_value, revision.changed_by) == (
        None,
        "Kommuneplanen",
        planner,
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.IN_PROGRESS
    assert StatusChange.objects.filter(analysis=analysis, to_status="in_progress").exists()


def test_saving_one_section_leaves_the_other_sections_untouched(client_for, analysis, planner):
    other = Answer.objects.create(
        analysis=analysis, question=question("oppgaver"), value="Tildeling", updated_by=planner
    )
    client = client_for("planner")
    client.post(url(analysis), post_data(client, analysis, **{"eksisterende-planer": "Plan"}))
    other.refresh_from_db()
    assert (other.value, other.version) == ("Tildeling", 1)


def test_an_over_long_answer_is_refused_with_everything_typed_kept(client_for, analysis):
    client = client_for("planner")
    data = post_data(
        client,
        analysis,
        **{"eksisterende-planer": "x" * 5001, "kunnskapsgrunnlag": "Kartlegging 2025"},
    )
    response = client.post(url(analysis), data)
    assert response.status_code == 200
    # One summary at the top, whose link goes to the field in error (issue 15, item 3).
    summary = error_summary(response.text)
    assert "Skjemaet har feil" in summary
    assert "Ingenting ble lagret; det du skrev, er tatt vare på." in summary
    (link,) = re.findall(r'<a href="([^"]+)"', summary)
    assert link == "#id_q-eksisterende-planer"
    assert question("eksisterende-planer").text_nb in summary
    # The field is marked, and what was typed is kept.
    assert re.search(
        r'<textarea[^>]*class="[^"]*is-invalid[^"]*"[^>]*aria-invalid="true"[^>]*'
        r'aria-describedby="[^"]*id_q-eksisterende-planer_error[^"]*"[^>]*id="id_q-eksisterende-planer"',
        response.text,
    )
    assert "Kartlegging 2025" in response.text
    assert not Answer.objects.exists()


def test_a_forged_choice_is_a_bad_request_and_saves_nothing(client_for, analysis):
    client = client_for("planner")
    data = post_data(client, analysis, **{"strategisk-ansvar": "hacked", "budsjett": "yes"})
    response = client.post(url(analysis), data)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_html_and_script_are_stored_as_typed_and_shown_escaped(client_for, analysis):
    client = client_for("planner")
    client.post(
        url(analysis),
        post_data(client, analysis, **{"eksisterende-planer": "<script>alert(1)</script>"}),
    )
    response = client.get(url(analysis))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


@pytest.fixture
def colleague(analysis):
    return make_editor("colleague", analysis.municipality)


def test_two_people_changing_different_answers_from_the_same_copy_both_keep_their_change(
    client_for, analysis, planner, colleague
):
    client = client_for("planner")
    # A and B load the section; B changes one answer and saves first.
    a_copy = post_data(client, analysis, **{"kunnskapsgrunnlag": "Kartlegging 2025"})
    client.force_login(colleague)
    client.post(url(analysis), post_data(client, analysis, **{"eksisterende-planer": "Fra B"}))

    # A's form still carries the old (empty) answer B changed; A never touched it.
    client.force_login(planner)
    response = client.post(url(analysis), a_copy)
    assert response.status_code == 302
    assert Answer.objects.get(question=question("eksisterende-planer")).value == "Fra B"
    assert Answer.objects.get(question=question("kunnskapsgrunnlag")).value == "Kartlegging 2025"


def test_two_people_changing_the_same_answer_get_a_conflict_that_shows_both_versions(
    client_for, analysis, planner, colleague
):
    client = client_for("planner")
    stale = post_data(
        client,
        analysis,
        **{"eksisterende-planer": "Planleggers tekst", "kunnskapsgrunnlag": "Bare A"},
    )

    # The colleague saves first, from the same starting point.
    client.force_login(colleague)
    fresh = post_data(
        client, analysis, **{"eksisterende-planer": "Kollegaens tekst", "boligpolitisk-plan": "no"}
    )
    client.post(url(analysis), fresh)

    # The planner's stale save is refused, shows both versions, and writes nothing.
    client.force_login(planner)
    response = client.post(url(analysis), stale)
    assert response.status_code == 409
    conflict = response.text[response.text.index('id="conflict"') :]
    assert "Kollegaens tekst" in conflict and "Planleggers tekst" in conflict
    answer = Answer.objects.get(question=question("eksisterende-planer"))
    assert (answer.value, answer.version) == ("Kollegaens tekst", 1)
    assert not Answer.objects.filter(question=question("kunnskapsgrunnlag")).exists()

    # The form shows what is saved now with the planner's changes on top: the colleague's
    # yes/no answer, the planner's two texts.
    data = form_data(response.context["form"])
    assert data["q-boligpolitisk-plan"] == "no"
    assert data["q-eksisterende-planer"] == "Planleggers tekst"
    assert data["q-kunnskapsgrunnlag"] == "Bare A"

    # Saving again from the conflict page is a deliberate choice and goes through, keeping
    # the colleague's other answer.
    response = client.post(url(analysis), data)
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.value, answer.version) == ("Planleggers tekst", 2)
    assert answer.revisions.count() == 2
    assert Answer.objects.get(question=question("boligpolitisk-plan")).value == "no"
    assert Answer.objects.get(question=question("kunnskapsgrunnlag")).value == "Bare A"


def test_a_conflict_shows_choices_by_their_labels(client_for, analysis, planner, colleague):
    client = client_for("planner")
    stale = post_data(client, analysis, **{"boligpolitisk-plan": "yes"})
    client.force_login(colleague)
    client.post(url(analysis), post_data(client, analysis, **{"boligpolitisk-plan": "no"}))
    client.force_login(planner)
    response = client.post(url(analysis), stale)
    assert response.status_code == 409
    assert [(g.fields[0].saved, g.fields[0].mine) for g in response.context["conflicts"]] == [
        ("Nei", "Ja")
    ]


def test_an_identity_number_needs_confirmation_before_it_is_saved(client_for, analysis):
    client = client_for("planner")
    # A synthetic number (1 January 1990) whose check digits are right; nobody's real number.
    text = "Gjelder 01019010046 og ingen andre."
    data = post_data(client, analysis, **{"eksisterende-planer": text})
    response = client.post(url(analysis), data)
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert not Answer.objects.exists()
    data["privacy_checked"] = "on"
    assert client.post(url(analysis), data).status_code == 302
    assert Answer.objects.get().value == text


def test_a_submitted_analysis_is_read_only(client_for, analysis):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    client = client_for("planner")
    response = client.get(url(analysis))
    assert response.context["form"].fields["q-eksisterende-planer"].disabled
    response = client.post(url(analysis), {"q-eksisterende-planer": "Endring"}, follow=True)
    assert "kan ikke endres" in response.text
    assert not Answer.objects.exists()


def test_an_unknown_section_is_404(client_for, analysis):
    assert client_for("planner").get(url(analysis, "finnes-ikke")).status_code == 404


def test_section_page_runs_a_fixed_number_of_queries(
    client_for, analysis, planner, django_assert_num_queries
):
    client = client_for("planner")
    client.get(url(analysis))
    for q in Question.objects.filter(section__key="forarbeid"):
        Answer.objects.create(analysis=analysis, question=q, value="ja", updated_by=planner)
    # session, user, memberships, analysis, the sections in order (the page's and the
    # previous and next part), questions, answers, assignments, review comments on the
    # analysis (10 before the page's section and the part navigation shared one read)
    with django_assert_num_queries(9):
        client.get(url(analysis))


def test_a_page_that_comes_back_with_unsaved_text_is_marked_dirty(client_for, analysis):
    """static/js/unsaved.js starts such a form dirty, so leaving still warns."""
    client = client_for("planner")
    assert "data-unsaved-dirty" not in client.get(url(analysis)).text
    data = post_data(client, analysis, **{"eksisterende-planer": "x" * 5001})
    assert "data-unsaved-dirty" in client.post(url(analysis), data).text
    project = reverse("analysis:project_create", args=[analysis.pk])
    assert "data-unsaved-dirty" not in client.get(project).text
    response = client.post(project, {"name": "", "status": "planned", "starts_on": "2026-05-01"})
    assert response.status_code == 200 and "data-unsaved-dirty" in response.text


def test_a_conflict_page_is_marked_dirty(client_for, analysis, planner, colleague):
    client = client_for("planner")
    stale = post_data(client, analysis, **{"eksisterende-planer": "A"})
    client.force_login(colleague)
    client.post(url(analysis), post_data(client, analysis, **{"eksisterende-planer": "B"}))
    client.force_login(planner)
    response = client.post(url(analysis), stale)
    assert response.status_code == 409 and "data-unsaved-dirty" in response.text
