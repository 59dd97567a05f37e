"""Calendar addresses over real HTTP (a local http.server): timeout, size limit, errors in one line, idempotent."""

from __future__ import annotations

import json

import pytest

from restons.models import CalendarSubscription, Interaction
from restons.services import secrets, sync
from tests.sync.conftest import Answer

PRIVATE = "/calendar/ical/alex.martin%40example.org/private-5ecre7/basic.ics"


@pytest.fixture
def feed(calendar_server, samples):
    calendar_server.answers[PRIVATE] = Answer((samples / "ics" / "google.ics").read_bytes())
    return calendar_server


def test_webcal_is_https_and_other_schemes_are_refused():
    assert sync.normalise_url("webcal://p01-caldav.icloud.com/published/2/abc") == \
        "https://p01-caldav.icloud.com/published/2/abc"
    assert sync.normalise_url(" https://calendar.google.com/x.ics ") == "https://calendar.google.com/x.ics"
    with pytest.raises(sync.UserError, match="expected https://, http:// or webcal://"):
        sync.normalise_url("file:///etc/passwd")


def test_the_private_part_of_an_address_is_never_shown():
    assert sync.url_hint("https://calendar.google.com" + PRIVATE + "?token=1") == "calendar.google.com/…/basic.ics"


def test_404_is_one_line(restons, alice, calendar_server):
    result = restons("sync", "ics", calendar_server.url("/gone.ics"))
    assert result.code == 1
    assert result.err == ("restons: 127.0.0.1/gone.ics: the server answered 404 Not Found; check the address "
                          "(a private address changes when it is reset)\n")


def test_too_big_is_refused_in_one_line(restons, alice, calendar_server, monkeypatch):
    monkeypatch.setattr(sync, "ICS_MAX_BYTES", 1024 * 1024)
    calendar_server.answers["/announced.ics"] = Answer(b"BEGIN:VCALENDAR\r\n", length=2 * 1024 * 1024)
    calendar_server.answers["/streamed.ics"] = Answer(b"BEGIN:VCALENDAR\r\n" + b"X" * (2 * 1024 * 1024), length=-1)
    for path in ("/announced.ics", "/streamed.ics"):
        result = restons("sync", "ics", calendar_server.url(path))
        assert result.code == 1
        assert result.err == f"restons: 127.0.0.1{path}: the calendar is larger than 1 MB; refused\n"
    assert not Interaction.objects.exists()


def test_a_slow_server_times_out_in_one_line(restons, alice, calendar_server, monkeypatch):
    monkeypatch.setattr(sync, "ICS_TIMEOUT", 0.5)
    calendar_server.answers["/slow.ics"] = Answer(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", delay=3)
    result = restons("sync", "ics", calendar_server.url("/slow.ics"))
    assert result.code == 1
    assert result.err == "restons: 127.0.0.1/slow.ics: no complete answer within 0.5 seconds; try again later\n"


def test_nothing_listening_is_one_line(restons, alice):
    result = restons("sync", "ics", "http://127.0.0.1:1/x.ics")
    assert result.code == 1 and result.err.startswith("restons: 127.0.0.1/x.ics: cannot connect (")


def test_a_subscription_must_be_a_calendar(restons, alice, calendar_server):
    calendar_server.answers["/page.html"] = Answer(b"<html>Sign in</html>")
    result = restons("calendar", "add", "work", calendar_server.url("/page.html"))
    assert result.code == 1 and "not a calendar (no BEGIN:VCALENDAR)" in result.err
    assert not CalendarSubscription.objects.exists()


def test_the_address_is_stored_encrypted_and_never_printed_nor_backed_up(restons, alice, feed, tmp_path):
    url = feed.url(PRIVATE)
    added = restons.ok("calendar", "add", "work", url)
    row = CalendarSubscription.objects.get()
    assert secrets.decrypt(row.url_encrypted, "work") == url and "private-5ecre7" not in row.url_encrypted
    listed = restons.ok("calendar", "list", "--json")
    assert listed.json[0]["url"] == "127.0.0.1/…/basic.ics"
    out = tmp_path / "backup.json"
    restons.ok("export", "json", out)
    for text in (added.out, listed.out, restons.ok("calendar", "list").out, out.read_text()):
        assert "private-5ecre7" not in text
    assert json.loads(out.read_text())["left_out"]["tables"]["restons.calendarsubscription"].startswith("secret:")


def test_remove_and_another_user(restons, alice, bob, feed):
    restons.ok("calendar", "add", "work", feed.url(PRIVATE), user="alice@example.org")
    assert restons.ok("calendar", "list", "--json", user="bob@example.org").json == []
    assert restons("calendar", "remove", "work", user="bob@example.org").code == 1
    assert restons("sync", "ics", "--calendar", "work", user="bob@example.org").code == 1
    restons.ok("calendar", "remove", "work", user="alice@example.org")
    assert not CalendarSubscription.objects.exists()


# --- syncing (the shared capture save) ------------------------------------------------------------

def test_a_feed_synced_twice_adds_nothing_the_second_time(restons, alice, feed):
    first = restons.ok("sync", "ics", feed.url(PRIVATE, scheme="http"), "--json").json[0]
    assert first["ok"] and first["summary"]["interactions"] > 0
    count = Interaction.objects.filter(owner=alice).count()
    assert count == first["summary"]["interactions"]
    second = restons.ok("sync", "ics", feed.url(PRIVATE), "--json").json[0]
    assert second["fetched"] == first["fetched"] and second["summary"]["interactions"] == 0
    assert Interaction.objects.filter(owner=alice).count() == count


def test_a_subscription_syncs_and_records_its_result(restons, alice, feed):
    restons.ok("calendar", "add", "work", feed.url(PRIVATE))
    result = restons.ok("sync", "ics", "--json").json[0]
    assert result["name"] == "work" and result["summary"]["interactions"] > 0
    listed = restons.ok("calendar", "list", "--json").json[0]
    assert listed["last_result"] == "ok" and listed["last_summary"]["interactions"] == result["summary"]["interactions"]
    feed.answers.pop(PRIVATE)  # the address was reset
    failed = restons("sync", "ics", "--calendar", "work")
    assert failed.code == 1 and "404" in failed.err
    listed = restons.ok("calendar", "list", "--json").json[0]
    assert listed["last_result"] == "failed" and "404" in listed["last_error"]
    assert listed["last_sync_at"] is not None  # the last success is still known
