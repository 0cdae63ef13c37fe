"""Issue 15 in a real Chromium: a planner answers a task area honestly with "Ingen har ansvar
i dag", checks the answers, submits from the check-answers page and sees the receipt naming
the adviser who was told; a reader is told they can only read and is offered no edit
buttons. axe-core checks every page on the way."""

import pytest
from playwright.sync_api import expect

from analysis.models import AnalysisStatus, TaskAreaGap
from reference.models import TaskArea
from tests.browser.helpers import check_page, sign_in
from tests.factors.test_assessments_history_and_submit import fill_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nearly_done(analysis, planner, adviser):
    """Everything answered but one task area of the map, which nobody owns."""
    fill_everything(analysis, planner)
    analysis.responsibilities.filter(task_area__key="bomiljo").delete()
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    adviser.email, adviser.first_name, adviser.last_name = "rita@example.test", "Rita", "Råd"
    adviser.save()
    return analysis


def test_planner_records_nobody_responsible_checks_the_answers_submits_and_gets_a_receipt(
    page, live_server, nearly_done, planner
):
    area = TaskArea.objects.get(key="bomiljo")
    sign_in(page, live_server, planner.username)
    expect(page.locator(".part-missing").first).to_contain_text(
        "1 av 9 oppgaveområder mangler svar"
    )
    page.get_by_role("link", name="Hvem gjør hva", exact=True).click()
    page.get_by_label(f"{area.name} uten ansvarlig enhet").select_option(
        label="Ingen har ansvar i dag"
    )
    page.get_by_role("button", name="Lagre kartet").click()
    expect(page.get_by_role("status").filter(has_text="Lagret.")).to_be_visible()
    expect(page.locator("#gap-no-owner")).to_contain_text(area.name)
    check_page(page, "issue15-map-with-gap")

    page.get_by_role("link", name="Tilbake til foranalysen").click()
    page.get_by_role("link", name="Se over svarene og send inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se over svarene før du sender inn")
    expect(page.locator("#check-ready")).to_be_visible()
    expect(page.locator("#part-hvem-gjor-hva .gap-list")).to_contain_text(
        f"{area.name}: Ingen har ansvar i dag"
    )
    expect(page.locator(".change-link").first).to_be_visible()
    check_page(page, "issue15-check-answers")

    page.get_by_role("button", name="Send inn foranalysen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Foranalysen er sendt inn")
    expect(page.locator("#notified")).to_contain_text("Rita Råd")
    check_page(page, "issue15-receipt")
    nearly_done.refresh_from_db()
    assert nearly_done.status == AnalysisStatus.SUBMITTED
    assert TaskAreaGap.objects.get(analysis=nearly_done).task_area == area


def test_a_reader_sees_the_read_only_notice_and_no_edit_buttons(
    page, live_server, nearly_done, reader
):
    sign_in(page, live_server, reader.username)
    expect(page.locator("#read-only-notice")).to_contain_text("Du har lesetilgang.")
    expect(page.get_by_role("link", name="Fordel deler til enheter eller kolleger")).to_have_count(
        0
    )
    check_page(page, "issue15-reader-analysis")
    page.get_by_role("link", name="Hvem gjør hva", exact=True).click()
    expect(page.locator("#read-only-notice")).to_be_visible()
    expect(page.get_by_role("button", name="Lagre kartet")).to_have_count(0)
    expect(page.get_by_role("combobox", name="uten ansvarlig enhet")).to_have_count(0)
    check_page(page, "issue15-reader-map")
    page.goto(f"{live_server.url}/analyse/{nearly_done.pk}/del/forarbeid/")
    expect(page.locator("#read-only-notice")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Lagre", exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/analyse/{nearly_done.pk}/prosjekter/")
    expect(page.get_by_role("link", name="Nytt prosjekt")).to_have_count(0)
    check_page(page, "issue15-reader-projects")
