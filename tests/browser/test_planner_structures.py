"""The planner fills in who does what, cooperation, allocation and a project in Chromium."""

import pytest
from django.conf import settings

from analysis.models import AllocationPractice, Analysis, CooperationBody, Project, TaskArea, Unit
from tests.browser.helpers import check_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_fills_the_structural_sections(page, live_server, demo_data):
    analysis = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    login(page, live_server, "planlegger", settings.DEMO_PASSWORD)

    page.get_by_role("link", name="Hvem gjør hva").first.click()
    check_page(page, "responsibility-map")
    assert "Bomiljø og nabolag" in page.locator("#gap-no-owner").inner_text()
    area = TaskArea.objects.get(key="bomiljo")
    unit = Unit.objects.get(municipality=analysis.municipality, name="Eiendom")
    page.get_by_label("Rollen til Eiendom i Bomiljø og nabolag").select_option("responsible")
    page.get_by_role("button", name="Lagre kartet").click()
    assert page.get_by_text("Lagret.").is_visible()
    assert "Bomiljø og nabolag" not in page.locator("#gap-no-owner").inner_text()
    assert analysis.responsibilities.filter(task_area=area, unit=unit).exists()

    page.goto(f"{live_server.url}/analyse/{analysis.pk}/samarbeid/")
    check_page(page, "cooperation")
    page.get_by_role("link", name="Legg til samarbeidsorgan").click()
    check_page(page, "cooperation-body-form")
    page.get_by_label("Navn").fill("Boligsosialt team")
    page.get_by_label("Mandat").fill("Samordne tildeling og oppfølging.")
    page.get_by_label("Formelt etablert").check()
    page.get_by_role("button", name="Lagre").click()
    assert CooperationBody.objects.filter(name="Boligsosialt team", is_formal=True).exists()

    page.goto(f"{live_server.url}/analyse/{analysis.pk}/tildeling/")
    check_page(page, "allocation")
    page.get_by_role("group", name="Bostøtte").get_by_label("Hvem bestemmer").fill("NAV")
    page.get_by_role("button", name="Lagre").click()
    assert AllocationPractice.objects.filter(
        analysis=analysis, instrument__key="bostotte", decided_by="NAV"
    ).exists()

    page.goto(f"{live_server.url}/analyse/{analysis.pk}/prosjekter/")
    check_page(page, "projects")
    page.get_by_role("link", name="Nytt prosjekt").click()
    page.get_by_label("Navn").fill("Housing First Fauske")
    page.get_by_label("Bostedsløse").check()
    page.get_by_label("Start", exact=True).fill("2026-01-01")
    page.get_by_label("Slutt", exact=True).fill("2025-01-01")
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Prosjektet kan ikke slutte før det starter.").is_visible()
    check_page(page, "project-form-error")
    page.get_by_label("Slutt", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Lagre").click()
    assert Project.objects.filter(name="Housing First Fauske").exists()

    page.get_by_label("Målgruppe").select_option("bostedslose")
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("cell", name="Housing First Fauske", exact=True).count() == 1
    assert page.get_by_text("Bo trygt hjemme (demoprosjekt)").count() == 0
    check_page(page, "projects-filtered")
