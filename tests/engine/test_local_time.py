"""The engine works on local calendar days, across daylight-saving changes.

Interactions are stored as aware datetimes (UTC); the loader hands the engine
naive datetimes in the owner's time zone. A ping logged late in the evening
must count on that local day, whatever offset is in force when it is read.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import time_machine

from restons.engine.cadence import next_due, status

PARIS = ZoneInfo("Europe/Paris")


def logged_now() -> datetime:
    """What the service stores for a ping logged now: an aware UTC datetime."""
    return datetime.now(timezone.utc)


def test_late_evening_ping_before_march_switch_counts_on_its_local_day(person, local_naive, today_in):
    # GIVEN a ping logged at 23:30 on Saturday 28 March 2026 in Paris (UTC+1, CET)
    with time_machine.travel(datetime(2026, 3, 28, 23, 30, tzinfo=PARIS), tick=False):
        stored = logged_now()
        assert stored == datetime(2026, 3, 28, 22, 30, tzinfo=timezone.utc)
        assert today_in(PARIS) == date(2026, 3, 28)
    # WHEN it is read after clocks went forward (UTC+2, CEST) on 29 March
    with time_machine.travel(datetime(2026, 4, 4, 12, 0, tzinfo=PARIS), tick=False):
        local = local_naive(stored, PARIS)
        # Reading it with today's offset (+2) would put it on 29 March.
        assert stored.astimezone(timezone(timedelta(hours=2))).date() == date(2026, 3, 29)
        p = person(cadence_days=7, history=[(local, "out")])
        # THEN it counts on 28 March, so it is due on 4 April
        assert local == datetime(2026, 3, 28, 23, 30)
        assert next_due(p, today_in(PARIS)) == date(2026, 4, 4)
        assert status(p, today_in(PARIS)) == "due"


def test_due_day_starts_at_local_midnight_after_march_switch(person, local_naive, today_in):
    with time_machine.travel(datetime(2026, 3, 28, 23, 30, tzinfo=PARIS), tick=False):
        p = person(cadence_days=7, history=[(local_naive(logged_now()), "out")])
    # 23:59 on 3 April in Paris is still 3 April: on track.
    with time_machine.travel(datetime(2026, 4, 3, 23, 59, tzinfo=PARIS), tick=False):
        assert datetime.now(timezone.utc).date() == date(2026, 4, 3)
        assert status(p, today_in(PARIS)) == "on-track"
    # 00:30 on 4 April in Paris is still 3 April in UTC, but locally it is due.
    with time_machine.travel(datetime(2026, 4, 4, 0, 30, tzinfo=PARIS), tick=False):
        assert datetime.now(timezone.utc).date() == date(2026, 4, 3)
        assert today_in(PARIS) == date(2026, 4, 4)
        assert status(p, today_in(PARIS)) == "due"


def test_just_after_midnight_on_switch_day_counts_on_the_new_day(person, local_naive):
    # 00:30 local on 29 March is 23:30 UTC on 28 March.
    stored = datetime(2026, 3, 28, 23, 30, tzinfo=timezone.utc)
    with time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=PARIS), tick=False):
        p = person(cadence_days=30, history=[(local_naive(stored, PARIS), "in")])
    assert p.last_touch == datetime(2026, 3, 29, 0, 30)
    assert next_due(p, date(2026, 4, 1)) == date(2026, 4, 28)


def test_late_evening_ping_before_october_switch(person, local_naive, today_in):
    # GIVEN a ping at 23:45 on Saturday 24 October 2026 (UTC+2, CEST) and one
    # at 00:30 on Sunday 25 October, both before clocks go back at 03:00
    with time_machine.travel(datetime(2026, 10, 24, 23, 45, tzinfo=PARIS), tick=False):
        evening = logged_now()
    with time_machine.travel(datetime(2026, 10, 25, 0, 30, tzinfo=PARIS), tick=False):
        after_midnight = logged_now()
    assert after_midnight == datetime(2026, 10, 24, 22, 30, tzinfo=timezone.utc)
    # WHEN read in winter time (UTC+1)
    with time_machine.travel(datetime(2026, 11, 2, 8, 0, tzinfo=PARIS), tick=False):
        # Reading with today's offset (+1) would put the second ping on 24 October.
        assert after_midnight.astimezone(timezone(timedelta(hours=1))).date() == date(2026, 10, 24)
        first = person(cadence_days=14, history=[(local_naive(evening), "out")])
        second = person(cadence_days=14, history=[(local_naive(after_midnight), "out")])
        # THEN each counts on its own local day
        assert next_due(first, today_in()) == date(2026, 11, 7)
        assert next_due(second, today_in()) == date(2026, 11, 8)
        assert status(first, today_in()) == "on-track"


def test_october_due_day_boundary(person, local_naive, today_in):
    with time_machine.travel(datetime(2026, 10, 24, 23, 45, tzinfo=PARIS), tick=False):
        p = person(cadence_days=1, history=[(local_naive(logged_now()), "out")])
    # The repeated hour on 25 October (02:30 happens twice) is still 25 October.
    for fold in (0, 1):
        with time_machine.travel(datetime(2026, 10, 25, 2, 30, fold=fold, tzinfo=PARIS), tick=False):
            assert today_in() == date(2026, 10, 25)
            assert status(p, today_in()) == "due"
    with time_machine.travel(datetime(2026, 10, 24, 23, 59, tzinfo=PARIS), tick=False):
        assert status(p, today_in()) == "on-track"
