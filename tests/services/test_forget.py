"""Data the user can correct and forget: interactions listed, edited, deleted and undone; people deleted and archived."""

from __future__ import annotations

from datetime import date

import pytest

from restons.models import (
    Affiliation, Checkup, Circle, Identity, Interaction, Interest, Membership, MergeSuggestion, Milestone,
    Organisation, Outcome, Person, Pledge, PledgePerson, SourceRecord,
)
from restons.services import checkups
from restons.services.demo import demo_people, fill_demo, remove_demo_people
from restons.services.errors import NotFound, UserError
from restons.services.health import person_detail
from restons.services.interactions import (
    delete_interaction, edit_interaction, list_interactions, log_ping, undo_ping, undoable,
)
from restons.services.people import archive_people, delete_people, delete_person, find_person
from restons.services.planning import add_milestone, add_outcome, leave
from restons.services.today import today_list

from .conftest import local

pytestmark = pytest.mark.usefixtures("frozen")

SUMMARY = ("last_touch_at", "first_touch_at", "last_in_at", "last_out_at", "out_streak")


def summary(person) -> tuple:
    person.refresh_from_db()
    return tuple(getattr(person, field) for field in SUMMARY)


# -- #ID -------------------------------------------------------------------------------------------------


def test_hash_id_names_a_person(alice, person):
    bruno = person("Bruno Petit")
    person("Camille Martin")

    assert find_person(alice, f"#{bruno.id}") == bruno
    assert find_person(alice, f" #{bruno.id} ") == bruno


def test_hash_id_is_an_id_only(alice, person, bob):
    """#ID never falls back to names, and never reaches another user's person."""
    theirs = person("Bruno Petit", owner=bob)
    person("Camille Martin")

    with pytest.raises(UserError) as error:
        find_person(alice, f"#{theirs.id}")
    assert str(error.value) == f"No person matches '#{theirs.id}'; see 'restons person list'"
    with pytest.raises(UserError, match="No person matches '#99999999999999999999999'"):
        find_person(alice, "#99999999999999999999999")


# -- interaction list ------------------------------------------------------------------------------------


@pytest.fixture
def pings(alice, person, ping):
    """Bruno: pings on 1 May (30 April in UTC) and 31 May; Chloé: an imported one on 1 June (31 May in UTC)."""
    bruno = person("Bruno Petit", cadence_days=30)
    chloe = person("Chloé Roux")
    first = ping(bruno, "2026-05-01 00:30", direction="in", channel="email", note="Lunch?")
    second = ping(bruno, "2026-05-31 23:30", direction="out", channel="text")
    third = ping(chloe, "2026-06-01 01:00", direction="both", channel="meeting")
    Interaction.objects.filter(pk=third.pk).update(source="linkedin", source_key="x")
    return bruno, chloe, first, second, third


def test_list_has_the_documented_fields_with_the_local_offset(alice, pings):
    bruno, chloe, first, second, third = pings

    rows = list(list_interactions(alice))

    assert rows == [
        {"id": first.id, "person": {"id": bruno.id, "name": "Bruno Petit"}, "at": "2026-05-01T00:30:00+02:00",
         "direction": "in", "channel": "email", "summary": "Lunch?", "source": "manual"},
        {"id": second.id, "person": {"id": bruno.id, "name": "Bruno Petit"}, "at": "2026-05-31T23:30:00+02:00",
         "direction": "out", "channel": "text", "summary": "", "source": "manual"},
        {"id": third.id, "person": {"id": chloe.id, "name": "Chloé Roux"}, "at": "2026-06-01T01:00:00+02:00",
         "direction": "both", "channel": "meeting", "summary": "", "source": "linkedin"},
    ]


