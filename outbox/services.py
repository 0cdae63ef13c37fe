"""Recording e-mail in the outbox. Callers record a message in the same transaction as the
change that caused it: if the change is rolled back, so is the message, and once the change is
committed the message is certain to be sent (by outbox/sender.py), however long the mail
server is away."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from outbox.models import OutgoingMessage


@dataclass(frozen=True)
class Message:
    """One e-mail to one address, ready for the outbox."""

    to: str
    subject: str
    text: str
    html: str = ""
    kind: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    sensitive: bool = False

    def as_row(self) -> OutgoingMessage:
        row = OutgoingMessage(
            kind=self.kind,
            to=self.to,
            subject=self.subject,
            body_text=self.text,
            body_html=self.html,
            headers=self.headers,
            sensitive=self.sensitive,
        )
        row.full_clean(exclude=["claim"])
        return row


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (SITE_URL) and a path from reverse()."""
    return settings.SITE_URL.rstrip("/") + path


def render(
    template: str,
    context: dict,
    *,
    to: str,
    language: str,
    kind: str = "",
    headers: dict[str, str] | None = None,
    sensitive: bool = False,
) -> Message:
    """A message from three templates, `<template>.subject.txt`, `<template>.txt` and
    `<template>.html`, rendered in the recipient's language."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL.rstrip("/"), "language": language, **context}
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context).strip() + "\n"
        html = render_to_string(f"{template}.html", context)
    return Message(
        to=to,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        headers=headers or {},
        sensitive=sensitive,
    )


def enqueue(*messages: Message) -> list[OutgoingMessage]:
    """Record the messages; they leave with the next run of the sender (or, where
    OUTBOX_SEND_AFTER_COMMIT is on, as soon as the transaction commits)."""
    rows = OutgoingMessage.objects.bulk_create([m.as_row() for m in messages])
    if rows and settings.OUTBOX_SEND_AFTER_COMMIT:
        _send_after_commit()
    return rows


def _send_now() -> None:
    from outbox.sender import send_due_messages

    send_due_messages()


def _send_after_commit() -> None:
    """`make run`: send right after the change commits (to the console), once per
    transaction however many messages it recorded."""
    connection = transaction.get_connection()
    if any(callback is _send_now for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_send_now, robust=True)
