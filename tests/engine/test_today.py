"""The Today list: cap, ranking, exclusions, ties and the ghosting guard."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from restons.engine.state import EventInfo, PledgeLink, World
from restons.engine.today import (
    CLOSE, GHOSTING_FACTOR, OTHERS, UNTRACKED_FACTOR, eligible, plan_today, priority, urgency, value,
)
from restons.engine.reasons import reasons

TODAY = date(2026, 3, 16)


def at(y, m, d, hour=12):
    return datetime(y, m, d, hour)


def names(entries):
    return [e.person.name for e in entries]


@pytest.fixture
def crowd(person):
    """A crafted set of people; the expected score of each is in the comment."""
    return [
        # untracked, they wrote 6 days ago: (0 + 3) x 1.3 x 0.5 (untracked) = 1.95
        person("Ana Lopes", id=1, history=[(at(2026, 3, 10), "in")]),
        # 30 days overdue, met in January: (2 + 30/30) x 1.5 = 4.5
        person("Bruno Petit", id=2, cadence_days=30, history=[(at(2026, 1, 15), "both")]),
        # due today, only you write: (1 + 0) x 1.0 = 1.0
        person("Chloé Roux", id=3, cadence_days=30, history=[(at(2026, 2, 14), "out")]),
        # pledge not yet kept, touched before it: (0 + 3) x 1.0 = 3.0
        person(
            "David Blanc", id=4, pledges=(PledgeLink("Acme", date(2026, 3, 1), 90),),
            history=[(at(2026, 2, 20), "out")],
        ),
        # on track (due 31 March), mutual, two outcomes, a circle, an event in her last quarter-cadence:
        # (0 + 1.5) x 2.1 = 3.15
        person(
            "Emma Garnier", id=5, cadence_days=60, circles=("Friends",), circle_cadences=(90,), outcomes=2,
            interests=frozenset({"jazz"}), history=[(at(2026, 1, 30), "both")],
        ),
        # ghosting: 13 days overdue, 3 unanswered pings: (2 + 13/30) x 1.5 x 0.5 = 1.825
        person(
            "Farid Haddad", id=6, cadence_days=30,
            history=[(at(2025, 12, 1), "in"), (at(2026, 1, 5), "out"), (at(2026, 1, 20), "out"), (at(2026, 2, 1), "out")],
        ),
        # snoozed until today, though a reply is owed
        person("Gabriel Faure", id=7, snoozed_until=TODAY, history=[(at(2026, 3, 1), "in")]),
        # archived, though overdue
        person("Hélène Morel", id=8, archived=True, cadence_days=7, history=[(at(2026, 1, 1), "out")]),
        # on track, nothing to say
        person("Inès Bernard", id=9, cadence_days=30, history=[(at(2026, 3, 10), "both")]),
        # on track and touched last week: the event is no reason to ping again yet
        person(
            "Jules Renard", id=10, cadence_days=60, interests=frozenset({"jazz"}), history=[(at(2026, 3, 9), "both")],
        ),
    ]


@pytest.fixture
def world():
    return World(TODAY, events=(EventInfo("Jazz night", date(2026, 3, 20), frozenset({"jazz"})),))


def test_exact_ranking(crowd, world):
    entries = plan_today(crowd, world, limit=10)
    # Close and overdue (Bruno, Farid) first; then, in the last band, by score: an event alone (Emma),
    # a pledge whose window closed on 15 March with a one-way tie (David), an untracked reply (Ana),
    # and Chloé, due today with a week of grace left.
    assert names(entries) == ["Bruno Petit", "Farid Haddad", "Emma Garnier", "David Blanc", "Ana Lopes", "Chloé Roux"]
    assert [e.band for e in entries] == [CLOSE, CLOSE, OTHERS, OTHERS, OTHERS, OTHERS]
    assert [e.score for e in entries] == [4.5, 1.825, 3.15, 3.0, 1.95, 1.0]


def test_cap(crowd, world):
    assert names(plan_today(crowd, world)) == ["Bruno Petit", "Farid Haddad", "Emma Garnier", "David Blanc", "Ana Lopes"]
    assert names(plan_today(crowd, world, limit=2)) == ["Bruno Petit", "Farid Haddad"]
    assert plan_today(crowd, world, limit=0) == []


def test_cap_with_many_overdue_people(person):
    people = [person(f"Person {i:02d}", id=i, cadence_days=30, history=[(at(2026, 1, 1 + i), "out")]) for i in range(20)]
    entries = plan_today(people, World(TODAY))
    assert len(entries) == 5
    # The longest overdue first.
    assert names(entries) == [f"Person {i:02d}" for i in range(5)]


def test_entry_fields(crowd, world):
    bruno = plan_today(crowd, world)[0]
    assert [r.kind for r in bruno.reasons] == ["overdue"]
    assert bruno.next_due == date(2026, 2, 14)
    assert bruno.suggested_cadence_days is None
    ana = plan_today(crowd, world)[4]
    assert ana.person.name == "Ana Lopes" and ana.next_due is None


def test_snoozed_and_archived_never_appear(crowd, world):
    listed = names(plan_today(crowd, world, limit=100))
    assert "Gabriel Faure" not in listed and "Hélène Morel" not in listed
    gabriel, helene = crowd[6], crowd[7]
    assert not eligible(gabriel, TODAY)
    assert eligible(gabriel, date(2026, 3, 17))  # the snooze ends after its last day
    assert not eligible(helene, TODAY) and not eligible(helene, date(2030, 1, 1))
    assert "Gabriel Faure" in names(plan_today(crowd, World(date(2026, 3, 17)), limit=100))


def test_people_without_reasons_do_not_appear(crowd, world):
    assert "Inès Bernard" not in names(plan_today(crowd, world, limit=100))


def test_ties_are_stable(person):
    # Same score: earlier next due first, then name, then id.
    a = person("Zoé Martin", id=30, cadence_days=30, history=[(at(2026, 2, 1), "out")])  # due 3 Mar
    b = person("Yann Martin", id=31, cadence_days=60, history=[(at(2026, 1, 2), "out")])  # due 3 Mar
    c = person("Yann Martin", id=29, cadence_days=30, history=[(at(2026, 2, 1), "out")])
    d = person("Xavier Martin", id=40, cadence_days=30, history=[(at(2026, 2, 2), "out")])  # due 4 Mar
    assert urgency(a, TODAY) == urgency(c, TODAY)
    world = World(TODAY)
    for order in ([a, b, c, d], [d, c, b, a], [b, d, a, c]):
        entries = plan_today(order, world, limit=10)
        scores = {e.person.id: e.score for e in entries}
        assert scores[30] == scores[29]
        expected = sorted(entries, key=lambda e: (-e.score, e.next_due, e.person.name, e.person.id))
        assert [e.person.id for e in entries] == [e.person.id for e in expected]
    same = [person("Same Name", id=i, cadence_days=30, history=[(at(2026, 2, 1), "out")]) for i in (9, 3, 5)]
    assert [e.person.id for e in plan_today(same, world)] == [3, 5, 9]


def test_ghosting_guard_lowers_and_proposes_a_cadence(person):
    # GIVEN two people alike but for one answer: Zacharie joined a call on 20 January
    def history(middle):
        return [(at(2025, 12, 1), "in"), (at(2026, 1, 5), "out"), (at(2026, 1, 20), middle), (at(2026, 2, 1), "out")]

    ghosting = person("Aline Vidal", id=50, cadence_days=30, history=history("out"))
    answered = person("Zacharie Vidal", id=51, cadence_days=30, history=history("both"))
    assert (ghosting.out_streak, answered.out_streak) == (3, 1)
    # WHEN Today is planned
    entries = plan_today([ghosting, answered], World(TODAY))
    # THEN the one whose last three pings got no answer comes second, at half the score
    assert names(entries) == ["Zacharie Vidal", "Aline Vidal"]
    assert entries[1].score == entries[0].score * GHOSTING_FACTOR == round((2 + 13 / 30) * 1.5 * 0.5, 4)
    assert entries[1].suggested_cadence_days == 60
    assert entries[0].suggested_cadence_days is None


def test_ghosting_guard_proposes_no_cadence_when_untracked(person, world):
    p = person(
        interests=frozenset({"jazz"}),
        history=[(at(2026, 1, 1), "out"), (at(2026, 1, 15), "out"), (at(2026, 2, 9), "out")],
    )
    (entry,) = plan_today([p], world)
    assert entry.score == 1.5 * 1.0 * GHOSTING_FACTOR * UNTRACKED_FACTOR
    assert entry.suggested_cadence_days is None


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 3, 2), 0.0),  # before the due date
        (date(2026, 3, 3), 1.0),  # due
        (date(2026, 3, 6), 1.0 + 0.5 * 3 / 7),
        (date(2026, 3, 10), 1.5),  # last day of grace
        (date(2026, 3, 11), 2.0 + 8 / 30),  # overdue
        (date(2026, 5, 2), 4.0),  # 60 days late: capped at twice the cadence
        (date(2026, 8, 1), 4.0),
    ],
)
def test_urgency_curve(person, day, expected):
    p = person(cadence_days=30, history=[(at(2026, 2, 1), "out")])
    assert urgency(p, day) == pytest.approx(expected)


def test_urgency_is_zero_when_untracked(person):
    assert urgency(person(history=[(at(2020, 1, 1), "out")]), TODAY) == 0.0


def test_value(person):
    assert value(person(), TODAY, 365) == 1.0
    assert value(person(history=[(at(2026, 3, 1), "in")]), TODAY, 365) == 1.3
    assert value(person(history=[(at(2026, 3, 1), "out")]), TODAY, 365) == 1.0
    best = person(circles=("Friends",), outcomes=7, history=[(at(2026, 3, 1), "both")])
    assert value(best, TODAY, 365) == pytest.approx(2.3)


def test_priority_formula(person):
    p = person(cadence_days=30, outcomes=1, history=[(at(2026, 1, 1), "in"), (at(2026, 1, 31), "out")])
    world = World(TODAY)  # due 2 March, 14 days late, grace 7
    found = reasons(p, world)
    assert [r.kind for r in found] == ["overdue"]
    assert priority(p, found, world) == round((2 + 14 / 30) * (1 + 0.5 + 0.2), 4)


def test_dormant_mutual_person_appears_to_reconnect(person):
    p = person("Old Friend", cadence_days=30, history=[(at(2024, 6, 1), "both")])
    entries = plan_today([p], World(TODAY))
    assert [r.kind for r in entries[0].reasons] == ["reconnect"]


def test_a_live_overdue_friend_comes_before_a_dormant_acquaintance(person):
    """Dormant relationships count little urgency: their reconnect hook brings them up, after live ones."""
    dormant = person("Old Colleague", cadence_days=30, history=[(at(2024, 6, 1), "in"), (at(2024, 6, 2), "out")])
    overdue = person("Close Friend", cadence_days=30, history=[(at(2026, 1, 20), "in"), (at(2026, 1, 25), "out")])
    assert urgency(dormant, TODAY) == 0.5
    assert [e.person.name for e in plan_today([dormant, overdue], World(TODAY))] == ["Close Friend", "Old Colleague"]