def test_list_filters_by_person_source_and_local_dates_inclusive(alice, pings):
    """Local dates decide, not UTC ones, and both ends are included."""
    bruno, chloe, first, second, third = pings

    def ids(**filters):
        return [row["id"] for row in list_interactions(alice, **filters)]

    assert ids(person=bruno) == [first.id, second.id]
    assert ids(source="linkedin") == [third.id]
    assert ids(source="vcard") == []
    assert ids(since=date(2026, 5, 1)) == [first.id, second.id, third.id]
    assert ids(since=date(2026, 5, 2)) == [second.id, third.id]
    assert ids(until=date(2026, 5, 31)) == [first.id, second.id]
    assert ids(since=date(2026, 5, 31), until=date(2026, 5, 31)) == [second.id]
    assert ids(person=bruno, since=date(2026, 6, 1)) == []


def test_list_refuses_bad_ranges_and_another_users_person(alice, bob, pings, person):
    with pytest.raises(UserError, match="--since 2026-06-02 is after --until 2026-06-01"):
        list_interactions(alice, since=date(2026, 6, 2), until=date(2026, 6, 1))
    with pytest.raises(UserError, match="out of range"):
        list_interactions(alice, since=date(1800, 1, 1))
    with pytest.raises(NotFound):
        list_interactions(alice, person=person("Bob's friend", owner=bob))


def test_list_never_shows_another_users_interactions(alice, bob, pings, person):
    log_ping(bob, person("Dan", owner=bob))

    assert len(list(list_interactions(alice))) == 3
    assert [row["person"]["name"] for row in list_interactions(bob)] == ["Dan"]


# -- edit --------------------------------------------------------------------------------------------------


def test_editing_the_time_moves_last_touch_and_next_due(alice, pings):
    """GIVEN Bruno's latest ping on 31 May WHEN it is moved to 10 June and made inbound THEN next due and the
    inbound summary follow, and his checkup is recomputed."""
    bruno, _chloe, first, second, _third = pings
    checkups.ensure_current(alice, date(2026, 6, 15))
    assert person_detail(alice, bruno)["next_due"] == "2026-06-30"

    edit_interaction(alice, second.id, at=local("2026-06-10 18:00"), direction="in", channel="call", note="Called")

    second.refresh_from_db()
    assert (second.direction, second.channel, second.summary) == ("in", "call", "Called")
    assert summary(bruno) == (local("2026-06-10 18:00"), local("2026-05-01 00:30"), local("2026-06-10 18:00"), None, 0)
    assert person_detail(alice, bruno)["next_due"] == "2026-07-10"
    assert not Checkup.objects.filter(person=bruno).exists()  # recomputed on the next read
    assert Checkup.objects.filter(owner=alice).count() == 1  # Chloé's stays


def test_edit_changes_only_what_is_given(alice, pings):
    _bruno, _chloe, first, _second, _third = pings

    edit_interaction(alice, first.id, note="")

    first.refresh_from_db()
    assert (first.at, first.direction, first.channel, first.summary) == (
        local("2026-05-01 00:30"), "in", "email", "")


@pytest.mark.parametrize("change, message", [
    ({"at": local("2026-06-15 12:06")}, "is in the future; a ping records something that already happened"),
    ({"at": local("1899-12-31 12:00")}, "1899-12-31 is out of range"),
    ({"note": "x" * 10_001}, "The note is 10001 characters long; the limit is 10000"),
    ({"direction": "sideways"}, "unknown direction 'sideways'; use one of: out, in, both"),
    ({"channel": "pigeon", "note": "changed"}, "unknown channel 'pigeon'"),
])
def test_bad_edits_are_refused_and_nothing_changes(alice, pings, change, message):
    bruno, _chloe, _first, second, _third = pings
    before = (Interaction.objects.values().get(pk=second.pk), summary(bruno))

    with pytest.raises(UserError, match=message):
        edit_interaction(alice, second.id, **change)

    assert (Interaction.objects.values().get(pk=second.pk), summary(bruno)) == before


def test_log_ping_applies_the_same_limits(alice, person):
    bruno = person("Bruno Petit")

    with pytest.raises(UserError, match="The note is 10001 characters long"):
        log_ping(alice, bruno, note="x" * 10_001)
    with pytest.raises(UserError, match="out of range"):
        log_ping(alice, bruno, at=local("1899-12-31 12:00"))
    assert not Interaction.objects.exists()


