"""Adviser and planner go through a review in a real Chromium: overview, sort, comment, send
back; the planner sees the comment, replies and resubmits; the adviser approves."""

import pytest
from django.conf import settings

from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    Instrument,
    Question,
    Responsibility,
    TaskArea,
    Unit,
)
from tests.browser.helpers import check_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def complete(analysis):
    """Fill in what the demo analysis lacks, so the planner can resubmit it."""
    for q in Question.objects.filter(section__questionnaire=analysis.round.questionnaire):
        value = {"yes_no": "yes", "choice": q.choices[0]["value"] if q.choices else ""}.get(
            q.kind, "Demotekst"
        )
        Answer.objects.get_or_create(analysis=analysis, question=q, defaults={"value": value})
    unit = Unit.objects.get(municipality=analysis.municipality, name="Eiendom")
    for area in TaskArea.objects.all():
        Responsibility.objects.get_or_create(
            analysis=analysis, task_area=area, unit=unit, defaults={"role": "responsible"}
        )
    for instrument in Instrument.objects.all():
        AllocationPractice.objects.update_or_create(
            analysis=analysis, instrument=instrument, defaults={"decided_by": "Teamet"}
        )
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()


def test_review_round_trip(browser, live_server, demo_data):
    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    complete(fauske)
    adviser = browser.new_context().new_page()
    login(adviser, live_server, "radgiver", settings.DEMO_PASSWORD)
    check_page(adviser, "overview")
    adviser.get_by_role("link", name="F1 Forankring og eierskap").click()
    adviser.get_by_role("link", name="F1 Forankring og eierskap").click()  # descending
    first = adviser.locator("tbody tr").first.locator("th").inner_text()
    assert first == "Sortland"  # the highest score on factor 1 among the demo municipalities
    check_page(adviser, "overview-sorted")
    adviser.get_by_role("link", name="Fauske", exact=True).click()
    check_page(adviser, "review-page")
    section = adviser.locator("section", has=adviser.get_by_role("heading", name="Forarbeid"))
    section.get_by_text("Kommenter delen").click()
    section.get_by_label("Kommentar").first.fill("Beskriv hvordan planstrategien brukes.")
    section.get_by_role("button", name="Lagre kommentar").first.click()
    adviser.get_by_label("Melding til kommunen").first.fill("Se kommentaren under Forarbeid.")
    adviser.get_by_role("button", name="Send tilbake").click()
    assert adviser.get_by_text("Foranalysen er sendt tilbake til kommunen.").is_visible()

    planner = browser.new_context().new_page()
    login(planner, live_server, "planlegger", settings.DEMO_PASSWORD)
    assert planner.get_by_text("Rådgiveren har sendt foranalysen tilbake.").is_visible()
    planner.get_by_role("link", name="Forarbeid").first.click()
    assert planner.get_by_text("Beskriv hvordan planstrategien brukes.").is_visible()
    check_page(planner, "section-with-comment")
    planner.get_by_role("link", name="Svar på kommentarene").first.click()
    planner.get_by_label("Svar").first.fill("Vi har lagt det inn i planstrategien.")
    planner.get_by_role("button", name="Send svar").first.click()
    assert planner.get_by_text("Vi har lagt det inn i planstrategien.").is_visible()
    check_page(planner, "review-page-planner")
    planner.goto(f"{live_server.url}{fauske.get_absolute_url()}")
    planner.get_by_role("button", name="Send inn foranalysen").click()
    assert planner.get_by_text("Foranalysen er sendt inn til vurdering.").is_visible()

    adviser.reload()
    assert adviser.get_by_text("Vi har lagt det inn i planstrategien.").is_visible()
    adviser.get_by_role("button", name="Godkjenn").click()
    assert adviser.get_by_text("Foranalysen er godkjent.").first.is_visible()
    fauske.refresh_from_db()
    assert fauske.status == AnalysisStatus.APPROVED
