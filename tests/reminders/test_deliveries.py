"""Exactly once: each (user, period) is sent at most once — crashes, retries, two workers, daylight saving."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from django.db import connection, transaction

from restons.models import Delivery
from restons.services import deliveries, worker
from restons.services.people import PersonInput, add_person
from restons.services.reminders import set_digest

from .conftest import PARIS, at, free_port, use_mail_url


def someone_overdue(owner):
    """A person tracked every 30 days since January, never pinged: overdue from February on."""
    with time_machine.travel(at("2026-01-01 12:00"), tick=False):
        return add_person(owner, PersonInput(name="Camille Martin", cadence_days=30))


def test_planning_twice_makes_one_row_per_user_and_period(alice_paris, monkeypatch):
    monkeypatch.setenv("RESTONS_EMAIL_URL", "console:")
    set_digest(alice_paris, frequency="daily", hour=8)
    with time_machine.travel(at("2026-06-15 09:00"), tick=False):
        deliveries.plan()
        deliveries.plan()
    assert list(Delivery.objects.values_list("kind", "period", "state")) == [("digest", "2026-06-15", "pending")]


def test_nothing_is_planned_before_the_hour_or_without_mail(alice_paris, monkeypatch):
    set_digest(alice_paris, frequency="daily", hour=8)
    monkeypatch.setenv("RESTONS_EMAIL_URL", "console:")
    with time_machine.travel(at("2026-06-15 07:59"), tick=False):
        deliveries.plan()
    assert Delivery.objects.count() == 0
    monkeypatch.delenv("RESTONS_EMAIL_URL")
    with time_machine.travel(at("2026-06-15 08:00"), tick=False):
        deliveries.plan()
    assert Delivery.objects.count() == 0  # mail is not configured: no digest to plan


def test_a_worker_killed_between_sending_and_recording_never_sends_twice(alice_paris, smtp_server):
    """GIVEN a digest claimed and sent by a worker that dies before recording it
    WHEN other rounds run, then 15 minutes pass THEN no second mail, and the row says it was interrupted."""
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour=8)
    with time_machine.travel(at("2026-06-15 08:00"), tick=False):
        deliveries.plan()
        claimed = deliveries.claim_one("doomed")
        deliveries._send_mail(deliveries._content(claimed)[0])  # sent... and the worker dies here
        assert deliveries.run_due("survivor") == {}
    assert len(smtp_server.messages) == 1
    assert Delivery.objects.get().state == "sending"
    with time_machine.travel(at("2026-06-15 08:16"), tick=False):
        assert deliveries.run_due("survivor") == {}
    row = Delivery.objects.get()
    assert row.state == "failed"
    assert row.last_error == "interrupted while sending; not sent again, so that it is never sent twice"
    assert len(smtp_server.messages) == 1


def test_a_refused_connection_is_retried_with_backoff_then_sent(alice_paris, smtp_server, settings, monkeypatch):
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour=8)
    use_mail_url(settings, monkeypatch, f"smtp://127.0.0.1:{free_port()}?starttls=off")  # nobody listens there
    with time_machine.travel(at("2026-06-15 08:00"), tick=False):
        assert deliveries.run_due("w1") == {"pending": 1}
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.not_before == at("2026-06-15 08:01")
    assert row.last_error.startswith("cannot reach the mail server: ")
    with time_machine.travel(at("2026-06-15 08:00:59"), tick=False):
        assert deliveries.run_due("w1") == {}  # not before its time
    with time_machine.travel(at("2026-06-15 08:01"), tick=False):
        assert deliveries.run_due("w1") == {"pending": 1}
    assert Delivery.objects.get().not_before == at("2026-06-15 08:06")  # the second wait is longer
    use_mail_url(settings, monkeypatch, smtp_server.url)
    with time_machine.travel(at("2026-06-15 08:06"), tick=False):
        assert deliveries.run_due("w1") == {"sent": 1}
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(smtp_server.messages) == 1


def test_a_temporary_refusal_is_retried_and_a_permanent_one_is_not(alice_paris, smtp_server):
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour=8)
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    with time_machine.travel(at("2026-06-15 08:00"), tick=False):
        assert deliveries.run_due("w1") == {"pending": 1}
    assert "451" in Delivery.objects.get().last_error
    smtp_server.refuse_with = "554 5.7.1 Rejected"
    with time_machine.travel(at("2026-06-15 08:01"), tick=False):
        assert deliveries.run_due("w1") == {"failed": 1}
    with time_machine.travel(at("2026-06-15 09:00"), tick=False):
        assert deliveries.run_due("w1") == {}
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("failed", 2)
    assert "554" in row.last_error
    assert smtp_server.messages == []


def test_after_five_failed_attempts_it_gives_up(alice_paris, settings, monkeypatch):
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour=8)
    use_mail_url(settings, monkeypatch, f"smtp://127.0.0.1:{free_port()}?starttls=off")
    moment = at("2026-06-15 08:00")
    states = []
    for _round in range(6):
        with time_machine.travel(moment, tick=False):
            states.append(deliveries.run_due("w1"))
        moment += timedelta(hours=2)
    assert states == [{"pending": 1}] * 4 + [{"failed": 1}, {}]
    assert Delivery.objects.get().attempts == 5


@pytest.mark.parametrize("days, expected", [
    # spring forward: 29 March 2026, 02:00 → 03:00 in Paris
    (("2026-03-28", "2026-03-31"), ["2026-03-28 08:00+01:00", "2026-03-29 08:00+02:00", "2026-03-30 08:00+02:00"]),
    # fall back: 25 October 2026, 03:00 → 02:00
    (("2026-10-24", "2026-10-27"), ["2026-10-24 08:00+02:00", "2026-10-25 08:00+01:00", "2026-10-26 08:00+01:00"]),
])
def test_a_daily_digest_at_eight_arrives_once_a_day_at_eight_local_across_daylight_saving(
        alice_paris, smtp_server, days, expected):
    """GIVEN a daily digest at 08:00 in Paris WHEN the worker runs every 15 minutes for three days
    across a daylight-saving change THEN exactly one mail a day, each at 08:00 local time."""
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour="08:00")
    moment, end = at(days[0] + " 00:00"), at(days[1] + " 00:00")
    arrivals = []
    while moment < end:
        with time_machine.travel(moment, tick=False):
            before = len(smtp_server.messages)
            worker.run_once("w1")
            arrivals += [moment.astimezone(PARIS)] * (len(smtp_server.messages) - before)
        moment += timedelta(minutes=15)  # in UTC: the 15-minute steps never skip or repeat an hour
    assert [a.isoformat(" ", "minutes") for a in arrivals] == expected
    # The Date header is written in UTC ("-0000"), which Python reads as a naive time.
    dates = [parsedate_to_datetime(m["Date"]).replace(tzinfo=UTC).astimezone(PARIS).strftime("%H:%M")
             for m in smtp_server.messages]
    assert dates == ["08:00"] * 3
    assert list(Delivery.objects.order_by("period").values_list("period", "state")) == [
        (day.isoformat(), "sent") for day in (date.fromisoformat(e[:10]) for e in expected)]


def test_a_worker_stopped_for_days_sends_todays_digest_not_every_missed_one(alice_paris, smtp_server):
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour=8)
    with time_machine.travel(at("2026-06-12 08:00"), tick=False):
        deliveries.run_due("w1")
    with time_machine.travel(at("2026-06-15 10:30"), tick=False):  # back after three days
        assert deliveries.run_due("w1") == {"sent": 1}
    assert list(Delivery.objects.order_by("period").values_list("period", flat=True)) == ["2026-06-12", "2026-06-15"]


# -- workers side by side ------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_second_worker_skips_the_row_the_first_holds(django_user_model):
    """GIVEN two due deliveries, one row-locked by a worker mid-claim WHEN another worker claims
    THEN it takes the other row at once (SKIP LOCKED), and cannot take the held one."""
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite runs one worker (the lease)")
    users = [django_user_model.objects.create_user(f"u{i}@example.org", f"u{i}@example.org") for i in range(2)]
    now = datetime(2026, 6, 15, 8, tzinfo=PARIS)
    first, second = (Delivery.objects.create(owner=u, kind="digest", period="2026-06-15", not_before=now)
                     for u in users)
    taken = []
    with transaction.atomic():
        list(Delivery.objects.select_for_update().filter(pk=first.pk))  # the first worker holds this row
        other = threading.Thread(target=lambda: taken.append(deliveries.claim_one("w2", now)))
        other.start()
        other.join(timeout=20)
        assert not other.is_alive(), "the second worker waited for the locked row"
    connection.close()
    assert [row.pk for row in taken] == [second.pk]
    assert Delivery.objects.get(pk=first.pk).state == "pending"


def test_on_sqlite_one_worker_holds_the_lease(db):
    now = datetime(2026, 6, 15, 8, tzinfo=PARIS)
    assert worker.take_lease("a", 180, now)
    assert not worker.take_lease("b", 180, now + timedelta(seconds=60))
    assert worker.take_lease("a", 180, now + timedelta(seconds=60))  # renewed by its holder
    assert worker.take_lease("b", 180, now + timedelta(seconds=241))  # a expired: b takes over
    assert not worker.take_lease("a", 180, now + timedelta(seconds=242))


def test_a_second_claim_of_the_same_row_takes_nothing(alice_paris):
    now = at("2026-06-15 08:00")
    row = Delivery.objects.create(owner=alice_paris, kind="digest", period="2026-06-15", not_before=now)
    assert deliveries.claim_one("w1", now).pk == row.pk
    assert deliveries.claim_one("w2", now) is None


def test_a_digest_turned_off_after_planning_is_not_sent(alice_paris, smtp_server):
    someone_overdue(alice_paris)
    set_digest(alice_paris, frequency="daily", hour=8)
    with time_machine.travel(at("2026-06-15 08:00"), tick=False):
        deliveries.plan()
        set_digest(alice_paris, frequency="off")  # the one-click unsubscribe, just then
        assert deliveries.run_due("w1") == {"skipped": 1}
    assert smtp_server.messages == []
