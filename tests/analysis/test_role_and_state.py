"""Say the role and the state (issue 15, item 5): a reader is told on every page of the
analysis that they can only read, sees the answers as text rather than greyed-out fields, and
is offered no action they cannot take; a submitted or approved analysis says so at the top of
every part, with who and when."""

import pytest
from django.urls import reverse

from analysis.models import AnalysisStatus, Answer, CooperationBody, Project
from analysis.services import workflow
from reference.models import Question
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

READ_ONLY = "Du har lesetilgang."

PAGES = {
    "analysis": lambda a: a.get_absolute_url(),
    "section": lambda a: reverse("analysis:section", args=[a.pk, "forarbeid"]),
    "factors": lambda a: reverse("factors:assessments", args=[a.pk]),
    "map": lambda a: reverse("analysis:responsibility_map", args=[a.pk]),
    "cooperation": lambda a: reverse("analysis:cooperation", args=[a.pk]),
    "allocation": lambda a: reverse("analysis:allocation", args=[a.pk]),
    "projects": lambda a: reverse("analysis:projects", args=[a.pk]),
    "assignments": lambda a: reverse("analysis:assignments", args=[a.pk]),
    "map history": lambda a: reverse("analysis:map_history", args=[a.pk]),
    "key figures": lambda a: reverse("analysis:key_figures", args=[a.pk]),
    "review": lambda a: reverse("analysis:review", args=[a.pk]),
    "invitations": lambda a: reverse("factors:invitations", args=[a.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_reader_is_told_on_every_page_that_they_can_only_read(client_for, analysis, page):
    response = client_for("reader").get(PAGES[page](analysis))
    assert response.status_code == 200
    assert READ_ONLY in response.text
    assert "Spør en redaktør i kommunen" in response.text


@pytest.mark.parametrize("page", ["analysis", "map", "allocation"])
def test_an_adviser_is_told_they_read_and_comment(client_for, analysis, page):
    response = client_for("adviser").get(PAGES[page](analysis))
    assert READ_ONLY in response.text
    assert "kommentere" in response.text


@pytest.mark.parametrize("page", PAGES)
def test_a_planner_is_not_told_they_can_only_read(client_for, analysis, page):
    response = client_for("planner").get(PAGES[page](analysis))
    assert READ_ONLY not in response.text


def test_a_reader_sees_the_answers_as_text_not_as_disabled_fields(client_for, analysis, planner):
    question = Question.objects.get(key="eksisterende-planer")
    Answer.objects.create(analysis=analysis, question=question, value="Boligsosial handlingsplan")
    page = client_for("reader").get(PAGES["section"](analysis))
    assert "Boligsosial handlingsplan" in page.text
    assert "<textarea" not in page.text and " disabled" not in page.text
    assert ">Lagre</button>" not in page.text
    assert "Ikke besvart" in page.text  # the questions nobody has answered say so


@pytest.mark.parametrize("page", ["map", "allocation"])
def test_the_map_and_the_allocation_show_a_reader_text(client_for, analysis, page):
    make_unit(analysis)
    response = client_for("reader").get(PAGES[page](analysis))
    for control in ('name="cell-', 'name="gap-', '-decided_by"', "<textarea", " disabled"):
        assert control not in response.text
    assert "read-only-answer" in response.text


def test_the_planner_still_gets_the_forms(client_for, analysis):
    make_unit(analysis)
    assert "<textarea" in client_for("planner").get(PAGES["section"](analysis)).text
    assert 'name="gap-' in client_for("planner").get(PAGES["map"](analysis)).text


def test_a_reader_is_offered_no_new_project_and_cannot_open_its_form(client_for, analysis):
    client = client_for("reader")
    assert "Nytt prosjekt" not in client.get(PAGES["projects"](analysis)).text
    assert client.get(reverse("analysis:project_create", args=[analysis.pk])).status_code == 403
    new_body = reverse("analysis:cooperation_add", args=[analysis.pk, "organ"])
    assert client.get(new_body).status_code == 403
    assert not Project.objects.exists() and not CooperationBody.objects.exists()


def test_an_editor_of_a_submitted_analysis_is_sent_back_from_a_new_entry_form(client_for, analysis):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    response = client_for("planner").get(
        reverse("analysis:project_create", args=[analysis.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == PAGES["projects"](analysis)
    assert "kan ikke endres" in response.text


def submit(analysis, planner):
    """Submitted as the service does it, so the status log names who and when."""
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    workflow._change_status(analysis, AnalysisStatus.SUBMITTED, planner)
    analysis.save()


@pytest.mark.parametrize("page", ["analysis", "section", "factors", "map", "allocation"])
def test_a_submitted_analysis_says_who_sent_it_and_when_on_every_part(
    client_for, analysis, planner, page
):
    planner.first_name, planner.last_name = "Kari", "Planlegger"
    planner.save()
    submit(analysis, planner)
    response = client_for("reader").get(PAGES[page](analysis))
    notice = response.text.split('id="analysis-state"')[1].split("</div>")[0]
    assert "Sendt inn av Kari Planlegger" in notice
    assert str(analysis.status_changes.last().changed_at.year) in notice


def test_an_approved_analysis_says_who_approved_it(client_for, analysis, planner, adviser):
    submit(analysis, planner)
    workflow._change_status(analysis, AnalysisStatus.APPROVED, adviser)
    analysis.save()
    response = client_for("planner").get(PAGES["map"](analysis))
    assert f"Godkjent av {adviser.get_username()}" in response.text


def test_an_open_analysis_has_no_state_notice(client_for, analysis):
    assert 'id="analysis-state"' not in client_for("planner").get(PAGES["map"](analysis)).text


def test_a_reader_opening_a_project_reads_it_as_text(client_for, analysis):
    unit = make_unit(analysis, "Tildelingskontoret")
    project = Project.objects.create(
        municipality=analysis.municipality,
        name="Bo trygt",
        description="Oppfølging i egen bolig.",
        responsible_unit=unit,
        status="active",
    )
    response = client_for("reader").get(
        reverse("analysis:project_edit", args=[analysis.pk, project.pk])
    )
    assert response.status_code == 200
    html = response.text
    assert "Bo trygt" in html and "Oppfølging i egen bolig." in html
    assert "Tildelingskontoret" in html  # the unit by its name, not its number
    assert project.get_status_display() in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    for control in ('method="post"', "<textarea", " disabled", 'type="checkbox"', ">Lagre<"):
        assert control not in main


def test_a_reader_opening_a_cooperation_body_reads_it_as_text(client_for, analysis):
    body = CooperationBody.objects.create(analysis=analysis, name="Boligforum", is_formal=True)
    response = client_for("reader").get(
        reverse("analysis:cooperation_edit", args=[analysis.pk, "organ", body.pk])
    )
    html = response.text
    assert "Boligforum" in html and "Ja" in html  # formal: yes, in words
    assert "<textarea" not in html and " disabled" not in html


def test_the_planner_still_gets_the_project_form(client_for, analysis):
    project = Project.objects.create(municipality=analysis.municipality, name="Bo trygt")
    html = (
        client_for("planner")
        .get(reverse("analysis:project_edit", args=[analysis.pk, project.pk]))
        .text
    )
    assert "<textarea" in html and ">Lagre</button>" in html


def test_a_reader_reads_the_self_assessment_as_text(client_for, analysis):
    from factors.models import FactorAssessment
    from reference.models import SuccessFactor

    FactorAssessment.objects.create(
        analysis=analysis,
        factor=SuccessFactor.objects.get(number=1),
        score=3,
        status="Godt i gang.",
    )
    for url in (
        reverse("factors:assessments", args=[analysis.pk]),
        reverse("factors:assessment", args=[analysis.pk, 1]),
    ):
        main = client_for("reader").get(url).text.split("<main", 1)[1].split("</main>", 1)[0]
        assert "Godt i gang." in main and "3 – " in main
        for control in ("<textarea", " disabled", 'type="radio"', "(valgfritt)"):
            assert control not in main, (url, control)


def test_a_reader_is_told_on_the_plan_that_they_can_only_read(client_for, analysis):
    page = client_for("reader").get(reverse("plans:measures", args=[analysis.pk]))
    assert READ_ONLY in page.text


def test_a_reader_opening_a_project_sees_it_called_a_project_not_edited(client_for, analysis):
    project = Project.objects.create(municipality=analysis.municipality, name="Bo trygt")
    html = (
        client_for("reader")
        .get(reverse("analysis:project_edit", args=[analysis.pk, project.pk]))
        .text
    )
    assert "Rediger prosjekt" not in html and '<h1 class="h3">Prosjekt</h1>' in html
