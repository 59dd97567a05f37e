"""Today's cheap pre-filter never drops someone the engine would list."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from restons.engine import today as engine_today
from restons.models import Circle, Interaction, Interest, Membership, Milestone, Person
from restons.services import planning
from restons.services.interactions import refresh_summaries
from restons.services.snapshot import load_people, load_world, with_content_sent
from restons.services.today import candidate_filter

PARIS = ZoneInfo("Europe/Paris")
TOPICS = ["football", "jazz", "design", "running"]


@pytest.fixture
def crowd(alice):
    """300 people with random cadences, interests, birthdays and histories over three years."""
    rng = random.Random(3)
    circles = [Circle.objects.create(owner=alice, name=f"C{days}", cadence_days=days) for days in (14, 30, 90, 180)]
    now = datetime(2026, 6, 15, 12, tzinfo=PARIS)
    people, interactions = [], []
    for i in range(300):
        people.append(Person(owner=alice, name=f"Person {i:03d}", created_at=now - timedelta(days=rng.randint(0, 1100)),
                             cadence_days=rng.choice([None, None, None, 21, 60])))
    Person.objects.bulk_create(people)
    for person in people:
        if rng.random() < 0.6:
            Membership.objects.create(owner=alice, person=person, circle=rng.choice(circles))
        for topic in rng.sample(TOPICS, rng.randint(0, 2)):
            Interest.objects.create(owner=alice, person=person, topic=topic)
        if rng.random() < 0.3:
            Milestone.objects.create(owner=alice, person=person, title="Birthday", yearly=True,
                                     on=date(1990, rng.randint(1, 12), rng.randint(1, 28)))
        for n in range(rng.choice([0, 0, 1, 3, 8, 20])):
            interactions.append(Interaction(
                owner=alice, person=person, at=now - timedelta(days=rng.randint(0, 1000), hours=rng.randint(0, 23)),
                direction=rng.choice(["in", "out", "out", "both"]), channel="email",
            ))
    Interaction.objects.bulk_create(interactions)
    refresh_summaries(alice, [p.pk for p in people])
    planning.add_event(alice, "Cup final", date(2026, 6, 18), ["football"])
    planning.add_content(alice, "On jazz", date(2026, 6, 10), "post", ["jazz"])
    planning.add_milestone(alice, "Ten years", date(2016, 6, 12), None, True)
    planning.leave(alice, "Acme", date(2026, 6, 1), people[:5], 90)
    return people


@pytest.mark.parametrize("day", [date(2026, 6, 15), date(2026, 6, 20), date(2026, 9, 1), date(2027, 2, 28)])
def test_the_filter_keeps_everyone_the_engine_would_list(alice, crowd, day):
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        world, sent = load_world(alice, day)
        everyone = with_content_sent(load_people(alice, exclude_snoozed_on=day), sent)
        kept = with_content_sent(load_people(alice, exclude_snoozed_on=day, keep=candidate_filter(alice, world)), sent)
        full = engine_today.plan_today(everyone, world, limit=1000)
        filtered = engine_today.plan_today(kept, world, limit=1000)
    assert len(full) > 20  # the crowd gives the engine work to do
    assert [(e.person.id, e.score) for e in filtered] == [(e.person.id, e.score) for e in full]
    assert len(kept) < len(everyone)  # and the filter spares some of it
