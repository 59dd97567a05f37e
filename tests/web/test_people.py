"""The People list (search, filters, sort, pages, bulk add to a circle) and adding a person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from restons.models import Circle, Identity, Membership, Person
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person

ROW = re.compile(r'class="name" href="/people/(\d+)/"')


def shown(response) -> list[int]:
    """Ids of the people listed, in order."""
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.content.decode())]


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def crowd(alice):
    """GIVEN four people with known health:
    ana (every 30d, pinged 20 days ago, answered: mutual, due in 10 days),
    bea (every 30d, pinged 25 days ago, no answer: you carry it, due in 5 days),
    cleo (never touched, no cadence: untracked),
    dan (every 30d, last ping 60 days ago: overdue).
    """
    ana = add_person(alice, PersonInput(name="Ana Lima", emails=["ana@lima.example"], orgs=["Globex"],
                                        interests=["jazz"], circles=["Friends"], cadence_days=30))
    bea = add_person(alice, PersonInput(name="Bea Costa", orgs=["Initech"], cadence_days=30, circles=["PRSA"]))
    cleo = add_person(alice, PersonInput(name="Cleo Park", phones=["+33 6 12 34 56 78"], interests=["football"]))
    dan = add_person(alice, PersonInput(name="Dan Roe", cadence_days=30))
    Person.objects.filter(owner=alice).update(created_at=ago(400))
    log_ping(alice, ana, direction="out", at=ago(30))
    log_ping(alice, ana, direction="in", at=ago(20))
    log_ping(alice, bea, direction="out", at=ago(25))
    log_ping(alice, dan, direction="out", at=ago(60))
    return {"ana": ana.id, "bea": bea.id, "cleo": cleo.id, "dan": dan.id}


# -- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/people/", "/people/new/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_anonymous_cannot_post(client, db):
    for url in ("/people/new/", "/people/circle/"):
        response = client.post(url, {"name": "X", "circle": "Y"})
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Person.objects.exists()


@pytest.mark.parametrize("url,data", [("/people/new/", {"name": "Zoe"}), ("/people/circle/", {"circle": "Friends"})])
def test_post_without_csrf_token_is_refused(csrf_client, url, data):
    assert csrf_client.post(url, data).status_code == 403
    assert not Person.objects.filter(name="Zoe").exists()


def test_bob_sees_only_his_people(bob_client, crowd):
    assert shown(bob_client.get("/people/")) == []


# -- search, filters, sort ---------------------------------------------------------------------------


@pytest.mark.parametrize("query,who", [
    ("ana@lima", ["ana"]),            # an identity
    ("initech", ["bea"]),             # an organisation
    ("Football", ["cleo"]),           # an interest
    ("roe", ["dan"]),                 # a name
    ("+336123", ["cleo"]),            # a phone number, stored E.164
    ("nobody-at-all", []),
])
def test_search(alice_client, crowd, query, who):
    assert shown(alice_client.get("/people/", {"q": query})) == [crowd[w] for w in who]


def test_filters(alice_client, crowd):
    assert shown(alice_client.get("/people/", {"circle": "friends", "sort": "name"})) == [crowd["ana"]]
    assert shown(alice_client.get("/people/", {"status": "overdue"})) == [crowd["dan"]]
    assert shown(alice_client.get("/people/", {"status": "untracked"})) == [crowd["cleo"]]
    assert shown(alice_client.get("/people/", {"reciprocity": "mutual"})) == [crowd["ana"]]
    assert shown(alice_client.get("/people/", {"reciprocity": "you-carry", "sort": "name"})) == [crowd["bea"], crowd["dan"]]
    # Search and filters combine.
    assert shown(alice_client.get("/people/", {"q": "a", "status": "due"})) == []


def test_unknown_filter_values_are_ignored(alice_client, crowd):
    assert len(shown(alice_client.get("/people/", {"status": "nonsense", "reciprocity": "x", "sort": "y"}))) == 4


def test_sort_orders(alice_client, crowd):
    ids = lambda *names: [crowd[n] for n in names]  # noqa: E731
    # Next due: overdue first, never-tracked last.
    assert shown(alice_client.get("/people/")) == ids("dan", "bea", "ana", "cleo")
    assert shown(alice_client.get("/people/", {"sort": "due"})) == ids("dan", "bea", "ana", "cleo")
    assert shown(alice_client.get("/people/", {"sort": "touch"})) == ids("ana", "bea", "dan", "cleo")
    assert shown(alice_client.get("/people/", {"sort": "name"})) == ids("ana", "bea", "cleo", "dan")
    strength = shown(alice_client.get("/people/", {"sort": "strength"}))
    assert strength[0] == crowd["ana"] and strength[-1] == crowd["cleo"]


def test_badges_use_translated_labels(alice_client, crowd):
    html = alice_client.get("/people/").content.decode()
    assert '<span class="badge overdue">overdue</span>' in html
    assert '<span class="badge you-carry">you carry it</span>' in html
    assert '<span class="badge on-track">on track</span>' in html
    french = alice_client.get("/people/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in french


def test_archived_people_only_on_request(alice_client, alice, crowd):
    Person.objects.filter(pk=crowd["dan"]).update(archived=True)
    assert crowd["dan"] not in shown(alice_client.get("/people/"))
    assert crowd["dan"] in shown(alice_client.get("/people/", {"archived": "1"}))


def test_pagination(alice_client, alice):
    for n in range(53):
        add_person(alice, PersonInput(name=f"Person {n:02d}"))
    first = shown(alice_client.get("/people/", {"sort": "name"}))
    second = shown(alice_client.get("/people/", {"sort": "name", "page": 2}))
    assert len(first) == 50 and len(second) == 3
    assert not set(first) & set(second)
    html = alice_client.get("/people/", {"sort": "name"}).content.decode()
    assert "Page 1 of 2" in html and "?sort=name&amp;page=2" in html
    # A page past the end shows the last one.
    assert shown(alice_client.get("/people/", {"sort": "name", "page": 99})) == second


def test_query_count_does_not_grow_with_rows(alice_client, alice, django_assert_num_queries):
    def people(start, stop):
        for n in range(start, stop):
            person = add_person(alice, PersonInput(name=f"Person {n:02d}", emails=[f"p{n}@example.org"],
                                                   orgs=[f"Org {n % 3}"], interests=["jazz"], circles=["Friends"],
                                                   cadence_days=30))
            log_ping(alice, person, direction="in", at=ago(n + 1))

    people(0, 5)
    with CaptureQueriesContext(connection) as five:
        assert len(shown(alice_client.get("/people/", {"q": "example"}))) == 5
    people(5, 40)
    with django_assert_num_queries(len(five)):
        assert len(shown(alice_client.get("/people/", {"q": "example"}))) == 40


def test_the_total_follows_every_change_without_counting_each_time(alice_client, alice, bob, crowd):
    """The unfiltered total comes from the kept checkups' state, not a COUNT per visit, and is right after
    adding, archiving, un-archiving and deleting people; another owner's people never count."""
    from restons.services.people import archive_people, delete_people

    def total(**params) -> int:
        html = alice_client.get("/people/", params).content.decode()
        return int(re.search(r'<p class="lede">(?:One person|(\d+) people)\.</p>', html).group(1) or 1)

    add_person(bob, PersonInput(name="Bob's friend"))
    assert total() == 4
    with CaptureQueriesContext(connection) as visit:
        alice_client.get("/people/")
    assert not [q for q in visit.captured_queries if "COUNT(" in q["sql"] and "restons_checkup" in q["sql"]]
    extra = add_person(alice, PersonInput(name="Eve Late"))
    assert total() == 5
    archive_people(alice, [crowd["dan"]])
    assert total() == 4 and total(archived="1") == 5
    Person.objects.filter(pk=crowd["dan"]).update(archived=False)  # update() sends no signal: forgotten by hand
    from restons.services import checkups

    checkups.forget(alice.pk, [crowd["dan"]])
    assert total() == 5
    delete_people(alice, [extra.id])
    assert total() == 4
    assert total(status="overdue") == 1  # filtered: counted


