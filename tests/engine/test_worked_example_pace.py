"""The worked examples of docs/engine.md for priorities under pressure, pace and catching up, number by number.

If this test changes, change the document too. Time is the examples' Monday 15 June 2026.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from restons.engine import pace
from restons.engine.state import EventInfo, PledgeLink, World
from restons.engine.today import CLOSE, OTHERS, PROMISE, VALUED, plan_today

TODAY = date(2026, 6, 15)
CUP_FINAL = EventInfo("Cup final", date(2026, 6, 20), frozenset({"football"}))


def noon(y, m, d):
    return datetime(y, m, d, 12)


# -- Priorities under pressure ------------------------------------------------------------------


@pytest.fixture
def pressed(person):
    """Seven people with a reason on 15 June 2026; the example's numbers are in the comments."""
    return [
        # Family, 30 days, met on 5 May: due 4 June, 11 days late, overdue.
        person("Ana", id=1, circles=("Family",), circle_cadences=(30,), history=[(noon(2026, 5, 5), "both")]),
        # Alumni, 90 days, only you write: 44 days overdue, and the Cup final on Saturday.
        person("Bruno", id=2, circles=("Alumni",), circle_cadences=(90,), interests=frozenset({"football"}),
               history=[(noon(2026, 2, 1), "out")]),
        # Alumni, 90 days, met on 1 March: due 30 May, 16 days into 22 days of grace.
        person("Chloé", id=3, circles=("Alumni",), circle_cadences=(90,), history=[(noon(2026, 3, 1), "both")]),
        # Pledged on 8 June (Lumen Agency): first ping by 22 June; you last wrote on 10 May.
        person("David", id=4, pledges=(PledgeLink("Lumen Agency", date(2026, 6, 8), 90),),
               history=[(noon(2026, 5, 10), "out")]),
        # Untracked; she wrote on 10 June.
        person("Emma", id=5, history=[(noon(2026, 6, 10), "in")]),
        # Family: due 10 June, 5 days into 7 days of grace.
        person("Farid", id=6, circles=("Family",), circle_cadences=(30,), history=[(noon(2026, 5, 11), "both")]),
        # Family: due today.
        person("Gaspard", id=7, circles=("Family",), circle_cadences=(30,), history=[(noon(2026, 5, 16), "both")]),
    ]


def test_priorities_under_pressure(pressed):
    entries = plan_today(pressed, World(TODAY, events=(CUP_FINAL,)), limit=10)
    assert [(e.person.name, e.band, e.score) for e in entries] == [
        ("David", PROMISE, 3.0),  # (0 + 3) × 1.0
        ("Ana", CLOSE, 4.0233),  # (2 + 11/30) × 1.7
        ("Farid", CLOSE, 2.3071),  # (1 + 0.5 × 5/7) × 1.7: the second half of grace is pressing
        ("Chloé", VALUED, 2.3182),  # (1 + 0.5 × 16/22) × 1.7: mutual, second half of grace
        ("Bruno", OTHERS, 4.7867),  # (2 + 44/90 + 1.5) × 1.2: distant, one-way
        ("Emma", OTHERS, 1.95),  # (0 + 3) × 1.3 × 0.5: untracked
        ("Gaspard", OTHERS, 1.7),  # (1 + 0) × 1.7: a week of grace left
    ]
    # With Today's five a day, Bruno, Emma and Gaspard wait; ranked by score alone Bruno would
    # come first and Farid would fall off the list two days before he is late.
    assert [e.person.name for e in plan_today(pressed, World(TODAY, events=(CUP_FINAL,)), limit=3)] == [
        "David", "Ana", "Farid"]
    by_score = sorted(entries, key=lambda e: -e.score)
    assert [e.person.name for e in by_score[:3]] == ["Bruno", "Ana", "David"]


# -- Pace and proposals -------------------------------------------------------------------------

FAMILY, FRIENDS, ALUMNI, NETWORK = 1, 2, 3, 4


