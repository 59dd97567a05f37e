"""The CLI applies the acting user's Settings: time zone, phone region and Today's size."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from restons.models import Identity, Interaction
from restons.services.accounts import save_settings

UTC = ZoneInfo("UTC")


@pytest.fixture
def new_yorker(alice):
    """alice lives in New York: her time zone, hence her phone region US."""
    save_settings(alice, language="en", time_zone="America/New_York")
    return alice


def test_phone_numbers_follow_the_users_region(restons, new_yorker):
    restons.ok("person", "add", "Dana Park", "--phone", "(212) 555-0100")
    assert list(Identity.objects.values_list("value", flat=True)) == ["+12125550100"]

    refused = restons("person", "add", "Camille Martin", "--phone", "06 12 34 56 78")

    assert refused.code == 1
    assert refused.err == ("restons: '06 12 34 56 78' is not a valid phone number in region US; write it with + "
                           "and its country code, or change the phone region in Settings\n")
    assert Identity.objects.count() == 1
    assert restons.ok("person", "show", "212 555 0100", "--json").json["name"] == "Dana Park"


def test_times_and_today_are_the_users(restons, new_yorker, time_machine):
    """GIVEN 23:30 UTC on 25 November (still the 25th in New York)
    WHEN  alice logs a ping at 18:30 and asks for a snooze of 10 days
    THEN  18:30 is New York time and the snooze counts from the 25th.
    """
    time_machine.move_to(datetime(2026, 11, 25, 23, 30, tzinfo=UTC), tick=False)
    restons.ok("person", "add", "Dana Park")

    restons.ok("ping", "Dana", "--at", "2026-11-25T18:30")
    out = restons.ok("snooze", "Dana", "--for", "10d").out

    assert Interaction.objects.get().at == datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert out == "Dana Park is snoozed until 5 December 2026.\n"


def test_todays_size_is_the_users(restons, alice, time_machine, monkeypatch):
    monkeypatch.setenv("RESTONS_TODAY_LIMIT", "5")
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=UTC), tick=False)
    for n in range(6):
        restons.ok("person", "add", f"Person {n}", "--every", "1m")
    assert len(restons.ok("today", "--date", "2026-09-01", "--json").json) == 5
    save_settings(alice, language="en", today_limit=2)
    assert len(restons.ok("today", "--date", "2026-09-01", "--json").json) == 2
    assert len(restons.ok("today", "--date", "2026-09-01", "--limit", "3", "--json").json) == 3


def test_each_user_gets_their_own(restons, alice, bob):
    """GIVEN alice in New York and bob with the instance's defaults (Paris, FR) THEN each gets their region."""
    save_settings(alice, language="en", time_zone="America/New_York")
    restons.ok("person", "add", "Dana", "--phone", "212 555 0100", user="alice@example.org")
    restons.ok("person", "add", "Camille", "--phone", "06 12 34 56 78", user="bob@example.org")
    assert sorted(Identity.objects.values_list("owner__email", "value")) == [
        ("alice@example.org", "+12125550100"), ("bob@example.org", "+33612345678")]
