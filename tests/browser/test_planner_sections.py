"""A planner fills in the whole pre-analysis in a real Chromium, through the pages only:
forarbeid and the reflection questions, who does what (adding units, seeing the gaps),
cooperation with a body and an external actor, allocation for every instrument, all six
success factors and a project. Progress reaches 100 %, leaving with unsaved text warns, the
analysis is submitted and then read-only. Nothing is put in the database but the round and
the login. axe-core checks every page visited (tests/browser/helpers.check_page)."""

import re

import pytest
from playwright.sync_api import expect

from analysis.models import AnalysisStatus
from reference.models import Instrument, Question, TaskArea
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_every_question(page, analysis, section_key):
    for question in Question.objects.filter(
        section__key=section_key, section__questionnaire=analysis.round.questionnaire
    ):
        block = page.locator(f"#q-{question.key}")
        if question.kind == "text":
            block.locator("textarea").fill(f"Svar på {question.key}")
        else:
            block.locator("input[type=radio]").first.check()


def save(page, name, button="Lagre"):
    """Save, wait for the confirmation, and check the page that comes back."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Lagret.")).to_be_visible()
    check_page(page, name)


def test_planner_fills_every_section_sees_100_percent_and_submits(
    page, live_server, analysis, planner
):
    url = live_server.url
    page.goto(f"{url}/")
    expect(page.get_by_label("Brukernavn")).to_be_visible()
    check_page(page, "planner-login")
    sign_in(page, live_server, planner.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Foranalyse for Fauske")
    expect(page.locator("#overall-progress")).to_have_attribute("value", "0")
    check_page(page, "planner-analysis-empty")

    # Forarbeid, with the unsaved-changes warning on the way.
    page.get_by_role("link", name="Forarbeid", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forarbeid")
    check_page(page, "planner-forarbeid")
    answer_every_question(page, analysis, "forarbeid")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Tilbake til foranalysen").click()
    expect(page.locator("#q-eksisterende-planer textarea")).to_have_value(
        "Svar på eksisterende-planer"
    )
    assert dialogs == ["beforeunload"]
    assert "/del/forarbeid/" in page.url
    save(page, "planner-forarbeid-saved")

    # Reflection questions.
    page.goto(f"{url}/analyse/{analysis.pk}/del/refleksjon/")
    check_page(page, "planner-refleksjon")
    answer_every_question(page, analysis, "refleksjon")
    save(page, "planner-refleksjon-saved")

    # Who does what: units first, a duplicate refused with the name kept, then the map.
    page.goto(f"{url}{analysis.get_absolute_url()}")
    page.get_by_role("link", name="Hvem gjør hva", exact=True).click()
    check_page(page, "planner-map-empty")
    for name in ("Eiendom", "NAV-kontoret", "Eiendom"):
        page.get_by_label("Ny enhet eller tjeneste").fill(name)
        page.get_by_role("button", name="Legg til enhet").click()
    expect(page.locator("#new-unit-error")).to_contain_text("finnes allerede")
    expect(page.get_by_label("Ny enhet eller tjeneste")).to_have_value("Eiendom")
    check_page(page, "planner-map-unit-error")
    expect(page.locator("#gap-no-owner")).to_contain_text("Bomiljø og nabolag")
    areas = list(TaskArea.objects.order_by("order"))
    for area in areas:
        page.get_by_label(f"Rollen til Eiendom i {area.name}").select_option("responsible")
    page.get_by_label(f"Rollen til NAV-kontoret i {areas[2].name}").select_option("responsible")
    save(page, "planner-map-saved", "Lagre kartet")
    expect(page.locator("#gap-no-owner")).to_have_count(0)
    expect(page.locator("#gap-several-owners")).to_contain_text(areas[2].name)
    check_page(page, "planner-map-several-owners")
    page.get_by_label(f"Rollen til NAV-kontoret i {areas[2].name}").select_option("contributing")
    save(page, "planner-map-complete", "Lagre kartet")
    expect(page.get_by_text("Hver oppgave har nøyaktig én ansvarlig enhet.")).to_be_visible()

    # Cooperation: its own question, a body and an external actor.
    page.goto(f"{url}/analyse/{analysis.pk}/samarbeid/")
    check_page(page, "planner-cooperation-empty")
    page.get_by_role("link", name="Spørsmål i «Samarbeid»").click()
    check_page(page, "planner-cooperation-questions")
    answer_every_question(page, analysis, "samarbeid")
    save(page, "planner-cooperation-questions-saved")
    page.goto(f"{url}/analyse/{analysis.pk}/samarbeid/")
    page.get_by_role("link", name="Legg til samarbeidsorgan").click()
    check_page(page, "planner-cooperation-body-form")
    page.get_by_label("Navn").fill("Boligsosialt team")
    page.get_by_label("Medlemmer").fill("NAV, eiendom, helse og omsorg")
    page.get_by_label("Mandat").fill("Samordne tildeling og oppfølging.")
    page.get_by_label("Formelt etablert").check()
    save(page, "planner-cooperation-body-saved")
    page.get_by_role("link", name="Legg til ekstern aktør").click()
    check_page(page, "planner-external-actor-form")
    page.get_by_label("Type").select_option("husbanken")
    page.get_by_label("Navn").fill("Husbanken Nord")
    page.get_by_label("Hva samarbeidet gjelder").fill("Startlån og tilskudd")
    page.get_by_label("Statlig nivå").check()
    save(page, "planner-cooperation-actor-saved")
    expect(page.get_by_role("table", name="Eksterne aktører")).to_contain_text("Husbanken Nord")
    check_page(page, "planner-cooperation-filled")

    # Allocation for every instrument.
    page.goto(f"{url}/analyse/{analysis.pk}/tildeling/")
    check_page(page, "planner-allocation")
    for instrument in Instrument.objects.all():
        group = page.get_by_role("group", name=instrument.name_nb)
        group.get_by_label("Hvem bestemmer").fill("Tildelingsteamet")
        group.get_by_label("Kriterier").fill("Inntekt og behov")
        group.get_by_label("Er kriteriene skrevet ned?").select_option("yes")
    save(page, "planner-allocation-saved")

    # All six success factors.
    page.goto(f"{url}/analyse/{analysis.pk}/suksessfaktorer/")
    check_page(page, "planner-factors")
    for number in range(1, 7):
        block = page.locator(f"#factor-{number}")
        block.locator("input[type=radio][value='3']").check()
        block.get_by_label("Hvor vi står").fill(f"Status for faktor {number}")
    save(page, "planner-factors-saved")

    # A project, with an end before its start refused first.
    page.goto(f"{url}/analyse/{analysis.pk}/prosjekter/")
    check_page(page, "planner-projects-empty")
    page.get_by_role("link", name="Nytt prosjekt").click()
    check_page(page, "planner-project-form")
    page.get_by_label("Navn").fill("Housing First Fauske")
    page.get_by_label("Bostedsløse").check()
    page.get_by_label("Ansvarlig enhet").select_option(label="Eiendom")
    page.get_by_label("Start", exact=True).fill("2026-01-01")
    page.get_by_label("Slutt", exact=True).fill("2025-01-01")
    page.get_by_role("button", name="Lagre", exact=True).click()
    # Beside the field, and in the summary at the top as a link to it (issue 15, item 3).
    expect(
        page.get_by_text("Prosjektet kan ikke slutte før det starter.", exact=True)
    ).to_be_visible()
    expect(
        page.locator("[data-error-summary]").get_by_role(
            "link", name="Slutt: Prosjektet kan ikke slutte før det starter."
        )
    ).to_have_attribute("href", "#id_ends_on")
    check_page(page, "planner-project-form-error")
    page.get_by_label("Slutt", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_text("Prosjektet er lagret.")).to_be_visible()
    check_page(page, "planner-projects-saved")

    # Who answers what.
    page.goto(f"{url}{analysis.get_absolute_url()}")
    page.get_by_role("link", name="Fordel deler til enheter eller kolleger").click()
    check_page(page, "planner-assignments")
    page.get_by_role("group", name="Refleksjonsspørsmål").get_by_label(
        "Ansvarlig enhet"
    ).select_option(label="NAV-kontoret")
    save(page, "planner-assignments-saved")
    expect(page.get_by_role("row", name=re.compile("Refleksjonsspørsmål"))).to_contain_text(
        "NAV-kontoret"
    )

    # Everything is answered: 100 %, and the analysis can be submitted.
    expect(page.locator("#overall-progress")).to_have_attribute("value", "100")
    check_page(page, "planner-analysis-complete")
    page.get_by_role("link", name="Se over svarene og send inn").click()
    check_page(page, "planner-check-answers")
    page.get_by_role("button", name="Send inn foranalysen").click()
    expect(page.get_by_text("Foranalysen er sendt inn til vurdering.")).to_be_visible()
    check_page(page, "planner-receipt")
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED

    # Read-only: the answers are text, the part says it was submitted, nothing to save.
    page.goto(f"{url}/analyse/{analysis.pk}/del/forarbeid/")
    expect(page.locator("#q-eksisterende-planer textarea")).to_have_count(0)
    expect(page.locator("#q-eksisterende-planer .read-only-answer")).to_contain_text("Svar på")
    expect(page.locator("#analysis-state")).to_contain_text("Sendt inn av")
    expect(page.get_by_role("button", name="Lagre", exact=True)).to_have_count(0)
    check_page(page, "planner-forarbeid-read-only")
    # A form for a new entry is not offered: back to the list, with the reason.
    page.goto(f"{url}/analyse/{analysis.pk}/samarbeid/organ/ny/")
    expect(page.get_by_text("kan ikke endres", exact=False).first).to_be_visible()
    check_page(page, "planner-cooperation-read-only")
