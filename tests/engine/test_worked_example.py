"""The worked examples of docs/engine.md, number by number.

If this test changes, change the document too.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from django.utils import translation

from restons.engine.cadence import effective_cadence, grace_days, next_due, status
from restons.engine.health import reciprocity, strength
from restons.engine.reasons import card, reasons
from restons.engine.state import ContentInfo, EventInfo, PledgeLink, World
from restons.engine.today import plan_today, urgency, value
from restons.engine.wording import draft, reason_text

TODAY = date(2026, 3, 16)
HISTORY = [
    (datetime(2025, 4, 15, 9, 0), "out", "email"),
    (datetime(2025, 6, 12, 12, 30), "both", "meeting"),
    (datetime(2025, 9, 3, 18, 5), "out", "email"),
    (datetime(2025, 9, 5, 8, 40), "in", "email"),
    (datetime(2025, 11, 20, 21, 15), "out", "text"),
    (datetime(2026, 1, 8, 19, 0), "in", "text"),
    (datetime(2026, 1, 10, 10, 0), "out", "text"),
    (datetime(2026, 2, 2, 22, 47), "in", "email"),
]
JAZZ_NIGHT = EventInfo("Nantes jazz night", date(2026, 3, 20), frozenset({"jazz"}))


@pytest.fixture
def camille(person):
    return person(
        "Camille Martin",
        id=7,
        history=[(when, direction) for when, direction, _channel in HISTORY],
        created_on=date(2024, 1, 15),
        known_since=date(2022, 9, 1),
        cadence_days=30,
        circles=("Agency alumni",),
        circle_cadences=(90,),
        interests=frozenset({"jazz"}),
        outcomes=1,
        last_in_note="Photos from the Lyon trip",
    )


def test_cadence_and_status(camille):
    assert effective_cadence(camille, TODAY) == 30
    assert grace_days(30) == 7
    assert next_due(camille, TODAY) == date(2026, 3, 4)
    assert status(camille, date(2026, 3, 3)) == "on-track"
    assert status(camille, date(2026, 3, 4)) == "due"
    assert status(camille, date(2026, 3, 11)) == "due"
    assert status(camille, date(2026, 3, 12)) == "overdue"
    assert status(camille, TODAY) == "overdue"
    assert status(camille, date(2027, 2, 2)) == "overdue"
    assert status(camille, date(2027, 2, 3)) == "dormant"


def test_reciprocity_and_strength(camille, activity_of):
    assert reciprocity(camille, TODAY) == "mutual"
    counts = activity_of(HISTORY, TODAY)
    assert (counts.interactions_in, counts.interactions_out, counts.channels) == (4, 5, 3)
    recency = 30 * (1 - 42 / 365)
    frequency = 25 * 9 / 12
    balance = 20 * (0.5 + 0.5 * 4 / 5)
    breadth = 10 * 3 / 3
    tenure = 10 * (1292 / 365.25) / 5
    outcomes = 5 * 1 / 2
    assert [round(x, 2) for x in (recency, frequency, balance, breadth, tenure, outcomes)] == [
        26.55, 18.75, 18.0, 10.0, 7.07, 2.5,
    ]
    assert strength(camille, counts, TODAY) == round(recency + frequency + balance + breadth + tenure + outcomes) == 83


def test_reasons_and_priority(camille):
    world = World(TODAY, events=(JAZZ_NIGHT,))
    found = reasons(camille, world)
    assert [(r.kind, r.data) for r in found] == [
        ("reply-owed", {"since": date(2026, 2, 2), "days": 42, "note": "Photos from the Lyon trip"}),
        ("event", {"title": "Nantes jazz night", "on": date(2026, 3, 20), "topic": "jazz", "in": 4}),
        ("overdue", {"days": 12, "last_touch": date(2026, 2, 2), "note": "Photos from the Lyon trip"}),
    ]
    assert urgency(camille, TODAY) == pytest.approx(2.4)
    assert value(camille, TODAY, 365) == pytest.approx(1.9)
    (entry,) = plan_today([camille], world)
    assert entry.score == 13.11
    with translation.override("en"):
        assert [reason_text(r) for r in card(entry.reasons)] == [
            "They reached out 42 days ago and are waiting for your reply",
            "Nantes jazz night is on Friday 20 March; they follow jazz",
            "12 days overdue; last in touch on 2 February 2026",
        ]
        assert draft(camille.name, card(entry.reasons)) == (
            "Hi Camille, thank you for your message “Photos from the Lyon trip”, and sorry for the slow reply! "
            "Nantes jazz night is on Friday 20 March. Are you going? It made me think of you."
        )


def test_after_replying(camille):
    # You answer her at 20:00 on 16 March: the clock restarts and no reply is owed.
    replied = dataclasses.replace(
        camille, last_touch=datetime(2026, 3, 16, 20, 0), last_out=datetime(2026, 3, 16, 20, 0), out_streak=1
    )
    world = World(TODAY, events=(JAZZ_NIGHT,))
    assert next_due(replied, TODAY) == date(2026, 4, 15)
    assert status(replied, TODAY) == "on-track"
    # Just back in touch: the jazz night is no reason to write again yet, so she leaves Today.
    assert reasons(replied, world) == []
    assert plan_today([replied], world) == []


# -- Suzanne: the most specific hook leads ------------------------------------------------------

GAMES = (
    EventInfo("Vikings vs Packers", date(2026, 3, 22), frozenset({"football"})),
    EventInfo("Gophers vs Iowa", date(2026, 3, 21), frozenset({"football"})),
)
ISSUE = ContentInfo(31, "Issue 31: the press kit", date(2026, 3, 12), "newsletter", frozenset({"pr"}))


@pytest.fixture
def suzanne(person):
    return person(
        "Suzanne Olsen",
        id=8,
        history=[(datetime(2025, 11, 20, 18, 0), "out"), (datetime(2025, 12, 2, 9, 15), "in")],
        created_on=date(2024, 5, 1),
        circles=("Twin Cities friends",),
        circle_cadences=(60,),
        pledges=(PledgeLink("Lumen Agency", date(2026, 3, 1), 90),),
        interests=frozenset({"football", "pr"}),
        last_in_note="Moving to Saint Paul in January!",
    )


def test_suzanne_the_game_leads(suzanne):
    world = World(TODAY, events=GAMES, content=(ISSUE,))
    assert effective_cadence(suzanne, TODAY) == 60  # the circle's 60 days, shorter than the pledge's 90
    assert next_due(suzanne, TODAY) == date(2026, 1, 31)
    assert status(suzanne, TODAY) == "overdue"
    found = reasons(suzanne, world)
    assert [(r.kind, r.data.get("title", r.data.get("org"))) for r in found] == [
        ("event", "Gophers vs Iowa"), ("event", "Vikings vs Packers"), ("content", "Issue 31: the press kit"),
        ("pledge", "Lumen Agency"), ("overdue", None),
    ]
    (entry,) = plan_today([suzanne], world)
    assert urgency(suzanne, TODAY) == pytest.approx(2 + 44 / 60)
    assert value(suzanne, TODAY, 365) == pytest.approx(1.7)
    assert entry.score == round((2 + 44 / 60 + 1.5 + 1.5 + 1 + 3) * 1.7, 4) == 16.5467  # every game counts
    with translation.override("en"):
        assert [reason_text(r) for r in card(entry.reasons)] == [
            "Gophers vs Iowa on Saturday 21 March and Vikings vs Packers on Sunday 22 March; they follow football",
            "You published “Issue 31: the press kit”; they follow pr",
            "You promised to stay in touch when you left Lumen Agency; the first ping was due on 15 March 2026",
        ]
        assert draft(suzanne.name, card(entry.reasons)) == (
            "Hi Suzanne, Gophers vs Iowa is on Saturday 21 March. Are you going? It made me think of you."
        )


def test_suzanne_with_no_hook_it_has_been_a_while_since_her_message(suzanne):
    without_pledge = dataclasses.replace(suzanne, pledges=())
    (entry,) = plan_today([without_pledge], World(TODAY))
    assert [r.kind for r in entry.reasons] == ["overdue"]
    with translation.override("en"):
        assert draft(suzanne.name, card(entry.reasons)) == (
            "Hi Suzanne, it has been a while! How are things since your message “Moving to Saint Paul in January!”?"
        )
