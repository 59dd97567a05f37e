"""The capture rules (PRODUCT.md § 5) on plain records: direction, who counts, what is never a ping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from restons.capture.me import KnownPeople, Me, NeedMe
from restons.capture.records import Address, Attendee, Meeting, Message
from restons.capture.rules import Capture, check_me, display_name, is_no_reply
from restons.importers import ics, maildir, mbox

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
ME = Address("email", "alex@example.org", "Alex")
JANE = Address("email", "jane@example.com", "Jane Doe")
BOB = Address("email", "bob@example.net", "Bob Stone")


def mail(n: int, sender: Address | None, *to: Address, hours: float = 0, outgoing=None, flags=(), subject="") -> Message:
    return Message(where=f"m{n}", source_key=f"k{n}", at=T0 + timedelta(hours=hours), channel="email",
                   sender=sender, recipients=to, summary=subject or f"subject {n}", outgoing=outgoing, flags=flags)


def capture(*records, me=(("email", "alex@example.org"),), known=None, names=None, **options):
    people = KnownPeople(known or {("email", "jane@example.com"): 1}, names or {1: "Jane Doe"})
    return Capture(Me(me), people, **options).add_all(records)


def pings(result):
    return [(p.direction, p.address.value, p.person, p.at, p.summary) for p in result.pings]


def test_direction_and_correspondents():
    """From you: everyone in To/Cc/Bcc. To you: only the sender, not the others copied."""
    result = capture(
        mail(1, ME, JANE, BOB, hours=0),
        mail(2, JANE, ME, BOB, hours=30),
    )
    assert pings(result) == [
        ("out", "bob@example.net", None, T0, "subject 1"),  # unknown, but you wrote to them: a new person
        ("out", "jane@example.com", 1, T0, "subject 1"),
        ("in", "jane@example.com", 1, T0 + timedelta(hours=30), "subject 2"),
    ]
    bob = result.pings[0]
    assert (bob.name, bob.key, bob.grouped, bob.channel, bob.where) == (
        "Bob Stone", "k1#out:bob@example.net", True, "email", "m1")


def test_strangers_suggestions_and_people_you_answered():
    """GIVEN messages from three unknown senders, read in file order
    WHEN you answered one of them later in the file, and another has a known person's name
    THEN the first becomes a person (both directions), the second a merge suggestion, the third a stranger."""
    carol = Address("email", "carol@example.com", "Carol")
    jane_private = Address("email", "jane.doe@perso.example", "Doe, Jane")
    spammer = Address("email", "deals@shop.example", "Deals")
    result = capture(
        mail(1, carol, ME, hours=0),
        mail(2, jane_private, ME, hours=1),
        mail(3, spammer, ME, hours=2),
        mail(4, ME, carol, hours=3),
    )
    assert pings(result) == [
        ("in", "carol@example.com", None, T0, "subject 1"),
        ("out", "carol@example.com", None, T0 + timedelta(hours=3), "subject 4"),
    ]
    assert result.strangers == 1
    assert [(s.address.value, s.name, s.person) for s in result.suggestions] == [
        ("jane.doe@perso.example", "Jane Doe", 1)]
    assert result.summary() == {"strangers": 1, "ignored": {}}


@pytest.mark.parametrize("record, reason", [
    (mail(1, JANE, ME, flags=("list",)), "list"),
    (mail(1, JANE, ME, flags=("bulk", "list")), "bulk"),
    (mail(1, JANE, ME, flags=("auto",)), "auto"),
    (mail(1, JANE, ME, flags=("spam",)), "spam"),
    (mail(1, ME, JANE, flags=("draft",)), "draft"),
    (mail(1, Address("email", "no-reply@accounts.example.com"), ME), "no-reply"),
    (mail(1, Address("email", "noreply-42@mail.example.com"), ME), "no-reply"),
    (mail(1, Address("email", "notifications@github.example"), ME), "no-reply"),
    (mail(1, Address("email", "mailer-daemon@example.org"), ME), "no-reply"),
    (mail(1, ME, ME), "self"),
    (mail(1, ME), "self"),
    (mail(1, ME, *[Address("email", f"p{i}@example.com") for i in range(6)]), "group"),
    (mail(1, JANE, ME, *[Address("email", f"p{i}@example.com") for i in range(5)]), "group"),
])
def test_never_a_ping(record, reason):
    result = capture(record)
    assert result.pings == [] and result.summary()["ignored"] == {reason: 1}


def test_a_small_group_is_a_ping_with_each():
    five = [Address("email", f"p{i}@example.com") for i in range(5)]
    assert len(capture(mail(1, ME, ME, *five)).pings) == 5
    result = capture(mail(1, ME, JANE, Address("email", "donotreply@shop.example")))
    assert pings(result) == [("out", "jane@example.com", 1, T0, "subject 1")]
    assert result.summary()["ignored"] == {"no-reply": 1}


def test_no_reply_addresses():
    assert [is_no_reply(Address("email", f"{local}@x.example")) for local in (
        "no-reply", "noreply", "no_reply", "do-not-reply", "donotreply", "info.noreply", "bounce+123", "noreply2",
        "reply", "noreen", "notification-center", "jane")] == [
        True, True, True, True, True, True, True, True, False, False, True, False]


def test_display_names():
    assert [display_name(n) for n in ("Doe, Jane", "Jane Doe, PhD", "˗ˏˋ Léa Martin ˎˊ˗", "jane@example.com",
                                      '"Jane"', "")] == ["Jane Doe", "Jane Doe", "Léa Martin", "", "Jane", ""]


def test_a_source_that_says_you_sent_it_teaches_who_you_are():
    """GIVEN no identity of yours WHEN received mail comes before the first message labelled Sent
    THEN it waits, and is decided once the Sent message says who you are."""
    other = Address("email", "alex@perso.example", "Alex")
    result = capture(
        mail(1, JANE, other, hours=0),
        mail(2, other, JANE, hours=30, outgoing=True),
        mail(3, other, BOB, hours=40),  # no label, but now known to be you
        me=(),
    )
    assert pings(result) == [
        ("in", "jane@example.com", 1, T0, "subject 1"),
        ("out", "jane@example.com", 1, T0 + timedelta(hours=30), "subject 2"),
        ("out", "bob@example.net", None, T0 + timedelta(hours=40), "subject 3"),
    ]
    assert result.learned == [Address("email", "alex@perso.example")]


def test_a_source_that_cannot_tell_stops_with_one_line():
    with pytest.raises(NeedMe) as caught:
        capture(mail(1, JANE, ME), me=())
    assert str(caught.value) == (
        "Restons does not know who you are in this file: run `restons me add you@example.org` "
        "with your own address, then import again.")
    with pytest.raises(NeedMe):
        capture(*[mail(n, JANE, ME) for n in range(4)], me=(), buffer_max=3)
    with pytest.raises(NeedMe):
        check_me(Me())
    check_me(Me(), source_can_tell=True)
    check_me(Me([("email", "alex@example.org")]))


def test_other_channels_use_the_same_rules():
    """An SMS backup: the source says which were sent; identities are phone numbers."""
    anna = Address("phone", "+33612345678", "Anna")
    sent = Message(where="sms 1", source_key="s1", at=T0, channel="text", sender=None, recipients=(anna,),
                   outgoing=True)
    received = Message(where="sms 2", source_key="s2", at=T0 + timedelta(hours=1), channel="text", sender=anna,
                       outgoing=False)
    result = Capture(Me(), KnownPeople()).add_all([sent, received])
    assert [(p.direction, p.channel, p.address, p.person) for p in result.pings] == [
        ("out", "text", Address("phone", "+33612345678"), None), ("in", "text", Address("phone", "+33612345678"), None)]


def meeting(n: int, *attendees: Attendee, organizer=None, status="", conference=False, owner="") -> Meeting:
    return Meeting(where=f"e{n}", source_key=f"e{n}", start=T0, end=T0 + timedelta(hours=1), summary=f"event {n}",
                   status=status, organizer=organizer, attendees=attendees, conference=conference,
                   calendar_owner=owner)


def test_meetings():
    me = Attendee("alex@example.org", "", "ACCEPTED")
    jane = Attendee("jane@example.com", "Jane Doe", "ACCEPTED")
    zoe = Attendee("zoe@example.fr", "Zoë", "NEEDS-ACTION")
    room = Attendee("c_1@resource.calendar.google.com", "Room", "ACCEPTED")
    result = capture(
        meeting(1, me, jane, zoe, room, conference=True),
        meeting(2, me, jane, status="CANCELLED"),
        meeting(3, Attendee("alex@example.org", "", "DECLINED"), jane),
        meeting(4, Attendee("alex@example.org", "", "TENTATIVE"), jane),
        meeting(5, me, Attendee("bob@example.net", "", "DECLINED"), organizer=Attendee("omar@example.com", "Omar")),
        meeting(6, me, *[Attendee(f"p{i}@example.com") for i in range(6)]),
        meeting(7, me, Attendee("team@example.com", "Team", "", "GROUP")),
        meeting(8, me),
    )
    assert [(p.key, p.direction, p.channel, p.person, p.name) for p in result.pings] == [
        ("e1#jane@example.com", "both", "video", 1, ""),
        ("e1#zoe@example.fr", "both", "video", None, "Zoë"),
        ("e5#omar@example.com", "both", "meeting", None, "Omar"),
    ]
    assert result.summary()["ignored"] == {"cancelled": 1, "declined": 3, "group": 2, "resource": 1}


def test_samples_end_to_end(samples):
    """Every sample file through the rules: the pings a user would see."""
    now = datetime(2026, 4, 15, tzinfo=UTC)
    records = [*mbox.parse(samples / "mail" / "takeout.mbox"), *maildir.parse(samples / "mail" / "maildir"),
               *ics.parse(samples / "ics", now=now)]
    result = capture(*records, me=(("email", "alex.martin@example.org"),), names={1: "Jane Doe", 2: "José García"})
    assert [(p.at.date().isoformat(), p.direction, p.channel, p.address.value, p.person, p.name) for p in
            result.pings] == [
        ("2016-09-16", "out", "email", "jane@example.com", 1, ""),
        ("2016-09-16", "out", "email", "juergen@example.de", None, "Jürgen Müller"),
        ("2016-09-17", "in", "email", "juergen@example.de", None, "Jürgen Müller"),
        ("2026-03-02", "both", "video", "jane@example.com", 1, ""),
        ("2026-03-05", "both", "meeting", "jane@example.com", 1, ""),
        ("2026-03-05", "both", "meeting", "omar@example.com", None, ""),
        ("2026-03-09", "both", "video", "jane@example.com", 1, ""),
        ("2026-03-09", "in", "email", "jane@example.com", 1, ""),
        ("2026-03-09", "out", "email", "jane@example.com", 1, ""),
        ("2026-03-10", "both", "meeting", "zoe@example.fr", None, "Zoë Lefèvre"),
        ("2026-03-10", "in", "email", "juergen@example.de", None, "Jürgen Müller"),
        ("2026-03-14", "both", "meeting", "jane@example.com", 1, ""),
        ("2026-03-17", "both", "video", "omar.haddad@example.com", None, "Omar Haddad"),
        ("2026-03-17", "both", "video", "zoe@example.fr", None, "Zoë Lefèvre"),
        ("2026-03-24", "both", "video", "jane@example.com", 1, ""),
        ("2026-04-06", "both", "video", "jane@example.com", 1, ""),
        ("2026-04-13", "both", "video", "jane@example.com", 1, ""),
    ]
    assert result.summary() == {"strangers": 0, "ignored": {
        "auto": 1, "cancelled": 1, "declined": 3, "group": 1, "list": 2, "resource": 1, "spam": 1, "trash": 1}}
    assert [(s.address.value, s.person) for s in result.suggestions] == [("jose@example.es", 2)]
    assert result.learned == [Address("email", "alex@perso.example.net")]


def test_messages_sharing_address_objects_decide_as_messages_with_their_own():
    """GIVEN a random stream of messages whose senders and recipients are the same few objects (as a chat's
    parser gives them: the rules then remember what each combination decided), mixing known people, strangers
    who are answered later, no-reply senders, your own messages, groups and a source that teaches you mid-way
    WHEN it is captured, and again with every address copied into a new object for each message
    THEN the pings, strangers, ignored reasons, suggestions and what was learned are the same."""
    import random
    from dataclasses import replace

    me = Address("email", "alex@example.org")
    other_me = Address("email", "alex@work.example")  # learned when a Sent message says so
    people = [Address("email", "jane@example.com", "Jane Doe"), Address("email", "bob@example.net", "Bob"),
              Address("email", "no-reply@shop.example"), Address("email", "zoe@example.org", "Zoé"),
              Address("email", "sam@example.org", "Jane Doe"), me, other_me]
    groups = [(me,), (other_me,), (people[0],), (people[1], people[3]), tuple(people[:5]),
              (people[0], people[1], people[3], people[4], people[2], Address("email", "x@y.example"),
               Address("email", "w@y.example"))]
    for seed in range(40):
        rng = random.Random(seed)
        shared = []
        for n in range(rng.randint(20, 200)):
            outgoing = rng.choice([None, None, True, False])
            sender = rng.choice([*people, other_me, other_me, None]) if outgoing is not True else rng.choice(
                [me, other_me] if n > 40 else [me])  # (other_me is yours from a later Sent message on)
            recipients = rng.choice(groups)
            flags = ("list",) if rng.random() < 0.05 else ()
            shared.append(Message(f"m{n}", f"<{seed}.{n}@x>", T0 + timedelta(hours=rng.choice([1, 3, 20]) * n / 4),
                                  "email", sender, recipients, f"subject {n}", outgoing, flags))
        copied = [replace(m, sender=replace(m.sender) if m.sender else None,
                          recipients=tuple(replace(a) for a in m.recipients)) for m in shared]

        def run(records):
            known = KnownPeople({("email", "jane@example.com"): 1}, {1: "Jane Doe"})
            capture = Capture(Me([("email", "alex@example.org")]), known)
            for number, record in enumerate(records, 1):
                capture.add(record)
                if number % 17 == 0:
                    drained.extend(capture.drain())
            result = capture.finish()
            return drained + result.pings, result.summary(), result.suggestions, result.learned

        drained = []
        remembered = run(shared)
        drained = []
        assert run(copied) == remembered
