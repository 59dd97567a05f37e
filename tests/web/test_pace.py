"""The Pace page with one-click accept, the "back from holiday" plan, and the pace on Today and Stats."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from restons.models import Circle, Membership, Opening
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=PARIS), tick=False)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=PARIS)


@pytest.fixture
def strained(alice):
    """As in tests/services/test_pace.py: Hugo never answers, and Network (180 days) asks more than your pace."""
    ana = add_person(alice, PersonInput(name="Ana Lopes", circles=["Family"]))
    Circle.objects.filter(owner=alice, name="Family").update(cadence_days=30)
    log_ping(alice, ana, direction="both", at=at("2026-06-01"))
    network = [add_person(alice, PersonInput(name=f"Network {i:02d}", circles=["Network"])) for i in range(10)]
    Circle.objects.filter(owner=alice, name="Network").update(cadence_days=180)
    log_ping(alice, network[0], direction="out", at=at("2026-04-25"))
    log_ping(alice, network[1], direction="out", at=at("2026-05-20"))
    hugo = add_person(alice, PersonInput(name="Hugo Marchand", circles=["Network"]))
    for day in ("2026-03-01", "2026-03-20", "2026-05-02"):
        log_ping(alice, hugo, direction="out", at=at(day))
    for k in range(11):
        Opening.objects.create(owner=alice, day=date(2026, 4, 1) + timedelta(days=7 * k))
    return hugo, Circle.objects.get(owner=alice, name="Network")


def test_the_pace_page_shows_both_rates_and_the_proposals(alice_client, strained):
    hugo, network = strained
    page = alice_client.get("/pace/").content.decode()
    assert "Your cadences ask for 0.09 pings a day; you manage 0.07." in page
    assert "4 pings of yours over the last 56 days, on 8 days you opened Today." in page
    assert "Stop tracking Hugo Marchand: never wrote to you, no answer to your last 3 pings" in page
    assert "“Network” every year instead of every 6 months (10 people)" in page
    assert f'<input type="hidden" name="proposal" value="untrack-{hugo.pk}">' in page
    assert "Accept them all" in page


def test_accepting_one_with_htmx_then_all_without(alice_client, strained):
    hugo, network = strained
    response = alice_client.post("/pace/apply/", {"proposal": f"untrack-{hugo.pk}"}, **HTMX)
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.startswith('<section class="card" id="proposals"')
    assert "Done: Stop tracking Hugo Marchand" in fragment
    assert f"circle-{network.pk}-365" in fragment and f"untrack-{hugo.pk}" not in fragment
    assert not Membership.objects.filter(person=hugo).exists()
    response = alice_client.post("/pace/apply/", {"all": "1"})
    assert response.status_code == 302 and response["Location"] == "/pace/"
    network.refresh_from_db()
    assert network.cadence_days == 365
    page = alice_client.get("/pace/").content.decode()
    assert "Done: “Network” every year instead of every 6 months (10 people)" in page
    assert "Your cadences fit your pace: nothing to change." in page


def test_accepting_nothing_is_a_bad_request(alice_client, strained):
    response = alice_client.post("/pace/apply/", {})
    assert response.status_code == 400
    assert "Choose a proposal to accept." in response.content.decode()


def test_bob_cannot_accept_alices_proposals(bob_client, strained):
    hugo, network = strained
    assert bob_client.post("/pace/apply/", {"proposal": f"circle-{network.pk}-365"}).status_code == 404
    network.refresh_from_db()
    assert network.cadence_days == 180
    page = bob_client.get("/pace/").content.decode()
    assert "Hugo" not in page and "Network" not in page


def test_anonymous_visitors_are_sent_to_log_in():
    client = Client()
    for url in ("/pace/", "/today/back/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post("/pace/apply/", {"all": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_post_without_csrf_token_is_refused(csrf_client, strained):
    hugo, network = strained
    assert csrf_client.post("/pace/apply/", {"all": "1"}).status_code == 403
    assert Membership.objects.filter(person=hugo).exists()


@pytest.fixture
def back_home(alice):
    """Ana, Farid and Gaspard (Family, 30 days) overdue; Jeanne owed a reply; away from 30 May to 14 June."""
    Circle.objects.create(owner=alice, name="Family", cadence_days=30)
    for name, day in (("Ana Lopes", "2026-04-06"), ("Farid Haddad", "2026-04-20"), ("Gaspard Roy", "2026-04-25")):
        someone = add_person(alice, PersonInput(name=name, circles=["Family"]))
        log_ping(alice, someone, direction="both", at=at(day))
    jeanne = add_person(alice, PersonInput(name="Jeanne Petit", circles=["Family"]))
    log_ping(alice, jeanne, direction="both", at=at("2026-05-01"))
    log_ping(alice, jeanne, direction="in", at=at("2026-06-05"))
    Opening.objects.create(owner=alice, day=date(2026, 5, 29), overdue=1)


def test_today_welcomes_you_back_and_the_plan_shows_the_next_lists(alice_client, alice, back_home):
    page = alice_client.get("/").content.decode()
    assert "Welcome back" in page
    assert "Back after 16 days away: 3 people are overdue, 1 when you left." in page
    assert Opening.objects.get(owner=alice, day=date(2026, 6, 15)).overdue == 3
    # Three a day, your usual (three pings on the one day of use in the last eight weeks); Jeanne, owed a
    # reply, first; Gaspard waits for the next list.
    assert "Today shows 3 people a day, replies owed first." in page
    assert page.index("Jeanne Petit") < page.index("Ana Lopes") < page.index("Farid Haddad")
    assert "Gaspard Roy" not in page
    back = alice_client.get("/today/back/").content.decode()
    assert "<h1>Back from holiday</h1>" in back
    assert back.index("Jeanne Petit") < back.index("Ana Lopes") < back.index("Farid Haddad") < back.index("Gaspard Roy")
    assert "reply owed, first in its list" in back


def test_the_plan_says_when_nothing_piled_up(alice_client, alice):
    back = alice_client.get("/today/back/").content.decode()
    assert "Nothing piled up: you are not catching up." in back


def test_today_and_stats_show_the_pace(alice_client, strained):
    page = alice_client.get("/").content.decode()
    assert "Your cadences ask for 0.09 pings a day; you manage 0.07." in page
    assert '<a href="/pace/">What to change</a>' in page
    stats = alice_client.get("/stats/").content.decode()
    assert "Your cadences ask for 0.09 pings a day; you manage 0.07." in stats
    assert "Your cadences have asked for more than your pace for two weeks." in stats


def test_planning_ahead_is_not_a_day_of_use(alice_client, alice):
    alice_client.get("/?date=2026-06-20")
    assert not Opening.objects.filter(owner=alice).exists()
    alice_client.get("/")
    assert list(Opening.objects.filter(owner=alice).values_list("day", flat=True)) == [date(2026, 6, 15)]


def test_the_pace_in_french(alice_client, strained):
    page = alice_client.get("/pace/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vos cadences demandent 0,09 signes par jour\u00a0; vous en faites 0,07." in page


def test_an_unknown_proposal_is_not_found(alice_client, strained):
    response = alice_client.post("/pace/apply/", {"proposal": "x" * 5000})
    assert response.status_code == 404
    assert "x" * 41 not in response.content.decode()


def test_a_long_kind_of_proposal_shows_ten_and_accepts_the_rest_at_once(alice_client, alice, strained):
    """GIVEN twelve more people who never answered WHEN the Pace page lists 13 to untrack THEN it shows ten,
    says "and 3 more", and one click untracks all 13."""
    for i in range(12):
        ghost = add_person(alice, PersonInput(name=f"Ghost {i:02d}", circles=["Network"]))
        for day in ("2026-01-05", "2026-02-05", "2026-03-05"):
            log_ping(alice, ghost, direction="out", at=at(day))
    page = alice_client.get("/pace/").content.decode()
    assert page.count('class="proposal proposal-untrack"') == 10
    assert "and 3 more like these" in page and "Accept these 13" in page
    response = alice_client.post("/pace/apply/", {"kind": "untrack"}, **HTMX)
    assert response.status_code == 200
    assert not Membership.objects.filter(person__name__startswith="Ghost").exists()
    assert not Membership.objects.filter(person__name="Hugo Marchand").exists()
    assert Circle.objects.get(owner=alice, name="Network").cadence_days == 180  # the circle was not accepted
    assert alice_client.post("/pace/apply/", {"kind": "everything"}).status_code == 400
