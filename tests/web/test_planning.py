"""Plans (events, milestones, content, outcomes) and pledges in the web app."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from restons.models import Content, Event, Milestone, Outcome, Person, Pledge, PledgePerson
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person
from restons.services.planning import add_content, add_event, add_milestone, add_outcome, leave

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 6, 15)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    """Monday 15 June 2026, noon in Paris."""
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=PARIS), tick=False)
    return time_machine


@pytest.fixture
def bruno(alice) -> Person:
    return add_person(alice, PersonInput(name="Bruno Petit"))


@pytest.fixture
def bobs_friend(bob) -> Person:
    return add_person(bob, PersonInput(name="Zoé Bob-Friend"))


@pytest.fixture
def objects(alice, camille, bruno) -> dict:
    """One of each, owned by alice."""
    return {
        "events": add_event(alice, "Cup final", date(2026, 6, 20), ["football"]),
        "milestones": add_milestone(alice, "Birthday", date(1990, 6, 25), camille, True),
        "content": add_content(alice, "Issue 42", date(2026, 6, 10), "newsletter", ["public relations"]),
        "outcomes": add_outcome(alice, camille, "client", date(2026, 5, 1), "New client"),
        "pledge": leave(alice, "Acme", date(2026, 1, 10), [camille], 30),
    }


def edit_url(kind: str, obj) -> str:
    return f"/pledges/{obj.id}/" if kind == "pledge" else f"/plans/{kind}/{obj.id}/edit/"


def post_urls(objects, camille, bruno) -> dict[str, str]:
    """Every POST endpoint that acts on one of alice's objects."""
    pledge = objects["pledge"]
    urls = {f"{kind}-edit": edit_url(kind, obj) for kind, obj in objects.items()}
    urls |= {f"{kind}-delete": f"/plans/{kind}/{obj.id}/delete/" for kind, obj in objects.items() if kind != "pledge"}
    urls |= {
        "pledge-delete": f"/pledges/{pledge.id}/delete/",
        "pledge-end": f"/pledges/{pledge.id}/end/",
        "pledge-add": f"/pledges/{pledge.id}/people/",
        "pledge-remove": f"/pledges/{pledge.id}/people/{camille.id}/remove/",
    }
    return urls


def snapshot(alice) -> list:
    """Every plan row alice owns, to prove that a refused request wrote nothing."""
    return [
        list(model.objects.filter(owner=alice).order_by("id").values())
        for model in (Event, Milestone, Content, Outcome, Pledge, PledgePerson)
    ]


# ----------------------------------------------------------------------------- who may see what

