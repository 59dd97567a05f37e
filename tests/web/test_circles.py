"""Circles in the web app: list, create, rename, cadence, members — and why their people may be untracked."""

from __future__ import annotations

import pytest
from django.test import Client

from restons.models import Circle, Membership, Person
from restons.services.circles import create_circle
from restons.services.people import PersonInput, add_person

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def friends(alice, camille) -> Circle:
    """The circle the camille fixture joined; created on her page, so without a cadence."""
    return Circle.objects.get(owner=alice, name="Friends")


@pytest.fixture
def bruno(alice) -> Person:
    return add_person(alice, PersonInput(name="Bruno Petit", circles=["Friends"]))


@pytest.fixture
def bobs_circle(bob) -> Circle:
    return create_circle(bob, "Bob's club", 30)


def memberships(circle) -> set[str]:
    return set(Membership.objects.filter(circle=circle).values_list("person__name", flat=True))


def test_the_list_shows_each_circle_its_size_and_its_cadence(alice_client, alice, friends, bruno):
    create_circle(alice, "Agency alumni", 90)
    page = alice_client.get("/circles/").content.decode()
    assert page.index("Agency alumni") < page.index("Friends")
    assert "every 3 months" in page
    assert "2 people" in page and "no cadence" in page and "its people are untracked" in page
    assert "2 people are in circles without a cadence: untracked, never due, never on Today." in page


