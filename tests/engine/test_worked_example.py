"""The worked example of docs/engine.md, number by number.

If this test changes, change the document too.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from django.utils import translation

from restons.engine.cadence import effective_cadence, grace_days, next_due, status
from restons.engine.health import reciprocity, strength
from restons.engine.reasons import reasons
from restons.engine.state import EventInfo, World
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
        ("reply-owed", {"since": date(2026, 2, 2), "days": 42}),
        ("overdue", {"days": 12, "last_touch": date(2026, 2, 2)}),
        ("event", {"title": "Nantes jazz night", "on": date(2026, 3, 20), "topic": "jazz"}),
    ]
    assert urgency(camille, TODAY) == pytest.approx(2.4)
    assert value(camille, TODAY, 365) == pytest.approx(1.9)
    (entry,) = plan_today([camille], world)
    assert entry.score == 13.11
    with translation.override("en"):
        assert [reason_text(r) for r in entry.reasons] == [
            "They reached out 42 days ago and are waiting for your reply",
            "12 days overdue; last in touch on 2 February 2026",
            "Nantes jazz night is on Friday 20 March; they follow jazz",
        ]
        assert draft(camille.name, entry.reasons) == (
            "Hi Camille, thank you for your message, and sorry for the slow reply! How are you?"
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
