"""mbox imports through the database: the capture rules' pings stored, checked against the generator's truth.

bench/capture_archive.py writes two overlapping Takeout exports of one mailbox
(lists, no-reply mail, strangers, a group, drafts, encoded names in several
charsets, messages in no particular order) and the truth beside them.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from restons.models import Identity, Interaction, MergeSuggestion, MyIdentity, Person
from restons.services.errors import UserError
from restons.services.imports import run_import
from restons.services.me import add_me
from restons.services.people import PersonInput, add_person

ROOT = Path(__file__).resolve().parent.parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("capture_archive", ROOT / "bench" / "capture_archive.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    truth = load_generator().generate(out, seed=3, people=16, years=1)
    return out, truth


@pytest.fixture
def known(alice, archive):
    """The truth's known people, stored with their addresses: truth ref -> person id."""
    _out, truth = archive
    return {k["ref"]: add_person(alice, PersonInput(name=k["name"], emails=k["emails"])).pk for k in truth["known"]}


def stored(owner, known, skip=()):
    """Every stored interaction as the truth writes a ping: (direction, channel, known ref or address, at)."""
    refs = {pid: ref for ref, pid in known.items()}
    emails = dict(Identity.objects.filter(owner=owner, kind="email").values_list("person_id", "value"))
    rows = []
    for pid, direction, channel, at in Interaction.objects.filter(owner=owner).values_list(
            "person_id", "direction", "channel", "at"):
        who = refs.get(pid, emails.get(pid))
        if who in skip:
            continue
        rows.append((direction, channel, who, at.astimezone(UTC).isoformat()))
    return sorted(rows, key=repr)


def truth_pings(part):
    return sorted(((p["direction"], p["channel"], p["person"] or p["email"], p["at"]) for p in part["pings"]), key=repr)


def test_an_export_is_stored_as_the_truth_says(alice, archive, known):
    """GIVEN your known people and no identity of yours (Takeout's Sent label teaches it)
    WHEN the first export is imported
    THEN the stored interactions are the truth's; strangers are counted, not created; lists, no-reply, drafts,
    spam, groups are counted by reason; you are learned; new people are named from their decoded display names."""
    out, truth = archive
    part = truth["export-1.mbox"]
    summary = run_import(alice, "mbox", out / "export-1.mbox")

    assert stored(alice, known, skip=part["suggestions"]) == truth_pings(part)
    assert summary.strangers == part["strangers"]
    assert summary.ignored == part["ignored"]
    assert set(summary.ignored) >= {"list", "bulk", "no-reply", "auto", "spam", "draft", "self", "group"}
    assert summary.errors == []
    assert list(MyIdentity.objects.filter(owner=alice).values_list("kind", "value")) == [("email", truth["me"])]
    assert summary.learned == [{"kind": "email", "value": truth["me"]}]
    # Strangers who only wrote to you are not people; the interactions counted are the ones stored.
    assert summary.interactions == Interaction.objects.filter(owner=alice).count()
    new = Person.objects.filter(owner=alice).exclude(pk__in=known.values())
    names = {p.name for p in new}
    assert not any("=?" in name for name in names)
    expected = {p["name"] for p in truth["new_people"]}
    contacted = {p["email"] for p in part["pings"] if p["person"] is None}
    new_emails = set(Identity.objects.filter(owner=alice, person__in=new).values_list("value", flat=True))
    assert new_emails == contacted | set(part["suggestions"])
    assert names - {n for n in names if n in expected} <= {k["name"] for k in truth["known"]}  # suggestions' names


def test_a_stranger_named_like_someone_you_know_is_a_merge_suggestion(alice, archive, known):
    out, truth = archive
    part = truth["export-1.mbox"]
    assert part["suggestions"]
    run_import(alice, "mbox", out / "export-1.mbox")
    for email in part["suggestions"]:
        stranger = Person.objects.get(owner=alice, identities__value=email)
        twin = Person.objects.get(owner=alice, name=stranger.name, pk__in=known.values())
        low, high = sorted([stranger.pk, twin.pk])
        assert MergeSuggestion.objects.filter(owner=alice, person_a=low, person_b=high, status="pending").exists()
        assert Interaction.objects.filter(owner=alice, person=stranger, direction="in").exists()


