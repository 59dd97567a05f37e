"""The Today page: the engine's list with reasons and drafts, and one-click actions without a reload."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from restons.models import Interaction, Person
from restons.services.interactions import log_ping

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def overdue_camille(camille, alice):
    with time_machine.travel(NOON - timedelta(days=60), tick=False):
        log_ping(alice, camille, direction="both", channel="meeting")
    return camille


@time_machine.travel(NOON, tick=False)
def test_today_lists_the_person_with_reason_draft_and_mailto(alice_client, overdue_camille):
    page = alice_client.get("/").content.decode()
    assert "Camille Martin" in page
    assert "30 days overdue" in page
    assert "due since 16 May 2026" in page and "next due" not in page  # (a "next due" in the past reads wrong)
    assert "Hi Camille, it has been a while! How are you doing?" in page
    assert "mailto:camille@example.org?body=Hi%20Camille" in page


@time_machine.travel(NOON, tick=False)
def test_logging_a_ping_from_today_returns_a_fragment_and_moves_the_due_date(alice_client, overdue_camille, alice):
    response = alice_client.post(f"/today/{overdue_camille.pk}/ping/", {"channel": "text"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Ping with Camille Martin logged" in body
    latest = Interaction.objects.filter(person=overdue_camille).latest("at")
    assert (latest.direction, latest.channel) == ("out", "text")
    assert "Camille" not in alice_client.get("/").content.decode()


@time_machine.travel(NOON, tick=False)
def test_snooze_and_skip_hide_the_person(alice_client, overdue_camille):
    alice_client.post(f"/today/{overdue_camille.pk}/snooze/", HTTP_HX_REQUEST="true")
    overdue_camille.refresh_from_db()
    assert overdue_camille.snoozed_until == timezone.localdate() + timedelta(days=7)
    Person.objects.filter(pk=overdue_camille.pk).update(snoozed_until=None)
    response = alice_client.post(f"/today/{overdue_camille.pk}/skip/")  # without JavaScript: a redirect back
    assert response.status_code == 302
    overdue_camille.refresh_from_db()
    assert overdue_camille.snoozed_until == timezone.localdate()
    assert "Camille" not in alice_client.get("/").content.decode()


@time_machine.travel(NOON, tick=False)
def test_plan_ahead_with_a_date(alice_client, camille, alice):
    with time_machine.travel(NOON - timedelta(days=10), tick=False):
        log_ping(alice, camille, direction="both")
    assert "Camille" not in alice_client.get("/").content.decode()
    ahead = alice_client.get("/?date=2026-07-20").content.decode()
    assert "Camille Martin" in ahead
    assert "due since 5 July 2026" in ahead  # of the day planned for, not of today
    assert "next due 5 July 2026" in alice_client.get("/?date=2026-07-05").content.decode()  # due that very day


def test_a_bad_date_is_a_clear_400(alice_client):
    response = alice_client.get("/?date=tomorrow")
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()


@time_machine.travel(NOON, tick=False)
def test_another_user_gets_404_on_every_action(bob_client, overdue_camille):
    for action in ("ping", "snooze", "skip"):
        assert bob_client.post(f"/today/{overdue_camille.pk}/{action}/").status_code == 404
    assert "Camille" not in bob_client.get("/").content.decode()
    assert not Interaction.objects.filter(person=overdue_camille, channel="text").exists()


def test_anonymous_and_csrf(client, csrf_client, camille):
    assert client.post(f"/today/{camille.pk}/ping/").status_code == 302
    for action in ("ping", "snooze", "skip"):
        assert csrf_client.post(f"/today/{camille.pk}/{action}/").status_code == 403


def test_the_empty_state_offers_import(alice_client):
    page = alice_client.get("/").content.decode()
    assert "Nobody to ping today." in page and 'href="/import/"' in page


def test_an_empty_instance_offers_demo_data_and_loads_it_once(alice_client, alice):
    from restons.models import Person

    assert "Load demo data" in alice_client.get("/").content.decode()
    response = alice_client.post("/demo/")
    assert response.status_code == 302 and response.url == "/"
    assert Person.objects.filter(owner=alice).count() == 12
    page = alice_client.get("/").content.decode()
    assert "Demo data added" in page and "Load demo data" not in page
    again = alice_client.post("/demo/")
    assert again.status_code == 400
    assert Person.objects.filter(owner=alice).count() == 12


def test_demo_data_needs_a_login_and_a_csrf_token(client, csrf_client, alice):
    from restons.models import Person

    assert client.post("/demo/").status_code == 302  # to the login page
    assert csrf_client.post("/demo/").status_code == 403
    assert not Person.objects.exists()


def test_demo_data_goes_to_the_user_who_asked(bob_client, alice, bob):
    from restons.models import Person

    bob_client.post("/demo/")
    assert Person.objects.filter(owner=bob).count() == 12
    assert not Person.objects.filter(owner=alice).exists()


@time_machine.travel(NOON, tick=False)
def test_today_page_says_it_is_updating_while_another_process_recomputes(alice_client, alice, overdue_camille):
    from restons.services import checkups

    assert "Updating" not in alice_client.get("/").content.decode()
    assert checkups.claim(alice)  # the background worker (or another request) is recomputing
    page = alice_client.get("/").content.decode()
    assert "Updating: this list is from the last computation" in page
    assert "Camille Martin" in page  # the last verdicts are served meanwhile
    checkups.release(alice)


@time_machine.travel(NOON, tick=False)
def test_today_page_runs_the_same_queries_for_5_and_60_people(alice_client, alice, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from restons.services.people import PersonInput, add_person

    def people(start, stop):
        for n in range(start, stop):
            person = add_person(alice, PersonInput(name=f"Person {n:02d}", emails=[f"p{n}@example.org"],
                                                   interests=["jazz"], cadence_days=30))
            log_ping(alice, person, direction="in", at=NOON - timedelta(days=40 + n))

    people(0, 5)
    alice_client.get("/")  # the checkups are computed once; what follows reads them
    with CaptureQueriesContext(connection) as five:
        assert alice_client.get("/").status_code == 200
    count = len(five)  # now: the log of queries is a bounded deque
    people(5, 60)
    alice_client.get("/")
    with django_assert_num_queries(count):
        alice_client.get("/")


@pytest.mark.django_db(transaction=True)
def test_a_page_never_waits_for_a_long_recomputation(alice_client, alice, monkeypatch):
    """More stale checkups than a request recomputes itself: a thread does it, the page answers at once."""
    import threading

    from django.core.signals import request_finished

    from restons.models import Checkup
    from restons.services import checkups
    from restons.services.people import PersonInput, add_person

    for n in range(3):
        add_person(alice, PersonInput(name=f"Person {n}", cadence_days=30))
    monkeypatch.setattr(checkups, "INLINE_MAX", 2)
    go_on = threading.Event()
    recompute = checkups._recompute

    events = []

    def held(*args, inline=False):
        # Held until the test has read the page: the test's in-memory SQLite shares its cache between
        # connections, where the thread's first write would meet a read at once ("table is locked");
        # a file database waits for the lock instead.
        if inline:
            events.append("thread")
            go_on.wait(10)
        return recompute(*args, inline=inline)

    def answered(**_kwargs):
        events.append("answered")

    monkeypatch.setattr(checkups, "_recompute", held)
    request_finished.connect(answered)
    try:
        page = alice_client.get("/").content.decode()  # returns while the thread waits
    finally:
        request_finished.disconnect(answered)
    assert "Updating: this list is from the last computation" in page
    # The thread starts once the page is sent, so that it does not share the interpreter with it.
    assert events[:2] == ["answered", "thread"]
    go_on.set()
    # Wait for the thread without reading the database meanwhile: the test's in-memory SQLite shares its
    # cache between connections, where a read refuses a concurrent write at once ("table is locked").
    for thread in [t for t in threading.enumerate() if t.name == "restons-checkups"]:
        thread.join(10)
    assert not checkups.updating(alice)
    assert Checkup.objects.filter(owner=alice).count() == 3
    assert "Updating" not in alice_client.get("/").content.decode()
