"""The private calendar feed, read back with icalendar as a calendar app would."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
import time_machine
from django.test import Client

from restons.models import Milestone
from restons.services.accounts import save_settings
from restons.services.people import snooze
from restons.services.reminders import feed_path, regenerate_feed

from .conftest import at

pytestmark = pytest.mark.usefixtures("frozen_monday")


@pytest.fixture
def frozen_monday():
    with time_machine.travel(at("2026-06-15 12:00"), tick=False):
        yield


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == "-//Restons//Restons//EN"
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_has_due_pings_birthdays_and_milestones_as_all_day_events(network, alice_paris):
    """GIVEN Camille overdue and Noah's birthday on Thursday WHEN a calendar reads the feed
    THEN each is an all-day event with the fields Google, Apple and Thunderbird need."""
    Milestone.objects.create(owner=alice_paris, title="Ten years of the agency", on=date(2016, 7, 1), yearly=True)
    path = feed_path(regenerate_feed(alice_paris))
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response.content)
    camille, noah = network["camille"], network["noah"]
    due = events[f"due-{camille.pk}@restons"]
    assert due["DTSTART"].params["VALUE"] == "DATE"
    assert due.decoded("DTSTART") == date(2026, 6, 15)  # overdue: today
    assert due.decoded("DTEND") == date(2026, 6, 16)
    assert str(due["SUMMARY"]) == "Ping Camille Martin"
    assert str(due["DESCRIPTION"]) == "Every month; due since 31 May 2026; last in touch on 1 May 2026."
    assert str(due["TRANSP"]) == "TRANSPARENT"
    assert str(due["URL"]) == f"http://127.0.0.1:8000/people/{camille.pk}/"
    assert due.decoded("DTSTAMP").tzinfo is not None
    birthday = events[f"milestone-{Milestone.objects.get(person=noah).pk}@restons"]
    assert (birthday.decoded("DTSTART"), str(birthday["SUMMARY"])) == (date(2026, 6, 18), "Noah Bennett: Birthday")
    mine = [e for e in events.values() if str(e["SUMMARY"]) == "You: Ten years of the agency"]
    assert [e.decoded("DTSTART") for e in mine] == [date(2026, 7, 1)]
    assert f"due-{noah.pk}@restons" not in events  # due in January 2027: beyond 30 days


def test_uids_are_stable_and_a_moved_date_keeps_its_uid(network, alice_paris):
    path = feed_path(regenerate_feed(alice_paris))
    first = events_of(Client().get(path).content)
    snooze(alice_paris, network["camille"], date(2026, 6, 20))
    second = events_of(Client().get(path).content)
    assert set(first) == set(second)
    uid = f"due-{network['camille'].pk}@restons"
    assert (first[uid].decoded("DTSTART"), second[uid].decoded("DTSTART")) == (date(2026, 6, 15), date(2026, 6, 21))


def test_etag_and_last_modified_answer_304_until_something_changes(network, alice_paris):
    path = feed_path(regenerate_feed(alice_paris))
    client = Client()
    first = client.get(path)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "private, max-age=900"
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    with time_machine.travel(at("2026-06-15 13:00"), tick=False):
        again = client.get(path)
        assert (again["ETag"], again["Last-Modified"]) == (etag, modified)  # same events: same validators
        snooze(alice_paris, network["camille"], date(2026, 6, 20))
        changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag and changed["Last-Modified"] == "Mon, 15 Jun 2026 11:00:00 GMT"


def test_the_feed_speaks_the_users_language(network, alice_paris):
    save_settings(alice_paris, language="fr", time_zone="Europe/Paris")
    events = events_of(Client().get(feed_path(regenerate_feed(alice_paris))).content)
    due = events[f"due-{network['camille'].pk}@restons"]
    assert str(due["SUMMARY"]) == "Faire signe à Camille Martin"
    assert str(due["DESCRIPTION"]) == "Chaque mois\u00a0; à faire depuis le 31 mai 2026\u00a0; dernier contact le 1 mai 2026."


def test_a_wrong_or_old_secret_reveals_nothing(network, alice_paris, bob):
    old = feed_path(regenerate_feed(alice_paris))
    new = feed_path(regenerate_feed(alice_paris))
    client = Client()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    key, secret = new.split("/")[2], new.split("/")[3][:-4]
    wrong = [f"/feed/{key}/{secret[:-1]}x.ics", f"/feed/{key}/.ics", f"/feed/nokey/{secret}.ics",
             f"/feed/{key}/{secret}{'a' * 80}.ics", f"/feed/{key}/é{secret[1:]}.ics"]
    for path in wrong:
        response = client.get(path)
        assert response.status_code == 404
        assert b"Camille" not in response.content
    bobs = feed_path(regenerate_feed(bob))
    assert b"Camille" not in client.get(bobs).content


def test_pledge_checkpoints_are_in_the_feed(alice_paris):
    from restons.services.people import PersonInput, add_person
    from restons.services.planning import leave

    ana = add_person(alice_paris, PersonInput(name="Ana", orgs=["Acme"]))
    pledge = leave(alice_paris, "Acme", date(2026, 6, 5), [ana], None)
    events = events_of(Client().get(feed_path(regenerate_feed(alice_paris))).content)
    first = events[f"pledge-first-{pledge.pk}@restons"]
    assert (first.decoded("DTSTART"), str(first["SUMMARY"])) == (date(2026, 6, 19), "Pledge: Acme")
    assert str(first["DESCRIPTION"]) == "Acme: 1 person still waits for a first ping by Friday 19 June."
    quarter = events[f"pledge-2026-06-30-{pledge.pk}@restons"]
    assert quarter.decoded("DTSTART") == date(2026, 6, 30)
    assert date(2026, 6, 30) - date(2026, 6, 15) == timedelta(days=15)
