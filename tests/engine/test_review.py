"""The review's rules (restons/engine/review.py; docs/review.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from restons.engine import health
from restons.engine.health import Activity
from restons.engine.review import (
    Period, Tally, add_months, as_of, came_back, change, is_new, last_12_months, openers, reciprocity, slipped,
    state_at, stayed_in_touch, went_quiet, year_period,
)
from restons.engine.state import PledgeLink

from .conftest import make_person
from .test_worked_example import HISTORY, TODAY

YEAR = year_period(2025, date(2026, 6, 15))


# -- the period ---------------------------------------------------------------------------------


def test_a_past_year_is_january_to_december_and_its_middle_is_july():
    assert (YEAR.start, YEAR.end, YEAR.middle, YEAR.day_before, YEAR.key) == (
        date(2025, 1, 1), date(2025, 12, 31), date(2025, 7, 1), date(2024, 12, 31), "2025")
    assert len(YEAR.months) == 12 and YEAR.days == 365


def test_the_year_under_way_ends_today_and_is_halved_by_its_months():
    period = year_period(2026, date(2026, 6, 15))
    assert (period.start, period.end, period.middle) == (date(2026, 1, 1), date(2026, 6, 15), date(2026, 4, 1))
    january = year_period(2026, date(2026, 1, 20))
    assert january.months == [date(2026, 1, 1)] and january.middle == date(2026, 1, 11)
    with pytest.raises(ValueError):
        year_period(2027, date(2026, 6, 15))


@pytest.mark.parametrize("today, start", [
    (date(2026, 6, 15), date(2025, 7, 1)),
    (date(2026, 1, 31), date(2025, 2, 1)),
    (date(2026, 12, 1), date(2026, 1, 1)),
])
def test_the_last_12_months_are_this_month_and_the_eleven_before(today, start):
    period = last_12_months(today)
    assert (period.start, period.end, period.key) == (start, today, "last-12-months")
    assert len(period.months) == 12 and period.middle == add_months(start, 6)


# -- who stayed, carried, went quiet, came back, is new ---------------------------------------------


def test_reciprocity_and_staying_in_touch_over_the_period():
    assert reciprocity(Tally(1, 1, 0, 1, 1)) == "mutual" and stayed_in_touch(Tally(1, 1, 0, 1, 1))
    assert stayed_in_touch(Tally(1, 1, 1, 0, 1)) is False  # mutual, but nothing in the first half
    assert stayed_in_touch(Tally(1, 1, 1, 1, 0)) is False
    assert reciprocity(Tally(0, 3, 0, 2, 1)) == "you-carry" and not stayed_in_touch(Tally(0, 3, 0, 2, 1))
    assert reciprocity(Tally(2, 0, 0, 1, 1)) == "they-carry"
    assert reciprocity(Tally()) == "silent"
    assert Tally(2, 3, 1, 2, 2).total == 4


def quiet_pair(last: datetime | None, end_last: datetime | None, **fields):
    base = make_person("Hugo", history=[(last, "out")] if last else [], **fields)
    return as_of(base, YEAR.day_before, last, 0), as_of(base, YEAR.end, end_last, 0)


def test_went_quiet_means_in_touch_a_year_before_and_dormant_at_the_end():
    before, after = quiet_pair(datetime(2024, 12, 1, 12), datetime(2024, 12, 1, 12), circle_cadences=(90,))
    assert went_quiet(before, after, YEAR)  # on track on 31 Dec 2024, 395 days without contact a year later
    # Overdue already a year before: that drift happened earlier.
    before, after = quiet_pair(datetime(2024, 8, 1, 12), datetime(2024, 8, 1, 12), circle_cadences=(90,))
    assert not went_quiet(before, after, YEAR)
    # Due (not yet overdue) on 31 December 2024 still counts as in touch.
    before, after = quiet_pair(datetime(2024, 10, 1, 12), datetime(2024, 10, 1, 12), circle_cadences=(90,))
    assert went_quiet(before, after, YEAR)
    # Untracked people have no status to lose, and someone never touched had nothing to lose.
    before, after = quiet_pair(datetime(2024, 12, 1, 12), datetime(2024, 12, 1, 12))
    assert not went_quiet(before, after, YEAR)
    before, after = quiet_pair(None, None, circle_cadences=(90,), created_on=date(2024, 11, 1))
    assert not went_quiet(before, after, YEAR)


def test_came_back_means_dormant_a_year_before_and_they_wrote():
    base = make_person("Léa", history=[(datetime(2023, 6, 1, 12), "out")], cadence_days=60)
    before = as_of(base, YEAR.day_before, datetime(2023, 6, 1, 12), 0)
    assert came_back(before, Tally(1, 1, 0, 2, 0), YEAR)
    assert not came_back(before, Tally(0, 2, 0, 2, 0), YEAR)  # only you wrote: they have not come back
    # A cadence of 200 days makes the silence limit 600 days: on 31 Dec 2024 (579 days) not yet dormant.
    slow = as_of(make_person("Léa", history=[(datetime(2023, 6, 1, 12), "out")], cadence_days=200),
                 YEAR.day_before, datetime(2023, 6, 1, 12), 0)
    assert not came_back(slow, Tally(1, 1, 0, 2, 0), YEAR)
    untracked = as_of(make_person("Ana", history=[(datetime(2023, 12, 1, 12), "in")]), YEAR.day_before,
                      datetime(2023, 12, 1, 12), 0)
    assert came_back(untracked, Tally(1, 0, 0, 1, 0), YEAR)  # 396 days > 365


def test_new_people_are_met_or_first_touched_during_the_period():
    assert is_new(None, date(2025, 3, 1), YEAR)
    assert is_new(date(2025, 7, 1), None, YEAR)
    assert not is_new(date(2019, 1, 1), date(2025, 3, 1), YEAR)  # met long ago, first logged this year
    assert not is_new(None, None, YEAR)


def test_pledges_count_in_the_cadence_only_while_active():
    pledge = PledgeLink("Lumen", date(2025, 3, 1), 90)
    base = make_person("Noah", history=[(datetime(2024, 12, 20, 12), "out")], pledges=(pledge,))
    before, after = as_of(base, YEAR.day_before, datetime(2024, 12, 20, 12), 0), base
    assert not went_quiet(before, after, YEAR)  # no cadence on 31 Dec 2024: untracked then


# -- who reached out first ------------------------------------------------------------------------


def test_a_conversation_opens_after_more_than_a_week_of_silence():
    t = datetime(2025, 3, 1, 12)
    touches = [(t, "out"), (t + timedelta(days=2), "in"), (t + timedelta(days=9), "in"),
               (t + timedelta(days=16, minutes=1), "out"), (t + timedelta(days=40), "both")]
    assert openers(touches) == [(t, "out"), (t + timedelta(days=16, minutes=1), "out"), (t + timedelta(days=40), "both")]
    assert openers([]) == []


# -- strength at a past date ----------------------------------------------------------------------


def test_strength_at_a_date_rebuilt_from_the_interactions_is_the_engines():
    """The worked example of docs/engine.md: Camille's strength on 16 March 2026 is 83."""
    base = make_person("Camille Martin", history=[(when, d) for when, d, _c in HISTORY], known_since=date(2022, 9, 1),
                       outcomes=1)
    state, activity = state_at(base, HISTORY, [date(2025, 1, 1)], TODAY, 365)
    assert activity == Activity(4, 5, 3)
    assert health.strength(state, activity, TODAY) == 83
    # On 1 October 2025: last touch 5 Sep, first touch 15 Apr 2025, four interactions in the window.
    state, activity = state_at(base, HISTORY, [date(2026, 1, 1)], date(2025, 10, 1), 365)
    assert state.last_touch == datetime(2025, 9, 5, 8, 40) and state.outcomes == 0
    assert activity == Activity(2, 3, 2)
    # Before the first touch: nothing but the tenure since they met.
    state, activity = state_at(base, HISTORY, [], date(2025, 1, 1), 365)
    assert state.first_touch is None and state.last_touch is None and activity == Activity()


