"""Editing and deleting events, milestones, content, outcomes and pledges; nobody touches another user's rows."""

from __future__ import annotations

from datetime import date

import pytest

from restons.models import Content, Event, Milestone, Outcome, Pledge, PledgePerson
from restons.services.errors import NotFound, UserError
from restons.services.planning import (
    add_content,
    add_event,
    add_milestone,
    add_outcome,
    add_pledged,
    delete,
    end_pledge,
    leave,
    remove_pledged,
    update_content,
    update_event,
    update_milestone,
    update_outcome,
    update_pledge,
)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def camille(person):
    return person("Camille Martin")


@pytest.fixture
def bruno(person):
    return person("Bruno Petit")


@pytest.fixture
def zoe(person, bob):
    """Bob's person."""
    return person("Zoé Roux", owner=bob)


def rows(model, owner, *fields):
    return list(model.objects.filter(owner=owner).order_by("id").values(*fields))


def test_update_event(alice):
    event = add_event(alice, "Cup final", date(2026, 6, 20), ["football"])
    update_event(alice, event, "  Cup   final, replay ", date(2026, 6, 27), ["Football", "Lyon", " "], 3)
    assert rows(Event, alice, "title", "on", "topics", "lead_days") == [
        {"title": "Cup final, replay", "on": date(2026, 6, 27), "topics": ["football", "lyon"], "lead_days": 3}
    ]
    update_event(alice, event, "Cup final", date(2026, 6, 27), [])
    assert rows(Event, alice, "topics", "lead_days") == [{"topics": [], "lead_days": 3}]


def test_update_event_needs_a_title_and_writes_nothing_without(alice):
    event = add_event(alice, "Cup final", date(2026, 6, 20), [])
    with pytest.raises(UserError, match="A title is required."):
        update_event(alice, event, "   ", date(2026, 7, 1), [])
    assert rows(Event, alice, "title", "on") == [{"title": "Cup final", "on": date(2026, 6, 20)}]


def test_update_milestone_moves_it_between_people_and_you(alice, camille, bruno):
    milestone = add_milestone(alice, "Birthday", date(1990, 6, 25), camille, True)
    update_milestone(alice, milestone, "Birthday", date(1990, 6, 26), bruno, True)
    assert rows(Milestone, alice, "on", "person", "yearly") == [{"on": date(1990, 6, 26), "person": bruno.id, "yearly": True}]
    update_milestone(alice, milestone, "My tenth year", date(2016, 7, 10), None, False)
    assert rows(Milestone, alice, "title", "person", "yearly") == [{"title": "My tenth year", "person": None, "yearly": False}]


def test_update_content_checks_kind_and_address(alice):
    content = add_content(alice, "Issue 42", date(2026, 6, 10), "newsletter", ["PR"])
    update_content(alice, content, "Episode 3", date(2026, 6, 12), "podcast", ["Public relations"], "https://example.org/3")
    assert rows(Content, alice, "title", "on", "kind", "topics", "url") == [
        {"title": "Episode 3", "on": date(2026, 6, 12), "kind": "podcast", "topics": ["public relations"],
         "url": "https://example.org/3"}
    ]
    with pytest.raises(UserError, match="unknown content kind 'tweet'"):
        update_content(alice, content, "Episode 3", date(2026, 6, 12), "tweet", [], "")
    with pytest.raises(UserError, match="is not a web address"):
        update_content(alice, content, "Episode 3", date(2026, 6, 12), "podcast", [], "javascript:alert(1)")
    with pytest.raises(UserError, match="is not a web address"):
        add_content(alice, "Issue 43", date(2026, 6, 12), "newsletter", [], "example")
    assert rows(Content, alice, "kind", "url") == [{"kind": "podcast", "url": "https://example.org/3"}]


def test_update_outcome(alice, camille, bruno):
    outcome = add_outcome(alice, camille, "client", date(2026, 5, 1), "New client")
    update_outcome(alice, outcome, bruno, "intro", date(2026, 6, 15), "")
    assert rows(Outcome, alice, "person", "kind", "at", "note") == [
        {"person": bruno.id, "kind": "intro", "at": date(2026, 6, 15), "note": ""}
    ]
    with pytest.raises(UserError, match="2026-06-16 is in the future"):
        update_outcome(alice, outcome, bruno, "intro", date(2026, 6, 16), "")
    with pytest.raises(UserError, match="unknown outcome kind"):
        update_outcome(alice, outcome, bruno, "lunch", date(2026, 6, 1), "")
    assert rows(Outcome, alice, "kind", "at") == [{"kind": "intro", "at": date(2026, 6, 15)}]


def test_delete_each_kind(alice, camille):
    things = [
        add_event(alice, "Cup final", date(2026, 6, 20), []),
        add_milestone(alice, "Birthday", date(1990, 6, 25), camille, True),
        add_content(alice, "Issue 42", date(2026, 6, 10), "newsletter", []),
        add_outcome(alice, camille, "client", date(2026, 5, 1)),
        leave(alice, "Acme", date(2026, 1, 10), [camille], None),
    ]
    for thing in things:
        delete(alice, thing)
    for model in (Event, Milestone, Content, Outcome, Pledge, PledgePerson):
        assert not model.objects.filter(owner=alice).exists()
    with pytest.raises(TypeError):
        delete(alice, camille)


