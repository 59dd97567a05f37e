"""Reminders on the web: the Settings sections, the digest's one-click pages, the PWA files."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.test import Client

from restons.models import Delivery, Interaction, Person, Reminders
from restons.services import digest

from .conftest import at


def logged_in(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def frozen_monday():
    with time_machine.travel(at("2026-06-15 12:00"), tick=False):
        yield


# -- Settings ------------------------------------------------------------------------

def test_settings_show_digest_feed_and_push(alice_paris):
    page = logged_in(alice_paris).get("/settings/").content.decode()
    for text in ("Digest by email", "Calendar feed", "Notifications", "Create my calendar address",
                 "This instance cannot send mail yet", "No worker has run yet.",
                 "Problem: the worker is not running"):
        assert text in page


def test_settings_save_the_digest_and_say_how_the_last_one_went(alice_paris, monkeypatch):
    monkeypatch.setenv("RESTONS_EMAIL_URL", "console:")
    client = logged_in(alice_paris)
    response = client.post("/settings/digest/", {"digest": "weekly", "weekday": "4", "hour": "7"})
    assert response.status_code == 302 and response["Location"] == "/settings/#digest"
    row = Reminders.objects.get(owner=alice_paris)
    assert (row.digest, row.weekday, row.hour) == ("weekly", 4, 7)
    Delivery.objects.create(owner=alice_paris, kind="digest", period="2026-W25", state="pending", attempts=1,
                            not_before=at("2026-06-19 07:01"), last_error="cannot reach the mail server: refused")
    page = client.get("/settings/").content.decode()
    assert "Last digest (2026-W25): waiting" in page
    assert "Last error: cannot reach the mail server: refused (tried again at 07:01)" in page
    assert client.post("/settings/digest/", {"digest": "hourly"}).status_code == 400
    assert Reminders.objects.get(owner=alice_paris).digest == "weekly"


def test_the_feed_address_is_created_copied_renewed_and_turned_off(alice_paris):
    client = logged_in(alice_paris)
    client.post("/settings/feed/", {"action": "new"})
    first = Reminders.objects.get(owner=alice_paris)
    page = client.get("/settings/").content.decode()
    url = f"http://testserver/feed/{first.feed_key}/{first.feed_secret}.ics"  # where the page was reached
    assert url in page and 'data-copy="#feed-url"' in page
    client.post("/settings/feed/", {"action": "new"})
    assert Client().get(url.replace("http://testserver", "")).status_code == 404
    client.post("/settings/feed/", {"action": "off"})
    row = Reminders.objects.get(owner=alice_paris)
    assert (row.feed_key, row.feed_secret) == (None, "")


def test_settings_save_ntfy_and_the_webhook(alice_paris, monkeypatch):
    monkeypatch.setenv("RESTONS_NTFY_URL", "https://ntfy.example.org")
    client = logged_in(alice_paris)
    assert 'name="ntfy_topic"' in client.get("/settings/").content.decode()
    client.post("/settings/push/", {"ntfy_topic": "restons-abc", "webhook_url": "https://example.org/h"})
    row = Reminders.objects.get(owner=alice_paris)
    assert (row.ntfy_topic, row.webhook_url) == ("restons-abc", "https://example.org/h")
    assert row.webhook_secret in client.get("/settings/").content.decode()
    assert client.post("/settings/push/", {"ntfy_topic": "no spaces please"}).status_code == 400


@pytest.mark.usefixtures("frozen_monday")
def test_send_me_todays_digest_now(network, alice_paris, smtp_server):
    response = logged_in(alice_paris).post("/settings/digest/send/", follow=True)
    assert "Digest sent to alice@example.org (2 people, 1 milestone)." in response.content.decode()
    assert [m["Subject"] for m in smtp_server.messages] == ["Restons: 2 people to ping today"]
    assert Delivery.objects.count() == 0  # a try, outside the schedule


def test_sending_now_without_mail_says_why(alice_paris):
    response = logged_in(alice_paris).post("/settings/digest/send/")
    assert response.status_code == 400
    assert "RESTONS_EMAIL_URL" in response.content.decode()


@pytest.mark.parametrize("url", ["/settings/digest/", "/settings/digest/send/", "/settings/feed/", "/settings/push/"])
def test_settings_posts_need_a_login_and_a_csrf_token(alice_paris, url):
    anonymous = Client().post(url, {"digest": "daily"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert logged_in(alice_paris, csrf=True).post(url, {"digest": "daily"}).status_code == 403
    assert not Reminders.objects.filter(owner=alice_paris, digest="daily").exists()


# -- the digest's links --------------------------------------------------------------

def action_path(owner, person, action, day=date(2026, 6, 15)) -> str:
    return f"/digest/act/{digest.action_token(owner, person.pk, action, day)}/"


@pytest.mark.usefixtures("frozen_monday")
def test_log_the_ping_from_the_digest_asks_first_then_logs_once(network, alice_paris):
    """GIVEN a digest's "I pinged them" link WHEN it is opened (by a person or a link scanner)
    THEN nothing changes until the button is pressed; pressing twice logs one ping."""
    camille = network["camille"]
    path = action_path(alice_paris, camille, "ping")
    phone = Client()  # not logged in: the phone's mail app
    page = phone.get(path)
    assert page.status_code == 200
    assert "Did you ping Camille Martin?" in page.content.decode()
    assert Interaction.objects.filter(person=camille).count() == 1
    done = phone.post(path)
    assert "Ping with Camille Martin logged." in done.content.decode()
    ping = Interaction.objects.filter(person=camille).latest("at")
    assert (ping.direction, ping.at) == ("out", at("2026-06-15 12:00"))
    again = phone.post(path)
    assert "already logged since this digest" in again.content.decode()
    assert Interaction.objects.filter(person=camille).count() == 2


@pytest.mark.usefixtures("frozen_monday")
def test_snooze_from_the_digest(network, alice_paris):
    path = action_path(alice_paris, network["noah"], "snooze")
    assert "Snooze Noah Bennett for a week?" in Client().get(path).content.decode()
    assert "Noah Bennett is snoozed until Monday 22 June." in Client().post(path).content.decode()
    assert Person.objects.get(pk=network["noah"].pk).snoozed_until == date(2026, 6, 22)


@pytest.mark.usefixtures("frozen_monday")
def test_a_digest_link_needs_its_csrf_token_to_act(network, alice_paris):
    response = Client(enforce_csrf_checks=True).post(action_path(alice_paris, network["camille"], "ping"))
    assert response.status_code == 403
    assert Interaction.objects.filter(person=network["camille"]).count() == 1


@pytest.mark.usefixtures("frozen_monday")
def test_forged_foreign_expired_or_dangling_links_are_404(network, alice_paris, bob):
    camille = network["camille"]
    good = action_path(alice_paris, camille, "ping")
    forged = good[:-6] + ("A" if good[-6] != "A" else "B") + good[-5:]
    bobs_token_for_alices_person = action_path(bob, camille, "ping")
    for path in (forged, bobs_token_for_alices_person, "/digest/act/nonsense/"):
        assert Client().get(path).status_code == 404
        assert Client().post(path).status_code == 404
    with time_machine.travel(at("2026-06-30 12:00"), tick=False):  # 15 days later
        assert Client().get(good).status_code == 404
    Person.objects.filter(pk=camille.pk).delete()
    assert Client().get(good).status_code == 404
    assert Interaction.objects.filter(person_id=camille.pk).count() == 0


def test_one_click_unsubscribe_needs_no_login_and_no_cookie(alice_paris):
    """RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click to the signed URL, with no cookie."""
    Reminders.objects.create(owner=alice_paris, digest="daily")
    path = f"/digest/unsubscribe/{digest.unsubscribe_token(alice_paris)}/"
    assert "Stop the digest?" in Client().get(path).content.decode()
    assert Reminders.objects.get(owner=alice_paris).digest == "daily"  # a GET changes nothing
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Reminders.objects.get(owner=alice_paris).digest == "off"
    assert Client().post("/digest/unsubscribe/1:forged:token/").status_code == 404
    assert Client().post(f"/digest/unsubscribe/{digest.action_token(alice_paris, 1, 'ping', date.today())}/"
                         ).status_code == 404  # another kind of signed token does not unsubscribe


# -- the installable app --------------------------------------------------------------

def test_the_manifest_and_the_service_worker_are_served_to_anyone():
    manifest = Client().get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert Client().get(icon["src"]).status_code == 200
    worker = Client().get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"] == "application/javascript; charset=utf-8"
    assert worker["Service-Worker-Allowed"] == "/"
    assert 'var STATIC = "/static";' in worker.content.decode()
    assert Client().get("/offline/").status_code == 200


def test_pages_link_the_manifest_and_the_app_script_without_inline_script(alice_paris):
    page = logged_in(alice_paris).get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script src="/static/restons/app.js" defer></script>' in page
    assert "<script>" not in page
    assert 'class="offline-mark"' in page
