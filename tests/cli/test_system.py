"""``init``, ``demo``, and which user the CLI acts as."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from restons.models import Interaction, Person
from restons.services.owners import DEFAULT_OWNER_EMAIL

pytestmark = pytest.mark.usefixtures("frozen")


def test_init_says_where_the_data_lives_and_who_acts(restons, alice):
    result = restons.ok("init")

    assert result.out.startswith(f"Restons is ready: data in {settings.HOME}, database ")
    assert result.out.endswith(", acting as alice@example.org.\n")


def test_demo_fills_an_empty_instance_and_today_shows_it(restons, alice):
    """GIVEN an empty instance
    WHEN  `restons demo` runs
    THEN  twelve invented people and their pings are stored, Today lists five of them, stats counts them,
          and a second `demo` is refused without writing anything.
    """
    result = restons.ok("demo")

    interactions = Interaction.objects.filter(owner=alice).count()
    assert result.out == (
        f"Demo data added: 12 people and {interactions} interactions. Try 'restons today'.\n"
    )
    assert Person.objects.filter(owner=alice).count() == 12
    assert interactions > 12
    entries = restons.ok("today", "--json").json
    assert len(entries) == 5
    assert all(entry["reasons"] and entry["draft"].startswith("Hi ") for entry in entries)
    stats = restons.ok("stats", "--json").json
    assert stats["people"] == 12
    assert [p["org"] for p in stats["pledges"]] == ["Lumen Agency", "Orbit Consulting"]

    again = restons("demo")

    assert again.code == 1
    assert again.err == "restons: The demo only fills an empty instance, and this one already has people.\n"
    assert Person.objects.filter(owner=alice).count() == 12


def test_demo_is_the_same_for_the_same_seed(restons, alice, bob):
    restons.ok("demo", user="alice@example.org")
    restons.ok("demo", user="bob@example.org")

    def timeline(user):
        return sorted(Interaction.objects.filter(owner=user).values_list("person__name", "at", "direction"))

    assert timeline(alice) == timeline(bob)


def test_without_any_user_the_cli_creates_one_and_acts_as_it(restons, db):
    restons.ok("person", "add", "Ana Lopes")

    (user,) = get_user_model().objects.all()
    assert user.email == DEFAULT_OWNER_EMAIL
    assert not user.has_usable_password()
    assert Person.objects.get().owner == user
    restons.ok("person", "add", "Bruno Petit")
    assert get_user_model().objects.count() == 1


def test_with_one_user_the_cli_acts_as_that_user(restons, alice):
    restons.ok("person", "add", "Ana Lopes")

    assert Person.objects.get().owner == alice
    assert get_user_model().objects.count() == 1


def test_with_several_users_the_cli_needs_one_named(restons, alice, bob, row_counts):
    before = row_counts()

    result = restons("person", "add", "Ana Lopes")

    assert result.code == 1
    assert result.err == "restons: This instance has several users; choose one with --user EMAIL or RESTONS_USER.\n"
    assert row_counts() == before


def test_user_option_and_environment_choose_the_user(restons, alice, bob, monkeypatch):
    restons.ok("person", "add", "Ana Lopes", user="BOB@example.org")
    monkeypatch.setenv("RESTONS_USER", "alice@example.org")
    restons.ok("person", "add", "Bruno Petit")

    assert sorted(Person.objects.values_list("name", "owner__email")) == [
        ("Ana Lopes", "bob@example.org"), ("Bruno Petit", "alice@example.org"),
    ]


def test_version_and_help(restons, db):
    assert restons.ok("--version").out.startswith("restons, version ")
    out = restons.ok("--help").out
    for name in ("person", "ping", "today", "snooze", "circle", "event", "milestone", "content", "outcome", "leave",
                 "stats", "init", "demo"):
        assert f"  {name} " in out
