"""Correcting and forgetting on the web: each ping of a timeline edited or deleted, a person deleted, people
archived or deleted in bulk, the demo people removed, and Undo after "I pinged them" on Today."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from restons.models import Checkup, Identity, Interaction, Person
from restons.services import checkups
from restons.services.demo import fill_demo
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 6, 15, 12, 0, tzinfo=PARIS)
HX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pings(alice, camille):
    """Camille (every 30 days): a ping from her on 1 May, one from you on 1 June (so she is due 1 July)."""
    first = log_ping(alice, camille, direction="in", channel="email", at=datetime(2026, 5, 1, 9, 0, tzinfo=PARIS),
                     note="Coffee?")
    second = log_ping(alice, camille, direction="out", channel="text", at=datetime(2026, 6, 1, 18, 0, tzinfo=PARIS))
    return first, second


@pytest.fixture
def bruno(alice):
    return add_person(alice, PersonInput(name="Bruno Petit", emails=["bruno@example.org"]))


def ping_url(person, interaction, action):
    return f"/people/{person.id}/pings/{interaction.id}/{action}/"


def no_inline_script(html: str) -> bool:
    """No <script> without src and no on…= handler: the page keeps working under a strict Content-Security-Policy."""
    return not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and not re.search(r"\son[a-z]+\s*=", html)


# -- access: every new URL ---------------------------------------------------------------------------------


def new_urls(camille, first):
    return [
        ("get", ping_url(camille, first, "edit"), {}),
        ("post", ping_url(camille, first, "edit"), {"note": "Stolen"}),
        ("get", ping_url(camille, first, "delete"), {}),
        ("post", ping_url(camille, first, "delete"), {}),
        ("get", f"/people/{camille.id}/delete/", {}),
        ("post", f"/people/{camille.id}/delete/", {}),
        ("post", "/people/archive/", {"person": [camille.id], "archived": "1"}),
        ("post", "/people/delete/", {"person": [camille.id], "confirm": "1"}),
        ("post", f"/today/undo/{first.id}/", {}),
    ]


def unchanged(camille, first):
    camille.refresh_from_db()
    first.refresh_from_db()
    return (Person.objects.filter(pk=camille.pk).exists() and not camille.archived and first.summary == "Coffee?"
            and Interaction.objects.filter(pk=first.pk).exists())


def test_bob_gets_404_everywhere(bob_client, camille, pings):
    first, _second = pings
    for method, url, data in new_urls(camille, first):
        if url.startswith("/people/archive/") or url.startswith("/people/delete/"):
            continue  # lists of ids: another user's are ignored (tested below)
        response = getattr(bob_client, method)(url, data)
        assert response.status_code == 404, url
        assert getattr(bob_client, method)(url, data, **HX).status_code == 404, url
    assert unchanged(camille, first)


def test_bob_cannot_archive_or_delete_alices_people_in_bulk(bob_client, bob, camille, pings):
    first, _second = pings
    bob_client.post("/people/archive/", {"person": [camille.id], "archived": "1"})
    bob_client.post("/people/delete/", {"person": [camille.id], "confirm": "1"})
    page = bob_client.post("/people/delete/", {"person": [camille.id]}, follow=True).content.decode()

    assert "Camille" not in page and "Select at least one person." in page
    assert unchanged(camille, first)


def test_anonymous_is_sent_to_login(client, camille, pings):
    first, _second = pings
    for method, url, data in new_urls(camille, first) + [("get", "/people/demo/remove/", {}),
                                                          ("post", "/people/demo/remove/", {})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert unchanged(camille, first)


def test_post_without_csrf_token_is_refused(csrf_client, alice, camille, pings):
    first, _second = pings
    for method, url, data in new_urls(camille, first) + [("post", "/people/demo/remove/", {})]:
        if method == "post":
            assert csrf_client.post(url, data).status_code == 403, url
    assert unchanged(camille, first)


def test_a_ping_of_another_person_is_404_under_this_one(alice_client, camille, bruno, pings):
    first, _second = pings
    assert alice_client.get(ping_url(bruno, first, "edit")).status_code == 404
    assert alice_client.post(ping_url(bruno, first, "delete")).status_code == 404
    assert alice_client.post(f"/people/{camille.id}/pings/99999999999999999999/delete/").status_code == 400
    assert Interaction.objects.count() == 2


# -- the timeline: edit --------------------------------------------------------------------------------------


def test_each_ping_of_the_timeline_offers_edit_and_delete(alice_client, camille, pings):
    html = alice_client.get(f"/people/{camille.id}/").content.decode()

    for interaction in pings:
        assert f'id="ping-{interaction.id}"' in html
        assert f'href="{ping_url(camille, interaction, "edit")}#ping-{interaction.id}"' in html
        assert f'hx-get="{ping_url(camille, interaction, "delete")}"' in html
    assert no_inline_script(html)


def test_edit_form_in_place_and_without_javascript(alice_client, camille, pings):
    first, _second = pings

    fragment = alice_client.get(ping_url(camille, first, "edit"), **HX).content.decode()
    page = alice_client.get(ping_url(camille, first, "edit")).content.decode()

    assert fragment.lstrip().startswith('<section class="card" id="activity"') and "<html" not in fragment
    for html in (fragment, page):
        assert 'name="at" value="2026-05-01T09:00"' in html
        assert '<option value="in" selected>' in html and '<option value="email" selected>' in html
        assert ">Coffee?</textarea>" in html
    assert "<html" in page


def test_editing_a_ping_moves_the_status_chart_and_timeline(alice_client, alice, camille, pings):
    """GIVEN Camille due 1 July WHEN her 1 June ping is moved to 12 June and made hers THEN the timeline, and the
    status sent along, say next due 12 July; the checkup is recomputed."""
    _first, second = pings
    checkups.ensure_current(alice, NOON.date())

    response = alice_client.post(ping_url(camille, second, "edit"), {
        "at": "2026-06-12T08:30", "direction": "in", "channel": "call", "note": "  She called  "}, **HX)

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="status" hx-swap-oob="true"' in html and "12 July 2026" in html and "She called" in html
    second.refresh_from_db()
    assert (second.at, second.direction, second.channel, second.summary) == (
        datetime(2026, 6, 12, 8, 30, tzinfo=PARIS), "in", "call", "She called")
    assert not Checkup.objects.filter(person=camille).exists()  # recomputed on the next read


def test_editing_without_javascript_redirects_to_the_timeline(alice_client, camille, pings):
    first, _second = pings

    response = alice_client.post(ping_url(camille, first, "edit"), {
        "at": "2026-05-02T10:00", "direction": "both", "channel": "meeting", "note": ""})

    assert response.status_code == 302 and response["Location"] == f"/people/{camille.id}/#activity"
    first.refresh_from_db()
    assert (first.direction, first.channel, first.summary) == ("both", "meeting", "")


@pytest.mark.parametrize("data, message", [
    ({"at": "2026-06-16T09:00"}, "is in the future"),
    ({"at": "1850-01-01T09:00"}, "1850-01-01 is out of range"),
    ({"at": "soon"}, "&#x27;soon&#x27; is not a date and time"),
    ({"channel": "pigeon"}, "unknown channel"),
    ({"note": "x" * 10_001}, "The note is 10001 characters long"),
])
def test_a_bad_edit_is_shown_in_the_form_and_changes_nothing(alice_client, camille, pings, data, message):
    first, _second = pings
    form = {"at": "2026-05-01T09:00", "direction": "in", "channel": "email", "note": "Coffee?", **data}

    htmx = alice_client.post(ping_url(camille, first, "edit"), form, **HX)
    plain = alice_client.post(ping_url(camille, first, "edit"), form)

    assert htmx.status_code == 200 and plain.status_code == 400
    for response in (htmx, plain):
        html = response.content.decode()
        assert message in html and 'role="alert"' in html and 'class="stack ping-edit"' in html
    first.refresh_from_db()
    assert (first.at, first.channel, first.summary) == (datetime(2026, 5, 1, 9, 0, tzinfo=PARIS), "email", "Coffee?")


# -- the timeline: delete ------------------------------------------------------------------------------------


def test_delete_asks_first_in_place(alice_client, camille, pings):
    first, _second = pings

    fragment = alice_client.get(ping_url(camille, first, "delete"), **HX).content.decode()
    page = alice_client.get(ping_url(camille, first, "delete")).content.decode()

    for html in (fragment, page):
        assert "Delete this ping?" in html and "Keep it" in html
        assert f'action="{ping_url(camille, first, "delete")}"' in html
    assert Interaction.objects.filter(pk=first.pk).exists()


def test_deleting_a_ping_brings_the_due_date_back(alice_client, camille, pings):
    """GIVEN Camille due 1 July WHEN her 1 June ping is deleted THEN she is overdue since 31 May."""
    first, second = pings

    html = alice_client.post(ping_url(camille, second, "delete"), **HX).content.decode()

    assert list(Interaction.objects.values_list("id", flat=True)) == [first.id]
    assert f'id="ping-{second.id}"' not in html and f'id="ping-{first.id}"' in html
    assert 'id="status" hx-swap-oob="true"' in html and "31 May 2026" in html and "overdue" in html
    response = alice_client.post(ping_url(camille, first, "delete"))
    assert response.status_code == 302 and response["Location"] == f"/people/{camille.id}/#activity"
    assert not Interaction.objects.exists()


# -- deleting a person ----------------------------------------------------------------------------------------


def test_delete_person_asks_first(alice_client, camille, pings):
    html = alice_client.get(f"/people/{camille.id}/").content.decode()
    assert f'href="/people/{camille.id}/delete/"' in html

    page = alice_client.get(f"/people/{camille.id}/delete/").content.decode()

    assert "Delete this person?" in page and "Camille Martin" in page
    assert "Their addresses, their 2 pings, milestones, outcomes and places in pledges go with them." in page
    assert f'action="/people/{camille.id}/delete/"' in page and "archive instead" in page
    assert no_inline_script(page)
    assert Person.objects.filter(pk=camille.pk).exists()


def test_delete_person_forgets_them(alice_client, alice, camille, bruno, pings):
    response = alice_client.post(f"/people/{camille.id}/delete/", follow=True)

    assert response.redirect_chain == [("/people/", 302)]
    assert "Camille Martin is deleted, with everything about them." in response.content.decode()
    assert list(Person.objects.values_list("name", flat=True)) == ["Bruno Petit"]
    assert list(Identity.objects.values_list("value", flat=True)) == ["bruno@example.org"]
    assert not Interaction.objects.exists()
    assert alice_client.get(f"/people/{camille.id}/").status_code == 404


# -- bulk ------------------------------------------------------------------------------------------------------


def test_the_people_page_offers_bulk_archive_and_delete(alice_client, camille):
    html = alice_client.get("/people/").content.decode()

    assert 'formaction="/people/archive/"' in html and 'formaction="/people/delete/"' in html
    assert "Archive the ticked people" in html and "Delete the ticked people…" in html
    assert "Bring back the ticked people" not in html
    assert "Bring back the ticked people" in alice_client.get("/people/?archived=1").content.decode()


def test_bulk_archive_and_bring_back(alice_client, alice, bob, camille, bruno):
    theirs = add_person(bob, PersonInput(name="Zoé"))

    response = alice_client.post("/people/archive/", {"person": [camille.id, bruno.id, theirs.id], "archived": "1",
                                                      "next": "/people/?sort=name"}, follow=True)

    assert response.redirect_chain == [("/people/?sort=name", 302)]
    assert "2 people archived." in response.content.decode()
    assert set(Person.objects.filter(archived=True).values_list("name", flat=True)) == {"Camille Martin",
                                                                                         "Bruno Petit"}
    assert "Camille" not in alice_client.get("/people/").content.decode()
    alice_client.post("/people/archive/", {"person": [bruno.id], "archived": "0"})
    assert list(Person.objects.filter(archived=True).values_list("name", flat=True)) == ["Camille Martin"]


def test_bulk_with_nobody_ticked_says_so(alice_client, camille):
    for url in ("/people/archive/", "/people/delete/"):
        response = alice_client.post(url, {"circle": ""}, follow=True)
        assert "Select at least one person." in response.content.decode(), url
    assert Person.objects.filter(archived=False).count() == 1


def test_bulk_delete_asks_first_then_deletes_exactly_the_ticked(alice_client, alice, bob, camille, bruno, pings):
    """GIVEN three people of alice's and one of bob's ticked WHEN the deletion is asked THEN the page names alice's
    two only; WHEN confirmed THEN they are gone with their pings, and the third person and bob's stay."""
    theirs = add_person(bob, PersonInput(name="Zoé"))
    keep = add_person(alice, PersonInput(name="Ana Lima"))

    ask = alice_client.post("/people/delete/", {"person": [camille.id, bruno.id, theirs.id],
                                                "next": "/people/?q=a"})

    html = ask.content.decode()
    assert ask.status_code == 200 and "Delete these 2 people?" in html
    assert "<li>Bruno Petit</li>" in html and "<li>Camille Martin</li>" in html and "Zoé" not in html
    assert "their 2 pings" in html and 'href="/people/?q=a"' in html
    assert re.findall(r'name="person" value="(\d+)"', html) == [str(bruno.id), str(camille.id)]
    assert Person.objects.count() == 4

    done = alice_client.post("/people/delete/", {"person": [camille.id, bruno.id, theirs.id], "confirm": "1",
                                                 "next": "/people/?q=a"}, follow=True)

    assert done.redirect_chain == [("/people/?q=a", 302)]
    assert "2 people deleted, with everything about them." in done.content.decode()
    assert set(Person.objects.values_list("name", flat=True)) == {"Ana Lima", "Zoé"}
    assert not Interaction.objects.exists() and Person.objects.get(pk=keep.pk)


# -- the demo people ----------------------------------------------------------------------------------------


def test_the_people_page_offers_to_remove_the_demo_people(alice_client, alice):
    assert "Remove the demo people" not in alice_client.get("/people/").content.decode()
    fill_demo(alice)

    html = alice_client.get("/people/").content.decode()

    assert "12 invented demo people are here to show Restons at work." in html
    assert 'href="/people/demo/remove/"' in html


def test_removing_the_demo_people_asks_first_and_keeps_everyone_else(alice_client, alice, bob):
    fill_demo(alice)
    fill_demo(bob)
    real = add_person(alice, PersonInput(name="Camille Martin", emails=["camille@real.example"]))

    ask = alice_client.get("/people/demo/remove/").content.decode()

    names = re.search(r'<ul class="names">(.*?)</ul>', ask, re.S).group(1)
    assert "Remove the demo people?" in ask and names.count("<li>") == 12 and "<li>Inès Laurent</li>" in names
    assert 'action="/people/demo/remove/"' in ask and 'name="person"' not in ask
    assert Person.objects.filter(owner=alice).count() == 13

    done = alice_client.post("/people/demo/remove/", follow=True)

    assert done.redirect_chain == [("/people/", 302)]
    assert "12 demo people removed." in done.content.decode()
    assert list(Person.objects.filter(owner=alice)) == [real]
    assert Person.objects.filter(owner=bob).count() == 12
    assert "Remove the demo people" not in done.content.decode()
    assert alice_client.post("/people/demo/remove/").status_code == 400
    assert alice_client.get("/people/demo/remove/")["Location"] == "/people/"


# -- Undo on Today ----------------------------------------------------------------------------------------------


@pytest.fixture
def overdue(alice, camille):
    with time_machine.travel(NOON - timedelta(days=60), tick=False):
        log_ping(alice, camille, direction="both", channel="meeting")
    return camille


def test_i_pinged_them_offers_undo_and_undo_brings_the_entry_back(alice_client, alice, overdue):
    """GIVEN Camille overdue on Today WHEN "I pinged them" THEN the confirmation has an Undo button; WHEN Undo is
    clicked 30 s later THEN the ping is gone and her entry, with its reason, is back in place."""
    done = alice_client.post(f"/today/{overdue.id}/ping/", {"channel": "text"}, **HX).content.decode()
    logged = Interaction.objects.latest("at")
    assert "Ping with Camille Martin logged." in done
    assert f'hx-post="/today/undo/{logged.id}/"' in done and ">Undo</button>" in done
    assert f'hx-target="#entry-{overdue.id}"' in done and no_inline_script(done)

    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        back = alice_client.post(f"/today/undo/{logged.id}/", **HX).content.decode()

    assert not Interaction.objects.filter(pk=logged.pk).exists()
    assert Interaction.objects.count() == 1
    assert back.lstrip().startswith(f'<li class="card entry" id="entry-{overdue.id}">')
    assert "30 days overdue" in back and "I pinged them" in back
    assert "Camille Martin" in alice_client.get("/").content.decode()


def test_undo_without_javascript(alice_client, overdue):
    response = alice_client.post(f"/today/{overdue.id}/ping/", {"channel": "text"})
    logged = Interaction.objects.latest("at")
    assert response.status_code == 302 and response["Location"] == f"/?undo={logged.id}"

    page = alice_client.get(response["Location"]).content.decode()
    assert "Ping with Camille Martin logged." in page and f'action="/today/undo/{logged.id}/"' in page
    assert no_inline_script(page)

    undone = alice_client.post(f"/today/undo/{logged.id}/", follow=True)
    assert undone.redirect_chain == [("/", 302)]
    html = undone.content.decode()
    assert "The ping with Camille Martin is undone." in html and "30 days overdue" in html
    assert not Interaction.objects.filter(pk=logged.pk).exists()


def test_undo_for_someone_not_on_todays_list_says_it_is_undone(alice_client, bruno):
    alice_client.post(f"/today/{bruno.id}/ping/", {"channel": "text"}, **HX)
    logged = Interaction.objects.get()

    html = alice_client.post(f"/today/undo/{logged.id}/", **HX).content.decode()

    assert f'id="entry-{bruno.id}"' in html and "The ping with Bruno Petit is undone." in html
    assert not Interaction.objects.exists()


def test_without_javascript_the_undo_keeps_the_day_planned_ahead(alice_client, overdue):
    response = alice_client.post(f"/today/{overdue.id}/ping/", {"channel": "text"},
                                 HTTP_REFERER="http://testserver/?date=2026-06-20&undo=1")

    logged = Interaction.objects.latest("at")
    assert response["Location"] == f"http://testserver/?date=2026-06-20&undo={logged.id}"