def test_alice_creates_a_circle_with_a_cadence(alice_client, alice):
    response = alice_client.post("/circles/", {"name": "  PRSA   chapter ", "every": "1m"})
    circle = Circle.objects.get(owner=alice)
    assert response.status_code == 302 and response.url == f"/circles/{circle.id}/"
    assert (circle.name, circle.cadence_days) == ("PRSA chapter", 30)


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "every": "1m"}, "This field is required."),
    ({"name": "friends", "every": "1m"}, "You already have a circle called friends."),
    ({"name": "Club", "every": "soon"}, "Select a valid choice. soon is not one of the available choices."),
])
def test_bad_circles_are_refused_and_nothing_is_written(alice_client, alice, friends, data, message):
    response = alice_client.post("/circles/", data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert list(Circle.objects.filter(owner=alice).values_list("name", flat=True)) == ["Friends"]


def test_alice_renames_a_circle_and_sets_its_cadence(alice_client, alice, friends, camille):
    """GIVEN Camille has her own cadence and Bruno only the circle's WHEN the circle gets one THEN Bruno is tracked."""
    bruno = add_person(alice, PersonInput(name="Bruno Petit", circles=["Friends"]))
    assert "— their circle has no cadence:" in alice_client.get(f"/people/{bruno.id}/").content.decode()

    response = alice_client.post(f"/circles/{friends.id}/", {"name": "Close friends", "every": "2w"})

    assert response.status_code == 302 and response.url == f"/circles/{friends.id}/"
    friends.refresh_from_db()
    assert (friends.name, friends.cadence_days) == ("Close friends", 14)
    page = alice_client.get(f"/people/{bruno.id}/").content.decode()
    assert "every 2 weeks" in page and "no cadence" not in page


def test_the_lists_inline_form_sets_or_clears_the_cadence(alice_client, friends):
    response = alice_client.post(f"/circles/{friends.id}/", {"name": "Friends", "every": "3m", "next": "list"})
    assert response.status_code == 302 and response.url == "/circles/"
    friends.refresh_from_db()
    assert friends.cadence_days == 90
    alice_client.post(f"/circles/{friends.id}/", {"name": "Friends", "every": "", "next": "list"})
    friends.refresh_from_db()
    assert friends.cadence_days is None


def test_renaming_onto_another_circles_name_is_refused(alice_client, alice, friends):
    create_circle(alice, "Family", None)
    response = alice_client.post(f"/circles/{friends.id}/", {"name": "FAMILY", "every": ""})
    assert response.status_code == 400
    assert "You already have a circle called FAMILY." in response.content.decode()
    friends.refresh_from_db()
    assert friends.name == "Friends"


def test_alice_deletes_a_circle_and_its_people_stay(alice_client, alice, friends, camille):
    response = alice_client.post(f"/circles/{friends.id}/delete/")
    assert response.status_code == 302 and response.url == "/circles/"
    assert not Circle.objects.filter(owner=alice).exists()
    assert Person.objects.filter(pk=camille.pk).exists()


def test_members_are_added_with_the_picker_and_removed(alice_client, alice, friends, camille):
    """GIVEN Friends holds Camille WHEN alice finds Bruno, adds him, then removes Camille THEN Bruno alone stays."""
    bruno = add_person(alice, PersonInput(name="Bruno Petit"))
    found = alice_client.get(f"/circles/{friends.id}/pick/", {"q": "bru"}, **HTMX).content.decode()
    assert f'name="people" value="{bruno.id}">' in found
    assert "Camille" not in alice_client.get(f"/circles/{friends.id}/pick/", {"q": "mar"}, **HTMX).content.decode()

    response = alice_client.post(f"/circles/{friends.id}/people/", {"people": [bruno.id]}, **HTMX)
    body = response.content.decode()
    assert body.startswith('<section class="card" id="circle-members">') and "One person added." in body
    assert memberships(friends) == {"Camille Martin", "Bruno Petit"}

    response = alice_client.post(f"/circles/{friends.id}/people/{camille.id}/remove/")
    assert response.status_code == 302 and response.url == f"/circles/{friends.id}/"
    assert memberships(friends) == {"Bruno Petit"}


def test_the_circle_page_shows_its_members_without_javascript_search(alice_client, alice, friends, camille):
    bruno = add_person(alice, PersonInput(name="Bruno Petit"))
    page = alice_client.get(f"/circles/{friends.id}/", {"q": "Petit"}).content.decode()
    assert 'href="/people/%d/">Camille Martin</a>' % camille.id in page
    assert 'id="add-members" open' in page and f'name="people" value="{bruno.id}">' in page


def test_bob_gets_404_for_alices_circles_and_cannot_slip_in_his_people(alice_client, bob_client, alice, bob, friends,
                                                                     camille, bobs_circle):
    bobs_friend = add_person(bob, PersonInput(name="Zoé Bob-Friend"))
    urls = [f"/circles/{friends.id}/", f"/circles/{friends.id}/pick/"]
    for url in urls:
        assert bob_client.get(url).status_code == 404
    posts = {
        f"/circles/{friends.id}/": {"name": "Mine", "every": "1m"},
        f"/circles/{friends.id}/delete/": {},
        f"/circles/{friends.id}/people/": {"people": [bobs_friend.id]},
        f"/circles/{friends.id}/people/{camille.id}/remove/": {},
    }
    for url, data in posts.items():
        assert bob_client.post(url, data).status_code == 404, url
    # alice cannot touch bob's circle, nor put bob's person in hers
    assert alice_client.post(f"/circles/{bobs_circle.id}/", {"name": "x"}).status_code == 404
    assert alice_client.post(f"/circles/{friends.id}/people/", {"people": [bobs_friend.id]}).status_code == 404
    assert alice_client.post(f"/circles/{friends.id}/people/", {"people": ["nonsense"]}).status_code == 400
    friends.refresh_from_db()
    assert (friends.name, memberships(friends)) == ("Friends", {"Camille Martin"})
    assert "Bob&#x27;s club" not in alice_client.get("/circles/").content.decode()
    assert "Friends" not in bob_client.get("/circles/").content.decode()


def test_anonymous_visitors_go_to_login_and_posts_need_csrf(csrf_client, alice, friends, camille):
    for url in ("/circles/", f"/circles/{friends.id}/", f"/circles/{friends.id}/pick/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")
    posts = ["/circles/", f"/circles/{friends.id}/", f"/circles/{friends.id}/delete/",
             f"/circles/{friends.id}/people/", f"/circles/{friends.id}/people/{camille.id}/remove/"]
    for url in posts:
        assert csrf_client.post(url, {"name": "Hacked", "every": "1m"}).status_code == 403, url
    friends.refresh_from_db()
    assert friends.name == "Friends" and memberships(friends) == {"Camille Martin"}


def test_an_untracked_person_says_why(alice_client, alice):
    loner = add_person(alice, PersonInput(name="Lou Seul"))
    page = alice_client.get(f"/people/{loner.id}/").content.decode()
    assert "— no cadence of their own, and in no circle" in page
    create_circle(alice, "Club", None)
    create_circle(alice, "Choir", None)
    add_person(alice, PersonInput(name="Dana Two", circles=["Club", "Choir"]))
    dana = Person.objects.get(name="Dana Two")
    page = alice_client.get(f"/people/{dana.id}/").content.decode()
    assert "— none of their circles has a cadence:" in page
    assert page.index(">Choir</a>") < page.index(">Club</a>")
