"""Errors you can find (issue 15, item 3) in a real Chromium: a form sent with an error comes
back with one summary at its top that has the focus, and each of its links, activated from
the keyboard, moves the focus to the field in error. axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_summary_then_follow_its_link(page, field_id: str) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="Skjemaet har feil")).to_be_visible()
    # The page opens with the focus on the summary, so a screen reader reads it first.
    expect(summary).to_be_focused()
    link = summary.locator(f'a[href="#{field_id}"]')
    expect(link).to_have_count(1)
    # From the keyboard: Tab reaches the summary's first link, Enter follows it.
    page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    while page.evaluate("document.activeElement.getAttribute('href')") != f"#{field_id}":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{field_id}")).to_be_focused()


def test_a_privacy_warning_and_a_wrong_due_date_are_one_click_from_their_fields(
    page, live_server, analysis, planner
):
    url = live_server.url
    sign_in(page, live_server, planner.username, land=False)

    # A question's answer names a person with a case detail: the summary names the question
    # and leads to its text, the warning beside the box names it too.
    page.goto(f"{url}/analyse/{analysis.pk}/del/forarbeid/")
    text = "Kari Nordmann har husleierestanse og bor i kommunal bolig."
    page.locator("#id_q-eksisterende-planer").fill(text)
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect_summary_then_follow_its_link(page, "id_q-eksisterende-planer")
    expect(page.locator("#id_q-eksisterende-planer")).to_have_value(text)
    expect(page.locator(".privacy-warning .privacy-questions a")).to_have_attribute(
        "href", "#id_q-eksisterende-planer"
    )
    check_page(page, "error-summary-privacy")

    # A due date after the round closes: refused, with the field marked and linked.
    kari = make_editor("kari", analysis.municipality, first_name="Kari")
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    page.goto(f"{url}/analyse/{analysis.pk}/ansvar/")
    page.locator(f"#id_s{section.pk}-assignee").select_option(str(kari.pk))
    page.locator(f"#id_s{section.pk}-due_date").fill("2027-01-15")
    page.get_by_role("button", name="Lagre", exact=True).click()
    due = f"id_s{section.pk}-due_date"
    expect_summary_then_follow_its_link(page, due)
    expect(page.locator(f"#{due}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{due}")).to_have_value("2027-01-15")
    check_page(page, "error-summary-due-date")
