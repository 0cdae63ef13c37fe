"""A planner who forgot the password gets a link by e-mail (through the outbox and a real
SMTP server), sets a new one, and the link works once. Throttled like the login; the page
answers the same whether or not the address has an account."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from outbox.models import MessageStatus, OutgoingMessage
from outbox.sender import send_due_messages

pytestmark = pytest.mark.django_db

NEW = "Et-nytt-og-langt-passord-2026"


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def planner_with_email(planner):
    planner.email = "per.planlegger@fauske.example.test"
    planner.save()
    return planner


def test_a_planner_resets_a_forgotten_password_from_the_e_mails_link(
    client, smtp_server, planner_with_email
):
    page = client.get(reverse("login"))
    assert reverse("password_reset") in page.text
    response = client.post(
        reverse("password_reset"), {"email": "Per.Planlegger@fauske.example.test"}
    )
    assert response["Location"] == reverse("password_reset_done")
    send_due_messages()
    [mail] = smtp_server.received
    assert mail.to == ["per.planlegger@fauske.example.test"]
    assert mail.subject == "Tilbakestill passordet ditt til Boligsosial oversikt"
    assert mail.html and "planner" in mail.text  # the user name, as a reminder
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.text).group(1)
    form = client.get(link, follow=True)
    assert "Velg et nytt passord" in form.text
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    planner_with_email.refresh_from_db()
    assert planner_with_email.check_password(NEW)
    assert client.login(username="planner", password=NEW)
    client.logout()
    assert "Lenken kan ikke brukes" in client.get(link, follow=True).text  # once only
    assert OutgoingMessage.objects.get().body_text == ""  # the link is not kept
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.PASSWORD_RESET_REQUESTED, AuditAction.PASSWORD_SET} <= actions


def test_an_unknown_address_and_an_account_without_a_password_get_the_same_answer_and_no_mail(
    client, planner_with_email
):
    planner_with_email.set_unusable_password()  # logs in with single sign-on only
    planner_with_email.save()
    for email in ("per.planlegger@fauske.example.test", "ingen@example.test"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response["Location"] == reverse("password_reset_done")
    assert not OutgoingMessage.objects.exists()


def test_reset_requests_are_throttled_per_address_typed(client, planner_with_email, settings):
    settings.PASSWORD_RESET_ATTEMPTS_PER_EMAIL = 3
    for n in range(5):
        response = client.post(
            reverse("password_reset"),
            {"email": "per.planlegger@fauske.example.test"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        assert response["Location"] == reverse("password_reset_done")
    assert OutgoingMessage.objects.count() == 3


def test_reset_requests_are_throttled_per_client(client, planner_with_email, settings):
    settings.PASSWORD_RESET_ATTEMPTS_PER_ADDRESS = 2
    for n in range(4):
        client.post(reverse("password_reset"), {"email": f"x{n}@example.test"})
    client.post(reverse("password_reset"), {"email": "per.planlegger@fauske.example.test"})
    assert not OutgoingMessage.objects.exists()


def test_a_refused_reset_mail_is_retried_not_lost(client, smtp_server, planner_with_email):
    """Django's own reset form only logs a failed send; through the outbox it is retried."""
    smtp_server.refuse = ["451 4.3.0 Try again later"]
    client.post(reverse("password_reset"), {"email": "per.planlegger@fauske.example.test"})
    send_due_messages()
    assert OutgoingMessage.objects.get().status == MessageStatus.PENDING
    OutgoingMessage.objects.update(next_attempt_at=OutgoingMessage.objects.get().created_at)
    send_due_messages()
    assert len(smtp_server.received) == 1