def test_nobody_edits_or_deletes_another_users_rows(alice, bob, camille, zoe):
    """GIVEN alice's event, milestone, content, outcome and pledge, and bob's person Zoé
    WHEN  bob edits or deletes them, or alice links Zoé to her own rows
    THEN  NotFound every time, and nothing changed.
    """
    event = add_event(alice, "Cup final", date(2026, 6, 20), [])
    milestone = add_milestone(alice, "Birthday", date(1990, 6, 25), camille, True)
    content = add_content(alice, "Issue 42", date(2026, 6, 10), "newsletter", [])
    outcome = add_outcome(alice, camille, "client", date(2026, 5, 1))
    pledge = leave(alice, "Acme", date(2026, 1, 10), [camille], None)

    def snapshot():
        return [rows(model, alice) for model in (Event, Milestone, Content, Outcome, Pledge, PledgePerson)]

    before = snapshot()
    attempts = [
        lambda: update_event(bob, event, "Mine", date(2026, 7, 1), []),
        lambda: update_milestone(bob, milestone, "Mine", date(2026, 7, 1), None, False),
        lambda: update_milestone(alice, milestone, "Birthday", date(1990, 6, 25), zoe, True),
        lambda: add_milestone(alice, "Birthday", date(1990, 6, 25), zoe, True),
        lambda: update_content(bob, content, "Mine", date(2026, 7, 1), "post", []),
        lambda: update_outcome(bob, outcome, camille, "client", date(2026, 5, 1)),
        lambda: update_outcome(alice, outcome, zoe, "client", date(2026, 5, 1)),
        lambda: add_outcome(alice, zoe, "client", date(2026, 5, 1)),
        lambda: update_pledge(bob, pledge, date(2026, 1, 1), 30, None),
        lambda: end_pledge(bob, pledge),
        lambda: add_pledged(alice, pledge, [zoe]),
        lambda: add_pledged(bob, pledge, [zoe]),
        lambda: remove_pledged(bob, pledge, camille),
        lambda: leave(alice, "Globex", date(2026, 2, 1), [camille, zoe], None),
        *[lambda thing=thing: delete(bob, thing) for thing in (event, milestone, content, outcome, pledge)],
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert snapshot() == before


def test_update_pledge(alice, camille):
    pledge = leave(alice, "Acme", date(2026, 1, 10), [camille], None)
    update_pledge(alice, pledge, date(2026, 1, 12), 30, date(2026, 5, 31))
    assert rows(Pledge, alice, "on", "cadence_days", "ended_on", "first_window_days") == [
        {"on": date(2026, 1, 12), "cadence_days": 30, "ended_on": date(2026, 5, 31), "first_window_days": 14}
    ]
    update_pledge(alice, pledge, date(2026, 1, 12), 30, None)
    assert rows(Pledge, alice, "ended_on") == [{"ended_on": None}]


def test_update_pledge_refuses_bad_dates_and_cadence(alice, camille):
    pledge = leave(alice, "Acme", date(2026, 1, 10), [camille], 30)
    leave(alice, "Acme", date(2026, 3, 1), [camille], 30)
    before = rows(Pledge, alice)
    with pytest.raises(UserError, match="You already have a pledge for Acme on 2026-03-01."):
        update_pledge(alice, pledge, date(2026, 3, 1), 30, None)
    with pytest.raises(UserError, match=r"cannot end \(2026-01-09\) before it starts \(2026-01-10\)"):
        update_pledge(alice, pledge, date(2026, 1, 10), 30, date(2026, 1, 9))
    with pytest.raises(UserError, match="at least one day"):
        update_pledge(alice, pledge, date(2026, 1, 10), 0, None)
    assert rows(Pledge, alice) == before


def test_end_pledge_today_or_on_a_date(alice, camille):
    pledge = leave(alice, "Acme", date(2026, 1, 10), [camille], 30)
    end_pledge(alice, pledge)
    assert rows(Pledge, alice, "ended_on", "cadence_days", "on") == [
        {"ended_on": date(2026, 6, 15), "cadence_days": 30, "on": date(2026, 1, 10)}
    ]
    end_pledge(alice, pledge, date(2026, 4, 1))
    assert rows(Pledge, alice, "ended_on") == [{"ended_on": date(2026, 4, 1)}]


def test_add_and_remove_pledged_people(alice, camille, bruno):
    pledge = leave(alice, "Acme", date(2026, 1, 10), [camille], 30)
    assert add_pledged(alice, pledge, [camille, bruno]) == 1
    assert set(PledgePerson.objects.filter(pledge=pledge).values_list("person", flat=True)) == {camille.id, bruno.id}
    assert remove_pledged(alice, pledge, camille) is True
    assert remove_pledged(alice, pledge, camille) is False
    assert list(PledgePerson.objects.filter(pledge=pledge).values_list("person", flat=True)) == [bruno.id]