@pytest.fixture
def network(person):
    """3 + 6 + 45 + 90 people in four circles; Hugo and Iris do not answer."""
    people, members = [], {FAMILY: [], FRIENDS: [], ALUMNI: [], NETWORK: []}

    def add(circle, every, index, name=None, **fields):
        who = person(name or f"{circle}-{index:02d}", id=100 * circle + index, created_on=date(2026, 1, 1),
                     circles=(str(circle),), circle_cadences=(every,), **fields)
        people.append(who)
        members[circle].append(who.id)

    for i in range(3):
        add(FAMILY, 30, i, history=[(noon(2026, 6, 1), "both")])
    for i in range(5):
        add(FRIENDS, 60, i, history=[(noon(2026, 6, 1), "both")])
    # Iris wrote once, in 2025, and your last three pings went unanswered.
    add(FRIENDS, 60, 5, name="Iris", history=[(noon(2025, 3, 1), "in"), (noon(2026, 2, 1), "out"),
                                               (noon(2026, 4, 1), "out"), (noon(2026, 6, 1), "out")])
    for i in range(45):  # 27 of 45 mutual: 60 %
        add(ALUMNI, 90, i, history=[(noon(2026, 6, 1), "both" if i < 27 else "out")])
    for i in range(89):  # 9 of 90 mutual: 10 %
        add(NETWORK, 180, i, history=[(noon(2026, 6, 1), "both" if i < 9 else "out")])
    # Hugo never wrote; four pings of yours went unanswered.
    add(NETWORK, 180, 89, name="Hugo", history=[(noon(2025, 9, 1), "out"), (noon(2025, 12, 1), "out"),
                                                 (noon(2026, 3, 1), "out"), (noon(2026, 6, 1), "out")])
    circles = [pace.CircleInfo(FAMILY, "Family", 30, tuple(members[FAMILY])),
               pace.CircleInfo(FRIENDS, "Friends", 60, tuple(members[FRIENDS])),
               pace.CircleInfo(ALUMNI, "Alumni", 90, tuple(members[ALUMNI])),
               pace.CircleInfo(NETWORK, "Network", 180, tuple(members[NETWORK]))]
    return people, circles


def history_of_use():
    """Your pings per day and the days you opened Today, 6 April to 14 June 2026."""
    pings, opened = {}, set()
    for day, count in ([(date(2026, 4, 6) + timedelta(days=2 * k), 2) for k in range(7)]  # 6–18 April: 14
                       + [(date(2026, 4, 20) + timedelta(days=3 * k), 2) for k in range(14)]  # 20 April–28 May: 28
                       + [(date(2026, 6, 1) + timedelta(days=2 * k), 1) for k in range(6)]  # 1–11 June: 6
                       + [(date(2026, 6, 13), 1)]):  # and one on 13 June
        pings[day] = count
        opened.add(day)
    return pings, opened


def test_pace(network):
    people, circles = network
    assert pace.load(people, TODAY) == pytest.approx(3 / 30 + 6 / 60 + 45 / 90 + 90 / 180) == pytest.approx(1.2)
    pings, opened = history_of_use()
    now = pace.measure(pings, opened, TODAY - timedelta(days=1))
    before = pace.measure(pings, opened, TODAY - timedelta(days=15))
    assert (now.since, now.until, now.pings, now.opened) == (date(2026, 4, 20), date(2026, 6, 14), 35, 21)
    assert (now.per_day, round(now.per_open_day, 2)) == (0.625, 1.67)
    assert (before.since, before.until, before.pings, before.per_day) == (date(2026, 4, 6), date(2026, 5, 31), 42, 0.75)
    assert pace.strained(1.2, now, before, first_opened=date(2026, 4, 6))
    # One day less of use and it would not judge: the earlier window starts on 6 April.
    assert not pace.strained(1.2, now, before, first_opened=date(2026, 4, 7))


