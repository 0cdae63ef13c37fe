"""A planner and an adviser log in with a real Chromium and land where DESIGN.md says."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.helpers import check_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_logs_in_and_lands_on_fauske_analysis(page, live_server, demo_data):
    page.goto(f"{live_server.url}/")
    check_page(page, "login")
    login(page, live_server, "planlegger", settings.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Foranalyse for Fauske")
    expect(page.get_by_text("Demodata.")).to_be_visible()
    check_page(page, "planner-landing")


def test_adviser_logs_in_and_sees_the_region(page, live_server, demo_data):
    login(page, live_server, "radgiver", settings.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Statsforvalteren i Nordland")
    expect(page.get_by_role("link", name="Fauske")).to_be_visible()
    check_page(page, "adviser-landing")


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server, demo_data):
    login(page, live_server, "planlegger", settings.DEMO_PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hopp til hovedinnhold"
