"""Shared fixtures: three users as in healthchecks' tests — alice (owner), bob (another owner), charlie."""

from __future__ import annotations

import pytest


@pytest.fixture
def alice(db, django_user_model):
    return django_user_model.objects.create_user("alice@example.org", "alice@example.org", "password")


@pytest.fixture
def bob(db, django_user_model):
    return django_user_model.objects.create_user("bob@example.org", "bob@example.org", "password")


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, monkeypatch):
    """Every test runs in UTC+1/+2 (Europe/Paris), English, region FR, unless it says otherwise."""
    monkeypatch.setenv("RESTONS_LANGUAGE", "en")
    monkeypatch.setenv("RESTONS_DEFAULT_REGION", "FR")
    monkeypatch.delenv("RESTONS_USER", raising=False)
    monkeypatch.delenv("RESTONS_TODAY_LIMIT", raising=False)
    settings.TIME_ZONE = "Europe/Paris"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _no_language_leaks():
    """A request that activates French must not leave French on for the next test."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _no_time_zone_leaks():
    """The CLI activates its user's time zone for the process; the next test starts from the default."""
    from django.utils import timezone

    yield
    timezone.deactivate()


@pytest.fixture
def mail_on(monkeypatch):
    """The instance has mail (``RESTONS_EMAIL_URL``); pytest-django's in-memory outbox receives it."""
    monkeypatch.setenv("RESTONS_EMAIL_URL", "console:")
