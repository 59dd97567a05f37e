"""``restons me``: your own identities and name, the JSON contract, bad input in one line, and imports using them."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from restons.models import Interaction, MyIdentity, Person

ALICE, BOB = "alice@example.org", "bob@example.org"


def test_add_then_show_json(restons, alice):
    restons.ok("me", "add", "Alex@Example.org", "+33 6 12 34 56 78", "@alexm", "telegram:123456789",
               "https://www.linkedin.com/in/alex-m/", "--name", "Alex Martin")

    assert restons.ok("me", "show", "--json").json == {
        "name": "Alex Martin",
        "identities": [
            {"kind": "email", "value": "alex@example.org"},
            {"kind": "linkedin", "value": "https://www.linkedin.com/in/alex-m"},
            {"kind": "phone", "value": "+33612345678"},
            {"kind": "telegram", "value": "123456789"},
            {"kind": "telegram", "value": "alexm"},
        ],
    }


def test_a_phone_without_plus_is_read_in_your_region(restons, alice):
    restons.ok("me", "add", "06 12 34 56 78")  # the tests' region is FR
    assert restons.ok("me", "show", "--json").json["identities"] == [{"kind": "phone", "value": "+33612345678"}]


def test_adding_twice_keeps_one(restons, alice):
    restons.ok("me", "add", "alex@example.org")
    restons.ok("me", "add", "alex@example.org")
    assert MyIdentity.objects.filter(owner=alice).count() == 1


def test_show_without_anything_says_how_to_add(restons, alice):
    result = restons.ok("me", "show")
    assert "restons me add" in result.out
    assert restons.ok("me", "show", "--json").json == {"name": "", "identities": []}


def test_remove(restons, alice):
    restons.ok("me", "add", "alex@example.org", "alex@work.example.com")
    restons.ok("me", "remove", "alex@work.example.com")
    assert [i["value"] for i in restons.ok("me", "show", "--json").json["identities"]] == ["alex@example.org"]


def test_removing_what_is_not_yours_is_one_line_and_removes_nothing(restons, alice):
    restons.ok("me", "add", "alex@example.org")
    result = restons("me", "remove", "alex@example.org", "jane@example.com")
    assert result.code == 1 and result.err.count("\n") == 1 and "jane@example.com" in result.err
    assert MyIdentity.objects.filter(owner=alice).count() == 1


def test_one_bad_value_adds_nothing(restons, alice):
    result = restons("me", "add", "alex@example.org", "not an address")
    assert result.code == 1 and result.err.count("\n") == 1 and "kind:value" in result.err
    assert not MyIdentity.objects.filter(owner=alice).exists()


def test_each_user_has_their_own(restons, alice, bob):
    restons.ok("me", "add", "alex@example.org", user=ALICE)
    assert restons.ok("me", "show", "--json", user=BOB).json == {"name": "", "identities": []}
    result = restons("me", "remove", "alex@example.org", user=BOB)
    assert result.code == 1
    assert MyIdentity.objects.filter(owner=alice).count() == 1


def test_an_mbox_import_uses_your_identities_and_prints_the_capture_summary(restons, alice, tmp_path):
    """Without Sent labels, your address says which mail is yours; the summary counts strangers and ignored mail."""
    def mail(number, sender, to, day, extra=""):
        moment = datetime(2025, 3, day, 9, tzinfo=UTC)
        return (f"From x@y {moment:%a %b %d %H:%M:%S %Y}\nFrom: {sender}\nTo: {to}\nSubject: Hi\n{extra}"
                f"Date: {format_datetime(moment)}\nMessage-ID: <m{number}@example.org>\n\nBody\n\n").encode()

    path = tmp_path / "all.mbox"
    path.write_bytes(mail(1, "alex@example.org", "=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?= <jose@example.com>", 3)
                     + mail(2, "Nobody <cold@example.net>", "alex@example.org", 4)
                     + mail(3, "News <news@list.example.com>", "alex@example.org", 5, "List-Id: <news.example.com>\n"))
    result = restons("import", "mbox", path)
    assert result.code == 1 and "restons me add" in result.err and result.err.count("\n") == 1
    assert not Person.objects.filter(owner=alice).exists()

    restons.ok("me", "add", "alex@example.org")
    summary = restons.ok("import", "mbox", path, "--json").json
    assert (summary["created"], summary["interactions"], summary["strangers"], summary["ignored"]) == (
        1, 1, 1, {"list": 1})
    assert Person.objects.get(owner=alice).name == "José García"
    assert Interaction.objects.get(owner=alice).direction == "out"
    text = restons.ok("import", "mbox", path).out
    assert "1 stranger only wrote to you" in text and "list 1" in text
