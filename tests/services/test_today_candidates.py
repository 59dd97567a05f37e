"""Today's cheap pre-filter never drops someone the engine would list."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from restons.engine import today as engine_today
from restons.models import Circle, Content, Interaction, Interest, Membership, Milestone, Person
from restons.services import about, planning
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


def full_engine(owner, day, limit=1000):
    """Today computed the slow way: the engine over everyone, no checkups, no pre-filter."""
    from restons.services.today import BAND_NAMES

    world, sent = load_world(owner, day)
    people = with_content_sent(load_people(owner, include_archived=True), sent)
    return [(e.person.id, BAND_NAMES[e.band], e.score) for e in engine_today.plan_today(people, world, limit=limit)]


def from_checkups(owner, limit=1000):
    from restons.services.today import today_list

    return [(e["person"]["id"], e["band"], e["score"]) for e in today_list(owner, limit=limit)]


def test_kept_checkups_always_give_the_engines_list(alice, crowd):
    """GIVEN today's checkups WHEN anything changes through the services THEN Today still equals the engine's list."""
    from restons.services import people as people_service
    from restons.services.interactions import log_ping

    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        day = date(2026, 6, 15)
        listed = full_engine(alice, day)
        assert from_checkups(alice) == listed
        assert len({band for _pid, band, _score in listed}) == 4  # every band is there
        # Change the people at the top of the list, and two who are not in it.
        by_id = {p.pk: p for p in crowd}
        a, b, c, d = (by_id[pid] for pid, _band, _score in listed[:4])
        e, f = [p for p in crowd if p.pk not in {pid for pid, _band, _score in listed}][:2]
        changes = [
            lambda: log_ping(alice, a, direction="in"),
            # Someone out of the list writes: ten days later a reply is owed, and they must come in.
            lambda: log_ping(alice, e, direction="in", at=datetime(2026, 6, 5, 9, tzinfo=PARIS)),
            lambda: log_ping(alice, b, direction="out", at=datetime(2026, 6, 1, 9, tzinfo=PARIS)),
            lambda: people_service.snooze(alice, c, date(2026, 6, 20)),
            lambda: people_service.edit_person(alice, d, people_service.PersonInput(archived=True)),
            lambda: people_service.edit_person(alice, e, people_service.PersonInput(interests=["jazz"], cadence_days=7)),
            lambda: people_service.add_to_circle(alice, [f.pk, a.pk], "C14"),
            lambda: planning.add_circle(alice, "C90", 20),
            lambda: planning.add_event(alice, "Jazz night", date(2026, 6, 19), ["jazz"]),
            lambda: planning.add_milestone(alice, "Launch", date(2026, 6, 14), None, False),
            lambda: planning.add_milestone(alice, "Birthday", date(1985, 6, 17), f, True),
            lambda: planning.add_outcome(alice, c, "client", date(2026, 6, 1)),
            lambda: planning.leave(alice, "Initech", date(2026, 6, 10), [e, f], 60),
            lambda: people_service.remove_interest(alice, e, "jazz"),
            # A ping about your content: that piece is no hook for them any more.
            lambda: log_ping(alice, f, direction="in", about=Content.objects.get(title="On jazz")),
            lambda: about.confirm_noticed(alice, Milestone.objects.get(title="Launch"), a),
        ]
        for change in changes:
            change()
            assert from_checkups(alice) == full_engine(alice, day)
            # A short list too: the best-ranked checkups (band, then score) name the engine's first five.
            assert from_checkups(alice, limit=5) == full_engine(alice, day, limit=5)


def test_the_people_list_from_checkups_is_the_engines(alice, crowd):
    """The People list read from kept checkups has exactly the rows the engine computes, field for field."""
    from restons import conf
    from restons.engine.health import Activity
    from restons.services.health import person_list, summary
    from restons.services.people import snooze
    from restons.services.snapshot import load_activity

    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        day = date(2026, 6, 15)
        snooze(alice, crowd[0], date(2026, 7, 1))
        window = conf.get("RESTONS_WINDOW_DAYS")
        activity = load_activity(alice, day, window)
        engine_rows = sorted(
            (summary(p, activity.get(p.id, Activity()), day, window) for p in load_people(alice)),
            key=lambda row: (row["name"], row["id"]),
        )
        assert person_list(alice) == engine_rows
        assert person_list(alice, status="overdue") == [r for r in engine_rows if r["status"] == "overdue"]
        assert person_list(alice, circle="c30") == [r for r in engine_rows if "C30" in r["circles"]]


def test_stats_from_checkups_are_the_engines(alice, crowd):
    """Today's stats counted from kept checkups equal the engine's verdict on everyone."""
    from restons.engine import cadence, health
    from restons.services.stats import stats

    day = date(2026, 6, 15)
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        kept = stats(alice)
        people = load_people(alice)
    assert kept["people"] == len(people)
    assert kept["status"] == {s: sum(cadence.status(p, day) == s for p in people) for s in kept["status"]}
    assert kept["reciprocity"] == {r: sum(health.reciprocity(p, day) == r for p in people) for r in kept["reciprocity"]}
    assert kept["ghosting"] == sum(health.is_ghosting(p) for p in people)
