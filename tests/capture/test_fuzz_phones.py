"""Seeded mutation fuzzing of the phone and chat parsers: records, ParseErrors or one FileRefused; nothing else.

Each sample is mutated a few thousand times (the mutator of test_fuzz_parsers,
with tokens that matter to each format: surrogate references, ``data="``,
DOCTYPEs, date separators, AM/PM words, JSON escapes, SQL values). Every
record must be well-formed and the capture rules must accept what the parsers
yield. FUZZ_SEED=<n> explores other inputs.
"""

from __future__ import annotations

import io
import random
import sqlite3
import time
from datetime import UTC
from zoneinfo import ZoneInfo

from restons.capture.me import KnownPeople, Me, NeedMe
from restons.capture.records import Address, Message
from restons.capture.rules import Capture
from restons.importers import imessage, sms_xml, telegram, whatsapp
from restons.importers.records import FileRefused, ParseError
from restons.limits import DATE_MAX, DATE_MIN
from tests.capture.test_fuzz_parsers import SEED, mutate
from tests.capture.test_imessage import build
from tests.capture.test_whatsapp import ANDROID_GROUP, IOS_CHAT, LAYOUTS, T1, T2

SMS_TOKENS = [b"&#55357;", b"&#56396;", b"&#55357;&#56396;", b"&#xD83D;", b"&#0;", b"&#11;", b"&#65535;", b"&#", b";",
              b' data="', b'"', b"<", b">", b"/>", b"<part ", b"<mms ", b"</mms>", b"<sms ", b"<addr ", b"<!DOCTYPE x [",
              b"<!ENTITY a 'b'>", b"&a;", b"\xff", b"\xc3", b"\x00", b"\x01", b'type="137"', b'msg_box="2"',
              b'date="99999999999999999"', b'date="-1"', b"insert-address-token", b"~", b"null", b"(Unknown)"]
WA_TOKENS = [b"\n", b"\r\n", b"[", b"]", b" - ", b": ", b"/", b".", b"-", b",", b" PM", b" p. m.", "午後".encode(),
             "오후".encode(), "م".encode(), b"\xe2\x80\x8e", b"\xe2\x80\xaf", b"\xe2\x80\xaa", b"13", b"99", b"2026",
             b"31/02/2026, 25:61 - ", b"00/00/00 00:00 - ", b"\xff", b"\x00", "٣".encode(), b"klo "]
TG_TOKENS = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\x0B", b"\\", b"\\u", b"\\ud83d", b"null", b"true", b"1e999",
             b'"user1"', b'"date_unixtime": "99999999999"', b'"type": "service"', b'"action": "phone_call"',
             b'"personal_chat"', b'"from_id": null', b'"text": [{"type": "bold"}]', b"-1", b"\xff"]


def check(record):
    assert isinstance(record, (Message, ParseError)), record
    if isinstance(record, ParseError):
        assert record.where and record.why and "\n" not in record.why
        return
    assert record.at.tzinfo is UTC and DATE_MIN <= record.at.date() <= DATE_MAX
    assert record.source_key and len(record.source_key) <= 500 and len(record.summary) <= 140
    for address in (record.sender, *record.recipients):
        if address is not None:
            assert isinstance(address, Address) and address.value and len(address.value) <= 500


def run(make_records):
    records = []
    try:
        for record in make_records():
            check(record)
            records.append(record)
    except FileRefused as refused:
        assert str(refused) and "\n" not in str(refused)
    try:
        Capture(Me([("name", "Alex Martin")]), KnownPeople({("phone", "+33612345678"): 1})).add_all(
            r for r in records if isinstance(r, Message))
    except NeedMe:
        pass


def test_fuzz_sms_xml(samples, monkeypatch):
    rng = random.Random(SEED + 10)
    pool = [(samples / "phones" / name).read_bytes() for name in ("sms-20260401120000.xml", "calls-20260401120000.xml")]
    for _n in range(2500):
        data = mutate(rng, rng.choice(pool), pool, SMS_TOKENS)
        monkeypatch.setattr(sms_xml, "CHUNK", rng.choice([7, 64, 1 << 20]))
        run(lambda: sms_xml.parse(io.BytesIO(data), region="FR"))


def test_a_billion_laughs_is_refused_in_under_a_second():
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 40))
    data = f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{entities}]><smses>&l39;</smses>'.encode()
    start = time.perf_counter()
    try:
        list(sms_xml.parse(io.BytesIO(data)))
    except FileRefused:
        pass
    else:
        raise AssertionError("not refused")
    assert time.perf_counter() - start < 1  # a bound far above the real time, not a benchmark


def test_fuzz_whatsapp(tmp_path):
    rng = random.Random(SEED + 11)
    pool = [IOS_CHAT.encode(), ANDROID_GROUP.encode()] + [
        (f"{header(T1)}Jane Doe: Salut\nsuite\n{header(T2)}Alex Martin: Oui\n").encode() for _name, header, _s in LAYOUTS]
    paris = ZoneInfo("Europe/Paris")
    for n in range(2500):
        path = tmp_path / f"WhatsApp Chat with Jane Doe {n % 3}.txt"
        path.write_bytes(mutate(rng, rng.choice(pool), pool, WA_TOKENS))
        run(lambda: whatsapp.parse(path, region="FR", tz=paris))


def test_fuzz_telegram(samples):
    rng = random.Random(SEED + 12)
    pool = [(samples / "phones" / "result.json").read_bytes()]
    for _n in range(2000):
        data = mutate(rng, pool[0], pool, TG_TOKENS)
        run(lambda: telegram.parse(io.BytesIO(data), region="FR"))


def test_fuzz_imessage(tmp_path):
    """Random values in every column of a real-shaped database (and damaged files)."""
    rng = random.Random(SEED + 13)
    base = build(tmp_path / "base.db").read_bytes()
    values = [None, 0, -1, 1, 2001, 3005, 2**62, -(2**62), 1e300, "x", "", b"", b"NSString\x81\xff\xff",
              b"NSString\x00\x00\x00\x00\x00\x82\xff\xff\xff\xff", "+33612345678", "a@b.example", "\x00", 10**18]
    columns = ["text", "attributedBody", "handle_id", "date", "is_from_me", "associated_message_type", "item_type",
               "destination_caller_id", "guid"]
    for n in range(300):
        path = tmp_path / f"chat{n}.db"
        if n % 10 == 9:
            data = bytearray(base)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            path.write_bytes(bytes(data))
        else:
            path.write_bytes(base)
            db = sqlite3.connect(path)
            for _ in range(rng.randint(1, 12)):
                column = rng.choice(columns)
                value = rng.choice(values) if column != "guid" else rng.choice(["dup", None, "G" * 600])
                try:
                    db.execute(f"UPDATE message SET {column} = ? WHERE ROWID = ?", (value, rng.randint(1, 12)))
                except sqlite3.IntegrityError:
                    pass
            if rng.random() < 0.2:
                db.execute(rng.choice(["DELETE FROM handle WHERE ROWID = 1", "DELETE FROM chat_handle_join",
                                       "UPDATE handle SET id = 'garbage' WHERE ROWID = 2",
                                       "ALTER TABLE message DROP COLUMN item_type"]))
            db.commit()
            db.close()
        run(lambda: imessage.parse(path, region="FR"))
