"""Mail header parsing: names in any charset, 8-bit headers, dates, the flags that make mail not a ping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from restons.capture.records import Address
from restons.importers.mail import addresses, decode_words, folder_role, parse_date, parse_headers
from restons.importers.records import ParseError


def headers(*lines: str, extra: bytes = b"") -> bytes:
    return ("\n".join(lines) + "\n").encode() + extra


BASE = ("From: Jane Doe <jane@example.com>", "To: alex@example.org", "Date: Tue, 03 Mar 2026 10:15:00 +0100",
        "Message-ID: <a1@example.com>", "Subject: Hello")


@pytest.mark.parametrize("raw, expected", [
    ("=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=", "Jürgen Müller"),
    ("=?ISO-8859-1?B?Sm9z6SBHYXJj7WE=?=", "José García"),
    ("=?iso-8859-15?q?=A4uro_B=E9b=E9?=", "€uro Bébé"),
    ("=?windows-1252?Q?Fran=E7ois_=93Fanfan=94?=", "François “Fanfan”"),
    ("=?KOI8-R?B?7sHUwdvB?=", "Наташа"),
    ("=?Shift_JIS?B?k2OShg==?=", "田中"),
    ("=?GB2312?B?1cXI/Q==?=", "张三"),
    ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),  # whitespace between encoded words goes
    ("Re: =?utf-8?q?caf=C3=A9?= ok", "Re: café ok"),
    ("=?x-unknown?q?caf=C3=A9?=", "café"),  # an unknown charset falls back to UTF-8
    ("=?utf-8?b?broken", "=?utf-8?b?broken"),
])
def test_encoded_words_in_any_charset(raw, expected):
    assert decode_words(raw) == expected


def test_addresses_with_quoted_commas_encoded_names_and_groups():
    field = (b'"Doe, Jane" <Jane.Doe@Example.COM>, bob@example.org, =?ISO-8859-1?B?Sm9z6Q==?= <jose@example.es>, '
             b'"=?utf-8?b?SsO8cmdlbg==?=" <j@example.de>, undisclosed-recipients:;, not-an-address, '
             b'"jane@example.com" <jane@example.com>')
    assert list(addresses(field)) == [
        Address("email", "jane.doe@example.com", "Doe, Jane"),
        Address("email", "bob@example.org", ""),
        Address("email", "jose@example.es", "José"),
        Address("email", "j@example.de", "Jürgen"),
        Address("email", "jane@example.com", ""),  # a name that repeats the address is no name
    ]


def test_raw_8bit_headers_are_read_as_utf8_else_cp1252():
    assert list(addresses("Zoë <zoe@example.fr>".encode())) == [Address("email", "zoe@example.fr", "Zoë")]
    assert list(addresses("René <rene@example.fr>".encode("cp1252"))) == [Address("email", "rene@example.fr", "René")]
    latin = parse_headers(headers(*BASE[:-1], extra="Subject: Vous avez gagné 100 €\n".encode("cp1252")), "m")
    utf8 = parse_headers(headers(*BASE[:-1], extra="Subject: Café à Noël ✓\n".encode()), "m")
    assert (latin.summary, utf8.summary) == ("Vous avez gagné 100 €", "Café à Noël ✓")


def test_a_whole_record():
    block = headers(
        "Received: from mx.example.com by mx.example.org; Tue, 03 Mar 2026 10:15:01 +0100",
        "From: =?utf-8?B?Wm/DqyBMZWbDqHZyZQ==?= <Zoe@Example.FR>",
        "To: Alex Martin <alex@example.org>,", " Jane <jane@example.com>",
        "Cc: bob@example.org", "Bcc: carol@example.org",
        "Date: Tue, 03 Mar 2026 10:15:00 +0100 (CET)",
        "Message-ID:", " <a1@example.com>", "In-Reply-To: <a0@example.org>",
        "Subject: =?utf-8?Q?Le_caf=C3=A9?=", "\t de mardi",
    )
    message = parse_headers(block, "m1")
    assert message.where == "m1" and message.source_key == "a1@example.com"
    assert message.at == datetime(2026, 3, 3, 9, 15, tzinfo=UTC)
    assert message.sender == Address("email", "zoe@example.fr", "Zoë Lefèvre")
    assert [r.value for r in message.recipients] == [
        "alex@example.org", "jane@example.com", "bob@example.org", "carol@example.org"]
    assert (message.summary, message.in_reply_to, message.outgoing, message.flags) == (
        "Le café de mardi", "a0@example.org", None, ())


def test_crlf_headers():
    message = parse_headers(headers(*BASE).replace(b"\n", b"\r\n"), "m")
    assert (message.summary, message.sender.value, message.source_key) == ("Hello", "jane@example.com", "a1@example.com")


@pytest.mark.parametrize("extra, flags", [
    ("List-Id: Weekly <weekly.list.example.com>", ("list",)),
    ("List-Unsubscribe: <mailto:u@list.example.com>", ("list",)),
    ("Precedence: list", ("list",)),
    ("Precedence: bulk", ("bulk",)),
    ("Precedence: junk", ("bulk",)),
    ("Auto-Submitted: auto-replied", ("auto",)),
    ("Auto-Submitted: no", ()),
    ("X-Gmail-Labels: Inbox,Category Promotions", ("bulk",)),
    ("X-Gmail-Labels: Spam", ("spam",)),
    ("X-Gmail-Labels: Trash,Opened", ("trash",)),
    ("X-Gmail-Labels: Drafts", ("draft",)),
    ('X-Gmail-Labels: "Clients, 2026",Important,Category Personal', ()),
])
def test_flags_that_make_mail_not_a_ping(extra, flags):
    assert parse_headers(headers(*BASE, extra), "m").flags == flags


def test_gmail_sent_label_says_outgoing():
    assert parse_headers(headers(*BASE, "X-Gmail-Labels: Sent,Opened"), "m").outgoing is True
    assert parse_headers(headers(*BASE, "X-Gmail-Labels: =?UTF-8?Q?Envoy=C3=A9s?=,Sent"), "m").outgoing is True


def test_without_message_id_the_key_is_a_hash_of_what_identifies_the_message():
    one = parse_headers(headers(*BASE[:3], "Subject: Hi", "X-Gmail-Labels: Unread"), "m")
    two = parse_headers(headers(*BASE[:3], "Subject: Hi", "X-Gmail-Labels: Opened"), "m")
    other = parse_headers(headers(*BASE[:3], "Subject: Hi again"), "m")
    assert one.source_key.startswith("sha256:") and one.source_key == two.source_key != other.source_key


PLUS_0130 = timezone(timedelta(hours=1, minutes=30))


@pytest.mark.parametrize("raw, expected", [
    (b"Fri, 16 Sep 2016 22:26:51 +0200", datetime(2016, 9, 16, 22, 26, 51, tzinfo=timezone(timedelta(hours=2)))),
    (b"16 Sep 2016 22:26 -0430", datetime(2016, 9, 16, 22, 26, tzinfo=timezone(-timedelta(hours=4, minutes=30)))),
    (b"Fri, 16 Sep 2016 22:26:51 GMT", datetime(2016, 9, 16, 22, 26, 51, tzinfo=UTC)),
    (b"Fri, 16 Sep 16 22:26:51 EST", datetime(2016, 9, 16, 22, 26, 51, tzinfo=timezone(-timedelta(hours=5)))),
    (b"Fri, 16 Sep 2016 22:26:51", datetime(2016, 9, 16, 22, 26, 51, tzinfo=UTC)),
    (b"yesterday", None),
    (b"Fri, 32 Sep 2016 22:26:51 +0000", None),
    # Whitespace is what \\s is in text (0x1c-0x1f included); a zone of 24 hours or more is none.
    (b"Fri,\x1c16\tSep 2016  22:26:51\x1f+0130", datetime(2016, 9, 16, 22, 26, 51, tzinfo=PLUS_0130)),
    (b"16 Sep 2016 22:26:51 -0000 (UTC)", datetime(2016, 9, 16, 22, 26, 51, tzinfo=UTC)),
    (b"16 Sep 2016 22:26:51 +2400", None),
    (b"16 Sep 2016 22:26:51 GMTX", datetime(2016, 9, 16, 22, 26, 51, tzinfo=UTC)),  # not the fast form: the fallback
    (b"16 Sep 2016 22:26:51 +0130\xff", datetime(2016, 9, 16, 22, 26, 51, tzinfo=PLUS_0130)),
])
def test_dates(raw, expected):
    assert parse_date(raw) == expected
    assert parse_date(raw) == expected  # zones are remembered: asking again gives the same


@pytest.mark.parametrize("raw, expected", [
    ("=?utf-8?q?caf=C3=A9?=", "café"),  # alone: the fast path
    ("=?utf-8?b?a?=", "=?utf-8?b?a?="),  # alone and not base64: left as it was
    ("=?utf-8?q?a_?=  b  ", "a b"),
])
def test_a_lone_encoded_word(raw, expected):
    assert decode_words(raw) == expected


def test_missing_date_uses_the_fallback_and_bad_input_is_a_parse_error():
    fallback = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    no_date = headers(BASE[0], BASE[1], "Subject: x")
    assert parse_headers(no_date, "m", fallback_date=fallback).at == fallback
    assert parse_headers(no_date, "m", fallback_date=lambda: fallback).at == fallback
    assert parse_headers(no_date, "m") == ParseError("m", "no readable date (Date)")
    assert parse_headers(headers("To: a@example.org", BASE[2]), "m") == ParseError("m", "no sender address (From)")
    assert parse_headers(headers(BASE[0], "Date: Mon, 1 Jan 1800 00:00:00 +0000"), "m") == ParseError(
        "m", "date 1800-01-01 is out of range")


@pytest.mark.parametrize("name, role", [
    ("Sent", "sent"), ("INBOX.Sent", "sent"), (".Sent Items", "sent"), ("[Gmail]/Sent Mail", "sent"),
    ("Éléments envoyés", "sent"), ("Gesendet", "sent"), ("Drafts", "drafts"), ("Trash", "trash"),
    ("Junk", "junk"), ("INBOX", ""), ("Archive", ""), ("Sentimental", ""),
])
def test_folder_roles(name, role):
    assert folder_role(name) == role


def test_a_badly_encoded_name_still_gives_the_address():
    """ISO-2022-JP in Q encoding with raw parentheses (RFC 2047 forbids it; some mailers do it)."""
    field = b"=?iso-2022-jp?Q?=1B$B'/'Q=1B(B_=1B$BEDCf=1B(B?= <user2183@example.com>"
    assert [a.value for a in addresses(field)] == ["user2183@example.com"]


def test_an_address_with_a_control_character_is_no_address():
    """A NUL (or another control character) inside an address, from a damaged file, is not an address:
    PostgreSQL refuses NULs in text, and no one can be written to there (found by the import fuzz)."""
    field = b"jane\x00@example.com, bob@exam\x01ple.org, Ann <ann@example.org\x7f>, zoe@example.fr"
    assert [a.value for a in addresses(field)] == ["zoe@example.fr"]
