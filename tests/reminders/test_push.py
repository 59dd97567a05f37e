"""Push through ntfy and a signed webhook, received by a local HTTP server."""

from __future__ import annotations

import hashlib
import hmac

import pytest
import time_machine

from restons.models import Delivery
from restons.services import deliveries, push
from restons.services.accounts import save_settings
from restons.services.errors import UserError
from restons.services.reminders import set_push

from .conftest import at

pytestmark = pytest.mark.usefixtures("network")


@pytest.fixture
def ntfy(receiver, monkeypatch):
    monkeypatch.setenv("RESTONS_NTFY_URL", receiver.url)
    return receiver


@time_machine.travel(at("2026-06-15 08:00"), tick=False)
def test_ntfy_gets_how_many_people_to_ping_today(alice_paris, ntfy):
    set_push(alice_paris, ntfy_topic="restons-alice-k3x9q")
    assert deliveries.run_due("w1") == {"sent": 1}
    assert deliveries.run_due("w1") == {}  # once a day
    [request] = ntfy.requests
    assert request["path"] == "/"
    assert request["headers"]["Content-Type"] == "application/json"
    assert ntfy.json() == {"topic": "restons-alice-k3x9q", "title": "2 people to ping today",
                           "message": "Camille Martin, Noah Bennett", "click": "http://127.0.0.1:8000/",
                           "tags": ["wave"]}
    assert Delivery.objects.get().summary == "2 people to ping today"


@time_machine.travel(at("2026-06-15 08:00"), tick=False)
def test_ntfy_in_french(alice_paris, ntfy):
    save_settings(alice_paris, language="fr", time_zone="Europe/Paris")
    set_push(alice_paris, ntfy_topic="restons-alice")
    deliveries.run_due("w1")
    assert ntfy.json()["title"] == "2 personnes à qui faire signe aujourd’hui"


@time_machine.travel(at("2026-06-15 08:00"), tick=False)
def test_the_webhook_gets_a_json_post_signed_with_hmac_sha256(alice_paris, receiver, network):
    row = set_push(alice_paris, webhook_url=receiver.url + "/hooks/restons")
    assert len(row.webhook_secret) >= 40
    assert deliveries.run_due("w1") == {"sent": 1}
    [request] = receiver.requests
    assert request["path"] == "/hooks/restons"
    expected = "sha256=" + hmac.new(row.webhook_secret.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"][push.SIGNATURE_HEADER] == expected
    body = receiver.json()
    assert (body["event"], body["date"], body["count"], body["title"]) == ("today", "2026-06-15", 2,
                                                                          "2 people to ping today")
    assert [p["name"] for p in body["people"]] == ["Camille Martin", "Noah Bennett"]
    assert body["people"][0]["id"] == network["camille"].pk
    assert body["people"][0]["reasons"][0]["kind"] == "reply-owed"


def test_a_busy_server_is_retried_and_a_refusal_is_not(alice_paris, receiver):
    set_push(alice_paris, webhook_url=receiver.url + "/hook")
    receiver.answers = [503, 400]
    with time_machine.travel(at("2026-06-15 08:00"), tick=False):
        assert deliveries.run_due("w1") == {"pending": 1}
    assert Delivery.objects.get().last_error == f"HTTP 503 from {receiver.url}/hook"
    with time_machine.travel(at("2026-06-15 08:01"), tick=False):
        assert deliveries.run_due("w1") == {"failed": 1}
    with time_machine.travel(at("2026-06-15 12:00"), tick=False):
        assert deliveries.run_due("w1") == {}
    assert len(receiver.requests) == 2


def test_push_settings_refuse_what_cannot_work(alice):
    for bad in ({"ntfy_topic": "has spaces"}, {"ntfy_topic": "x" * 65}, {"webhook_url": "ftp://example.org"},
                {"webhook_url": "not a url"}):
        with pytest.raises(UserError):
            set_push(alice, **bad)
    row = set_push(alice, ntfy_topic="ok-topic_1", webhook_url="https://example.org/h")
    secret = row.webhook_secret
    assert set_push(alice, webhook_url="https://example.org/h").webhook_secret == secret  # same URL: same secret
    assert set_push(alice, new_webhook_secret=True).webhook_secret != secret
    assert set_push(alice, webhook_url="").webhook_secret == ""
