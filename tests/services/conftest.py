"""Fixtures for the service tests: frozen time in Paris and short ways to build a network.

Every helper goes through the service functions (``add_person``, ``log_ping``,
…), so the stored summaries are the ones real use produces.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=PARIS)  # a Monday


def local(text: str) -> datetime:
    """``"2026-05-01 09:30"`` (or a bare date, noon) as an aware Paris datetime."""
    value = datetime.fromisoformat(text)
    if len(text) == 10:
        value = value.replace(hour=12)
    return value.replace(tzinfo=PARIS)


@pytest.fixture
def frozen(time_machine):
    """Time stands still on Monday 15 June 2026, 12:00 in Paris; ``frozen.move_to`` travels."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def person(alice):
    """``person("Name", owner=alice, **PersonInput fields)``: a person added through the service."""

    def make(name: str, owner=None, **fields):
        return add_person(owner or alice, PersonInput(name=name, **fields))

    return make


@pytest.fixture
def ping(alice):
    """``ping(person, "2026-05-01 09:30", direction="out")``: a ping logged through the service."""

    def log(who, when: str, direction: str = "out", channel: str = "other", owner=None, **extra):
        return log_ping(owner or alice, who, direction=direction, channel=channel, at=local(when), **extra)

    return log


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """alice and bob get a password; a fast hasher keeps each test from spending 0.25 s on PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
