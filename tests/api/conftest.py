"""API fixtures: tokens for alice (read-write and read-only) and bob, and a client that sends one."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from restons.services.tokens import create_token


class Api:
    """``api.get("/people")`` → (status, JSON body); the token goes in the Authorization header."""

    def __init__(self, secret: str | None):
        self.client = Client(**({"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}))

    def call(self, method: str, path: str, body=None, **params):
        url = "/api/v1" + path
        send = getattr(self.client, method.lower())
        if method in ("GET", "DELETE"):
            response = send(url, params) if method == "GET" else send(url)
        else:
            response = send(url, json.dumps(body or {}), content_type="application/json")
        data = json.loads(response.content) if response.content else None
        return response.status_code, data

    def get(self, path, **params):
        return self.call("GET", path, **params)

    def post(self, path, body=None):
        return self.call("POST", path, body)

    def patch(self, path, body=None):
        return self.call("PATCH", path, body)

    def put(self, path, body=None):
        return self.call("PUT", path, body)

    def delete(self, path):
        return self.call("DELETE", path)


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice_secret(alice) -> str:
    return create_token(alice, "tests", "read-write")[1]


@pytest.fixture
def api(alice_secret) -> Api:
    """Alice with a read-write token."""
    return Api(alice_secret)


@pytest.fixture
def reader(alice) -> Api:
    """Alice with a read-only token."""
    return Api(create_token(alice, "read only", "read")[1])


@pytest.fixture
def bob_api(bob) -> Api:
    return Api(create_token(bob, "bob's", "read-write")[1])


@pytest.fixture
def nobody() -> Api:
    return Api(None)


@pytest.fixture
def frozen(time_machine):
    """Time stands still on Monday 15 June 2026, 12:00 in Paris; ``frozen.shift`` travels."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
    return time_machine


@pytest.fixture
def world(alice, frozen):
    """Alice's small network (tests/backup/network.py), in English."""
    from restons.models import Preferences
    from tests.backup.network import build

    made = build(alice)
    Preferences.objects.filter(owner=alice).update(language="")  # the network's owner chose French
    return made
