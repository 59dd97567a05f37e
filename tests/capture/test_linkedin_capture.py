"""LinkedIn messages.csv under the capture rules: one message per line, conversations, groups, strangers."""

from __future__ import annotations

from restons.capture.linkedin import messages
from restons.capture.me import KnownPeople, Me
from restons.capture.records import Address, Message
from restons.capture.rules import Capture
from restons.importers import linkedin
from restons.importers.records import ParseError

CAMILLE = "https://www.linkedin.com/in/camille-fontaine-4a1b2c"
THEO = "https://www.linkedin.com/in/theo-marchal"
NADIA = "https://www.linkedin.com/in/nadia-okafor"


def test_one_message_per_line(samples):
    records = list(messages(linkedin.parse(samples / "linkedin" / "messages.csv")))
    assert [(type(r).__name__, getattr(r, "where", ""), getattr(r, "outgoing", None),
             r.sender.value if isinstance(r, Message) and r.sender else None,
             tuple(a.value for a in r.recipients) if isinstance(r, Message) else ()) for r in records] == [
        ("Message", "messages.csv line 2", False, CAMILLE, ()),
        ("Message", "messages.csv line 4", True, None, (CAMILLE,)),
        ("Message", "messages.csv line 5", True, None, (THEO, NADIA)),  # two records of the parser, one message
        ("Message", "messages.csv line 6", False, THEO, ()),
        ("ParseError", "messages.csv line 8, DATE", None, None, ()),
    ]
    assert records[0].channel == "linkedin" and records[0].sender == Address("linkedin", CAMILLE, "Camille Fontaine")


def test_the_rules(samples):
    """GIVEN Camille known by her profile WHEN the messages are read THEN her message and your reply are two
    pings, the group message a ping with each, Théo's reply in the group his."""
    records = [r for r in messages(linkedin.parse(samples / "linkedin" / "messages.csv")) if not isinstance(r, ParseError)]
    result = Capture(Me(), KnownPeople({("linkedin", CAMILLE): 1})).add_all(records)
    assert [(p.direction, p.channel, p.person or p.address.value) for p in result.pings] == [
        ("in", "linkedin", 1), ("out", "linkedin", 1), ("out", "linkedin", NADIA), ("out", "linkedin", THEO),
        ("in", "linkedin", THEO)]
    assert result.strangers == 0


def test_old_exports_without_urls_use_names():
    from datetime import UTC, datetime

    from restons.importers.records import InteractionRecord
    at = datetime(2023, 5, 1, tzinfo=UTC)
    records = [InteractionRecord("m.csv line 2", "c:1:name:jane doe", at, "in", "linkedin", "Jane Doe", [], "Hi")]
    assert list(messages(records)) == [Message(
        where="m.csv line 2", source_key="c:1:name:jane doe", at=at, channel="linkedin",
        sender=Address("name", "Jane Doe", "Jane Doe"), summary="Hi", outgoing=False)]
