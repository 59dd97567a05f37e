"""Property: after any sequence of changes and new days, the kept checkups equal the engine's over everyone.

Each checkup holds until ``valid_until`` (engine.until) and only stale ones are recomputed; hypothesis
draws sequences of pings, cadences, snoozes, events, content, milestones, circles, pledges, interests and
days passing, and after each step the kept verdicts must be exactly what the engine says about everyone
that day. A ``valid_until`` too late for any of them would show as a difference.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restons import conf
from restons.models import Checkup, Person
from restons.services import checkups, circles, planning
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person, archive_people, edit_person, snooze

PARIS = ZoneInfo("Europe/Paris")
START = date(2026, 6, 15)
TOPICS = ("football", "jazz")
# Also the parts a new day rescores from (the score's: hooks, worth; the strength's: touched, since, channels,
# outcomes). strength_until is not compared: computed on different days it may come a day apart, both early
# enough; a late one would show as a wrong strength.
FIELDS = ("status", "reciprocity", "strength", "next_due", "cadence_days", "score", "band", "hooks", "worth",
          "touched", "since", "channels", "outcomes", "interactions_in", "interactions_out", "archived")

people_index = st.integers(0, 3)
steps = st.one_of(
    # A day at a time too: a new day rescores growing scores and strengths from the kept parts.
    st.tuples(st.just("days"), st.one_of(st.integers(1, 45), st.just(1), st.integers(1, 3))),
    st.tuples(st.just("ping"), people_index, st.sampled_from(["in", "out", "both"]), st.integers(0, 400),
              st.sampled_from(["email", "call", "text"])),
    st.tuples(st.just("cadence"), people_index, st.sampled_from([None, 7, 14, 30, 90, 365])),
    st.tuples(st.just("snooze"), people_index, st.integers(0, 20)),
    st.tuples(st.just("event"), st.sampled_from(TOPICS), st.integers(0, 90), st.integers(0, 14)),
    st.tuples(st.just("content"), st.sampled_from(TOPICS), st.integers(-20, 5)),
    st.tuples(st.just("milestone"), st.one_of(st.none(), people_index), st.integers(-30, 30), st.booleans()),
    st.tuples(st.just("circle"), people_index, st.sampled_from([None, 14, 60])),
    st.tuples(st.just("pledge"), people_index, st.integers(-10, 10)),
    st.tuples(st.just("interest"), people_index, st.sampled_from(TOPICS)),
    st.tuples(st.just("person"), st.sampled_from([None, 30])),
    st.tuples(st.just("archive"), people_index),
)


def kept(owner) -> dict:
    return {row[0]: row[1:] for row in Checkup.objects.filter(owner=owner).values_list("person_id", *FIELDS)}


def engine_over_everyone(owner, day: date) -> dict:
    ids = list(Person.objects.filter(owner=owner).values_list("id", flat=True))
    rows = checkups._verdicts(owner, day, conf.get("RESTONS_WINDOW_DAYS"), ids)
    return {row.person_id: tuple(getattr(row, f) for f in FIELDS) for row in rows}


def apply(owner, people, step, day: date) -> None:
    kind, *args = step
    if kind == "ping":
        who, direction, days_ago, channel = args
        at = datetime.combine(day - timedelta(days=days_ago), datetime.min.time(), PARIS).replace(hour=10)
        log_ping(owner, people[who], direction=direction, channel=channel, at=at)
    elif kind == "cadence":
        who, every = args
        person = Person.objects.get(pk=people[who].pk)
        person.cadence_days = every
        person.save()
    elif kind == "snooze":
        snooze(owner, people[args[0]], day + timedelta(days=args[1]))
    elif kind == "event":
        topic, ahead, lead = args
        planning.add_event(owner, f"Event {topic}", day + timedelta(days=ahead), [topic], lead)
    elif kind == "content":
        topic, offset = args
        planning.add_content(owner, f"Issue {topic}", day + timedelta(days=offset), "newsletter", [topic])
    elif kind == "milestone":
        who, offset, yearly = args
        planning.add_milestone(owner, "Day", day + timedelta(days=offset), None if who is None else people[who], yearly)
    elif kind == "circle":
        who, every = args
        circle = circles.create_circle(owner, f"Circle {len(circles.circle_list(owner))}", every)
        from restons.services.people import add_to_circle

        add_to_circle(owner, [people[who].pk], circle.name)
    elif kind == "pledge":
        who, offset = args
        planning.leave(owner, f"Org {offset}", day + timedelta(days=offset), [people[who]], 30)
    elif kind == "person":
        add_person(owner, PersonInput(name=f"New {Person.objects.count()}", cadence_days=args[0]))
    elif kind == "archive":  # archived, or brought back
        (who,) = args
        person = Person.objects.get(pk=people[who].pk)
        archive_people(owner, [person.pk], not person.archived)
    elif kind == "interest":
        who, topic = args
        person = Person.objects.get(pk=people[who].pk)
        edit_person(owner, person, PersonInput(name=person.name, interests=[topic], cadence_days=person.cadence_days))


@pytest.mark.django_db
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(steps, min_size=1, max_size=12))
def test_kept_verdicts_equal_the_engine_over_everyone(alice, sequence):
    with transaction.atomic(), time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False) as clock:
        day = START
        people = [
            add_person(alice, PersonInput(name="Ana", cadence_days=30, interests=["football"])),
            add_person(alice, PersonInput(name="Bea", cadence_days=7)),
            add_person(alice, PersonInput(name="Chloé", interests=["jazz"])),
            add_person(alice, PersonInput(name="Dan", cadence_days=90, interests=["football", "jazz"])),
        ]
        log_ping(alice, people[0], direction="in", channel="email", at=datetime(2026, 5, 1, 10, tzinfo=PARIS))
        # Ana's oldest counted interaction leaves the window ten days in, while the rest of her verdict holds.
        log_ping(alice, people[0], direction="in", channel="call", at=datetime(2025, 6, 25, 10, tzinfo=PARIS))
        log_ping(alice, people[3], direction="both", channel="call", at=datetime(2025, 7, 1, 10, tzinfo=PARIS))
        checkups.ensure_current(alice, day)
        for step in sequence:
            if step[0] == "days":
                day += timedelta(days=step[1])
                clock.move_to(datetime.combine(day, datetime.min.time(), PARIS).replace(hour=12))
            else:
                apply(alice, people, step, day)
            checkups.ensure_current(alice, day)
            assert kept(alice) == engine_over_everyone(alice, day), (step, day)
            # The People page's kept total (checkups.listed), as counting would say.
            assert checkups.listed(alice, day) == Person.objects.filter(owner=alice, archived=False).count(), step
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_ping_just_past_midnight_is_counted_on_the_day_it_comes(alice):
    """A ping may be dated a few minutes ahead of the clock: at 23:58 one at 00:02 tomorrow is in the future, left
    out of today's window. Tomorrow it is in it: the counts a checkup keeps from today do not hold then."""
    with time_machine.travel(datetime(2026, 6, 15, 23, 58, tzinfo=PARIS), tick=False) as clock:
        ana = add_person(alice, PersonInput(name="Ana", cadence_days=30))
        log_ping(alice, ana, direction="in", channel="email", at=datetime(2026, 6, 1, 10, tzinfo=PARIS))
        log_ping(alice, ana, direction="out", channel="call", at=datetime(2026, 6, 16, 0, 2, tzinfo=PARIS))
        checkups.ensure_current(alice, START)
        assert kept(alice)[ana.pk][FIELDS.index("interactions_out")] == 0
        clock.move_to(datetime(2026, 6, 16, 12, tzinfo=PARIS))
        checkups.ensure_current(alice, START + timedelta(days=1))
        assert kept(alice) == engine_over_everyone(alice, START + timedelta(days=1))
        assert kept(alice)[ana.pk][FIELDS.index("interactions_out")] == 1


