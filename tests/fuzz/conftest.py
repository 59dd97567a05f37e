"""Fixtures of the fuzz tests: alice logged in on the web client."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client
