"""Telegram Desktop's JSON export: who you are, contacts' phones, personal chats, calls, streamed."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from restons.capture.me import KnownPeople, Me
from restons.capture.records import Address
from restons.capture.rules import Capture
from restons.importers import telegram
from restons.importers.records import FileRefused, ParseError

ME = Address("telegram", "5550001", others=(("phone", "+33611111111"),))
JANE = Address("telegram", "5550002", "Jane Doe", (("phone", "+33612345678"),))
OMAR = Address("telegram", "5550003", "Omar Haddad", (("phone", "+491701234567"),))


def test_the_export(samples):
    records = list(telegram.parse(samples / "phones" / "result.json", region="FR"))
    assert [(r.where, r.channel, r.outgoing, r.sender, r.recipients, r.summary, r.flags) for r in records] == [
        ("result.json, chat 5550002, message 10", "text", False, JANE, (), "Tu viens samedi ?", ()),
        ("result.json, chat 5550002, message 11", "text", True, ME, (JANE,), "Oui, bien sûr !", ()),
        ("result.json, chat 5550002, message 12", "call", True, ME, (JANE,), "Call, 5 min", ()),
        ("result.json, chat 5550002, message 13", "call", False, JANE, (), "Call, 0 s", ("missed-call",)),
        ("result.json, chat 5550002, message 14", "text", False, JANE, (), "", ()),  # a photo; no date_unixtime
        ("result.json, chat 5550003, message 1", "text", False, OMAR, (), "Hallo!", ()),  # linked by full name
        ("result.json, chat 1770001, message 1", "text", None, None, (), "", ("group",)),
        ("result.json, chat 1770001, message 2", "text", None, None, (), "", ("group",)),
        ("result.json, chat 1880001, message 1", "text", None, None, (), "", ("channel",)),
        ("result.json, chat 5550001, message 1", "text", None, None, (), "", ("self",)),
    ]
    assert records[0].at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert records[4].at == datetime(2026, 3, 5, 9, tzinfo=UTC)  # the local date, read in tz (UTC here)


def test_the_rules_learn_you_and_find_people_by_phone(samples):
    """GIVEN Jane known by her phone number only WHEN the export is read THEN her chat and call are hers,
    your id and phone are learned, Omar (who only wrote) is a stranger."""
    records = telegram.parse(samples / "phones" / "result.json", region="FR")
    result = Capture(Me(), KnownPeople({("phone", "+33612345678"): 1})).add_all(records)
    assert [(p.direction, p.channel, p.person) for p in result.pings] == [
        ("in", "text", 1), ("out", "text", 1), ("out", "call", 1), ("in", "text", 1)]
    assert result.learned == [Address("telegram", "5550001"), Address("phone", "+33611111111")]
    assert result.summary() == {"strangers": 1, "ignored": {
        "channel": 1, "group": 2, "missed-call": 1, "self": 1}}


def test_groups_on_request(samples):
    records = [r for r in telegram.parse(samples / "phones" / "result.json", region="FR", groups=True)
               if "1770001" in r.where]
    assert [(r.flags, r.sender and r.sender.value, r.outgoing) for r in records] == [
        (("system",), None, None), ((), "5550009", False)]


def test_a_single_chat_export_without_personal_information():
    chat = {"name": "Jane Doe", "type": "personal_chat", "id": 42, "messages": [
        {"id": 1, "type": "message", "date": "2026-03-02T10:00:00", "date_unixtime": "1772442000",
         "from": "Jane Doe", "from_id": "user42", "text": "hi"},
        {"id": 2, "type": "message", "date": "2026-03-02T10:01:00", "date_unixtime": "1772442060",
         "from": "Alex", "from_id": "user7", "text": "yo"}]}
    records = list(telegram.parse(io.BytesIO(json.dumps(chat).encode())))
    assert [(r.outgoing, r.sender.value) for r in records] == [(False, "42"), (True, "7")]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1 << 20])
def test_chunk_boundaries(samples, monkeypatch, size):
    expected = list(telegram.parse(samples / "phones" / "result.json"))
    monkeypatch.setattr(telegram, "CHUNK", size)
    assert list(telegram.parse(samples / "phones" / "result.json")) == expected


def test_escapes_are_repaired_only_where_they_are_escapes():
    raw = b'{"a": "x\\x0By", "b": "C:\\\\xfiles", "c": "\\\\\\x41"}'
    stream = telegram._Repaired(io.BytesIO(raw))
    assert json.loads(stream.read(100) + stream.read(100)) == {"a": "x\x0by", "b": "C:\\xfiles", "c": "\\A"}


@pytest.mark.parametrize("data, why", [
    (b"[1, 2]", "upload is not a Telegram export: it is not a JSON object"),
    (b'{"about": "x"}', "upload is not a Telegram export: it holds no chats"),
    (b'{"chats": {"list": [{"id": 1, "type": "personal_chat", "messages": [{"id": 1,',
     "upload is not valid JSON after 0 messages (parse error: premature EOF); export it again"),
])
def test_not_an_export_is_one_line(data, why):
    with pytest.raises(FileRefused) as caught:
        list(telegram.parse(io.BytesIO(data)))
    assert str(caught.value) == why


def test_a_message_without_a_date_is_an_error():
    data = b'{"chats": {"list": [{"id": 2, "type": "personal_chat", "messages": [{"id": 9, "type": "message"}]}]}}'
    assert list(telegram.parse(io.BytesIO(data))) == [ParseError("upload, chat 2, message 9, date", "no readable date")]
