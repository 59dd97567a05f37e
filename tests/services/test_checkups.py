"""Kept checkups: each holds until the day its verdict may change, recomputed then or when its person changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from restons.models import Checkup
from restons.services import checkups
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False)
def test_refresh_all_computes_every_users_checkups_for_today(alice, bob):
    add_person(alice, PersonInput(name="Ana", cadence_days=30))
    add_person(bob, PersonInput(name="Bea"))
    assert checkups.refresh_all() == 2
    assert sorted(Checkup.objects.values_list("owner__email", "person__name", "day")) == [
        ("alice@example.org", "Ana", date(2026, 6, 15)), ("bob@example.org", "Bea", date(2026, 6, 15)),
    ]
    assert checkups.refresh_all() == 0  # nothing changed: nothing recomputed


def test_a_new_day_recomputes_only_whose_date_has_come_and_a_ping_only_that_person(alice):
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        ana = add_person(alice, PersonInput(name="Ana", cadence_days=30))
        add_person(alice, PersonInput(name="Bea", cadence_days=30))
        add_person(alice, PersonInput(name="Chloé"))  # untracked, never touched: nothing changes for a year
        assert checkups.ensure_current(alice, date(2026, 6, 15)) == 3
        log_ping(alice, ana, direction="both")
        assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1
        assert Checkup.objects.get(person=ana).next_due == date(2026, 7, 15)
        assert checkups.ensure_current(alice, date(2026, 6, 15)) == 0  # current: one read, nothing computed
        assert Checkup.objects.get(person__name="Chloé").valid_until == date(2027, 6, 16)  # dormant then
        coming = set(Checkup.objects.filter(valid_until__lte=date(2026, 6, 16)).values_list("person_id", flat=True))
    with time_machine.travel(datetime(2026, 6, 16, 12, tzinfo=PARIS), tick=False):
        assert checkups.ensure_current(alice, date(2026, 6, 16)) == len(coming) < 3


@time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False)
def test_a_new_health_window_recomputes_everyone(alice, monkeypatch):
    ana = add_person(alice, PersonInput(name="Ana", cadence_days=30))
    with time_machine.travel(datetime(2026, 4, 1, 12, tzinfo=PARIS), tick=False):
        log_ping(alice, ana, direction="both")
    assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1
    assert Checkup.objects.get().reciprocity == "mutual"
    monkeypatch.setenv("RESTONS_WINDOW_DAYS", "30")
    assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1
    assert Checkup.objects.get().reciprocity == "silent"  # nothing in the last 30 days


@time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False)
def test_a_recomputation_is_claimed_once_and_others_serve_the_last_verdicts(alice):
    add_person(alice, PersonInput(name="Ana", cadence_days=30))
    assert checkups.claim(alice)  # another process is recomputing
    assert not checkups.claim(alice)  # a second claimer does not wait: it gets no claim
    assert checkups.updating(alice)
    assert checkups.ensure_current(alice, date(2026, 6, 15)) == 0  # served as it stands, nothing computed
    assert not Checkup.objects.exists()
    checkups.release(alice)
    assert not checkups.updating(alice)
    assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_recomputations_do_the_work_once(alice, monkeypatch):
    """Two threads (two connections) find the checkups stale at once: one computes, the other returns."""
    import threading

    from django.db import connection

    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        for n in range(5):
            add_person(alice, PersonInput(name=f"P{n}", cadence_days=30))
    inside, go_on = threading.Event(), threading.Event()
    verdicts = checkups._verdicts

    def slow_verdicts(*args):
        inside.set()  # the first has claimed and is computing
        go_on.wait(10)
        return verdicts(*args)

    monkeypatch.setattr(checkups, "_verdicts", slow_verdicts)
    computed = {}

    def run(name):
        try:
            computed[name] = checkups.ensure_current(alice, date(2026, 6, 15))
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(10)  # returns while the first is still computing: it never waits for it
    assert computed == {"second": 0}
    go_on.set()
    first.join(10)
    assert computed == {"first": 5, "second": 0}
    assert Checkup.objects.filter(owner=alice).count() == 5


def test_a_new_day_rescores_the_overdue_from_their_kept_parts_without_the_engine(alice):
    """An overdue person's score grows every day; their verdict otherwise holds, so a new day only rescores them."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        ana = add_person(alice, PersonInput(name="Ana", cadence_days=30))
        log_ping(alice, ana, direction="both", at=datetime(2026, 5, 1, 10, tzinfo=PARIS))  # overdue since 6 June
        assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1
        kept = Checkup.objects.get(person=ana)
        assert kept.status == "overdue" and kept.valid_until > date(2026, 6, 16)
    for day in (16, 17, 20):
        with time_machine.travel(datetime(2026, 6, day, 12, tzinfo=PARIS), tick=False):
            assert checkups.ensure_current(alice, date(2026, 6, day)) == 0  # nobody recomputed by the engine
            rescored = Checkup.objects.get(person=ana)
            engine = checkups._verdicts(alice, date(2026, 6, day), rescored.window_days, [ana.pk])[0]
            assert (rescored.score, rescored.band, rescored.strength) == (engine.score, engine.band, engine.strength)
            assert rescored.score > kept.score


