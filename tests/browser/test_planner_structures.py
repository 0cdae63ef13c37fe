"""Two planners in two browsers save the same answer: the second sees the conflict page
with both versions, leaving it warns, and saving again is a choice. History pages show who
changed what and bring an earlier value back. What a new round carried over is marked and
confirmed. axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import expect

from analysis.models import Analysis, Answer, CooperationBody, Project
from tests.browser.helpers import check_page, sign_in
from tests.factories import make_editor, open_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colleague(analysis):
    return make_editor("ola", analysis.municipality, first_name="Ola", last_name="Nordmann")


def saved(page, name):
    expect(page.get_by_role("status").filter(has_text="Lagret.")).to_be_visible()
    check_page(page, name)


def test_two_planners_meet_a_conflict_and_restore_from_the_history(
    page, browser, live_server, analysis, planner, colleague
):
    section = f"{live_server.url}/analyse/{analysis.pk}/del/forarbeid/"
    sign_in(page, live_server, planner.username, land=False)
    other_context = browser.new_context()
    other = other_context.new_page()
    sign_in(other, live_server, colleague.username, land=False)
    page.goto(section)
    other.goto(section)
    check_page(other, "planner-colleague-section")

    other.locator("#q-eksisterende-planer textarea").fill("Olas plan")
    other.get_by_role("button", name="Lagre", exact=True).click()
    saved(other, "planner-colleague-saved")

    page.locator("#q-eksisterende-planer textarea").fill("Karis plan")
    page.locator("#q-kunnskapsgrunnlag textarea").fill("Kartlegging 2025")
    page.get_by_role("button", name="Lagre", exact=True).click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Noen andre lagret dette mens du redigerte")
    expect(conflict.locator(".conflict-saved")).to_have_text("Olas plan")
    expect(conflict.locator(".conflict-mine")).to_have_text("Karis plan")
    expect(conflict).to_contain_text("Ola Nordmann")
    expect(page.locator("#q-eksisterende-planer textarea")).to_have_value("Karis plan")
    check_page(page, "planner-conflict")

    # The page holds unsaved text: leaving asks first.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Tilbake til foranalysen").click()
    expect(page.locator("#conflict")).to_be_visible()
    assert dialogs == ["beforeunload"]

    page.get_by_role("button", name="Lagre", exact=True).click()
    saved(page, "planner-saved-after-conflict")
    expect(page.locator("#q-eksisterende-planer textarea")).to_have_value("Karis plan")
    expect(page.locator("#q-kunnskapsgrunnlag textarea")).to_have_value("Kartlegging 2025")

    # The answer's history shows both people, and brings Ola's text back.
    page.get_by_role("link", name="Historikk for svar 1").click()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Ola Nordmann")
    check_page(page, "planner-answer-history")
    page.once("dialog", lambda dialog: dialog.accept())  # "Vil du erstatte …?"
    rows.nth(1).get_by_role("button", name="Gjenopprett denne verdien").click()
    expect(page.get_by_text("Den tidligere verdien er gjenopprettet.")).to_be_visible()
    expect(rows).to_have_count(3)
    check_page(page, "planner-answer-history-restored")
    assert Answer.objects.get(question__key="eksisterende-planer").value == "Olas plan"
    other_context.close()


def test_planner_edits_a_project_and_restores_it_from_its_history(
    page, live_server, analysis, planner
):
    url = live_server.url
    sign_in(page, live_server, planner.username, land=False)
    page.goto(f"{url}/analyse/{analysis.pk}/prosjekter/nytt/")
    check_page(page, "planner-new-project")
    page.get_by_label("Navn").fill("Bo trygt")
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Unge", exact=True).check()
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_text("Prosjektet er lagret.")).to_be_visible()
    project = Project.objects.get()
    page.goto(f"{url}/analyse/{analysis.pk}/prosjekter/{project.pk}/")
    check_page(page, "planner-edit-project")
    page.get_by_label("Status").select_option("stopped")
    page.get_by_label("Unge", exact=True).uncheck()
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_text("Prosjektet er lagret.")).to_be_visible()
    check_page(page, "planner-projects-after-edit")

    page.get_by_role("link", name="Historikk Bo trygt").click()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Stanset")
    expect(rows.first).to_contain_text("Unge")
    check_page(page, "planner-project-history")
    page.once("dialog", lambda dialog: dialog.accept())  # "Vil du erstatte …?"
    rows.nth(1).get_by_role("button", name="Gjenopprett denne verdien").click()
    expect(page.get_by_text("Den tidligere verdien er gjenopprettet.")).to_be_visible()
    check_page(page, "planner-project-history-restored")
    project.refresh_from_db()
    assert project.status == "active"
    assert [t.key for t in project.target_groups.all()] == ["unge"]

    page.goto(f"{url}/analyse/{analysis.pk}/hvem-gjor-hva/historikk/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historikk")
    check_page(page, "planner-map-history")


def test_planner_confirms_what_the_new_round_carried_over(page, live_server, analysis, planner):
    """The previous round's content is put in the database here: it is the starting point
    the page offers, not something the planner fills in."""
    previous_round = open_year(2025)
    last_year = Analysis.objects.get(round=previous_round, municipality=analysis.municipality)
    CooperationBody.objects.create(analysis=last_year, name="Boligforum")
    CooperationBody.objects.create(analysis=last_year, name="Rusforum")
    Answer.objects.create(
        analysis=last_year,
        question=analysis.round.questionnaire.sections.get(key="forarbeid").questions.get(
            key="eksisterende-planer"
        ),
        value="Kommuneplanens samfunnsdel",
    )
    sign_in(page, live_server, planner.username)
    page.get_by_role("button", name="Start fra forrige runde").click()
    expect(page.get_by_role("row", name=re.compile(r"^Forarbeid "))).to_contain_text(
        "1 videreført svar ikke bekreftet"
    )
    row = page.get_by_role("row", name=re.compile(r"^Samarbeid "))
    expect(row).to_contain_text("2 videreførte svar ikke bekreftet")
    check_page(page, "planner-analysis-carried-over")

    row.get_by_role("link", name="Samarbeid", exact=True).click()
    expect(
        page.locator(".carried-over-badge", has_text="Videreført fra forrige runde")
    ).to_have_count(2)
    check_page(page, "planner-cooperation-carried-over")
    page.get_by_role("button", name="Bekreft Boligforum").click()
    expect(
        page.locator(".carried-over-badge", has_text="Videreført fra forrige runde")
    ).to_have_count(1)
    check_page(page, "planner-cooperation-one-confirmed")
    page.get_by_role("button", name="Bekreft alle i denne delen").click()
    expect(
        page.locator(".carried-over-badge", has_text="Videreført fra forrige runde")
    ).to_have_count(0)
    check_page(page, "planner-cooperation-confirmed")
    assert not CooperationBody.objects.filter(analysis=analysis, carried_over=True).exists()

    page.goto(f"{live_server.url}/analyse/{analysis.pk}/del/forarbeid/")
    expect(
        page.locator(".carried-over-badge", has_text="Videreført fra forrige runde")
    ).to_have_count(1)
    check_page(page, "planner-forarbeid-carried-over")


def test_removing_a_cooperation_body_asks_first_and_cancel_keeps_it(
    page, live_server, analysis, planner
):
    CooperationBody.objects.create(analysis=analysis, name="Boligforum")
    sign_in(page, live_server, planner.username, land=False)
    page.goto(f"{live_server.url}/analyse/{analysis.pk}/samarbeid/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Fjern Boligforum").click()
    expect(page.get_by_role("cell", name=re.compile("^Boligforum"))).to_be_visible()
    assert questions == [
        "Vil du fjerne samarbeidsorganet «Boligforum» fra foranalysen? "
        "Det kan hentes tilbake fra historikken."
    ]
    assert CooperationBody.objects.filter(analysis=analysis, name="Boligforum").exists()

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Fjern Boligforum").click()
    expect(page.get_by_role("status").filter(has_text="Fjernet.")).to_be_visible()
    check_page(page, "planner-cooperation-body-removed")
    assert not CooperationBody.objects.filter(analysis=analysis, name="Boligforum").exists()