def test_another_users_interaction_cannot_be_edited_or_deleted(bob, pings):
    _bruno, _chloe, first, _second, _third = pings

    for action in (lambda: edit_interaction(bob, first.id, note="mine"), lambda: delete_interaction(bob, first.id),
                   lambda: undo_ping(bob, first.id)):
        with pytest.raises(NotFound):
            action()
    first.refresh_from_db()
    assert first.summary == "Lunch?"


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "99999999999999999999", ""])
def test_an_id_that_cannot_be_one_is_bad_input(alice, pings, bad_id):
    with pytest.raises(UserError, match="is not an id") as refused:
        delete_interaction(alice, bad_id)
    assert not isinstance(refused.value, NotFound)
    assert Interaction.objects.count() == 3


# -- delete ------------------------------------------------------------------------------------------------


def test_deleting_the_latest_ping_brings_the_due_date_back(alice, pings):
    """GIVEN Bruno pinged on 1 and 31 May, due 30 June WHEN the 31 May ping is deleted THEN he is due 31 May again
    and Today lists him."""
    bruno, _chloe, first, second, _third = pings
    assert [e["person"]["name"] for e in today_list(alice)] == []

    delete_interaction(alice, second.id)

    assert list(Interaction.objects.filter(person=bruno).values_list("id", flat=True)) == [first.id]
    assert person_detail(alice, bruno)["next_due"] == "2026-05-31"
    assert [e["person"]["name"] for e in today_list(alice)] == ["Bruno Petit"]


def test_deleting_the_only_ping_empties_the_summaries(alice, pings):
    _bruno, chloe, _first, _second, third = pings

    delete_interaction(alice, third.id)

    assert summary(chloe) == (None, None, None, None, 0)


# -- undo --------------------------------------------------------------------------------------------------


def test_undo_deletes_exactly_the_ping_just_logged(alice, pings, frozen):
    bruno, _chloe, first, second, third = pings
    logged = log_ping(alice, bruno, channel="text")
    frozen.shift(90)

    assert undoable(alice, logged.id) == logged
    undo_ping(alice, logged.id)

    assert sorted(Interaction.objects.values_list("id", flat=True)) == sorted([first.id, second.id, third.id])
    assert summary(bruno)[0] == local("2026-05-31 23:30")


def test_undo_is_refused_once_the_moment_has_passed(alice, pings, frozen):
    bruno, *_ = pings
    logged = log_ping(alice, bruno)
    frozen.shift(121)

    assert undoable(alice, logged.id) is None
    with pytest.raises(UserError, match="can no longer be undone; delete it from the person's timeline"):
        undo_ping(alice, logged.id)
    assert Interaction.objects.filter(pk=logged.pk).exists()


def test_undo_never_touches_an_older_or_imported_ping(alice, pings):
    _bruno, _chloe, first, _second, third = pings

    for old in (first, third):
        assert undoable(alice, old.id) is None
        with pytest.raises(UserError):
            undo_ping(alice, old.id)
    assert Interaction.objects.count() == 3


# -- delete people -----------------------------------------------------------------------------------------


@pytest.fixture
def network(alice, bob, person, ping):
    """Camille with something of every kind, Bruno who shares her circle, organisation and pledge, and bob's Camille."""
    camille = person("Camille Martin", emails=["camille@example.org"], phones=["06 12 34 56 78"],
                     interests=["football"], circles=["Friends"], orgs=["Lumen"], cadence_days=30)
    bruno = person("Bruno Petit", emails=["bruno@example.org"], circles=["Friends"], orgs=["Lumen"])
    camille_bis = person("Camille Martin", emails=["cmartin@example.org"])
    ping(camille, "2026-06-01 10:00")
    ping(bruno, "2026-06-02 10:00", direction="in")
    add_milestone(alice, "Birthday", date(1990, 7, 1), camille, True)
    add_milestone(alice, "Ten years", date(2026, 6, 1), None, False)
    add_outcome(alice, camille, "friendship", date(2026, 1, 1))
    leave(alice, "Lumen", date(2026, 5, 1), [camille, bruno], 90)
    SourceRecord.objects.create(owner=alice, source="vcard", key="camille", person=camille)
    MergeSuggestion.objects.create(owner=alice, person_a=camille, person_b=camille_bis, reason="same-name")
    theirs = person("Camille Martin", owner=bob, emails=["camille@example.org"], circles=["Friends"])
    ping(theirs, "2026-06-01 10:00", owner=bob)
    return camille, bruno, camille_bis, theirs


