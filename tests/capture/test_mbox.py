"""mbox: a streaming splitter that Takeout, unescaped ``From `` lines, mboxrd and CRLF cannot fool."""

from __future__ import annotations

import io
import mailbox
from datetime import UTC, datetime

import pytest

from restons.capture.records import Address, Message
from restons.importers import mbox
from restons.importers.records import ParseError

ALEX = Address("email", "alex.martin@example.org", "")
JANE = Address("email", "jane@example.com", "Doe, Jane")
JUERGEN = Address("email", "juergen@example.de", "Jürgen Müller")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_takeout_mbox_exact_records(samples):
    records = list(mbox.parse(samples / "mail" / "takeout.mbox"))
    assert records == [
        Message(where="takeout.mbox, message 1 (byte 0)", source_key="CAB1lunch@mail.gmail.com",
                at=at(2016, 9, 16, 22, 26, 51), channel="email",
                sender=Address("email", "alex.martin@example.org", "Alex Martin"), recipients=(JUERGEN, JANE),
                summary="Lunch next week?", outgoing=True, message_id="CAB1lunch@mail.gmail.com"),
        Message(where="takeout.mbox, message 2 (byte 807)", source_key="CAJ2reply@mail.example.de",
                at=at(2016, 9, 17, 8, 2, 10), channel="email", sender=JUERGEN,
                recipients=(Address("email", "alex.martin@example.org", "Alex Martin"), JANE),
                summary="Re: Lunch next week?", message_id="CAJ2reply@mail.example.de",
                in_reply_to="CAB1lunch@mail.gmail.com"),
        Message(where="takeout.mbox, message 3 (byte 1310)", source_key="issue-42@list.example.com",
                at=at(2016, 9, 17, 9), channel="email",
                sender=Address("email", "news@list.example.com", "The Weekly Letter"), recipients=(ALEX,),
                summary="The Weekly Letter #42", flags=("list", "bulk"), message_id="issue-42@list.example.com"),
        Message(where="takeout.mbox, message 4 (byte 1786)", source_key="receipt-7@service.example.com",
                at=at(2016, 9, 17, 11, 15), channel="email",
                sender=Address("email", "no-reply@service.example.com", "Example Service"), recipients=(ALEX,),
                summary="Your receipt", flags=("auto", "bulk"), message_id="receipt-7@service.example.com"),
        # No Date field: the separator line's date; a raw UTF-8 subject; an ISO-8859-1 encoded name.
        Message(where="takeout.mbox, message 5 (byte 2129)", source_key="8bit-1@example.es",
                at=at(2016, 9, 18, 14, 30), channel="email",
                sender=Address("email", "jose@example.es", "José García"), recipients=(ALEX,),
                summary="Café à Noël ?", message_id="8bit-1@example.es"),
        # No Message-ID: a hash; a raw cp1252 subject.
        Message(where="takeout.mbox, message 6 (byte 2449)",
                source_key="sha256:f117799c11fa8c81eb921976ed20ef4e310bd917", at=at(2016, 9, 19, 3), channel="email",
                sender=Address("email", "winner@lottery.example.net", "Lucky Draw"), recipients=(ALEX,),
                summary="Vous avez gagné !", flags=("spam",)),
    ]


def test_an_unescaped_from_line_in_a_body_is_not_a_separator(samples):
    path = samples / "mail" / "takeout.mbox"
    # The standard library's reader splits on it (formats.md § 4): the trap is real.
    assert len(mailbox.mbox(path, create=False)) == 8
    assert len(list(mbox.parse(path))) == 6


def test_raw_8bit_subjects_do_not_stop_the_import(samples):
    """mbox-to-sqlite dies on these (UnicodeDecodeError); every message here is read."""
    records = list(mbox.parse(samples / "mail" / "takeout.mbox"))
    assert not [r for r in records if isinstance(r, ParseError)]
    assert [r.summary for r in records][4:] == ["Café à Noël ?", "Vous avez gagné !"]


def test_mboxrd_and_crlf_read_the_same(samples):
    lf = list(mbox.parse(samples / "mail" / "mboxrd.mbox"))
    crlf = list(mbox.parse(samples / "mail" / "crlf.mbox"))
    assert [(m.source_key, m.at, m.sender, m.recipients, m.summary, m.in_reply_to) for m in lf] == [
        ("mboxrd-1@example.com", at(2026, 3, 3, 9, 15), Address("email", "zoe@example.fr", "Zoë Lefèvre"),
         (Address("email", "alex.martin@example.org", "Alex Martin"),), "Zoë says hi", ""),
        ("mboxrd-2@example.org", at(2026, 3, 3, 18, 40), Address("email", "alex.martin@example.org", ""),
         (Address("email", "zoe@example.fr", "Zoë Lefèvre"),), "Re: Zoë says hi", "mboxrd-1@example.com"),
    ]
    assert [(m.source_key, m.at, m.sender, m.recipients, m.summary) for m in crlf] == [
        (m.source_key, m.at, m.sender, m.recipients, m.summary) for m in lf]


@pytest.mark.parametrize("chunk", [1, 7, 64, 300])
def test_any_chunk_size_gives_the_same_messages(samples, monkeypatch, chunk):
    """The window slides over the file; a separator or a header cut by a chunk boundary is still found."""
    expected = list(mbox.parse(samples / "mail" / "takeout.mbox"))
    monkeypatch.setattr(mbox, "CHUNK", chunk)
    for name in ("takeout.mbox", "crlf.mbox"):
        got = list(mbox.parse(samples / "mail" / name))
        if name == "takeout.mbox":
            assert got == expected
        else:
            assert len(got) == 2


