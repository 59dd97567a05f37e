"""Reciprocity, the ghosting guard and the strength score."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from restons.engine.health import Activity, is_ghosting, reciprocity, strength, suggested_cadence

TODAY = date(2026, 3, 16)
NOON = datetime(2026, 3, 1, 12)


class TestReciprocity:
    @pytest.mark.parametrize(
        "history, expected",
        [
            ([(NOON, "in"), (NOON + timedelta(days=1), "out")], "mutual"),
            ([(NOON, "out"), (NOON + timedelta(days=1), "out")], "you-carry"),
            ([(NOON, "in")], "they-carry"),
            ([], "silent"),
        ],
    )
    def test_each_value(self, person, history, expected):
        assert reciprocity(person(history=history), TODAY) == expected

    def test_both_counts_in_each_direction(self, person):
        met = person(history=[(NOON, "both")])
        assert met.last_in == met.last_out == NOON
        assert reciprocity(met, TODAY) == "mutual"
        assert reciprocity(person(history=[(NOON, "both"), (NOON + timedelta(days=2), "out")]), TODAY) == "mutual"

    def test_window_boundary(self, person):
        # The 365-day window ending 16 March 2026 starts on 17 March 2025.
        inside = person(history=[(datetime(2025, 3, 17, 0, 1), "in"), (datetime(2026, 3, 16, 23, 59), "out")])
        outside = person(history=[(datetime(2025, 3, 16, 23, 59), "in"), (datetime(2026, 3, 16, 8), "out")])
        assert reciprocity(inside, TODAY) == "mutual"
        assert reciprocity(outside, TODAY) == "you-carry"
        assert reciprocity(person(history=[(datetime(2025, 3, 16, 12), "both")]), TODAY) == "silent"

    def test_custom_window(self, person):
        p = person(history=[(datetime(2026, 2, 1, 12), "in"), (datetime(2026, 3, 10, 12), "out")])
        assert reciprocity(p, TODAY, window_days=30) == "you-carry"
        assert reciprocity(p, TODAY, window_days=60) == "mutual"

    def test_interaction_after_today_is_outside_the_window(self, person):
        p = person(history=[(datetime(2026, 3, 17, 9), "in")])
        assert reciprocity(p, TODAY) == "silent"


class TestGhosting:
    def test_three_outbound_in_a_row(self, person):
        days = [datetime(2026, 1, d, 12) for d in (1, 5, 10, 15, 20)]
        two = person(history=[(days[0], "in"), (days[1], "out"), (days[2], "out")])
        three = person(history=[(days[0], "in"), (days[1], "out"), (days[2], "out"), (days[3], "out")])
        answered = person(history=[(days[1], "out"), (days[2], "out"), (days[3], "both"), (days[4], "out")])
        assert (two.out_streak, three.out_streak, answered.out_streak) == (2, 3, 1)
        assert not is_ghosting(two)
        assert is_ghosting(three)
        assert not is_ghosting(answered)

    @pytest.mark.parametrize("cadence, proposed", [(None, None), (7, 30), (14, 30), (15, 30), (30, 60), (90, 180)])
    def test_suggested_cadence_doubles_at_least_a_month(self, cadence, proposed):
        assert suggested_cadence(cadence) == proposed


class TestStrength:
    def rich(self, person):
        return person(
            history=[(datetime(2026, 3, 16, 9), "both")],
            known_since=date(2020, 1, 1),
            outcomes=5,
        )

    def test_bounds(self, person):
        assert strength(person(), Activity(), TODAY) == 0
        assert strength(self.rich(person), Activity(20, 20, 5), TODAY) == 100
        assert strength(self.rich(person), Activity(200, 1, 50), TODAY) <= 100

    def test_components(self, person):
        # recency only: touched today -> 30
        p = person(history=[(datetime(2026, 3, 16, 9), "out")])
        assert strength(p, Activity(), TODAY) == 30 + 0  # tenure starts today
        # frequency: 6 of 12 -> 12.5; reciprocity: 3/3 -> 20; breadth 1 of 3 -> 3.33
        assert strength(person(), Activity(3, 3, 1), TODAY) == round(12.5 + 20 + 10 / 3)
        # only inbound: a quarter of the reciprocity weight
        assert strength(person(), Activity(1, 0, 0), TODAY) == round(25 / 12 + 5)
        # only outbound: no reciprocity points
        assert strength(person(), Activity(0, 1, 0), TODAY) == round(25 / 12)
        # tenure: 5 years or more -> 10; outcomes: 2 or more -> 5
        assert strength(person(known_since=date(2021, 3, 16)), Activity(), TODAY) == 10
        assert strength(person(outcomes=1), Activity(), TODAY) == round(2.5)  # banker's rounding: 2
        assert strength(person(outcomes=2), Activity(), TODAY) == 5

    def test_recency_fades_over_the_window(self, person):
        scores = [
            strength(person(history=[(when, "out")], known_since=date(2000, 1, 1)), Activity(), TODAY) - 10
            for when in (datetime.combine(TODAY - timedelta(days=d), datetime.min.time()) for d in (0, 30, 100, 200, 364, 365, 800))
        ]
        assert scores == [30, 28, 22, 14, 0, 0, 0]

    def test_monotonic_in_frequency_channels_outcomes_and_tenure(self, person):
        base = person(history=[(datetime(2026, 1, 1, 12), "out")], known_since=date(2024, 1, 1))
        freq = [strength(base, Activity(n, n, 1), TODAY) for n in range(0, 10)]
        assert freq == sorted(freq)
        breadth = [strength(base, Activity(2, 2, c), TODAY) for c in range(0, 6)]
        assert breadth == sorted(breadth) and breadth[3] == breadth[5]
        outcomes = [strength(person(outcomes=n), Activity(), TODAY) for n in range(0, 5)]
        assert outcomes == sorted(outcomes)
        tenure = [strength(person(known_since=date(2026 - y, 1, 1)), Activity(), TODAY) for y in range(0, 8)]
        assert tenure == sorted(tenure)

    def test_balance_beats_one_sided(self, person):
        assert strength(person(), Activity(4, 4, 1), TODAY) > strength(person(), Activity(1, 7, 1), TODAY)
        assert strength(person(), Activity(4, 0, 1), TODAY) > strength(person(), Activity(0, 4, 1), TODAY)
        # Any answer at all is worth more than none.
        assert strength(person(), Activity(1, 7, 1), TODAY) > strength(person(), Activity(0, 8, 1), TODAY)

    def test_tenure_takes_the_earliest_of_known_since_and_first_touch(self, person):
        touched = person(history=[(datetime(2023, 3, 16, 12), "out")], known_since=date(2025, 3, 16))
        known = person(history=[(datetime(2025, 3, 16, 12), "out")], known_since=date(2023, 3, 16))
        # recency is 0 for both (last touch a year or more ago); tenure about 3 years -> 6
        assert strength(touched, Activity(), TODAY) == strength(known, Activity(), TODAY) == 6
