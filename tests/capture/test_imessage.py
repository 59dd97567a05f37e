"""iMessage chat.db: read-only, both date eras, attributedBody, tapbacks, group events, groups."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime

import pytest

from restons.capture.me import KnownPeople, Me
from restons.capture.records import Address
from restons.capture.rules import Capture
from restons.importers import imessage
from restons.importers.records import FileRefused, ParseError

SCHEMA = """
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT,
  service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER,
  account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, display_name TEXT);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0,
  PRIMARY KEY (chat_id, message_id));
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
  replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT,
  attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT,
  date INTEGER, date_read INTEGER, date_delivered INTEGER, is_from_me INTEGER DEFAULT 0,
  item_type INTEGER DEFAULT 0, associated_message_guid TEXT, associated_message_type INTEGER DEFAULT 0,
  cache_has_attachments INTEGER DEFAULT 0, destination_caller_id TEXT);
"""
EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


def ns(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds()) * 1_000_000_000


def typedstream(text: str) -> bytes:
    """An attributedBody as macOS writes it (the part the heuristic reads)."""
    data = text.encode()
    length = bytes([len(data)]) if len(data) < 0x80 else b"\x81" + len(data).to_bytes(2, "little")
    return (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject"
            b"\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + length + data + b"\x86\x84\x02iI\x01")


def build(path, old=False):
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO handle (ROWID, id, service) VALUES (?, ?, ?)", [
        (1, "+33612345678", "iMessage"), (2, "jane.doe@icloud.com", "iMessage"), (3, "+33698765432", "SMS"),
        (4, "+491701234567", "iMessage")])
    db.executemany("INSERT INTO chat (ROWID, guid, chat_identifier, style) VALUES (?, ?, ?, ?)", [
        (1, "iMessage;-;+33612345678", "+33612345678", 45), (2, "iMessage;+;chat123", "chat123", 43),
        (3, "SMS;-;+33698765432", "+33698765432", 45)])
    db.executemany("INSERT INTO chat_handle_join VALUES (?, ?)", [(1, 1), (2, 1), (2, 3), (2, 4), (3, 3)])
    t = datetime(2026, 3, 2, 9, tzinfo=UTC)
    rows = [
        # (rowid, guid, text, body, handle, date, from_me, assoc, item_type, chat)
        (1, "A1", "Coucou", None, 1, ns(t), 0, 0, 0, 1),
        (2, "A2", None, typedstream("Tu viens samedi ? " * 10), 1, ns(t) + 60 * 10**9, 0, 0, 0, 1),  # NULL text
        (3, "A3", "Oui !", None, 0, ns(t) + 600 * 10**9, 1, 0, 0, 1),
        (4, "A4", "Loved “Oui !”", None, 1, ns(t) + 700 * 10**9, 0, 2001, 0, 1),  # a tapback
        (5, "A5", "Removed a heart", None, 1, ns(t) + 800 * 10**9, 0, 3001, 0, 1),
        (6, "A6", None, b"\x04\x0bstreamtyped garbage", 1, ns(t) + 900 * 10**9, 0, 0, 0, 1),  # unreadable body
        (7, "G1", "Salut le groupe", None, 0, ns(t) + 86400 * 10**9, 1, 0, 0, 2),
        (8, "G2", None, None, 0, ns(t) + 86500 * 10**9, 1, 0, 1, 2),  # someone renamed the group
        (9, "G3", "Super", None, 4, ns(t) + 86600 * 10**9, 0, 0, 0, 2),
        (10, "S1", "Old SMS", None, 3, int((datetime(2016, 5, 1, 12, tzinfo=UTC) - EPOCH).total_seconds()), 0, 0, 0, 3),
        (11, "S2", "\ufffc", None, 0, ns(t), 1, 0, 0, 3),  # an attachment alone
        (12, "X1", "no date", None, 1, None, 0, 0, 0, 1),
    ]
    for rowid, guid, text, body, handle, date, from_me, assoc, item_type, chat in rows:
        db.execute("INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date, is_from_me, "
                   "associated_message_type, item_type, destination_caller_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   (rowid, guid, text, body, handle, date, from_me, assoc, item_type,
                    "+33611111111" if from_me else None))
        db.execute("INSERT INTO chat_message_join VALUES (?, ?, ?)", (chat, rowid, date))
    if old:
        db.execute("ALTER TABLE message DROP COLUMN attributedBody")
        db.execute("ALTER TABLE message DROP COLUMN destination_caller_id")
    db.commit()
    db.close()
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_messages(tmp_path):
    path = build(tmp_path / "chat.db")
    before = digest(path)
    records = list(imessage.parse(path, region="FR"))
    jane, bob, omar = (Address("phone", n) for n in ("+33612345678", "+33698765432", "+491701234567"))
    me = Address("phone", "+33611111111")
    assert [(r.where, r.outgoing, r.sender, r.recipients, r.summary[:20], r.flags) for r in records[:11]] == [
        ("chat.db, message 1", False, jane, (), "Coucou", ()),
        ("chat.db, message 2", False, jane, (), "Tu viens samedi ? Tu", ()),  # read from attributedBody
        ("chat.db, message 3", True, me, (jane,), "Oui !", ()),
        ("chat.db, message 4", None, None, (), "", ("reaction",)),
        ("chat.db, message 5", None, None, (), "", ("reaction",)),
        ("chat.db, message 6", False, jane, (), "", ()),  # still a message
        ("chat.db, message 7", True, me, (jane, bob, omar), "Salut le groupe", ()),
        ("chat.db, message 8", None, None, (), "", ("system",)),
        ("chat.db, message 9", False, omar, (jane, bob), "Super", ()),
        ("chat.db, message 10", False, bob, (), "Old SMS", ()),
        ("chat.db, message 11", True, me, (bob,), "", ()),
    ]
    assert records[11] == ParseError("chat.db, message 12, date", "no readable date ('None')")
    assert records[0].at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert records[9].at == datetime(2016, 5, 1, 12, tzinfo=UTC)  # seconds, before macOS 10.13
    assert records[0].source_key == "imessage:A1"
    assert digest(path) == before and sorted(os.listdir(tmp_path)) == ["chat.db"]  # nothing written beside it


def test_the_rules(tmp_path):
    records = [r for r in imessage.parse(build(tmp_path / "chat.db"), region="FR") if not isinstance(r, ParseError)]
    result = Capture(Me(), KnownPeople({("phone", "+33612345678"): 1})).add_all(records)
    # The group (three members) is a ping with each; Omar and Bob are new: you wrote to them.
    assert [(p.at.strftime("%Y-%m-%d %H:%M"), p.direction, p.person or p.address.value) for p in result.pings] == [
        ("2016-05-01 12:00", "in", "+33698765432"), ("2026-03-02 09:00", "in", 1), ("2026-03-02 09:00", "out", "+33698765432"),
        ("2026-03-02 09:10", "out", 1), ("2026-03-03 09:00", "out", 1), ("2026-03-03 09:00", "out", "+33698765432"),
        ("2026-03-03 09:00", "out", "+491701234567"), ("2026-03-03 09:03", "in", "+491701234567")]
    assert result.summary()["ignored"] == {"reaction": 2, "system": 1}
    assert result.learned == [Address("phone", "+33611111111")]


def test_an_old_database_without_the_newer_columns(tmp_path):
    records = list(imessage.parse(build(tmp_path / "chat.db", old=True), region="FR"))
    assert records[1].summary == "" and records[1].outgoing is False  # NULL text, no attributedBody: still counted
    assert records[2].sender is None and records[2].outgoing is True


def test_apple_times():
    assert imessage.apple_time(0) == EPOCH
    assert imessage.apple_time(694_224_000) == datetime(2023, 1, 1, tzinfo=UTC)
    assert imessage.apple_time(694_224_000 * 10**9) == datetime(2023, 1, 1, tzinfo=UTC)
    assert imessage.apple_time(10**30) is None and imessage.apple_time(None) is None


@pytest.mark.parametrize("content, why", [
    (b"not a database", "chat.db is not a Messages database (chat.db): it is not SQLite"),
])
def test_not_a_database(tmp_path, content, why):
    path = tmp_path / "chat.db"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as caught:
        list(imessage.parse(path))
    assert str(caught.value) == why


def test_another_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE notes (x)").connection.commit()
    with pytest.raises(FileRefused) as caught:
        list(imessage.parse(path))
    assert str(caught.value) == "other.db is not a Messages database (chat.db): it has no message and handle tables"