# -- bulk add to a circle ----------------------------------------------------------------------------


def test_bulk_add_to_a_circle(alice_client, alice, bob, crowd):
    bobs = add_person(bob, PersonInput(name="Bob's friend"))
    response = alice_client.post("/people/circle/", {
        "person": [crowd["ana"], crowd["cleo"], bobs.id, "junk"], "circle": "  Book   club ",
        "next": "/people/?sort=name",
    })
    assert response.status_code == 302 and response["Location"] == "/people/?sort=name"
    circle = Circle.objects.get(owner=alice, name="Book club")
    assert set(Membership.objects.filter(circle=circle).values_list("person_id", flat=True)) == {crowd["ana"], crowd["cleo"]}
    assert not Membership.objects.filter(person=bobs).exists()
    assert not Circle.objects.filter(owner=bob).exists()
    # Again, with one already in: only the new one counts, nothing is duplicated.
    alice_client.post("/people/circle/", {"person": [crowd["ana"], crowd["dan"]], "circle": "book club"})
    assert Membership.objects.filter(circle=circle).count() == 3
    page = alice_client.get("/people/").content.decode()
    assert "1 person added to book club." in page


def test_bulk_add_needs_people_and_a_name(alice_client, alice, crowd):
    alice_client.post("/people/circle/", {"circle": "Friends"})
    assert "Select at least one person." in alice_client.get("/people/").content.decode()
    alice_client.post("/people/circle/", {"person": [crowd["bea"]], "circle": "  "})
    assert "A circle needs a name." in alice_client.get("/people/").content.decode()
    assert not Membership.objects.filter(person_id=crowd["bea"], circle__name="Friends").exists()


