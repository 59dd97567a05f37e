"""Owner isolation through the CLI: bob never sees or touches alice's people."""

from __future__ import annotations

import pytest

from restons.models import Interaction, Person

pytestmark = pytest.mark.usefixtures("frozen")

ALICE, BOB = "alice@example.org", "bob@example.org"


@pytest.fixture
def alices(restons, alice, bob):
    """Alice's network: Carol overdue and owed a reply, a pledge, an outcome and one of her milestones noticed."""
    restons.ok("person", "add", "Carol Vidal", "--email", "carol@example.com", "--every", "30d", user=ALICE)
    restons.ok("ping", "Carol", "--at", "2026-03-01", user=ALICE)
    restons.ok("milestone", "add", "New job", "--on", "2026-06-01", "--mine", user=ALICE)
    restons.ok("ping", "Carol", "--from-them", "--at", "2026-06-05", "--about", "New job", user=ALICE)
    restons.ok("outcome", "add", "Carol", "--kind", "client", user=ALICE)
    restons.ok("leave", "Acme", "--on", "2026-06-01", "--person", "Carol", user=ALICE)
    return Person.objects.get(owner=alice, name="Carol Vidal")


def test_alice_sees_her_network(restons, alices):
    """The control: the same reads as alice do show Carol (so bob's empty answers mean something)."""
    assert [row["name"] for row in restons.ok("person", "list", "--json", user=ALICE).json] == ["Carol Vidal"]
    assert [e["person"]["name"] for e in restons.ok("today", "--json", user=ALICE).json] == ["Carol Vidal"]
    stats = restons.ok("stats", "--json", user=ALICE).json
    assert stats["people"] == 1 and stats["outcomes"]["client"] == 1
    assert [p["name"] for p in stats["noticed"][0]["people"]] == ["Carol Vidal"]
    assert [p["name"] for p in restons.ok("noticed", "list", "New job", "--json", user=ALICE).json["people"]] == [
        "Carol Vidal"]


def test_bob_sees_none_of_alices_people(restons, alices):
    assert restons.ok("person", "list", "--json", user=BOB).json == []
    assert restons.ok("person", "list", "--archived", "--json", user=BOB).json == []
    assert restons.ok("today", "--json", user=BOB).json == []
    assert restons.ok("today", "--date", "2026-09-01", "--json", user=BOB).json == []


def test_bobs_stats_count_nothing_of_alices(restons, alices):
    stats = restons.ok("stats", "--json", user=BOB).json

    assert stats["people"] == 0
    assert set(stats["status"].values()) == {0}
    assert set(stats["reciprocity"].values()) == {0}
    assert stats["pledges"] == []
    assert set(stats["outcomes"].values()) == {0}
    assert stats["noticed"] == []
    result = restons("noticed", "list", "New job", user=BOB)  # alice's milestone is not one of bob's
    assert (result.code, result.out, result.err) == (1, "", "restons: None of your milestones is called “New job”.\n")


@pytest.mark.parametrize("how", ["id", "name", "email", "prefix"])
def test_bob_cannot_show_or_ping_alices_person(restons, alices, row_counts, how):
    who = {"id": str(alices.id), "name": "Carol Vidal", "email": "CAROL@example.com", "prefix": "Car"}[how]
    before = row_counts()

    for argv in (["person", "show", who, "--json"], ["ping", who], ["person", "edit", who, "--archive"],
                 ["snooze", who, "--for", "1w"], ["outcome", "add", who, "--kind", "intro"]):
        result = restons(*argv, user=BOB)
        assert result.code == 1, argv
        assert result.err == f"restons: No person matches {who!r}; see 'restons person list'\n"

    assert row_counts() == before
    assert Interaction.objects.filter(person=alices).count() == 2


def test_bob_may_use_the_same_identity_as_alice(restons, alices, bob):
    restons.ok("person", "add", "Carol Vidal", "--email", "carol@example.com", user=BOB)

    result = restons.ok("ping", "carol@example.com", user=BOB)

    assert result.out == "Logged a ping with Carol Vidal.\n"
    assert Person.objects.get(owner=bob).interactions.count() == 1
    assert alices.interactions.count() == 2


def test_restons_user_environment_is_scoped_too(restons, alices, monkeypatch):
    monkeypatch.setenv("RESTONS_USER", BOB)

    assert restons.ok("person", "list", "--json").json == []
    assert restons.ok("today", "--json").json == []
    assert restons("ping", "Carol").err == "restons: No person matches 'Carol'; see 'restons person list'\n"
