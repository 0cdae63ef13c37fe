"""An editor who administers the municipality invites a colleague; the colleague sets a
password from the e-mail's link and sees the municipality."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from outbox.sender import send_due_messages
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fauske-kollega-2026"


def test_an_editor_invites_a_colleague_who_sets_a_password_and_sees_the_municipality(
    page, live_server, demo_data, browser
):
    sign_in(page, live_server, "planlegger")
    page.get_by_role("link", name="Personer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Personer med tilgang til 1841 Fauske"
    )
    check_page(page, "people")
    # Required fields' labels end in an asterisk.
    page.get_by_role("textbox", name=re.compile(r"^E-post")).fill(
        "kari.nordmann@fauske.example.test"
    )
    page.get_by_role("combobox", name=re.compile(r"^Rolle\W*$")).select_option("editor")
    page.get_by_role("button", name="Send invitasjonen").click()
    expect(page.get_by_role("status").filter(has_text="Invitasjonen er på vei")).to_be_visible()
    expect(
        page.get_by_role("cell", name="kari.nordmann@fauske.example.test", exact=True)
    ).to_be_visible()
    check_page(page, "people-invited")

    send_due_messages()  # what the scheduled sender does
    [message] = [m for m in mail.outbox if m.to == ["kari.nordmann@fauske.example.test"]]
    link = re.search(r"https?://\S+(/invitasjon/\S+/)", message.body).group(1)

    colleague = browser.new_context().new_page()
    colleague.goto(live_server.url + link)
    check_page(colleague, "invitation-new-account")
    colleague.get_by_role("textbox", name=re.compile("^Fornavn")).fill("Kari")
    colleague.get_by_role("textbox", name=re.compile("^Etternavn")).fill("Nordmann")
    colleague.get_by_label("Velg et passord").fill(PASSWORD)
    colleague.get_by_label("Det samme passordet en gang til").fill(PASSWORD)
    colleague.get_by_role("button", name="Opprett kontoen").click()
    expect(colleague.get_by_role("heading", level=1)).to_contain_text("Fauske")
    expect(colleague.get_by_text("Velkommen! Brukernavnet ditt er")).to_be_visible()
    check_page(colleague, "invitation-welcome")
    # The link worked once.
    colleague.goto(live_server.url + link)
    expect(colleague.get_by_role("heading", name="Invitasjonen kan ikke brukes")).to_be_visible()
