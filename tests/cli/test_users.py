"""``restons user …``: accounts from a terminal, without the web."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from restons.models import Invitation, Person
from restons.services import users

pytestmark = pytest.mark.usefixtures("frozen")


def test_an_instance_made_from_the_terminal(restons, monkeypatch, mail_on):
    """GIVEN a new instance WHEN its operator adds an admin (password on stdin), invites bob, lists
    THEN the accounts are there, the admin is no Django superuser, and the list says who is what."""
    assert restons.ok("user", "list").out == (
        "No account yet: the web app's welcome page makes the first one, or restons user add EMAIL.\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase\n"))
    assert restons.ok("user", "add", "Owner@Example.org", "--password-stdin").out == (
        "Added owner@example.org, an admin.\n")  # the first account is the admin
    owner = get_user_model().objects.get(email="owner@example.org")
    assert owner.check_password("a long pass phrase") and not owner.is_superuser and not owner.is_staff

    out = restons.ok("user", "invite", "bob@example.org").out.splitlines()
    assert out[0] == "Invitation mailed to bob@example.org. The link, valid 7 days:"
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/invite/[\w-]{43}/", out[1])
    assert out[1] in mail.outbox[0].body

    assert restons.ok("user", "list", "--json").json == [
        {"email": "owner@example.org", "admin": True, "two_factor": False, "last_login": None, "disabled": False},
    ]
    table = restons.ok("user", "list").out
    assert "owner@example.org" in table and "never" in table


def test_without_mail_the_invitation_and_reset_are_links_to_hand_over(restons, alice):
    out = restons.ok("user", "invite", "bob@example.org").out.splitlines()
    assert out[0] == "Give bob@example.org this link (valid 7 days, once):"
    assert mail.outbox == [] and not Invitation.objects.get().mailed

    link = restons.ok("user", "reset-password", "ALICE@example.org").out.strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/accounts/password/reset/key/\w+-[\w-]+/", link)


def test_add_without_a_password_prints_a_link_to_choose_one(restons, alice):
    out = restons.ok("user", "add", "bob@example.org").out.splitlines()
    assert out[:2] == ["Added bob@example.org.",
                       "They choose their password with this one-time link (valid 3 days):"]
    assert "/accounts/password/reset/key/" in out[2]
    assert not get_user_model().objects.get(email="bob@example.org").has_usable_password()


def test_disable_enable_make_admin_and_delete(restons, alice, bob):
    users.set_admin(alice.email)
    assert restons.ok("user", "disable", "bob@example.org").out == "bob@example.org is disabled: they cannot log in.\n"
    assert restons.ok("user", "list", "--json").json[1]["disabled"] is True
    assert restons.ok("user", "enable", "bob@example.org").out == "bob@example.org can log in again.\n"
    assert restons.ok("user", "make-admin", "bob@example.org").out == "bob@example.org is an admin.\n"
    assert restons.ok("user", "make-admin", "alice@example.org", "--revoke").out == (
        "alice@example.org is no longer an admin.\n")
    from restons.services.people import PersonInput, add_person

    add_person(alice, PersonInput(name="Carol"))
    assert restons.ok("user", "delete", "alice@example.org", "--yes").out == (
        "Deleted alice@example.org and everything it held.\n")
    assert not Person.objects.exists()
    assert [u.email for u in get_user_model().objects.all()] == ["bob@example.org"]


@pytest.mark.parametrize(("args", "message"), [
    (["user", "delete", "bob@example.org"],
     "restons: Deleting bob@example.org and everything it holds cannot be undone; add --yes to confirm.\n"),
    (["user", "disable", "alice@example.org"], "restons: alice@example.org is the only admin: make another admin first.\n"),
    (["user", "make-admin", "alice@example.org", "--revoke"],
     "restons: alice@example.org is the only admin: make another admin first.\n"),
    (["user", "delete", "alice@example.org", "--yes"],
     "restons: alice@example.org is the only admin: make another admin first.\n"),
    (["user", "disable", "nobody@example.org"], "restons: No user nobody@example.org on this instance.\n"),
    (["user", "invite", "bob@example.org"], "restons: There is already an account for bob@example.org.\n"),
    (["user", "invite", "not an address"], "restons: 'not an address' is not an email address\n"),
    (["user", "add", "x" * 250 + "@example.org"], "restons: An email address has at most 254 characters.\n"),
])
def test_bad_input_is_one_line_and_changes_nothing(restons, alice, bob, row_counts, args, message):
    users.set_admin(alice.email)
    before = row_counts()
    result = restons(*args)
    assert (result.code, result.err, result.out) == (1, message, "")
    assert row_counts() == before
    assert users.is_admin(alice) and alice.is_active and not Invitation.objects.exists()