def counts(owner) -> dict:
    models = (Person, Identity, Interaction, Interest, Membership, Affiliation, Milestone, Outcome, PledgePerson,
              SourceRecord, MergeSuggestion, Circle, Organisation, Pledge)
    return {model.__name__: model.objects.filter(owner=owner).count() for model in models}


def test_deleting_a_person_takes_everything_about_them_and_nothing_else(alice, bob, network):
    camille, bruno, camille_bis, _theirs = network
    bobs = counts(bob)

    delete_person(alice, camille)

    assert counts(alice) == {
        "Person": 2, "Identity": 2, "Interaction": 1, "Interest": 0, "Membership": 1, "Affiliation": 1,
        "Milestone": 1, "Outcome": 0, "PledgePerson": 1, "SourceRecord": 0, "MergeSuggestion": 0,
        "Circle": 1, "Organisation": 1, "Pledge": 1,
    }
    assert not Identity.objects.filter(owner=alice, value="camille@example.org").exists()
    assert counts(bob) == bobs
    assert summary(bruno)[0] == local("2026-06-02 10:00")


def test_another_users_person_cannot_be_deleted(bob, network):
    camille, *_ = network

    with pytest.raises(NotFound):
        delete_person(bob, camille)
    assert Person.objects.filter(pk=camille.pk).exists()


def test_deleting_many_ignores_ids_that_are_not_the_owners(alice, bob, network):
    camille, bruno, camille_bis, theirs = network

    assert delete_people(alice, [camille.id, str(bruno.id), theirs.id, 10**30, "x"]) == 2

    assert list(Person.objects.filter(owner=alice).values_list("id", flat=True)) == [camille_bis.id]
    assert Person.objects.filter(pk=theirs.pk).exists()


def test_deleting_nobody_is_an_error(alice, network):
    with pytest.raises(UserError, match="Select at least one person."):
        delete_people(alice, [])


def test_archiving_many_counts_the_changed_and_refreshes_their_checkups(alice, bob, network):
    camille, bruno, camille_bis, theirs = network
    checkups.ensure_current(alice, date(2026, 6, 15))
    archive_people(alice, [bruno.id], True)

    assert archive_people(alice, [camille.id, bruno.id, theirs.id], True) == 1

    assert sorted(Person.objects.filter(archived=True).values_list("id", flat=True)) == sorted([camille.id, bruno.id])
    checkups.ensure_current(alice, date(2026, 6, 15))
    assert set(Checkup.objects.filter(owner=alice, archived=True).values_list("person_id", flat=True)) == {
        camille.id, bruno.id}
    assert archive_people(alice, [camille.id, bruno.id], False) == 2
    assert not Person.objects.filter(archived=True).exists()


# -- the demo ----------------------------------------------------------------------------------------------


def test_removing_the_demo_people_removes_exactly_them(alice, bob, person):
    """GIVEN the demo and a real person with a demo name WHEN the demo people are removed THEN only the real
    person stays, with their ping; the demo cannot be removed twice."""
    fill_demo(alice)
    fill_demo(bob)
    real = person("Camille Martin", emails=["camille@real.example"])
    log_ping(alice, real)

    assert remove_demo_people(alice) == 12

    assert list(Person.objects.filter(owner=alice)) == [real]
    assert Interaction.objects.filter(owner=alice).count() == 1
    assert not demo_people(alice).exists()
    assert demo_people(bob).count() == 12
    with pytest.raises(UserError, match="There are no demo people to remove."):
        remove_demo_people(alice)
