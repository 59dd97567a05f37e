"""SMS Backup & Restore: sms, mms and calls, streamed through surrogate pairs, media and hostile XML."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import pytest

from restons.capture.me import KnownPeople, Me
from restons.capture.records import Address
from restons.capture.rules import Capture
from restons.importers import sms_xml
from restons.importers.records import FileRefused, ParseError

JANE = "+33612345678"
BOB = "+33698765432"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def summary(records):
    return [(r.where.split()[-1], r.channel, r.outgoing, r.sender and r.sender.value,
             tuple(a.value for a in r.recipients), r.summary, r.flags) for r in records]


def test_sms_and_mms(samples):
    records = list(sms_xml.parse(samples / "phones" / "sms-20260401120000.xml", region="FR"))
    assert summary(records) == [
        ("4", "text", False, JANE, (), "Tu as vu le match ? 👍", ()),  # a surrogate pair joined
        ("5", "text", True, None, (JANE,), "Oui ! Quel but �", ()),  # a national number, a lone surrogate
        ("6", "text", False, "+491701234567", (), "", ()),  # body "null", contact "(Unknown)"
        ("7", "text", False, "36179", (), "Votre code : 123456", ("no-reply",)),  # a short code
        ("8", "text", False, "AMAZON", (), "Votre colis arrive", ("no-reply",)),
        ("9", "text", True, None, (BOB,), "brouillon", ("draft",)),
        ("10", "text", True, None, (BOB,), "pas parti", ("unsent",)),
        # Group MMS received from Bob: Jane is the other member; +33611111111 (you) is not in the thread.
        ("11", "text", False, BOB, (JANE,), "La photo du match 😀", ()),
        ("23", "text", True, None, (JANE, BOB), "Merci !", ()),  # insert-address-token is you
    ]
    assert records[0].at == at(2026, 3, 2, 9) and records[0].sender.name == "Jane Doe"
    assert records[2].sender.name == ""
    assert records[7].sender == Address("phone", BOB, "Bob Stone")
    assert len({r.source_key for r in records}) == len(records)


def test_calls(samples):
    records = list(sms_xml.parse(samples / "phones" / "calls-20260401120000.xml", region="FR"))
    assert [(r.channel, r.outgoing, r.flags, r.summary) for r in records] == [
        ("call", False, (), "Call, 13 min"),
        ("call", True, (), "Call, 2 min"),
        ("call", False, ("missed-call",), "Call, 0 s"),
        ("call", False, ("missed-call",), "Call, 31 s"),  # voicemail: they called, nobody answered
        ("call", False, ("rejected-call",), "Call, 0 s"),
        ("call", False, ("blocked-call",), "Call, 0 s"),
        ("call", True, ("zero-length-call",), "Call, 0 s"),
        ("call", False, ("unknown-number",), "Call, 40 s"),  # a hidden number
    ]
    result = Capture(Me(), KnownPeople({("phone", JANE): 1})).add_all(records)
    assert [(p.direction, p.channel, p.person) for p in result.pings] == [("in", "call", 1), ("out", "call", 1)]
    assert result.summary() == {"strangers": 0, "ignored": {
        "blocked-call": 1, "missed-call": 2, "rejected-call": 1, "unknown-number": 1, "zero-length-call": 1}}


def test_the_rules_on_a_backup(samples):
    """GIVEN Jane known by her number WHEN the backup is read THEN her texts are pings, Bob (whom you wrote
    to in a group MMS) becomes a person, the German number that only wrote is a stranger."""
    records = list(sms_xml.parse(samples / "phones" / "sms-20260401120000.xml", region="FR"))
    result = Capture(Me(), KnownPeople({("phone", JANE): 1}, {1: "Jane Doe"})).add_all(records)
    assert [(p.direction, p.address.value, p.person, p.name) for p in result.pings] == [
        ("in", JANE, 1, ""), ("out", JANE, 1, ""), ("in", BOB, None, "Bob Stone"), ("out", JANE, 1, ""),
        ("out", BOB, None, "Bob Stone")]
    assert result.summary() == {"strangers": 1, "ignored": {"draft": 1, "no-reply": 2, "unsent": 1}}


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 13, 24, 25, 64, 1 << 20])
def test_chunk_boundaries_anywhere(samples, monkeypatch, size):
    """A surrogate pair, a ` data="` or a tag cut by a chunk boundary reads the same."""
    path = samples / "phones" / "sms-20260401120000.xml"
    expected = list(sms_xml.parse(path, region="FR"))
    monkeypatch.setattr(sms_xml, "CHUNK", size)
    assert list(sms_xml.parse(path, region="FR")) == expected


def test_media_never_reaches_the_parser():
    chunks = b"".join(t.encode() for t, _ in sms_xml.cleaned_chunks(io.BytesIO(
        b'<smses><mms><parts><part seq="0" ct="image/png" data="' + b"QUJD" * 100_000 + b'" text="null" />'
        b'</parts></mms><sms body=\' data="kept"\' /></smses>').read, 1000))
    assert chunks == (b'<smses><mms><parts><part seq="0" ct="image/png" data="" text="null" /></parts></mms>'
                      b'<sms body=\' data="kept"\' /></smses>')


def test_references_xml_refuses_are_repaired():
    assert sms_xml.repair(b"&#55357;&#56396; &#xD83D;&#xDE00; &#56396; &#11; &#65535; &#65; \x01") == (
        b"&#128076; &#128512; &#65533; &#65533; &#65533; &#65;  ")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<smses><sms address="+33612345678" date="1" type="1" body="&lol9;" /></smses>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE smses [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<smses><sms address="+33612345678" date="1772442000000" type="1" body="&xxe;" /></smses>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL, b"<!DOCTYPE smses SYSTEM 'http://example.com/x.dtd'><smses/>"])
def test_document_types_are_refused_at_once(data):
    records = []
    with pytest.raises(FileRefused) as caught:
        for record in sms_xml.parse(io.BytesIO(data)):
            records.append(record)
    assert records == []
    assert str(caught.value) == (
        "upload declares a document type (<!DOCTYPE>), which a backup never does; it was refused")


@pytest.mark.parametrize("data, why", [
    (b"<html><body/></html>", "upload is not an SMS Backup & Restore file: its root element is <html>, not <smses> or <calls>"),
    (b"", "upload is empty: no <smses> or <calls> element"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "upload line 1 is not well-formed XML (not well-formed (invalid token)); "
                                    "the backup may be cut short: make a new one"),
    (b'<smses><sms address="+33612345678" date="1772442000000" type="1" body="x" />\n<sms addr',
     "upload line 2 is not well-formed XML (unclosed token); the backup may be cut short: make a new one"),
])
def test_not_a_backup_is_one_line(data, why):
    with pytest.raises(FileRefused) as caught:
        list(sms_xml.parse(io.BytesIO(data)))
    assert str(caught.value) == why


def test_bad_elements_are_errors_that_say_where():
    data = (b'<smses>\n<sms address="+33612345678" date="soon" type="1" />\n<sms address="+33612345678" date="1" '
            b'type="9" />\n<sms address="null" date="1772442000000" type="1" />\n<call number="+33612345678" '
            b'date="1772442000000" type="1" duration="long" />\n</smses>')
    assert list(sms_xml.parse(io.BytesIO(data))) == [
        ParseError("upload line 2, date", "no readable date ('soon')"),
        ParseError("upload line 3, type", "unknown message type '9'"),
        ParseError("upload line 4, address", "no phone number"),
        ParseError("upload line 5, duration", "no readable duration ('long')"),
    ]
