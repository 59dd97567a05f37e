"""Cadence, grace, next due date, staggering and status."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from restons.engine.cadence import (
    MAX_GRACE_DAYS,
    effective_cadence,
    grace_days,
    is_dormant,
    next_due,
    silence_limit_days,
    stagger_days,
    status,
)
from restons.engine.state import PledgeLink

TODAY = date(2026, 3, 16)


class TestCadencePrecedence:
    def test_own_cadence_wins_even_when_circles_are_shorter(self, person):
        p = person(cadence_days=60, circle_cadences=(14, 30), pledges=(PledgeLink("Acme", date(2026, 1, 1), 7),))
        assert effective_cadence(p, TODAY) == 60

    def test_shortest_circle_when_no_own_cadence(self, person):
        assert effective_cadence(person(circle_cadences=(90, 30, 180)), TODAY) == 30

    def test_circle_without_cadence_is_ignored(self, person):
        assert effective_cadence(person(circle_cadences=(0, 90)), TODAY) == 90

    def test_active_pledge_competes_with_circles(self, person):
        pledge = PledgeLink("Acme", date(2026, 1, 1), 45)
        assert effective_cadence(person(circle_cadences=(90,), pledges=(pledge,)), TODAY) == 45
        assert effective_cadence(person(circle_cadences=(30,), pledges=(pledge,)), TODAY) == 30

    def test_pledge_counts_only_while_active(self, person):
        future = PledgeLink("Acme", date(2026, 4, 1), 45)
        ended = PledgeLink("Acme", date(2025, 1, 1), 45, ended_on=date(2026, 3, 15))
        ending_today = PledgeLink("Acme", date(2025, 1, 1), 45, ended_on=TODAY)
        assert effective_cadence(person(pledges=(future,)), TODAY) is None
        assert effective_cadence(person(pledges=(ended,)), TODAY) is None
        assert effective_cadence(person(pledges=(ending_today,)), TODAY) == 45

    def test_no_cadence_is_untracked(self, person):
        p = person(history=[(datetime(2026, 1, 1, 12), "out")])
        assert effective_cadence(p, TODAY) is None
        assert next_due(p, TODAY) is None
        assert status(p, TODAY) == "untracked"


class TestGrace:
    @pytest.mark.parametrize(
        "cadence, grace",
        [(1, 0), (3, 0), (4, 1), (7, 1), (14, 3), (30, 7), (90, 22), (120, 30), (121, 30), (365, 30)],
    )
    def test_quarter_of_cadence_at_most_30_days(self, cadence, grace):
        assert grace_days(cadence) == grace
        assert grace_days(cadence) <= MAX_GRACE_DAYS == 30


class TestNextDue:
    def test_last_touch_plus_cadence(self, person):
        p = person(cadence_days=30, history=[(datetime(2026, 2, 2, 22, 47), "out")])
        assert next_due(p, TODAY) == date(2026, 3, 4)

    @pytest.mark.parametrize("direction", ["out", "in", "both"])
    def test_any_direction_moves_next_due(self, person, direction):
        before = person(cadence_days=30, history=[(datetime(2026, 1, 1, 9), "out")])
        after = person(
            cadence_days=30, history=[(datetime(2026, 1, 1, 9), "out"), (datetime(2026, 3, 10, 9), direction)]
        )
        assert next_due(before, TODAY) == date(2026, 1, 31)
        assert status(before, TODAY) == "overdue"
        assert next_due(after, TODAY) == date(2026, 4, 9)
        assert status(after, TODAY) == "on-track"

    def test_inbound_only_relationship_is_refreshed_by_inbound(self, person):
        p = person(cadence_days=14, history=[(datetime(2026, 3, 15, 8), "in")])
        assert next_due(p, TODAY) == date(2026, 3, 29)


class TestStagger:
    def test_never_touched_person_is_due_within_first_cadence_window(self, person):
        for pid in range(1, 200):
            p = person(id=pid, cadence_days=30, created_on=date(2026, 1, 1))
            assert date(2026, 1, 2) <= next_due(p, TODAY) <= date(2026, 1, 31)

    def test_known_values_are_stable(self):
        # Knuth's multiplicative hash: 1 + (id * 2654435761 mod 2**32) mod cadence.
        assert [stagger_days(i, 30) for i in range(1, 6)] == [
            1 + (i * 2654435761 % 2**32) % 30 for i in range(1, 6)
        ]
        assert stagger_days(1, 30) == 2
        assert [stagger_days(i, 30) for i in range(1, 8)] == [2, 17, 18, 3, 18, 19, 4]
        assert stagger_days(7, 90) == 1 + (7 * 2654435761 % 2**32) % 90

    @pytest.mark.parametrize("cadence", [7, 30, 90, 365])
    @pytest.mark.parametrize("first_id", [1, 5001])
    def test_800_imported_people_spread_across_the_window(self, person, cadence, first_id):
        created = date(2026, 1, 1)
        people = [person(id=first_id + i, cadence_days=cadence, created_on=created) for i in range(800)]
        dues = [next_due(p, created) for p in people]
        per_day = Counter(dues)
        assert min(dues) >= created + timedelta(days=1)
        assert max(dues) <= created + timedelta(days=cadence)
        # Every day of the window is used, and no day gets much more than its fair share.
        assert len(per_day) == min(cadence, 800)
        fair = 800 / cadence
        assert max(per_day.values()) <= max(1.5 * fair, 5)
        # Nobody is due on the day of the import: importing does not flood Today.
        assert sum(1 for d in dues if d == created + timedelta(days=1)) <= max(1.5 * fair, 5)
        # Same data, same dates.
        assert dues == [next_due(p, created) for p in people]

    def test_touched_person_is_not_staggered(self, person):
        p = person(id=1, cadence_days=30, created_on=date(2026, 1, 1), history=[(datetime(2026, 1, 1, 10), "in")])
        assert next_due(p, TODAY) == date(2026, 1, 31)


class TestStatus:
    def touched(self, person, day, cadence=30):
        return person(cadence_days=cadence, history=[(datetime.combine(day, datetime.min.time()).replace(hour=23, minute=59), "out")])

    def test_boundaries(self, person):
        p = self.touched(person, date(2026, 1, 1))  # due 31 Jan, grace 7
        assert status(p, date(2026, 1, 30)) == "on-track"
        assert status(p, date(2026, 1, 31)) == "due"
        assert status(p, date(2026, 2, 7)) == "due"  # last day of grace
        assert status(p, date(2026, 2, 8)) == "overdue"
        assert status(p, date(2027, 1, 1)) == "overdue"  # 365 days: not yet dormant
        assert status(p, date(2027, 1, 2)) == "dormant"  # 366 days

    def test_dormant_after_three_cadences_when_longer_than_a_year(self, person):
        p = self.touched(person, date(2026, 1, 1), cadence=180)
        assert silence_limit_days(180) == 540
        assert status(p, date(2026, 1, 1) + timedelta(days=540)) == "overdue"
        assert status(p, date(2026, 1, 1) + timedelta(days=541)) == "dormant"

    def test_silence_limit(self):
        assert silence_limit_days(None) == 365
        assert silence_limit_days(30) == 365
        assert silence_limit_days(121) == 365
        assert silence_limit_days(122) == 366

    def test_never_touched_dormancy_is_measured_from_creation(self, person):
        p = person(id=1, cadence_days=30, created_on=date(2025, 1, 1))
        assert status(p, date(2026, 1, 1)) == "overdue"  # 365 days after it was added
        assert status(p, date(2026, 1, 2)) == "dormant"
        assert is_dormant(p, date(2026, 1, 2))

    def test_never_touched_first_due(self, person):
        p = person(id=1, cadence_days=30, created_on=date(2026, 1, 1))  # stagger: 2 days
        assert next_due(p, TODAY) == date(2026, 1, 3)
        assert status(p, date(2026, 1, 2)) == "on-track"
        assert status(p, date(2026, 1, 3)) == "due"
        assert status(p, date(2026, 1, 10)) == "due"
        assert status(p, date(2026, 1, 11)) == "overdue"

    def test_untracked_is_checked_before_dormant(self, person):
        p = person(history=[(datetime(2020, 1, 1, 12), "out")])
        assert status(p, TODAY) == "untracked"

    def test_snooze_does_not_change_status(self, person):
        p = person(cadence_days=30, snoozed_until=date(2026, 12, 31), history=[(datetime(2026, 1, 1, 12), "out")])
        assert status(p, TODAY) == "overdue"