def test_a_new_day_recomputes_a_strength_time_moves_from_its_kept_parts_without_the_engine(alice):
    """Recency falls every day: the strength crosses a step now and then while the rest of the verdict holds."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        chloe = add_person(alice, PersonInput(name="Chloé"))  # untracked: no due date
        log_ping(alice, chloe, direction="both", at=datetime(2026, 6, 10, 10, tzinfo=PARIS))
        assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1
        assert Checkup.objects.get(person=chloe).valid_until > date(2026, 7, 5)
    strengths, computed = [], 0
    for offset in range(1, 21):
        day = date(2026, 6, 15) + timedelta(days=offset)
        with time_machine.travel(datetime.combine(day, datetime.min.time(), PARIS).replace(hour=12), tick=False):
            computed += checkups.ensure_current(alice, day)
            kept = Checkup.objects.get(person=chloe)
            engine = checkups._verdicts(alice, day, kept.window_days, [chloe.pk])[0]
            assert (kept.strength, kept.score) == (engine.strength, engine.score), day
            strengths.append(kept.strength)
    assert computed == 0 and len(set(strengths)) > 1  # it fell, and the engine was never asked


def test_an_interaction_leaving_the_window_is_recounted_without_the_engine(alice):
    """The oldest ping counted leaves the year's window: the counts, the channels and the strength change, and
    only for that person are they read again; the rest of the verdict holds."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=PARIS), tick=False):
        ana = add_person(alice, PersonInput(name="Ana"))
        log_ping(alice, ana, direction="in", channel="call", at=datetime(2025, 6, 20, 10, tzinfo=PARIS))
        log_ping(alice, ana, direction="in", channel="email", at=datetime(2026, 5, 1, 10, tzinfo=PARIS))
        log_ping(alice, ana, direction="out", channel="email", at=datetime(2026, 6, 1, 10, tzinfo=PARIS))
        assert checkups.ensure_current(alice, date(2026, 6, 15)) == 1
        kept = Checkup.objects.get(person=ana)
        assert (kept.interactions_in, kept.channels) == (2, 2)
        assert kept.counts_until == date(2026, 6, 20) < kept.valid_until
    with time_machine.travel(datetime(2026, 6, 20, 12, tzinfo=PARIS), tick=False):
        assert checkups.ensure_current(alice, date(2026, 6, 20)) == 0  # nobody recomputed by the engine
        recounted = Checkup.objects.get(person=ana)
        engine = checkups._verdicts(alice, date(2026, 6, 20), recounted.window_days, [ana.pk])[0]
        assert (recounted.interactions_in, recounted.interactions_out, recounted.channels) == (1, 1, 1)
        assert recounted.counts_until == date(2027, 5, 1)  # when the next oldest leaves
        assert ((recounted.interactions_in, recounted.channels, recounted.strength, recounted.score)
                == (engine.interactions_in, engine.channels, engine.strength, engine.score))
        assert recounted.strength < kept.strength