def test_proposals(network):
    people, circles = network
    pings, opened = history_of_use()
    now = pace.measure(pings, opened, date(2026, 6, 14))
    before = pace.measure(pings, opened, date(2026, 5, 31))
    advice = pace.advise(people, circles, TODAY, now, before, date(2026, 4, 6))
    assert advice.strained and advice.target == 0.5
    assert [(p.id, p.from_days, p.to_days, p.people, p.saving) for p in advice.proposals] == [
        ("untrack-489", 180, None, 1, 0.0056),  # Hugo: 1/180
        ("person-205-120", 60, 120, 1, 0.0083),  # Iris: 1/60 − 1/120
        ("circle-4-365", 180, 365, 89, 0.2506),  # Network, 10 % mutual, first: 89 × (1/180 − 1/365)
        ("circle-3-365", 90, 365, 45, 0.3767),  # then Alumni, 60 % mutual: 45 × (1/90 − 1/365)
    ]
    assert [p.name for p in advice.proposals[:2]] == ["Hugo", "Iris"]
    assert round(advice.load_after, 4) == 0.5588  # still above 0.5: close circles are never proposed
    assert round(advice.close_load, 4) == 0.2


# -- Back from holiday --------------------------------------------------------------------------


@pytest.fixture
def back_home(person):
    return [
        # Family: met on 6 April, 40 days overdue: (2 + 40/30) × 1.7
        person("Ana", id=1, circles=("Family",), circle_cadences=(30,), history=[(noon(2026, 4, 6), "both")]),
        # Family: met on 1 May; she wrote on 5 June, you have not answered: (0 + 3) × 1.7
        person("Jeanne", id=2, circles=("Family",), circle_cadences=(30,),
               history=[(noon(2026, 5, 1), "both"), (noon(2026, 6, 5), "in")]),
        # Family: met on 20 April, 26 days overdue: (2 + 26/30) × 1.7
        person("Farid", id=3, circles=("Family",), circle_cadences=(30,), history=[(noon(2026, 4, 20), "both")]),
        # Untracked, she wrote on 10 June: (0 + 3) × 1.3 × 0.5
        person("Emma", id=4, history=[(noon(2026, 6, 10), "in")]),
    ]


def test_back_from_holiday(back_home):
    openings = [pace.Opening(date(2026, 5, 27), 3), pace.Opening(date(2026, 5, 29), 4),
                pace.Opening(date(2026, 6, 15), 16)]
    pings = {date(2026, 4, 20) + timedelta(days=k): 2 for k in range(0, 40, 2)}  # 20 days of use, 40 pings
    pings[date(2026, 5, 29)] = 2  # 42 pings on 21 days of use
    opened = set(pings)
    now = pace.measure(pings, opened, date(2026, 6, 14))
    assert (now.pings, now.opened, now.per_day, now.per_open_day) == (42, 21, 0.75, 2.0)
    catching = pace.catch_up(openings, TODAY, now, limit=5)
    assert catching == pace.CatchUp(since=date(2026, 6, 15), away_days=16, before=4, overdue=16, per_day=2, days=16)
    assert catching.behind == 12  # 12 ÷ 0.75 = 16 days

    ranked = plan_today(back_home, World(TODAY), limit=10)
    assert [(e.person.name, e.band, e.score) for e in ranked] == [
        ("Ana", CLOSE, 5.6667), ("Jeanne", CLOSE, 5.1), ("Farid", CLOSE, 4.8733), ("Emma", OTHERS, 1.95)]
    assert [e.person.name for e in pace.catch_up_order(ranked, None)[:2]] == ["Ana", "Jeanne"]
    # Replies owed first within each band: Jeanne, then Ana; Emma's reply does not pass them.
    assert [e.person.name for e in pace.catch_up_order(ranked, catching)] == ["Jeanne", "Ana"]
    assert [e.person.name for e in pace.catch_up_order(ranked, catching, 4)] == ["Jeanne", "Ana", "Farid", "Emma"]


def test_the_pace_line():
    from django.utils import translation

    from restons.labels import pace_line

    with translation.override("en"):
        assert pace_line(1.2, 0.625) == "Your cadences ask for 1.2 pings a day; you manage 0.62."
        assert pace_line(92.5, 1235.94) == "Your cadences ask for 92.5 pings a day; you manage 1,235.9."
    with translation.override("fr"):
        assert pace_line(92.5, 1235.94).endswith("vous en faites 1\u00a0235,9.")
