"""Maildir: cur/ and new/, a tree of Maildir++ folders, Sent first, header only."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

from restons.capture.records import Address, Message
from restons.importers import maildir
from restons.importers.records import ParseError

ALEX = Address("email", "alex.martin@example.org", "")


def test_maildir_tree_exact_records(samples):
    records = list(maildir.parse(samples / "mail" / "maildir"))
    assert records == [
        # .Sent first (it says who you are); CRLF; a second address of yours.
        Message(where="maildir/.Sent/cur/1773053600.M3P3.mx:2,S", source_key="md-3@perso.example.net",
                at=datetime(2026, 3, 9, 10, 53, 20, tzinfo=UTC), channel="email",
                sender=Address("email", "alex@perso.example.net", "Alex Martin"),
                recipients=(Address("email", "jane@example.com", "Jane Doe"),), summary="Re: Slides for Thursday",
                outgoing=True, message_id="md-3@perso.example.net", in_reply_to="md-1@example.com"),
        Message(where="maildir/cur/1773050000.M1P1.mx:2,S", source_key="md-1@example.com",
                at=datetime(2026, 3, 9, 9, 53, 20, tzinfo=UTC), channel="email",
                sender=Address("email", "jane@example.com", "Jane Doe"), recipients=(ALEX,),
                summary="Slides for Thursday", message_id="md-1@example.com"),
        # new/ too; no Date field: the delivery time in the file name.
        Message(where="maildir/new/1773136400.M2P2.mx", source_key="md-2@example.de",
                at=datetime(2026, 3, 10, 9, 53, 20, tzinfo=UTC), channel="email",
                sender=Address("email", "juergen@example.de", "Jürgen Müller"), recipients=(ALEX,),
                summary="Grüße", message_id="md-2@example.de"),
        Message(where="maildir/.Lists.Weekly/cur/1773140000.M4P4.mx:2,S", source_key="issue-43@list.example.com",
                at=datetime(2026, 3, 10, 10, 53, 20, tzinfo=UTC), channel="email",
                sender=Address("email", "news@list.example.com", "The Weekly Letter"), recipients=(ALEX,),
                summary="The Weekly Letter #43", flags=("list",), message_id="issue-43@list.example.com"),
        Message(where="maildir/.Trash/cur/1773150000.M5P5.mx:2,ST", source_key="md-5@example.com",
                at=datetime(2026, 3, 10, 13, 40, tzinfo=UTC), channel="email",
                sender=Address("email", "jane@example.com", "Jane Doe"), recipients=(ALEX,),
                summary="Old thread", flags=("trash",), message_id="md-5@example.com"),
    ]


def test_a_tree_above_the_maildir_and_fs_layout(samples, tmp_path):
    """GIVEN a folder holding a Maildir, and Dovecot's LAYOUT=fs folders (Sent/cur)
    WHEN it is imported THEN every folder below is read, Sent first."""
    shutil.copytree(samples / "mail" / "maildir", tmp_path / "backup" / "Mail")
    sent = tmp_path / "backup" / "Mail" / "Sent" / "cur"
    sent.mkdir(parents=True)
    (sent / "1773000000.M9P9.mx:2,S").write_bytes(b"From: alex.martin@example.org\nTo: zoe@example.fr\n\nHi\n")
    records = list(maildir.parse(tmp_path / "backup"))
    assert [(r.where.split("/")[2], r.outgoing) for r in records] == [
        (".Sent", True), ("Sent", True), ("cur", None), ("new", None), (".Lists.Weekly", None), (".Trash", None)]


def test_not_a_maildir(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("x")
    assert list(maildir.parse(tmp_path / "empty")) == [
        ParseError(where="empty", why="no Maildir here: no folder below it holds cur/ or new/")]
    assert list(maildir.parse(tmp_path / "file")) == [
        ParseError(where="file", why="not a folder: a Maildir is a folder holding cur/ and new/")]


def test_only_the_header_is_read(tmp_path):
    """A message is read up to its blank line: a 5 MB attachment is never loaded."""
    (tmp_path / "box" / "cur").mkdir(parents=True)
    body = b"Content-Type: application/octet-stream\n\n" + b"A" * (5 * 1024 * 1024)
    (tmp_path / "box" / "cur" / "1.x:2,S").write_bytes(b"From: a@example.org\nDate: Tue, 3 Mar 2026 09:15 +0000\n" + body)
    assert len(maildir.read_header(tmp_path / "box" / "cur" / "1.x:2,S")) < 200
    assert [r.sender.value for r in maildir.parse(tmp_path / "box")] == ["a@example.org"]
