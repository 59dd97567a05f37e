"""Logging pings and the per-person summary they keep current (last touch, next due, ghosting streak)."""

from __future__ import annotations

import pytest

from restons.models import Interaction, Person
from restons.services.errors import UserError
from restons.services.health import person_detail
from restons.services.interactions import log_ping, refresh_summaries
from restons.services.today import today_list

from .conftest import local

pytestmark = pytest.mark.usefixtures("frozen")

SUMMARY = ("last_touch_at", "first_touch_at", "last_in_at", "last_out_at", "out_streak")


def summary(person) -> tuple:
    person.refresh_from_db()
    return tuple(getattr(person, field) for field in SUMMARY)


@pytest.mark.parametrize("direction", ["out", "in", "both"])
def test_a_ping_in_any_direction_moves_next_due(alice, person, ping, direction):
    bruno = person("Bruno Petit", cadence_days=30)
    ping(bruno, "2026-04-01")
    assert person_detail(alice, bruno)["next_due"] == "2026-05-01"

    ping(bruno, "2026-06-10 18:00", direction=direction)

    detail = person_detail(alice, bruno)
    assert (detail["next_due"], detail["status"]) == ("2026-07-10", "on-track")
    assert detail["last_touch"].startswith("2026-06-10T18:00")


def test_an_inbound_ping_refreshes_the_relationship_and_takes_them_off_today(alice, person, ping):
    """GIVEN Bruno 45 days overdue and in Today
    WHEN  Bruno writes to you today
    THEN  he is on track until 15 July and no longer in Today (the reply is not owed before 3 days).
    """
    bruno = person("Bruno Petit", cadence_days=30)
    ping(bruno, "2026-04-01")
    assert [e["person"]["name"] for e in today_list(alice)] == ["Bruno Petit"]

    log_ping(alice, bruno, direction="in")

    assert today_list(alice) == []
    assert person_detail(alice, bruno)["next_due"] == "2026-07-15"
    assert [e["reasons"][0]["kind"] for e in today_list(alice, local("2026-06-18").date())] == ["reply-owed"]


def test_a_ping_in_the_future_is_refused_and_nothing_is_written(alice, person):
    bruno = person("Bruno Petit")

    with pytest.raises(UserError, match="is in the future"):
        log_ping(alice, bruno, at=local("2026-06-15 12:06"))

    assert not Interaction.objects.exists()
    assert summary(bruno) == (None, None, None, None, 0)


def test_a_clock_a_few_minutes_ahead_is_tolerated(alice, person):
    bruno = person("Bruno Petit")

    log_ping(alice, bruno, at=local("2026-06-15 12:04"))

    assert Interaction.objects.count() == 1


def test_an_old_ping_logged_after_a_recent_one_does_not_move_last_touch_back(alice, person, ping):
    bruno = person("Bruno Petit", cadence_days=30)
    ping(bruno, "2026-06-10 09:00", direction="in")

    ping(bruno, "2025-01-01 09:00", direction="out")

    bruno.refresh_from_db()
    assert bruno.last_touch_at == local("2026-06-10 09:00")
    assert bruno.first_touch_at == local("2025-01-01 09:00")
    assert person_detail(alice, bruno)["next_due"] == "2026-07-10"


def test_summaries_do_not_depend_on_the_order_pings_are_logged(alice, person, ping):
    """GIVEN the same five pings logged for two people, in chronological and in scrambled order
    WHEN  their summaries are computed (on each ping, and again by refresh_summaries)
    THEN  both people have the same last touch, first touch, last in, last out and streak.
    """
    history = [("2026-01-05 10:00", "out"), ("2026-02-01 10:00", "in"), ("2026-03-01 10:00", "out"),
               ("2026-04-01 10:00", "both"), ("2026-05-01 10:00", "out")]
    ordered, scrambled = person("Ana Lopes"), person("Bruno Petit")
    for when, direction in history:
        ping(ordered, when, direction=direction)
    for index in (3, 0, 4, 2, 1):
        ping(scrambled, *history[index])

    assert summary(ordered) == summary(scrambled) == (
        local("2026-05-01 10:00"), local("2026-01-05 10:00"), local("2026-04-01 10:00"), local("2026-05-01 10:00"), 1,
    )
    refresh_summaries(alice, [ordered.id, scrambled.id])
    assert summary(ordered) == summary(scrambled)


