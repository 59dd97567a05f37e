"""Seeded mutation fuzzing of the capture parsers: they yield records or ParseErrors, never raise.

Real-shaped inputs (the samples) are mutated a few thousand times per format
with a small mutator (bit flips, tokens that matter to the format, cuts,
duplicated and spliced ranges). Every yielded record must be well-formed,
and the capture rules must accept whatever the parsers yield. The seed is
fixed so a failure replays; FUZZ_SEED=<n> explores other inputs.
"""

from __future__ import annotations

import io
import os
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from restons.capture.me import KnownPeople, Me, NeedMe
from restons.capture.records import Address, Meeting, Message
from restons.capture.rules import Capture
from restons.importers import ics, maildir, mbox
from restons.importers.records import ParseError
from restons.limits import DATE_MAX, DATE_MIN

SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NOW = datetime(2026, 4, 15, 12, tzinfo=UTC)

MAIL_TOKENS = [
    b"\n", b"\r\n", b"\n\n", b"From ", b"From x Tue Mar  3 09:15:00 2026\n", b"From 1@xxx Fri Sep 16 22:26:51 +0000 2016\n",
    b">From ", b":", b"=?", b"?=", b"=?utf-8?b?", b"=?utf-8?q?=FF", b"=?x-unknown?q?", b"=?iso-8859-1?b?6Q==?=", b"<", b">",
    b",", b'"', b"(", b")", b"\\", b";", b"\xff", b"\xc3", b"\xe9", b"\x00", b"\t", b" ", b"From: ", b"To: ", b"Cc: ",
    b"Date: ", b"Date: Mon, 1 Jan 0001 00:00:00 +9999\n", b"Message-ID: ", b"Subject: ", b"X-Gmail-Labels: Sent,",
    b"List-Id: x\n", b"Precedence: bulk\n", b"Auto-Submitted: auto\n", b"@", b"@@", b"undisclosed:;",
]
ICS_TOKENS = [
    b"\r\n", b"\n ", b"BEGIN:VEVENT\r\n", b"END:VEVENT\r\n", b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n",
    b"RRULE:FREQ=DAILY\r\n", b"RRULE:FREQ=SECONDLY\r\n", b"RRULE:FREQ=WEEKLY;UNTIL=19000101\r\n", b"EXDATE:",
    b"RDATE:20260101T000000Z\r\n", b"DTSTART:", b"DTSTART;VALUE=DATE:", b"DTEND:", b"DURATION:-P1D\r\n",
    b"RECURRENCE-ID:", b"TZID=Nowhere/Else:", b"ATTENDEE;PARTSTAT=DECLINED:", b"ATTENDEE:", b"mailto:", b"MAILTO:",
    b"CUTYPE=ROOM;", b"X-WR-TIMEZONE:Mars/Olympus\r\n", b"STATUS:CANCELLED\r\n", b"UID:", b";", b":", b",", b"=",
    b'"', b"\xff", b"\xc3", b"00000000T000000Z", b"99991231T235959Z", b"20260230", b"-", b"P", b"\\n",
]


def mutate(rng: random.Random, data: bytes, pool: list[bytes], tokens: list[bytes]) -> bytes:
    for _ in range(rng.randint(1, 8)):
        if not data:
            data = rng.choice(pool)
        i = rng.randrange(len(data) + 1)
        j = min(len(data), i + rng.randint(1, 200))
        op = rng.random()
        if op < 0.2 and data:
            k = rng.randrange(len(data))
            data = data[:k] + bytes([data[k] ^ (1 << rng.randrange(8))]) + data[k + 1:]
        elif op < 0.45:
            data = data[:i] + rng.choice(tokens) + data[i:]
        elif op < 0.6:
            data = data[:i] + data[j:]
        elif op < 0.72:
            data = data[:j] + data[i:j] * rng.randint(1, 4) + data[j:]
        elif op < 0.8:
            data = data[:i]
        elif op < 0.9:
            other = rng.choice(pool)
            k = rng.randrange(len(other) + 1)
            data = data[:i] + other[k:k + rng.randint(1, 400)] + data[j:]
        else:
            data = data.replace(b"2026", str(rng.randint(0, 9999)).encode(), 1)
    return data


def check_message(record):
    assert isinstance(record, (Message, ParseError)), record
    if isinstance(record, ParseError):
        assert record.where and record.why and "\n" not in record.why
        return
    assert record.at.tzinfo is UTC and DATE_MIN <= record.at.date() <= DATE_MAX
    assert isinstance(record.sender, Address) and "@" in record.sender.value
    assert all(isinstance(a, Address) and "@" in a.value for a in record.recipients)
    assert record.source_key and len(record.source_key) <= 500 and len(record.summary) <= 500
    # What becomes a key or an identity holds no NUL: PostgreSQL refuses them in text.
    assert "\x00" not in record.source_key + record.sender.value + "".join(a.value for a in record.recipients)


def rules_accept(records):
    capture = Capture(Me([("email", "alex.martin@example.org")]), KnownPeople({("email", "jane@example.com"): 1}))
    try:
        capture.add_all(r for r in records if not isinstance(r, ParseError))
    except NeedMe:
        pass


def mail_pool() -> list[bytes]:
    return [(SAMPLES / "mail" / name).read_bytes() for name in ("takeout.mbox", "mboxrd.mbox", "crlf.mbox")]


def test_fuzz_mbox(monkeypatch):
    rng = random.Random(SEED)
    pool = mail_pool()
    for n in range(3000):
        data = mutate(rng, rng.choice(pool), pool, MAIL_TOKENS)
        monkeypatch.setattr(mbox, "CHUNK", rng.choice([16, 64, 1 << 20]))
        records = list(mbox.parse(io.BytesIO(data)))
        for record in records:
            check_message(record)
        rules_accept(records)


def test_fuzz_maildir(tmp_path):
    rng = random.Random(SEED + 1)
    messages = [p.read_bytes() for p in sorted((SAMPLES / "mail" / "maildir").rglob("*")) if p.is_file()]
    pool = messages + mail_pool()
    root = tmp_path / "Maildir"
    folders = [root / "cur", root / "new", root / ".Sent" / "cur", root / ".Drafts" / "new", root / "Trash" / "cur"]
    for folder in folders:
        folder.mkdir(parents=True)
    names = ["1773050000.M1P1.mx:2,S", "99999999999.x", "0.x", "abc", "-1.x:2,", "1773050000"]
    for n in range(2500):
        name = f"{rng.choice(names)}.{n}"
        (rng.choice(folders) / name).write_bytes(mutate(rng, rng.choice(messages), pool, MAIL_TOKENS))
    records = list(maildir.parse(root))
    assert len(records) == 2500
    for record in records:
        check_message(record)
    rules_accept(records)


@pytest.mark.parametrize("part", range(2))
def test_fuzz_ics(part):
    rng = random.Random(SEED + 2 + part)
    pool = [(SAMPLES / "ics" / name).read_bytes() for name in ("google.ics", "outlook.ics", "apple.ics")]
    for n in range(1000):
        data = mutate(rng, rng.choice(pool), pool, ICS_TOKENS)
        records = list(ics.parse_bytes(data, f"fuzz-{n}.ics", now=NOW))
        for record in records:
            assert isinstance(record, (Meeting, ParseError)), record
            if isinstance(record, Meeting):
                assert record.start.tzinfo is UTC and record.end >= record.start and record.end <= NOW
                assert record.source_key and "\x00" not in record.source_key
                assert all("\x00" not in a.email for a in record.attendees)
        rules_accept(records)