def test_bob_cannot_add_alices_people_to_his_circle(bob_client, bob, crowd):
    bob_client.post("/people/circle/", {"person": [crowd["ana"]], "circle": "Mine"})
    assert not Membership.objects.filter(person_id=crowd["ana"], circle__name="Mine").exists()


# -- add a person ------------------------------------------------------------------------------------


def test_add_person_form(alice_client):
    html = alice_client.get("/people/new/").content.decode()
    for name in ("name", "emails", "phones", "linkedin", "org", "met", "met_on", "interests", "circles", "every"):
        assert f'name="{name}"' in html
    assert '<datalist id="cadences">' in html


def test_add_person(alice_client, alice):
    response = alice_client.post("/people/new/", {
        "name": " Inès  Moreau ", "emails": "ines@example.org, Ines.Moreau@Work.example", "phones": "06 12 34 56 78",
        "linkedin": "https://www.linkedin.com/in/ines-moreau/", "org": "Acme, Inc.", "met": "PyCon sprint",
        "met_on": "2019-04-12", "interests": "Jazz, open source", "circles": "Friends, Python folks", "every": "3m",
    })
    person = Person.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == f"/people/{person.id}/"
    assert person.name == "Inès Moreau" and person.cadence_days == 90 and person.met_how == "PyCon sprint"
    assert person.met_on.isoformat() == "2019-04-12"
    assert set(Identity.objects.filter(person=person).values_list("kind", "value")) == {
        ("email", "ines@example.org"), ("email", "ines.moreau@work.example"), ("phone", "+33612345678"),
        ("linkedin", "https://www.linkedin.com/in/ines-moreau"),
    }
    assert sorted(person.interests.values_list("topic", flat=True)) == ["jazz", "open source"]
    assert sorted(person.circles.values_list("name", flat=True)) == ["Friends", "Python folks"]
    assert list(person.affiliations.values_list("organisation__name", flat=True)) == ["Acme, Inc."]
    assert "Inès Moreau added." in alice_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("data,message", [
    ({"name": "Twin", "emails": "camille@example.org"}, "camille@example.org already belongs to Camille Martin"),
    ({"name": "Bad", "emails": "not-an-email"}, "is not an email address"),
    ({"name": "Bad", "every": "often"}, "is not a duration"),
    ({"name": ""}, "This field is required."),
])
def test_add_person_errors_are_shown_in_the_form(alice_client, alice, camille, data, message):
    response = alice_client.post("/people/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html or message in html
    assert Person.objects.filter(owner=alice).count() == 1
    if data["name"]:
        assert f'value="{data["name"]}"' in html  # what was typed is kept


def test_same_identity_is_fine_for_another_user(bob_client, bob, camille):
    response = bob_client.post("/people/new/", {"name": "Camille", "emails": "camille@example.org"})
    assert response.status_code == 302
    assert Person.objects.filter(owner=bob).count() == 1
