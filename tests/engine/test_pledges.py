"""Pledge adherence, quarter after quarter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from restons.engine.calendar import quarter_end, quarter_label, quarter_start
from restons.engine.pledges import FirstPings, QuarterAdherence, adherence, first_ping_by, first_pings, kept_on, overall

PLEDGED = date(2025, 2, 10)
CADENCE = 90  # grace 22: a touch holds for 112 days


@pytest.fixture
def history():
    """Three pledged people over five quarters (2025-Q1 to 2026-Q1)."""
    return {
        # faithful: one touch every quarter; the touch before the pledge does not count
        1: [date(2025, 2, 1), date(2025, 2, 20), date(2025, 5, 15), date(2025, 8, 20), date(2025, 11, 20), date(2026, 2, 1)],
        # forgotten: touched only before the pledge
        2: [date(2025, 1, 15)],
        # on and off
        3: [date(2025, 3, 1), date(2025, 10, 1)],
    }


def test_per_quarter_shares(history):
    quarters = adherence(PLEDGED, CADENCE, 14, history, today=date(2026, 2, 15))
    assert [(q.quarter, q.checked_on, q.kept, q.people) for q in quarters] == [
        ("2025-Q1", date(2025, 3, 31), 2, 3),
        ("2025-Q2", date(2025, 6, 30), 1, 3),  # person 3: 121 days since 1 March
        ("2025-Q3", date(2025, 9, 30), 1, 3),
        ("2025-Q4", date(2025, 12, 31), 2, 3),  # person 3: 91 days since 1 October
        ("2026-Q1", date(2026, 2, 15), 1, 3),  # checked today, the quarter is under way
    ]
    assert [round(q.share, 4) for q in quarters] == [0.6667, 0.3333, 0.3333, 0.6667, 0.3333]
    assert overall(quarters) == round(7 / 15, 4) == 0.4667


def test_ended_pledge_stops_at_its_end(history):
    quarters = adherence(PLEDGED, CADENCE, 14, history, today=date(2026, 2, 15), ended_on=date(2025, 8, 15))
    assert [(q.quarter, q.checked_on, q.kept) for q in quarters] == [
        ("2025-Q1", date(2025, 3, 31), 2),
        ("2025-Q2", date(2025, 6, 30), 1),
        ("2025-Q3", date(2025, 8, 15), 1),  # person 3: 167 days since 1 March
    ]
    assert overall(quarters) == round((2 / 3 + 1 / 3 + 1 / 3) / 3, 4)


def test_today_on_a_quarter_end_adds_no_empty_quarter(history):
    quarters = adherence(PLEDGED, CADENCE, 14, history, today=date(2025, 12, 31))
    assert [q.quarter for q in quarters] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def test_before_the_pledge_there_is_nothing(history):
    assert adherence(PLEDGED, CADENCE, 14, history, today=date(2025, 2, 9)) == []
    assert overall([]) is None


class TestFirstPingWindow:
    """Until the first-ping window closes nothing is counted: the pledge is in progress."""

    def test_a_pledge_made_today_has_no_adherence_yet(self):
        people = {1: [], 2: [], 3: [], 4: [], 5: []}
        assert adherence(PLEDGED, CADENCE, 14, people, today=PLEDGED) == []
        assert overall([]) is None
        progress = first_pings(PLEDGED, 14, people, today=PLEDGED)
        assert progress == FirstPings(pinged=0, people=5, by=date(2025, 2, 24), days_left=14)
        assert progress.pending == 5

    def test_progress_counts_pings_since_the_pledge_until_the_last_day(self):
        pings = {1: [date(2025, 2, 12)], 2: [date(2025, 2, 1)], 3: []}  # 2 was pinged before leaving: not yet
        assert first_ping_by(PLEDGED, 14) == date(2025, 2, 24)
        assert first_pings(PLEDGED, 14, pings, today=date(2025, 2, 15)) == FirstPings(1, 3, date(2025, 2, 24), 9)
        assert first_pings(PLEDGED, 14, pings, today=date(2025, 2, 24)).days_left == 0
        assert adherence(PLEDGED, CADENCE, 14, pings, today=date(2025, 2, 24)) == []
        # The day after the window, the pledge counts: 1 kept, 2 and 3 not.
        assert first_pings(PLEDGED, 14, pings, today=date(2025, 2, 25)) is None
        (quarter,) = adherence(PLEDGED, CADENCE, 14, pings, today=date(2025, 2, 25))
        assert (quarter.quarter, quarter.checked_on, quarter.kept, quarter.people) == ("2025-Q1", date(2025, 2, 25), 1, 3)

    def test_a_quarter_checked_inside_the_window_is_left_out(self):
        # Pledged on 25 March: the first quarter would be checked on 31 March, inside the window (to 8 April).
        quarters = adherence(date(2025, 3, 25), CADENCE, 14, {1: [], 2: [date(2025, 3, 1)]}, today=date(2025, 4, 10))
        assert [(q.quarter, q.checked_on, q.kept) for q in quarters] == [("2025-Q2", date(2025, 4, 10), 0)]

    def test_a_future_pledge_is_in_progress(self):
        assert first_pings(PLEDGED, 14, {1: []}, today=date(2025, 2, 1)) == FirstPings(0, 1, date(2025, 2, 24), 23)

    def test_a_pledge_ended_inside_its_window_is_never_counted(self):
        ended = date(2025, 2, 12)
        assert adherence(PLEDGED, CADENCE, 14, {1: [date(2025, 2, 11)]}, today=date(2026, 1, 1), ended_on=ended) == []
        assert first_pings(PLEDGED, 14, {1: [date(2025, 2, 11)]}, today=date(2026, 1, 1), ended_on=ended) == \
            FirstPings(1, 1, date(2025, 2, 24), 12)


def test_cadence_plus_grace_boundary():
    touch = date(2025, 3, 1)
    assert kept_on(touch + timedelta(days=112), PLEDGED, [touch], CADENCE)
    assert not kept_on(touch + timedelta(days=113), PLEDGED, [touch], CADENCE)
    # A touch on the pledge day counts; touches after the checked day, or before the pledge, do not.
    assert kept_on(PLEDGED + timedelta(days=100), PLEDGED, [PLEDGED], CADENCE)
    assert not kept_on(date(2025, 6, 1), PLEDGED, [date(2025, 2, 9), date(2025, 6, 2)], CADENCE)
    assert not kept_on(PLEDGED + timedelta(days=15), PLEDGED, [], CADENCE)


def test_no_people_counts_as_kept():
    assert QuarterAdherence("2025-Q1", date(2025, 3, 31), 0, 0).share == 1.0
    assert [q.share for q in adherence(PLEDGED, CADENCE, 14, {}, today=date(2025, 5, 1))] == [1.0, 1.0]


@pytest.mark.parametrize(
    "day, start, end, label",
    [
        (date(2025, 2, 10), date(2025, 1, 1), date(2025, 3, 31), "2025-Q1"),
        (date(2025, 4, 1), date(2025, 4, 1), date(2025, 6, 30), "2025-Q2"),
        (date(2025, 9, 30), date(2025, 7, 1), date(2025, 9, 30), "2025-Q3"),
        (date(2025, 12, 31), date(2025, 10, 1), date(2025, 12, 31), "2025-Q4"),
    ],
)
def test_quarters(day, start, end, label):
    assert (quarter_start(day), quarter_end(day), quarter_label(day)) == (start, end, label)


def test_the_first_ping_window_example_of_the_docs():
    """docs/engine.md § Pledges: five people pledged on 10 February 2025; one pinged on the 12th, one wrote."""
    pings = {1: [date(2025, 2, 12)], 2: [], 3: [], 4: [], 5: []}  # yours only: person 2's message is not a ping
    touches = {1: [date(2025, 2, 12)], 2: [date(2025, 2, 13)], 3: [], 4: [], 5: []}
    progress = first_pings(PLEDGED, 14, pings, today=date(2025, 2, 15))
    assert (progress.pinged, progress.people, progress.days_left, progress.pending) == (1, 5, 9, 4)
    assert overall(adherence(PLEDGED, CADENCE, 14, touches, today=date(2025, 2, 15))) is None
    (quarter,) = adherence(PLEDGED, CADENCE, 14, pings, today=date(2025, 2, 25))
    assert (quarter.kept, quarter.people) == (1, 5)
