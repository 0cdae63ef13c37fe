"""A planner fills in the pre-analysis in a real Chromium: question sections, the six
factors, the unsaved-changes warning, progress, and submission."""

import pytest
from django.conf import settings

from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    CooperationBody,
    Instrument,
    Question,
    Responsibility,
    TaskArea,
    Unit,
)
from tests.browser.helpers import check_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def prepare_structural_sections(analysis):
    """Map, cooperation and allocation have screens of their own (tested separately)."""
    unit = Unit.objects.get_or_create(municipality=analysis.municipality, name="Eiendom")[0]
    for area in TaskArea.objects.all():
        Responsibility.objects.get_or_create(
            analysis=analysis, task_area=area, unit=unit, defaults={"role": "responsible"}
        )
    for instrument in Instrument.objects.all():
        AllocationPractice.objects.update_or_create(
            analysis=analysis, instrument=instrument, defaults={"decided_by": "Tildelingsteamet"}
        )
    CooperationBody.objects.create(analysis=analysis, name="Boligforum", is_formal=True)


def answer_questions(page, analysis, section_key):
    for question in Question.objects.filter(
        section__key=section_key, section__questionnaire=analysis.round.questionnaire
    ):
        block = page.locator(f"#q-{question.key}")
        if question.kind == "text":
            block.locator("textarea").fill(f"Svar på {question.key}")
        else:
            block.locator("input[type=radio]").first.check()


def test_planner_fills_the_sections_sees_progress_and_submits(page, live_server, demo_data):
    analysis = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    prepare_structural_sections(analysis)
    login(page, live_server, "planlegger", settings.DEMO_PASSWORD)
    check_page(page, "analysis-page-before")
    before = int(page.locator("#overall-progress").get_attribute("value"))

    # The unsaved-changes warning: typing, then leaving, asks first.
    page.get_by_role("link", name="Refleksjonsspørsmål").first.click()
    check_page(page, "section-reflection")
    page.locator("#q-tildeling textarea").fill("Tildelingsteamet behandler søknadene.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Tilbake til foranalysen").click()
    assert dialogs == ["beforeunload"]
    assert "/del/refleksjon/" in page.url  # dismissed: still on the page, text kept
    assert page.locator("#q-tildeling textarea").input_value().startswith("Tildelingsteamet")

    answer_questions(page, analysis, "refleksjon")
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Lagret.").is_visible()

    page.goto(f"{live_server.url}/analyse/{analysis.pk}/del/samarbeid/")
    answer_questions(page, analysis, "samarbeid")
    page.get_by_role("button", name="Lagre").click()
    check_page(page, "section-cooperation-questions")

    page.goto(f"{live_server.url}/analyse/{analysis.pk}/suksessfaktorer/")
    check_page(page, "factors")
    page.locator("#factor-6").get_by_label("3 – Brukerorganisasjoner blir invitert").check()
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Lagret.").is_visible()

    page.goto(f"{live_server.url}{analysis.get_absolute_url()}")
    after = int(page.locator("#overall-progress").get_attribute("value"))
    assert after == 100 > before
    check_page(page, "analysis-page-complete")
    page.get_by_role("button", name="Send inn foranalysen").click()
    assert page.get_by_text("Foranalysen er sendt inn til vurdering.").is_visible()
    check_page(page, "analysis-page-submitted")
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED
