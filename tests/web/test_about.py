"""Pings about your milestones, content and events on the web: the ping form, who noticed, who engaged, pledges in progress."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from restons.models import DismissedNotice, Interaction, Person
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person
from restons.services.planning import add_content, add_event, add_milestone, leave

PARIS = ZoneInfo("Europe/Paris")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    """Monday 15 June 2026, noon in Paris."""
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=PARIS), tick=False)
    return time_machine


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.fixture
def bruno(alice) -> Person:
    return add_person(alice, PersonInput(name="Bruno Petit"))


@pytest.fixture
def items(alice, camille, bruno) -> dict:
    """Your new studio (1 June) with Camille's and Bruno's messages after it, an issue and a game."""
    studio = add_milestone(alice, "Opened my studio", date(2026, 6, 1), None, False)
    log_ping(alice, camille, direction="in", at=at("2026-06-03 09:00"), note="Bravo for the studio!")
    log_ping(alice, bruno, direction="in", at=at("2026-06-04 10:00"), note="Quick question")
    return {
        "milestones": studio,
        "content": add_content(alice, "Issue 42", date(2026, 6, 10), "newsletter", ["football"]),
        "events": add_event(alice, "Cup final", date(2026, 6, 20), ["football"]),
    }


def pages(items) -> list[str]:
    return [f"/plans/{kind}/{obj.id}/" for kind, obj in items.items()]


def decisions(items, person) -> list[str]:
    studio = items["milestones"]
    return [f"/plans/milestones/{studio.id}/noticed/{person.id}/{verb}/" for verb in ("confirm", "dismiss")]


def links() -> list:
    return list(Interaction.objects.order_by("id").values_list("milestone_id", "content_id", "event_id"))


# ----------------------------------------------------------------------------- who may see what


def test_the_pages_answer_alice_and_send_visitors_to_login(alice_client, client, items):
    for url in pages(items):
        assert alice_client.get(url).status_code == 200, url
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_bob_gets_404_on_alices_pages_and_decisions(bob_client, items, camille):
    for url in pages(items):
        assert bob_client.get(url).status_code == 404, url
    for url in decisions(items, camille):
        assert bob_client.post(url).status_code == 404, url
        assert bob_client.post(url, **HTMX).status_code == 404, url
    assert links() == [(None, None, None), (None, None, None)]
    assert not DismissedNotice.objects.exists()


def test_bob_cannot_decide_about_his_friend_on_alices_milestone_nor_alice_about_his(alice_client, bob, items):
    friend = add_person(bob, PersonInput(name="Zoé Bob-Friend"))
    for url in decisions(items, friend):
        assert alice_client.post(url).status_code == 404, url


def test_anonymous_and_tokenless_decisions_are_refused(client, csrf_client, items, camille):
    for url in decisions(items, camille):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert csrf_client.post(url).status_code == 403
    assert links() == [(None, None, None), (None, None, None)]


def test_a_persons_milestone_has_no_who_noticed(alice_client, alice, camille):
    birthday = add_milestone(alice, "Birthday", date(1990, 6, 25), camille, True)
    assert alice_client.post(f"/plans/milestones/{birthday.id}/noticed/{camille.id}/confirm/").status_code == 404
    page = alice_client.get(f"/plans/milestones/{birthday.id}/").content.decode()
    assert "Who noticed" not in page and "Today proposes a ping in the week before it." in page
    assert f'<a class="plan-who" href="/people/{camille.id}/">Camille Martin</a>' in page


# ------------------------------------------------------------------------------ who noticed


def test_the_milestone_page_suggests_and_alice_confirms_and_dismisses(alice_client, items, camille, bruno):
    """GIVEN Camille and Bruno wrote in the days after the studio opened
    WHEN  alice confirms Camille's message (HTMX) and dismisses Bruno's (no JavaScript)
    THEN  Camille is among who noticed, Bruno is no longer suggested, and the hub links to the page.
    """
    studio = items["milestones"]
    page = alice_client.get(f"/plans/milestones/{studio.id}/").content.decode()
    assert "Who noticed it (1 June 2026)" in page
    assert "Bravo for the studio!" in page and "Quick question" in page
    assert "Nobody yet" in page
    assert f'href="/plans/milestones/{studio.id}/"' in alice_client.get("/plans/milestones/").content.decode()

    fragment = alice_client.post(f"/plans/milestones/{studio.id}/noticed/{camille.id}/confirm/", **HTMX).content.decode()
    assert fragment.startswith('<section class="card" id="noticed">')
    assert f'<li><a class="plan-who" href="/people/{camille.id}/">Camille Martin</a></li>' in fragment
    # The messages about it follow, out of band: Camille's is one now.
    assert '<div class="grid" id="item-pings" hx-swap-oob="true">' in fragment
    assert fragment.count("Bravo for the studio!") == 1 and "Quick question" in fragment
    assert Interaction.objects.get(summary="Bravo for the studio!").milestone == studio

    response = alice_client.post(f"/plans/milestones/{studio.id}/noticed/{bruno.id}/dismiss/")
    assert response.status_code == 302 and response["Location"] == f"/plans/milestones/{studio.id}/"
    page = alice_client.get(f"/plans/milestones/{studio.id}/").content.decode()
    assert "Quick question" not in page and "was it about this?" not in page
    assert Interaction.objects.get(summary="Quick question").milestone is None
    assert DismissedNotice.objects.get().person == bruno

    assert alice_client.post(f"/plans/milestones/{studio.id}/noticed/{bruno.id}/confirm/").status_code == 400


# ------------------------------------------------------------------------------ the ping form


def test_the_ping_form_offers_your_items_and_links_the_ping(alice_client, items, camille):
    page = alice_client.get(f"/people/{camille.id}/").content.decode()
    assert 'name="about"' in page and 'list="about-choices"' in page
    assert '<option value="Issue 42">' in page and '<option value="Opened my studio">' in page

    html = alice_client.post(f"/people/{camille.id}/ping/", {"channel": "email", "direction": "in", "at": "",
                                                              "note": "thanks for the newsletter", "about": "issue 42"},
                             **HTMX).content.decode()

    assert "Ping logged." in html
    ping = Interaction.objects.get(summary="thanks for the newsletter")
    assert ping.content == items["content"]
    engaged = alice_client.get(f"/plans/content/{items['content'].id}/").content.decode()
    assert "Who engaged" in engaged and "thanks for the newsletter" in engaged and "Camille Martin" in engaged


def test_an_unknown_about_is_an_error_and_nothing_is_written(alice_client, items, camille):
    before = Interaction.objects.count()
    html = alice_client.post(f"/people/{camille.id}/ping/", {"channel": "email", "direction": "out", "about": "Gala"},
                             **HTMX).content.decode()
    assert "None of your milestones, content or events is called “Gala”." in html
    response = alice_client.post(f"/people/{camille.id}/ping/", {"channel": "email", "direction": "out", "about": "Gala"})
    assert response.status_code == 400
    assert Interaction.objects.count() == before


def test_the_event_page_lists_your_pings_about_it(alice_client, alice, items, camille):
    log_ping(alice, camille, channel="text", note="Are you going?", about=items["events"])
    page = alice_client.get(f"/plans/events/{items['events'].id}/").content.decode()
    assert "Your pings about it" in page and "Are you going?" in page


# ------------------------------------------------------------------------------ pledges in progress


def test_a_pledge_made_today_is_in_progress_not_kept(alice_client, alice, camille, bruno):
    pledge = leave(alice, "Acme", date(2026, 6, 15), [camille, bruno], None)
    log_ping(alice, camille)

    listing = alice_client.get("/pledges/").content.decode()
    detail = alice_client.get(f"/pledges/{pledge.id}/").content.decode()

    for body in (listing, detail):
        assert "in progress: 1 of 2 pinged, 14 days left" in body
        assert "100%" not in body
    assert "Adherence starts counting when the first-ping window closes, after 29 June 2026." in detail
