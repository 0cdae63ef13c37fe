"""A real SMTP server on loopback (aiosmtpd) for the tests that follow a message all the way
through Django's SMTP backend, and the fixture that points the default mailer at it.

The test runner swaps every mailer for locmem; `smtp_server` puts SMTP back for one test."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    to: list[str]
    message: email.message.EmailMessage
    raw: bytes = b""

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


@dataclass
class RecordingHandler:
    """Keeps what it accepts. `refuse` is a list of answers to give to the next DATA
    commands instead of accepting ("451 …" temporary, "550 …" permanent); `delay` slows
    each accepted message, so two senders overlap."""

    refuse: list[str] = field(default_factory=list)
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            answer = self.refuse.pop(0) if self.refuse else None
        if answer:
            return answer
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.received.append(
                Received(to=list(envelope.rcpt_tos), message=message, raw=envelope.original_content)
            )
        return "250 2.0.0 OK"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if r.to == [address]]


class LoopbackController(Controller):
    """aiosmtpd on 127.0.0.1 and a free port: Controller(port=0) would knock on port 0 when it
    starts, so the real port is read from the bound socket first."""

    def __init__(self, handler):
        super().__init__(handler, hostname="127.0.0.1", port=0)

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server(settings):
    handler = RecordingHandler()
    controller = LoopbackController(handler)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    handler.port = controller.port
    yield handler
    controller.stop()
