"""Issue 9's "done when", in English and in French: the digest at 08:00 across daylight saving,
the calendar feed read by a calendar's parser, and the ntfy push."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
import time_machine
from django.test import Client

from restons.services import worker
from restons.services.accounts import save_settings
from restons.services.people import PersonInput, add_person
from restons.services.reminders import feed_path, regenerate_feed, set_digest, set_push

from .conftest import PARIS, at

WORDS = {
    "en": {"subject": "Restons: 1 person to ping today", "title": "1 person to ping today",
           "summary": "Ping Camille Martin"},
    "fr": {"subject": "Restons\u00a0: 1 personne à qui faire signe aujourd’hui",
           "title": "1 personne à qui faire signe aujourd’hui", "summary": "Faire signe à Camille Martin"},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_digest_at_eight_across_daylight_saving_feed_and_ntfy(language, alice, smtp_server, receiver, monkeypatch):
    """GIVEN a user in Paris who turns on a daily digest at 08:00, ntfy and the calendar feed
    WHEN the worker runs every 30 minutes from Saturday to Monday across the change to summer time
    THEN one mail a day arrives at 08:00 local, one push a day, and the feed parses with the user's words."""
    monkeypatch.setenv("RESTONS_NTFY_URL", receiver.url)
    save_settings(alice, language=language, time_zone="Europe/Paris")
    with time_machine.travel(at("2026-01-01 12:00"), tick=False):
        camille = add_person(alice, PersonInput(name="Camille Martin", cadence_days=30))
    set_digest(alice, frequency="daily", hour="08:00")
    set_push(alice, ntfy_topic="restons-alice")
    path = feed_path(regenerate_feed(alice))

    moment, mails = at("2026-03-28 00:00"), []
    while moment < at("2026-03-31 00:00"):
        with time_machine.travel(moment, tick=False):
            before = len(smtp_server.messages)
            worker.run_once("w1")
            mails += [moment.astimezone(PARIS).isoformat(" ", "minutes")] * (len(smtp_server.messages) - before)
        moment += timedelta(minutes=30)

    assert mails == ["2026-03-28 08:00+01:00", "2026-03-29 08:00+02:00", "2026-03-30 08:00+02:00"]
    assert {m["Subject"].strip() for m in smtp_server.messages} == {WORDS[language]["subject"]}
    assert [r.get("topic") for r in map(lambda i: receiver.json(i), range(len(receiver.requests)))] == [
        "restons-alice"] * 3
    assert {receiver.json(i)["title"] for i in range(3)} == {WORDS[language]["title"]}
    with time_machine.travel(at("2026-03-30 09:00"), tick=False):
        calendar = icalendar.Calendar.from_ical(Client().get(path).content)
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"due-{camille.pk}@restons"]
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTSTART") == date(2026, 3, 30)
    assert str(event["SUMMARY"]) == WORDS[language]["summary"]
