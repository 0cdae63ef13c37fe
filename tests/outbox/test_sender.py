"""The outbox's sender against a real SMTP server on loopback: each message to its one
recipient, once, whatever happens on the way."""

from __future__ import annotations

import datetime
import socket
import threading
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from outbox import sender, services
from outbox.models import MessageStatus, OutgoingMessage

pytestmark = pytest.mark.django_db


def message(to: str, subject: str = "Fauske har sendt inn foranalysen", **extra):
    return services.Message(
        to=to,
        subject=subject,
        text=f"Hei {to}, æøå.\n",
        html=f"<p>Hei {to}, æøå.</p>",
        kind="test",
        **extra,
    )


def test_the_tests_mail_to_locmem_until_a_test_asks_for_smtp(settings):
    assert settings.MAILERS["default"]["BACKEND"].endswith("locmem.EmailBackend")


def test_each_message_reaches_its_one_recipient_once_as_text_and_html(smtp_server):
    services.enqueue(message("per@example.test"), message("kari@example.test"))
    report = sender.send_due_messages()
    assert report.sent == 2
    assert sender.send_due_messages().sent == 0  # a second run finds nothing due
    assert sorted(r.to[0] for r in smtp_server.received) == [
        "kari@example.test",
        "per@example.test",
    ]
    got = smtp_server.to("per@example.test")[0]
    assert got.subject == "Fauske har sendt inn foranalysen"
    assert got.message.get_content_type() == "multipart/alternative"
    assert got.text.strip() == "Hei per@example.test, æøå."
    assert got.html.strip() == "<p>Hei per@example.test, æøå.</p>"
    assert got.message["Message-ID"].startswith("<outbox-")
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_refused_first_attempt_is_retried_later_and_arrives_once(smtp_server):
    smtp_server.refuse = ["451 4.3.0 Try again later"]
    services.enqueue(message("per@example.test"))
    start = timezone.now()
    report = sender.send_due_messages(now=start)
    assert (report.sent, report.retrying) == (0, 1)
    row = OutgoingMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 1)
    assert "451" in row.last_error
    assert row.next_attempt_at >= start + datetime.timedelta(seconds=60)
    # Not due yet: nothing happens.
    assert sender.send_due_messages(now=start + datetime.timedelta(seconds=30)).sent == 0
    assert sender.send_due_messages(now=start + datetime.timedelta(seconds=61)).sent == 1
    assert sender.send_due_messages(now=start + datetime.timedelta(hours=2)).sent == 0
    assert len(smtp_server.received) == 1
    assert smtp_server.attempts == 2
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 2, "")


def test_the_delays_grow_and_the_last_failure_is_final(smtp_server, settings):
    settings.OUTBOX_RETRY_DELAYS = [60, 600]
    smtp_server.refuse = ["451 4.3.0 Busy"] * 3
    services.enqueue(message("per@example.test"))
    now = timezone.now()
    sender.send_due_messages(now=now)
    assert OutgoingMessage.objects.get().next_attempt_at >= now + datetime.timedelta(seconds=60)
    now += datetime.timedelta(seconds=61)
    sender.send_due_messages(now=now)
    assert OutgoingMessage.objects.get().next_attempt_at >= now + datetime.timedelta(seconds=600)
    now += datetime.timedelta(seconds=601)
    report = sender.send_due_messages(now=now)
    assert report.failed == 1
    row = OutgoingMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 3)
    assert smtp_server.received == []


def test_a_permanent_refusal_fails_at_once_and_administrators_see_it(
    smtp_server, client_for, administrator
):
    smtp_server.refuse = ["550 5.1.1 No such user here"]
    services.enqueue(message("finnes.ikke@example.test"), message("per@example.test"))
    report = sender.send_due_messages()
    assert (report.sent, report.failed) == (1, 1)
    failed = OutgoingMessage.objects.get(status=MessageStatus.FAILED)
    assert failed.to == "finnes.ikke@example.test" and "550" in failed.last_error
    page = client_for("administrator").get(reverse("home"))
    assert "1 e-post kunne ikke sendes" in page.text
    admin_list = client_for("administrator").get(
        reverse("admin:outbox_outgoingmessage_changelist") + "?status__exact=failed"
    )
    assert "finnes.ikke@example.test" in admin_list.text
    # The administrator sends it again once the address is right at the other end.
    assert sender.send_again(message_ids=[failed.pk]) == 1
    assert sender.send_due_messages().sent == 1
    assert len(smtp_server.to("finnes.ikke@example.test")) == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_server_costs_one_attempt_and_the_rest_wait(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    services.enqueue(*(message(f"p{i}@example.test") for i in range(3)))
    report = sender.send_due_messages()
    assert (report.sent, report.retrying) == (0, 1)
    rows = list(OutgoingMessage.objects.order_by("pk").values_list("status", "attempts"))
    assert rows == [
        (MessageStatus.PENDING, 1),
        (MessageStatus.PENDING, 0),
        (MessageStatus.PENDING, 0),
    ]


def test_a_sender_that_died_while_sending_leaves_the_message_failed_not_sent_twice(smtp_server):
    [row] = services.enqueue(message("per@example.test"))
    OutgoingMessage.objects.filter(pk=row.pk).update(
        status=MessageStatus.SENDING,
        claim=uuid.uuid4(),
        claimed_at=timezone.now() - datetime.timedelta(minutes=20),
    )
    report = sender.send_due_messages()
    assert (report.interrupted, report.sent) == (1, 0)
    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED and "may or may not have arrived" in row.last_error
    assert smtp_server.received == []


def test_a_message_with_a_secret_link_forgets_its_body_once_sent(smtp_server):
    [row] = services.enqueue(message("per@example.test", sensitive=True))
    sender.send_due_messages()
    row.refresh_from_db()
    assert (row.status, row.body_text, row.body_html) == (MessageStatus.SENT, "", "")
    assert "æøå" in smtp_server.received[0].text


def test_sent_messages_are_forgotten_after_the_keeping_time(smtp_server, settings):
    settings.OUTBOX_KEEP_DAYS = 30
    services.enqueue(message("per@example.test"), message("kari@example.test"))
    sender.send_due_messages()
    OutgoingMessage.objects.filter(to="per@example.test").update(
        sent_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert sender.prune_sent() == 1
    assert list(OutgoingMessage.objects.values_list("to", flat=True)) == ["kari@example.test"]


def test_the_command_sends_what_is_due(smtp_server):
    services.enqueue(message("per@example.test"))
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "sent 1" in out.getvalue()
    assert len(smtp_server.received) == 1


def test_make_run_sends_right_after_the_change_commits(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.OUTBOX_SEND_AFTER_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.enqueue(message("per@example.test"))
        services.enqueue(message("kari@example.test"))
    assert len(callbacks) == 1  # one send for the transaction, however many messages
    assert sorted(m.to[0] for m in mailoutbox) == ["kari@example.test", "per@example.test"]


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_the_same_time_send_each_message_once(smtp_server):
    smtp_server.delay = 0.03
    addresses = [f"p{i}@example.test" for i in range(16)]
    services.enqueue(*(message(a) for a in addresses))
    start = threading.Barrier(2)
    sent_by: dict[str, int] = {}
    errors = []

    def run(name: str) -> None:
        try:
            start.wait()
            total = 0
            while (report := sender.send_due_messages(limit=2)).sent:
                total += report.sent
            sent_by[name] = total
        except Exception as error:  # noqa: BLE001 – reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(r.to[0] for r in smtp_server.received) == sorted(addresses)
    assert sum(sent_by.values()) == 16
    assert all(sent_by.values()), f"both senders should have sent some: {sent_by}"
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
