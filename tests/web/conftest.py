"""Web fixtures: alice owns the data, bob is another user, anonymous is nobody."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from restons.models import Person


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def csrf_client(alice) -> Client:
    """Alice, logged in, with CSRF checks on (the test client skips them by default)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def camille(alice) -> Person:
    from restons.services.people import PersonInput, add_person

    person = add_person(alice, PersonInput(name="Camille Martin", emails=["camille@example.org"],
                                           interests=["football"], circles=["Friends"], cadence_days=30))
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - timezone.timedelta(days=400))
    person.refresh_from_db()
    return person


def reauthenticate(client, password: str = "password") -> None:
    """Give the password again, as a sensitive action (export, a new token, two factors) asks first."""
    assert client.post("/accounts/reauthenticate/", {"password": password}).status_code == 302


@pytest.fixture
def fresh_alice(alice_client) -> Client:
    """Alice, logged in, who gave her password a moment ago."""
    reauthenticate(alice_client)
    return alice_client


@pytest.fixture
def fresh_bob(bob_client) -> Client:
    reauthenticate(bob_client)
    return bob_client


def finish_import(client, response):
    """After a POST to the Import page: once the file is queued, the worker runs it; the job's page is returned.

    A form the page refused (a 400 or a 413) is returned as it is.
    """
    from restons.services import jobs

    if response.status_code != 302:
        return response
    assert response["Location"].startswith("/import/jobs/")
    jobs.run_queued("test-worker")
    return client.get(response["Location"])
