"""The sender: takes due messages from the outbox and hands them to the mail server.

Safe to run as often and as many at a time as one likes (a cron job every minute, `send_outbox
--loop`, later a background task): a sender first *claims* the messages it will send in one
short transaction (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so two senders take different
rows; SQLite: the transaction takes the write lock when it begins, so claims queue up), then
sends them with no lock held, and records the outcome of each one.

Never twice: a message leaves only from the sender that claimed it, and is marked sent at
once. A temporary refusal (4xx, a lost connection) is retried with growing delays
(OUTBOX_RETRY_DELAYS); a permanent one (5xx), or too many attempts, marks it failed, which
administrators see on the front page and in the admin. A sender that dies between handing a
message to the server and recording it leaves it claimed: after OUTBOX_CLAIM_TIMEOUT_SECONDS
such a message is marked failed ("may have been sent"), not sent again, since the server may
well have taken it; an administrator decides.
"""

from __future__ import annotations

import contextlib
import datetime
import email.policy
import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry, UnstructuredHeader

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from outbox.models import MessageStatus, OutgoingMessage

logger = logging.getLogger(__name__)

INTERRUPTED = (
    "The sender stopped while sending this message, so it may or may not have arrived. "
    "It is not sent again by itself: send it again from the admin if it must go out."
)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    interrupted: int = 0

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}, "
            f"interrupted {self.interrupted}"
        )


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the n-th failed attempt; None when it is time to give up."""
    delays = settings.OUTBOX_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return datetime.timedelta(seconds=delays[attempts - 1])


def is_permanent(error: Exception) -> bool:
    """A 5xx answer will not change by asking again; anything else might."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)  # an address Django cannot encode


def _mark_interrupted(now: datetime.datetime) -> int:
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    return OutgoingMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=stale
    ).update(status=MessageStatus.FAILED, claim=None, last_error=INTERRUPTED)


def _claim(now: datetime.datetime, limit: int) -> list[OutgoingMessage]:
    token = uuid.uuid4()
    with transaction.atomic():
        due = OutgoingMessage.objects.filter(
            status=MessageStatus.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        # The status in the filter again: a row another sender took meanwhile stays its own.
        OutgoingMessage.objects.filter(pk__in=ids, status=MessageStatus.PENDING).update(
            status=MessageStatus.SENDING, claim=token, claimed_at=now
        )
    return list(OutgoingMessage.objects.filter(claim=token).order_by("pk"))


class _UnfoldedHeader(UnstructuredHeader):
    """A header written on one line: List-Unsubscribe holds a long URL with no space to fold
    at, and folding would turn it into encoded words that mail programs do not read as a URL
    (RFC 2369; a line may be 998 characters long)."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _UnfoldedHeader)


class _OutboxEmail(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(header_factory=_HEADERS))


def _email(message: OutgoingMessage) -> EmailMultiAlternatives:
    domain = settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "localhost"
    outgoing = _OutboxEmail(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        # The same Message-ID on every attempt: a server that did take an earlier attempt
        # lets the recipient's mail program drop the copy.
        headers={"Message-ID": f"<outbox-{message.pk}@{domain}>", **message.headers},
    )
    if message.body_html:
        outgoing.attach_alternative(message.body_html, "text/html")
    return outgoing


def _record_success(message: OutgoingMessage, now: datetime.datetime) -> None:
    values = {"status": MessageStatus.SENT, "claim": None, "sent_at": now, "last_error": ""}
    if message.sensitive:
        values.update(body_text="", body_html="")
    OutgoingMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1, **values)


def _record_failure(message: OutgoingMessage, error: Exception, now: datetime.datetime) -> str:
    attempts = message.attempts + 1
    delay = None if is_permanent(error) else retry_delay(attempts)
    text = f"{type(error).__name__}: {error}"[:2000]
    if delay is None:
        status, next_attempt = MessageStatus.FAILED, message.next_attempt_at
    else:
        status, next_attempt = MessageStatus.PENDING, now + delay
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=status,
        claim=None,
        attempts=attempts,
        next_attempt_at=next_attempt,
        last_error=text,
    )
    logger.warning("E-mail %s to %s not sent (%s): %s", message.pk, message.to, status, text)
    return status


def send_due_messages(
    *, now: datetime.datetime | None = None, limit: int = 200, using: str = "default"
) -> SendReport:
    """Send what is due now; a plain function, so a scheduled task can call it as well."""
    now = now or timezone.now()
    report = SendReport(interrupted=_mark_interrupted(now))
    messages = _claim(now, limit)
    if not messages:
        return report
    backend = mail.mailers[using]
    try:
        for index, message in enumerate(messages):
            try:
                backend.send_messages([_email(message)])
            except (smtplib.SMTPException, OSError, ValueError) as error:
                if _record_failure(message, error, now) == MessageStatus.FAILED:
                    report.failed += 1
                else:
                    report.retrying += 1
                # The conversation with the server may be in any state: start afresh.
                _close_quietly(backend)
                if is_unreachable(error):
                    # No use trying the rest now; they wait for the next run, no attempt lost.
                    _release([m.pk for m in messages[index + 1 :]])
                    break
            else:
                _record_success(message, now)
                report.sent += 1
    finally:
        _close_quietly(backend)
    return report


def is_unreachable(error: Exception) -> bool:
    """The server could not be reached or hung up: not this message's fault."""
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)
    )


def _release(ids: list[int]) -> None:
    OutgoingMessage.objects.filter(pk__in=ids, status=MessageStatus.SENDING).update(
        status=MessageStatus.PENDING, claim=None
    )


def _close_quietly(backend) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        backend.close()


def prune_sent(*, now: datetime.datetime | None = None) -> int:
    """Forget sent messages after OUTBOX_KEEP_DAYS: they name people and what they did."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutgoingMessage.objects.filter(
        status=MessageStatus.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


def send_again(*, message_ids: list[int]) -> int:
    """An administrator's decision to send failed messages once more."""
    return OutgoingMessage.objects.filter(pk__in=message_ids, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
