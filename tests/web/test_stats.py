"""The Stats page: what ``restons stats`` shows, at a glance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from restons.models import Milestone
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person
from restons.services.planning import add_milestone, add_outcome, leave

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=PARIS), tick=False)


@pytest.fixture
def network(alice, camille):
    """Camille (mutual, on track), Bruno (you carry it), Lou (never touched, untracked); a pledge, outcomes, a milestone."""
    bruno = add_person(alice, PersonInput(name="Bruno Petit", cadence_days=30))
    add_person(alice, PersonInput(name="Lou Seul"))
    log_ping(alice, camille, direction="both", at=datetime(2026, 6, 1, 12, tzinfo=PARIS))
    log_ping(alice, bruno, direction="out", at=datetime(2026, 6, 2, 12, tzinfo=PARIS))
    log_ping(alice, camille, direction="in", at=datetime(2026, 5, 20, 12, tzinfo=PARIS))
    leave(alice, "Acme", date(2026, 1, 10), [camille, bruno], 30)
    add_outcome(alice, camille, "client", date(2026, 5, 1))
    add_outcome(alice, camille, "intro", date(2026, 5, 2))
    add_outcome(alice, bruno, "client", date(2026, 5, 3))
    add_milestone(alice, "Ten years of my business", date(2026, 5, 15), None, False)
    return camille, bruno


def test_the_page_shows_the_network_pledges_outcomes_and_who_noticed(alice_client, network):
    camille, _bruno = network
    page = alice_client.get("/stats/").content.decode()
    assert "3 people in your network" in page
    assert 'href="/people/?status=on-track">on track</a>' in page
    assert 'href="/people/?status=untracked">untracked</a>' in page
    assert 'href="/people/?reciprocity=mutual">mutual</a>' in page
    assert '<span class="bar-count"><strong>1</strong> <small>33%</small></span>' in page
    assert ">Acme</a>" in page and "since 10 January 2026" in page and "2 people" in page
    assert '<li class="badge outcome">client <strong>2</strong></li>' in page
    assert '<li class="badge outcome">introduction <strong>1</strong></li>' in page
    assert "meetup" not in page  # kinds never logged are left out
    assert "Ten years of my business" in page
    assert f'maybe: <a href="/people/{camille.id}/">Camille Martin</a>' in page  # wrote on 20 May, after the 15th


def test_an_empty_network_says_what_to_do(alice_client):
    page = alice_client.get("/stats/").content.decode()
    assert "0 people in your network" in page
    assert "No pledge yet." in page and "No outcome logged yet." in page


def test_planning_ahead_with_a_date(alice_client, network):
    page = alice_client.get("/stats/", {"date": "2026-12-01"}).content.decode()
    assert "as if today were 1 December 2026" in page
    assert "?status=" not in page  # the People list shows today, not that day


def test_a_pledge_in_progress_and_who_noticed_confirmed_or_suggested(alice_client, alice, network):
    """GIVEN a pledge made five days ago, and two people who wrote after your milestone, one ping linked to it
    WHEN the page renders THEN the pledge shows its progress, not a share, and the linked person is
    among who noticed while the other is only a suggestion.
    """
    camille, bruno = network
    leave(alice, "Globex", date(2026, 6, 10), [camille, bruno], 90)
    log_ping(alice, bruno, direction="in", at=datetime(2026, 5, 16, 9, tzinfo=PARIS),
             about=Milestone.objects.get(title="Ten years of my business"))
    page = alice_client.get("/stats/").content.decode()
    assert "Globex" in page and "in progress: 0 of 2 pinged, 9 days left" in page
    noticed = page[page.index("Who noticed your milestones"):]
    assert f'<a href="/people/{bruno.id}/">Bruno Petit</a>' in noticed.split("maybe:")[0]
    assert f'maybe: <a href="/people/{camille.id}/">Camille Martin</a>' in noticed


def test_bob_sees_only_his_own_network(bob_client, network):
    page = bob_client.get("/stats/").content.decode()
    assert "0 people in your network" in page and "Acme" not in page and "Camille" not in page


def test_anonymous_visitors_go_to_login(alice):
    response = Client().get("/stats/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_bad_date_is_a_400(alice_client):
    response = alice_client.get("/stats/", {"date": "someday"})
    assert response.status_code == 400
    assert "'someday' is not a date" in response.content.decode().replace("&#x27;", "'")


def test_a_busy_month_shows_the_first_maybes_and_how_many_more(alice_client, alice):
    """GIVEN your milestone and 45 people who wrote to you in the 30 days after it
    WHEN you open Stats, then the milestone's page
    THEN Stats names 10 of them and says 35 more (linking to the milestone), the milestone's page offers 30
    to decide on and says 15 more; nobody is shown twice."""
    milestone = add_milestone(alice, "Ten years of my business", date(2026, 5, 15), None, False)
    for n in range(45):  # (each a day later than the one before: the soonest are shown first)
        person = add_person(alice, PersonInput(name=f"Writer {n:02d}"))
        log_ping(alice, person, direction="in", at=datetime(2026, 5, 15, 9, tzinfo=PARIS) + timedelta(hours=15 * n))

    stats = alice_client.get("/stats/").content.decode()
    page = alice_client.get(f"/plans/milestones/{milestone.id}/").content.decode()

    assert [n for n in range(45) if f"Writer {n:02d}" in stats] == list(range(10))
    assert "And 35 more." in stats and f'href="/plans/milestones/{milestone.id}/#noticed"' in stats
    assert [n for n in range(45) if f"Writer {n:02d}" in page] == list(range(30))
    assert "And 15 more." in page
