"""Real servers on loopback ports for the reminders: an SMTP server (aiosmtpd) and an HTTP receiver.

``smtp_server`` starts aiosmtpd on a free port of 127.0.0.1 and points
RESTONS_EMAIL_URL (and Django's EMAIL_* settings) at it; every message it
accepts is in ``smtp_server.messages`` (parsed), in arrival order.
``receiver`` is a ``http.server`` that records each POST (path, headers, body)
and answers the statuses queued in ``receiver.answers`` (then 200).
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the SMTP server received; ``delay`` seconds spent on each message (a slow server)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.delay = 0.0
        self.refuse_with = ""  # e.g. "451 try later": the DATA is refused
        self.lock = threading.Lock()
        self.url = ""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse_with:
            return self.refuse_with
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def use_mail_url(settings, monkeypatch, url: str) -> None:
    """RESTONS_EMAIL_URL = ``url``, and Django's EMAIL_* as restons.settings would set them."""
    from restons import mail

    monkeypatch.setenv("RESTONS_EMAIL_URL", url)
    for name, value in mail.django_settings().items():
        setattr(settings, name, value)


@pytest.fixture
def smtp_server(settings, monkeypatch):
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.url = f"smtp://127.0.0.1:{port}?starttls=off"
    use_mail_url(settings, monkeypatch, mailbox.url)
    try:
        yield mailbox
    finally:
        controller.stop()


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.url = ""

    def json(self, index: int = -1) -> dict:
        return json.loads(self.requests[index]["body"])


@pytest.fixture
def receiver():
    record = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            record.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = record.answers.pop(0) if record.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()


def at(text: str) -> datetime:
    """``"2026-03-29 08:00"`` in Paris."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.fixture
def alice_paris(alice):
    """Alice, living in Paris, writing in English."""
    from restons.services.accounts import save_settings

    save_settings(alice, language="en", time_zone="Europe/Paris")
    return alice


@pytest.fixture
def network(alice_paris):
    """Camille (due, a reply owed), Noah (birthday in 3 days) — as of Monday 15 June 2026 in Paris."""
    import time_machine

    from restons.models import Milestone
    from restons.services.interactions import log_ping
    from restons.services.people import PersonInput, add_person

    with time_machine.travel(at("2026-01-10 12:00"), tick=False):
        camille = add_person(alice_paris, PersonInput(name="Camille Martin", emails=["camille@example.org"],
                                                      cadence_days=30))
        noah = add_person(alice_paris, PersonInput(name="Noah Bennett", cadence_days=365))
        log_ping(alice_paris, noah, direction="both", at=at("2026-01-10 10:00"))
    with time_machine.travel(at("2026-05-01 12:00"), tick=False):
        log_ping(alice_paris, camille, direction="in", at=at("2026-05-01 09:00"), note="New job!")
    Milestone.objects.create(owner=alice_paris, person=noah, title="Birthday", on=datetime(1990, 6, 18).date(),
                             yearly=True)
    return {"camille": camille, "noah": noah}


@pytest.fixture
def restons(db, capsys):
    """The real ``restons`` entry point, in-process (as in tests/cli)."""
    from django.utils import translation

    from tests.cli.conftest import Runner

    yield Runner(capsys)
    translation.deactivate()
