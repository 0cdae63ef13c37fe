"""The adviser reviews every part of Fauske's demo analysis on one page, sees what changed
since the previous round, and keeps an internal note the planner never sees; then opens the
work queue from the region overview. Every page is checked with axe-core (issue 15, item 6)."""

import pytest
from playwright.sync_api import expect

from analysis.models import Analysis
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_adviser_sees_every_part_and_adds_an_internal_note(browser, live_server, demo_data):
    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    adviser = browser.new_context().new_page()
    sign_in(adviser, live_server, "radgiver", land=False)
    adviser.goto(f"{live_server.url}/analyse/{fauske.pk}/vurdering/")
    for caption in ("Hvem gjør hva", "Tildeling", "Egenvurderingen"):
        expect(adviser.locator("caption", has_text=caption).first).to_be_attached()
    for heading in (
        "Samarbeidsorganer",
        "Eksterne aktører",
        "Brukerorganisasjonenes syn",
        "Tiltaksplan",
        "Interne notater",
    ):
        expect(adviser.get_by_role("heading", name=heading).first).to_be_visible()
    # The demo's earlier round differs somewhere: a mark, with the old value to open.
    expect(adviser.locator(".review-change").first).to_be_visible()
    check_page(adviser, "review-every-part")

    notes = adviser.locator("#internal-notes")
    notes.get_by_label("Nytt internt notat").fill("Følg opp tildelingen i neste møte.")
    notes.get_by_role("button", name="Lagre internt notat").click()
    expect(
        adviser.get_by_text("Det interne notatet er lagret. Bare embetet ser det.")
    ).to_be_visible()
    expect(adviser.locator(".internal-note", has_text="Følg opp tildelingen")).to_be_visible()
    check_page(adviser, "review-internal-note-saved")

    planner = browser.new_context().new_page()
    sign_in(planner, live_server, "planlegger", land=False)
    planner.goto(f"{live_server.url}/analyse/{fauske.pk}/vurdering/")
    expect(planner.get_by_role("heading", name="Tiltaksplan")).to_be_visible()
    expect(planner.get_by_text("Følg opp tildelingen")).to_have_count(0)
    expect(planner.locator("#internal-notes")).to_have_count(0)

    adviser.goto(f"{live_server.url}/")
    adviser.get_by_role("link", name="Arbeidsliste").click()
    expect(adviser.get_by_role("heading", name="Venter på vurdering")).to_be_visible()
    expect(adviser.get_by_role("heading", name="Ikke sendt inn ennå")).to_be_visible()
    check_page(adviser, "work-queue")