def test_undo_is_no_longer_offered_nor_accepted_after_two_minutes(alice_client, overdue):
    alice_client.post(f"/today/{overdue.id}/ping/", {"channel": "text"})
    logged = Interaction.objects.latest("at")

    with time_machine.travel(NOON + timedelta(minutes=2, seconds=1), tick=False):
        page = alice_client.get(f"/?undo={logged.id}").content.decode()
        response = alice_client.post(f"/today/undo/{logged.id}/", **HX)

    assert "/today/undo/" not in page
    assert response.status_code == 400 and "can no longer be undone" in response.content.decode()
    assert Interaction.objects.filter(pk=logged.pk).exists()


def test_undo_never_deletes_an_older_ping_nor_someone_elses(alice_client, bob_client, alice, overdue):
    older = Interaction.objects.get()
    assert alice_client.post(f"/today/undo/{older.id}/").status_code == 400
    assert "/today/undo/" not in alice_client.get(f"/?undo={older.id}").content.decode()
    alice_client.post(f"/today/{overdue.id}/ping/", {"channel": "text"})
    logged = Interaction.objects.latest("at")

    assert "/today/undo/" not in bob_client.get(f"/?undo={logged.id}").content.decode()
    assert bob_client.post(f"/today/undo/{logged.id}/").status_code == 404
    assert Interaction.objects.count() == 2


def test_the_new_screens_speak_french(alice_client, alice, camille, pings, overdue):
    """The questions and buttons are translated (a missing entry would leave them in English)."""
    first, _second = pings
    fr = {"HTTP_ACCEPT_LANGUAGE": "fr"}

    person_page = alice_client.get(f"/people/{camille.id}/", **fr).content.decode()
    asking = alice_client.get(ping_url(camille, first, "delete"), **fr).content.decode()
    deleting = alice_client.get(f"/people/{camille.id}/delete/", **fr).content.decode()
    done = alice_client.post(f"/today/{camille.id}/ping/", {"channel": "text"}, **HX, **fr).content.decode()

    assert "Supprimer…" in person_page and ">modifier</a>" in person_page
    assert "Supprimer ce signe\u00a0?" in asking and "Le garder" in asking
    assert "Supprimer cette personne\u00a0?" in deleting and "leurs 3 signes" in deleting
    assert "Signe avec Camille Martin noté." in done and ">Annuler</button>" in done