def test_separators_of_other_writers():
    data = (
        b"From - Tue Mar  3 09:15:00 2026\nFrom: a@example.org\nDate: Tue, 3 Mar 2026 09:15:00 +0000\n\nx\n"
        b"From MAILER-DAEMON Wed Mar  4 09:15:00 2026 +0100\nFrom: b@example.org\n\nFrom the body\n"
        b"From jane@example.com  Thu Mar  5 09:15 2026 remote from example\nFrom: c@example.org\n\n"
    )
    records = list(mbox.parse(io.BytesIO(data)))
    assert [(r.sender.value, r.at) for r in records] == [
        ("a@example.org", at(2026, 3, 3, 9, 15)),
        ("b@example.org", at(2026, 3, 4, 8, 15)),  # the separator's date, with its zone
        ("c@example.org", at(2026, 3, 5, 9, 15)),
    ]


def test_unknown_separator_shape_falls_back_to_from_lines_after_a_blank_line():
    data = (
        b"From a@example.org\nFrom: a@example.org\nDate: Tue, 3 Mar 2026 09:15:00 +0000\n\nFrom here on\nx\n\n"
        b"From b@example.org\nFrom: b@example.org\nDate: Wed, 4 Mar 2026 09:15:00 +0000\n\nbody\n"
    )
    assert [r.sender.value for r in mbox.parse(io.BytesIO(data))] == ["a@example.org", "b@example.org"]


def test_not_an_mbox_is_one_error_at_line_1(tmp_path):
    path = tmp_path / "notes.mbox"
    path.write_bytes(b"Subject: hello\n\nthis is not an mbox\n")
    assert list(mbox.parse(path)) == [
        ParseError(where="notes.mbox line 1", why="not an mbox file: it does not start with a “From ” line")]
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"\n\n")
    assert list(mbox.parse(empty)) == []


def test_a_bad_message_is_reported_and_the_next_one_read(monkeypatch):
    monkeypatch.setattr(mbox, "HEADER_MAX", 100)
    data = (
        b"From x Tue Mar  3 09:15:00 2026\nX-Long: " + b"a" * 300 + b"\nFrom: a@example.org\n\nbody\n"
        b"From x Tue Mar  3 09:16:00 2026\nSubject: no sender\n\n"
        b"From x Tue Mar  3 09:17:00 2026\nFrom: c@example.org\n\n"
    )
    records = list(mbox.parse(io.BytesIO(data)))
    assert records[:2] == [
        ParseError(where="upload, message 1 (byte 0)", why="the header is longer than 1 MiB"),
        ParseError(where="upload, message 2 (byte 367)", why="no sender address (From)"),
    ]
    assert records[2].sender.value == "c@example.org"


def test_a_sent_mbox_is_outgoing(tmp_path):
    path = tmp_path / "Sent.mbox"
    path.write_bytes(b"From x Tue Mar  3 09:15:00 2026\nFrom: alex@example.org\nTo: b@example.org\n\n")
    assert [r.outgoing for r in mbox.parse(path)] == [True]


def test_a_header_cut_short_by_a_separator_and_crlf_headers_in_an_lf_file():
    """The header ends at its blank line (LF or CRLF, whichever comes first) or at a ``From `` line before it."""
    data = (
        b"From a@example.org Tue Mar  3 09:15:00 2026\nFrom: a@example.org\nDate: Tue, 3 Mar 2026 09:15:00 +0000\n"
        b"From b@example.org Wed Mar  4 09:15:00 2026\nFrom: b@example.org\r\nSubject: crlf\r\n\r\nSubject: body\n"
        b"From here on\n\n"
        b"From c@example.org Thu Mar  5 09:15:00 2026\nFrom: c@example.org\nSubject: lf\n\nSubject: body\r\n\r\n"
    )
    records = list(mbox.parse(io.BytesIO(data)))
    assert [(r.sender.value, r.at, r.summary) for r in records] == [
        ("a@example.org", at(2026, 3, 3, 9, 15), ""),
        ("b@example.org", at(2026, 3, 4, 9, 15), "crlf"),  # the body's Subject line is not read
        ("c@example.org", at(2026, 3, 5, 9, 15), "lf"),
    ]


def test_the_split_reads_the_same_whatever_the_chunk_boundaries(monkeypatch):
    """Many small messages through windows of every size: the same messages each time."""
    messages = []
    for n in range(40):
        newline = b"\r\n" if n % 3 == 0 else b"\n"
        body = (b"From here on" + newline + b">From the archive" + newline) * (n % 4)
        messages.append(
            b"From m%d@example.org Tue Mar  3 09:%02d:00 2026" % (n, n) + newline
            + b"From: M%d <m%d@example.org>" % (n, n) + newline + b"Subject: =?utf-8?q?n=C2=B0_" + b"%d?=" % n + newline
            + newline + body)
    data = b"".join(messages)
    expected = [(f"m{n}@example.org", f"n° {n}") for n in range(40)]
    for chunk in (1, 5, 6, 13, 64, 1 << 20):
        monkeypatch.setattr(mbox, "CHUNK", chunk)
        assert [(r.sender.value, r.summary) for r in mbox.parse(io.BytesIO(data))] == expected, chunk