def test_why_names_what_moved_most():
    base = make_person("Ana", history=[(datetime(2024, 3, 1, 12), "out")], known_since=date(2020, 1, 1))
    before = as_of(base, YEAR.day_before, datetime(2024, 3, 1, 12), 0)
    after = as_of(base, YEAR.end, datetime(2025, 12, 20, 12), 0)
    grew = change(before, Activity(0, 1, 1), after, Activity(6, 6, 1), YEAR, 365)
    assert grew.delta > 0 and grew.why["kind"] == "recency" and grew.why["last_touch"] == "2025-12-20"
    more = change(after, Activity(1, 1, 1), after, Activity(6, 6, 1), YEAR, 365)
    assert more.why == {"kind": "frequency", "in_before": 1, "out_before": 1, "in_after": 6, "out_after": 6}
    wider = change(after, Activity(3, 3, 1), after, Activity(3, 3, 3), YEAR, 365)
    assert wider.why == {"kind": "breadth", "before": 1, "after": 3}
    lopsided = change(after, Activity(6, 6, 3), after, Activity(0, 12, 3), YEAR, 365)
    assert lopsided.delta < 0 and lopsided.why["kind"] == "reciprocity"
    new = change(as_of(make_person("Bo"), YEAR.day_before, None, 0), Activity(),
                 as_of(make_person("Bo", history=[(datetime(2025, 5, 1, 12), "in")]), YEAR.end,
                       datetime(2025, 5, 1, 12), 0), Activity(1, 0, 1), YEAR, 365)
    assert new.why == {"kind": "new", "first_touch": "2025-05-01"}


# -- the drift of this month ----------------------------------------------------------------------


def test_slipped_this_month():
    today = date(2026, 6, 15)
    # Cadence 30, grace 7: due 10 May → overdue from 18 May, within the last 30 days.
    assert slipped("overdue", date(2026, 5, 10), 30, date(2026, 4, 10), date(2024, 1, 1), today) == (
        "overdue", date(2026, 5, 18))
    # Overdue since 16 May is exactly 30 days ago: that was last month.
    assert slipped("overdue", date(2026, 5, 8), 30, date(2026, 4, 8), date(2024, 1, 1), today) is None
    assert slipped("overdue", date(2026, 5, 9), 30, date(2026, 4, 9), date(2024, 1, 1), today) == (
        "overdue", date(2026, 5, 17))
    # Dormant: the day after the last touch + max(365, 3 × cadence).
    assert slipped("dormant", date(2025, 6, 30), 30, date(2025, 6, 1), date(2024, 1, 1), today) == (
        "dormant", date(2026, 6, 2))
    assert slipped("dormant", None, 30, date(2025, 1, 1), date(2024, 1, 1), today) is None
    assert slipped("dormant", None, 30, None, date(2025, 6, 1), today) == ("dormant", date(2026, 6, 2))
    assert slipped("due", date(2026, 6, 10), 30, date(2026, 5, 11), date(2024, 1, 1), today) is None
    assert Period("year", date(2025, 1, 1), date(2025, 12, 31), 2025).days == 365