@pytest.mark.django_db
def test_window_counts_kept_less_what_left_equal_a_count(alice):
    """On a new day, the window's counts of someone whose verdict holds are the kept ones less what left the
    window: in and out (a ping together counts in both), a channel gone with its last ping or still there, the
    oldest ping the next one; also when several days' worth leave at once."""
    window = conf.get("RESTONS_WINDOW_DAYS")

    def at(day, hour=10):
        return datetime.combine(day, datetime.min.time(), PARIS).replace(hour=hour)

    with time_machine.travel(at(START, 12), tick=False) as clock:
        ana = add_person(alice, PersonInput(name="Ana", cadence_days=365))
        bea = add_person(alice, PersonInput(name="Bea", cadence_days=365))
        edge = START - timedelta(days=window - 1)  # the window's first day
        log_ping(alice, bea, direction="in", channel="call", at=at(edge))
        log_ping(alice, bea, direction="both", channel="email", at=at(START - timedelta(days=3)))
        log_ping(alice, ana, direction="in", channel="call", at=at(edge + timedelta(days=2)))  # her only call
        log_ping(alice, ana, direction="both", channel="email", at=at(edge + timedelta(days=2), 11))
        log_ping(alice, ana, direction="out", channel="email", at=at(edge + timedelta(days=3)))
        log_ping(alice, ana, direction="both", channel="text", at=at(START - timedelta(days=20)))
        log_ping(alice, ana, direction="in", channel="email", at=at(START - timedelta(days=10)))  # email stays
        checkups.ensure_current(alice, START)
        for day in (START + timedelta(days=1), START + timedelta(days=2), START + timedelta(days=6)):
            clock.move_to(at(day, 12))
            checkups.ensure_current(alice, day)
            assert kept(alice) == engine_over_everyone(alice, day), day
        # Kept and rescored, not recomputed: the counts came from what left.
        computed = dict(Checkup.objects.filter(owner=alice).values_list("person_id", "day"))
        assert computed == {bea.pk: START, ana.pk: START}
        counts = [FIELDS.index(f) for f in ("interactions_in", "interactions_out", "channels")]
        assert [kept(alice)[ana.pk][i] for i in counts] == [2, 1, 2]  # the text and the last email
        assert [kept(alice)[bea.pk][i] for i in counts] == [1, 1, 1]  # the email alone
        # And the day the next oldest leaves, when the counts change again.
        engine = checkups._verdicts(alice, day, window, [ana.pk, bea.pk])
        assert dict(Checkup.objects.filter(owner=alice).values_list("person_id", "counts_until")) == {
            verdict.person_id: verdict.counts_until for verdict in engine}
