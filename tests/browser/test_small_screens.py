"""On a phone (390 px wide) the adviser's pages fit the screen: the menu folds behind a button
that works from the keyboard, and the wide tables scroll inside their own box instead of
widening the page. Every page is checked with axe-core."""

import pytest

from analysis.models import Analysis
from reference.models import Region
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_the_adviser_pages_fit_a_phone_and_the_menu_opens_from_the_keyboard(
    browser, live_server, demo_data
):
    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    region = Region.objects.get(name__contains="Nordland")
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, "radgiver")

    menu = page.get_by_role("button", name="Meny")
    assert menu.is_visible()
    assert not page.get_by_role("link", name="Min region").is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    page.locator("#main-menu.show").wait_for()  # Bootstrap's collapse has finished opening
    assert page.get_by_role("link", name="Min region").is_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    check_page(page, "small-screen-menu-open")

    for name, path in [
        ("small-screen-region-overview", f"/analyse/region/{region.pk}/"),
        ("small-screen-analysis", f"/analyse/{fauske.pk}/"),
        ("small-screen-review", f"/analyse/{fauske.pk}/vurdering/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert not page_scrolls_sideways(page), f"{path} scrolls sideways at 390 px"
        check_page(page, name)
    page.goto(f"{live_server.url}/analyse/region/{region.pk}/")
    # The overview's table is wider than the phone: it scrolls in its own box.
    box = page.locator(".table-responsive").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")


def test_on_a_wide_screen_the_menu_is_open_without_a_button(browser, live_server, demo_data):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, live_server, "radgiver")
    assert not page.get_by_role("button", name="Meny").is_visible()
    assert page.get_by_role("link", name="Min region").is_visible()
