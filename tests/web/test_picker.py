"""The pledge form's people picker: the organisation's people ticked, a server-side search, and 2,000 people."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from restons.models import Affiliation, Organisation, Person, Pledge, PledgePerson
from restons.services.people import PersonInput, add_person, edit_person
from restons.services.planning import leave

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)


@pytest.fixture
def acme(alice):
    """Ana and Bruno worked at Acme; Chloé elsewhere; Dora at Acme but archived."""
    people = {
        "ana": add_person(alice, PersonInput(name="Ana Lopes", orgs=["Acme"])),
        "bruno": add_person(alice, PersonInput(name="Bruno Petit", orgs=["ACME"])),
        "chloe": add_person(alice, PersonInput(name="Chloé Roux", orgs=["Globex"])),
        "dora": add_person(alice, PersonInput(name="Dora Vieux", orgs=["Acme"])),
    }
    edit_person(alice, people["dora"], PersonInput(archived=True))
    return people


def ticked(body: str, person) -> bool:
    return f'name="people" value="{person.id}" checked>' in body


def offered(body: str, person) -> bool:
    return f'name="people" value="{person.id}">' in body


def test_naming_the_organisation_ticks_its_people(alice_client, acme):
    body = alice_client.get("/pledges/pick/", {"org": "acme", "preselect": "1"}, **HTMX).content.decode()
    assert body.startswith('<fieldset class="checklist picker-list">')
    assert ticked(body, acme["ana"]) and ticked(body, acme["bruno"])
    assert "Chloé" not in body and "Dora" not in body  # another organisation; archived


def test_a_link_with_the_organisation_opens_the_form_with_its_people_ticked(alice_client, acme):
    page = alice_client.get("/pledges/", {"org": "Acme"}).content.decode()
    assert 'name="org" value="Acme"' in page
    assert ticked(page, acme["ana"]) and ticked(page, acme["bruno"]) and not offered(page, acme["chloe"])
    assert '<option value="Acme">' in page  # the organisation suggestions


def test_the_search_keeps_the_ticks_and_offers_the_others(alice_client, acme):
    """GIVEN Ana is ticked WHEN alice searches "o" THEN Ana stays ticked and the other matches are offered."""
    body = alice_client.get("/pledges/pick/", {"people": [acme["ana"].id], "q": "o"}, **HTMX).content.decode()
    assert ticked(body, acme["ana"]) and body.count(f'value="{acme["ana"].id}"') == 1
    assert offered(body, acme["chloe"]) and offered(body, acme["bruno"])
    assert "Dora" not in body  # archived
    body = alice_client.get("/pledges/pick/", {"q": "petit"}, **HTMX).content.decode()
    assert offered(body, acme["bruno"]) and not offered(body, acme["ana"])
    body = alice_client.get("/pledges/pick/", {"q": "nobody-at-all"}, **HTMX).content.decode()
    assert "Nobody matches “nobody-at-all”." in body


def test_without_javascript_the_find_button_reloads_the_form_with_its_state(alice_client, acme):
    page = alice_client.get("/pledges/", {"org": "Acme", "on": "2026-06-30", "every": "1m",
                                          "people": [acme["ana"].id], "q": "roux"}).content.decode()
    assert ticked(page, acme["ana"]) and not offered(page, acme["bruno"])  # unticked Bruno stays unticked
    assert offered(page, acme["chloe"])
    assert 'value="2026-06-30"' in page and '<option value="1m" selected>' in page


def test_the_pledge_is_made_with_the_ticked_people(alice_client, alice, acme):
    response = alice_client.post("/pledges/", {"org": "Acme", "on": "2026-06-30", "every": "3m",
                                               "people": [acme["ana"].id, acme["chloe"].id]})
    pledge = Pledge.objects.get(owner=alice)
    assert response.status_code == 302
    assert set(PledgePerson.objects.filter(pledge=pledge).values_list("person__name", flat=True)) == {
        "Ana Lopes", "Chloé Roux"}


def test_adding_to_a_pledge_offers_only_who_is_not_in_it(alice_client, alice, acme):
    pledge = leave(alice, "Acme", date(2026, 6, 1), [acme["ana"]], None)
    body = alice_client.get(f"/pledges/{pledge.id}/pick/", {"q": "o"}, **HTMX).content.decode()
    assert not offered(body, acme["ana"]) and offered(body, acme["chloe"])
    page = alice_client.get(f"/pledges/{pledge.id}/", {"q": "Petit"}).content.decode()
    assert 'id="add-people" open' in page and offered(page, acme["bruno"])


def test_bob_gets_nothing_of_alices(bob_client, bob, alice, acme):
    pledge = leave(alice, "Acme", date(2026, 6, 1), [acme["ana"]], None)
    assert bob_client.get(f"/pledges/{pledge.id}/pick/", {"q": "a"}, **HTMX).status_code == 404
    body = bob_client.get("/pledges/pick/", {"org": "Acme", "preselect": "1", "q": "a",
                                             "people": [acme["ana"].id]}, **HTMX).content.decode()
    assert "Ana" not in body and "Bruno" not in body
    assert bob_client.get("/pledges/pick/", {"people": ["x"]}, **HTMX).status_code == 400


def test_anonymous_visitors_go_to_login(client, alice):
    response = client.get("/pledges/pick/", {"q": "a"})
    assert response.status_code == 302 and response.url.startswith("/login/")


def _many_people(owner, count: int, org: str, at_org: int) -> None:
    """``count`` people, the first ``at_org`` of them at ``org`` (bulk rows: no need for the service's checks)."""
    now = timezone.now()
    Person.objects.bulk_create([Person(owner=owner, name=f"Person {n:04d}", created_at=now) for n in range(count)])
    organisation = Organisation.objects.create(owner=owner, name=org)
    ids = list(Person.objects.filter(owner=owner).order_by("id").values_list("id", flat=True)[:at_org])
    Affiliation.objects.bulk_create([Affiliation(owner=owner, person_id=pid, organisation=organisation) for pid in ids])


def test_with_2000_people_the_form_stays_small_and_its_queries_constant(alice_client, alice):
    """GIVEN 20 people WHEN the form, a search and the organisation's ticks are asked THEN count the queries;
    GIVEN 2,000 people THEN the same counts, and a page that does not grow with the network.
    """
    _many_people(alice, 20, "Initech", 5)

    def measure():
        sizes, counts = [], []
        for url, params in (("/pledges/", {}), ("/pledges/pick/", {"q": "Person 00"}),
                            ("/pledges/pick/", {"org": "Initech", "preselect": "1"})):
            with CaptureQueriesContext(connection) as queries:
                response = alice_client.get(url, params, **(HTMX if "pick" in url else {}))
            assert response.status_code == 200
            sizes.append(len(response.content))
            counts.append(len(queries))
        return sizes, counts

    small_sizes, small_counts = measure()
    Person.objects.filter(owner=alice).delete()
    Organisation.objects.filter(owner=alice).delete()
    _many_people(alice, 2000, "Initech", 5)
    big_sizes, big_counts = measure()

    assert big_counts == small_counts
    assert big_sizes[0] < 25_000  # the form: no list of 2,000 names
    assert big_sizes[1] < 3_000  # at most 20 matches of "Person 00", and a note that more match
    assert big_sizes[2] < small_sizes[2] + 50  # the same five people ticked (longer ids, nothing more)


def test_too_many_ticks_are_refused_not_cut(alice_client, alice):
    """Django refuses a form of more than 1,000 fields (a 400): a pledge is never made with part of them."""
    response = alice_client.post("/pledges/", {"org": "Acme", "on": "2026-06-30", "every": "3m",
                                               "people": [str(n) for n in range(1, 1002)]})
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()
    assert not Pledge.objects.exists()
