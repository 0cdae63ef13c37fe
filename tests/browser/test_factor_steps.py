"""The self-assessment with the keyboard (issue 15, item 4): the one-factor-at-a-time pages
against the page of all six. A planner who tabs from the top of the form to its Save button
passes a handful of stops on a factor's own page and every field of six factors on the long
page; with the keyboard alone they score a factor, save, and land on the next one."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from factors.models import FactorAssessment
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tabs_to(page, start_selector: str, button_name: str, limit: int = 200) -> int:
    """Tab presses from the first control after `start_selector` to the button."""
    page.locator(start_selector).first.focus()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.tagName === 'BUTTON' ? "
            "document.activeElement.innerText.trim() : ''"
        )
        if focused == button_name:
            return presses
    raise AssertionError(f"{button_name!r} not reached in {limit} presses")


def test_one_factor_at_a_time_takes_fewer_keystrokes_and_the_keyboard_alone_gets_through(
    page, live_server, analysis, planner
):
    sign_in(page, live_server, planner.username, land=False)
    all_six = live_server.url + reverse("factors:assessments", args=[analysis.pk])
    one = live_server.url + reverse("factors:assessment", args=[analysis.pk, 1])

    page.goto(all_six)
    long_page = tabs_to(page, "input[name='f1-score']", "Lagre")
    page.goto(one)
    check_page(page, "factor-1-alone")
    own_page = tabs_to(page, "input[name='f1-score']", "Lagre og gå til neste faktor")
    print(f"Tab presses from the first score to Save: one factor {own_page}, all six {long_page}")
    assert own_page * 4 < long_page

    # Score with the arrow keys, write the status, save with Enter: on to factor 2.
    page.locator("input[name='f1-score']").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.locator("textarea[name='f1-status']").focus()
    page.keyboard.type("Vi har startet.")
    page.get_by_role("button", name="Lagre og gå til neste faktor").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Faktor 2 av 6")
    expect(page.get_by_role("status").filter(has_text="Lagret. Neste:")).to_be_visible()
    check_page(page, "factor-2-after-saving-1")
    saved = FactorAssessment.objects.get(analysis=analysis)
    assert saved.factor.number == 1 and saved.status == "Vi har startet."
    assert saved.score is not None
