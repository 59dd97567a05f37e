"""Pledge adherence, quarter after quarter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from restons.engine.calendar import quarter_end, quarter_label, quarter_start
from restons.engine.pledges import QuarterAdherence, adherence, kept_on, overall

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
    assert overall([]) == 1.0


def test_first_ping_window():
    # Pledged on 25 March: the first quarter is checked on 31 March, inside the 14-day window.
    quarters = adherence(date(2025, 3, 25), CADENCE, 14, {1: [], 2: [date(2025, 3, 1)]}, today=date(2025, 4, 10))
    assert [(q.quarter, q.kept) for q in quarters] == [("2025-Q1", 2), ("2025-Q2", 0)]
    assert kept_on(PLEDGED + timedelta(days=14), PLEDGED, [], CADENCE, 14)
    assert not kept_on(PLEDGED + timedelta(days=15), PLEDGED, [], CADENCE, 14)
    assert kept_on(PLEDGED + timedelta(days=30), PLEDGED, [], CADENCE, 30)


def test_cadence_plus_grace_boundary():
    touch = date(2025, 3, 1)
    assert kept_on(touch + timedelta(days=112), PLEDGED, [touch], CADENCE, 14)
    assert not kept_on(touch + timedelta(days=113), PLEDGED, [touch], CADENCE, 14)
    # A touch on the pledge day counts; touches after the checked day do not.
    assert kept_on(PLEDGED + timedelta(days=100), PLEDGED, [PLEDGED], CADENCE, 14)
    assert not kept_on(date(2025, 6, 1), PLEDGED, [date(2025, 2, 9), date(2025, 6, 2)], CADENCE, 14)


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
