"""Accessibility beyond what axe checks (issue 15, item 7, in part), measured in Chromium:
the edges of form controls stand out from white at 3:1 (WCAG 1.4.11), the keyboard's focus
ring is a solid outline, and the cooperation tables scroll in their own box, so the page does
not scroll sideways at 320 CSS px (WCAG 1.4.10)."""

import pytest
from playwright.sync_api import expect

from analysis.models import CooperationBody, ExternalActor
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The contrast ratio of the control's computed border colour against white (WCAG's formula).
BORDER_CONTRAST = """(selector) => {
  const el = document.querySelector(selector);
  const [r, g, b] = getComputedStyle(el).borderTopColor.match(/\\d+/g).slice(0, 3).map(Number);
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return 1.05 / (l + 0.05);
}"""


def test_form_controls_have_edges_at_three_to_one_and_a_solid_focus_ring(
    page, live_server, analysis, planner
):
    sign_in(page, live_server, planner.username, land=False)
    page.goto(f"{live_server.url}/analyse/{analysis.pk}/del/forarbeid/")
    assert page.evaluate(BORDER_CONTRAST, "textarea.form-control") >= 3
    assert page.evaluate(BORDER_CONTRAST, ".form-check-input") >= 3
    page.locator("textarea.form-control").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] == "solid" and outline[1] >= 2


def test_the_cooperation_page_does_not_scroll_sideways_at_320_px(
    page, live_server, analysis, planner
):
    long = "Boligsosialt forum med mange deltakere fra alle enhetene i kommunen " * 3
    CooperationBody.objects.create(
        analysis=analysis,
        name="Boligforum",
        members=long,
        mandate=long,
        meeting_frequency="Månedlig",
    )
    ExternalActor.objects.create(
        analysis=analysis, kind="nav", name="NAV Fauske", cooperation_about=long
    )
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server, planner.username, land=False)
    page.goto(f"{live_server.url}/analyse/{analysis.pk}/samarbeid/")
    expect(page.get_by_role("region", name="Samarbeidsorganer", exact=True)).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"