def test_the_same_export_twice_and_an_overlapping_later_one(alice, archive, known):
    """GIVEN the first export imported
    WHEN it is imported again, THEN nothing changes;
    WHEN the later, overlapping export is imported, THEN the stored interactions are one import of all the mail
    (conversations that went on across the cut are extended, not doubled), and a second time changes nothing."""
    out, truth = archive
    run_import(alice, "mbox", out / "export-1.mbox")
    before = stored(alice, known)
    again = run_import(alice, "mbox", out / "export-1.mbox")
    assert (again.created, again.interactions) == (0, 0)
    assert stored(alice, known) == before

    later = run_import(alice, "mbox", out / "export-2.mbox")
    assert later.interactions > 0
    both = truth["both"]
    skip = set(truth["export-1.mbox"]["suggestions"]) | set(both["suggestions"])
    assert stored(alice, known, skip=skip) == truth_pings(both)
    ids = set(Interaction.objects.filter(owner=alice).values_list("id", "at", "until"))
    replay = run_import(alice, "mbox", out / "export-2.mbox")
    assert (replay.created, replay.interactions) == (0, 0)
    assert set(Interaction.objects.filter(owner=alice).values_list("id", "at", "until")) == ids


def test_a_conversation_is_one_interaction_spanning_its_messages(alice, tmp_path):
    """Three messages to one person within hours are one interaction, timed at the first, until the last."""
    add_me(alice, ["alex@example.org"])
    path = tmp_path / "sent.mbox"
    path.write_bytes(b"".join(mail(n, "alex@example.org", "Jane Doe <jane@example.com>", f"2025-03-0{d} {h:02}:00")
                              for n, (d, h) in enumerate([(3, 9), (3, 11), (3, 18), (5, 9)])))
    summary = run_import(alice, "mbox", path)
    rows = list(Interaction.objects.filter(owner=alice).order_by("at").values_list("at", "until", "direction", "source"))
    assert summary.interactions == 2 and summary.created == 1
    assert rows[0][:2] == (datetime(2025, 3, 3, 9, tzinfo=UTC), datetime(2025, 3, 3, 18, tzinfo=UTC))
    assert rows[1][:2] == (datetime(2025, 3, 5, 9, tzinfo=UTC),) * 2
    assert {r[2:] for r in rows} == {("out", "mbox")}
    assert Person.objects.get(owner=alice).name == "Jane Doe"


def test_direction_comes_from_your_identities(alice, tmp_path):
    """Without a Sent label: mail from one of your addresses is yours (out); mail to you is in."""
    add_me(alice, ["alex@example.org"])
    jane = add_person(alice, PersonInput(name="Jane Doe", emails=["jane@example.com"]))
    path = tmp_path / "all.mbox"
    path.write_bytes(mail(1, "Alex <alex@example.org>", "jane@example.com", "2025-03-03 09:00")
                     + mail(2, "=?utf-8?q?Jane_D=C3=B6e?= <jane@example.com>", "alex@example.org", "2025-03-04 09:00"))
    run_import(alice, "mbox", path)
    assert list(Interaction.objects.filter(owner=alice).order_by("at").values_list("person", "direction")) == [
        (jane.pk, "out"), (jane.pk, "in")]


def test_an_mbox_that_cannot_tell_who_you_are_stops_with_one_line_and_writes_nothing(alice, tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_bytes(mail(1, "Jane <jane@example.com>", "someone@example.org", "2025-03-03 09:00"))
    with pytest.raises(UserError) as error:
        run_import(alice, "mbox", path)
    assert "restons me add" in str(error.value) and "\n" not in str(error.value)
    assert str(error.value).startswith("inbox.mbox: ")  # which file, as every refusal says
    assert not Person.objects.filter(owner=alice).exists()
    assert not Interaction.objects.filter(owner=alice).exists()
    assert not MyIdentity.objects.filter(owner=alice).exists()


def test_a_file_that_is_not_mail_is_refused_in_one_line(alice, tmp_path):
    add_me(alice, ["alex@example.org"])
    path = tmp_path / "notes.mbox"
    path.write_text("hello\nworld\n")
    with pytest.raises(UserError) as error:
        run_import(alice, "mbox", path)
    assert str(error.value).startswith("notes.mbox") and "\n" not in str(error.value)
    assert not Interaction.objects.filter(owner=alice).exists()


def test_another_users_people_are_not_found(alice, bob, tmp_path):
    """Bob's Jane is not Alice's: Alice's import makes her own Jane and leaves Bob's data alone."""
    bobs = add_person(bob, PersonInput(name="Jane Doe", emails=["jane@example.com"]))
    add_me(alice, ["alex@example.org"])
    path = tmp_path / "sent.mbox"
    path.write_bytes(mail(1, "alex@example.org", "Jane Doe <jane@example.com>", "2025-03-03 09:00"))
    run_import(alice, "mbox", path)
    assert Interaction.objects.get(owner=alice).person.owner == alice
    assert not Interaction.objects.filter(person=bobs).exists()


def mail(number: int, sender: str, to: str, when: str, subject: str = "Hello") -> bytes:
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC)
    from email.utils import format_datetime

    return (f"From x@y {moment:%a %b %d %H:%M:%S %Y}\nFrom: {sender}\nTo: {to}\nSubject: {subject}\n"
            f"Date: {format_datetime(moment)}\nMessage-ID: <m{number}@example.org>\n\nBody\n\n").encode()
