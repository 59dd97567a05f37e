"""Every web form keeps restons.limits: out-of-range dates, durations, texts, searches and ids are refused.

Each refusal is a 400 or a form error naming the range, and writes nothing; afterwards every page still renders.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from restons import limits
from restons.models import Content, Event, Interaction, Milestone, Outcome, Person, Pledge
from restons.services.planning import add_event, leave

PARIS = ZoneInfo("Europe/Paris")
LONG = "x" * (limits.TEXT_MAX + 1)
HUGE_ID = "12345678901234567890"
DATE_RANGE = "is out of range; use a date between 1900-01-01 and 2199-12-31"
DAYS_RANGE = "days is out of range; use at most 3650 days (10 years)"
TOO_LONG = f"is {limits.TEXT_MAX + 1} characters long; the limit is {limits.TEXT_MAX}"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=PARIS), tick=False)


@pytest.fixture
def world(alice, camille):
    """Camille, an event and a pledge: the rows the edit forms change."""
    return {"event": add_event(alice, "Cup final", date(2026, 6, 20), ["football"]),
            "pledge": leave(alice, "Acme", date(2026, 1, 10), [camille], 30)}


def snapshot(alice) -> list:
    """Every row a refused request might have written."""
    return [list(model.objects.filter(owner=alice).order_by("pk").values())
            for model in (Person, Interaction, Event, Milestone, Content, Outcome, Pledge)]


def cases(camille, world) -> list[tuple[str, dict, str]]:
    """(URL, POST data, the message the answer must hold) for every form that takes a date, duration or text."""
    person, event, pledge = f"/people/{camille.id}", world["event"], world["pledge"]
    return [
        ("/people/new/", {"name": "Ana", "met_on": "0001-01-01"}, DATE_RANGE),
        ("/people/new/", {"name": "Ana", "every": "10000y"}, DAYS_RANGE),
        ("/people/new/", {"name": "Ana", "notes": LONG}, TOO_LONG),
        ("/people/new/", {"name": "Ana", "met": LONG}, TOO_LONG),
        ("/people/new/", {"name": "A" * 301}, "at most 300 characters"),
        (f"{person}/edit/met/", {"met": "At school", "met_on": "2200-01-01"}, DATE_RANGE),
        (f"{person}/edit/met/", {"met": LONG}, f"How you met {TOO_LONG}"),
        (f"{person}/edit/notes/", {"notes": LONG}, f"The notes {TOO_LONG}"),
        (f"{person}/edit/cadence/", {"every": "10000y"}, DAYS_RANGE),
        (f"{person}/edit/name/", {"name": "A" * 301}, "The name is 301 characters long; the limit is 300"),
        (f"{person}/edit/circles/", {"circles": "c" * 201}, "A circle's name is 201 characters long"),
        (f"{person}/ping/", {"direction": "out", "channel": "text", "at": "0001-01-01T10:00"}, DATE_RANGE),
        (f"{person}/ping/", {"direction": "out", "channel": "text", "note": LONG}, f"The note {TOO_LONG}"),
        (f"{person}/snooze/", {"until": "9999-12-31"}, DATE_RANGE),
        (f"{person}/snooze/", {"days": "99999"}, f"99999 {DAYS_RANGE}"),
        (f"{person}/remove/circles/", {"value": "c" * 100_000}, "A circle's name is 100000 characters long"),
        ("/plans/events/new/", {"title": "Gala", "on": "0001-01-01", "lead_days": "7"}, DATE_RANGE),
        ("/plans/milestones/new/", {"title": "Born", "on": "1899-12-31"}, DATE_RANGE),
        ("/plans/content/new/", {"title": "Ep. 1", "on": "2200-01-01", "kind": "post"}, DATE_RANGE),
        ("/plans/outcomes/new/", {"person": "Camille", "kind": "client", "at": "0001-01-01"}, DATE_RANGE),
        ("/plans/outcomes/new/", {"person": "Camille", "kind": "client", "at": "2026-06-01", "note": LONG}, TOO_LONG),
        ("/plans/outcomes/new/", {"person": "x" * 100_000, "kind": "client", "at": "2026-06-01"},
         "The person is 100000 characters long"),
        (f"/plans/events/{event.id}/edit/", {"title": "Cup final", "on": "9999-12-31", "lead_days": "7"}, DATE_RANGE),
        ("/pledges/", {"org": "Globex", "on": "0001-01-01", "every": "3m", "people": [camille.id]}, DATE_RANGE),
        ("/pledges/", {"org": "Globex", "on": "2026-06-01", "every": "10000y", "people": [camille.id]}, DAYS_RANGE),
        ("/pledges/", {"org": "Globex", "on": "2026-06-01", "every": "3m", "people": [HUGE_ID]}, "is not a person's id"),
        (f"/pledges/{pledge.id}/", {"on": "2026-01-10", "every": "1m", "ended_on": "9999-12-31"}, DATE_RANGE),
        (f"/pledges/{pledge.id}/people/", {"people": [HUGE_ID]}, "is not a person's id"),
    ]


def test_every_form_refuses_out_of_range_values_and_writes_nothing(alice_client, alice, camille, world):
    for url, data, message in cases(camille, world):
        before = snapshot(alice)

        response = alice_client.post(url, data)

        body = response.content.decode()
        assert response.status_code in (200, 400), (url, data.keys(), response.status_code)
        assert message.replace("'", "&#x27;") in body or message in body, (url, data.keys(), body[:300])
        assert snapshot(alice) == before, (url, data.keys())


@pytest.mark.parametrize("path", ["/?date=0001-01-01", "/people/?q=" + "x" * 100_000,
                                  "/people/?circle=" + "c" * 100_000])
def test_a_bad_query_answers_400_with_one_line(alice_client, path):
    response = alice_client.get(path)

    assert response.status_code == 400
    assert response.content.decode().count("\n") == 0


@pytest.mark.parametrize("path", [f"/people/{HUGE_ID}/", f"/pledges/{HUGE_ID}/", f"/plans/events/{HUGE_ID}/edit/"])
def test_an_id_of_twenty_digits_in_a_url_is_a_400_not_an_error(alice_client, path):
    response = alice_client.get(path)
    assert response.status_code == 400
    assert "is not an id" in response.content.decode()


def test_a_search_of_the_longest_allowed_length_works(alice_client, camille):
    response = alice_client.get("/people/?q=" + "x" * limits.SEARCH_MAX)

    assert response.status_code == 200
    assert 'maxlength="200"' in response.content.decode()


def test_date_inputs_carry_the_range_so_the_browser_keeps_it_too(alice_client):
    page = alice_client.get("/plans/events/new/").content.decode()

    assert 'type="date"' in page and 'min="1900-01-01"' in page and 'max="2199-12-31"' in page


def test_after_every_refusal_the_pages_still_render(alice_client, alice, camille, world):
    """GIVEN every out-of-range value above posted and refused
    WHEN  alice opens each page
    THEN  every page answers 200.
    """
    for url, data, _message in cases(camille, world):
        alice_client.post(url, data)

    for path in ("/", "/people/", f"/people/{camille.id}/", "/plans/", "/plans/events/", "/plans/outcomes/",
                 "/pledges/", f"/pledges/{world['pledge'].id}/", "/?date=2026-07-20"):
        assert alice_client.get(path).status_code == 200, path


def test_a_pledge_stored_before_the_limits_existed_does_not_break_the_pages(alice_client, alice, camille, world):
    """GIVEN a pledge dated 0001-01-01, written before the entrances checked dates
    WHEN  alice opens Today, People, the person, the pledges and stats
    THEN  every one answers 200."""
    from restons.services.stats import stats

    Pledge.objects.filter(pk=world["pledge"].pk).update(on=date(1, 1, 1))

    for path in ("/", "/people/", f"/people/{camille.id}/", "/pledges/", f"/pledges/{world['pledge'].id}/"):
        assert alice_client.get(path).status_code == 200, path
    assert [p["org"] for p in stats(alice)["pledges"]] == ["Acme"]