PAGES = ["/plans/", "/plans/events/", "/plans/milestones/", "/plans/content/", "/plans/outcomes/",
         "/plans/events/new/", "/plans/milestones/new/", "/plans/content/new/", "/plans/outcomes/new/", "/pledges/"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_alice(alice_client, objects, url):
    assert alice_client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("kind", ["events", "milestones", "content", "outcomes", "pledge"])
def test_anonymous_visitors_cannot_open_or_change_an_object(client, alice, objects, kind):
    before = snapshot(alice)
    for response in (client.get(edit_url(kind, objects[kind])), client.post(edit_url(kind, objects[kind]), {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert snapshot(alice) == before


@pytest.mark.parametrize("kind", ["events", "milestones", "content", "outcomes", "pledge"])
def test_bob_gets_404_on_alices_edit_pages(bob_client, objects, kind):
    assert bob_client.get(edit_url(kind, objects[kind])).status_code == 404


def test_bob_gets_404_on_every_post_to_alices_objects(bob_client, alice, objects, camille, bruno):
    before = snapshot(alice)
    for name, url in post_urls(objects, camille, bruno).items():
        response = bob_client.post(url, {"title": "Hijacked", "on": "2026-07-01", "person": "Camille Martin",
                                          "kind": "client", "at": "2026-06-01", "every": "1m",
                                          "people": [bruno.id]})
        assert response.status_code == 404, name
        assert bob_client.post(url, {}, **HTMX).status_code == 404, name
    assert snapshot(alice) == before


def test_bob_does_not_see_alices_plans(bob_client, objects):
    for url in ("/plans/", "/plans/events/", "/plans/milestones/", "/plans/content/", "/plans/outcomes/", "/pledges/"):
        body = bob_client.get(url).content.decode()
        for text in ("Cup final", "Birthday", "Issue 42", "Camille", "Acme"):
            assert text not in body, (url, text)


def test_every_post_without_csrf_token_is_refused(csrf_client, alice, objects, camille, bruno):
    before = snapshot(alice)
    urls = list(post_urls(objects, camille, bruno).values())
    urls += [f"/plans/{kind}/new/" for kind in ("events", "milestones", "content", "outcomes")] + ["/pledges/"]
    for url in urls:
        assert csrf_client.post(url, {"title": "No token", "on": "2026-07-01"}).status_code == 403, url
    assert snapshot(alice) == before


# ------------------------------------------------------------------------------------- the hub


def test_hub_shows_what_is_coming_and_what_happened(alice_client, alice, objects, camille):
    add_event(alice, "Past conference", date(2026, 6, 1), [])
    add_event(alice, "Far away fair", date(2026, 8, 20), [])  # 66 days ahead
    add_milestone(alice, "Ten years of my business", date(2016, 7, 10), None, True)  # projected to 10 July 2026
    add_milestone(alice, "Work anniversary", date(2020, 8, 1), camille, True)  # 47 days ahead
    add_milestone(alice, "First semester teaching", date(2026, 6, 1), None, False)  # past one-off

    body = alice_client.get("/plans/").content.decode()

    assert "Cup final" in body and "Past conference" not in body and "Far away fair" not in body
    assert "Birthday" in body and "Thu 25 Jun 2026" in body  # Camille's yearly birthday, projected
    assert "Ten years of my business" in body and "Fri 10 Jul 2026" in body
    assert "Work anniversary" not in body and "First semester teaching" not in body
    assert body.index("Birthday") < body.index("Ten years of my business")
    assert "Issue 42" in body and "New client" in body
    for action in ("/plans/events/new/", "/plans/milestones/new/", "/plans/content/new/", "/plans/outcomes/new/"):
        assert f'action="{action}"' in body


def test_hub_shows_the_first_twenty_milestones_coming_and_says_how_many_more(alice_client, alice):
    """At 20,000 people the next 30 days hold hundreds of birthdays: the hub shows the nearest, "See all" the rest."""
    for n in range(25):
        add_milestone(alice, f"Anniversary {n:02d}", date(2020, 6, 16) + timedelta(days=n), None, True)

    body = alice_client.get("/plans/").content.decode()

    assert "Anniversary 00" in body and "Anniversary 19" in body and "Anniversary 20" not in body
    assert "And 5 more." in body


def test_all_milestones_come_fifty_a_page_newest_first(alice_client, alice, bob):
    """Everyone's birthday is a milestone: "All milestones" is read a page at a time, and each page links on."""
    for n in range(60):
        add_milestone(alice, f"Day {n:02d}", date(2000, 1, 1) + timedelta(days=n), None, False)
    add_milestone(bob, "Bob's own day", date(2000, 12, 1), None, False)

    first = alice_client.get("/plans/milestones/").content.decode()
    second = alice_client.get("/plans/milestones/?page=2").content.decode()

    assert "Day 59" in first and "Day 10" in first and "Day 09" not in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert "Day 09" in second and "Day 00" in second and "Day 10" not in second and 'rel="prev"' in second
    assert "Bob&#x27;s own day" not in first + second and "Bob's own day" not in first + second


# ----------------------------------------------------------------------------------- events


def test_alice_creates_an_event(alice_client, alice):
    response = alice_client.post("/plans/events/new/", {"title": " Cup  final ", "on": "2026-06-27",
                                                         "topics": "Football, PSG, ", "lead_days": "5"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert list(Event.objects.filter(owner=alice).values("title", "on", "topics", "lead_days")) == [
        {"title": "Cup final", "on": date(2026, 6, 27), "topics": ["football", "psg"], "lead_days": 5}
    ]


def test_hub_form_adds_an_event_in_place(alice_client, alice):
    response = alice_client.post("/plans/events/new/", {"title": "Spring meeting", "on": "2026-06-18",
                                                         "topics": "", "lead_days": "7"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section class="card plan-section" id="plans-events">')
    assert "Spring meeting" in body and "Saved." in body
    assert Event.objects.filter(owner=alice, title="Spring meeting").count() == 1


def test_event_form_errors_are_shown_and_nothing_written(alice_client, alice):
    response = alice_client.post("/plans/events/new/", {"title": "", "on": "someday", "lead_days": "7"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body and "Enter a valid date." in body
    response = alice_client.post("/plans/events/new/", {"title": "", "on": "2026-07-01", "lead_days": "7"}, **HTMX)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Event.objects.filter(owner=alice).exists()


def test_alice_edits_an_event(alice_client, alice, objects):
    event = objects["events"]
    page = alice_client.get(f"/plans/events/{event.id}/edit/").content.decode()
    assert 'value="Cup final"' in page and 'value="2026-06-20"' in page and 'value="football"' in page

    response = alice_client.post(f"/plans/events/{event.id}/edit/", {"title": "Cup final, replay", "on": "2026-06-28",
                                                                     "topics": "football, Lyon", "lead_days": "3"})
    assert response.status_code == 302
    assert list(Event.objects.filter(owner=alice).values("id", "title", "on", "topics", "lead_days")) == [
        {"id": event.id, "title": "Cup final, replay", "on": date(2026, 6, 28), "topics": ["football", "lyon"],
         "lead_days": 3}
    ]


@pytest.mark.parametrize("kind", ["events", "milestones", "content", "outcomes"])
def test_alice_deletes_with_and_without_javascript(alice_client, alice, objects, kind):
    model = {"events": Event, "milestones": Milestone, "content": Content, "outcomes": Outcome}[kind]
    obj = objects[kind]
    response = alice_client.post(f"/plans/{kind}/{obj.id}/delete/", **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert not model.objects.filter(pk=obj.pk).exists()

    again = {"events": lambda: add_event(alice, "Other", TODAY, []),
             "milestones": lambda: add_milestone(alice, "Other", TODAY, None, False),
             "content": lambda: add_content(alice, "Other", TODAY, "post", []),
             "outcomes": lambda: add_outcome(alice, obj.person, "intro", TODAY)}[kind]()
    response = alice_client.post(f"/plans/{kind}/{again.id}/delete/")
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert not model.objects.filter(owner=alice).exists()


def test_delete_needs_a_post(alice_client, objects):
    assert alice_client.get(f"/plans/events/{objects['events'].id}/delete/").status_code == 405


# ------------------------------------------------------------------------------- milestones


def test_alice_adds_her_own_milestone_and_one_of_a_person(alice_client, alice, camille):
    alice_client.post("/plans/milestones/new/", {"title": "Ten years of my business", "on": "2016-07-10",
                                                 "person": "", "yearly": "on"})
    alice_client.post("/plans/milestones/new/", {"title": "New job", "on": "2026-06-01", "person": "camille@example.org"})
    assert list(Milestone.objects.filter(owner=alice).order_by("id").values("title", "on", "person", "yearly")) == [
        {"title": "Ten years of my business", "on": date(2016, 7, 10), "person": None, "yearly": True},
        {"title": "New job", "on": date(2026, 6, 1), "person": camille.id, "yearly": False},
    ]


def test_milestone_for_an_unknown_person_is_an_error_next_to_the_form(alice_client, alice, bobs_friend):
    for who in ("Nobody Known", str(bobs_friend.id), "Zoé"):
        response = alice_client.post("/plans/milestones/new/", {"title": "Birthday", "on": "2026-07-01", "person": who})
        assert response.status_code == 200
        assert "No person matches" in response.content.decode()
    assert not Milestone.objects.filter(owner=alice).exists()


def test_alice_edits_a_milestone_keeping_or_changing_the_person(alice_client, alice, objects, camille, bruno):
    milestone = objects["milestones"]
    page = alice_client.get(f"/plans/milestones/{milestone.id}/edit/").content.decode()
    assert 'value="Camille Martin"' in page and "checked" in page

    alice_client.post(f"/plans/milestones/{milestone.id}/edit/", {"title": "Birthday!", "on": "1990-06-26",
                                                                  "person": "Camille Martin", "yearly": "on"})
    milestone.refresh_from_db()
    assert (milestone.title, milestone.on, milestone.person_id, milestone.yearly) == \
        ("Birthday!", date(1990, 6, 26), camille.id, True)

    alice_client.post(f"/plans/milestones/{milestone.id}/edit/", {"title": "Birthday!", "on": "1990-06-26",
                                                                  "person": "Bruno"})
    milestone.refresh_from_db()
    assert (milestone.person_id, milestone.yearly) == (bruno.id, False)

    alice_client.post(f"/plans/milestones/{milestone.id}/edit/", {"title": "Mine now", "on": "1990-06-26",
                                                                  "person": ""})
    milestone.refresh_from_db()
    assert milestone.person_id is None


def test_new_milestone_for_a_person_is_prefilled_and_bobs_person_is_404(alice_client, camille, bobs_friend):
    page = alice_client.get(f"/plans/milestones/new/?person={camille.id}").content.decode()
    assert 'value="Camille Martin"' in page
    assert alice_client.get(f"/plans/milestones/new/?person={bobs_friend.id}").status_code == 404
    assert alice_client.get(f"/plans/outcomes/new/?person={bobs_friend.id}").status_code == 404


# ---------------------------------------------------------------------------------- content


def test_alice_adds_and_edits_content(alice_client, alice):
    page = alice_client.get("/plans/content/new/").content.decode()
    assert '<option value="podcast">podcast</option>' in page

    alice_client.post("/plans/content/new/", {"title": "Episode 3", "on": "2026-06-12", "kind": "podcast",
                                              "topics": "Public relations", "url": "https://example.org/ep3"})
    content = Content.objects.get(owner=alice)
    assert (content.title, content.on, content.kind, content.topics, content.url) == \
        ("Episode 3", date(2026, 6, 12), "podcast", ["public relations"], "https://example.org/ep3")

    alice_client.post(f"/plans/content/{content.id}/edit/", {"title": "Episode 3 (remastered)", "on": "2026-06-13",
                                                             "kind": "post", "topics": "", "url": ""})
    assert list(Content.objects.filter(owner=alice).values("title", "on", "kind", "topics", "url")) == [
        {"title": "Episode 3 (remastered)", "on": date(2026, 6, 13), "kind": "post", "topics": [], "url": ""}
    ]


def test_content_with_a_bad_address_or_kind_is_refused(alice_client, alice):
    response = alice_client.post("/plans/content/new/", {"title": "Issue 43", "on": "2026-06-12", "kind": "newsletter",
                                                          "url": "javascript:alert(1)"})
    assert "is not a web address" in response.content.decode()
    response = alice_client.post("/plans/content/new/", {"title": "Issue 43", "on": "2026-06-12", "kind": "tweet"})
    assert "Select a valid choice." in response.content.decode()
    assert not Content.objects.filter(owner=alice).exists()


# --------------------------------------------------------------------------------- outcomes


def test_alice_logs_and_edits_an_outcome(alice_client, alice, camille, bruno):
    page = alice_client.get("/plans/outcomes/new/").content.decode()
    assert '<option value="referral-received">referral received</option>' in page
    assert 'value="2026-06-15"' in page  # today by default

    response = alice_client.post("/plans/outcomes/new/", {"person": "Camille", "kind": "job-lead", "at": "2026-06-02",
                                                          "note": "A lead at Globex"})
    assert response.status_code == 302
    outcome = Outcome.objects.get(owner=alice)
    assert (outcome.person_id, outcome.kind, outcome.at, outcome.note) == \
        (camille.id, "job-lead", date(2026, 6, 2), "A lead at Globex")

    alice_client.post(f"/plans/outcomes/{outcome.id}/edit/", {"person": "Bruno Petit", "kind": "intro",
                                                              "at": "2026-06-03", "note": ""})
    assert list(Outcome.objects.filter(owner=alice).values("person", "kind", "at", "note")) == [
        {"person": bruno.id, "kind": "intro", "at": date(2026, 6, 3), "note": ""}
    ]


def test_outcome_in_the_future_shows_the_service_error(alice_client, alice, camille):
    response = alice_client.post("/plans/outcomes/new/", {"person": "Camille", "kind": "client", "at": "2026-07-01"})
    assert "2026-07-01 is in the future; log an outcome once it happened" in response.content.decode()
    response = alice_client.post("/plans/outcomes/new/", {"person": "Camille", "kind": "client", "at": "2026-07-01"},
                                 **HTMX)
    assert response.status_code == 200 and "is in the future" in response.content.decode()
    assert not Outcome.objects.filter(owner=alice).exists()


def test_bobs_person_cannot_get_alices_outcome(alice_client, alice, objects, bobs_friend):
    before = snapshot(alice)
    for who in (str(bobs_friend.id), "Zoé Bob-Friend", "Zoé"):
        response = alice_client.post("/plans/outcomes/new/", {"person": who, "kind": "client", "at": "2026-06-01"})
        assert "No person matches" in response.content.decode()
        response = alice_client.post(f"/plans/outcomes/{objects['outcomes'].id}/edit/",
                                     {"person": who, "kind": "client", "at": "2026-06-01"})
        assert "No person matches" in response.content.decode()
    assert snapshot(alice) == before


def test_outcomes_are_grouped_by_kind(alice_client, alice, camille, bruno):
    add_outcome(alice, camille, "client", date(2026, 5, 1), "First client")
    add_outcome(alice, bruno, "referral-received", date(2026, 4, 1), "Intro to Globex")
    add_outcome(alice, bruno, "client", date(2026, 6, 1), "Second client")

    body = alice_client.get("/plans/outcomes/").content.decode()

    assert "What staying in touch brought" in body
    assert "Referral received <span class=\"muted\">(1)</span>" in body
    assert "Client <span class=\"muted\">(2)</span>" in body
    assert body.index("Intro to Globex") < body.index("Second client") < body.index("First client")  # kinds in model order


def test_outcome_kinds_are_translated(alice_client, alice, camille):
    add_outcome(alice, camille, "referral-received", date(2026, 5, 1))
    with translation.override("en"):  # the French request must not leak into later tests
        alice_client.post("/language/", {"language": "fr"})
        body = alice_client.get("/plans/outcomes/").content.decode()
    with translation.override("fr"):
        label = str(Outcome.Kind.REFERRAL_RECEIVED.label)
    assert label in body and '<html lang="fr">' in body


# ---------------------------------------------------------------------------------- pledges


def test_alice_makes_a_pledge(alice_client, alice, camille, bruno):
    page = alice_client.get("/pledges/").content.decode()
    assert 'name="people"' not in page  # nobody is listed until searched for (tests/web/test_picker.py)
    found = alice_client.get("/pledges/pick/", {"q": "tin"}).content.decode()
    assert 'name="people" value="%d">' % camille.id in found and 'value="%d"' % bruno.id not in found

    response = alice_client.post("/pledges/", {"org": "Acme", "on": "2026-06-30", "every": "2w",
                                               "people": [camille.id, bruno.id]})
    pledge = Pledge.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == f"/pledges/{pledge.id}/"
    assert (pledge.organisation.name, pledge.on, pledge.cadence_days, pledge.first_window_days, pledge.ended_on) == \
        ("Acme", date(2026, 6, 30), 14, 14, None)
    assert set(PledgePerson.objects.filter(owner=alice).values_list("pledge", "person")) == \
        {(pledge.id, camille.id), (pledge.id, bruno.id)}


def test_pledge_form_errors_are_shown(alice_client, alice, camille):
    response = alice_client.post("/pledges/", {"org": "", "on": "2026-06-30", "every": "soon", "people": [camille.id]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body and "is not a duration" in body
    assert f'value="{camille.id}" checked' in body  # the ticks survive the error
    assert not Pledge.objects.exists()


def test_bobs_person_cannot_join_alices_pledge(alice_client, alice, objects, camille, bobs_friend):
    before = snapshot(alice)
    response = alice_client.post("/pledges/", {"org": "Globex", "on": "2026-06-30", "every": "1m",
                                               "people": [camille.id, bobs_friend.id]})
    assert response.status_code == 404
    response = alice_client.post(f"/pledges/{objects['pledge'].id}/people/", {"people": [bobs_friend.id]})
    assert response.status_code == 404
    response = alice_client.post(f"/pledges/{objects['pledge'].id}/people/", {"people": ["nonsense"]})
    assert response.status_code == 400  # not an id at all: bad input, not a missing person
    assert snapshot(alice) == before


def test_alice_edits_a_pledge(alice_client, alice, objects):
    pledge = objects["pledge"]
    page = alice_client.get(f"/pledges/{pledge.id}/").content.decode()
    assert 'value="2026-01-10"' in page and '<option value="1m" selected>every month</option>' in page

    response = alice_client.post(f"/pledges/{pledge.id}/", {"on": "2026-01-12", "every": "6m", "ended_on": ""})
    assert response.status_code == 302 and response["Location"] == f"/pledges/{pledge.id}/"
    assert list(Pledge.objects.filter(owner=alice).values("on", "cadence_days", "ended_on")) == [
        {"on": date(2026, 1, 12), "cadence_days": 180, "ended_on": None}
    ]

    alice_client.post(f"/pledges/{pledge.id}/", {"on": "2026-01-12", "every": "6m", "ended_on": "2026-05-31"})
    pledge.refresh_from_db()
    assert pledge.ended_on == date(2026, 5, 31)


def test_pledge_edit_errors_are_shown_and_nothing_written(alice_client, alice, objects, camille):
    pledge = objects["pledge"]
    leave(alice, "Acme", date(2026, 2, 1), [camille], None)
    before = snapshot(alice)
    body = alice_client.post(f"/pledges/{pledge.id}/", {"on": "2026-02-01", "every": "1m"}).content.decode()
    assert "You already have a pledge for Acme on 2026-02-01." in body
    body = alice_client.post(f"/pledges/{pledge.id}/", {"on": "2026-01-10", "every": "1m",
                                                        "ended_on": "2026-01-01"}).content.decode()
    assert "cannot end (2026-01-01) before it starts (2026-01-10)" in body
    assert snapshot(alice) == before


def test_a_cadence_not_in_the_list_is_kept(alice_client, alice, camille):
    pledge = leave(alice, "Initech", date(2026, 3, 1), [camille], 91)  # from the CLI: --every 13w
    page = alice_client.get(f"/pledges/{pledge.id}/").content.decode()
    assert '<option value="13w" selected>every 13 weeks</option>' in page
    alice_client.post(f"/pledges/{pledge.id}/", {"on": "2026-03-01", "every": "13w"})
    pledge.refresh_from_db()
    assert pledge.cadence_days == 91


def test_alice_adds_and_removes_pledged_people(alice_client, alice, objects, camille, bruno):
    pledge = objects["pledge"]
    response = alice_client.post(f"/pledges/{pledge.id}/people/", {"people": [bruno.id]})
    assert response.status_code == 302
    assert set(PledgePerson.objects.filter(pledge=pledge).values_list("person", flat=True)) == {camille.id, bruno.id}

    response = alice_client.post(f"/pledges/{pledge.id}/people/{camille.id}/remove/", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section class="card" id="pledge-people">')
    assert 'id="pledge-summary" hx-swap-oob="true"' in body  # the adherence follows
    assert set(PledgePerson.objects.filter(pledge=pledge).values_list("person", flat=True)) == {bruno.id}

    response = alice_client.post(f"/pledges/{pledge.id}/people/{bruno.id}/remove/")
    assert response.status_code == 302
    assert not PledgePerson.objects.filter(pledge=pledge).exists()


def test_alice_ends_and_deletes_a_pledge(alice_client, alice, objects):
    pledge = objects["pledge"]
    response = alice_client.post(f"/pledges/{pledge.id}/end/")
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.ended_on == TODAY
    assert "ended on 15 June 2026" in alice_client.get("/pledges/").content.decode()

    response = alice_client.post(f"/pledges/{pledge.id}/delete/")
    assert response.status_code == 302 and response["Location"] == "/pledges/"
    assert not Pledge.objects.filter(owner=alice).exists()
    assert not PledgePerson.objects.filter(owner=alice).exists()


def test_pledge_pages_show_adherence_overall_and_per_quarter(alice_client, alice, camille, bruno):
    """GIVEN a pledge on 10 January 2026 to ping Camille and Bruno every 30 days (grace 7)
    AND   Camille pinged on 20 Jan, 15 Mar and 1 Jun; Bruno on 20 Jan and 20 Mar
    WHEN  alice opens the pledges on 15 June 2026
    THEN  Q1 (checked 31 March) kept 2 of 2, Q2 (checked today) 1 of 2: 75 % overall.
    """
    pledge = leave(alice, "Acme", date(2026, 1, 10), [camille, bruno], 30)
    for who, day in ((camille, "2026-01-20"), (camille, "2026-03-15"), (camille, "2026-06-01"),
                     (bruno, "2026-01-20"), (bruno, "2026-03-20")):
        log_ping(alice, who, at=datetime.fromisoformat(day).replace(hour=12, tzinfo=PARIS))

    listing = alice_client.get("/pledges/").content.decode()
    assert "<strong>75%</strong>" in listing
    assert "Q1 2026: 2 of 2 kept" in listing and "Q2 2026: 1 of 2 kept" in listing
    # A line from 100 % (top of the plot, y 8) in Q1 to 50 % (y 48) in Q2, each point with its title.
    assert f'aria-labelledby="adherence-{pledge.id}-title adherence-{pledge.id}-desc"' in listing
    assert '<polyline class="trend" points="116,8 288,48"' in listing
    assert "Adherence over 2 quarters: 100%, 50%." in listing
    assert "Left on 10 January 2026" in listing and "2 people" in listing and "every month" in listing

    detail = alice_client.get(f"/pledges/{pledge.id}/").content.decode()
    assert "<strong>75%</strong>" in detail
    assert "<tr><td>Q1 2026</td><td>2 of 2</td>" in detail and "</span></span> 100%</td>" in detail
    assert "<tr><td>Q2 2026</td><td>1 of 2</td>" in detail and "</span></span> 50%</td>" in detail
