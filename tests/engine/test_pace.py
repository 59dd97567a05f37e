"""Pace, proposals, catching up and the bands of Today: each rule at its edges."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from restons.engine import pace
from restons.engine.state import EventInfo, PledgeLink, World
from restons.engine.today import CLOSE, OTHERS, PROMISE, VALUED, band, entry_for

TODAY = date(2026, 6, 15)


def noon(y, m, d):
    return datetime(y, m, d, 12)


def window(pings: int, opened: int, until: date = date(2026, 6, 14), days: int = pace.PACE_DAYS) -> pace.Pace:
    return pace.Pace(until - timedelta(days=days - 1), until, pings, opened)


# -- load ----------------------------------------------------------------------------------------


def test_the_load_counts_the_people_you_track_and_nobody_else(person):
    people = [
        person("Own", cadence_days=20, circle_cadences=(90,), history=[(noon(2026, 6, 1), "both")]),  # own wins: 1/20
        person("Circle", circle_cadences=(60, 30), history=[(noon(2026, 6, 1), "both")]),  # shortest: 1/30
        person("Untracked", history=[(noon(2026, 6, 1), "both")]),
        person("Archived", archived=True, cadence_days=10, history=[(noon(2026, 6, 1), "both")]),
        person("Dormant", cadence_days=30, history=[(noon(2025, 6, 1), "both")]),  # 379 days: dormant
        person("Pledged", created_on=date(2026, 6, 1), pledges=(PledgeLink("Acme", date(2026, 6, 1), 90),)),  # 1/90
    ]
    assert pace.load(people, TODAY) == pytest.approx(1 / 20 + 1 / 30 + 1 / 90)
    assert [pace.asks(p, TODAY) for p in people[2:5]] == [0.0, 0.0, 0.0]


# -- pace ----------------------------------------------------------------------------------------


def test_the_pace_window_has_both_ends_and_counts_days_of_use():
    pings = {date(2026, 4, 19): 5, date(2026, 4, 20): 1, date(2026, 6, 14): 2, date(2026, 6, 15): 9}
    opened = {date(2026, 4, 19), date(2026, 4, 20), date(2026, 6, 15)}
    measured = pace.measure(pings, opened, date(2026, 6, 14))
    assert (measured.since, measured.days, measured.pings, measured.opened) == (date(2026, 4, 20), 56, 3, 1)
    assert measured.per_open_day == 3.0
    assert pace.measure({}, set(), date(2026, 6, 14)).per_open_day is None


@pytest.mark.parametrize("now, before, first, expected", [
    (window(35, 21), window(42, 24, date(2026, 5, 31)), date(2026, 4, 6), True),
    # Just back from two weeks away: the last eight weeks are below the load, the earlier ones were not.
    (window(35, 21), window(84, 40, date(2026, 5, 31)), date(2026, 4, 6), False),
    (window(84, 40), window(42, 24, date(2026, 5, 31)), date(2026, 4, 6), False),  # above it now
    (window(35, 21), window(42, 24, date(2026, 5, 31)), date(2026, 4, 7), False),  # used for less than ten weeks
    (window(35, 6), window(42, 24, date(2026, 5, 31)), date(2026, 4, 6), False),  # six days of use: too few
    (window(0, 21), window(42, 24, date(2026, 5, 31)), date(2026, 4, 6), False),  # no ping logged at all
    (window(35, 21), window(42, 24, date(2026, 5, 31)), None, False),  # Today never opened
])
def test_the_load_must_stay_above_the_pace(now, before, first, expected):
    assert pace.strained(1.2, now, before, first) is expected


# -- proposals -----------------------------------------------------------------------------------


def advise(people, circles, now_pings=35, before_pings=42):
    return pace.advise(people, circles, TODAY, window(now_pings, 21), window(before_pings, 24, date(2026, 5, 31)),
                       date(2026, 1, 5))


def test_no_proposal_while_the_cadences_fit(person):
    people = [person("Ana", id=1, circle_cadences=(30,), history=[(noon(2026, 6, 1), "both")])]
    advice = advise(people, [pace.CircleInfo(1, "Family", 30, (1,))])
    assert (advice.strained, advice.proposals, advice.load_after) == (False, (), advice.load)


def test_proposals_stop_at_the_target_and_spare_promises_and_close_circles(person):
    # GIVEN 30 people every 7 days (close), two who never answer — one of them pledged —, and a distant circle
    close = [person(f"Close {i}", id=i, circle_cadences=(7,), history=[(noon(2026, 6, 14), "both")])
             for i in range(1, 31)]
    pledged = person("Pledged ghost", id=40, circle_cadences=(180,),
                     pledges=(PledgeLink("Acme", date(2026, 6, 1), 90),),
                     history=[(noon(2026, 6, d), "out") for d in (1, 5, 10)])
    ghost = person("Ghost", id=41, circle_cadences=(180,), history=[(noon(2026, 6, d), "out") for d in (1, 5, 10)])
    distant = [person(f"Far {i}", id=100 + i, circle_cadences=(180,), history=[(noon(2026, 6, 1), "out")])
               for i in range(20)]
    circles = [pace.CircleInfo(1, "Close", 7, tuple(range(1, 31))),
               pace.CircleInfo(2, "Far", 180, (40, 41) + tuple(100 + i for i in range(20)))]
    # WHEN the pace (0.625 a day) is far below the load (30/7 ≈ 4.29 a day)
    advice = advise(close + [pledged, ghost] + distant, circles)
    # THEN the ghost is untracked (not the pledged one: a promise), the distant circle goes to a year,
    # and the close circle is left alone although the target is not reached
    assert [p.id for p in advice.proposals] == ["untrack-41", "circle-2-365"]
    # The circle's people but the ghost, already untracked, and the pledged one, whose pledge asks more often.
    assert advice.proposals[1].people == 20
    assert advice.load_after > advice.target
    # With a pace that the two changes satisfy, the proposals stop as soon as the target is met.
    small = advise([pledged, ghost] + distant, [circles[1]], now_pings=7, before_pings=7)
    assert 0.8 * 7 / 56 >= small.load_after and [p.id for p in small.proposals][0] == "untrack-41"


def test_a_ghost_who_once_answered_gets_the_guards_cadence_up_to_a_year(person):
    def ghost(pid, every):
        return person(f"Ghost {every}", id=pid, cadence_days=every,
                      history=[(noon(2025, 1, 1), "in")] + [(noon(2026, 6, d), "out") for d in (1, 5, 10)])

    people = [ghost(1, 20), ghost(2, 250), ghost(3, 365)]
    advice = advise(people, [], now_pings=1, before_pings=1)
    # 20 → 40 days; 250 → 365 would be less than half as long again, and 365 cannot grow: no proposal.
    assert [(p.id, p.kind, p.streak) for p in advice.proposals] == [("person-1-40", "person", 3)]


def test_circles_climb_least_mutual_first_then_the_longest(person):
    def member(pid, every, direction):
        return person(f"P{pid}", id=pid, circle_cadences=(every,), history=[(noon(2026, 6, 1), direction)])

    people = [member(1, 90, "both"), member(2, 90, "out"), member(3, 120, "out"), member(4, 120, "out")]
    circles = [pace.CircleInfo(10, "Half mutual", 90, (1, 2)), pace.CircleInfo(11, "One-way", 120, (3, 4))]
    advice = advise(people, circles, now_pings=1, before_pings=1)
    assert [p.id for p in advice.proposals] == ["circle-11-365", "circle-10-365"]


# -- catching up ---------------------------------------------------------------------------------


def opening(m, d, overdue):
    return pace.Opening(date(2026, m, d), overdue)


def test_a_week_away_is_a_return_six_days_are_not():
    assert pace.came_back([opening(6, 1, 2), opening(6, 8, 5)], date(2026, 6, 8)) is None  # 6 days without
    assert pace.came_back([opening(6, 1, 2), opening(6, 9, 5)], date(2026, 6, 9)) == (opening(6, 1, 2), opening(6, 9, 5))
    # The latest return counts, for a month after it.
    openings = [opening(3, 1, 0), opening(3, 20, 9), opening(5, 1, 1), opening(5, 20, 7), opening(5, 21, 6)]
    assert pace.came_back(openings, date(2026, 6, 18)) == (opening(5, 1, 1), opening(5, 20, 7))
    assert pace.came_back(openings, date(2026, 6, 19)) is None


def test_catching_up_lasts_while_more_are_overdue_than_when_you_left():
    now = window(42, 21)
    openings = [opening(5, 29, 4), opening(6, 15, 16)]
    assert pace.catch_up(openings, TODAY, now, 5).days == 16
    assert pace.catch_up(openings + [opening(6, 16, 4)], date(2026, 6, 16), now, 5) is None  # back where you were
    assert pace.catch_up(openings + [opening(6, 16, 5)], date(2026, 6, 16), now, 5).behind == 1
    assert pace.catch_up(openings, date(2026, 6, 16), now, 5) is None  # Today not opened yet on the 16th
    every_day = [pace.Opening(date(2026, 6, 15) + timedelta(days=k), 10) for k in range(31)]
    assert pace.catch_up(openings[:1] + every_day, date(2026, 7, 14), now, 5).behind == 6
    assert pace.catch_up(openings[:1] + every_day, date(2026, 7, 15), now, 5) is None  # a month on


@pytest.mark.parametrize("pings, opened, shown, days", [
    (42, 21, 2, 16),  # 2.0 a day of use; 12 behind ÷ 0.75 a day
    (43, 21, 3, 16),  # 2.05 a day of use: rounded up
    (10, 25, 1, 68),  # 0.4 a day of use: at least one
    (400, 50, 5, 2),  # 8 a day of use: at most Today's size
    (0, 0, 5, 3),  # nothing to go on: Today's size, and 12 ÷ 5
])
def test_the_list_while_catching_up_is_your_usual_day(pings, opened, shown, days):
    catching = pace.catch_up([opening(5, 29, 4), opening(6, 15, 16)], TODAY, window(pings, opened), 5)
    assert (catching.per_day, catching.days) == (shown, days)


# -- bands ---------------------------------------------------------------------------------------


def test_due_is_pressing_only_in_the_second_half_of_grace(person):
    world = World(TODAY)

    def due_since(days, every=30):  # grace: 7 days for 30, 22 for 90
        last = TODAY - timedelta(days=every + days)
        return person("X", circle_cadences=(every,), history=[(datetime.combine(last, datetime.min.time()), "both")])

    assert [entry_for(due_since(d), world).band for d in (0, 3, 4, 7, 8)] == [OTHERS, OTHERS, CLOSE, CLOSE, CLOSE]
    assert [entry_for(due_since(d, 90), world).band for d in (10, 11, 23)] == [OTHERS, VALUED, VALUED]


def test_bands(person):
    world = World(TODAY, events=(EventInfo("Game", date(2026, 6, 18), frozenset({"football"})),))

    def band_of(p):
        entry = entry_for(p, world)
        return band(p, entry.reasons, world)

    window_open = PledgeLink("Acme", date(2026, 6, 1), 90)  # first pings by 15 June: today, still open
    closed = PledgeLink("Acme", date(2026, 5, 31), 90)  # by 14 June
    fresh = date(2026, 5, 1)
    assert band_of(person("Pledged", created_on=fresh, pledges=(window_open,))) == PROMISE
    assert band_of(person("Pledged late", created_on=fresh, pledges=(closed,))) == OTHERS  # distant (90), silent
    assert band_of(person("Pledged late, close", circle_cadences=(30,), pledges=(closed,),
                          history=[(noon(2026, 5, 1), "both")])) == CLOSE
    overdue_far = [(noon(2026, 1, 1), "out")]
    assert band_of(person("Far", circle_cadences=(90,), history=overdue_far)) == OTHERS
    assert band_of(person("Far, an outcome", circle_cadences=(90,), outcomes=1, history=overdue_far)) == VALUED
    assert band_of(person("Far, wrote", circle_cadences=(90,),
                          history=[(noon(2025, 1, 1), "out"), (noon(2026, 6, 10), "in")])) == VALUED
    assert band_of(person("Untracked, wrote", history=[(noon(2026, 6, 10), "in")])) == OTHERS
    # A game alone is a welcome hook, never pressing, however close.
    assert band_of(person("Close, on track", circle_cadences=(30,), interests=frozenset({"football"}),
                          history=[(noon(2026, 5, 20), "both")])) == OTHERS
