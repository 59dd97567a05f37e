"""Every read is scoped to its owner; the same identity may belong to two owners' people."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from restons.models import Identity, Person
from restons.services.access import get_owned, owned
from restons.services.errors import NotFound, UserError
from restons.services.health import person_list
from restons.services.owners import DEFAULT_OWNER_EMAIL, cli_owner
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person, edit_person, find_person, get_person, snooze
from restons.services.planning import add_milestone, add_outcome, leave
from restons.services.stats import stats
from restons.services.today import today_list

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def carol(alice, person, ping):
    """Alice's Carol: overdue, owed a reply, pledged, with an outcome; Alice's milestone that Carol noticed."""
    carol = person("Carol Vidal", emails=["carol@example.com"], phones=["06 11 22 33 44"], cadence_days=30)
    ping(carol, "2026-03-01")
    ping(carol, "2026-06-05", direction="in")
    add_outcome(alice, carol, "client", None)
    leave(alice, "Acme", date(2026, 6, 1), [carol], None)
    add_milestone(alice, "New job", date(2026, 6, 1), None, False)
    return carol


def test_alice_sees_carol(alice, carol):
    """The control for the tests below."""
    assert [row["name"] for row in person_list(alice)] == ["Carol Vidal"]
    assert [e["person"]["name"] for e in today_list(alice)] == ["Carol Vidal"]
    assert stats(alice)["people"] == 1
    assert find_person(alice, "carol@example.com") == carol


def test_bob_sees_nothing_of_alices(bob, carol):
    assert person_list(bob, include_archived=True) == []
    assert today_list(bob, limit=100) == []
    result = stats(bob)
    assert result["people"] == 0 and result["pledges"] == [] and result["noticed"] == []
    assert sum(result["outcomes"].values()) == 0


@pytest.mark.parametrize("text", ["carol@example.com", "+33611223344", "06 11 22 33 44", "Carol Vidal", "Car", "ol"])
def test_bob_cannot_find_alices_person(bob, carol, text):
    with pytest.raises(UserError, match="^No person matches"):
        find_person(bob, text)


def test_bob_cannot_find_alices_person_by_id(bob, carol):
    with pytest.raises(UserError, match="^No person matches"):
        find_person(bob, str(carol.id))
    with pytest.raises(NotFound):
        get_person(bob, carol.id)
    with pytest.raises(NotFound):
        get_owned(Person, bob, id=carol.id)
    assert not owned(Person, bob).exists()


def test_the_same_identity_may_exist_for_both_owners(alice, bob, carol):
    bobs_carol = add_person(bob, PersonInput(name="Carol V.", emails=["Carol@Example.com"], phones=["+33611223344"]))

    assert find_person(bob, "carol@example.com") == bobs_carol
    assert find_person(alice, "carol@example.com") == carol
    assert Identity.objects.filter(value="carol@example.com").count() == 2


def test_an_identity_is_unique_within_one_owner(alice, carol):
    with pytest.raises(UserError, match=r"^carol@example.com already belongs to Carol Vidal \(#\d+\)$"):
        add_person(alice, PersonInput(name="Someone", emails=["CAROL@example.com"]))

    assert Person.objects.filter(owner=alice).count() == 1


def test_the_cli_owner_is_the_named_user_the_only_user_or_a_new_one(db, django_user_model):
    created = cli_owner()
    assert created.email == DEFAULT_OWNER_EMAIL
    assert cli_owner() == created

    other = django_user_model.objects.create_user("bob@example.org", "bob@example.org")
    with pytest.raises(UserError, match="several users; choose one with --user EMAIL or RESTONS_USER"):
        cli_owner()
    assert cli_owner("BOB@example.org") == other
    with pytest.raises(UserError, match="No user nobody@example.org"):
        cli_owner("nobody@example.org")
    assert get_user_model().objects.count() == 2


def test_services_refuse_to_write_to_another_owners_person(alice, bob, carol):
    """A caller that got alice's person some other way still cannot log, edit or snooze it as bob."""
    carol.refresh_from_db()
    before = (carol.name, carol.snoozed_until, carol.last_touch_at, carol.interactions.count())

    with pytest.raises(NotFound):
        log_ping(bob, carol)
    with pytest.raises(NotFound):
        edit_person(bob, carol, PersonInput(name="Stolen", emails=["bob-owned@example.com"]))
    with pytest.raises(NotFound):
        snooze(bob, carol, date(2026, 7, 1))

    carol.refresh_from_db()
    assert (carol.name, carol.snoozed_until, carol.last_touch_at, carol.interactions.count()) == before
    assert not Identity.objects.filter(owner=bob).exists()


def test_an_invited_user_and_the_admin_see_nothing_of_each_other(alice, carol):
    """The roles change nothing to ownership: alice as the admin, dan invited by her."""
    from restons.services import users

    users.set_admin(alice.email)
    invited = users.invite("dan@example.org", by=alice)
    dan = users.accept_invitation(invited.link.rstrip("/").rsplit("/", 1)[1], "a long pass phrase")
    dans = add_person(dan, PersonInput(name="Dan's Friend", emails=["friend@example.com"]))

    assert [row["name"] for row in person_list(dan)] == ["Dan's Friend"]
    assert [row["name"] for row in person_list(alice)] == ["Carol Vidal"]
    assert today_list(dan, limit=100) == [] and stats(dan)["people"] == 1
    with pytest.raises(UserError, match="^No person matches"):
        find_person(dan, "carol@example.com")
    with pytest.raises(UserError, match="^No person matches"):
        find_person(alice, "friend@example.com")
    with pytest.raises(NotFound):
        get_person(dan, carol.id)
    with pytest.raises(NotFound):
        get_person(alice, dans.id)
    assert not dan.is_superuser and not users.is_admin(dan)
