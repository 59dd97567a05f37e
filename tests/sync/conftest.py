"""Fixtures for the sync tests: the real Dovecot of the capture tests, the CLI runner, and a local HTTP server."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.capture.conftest import dovecot, samples  # noqa: F401 — fixtures reused as they are
from tests.cli.conftest import _fast_password_hashing, frozen, restons, row_counts  # noqa: F401
from tests.web.conftest import alice_client, bob_client, csrf_client  # noqa: F401


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0  # seconds before answering (a slow server)
    length: int | None = None  # Content-Length to announce; None: the body's; -1: none (read to the end)


@dataclass
class CalendarServer:
    """A real HTTP server on a free loopback port; ``answers[path]`` says what each path returns."""

    port: int
    answers: dict[str, Answer] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"


@pytest.fixture
def calendar_server():
    state = CalendarServer(port=0)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):  # noqa: N802
            state.hits.append(self.path)
            answer = state.answers.get(self.path, Answer(b"not found", 404))
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                length = len(answer.body) if answer.length is None else answer.length
                if length >= 0:
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (too big, too slow): that is the point

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