def test_refresh_summaries_rebuilds_from_interactions_and_clears_them_when_none_are_left(alice, person, ping):
    bruno = person("Bruno Petit")
    ping(bruno, "2026-06-01")
    Person.objects.filter(pk=bruno.pk).update(last_touch_at=local("2020-01-01"), out_streak=7)

    refresh_summaries(alice, [bruno.id])
    assert summary(bruno) == (local("2026-06-01"), local("2026-06-01"), None, local("2026-06-01"), 1)

    Interaction.objects.filter(person=bruno).delete()
    refresh_summaries(alice, [bruno.id])
    assert summary(bruno) == (None, None, None, None, 0)


def test_the_ghosting_guard_after_three_unanswered_pings(alice, person, ping):
    """GIVEN Farid, 30-day cadence, who wrote once in December
    WHEN  you ping him three times without an answer
    THEN  person show reports ghosting with a 60-day cadence proposed, and Today carries the proposal;
          his next answer clears it.
    """
    farid = person("Farid Haddad", cadence_days=30)
    ping(farid, "2025-12-01", direction="in")
    ping(farid, "2026-01-05")
    ping(farid, "2026-01-20")
    assert person_detail(alice, farid)["ghosting"] is False

    ping(farid, "2026-02-01")

    detail = person_detail(alice, farid)
    assert (detail["ghosting"], detail["suggested_cadence_days"]) == (True, 60)
    (entry,) = today_list(alice)
    assert (entry["person"]["name"], entry["suggested_cadence_days"]) == ("Farid Haddad", 60)

    ping(farid, "2026-06-14", direction="in")

    detail = person_detail(alice, farid)
    assert (detail["ghosting"], detail["suggested_cadence_days"]) == (False, None)


def test_a_meeting_together_breaks_the_ghosting_streak(alice, person, ping):
    farid = person("Farid Haddad", cadence_days=30)
    for when in ("2026-01-05", "2026-01-20", "2026-02-01"):
        ping(farid, when)
    assert person_detail(alice, farid)["ghosting"] is True

    ping(farid, "2026-02-10", direction="both")

    assert person_detail(alice, farid)["ghosting"] is False


def test_the_ghosting_guard_lowers_priority(alice, person, ping):
    """GIVEN two people alike (mutual, 30-day cadence, last touched on 1 February) but for the answers
    WHEN  Today ranks them
    THEN  the one whose last three pings went unanswered comes second, though his name sorts first.
    """
    ghost, friend = person("Aaron Ghost", cadence_days=30), person("Zoé Friend", cadence_days=30)
    for who in (ghost, friend):
        ping(who, "2025-12-01", direction="in")
        ping(who, "2026-01-10")
        ping(who, "2026-02-01")
    ping(ghost, "2026-01-20")
    ping(friend, "2026-01-20", direction="in")

    entries = today_list(alice)

    assert [e["person"]["name"] for e in entries] == ["Zoé Friend", "Aaron Ghost"]
    assert entries[1]["score"] == entries[0]["score"] / 2


def test_due_dates_follow_the_local_day_not_the_utc_one(alice, person, ping):
    """A ping at 00:30 in Paris is 22:30 the day before in UTC; the local day counts."""
    bruno = person("Bruno Petit", cadence_days=30)

    ping(bruno, "2026-05-16 00:30")

    detail = person_detail(alice, bruno)
    assert detail["next_due"] == "2026-06-15"
    assert detail["last_touch"].startswith("2026-05-16T00:30")
