"""The Stats page: what ``restons stats`` shows, at a glance, robust to the fields the JSON gains."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

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
    assert f'<a href="/people/{camille.id}/">Camille Martin</a>' in page  # wrote on 20 May, after the 15th


def test_an_empty_network_says_what_to_do(alice_client):
    page = alice_client.get("/stats/").content.decode()
    assert "0 people in your network" in page
    assert "No pledge yet." in page and "No outcome logged yet." in page


def test_planning_ahead_with_a_date(alice_client, network):
    page = alice_client.get("/stats/", {"date": "2026-12-01"}).content.decode()
    assert "as if today were 1 December 2026" in page
    assert "?status=" not in page  # the People list shows today, not that day


def test_fields_the_json_gains_or_loses_never_break_the_page(alice_client, monkeypatch):
    """GIVEN a pledge whose first-ping window is open (adherence null, pending, days left) and "who noticed"
    with confirmed and suggested people, or with fields missing altogether
    WHEN the page renders THEN it shows what it has and never fails.
    """
    data = {
        "date": "2026-06-15", "window_days": 365, "people": 4,
        "status": {"on-track": 4}, "reciprocity": {"mutual": 4},
        "pledges": [
            {"id": None, "org": "Globex", "on": "2026-06-10", "people": 3, "adherence": None, "pending": 2,
             "days_left": 9, "quarters": []},
            {"org": "Initech", "adherence": None, "first_pings": {"pending": 1, "days_left": 1}},
            {"org": "Umbrella"},
        ],
        "outcomes": {"client": 0},
        "noticed": [
            {"title": "New job", "on": "2026-06-01", "confirmed": [{"id": 7, "name": "Ana Lopes"}],
             "suggested": [{"id": 99, "person_id": 8, "name": "Bruno Petit", "day": "2026-06-03"}]},
            {"title": "Podcast launch", "people": [{"id": 9, "name": "Chloé Roux"}]},
            {"title": "Untitled"},
        ],
    }
    monkeypatch.setattr("restons.web.views.stats.stats", lambda owner, day=None: data)
    response = alice_client.get("/stats/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Globex" in page and "first pings under way · 2 to ping · 9 days left" in page
    assert "first pings under way · 1 to ping · 1 day left" in page
    assert "Umbrella" in page
    assert '<a href="/people/7/">Ana Lopes</a>' in page
    assert 'maybe: <a href="/people/8/">Bruno Petit</a>' in page
    assert '<a href="/people/9/">Chloé Roux</a>' in page
    assert "Untitled" in page and "nobody yet" in page

    monkeypatch.setattr("restons.web.views.stats.stats", lambda owner, day=None: {})
    assert alice_client.get("/stats/").status_code == 200


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
