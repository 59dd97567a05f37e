"""The IMAP fetcher against a real Dovecot (see conftest.py): incremental, header-only, TLS by default."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from restons.capture.records import Message
from restons.importers.imap import Account, Checkpoint, FolderState, ImapError, choose_folders, fetch
from restons.importers.records import ParseError


def raw(number: int, sender: str, to: str, subject: str, day: int = 9) -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: Mon, {day} Mar 2026 09:{number:02d}:00 +0000\r\nMessage-ID: <m{number}@example.com>\r\n"
        "Content-Type: text/plain\r\n\r\nThe body is never fetched.\r\n"
    ).encode()


def account(dovecot, **options) -> Account:
    values = {"name": "test", "host": "127.0.0.1", "user": dovecot.user, "password": dovecot.password,
              "port": dovecot.port, "security": "plain"}
    values.update(options)
    return Account(**values)


def run(acc: Account, state=None):
    messages, checkpoints = [], {}
    for item in fetch(acc, state):
        if isinstance(item, Checkpoint):
            checkpoints[item.folder] = item.state
        else:
            assert not isinstance(item, ParseError), item
            messages.append(item)
    return messages, checkpoints


@pytest.fixture
def mailbox(dovecot):
    """Three messages received by Alex, two sent by Alex (in Sent)."""
    with dovecot.client() as client:
        for n in (1, 2, 3):
            client.append("INBOX", raw(n, f"Person {n} <p{n}@example.com>", "alex@example.org", f"Hello {n}"))
        for n in (4, 5):
            client.append("Sent", raw(n, "Alex <alex@example.org>", f"p{n}@example.com", f"Re: {n}"))
    return dovecot


def test_second_sync_after_one_new_message_fetches_one_message(mailbox):
    """GIVEN a mailbox synced once
    WHEN one message arrives and the sync runs again with the stored state
    THEN exactly that message is fetched."""
    first, state = run(account(mailbox))
    assert [(m.summary, m.outgoing) for m in first] == [
        ("Re: 4", True), ("Re: 5", True),  # Sent first: it says who you are
        ("Hello 1", None), ("Hello 2", None), ("Hello 3", None),
    ]
    assert set(state) == {"Sent", "INBOX"}
    assert state["INBOX"].last_uid == 3 and state["Sent"].last_uid == 2

    with mailbox.client() as client:
        client.append("INBOX", raw(6, "Jane Doe <jane@example.com>", "alex@example.org", "One more"))
    second, state2 = run(account(mailbox), state)

    assert [(m.source_key, m.summary, m.sender.value) for m in second] == [
        ("m6@example.com", "One more", "jane@example.com")]
    assert state2["INBOX"] == FolderState(state["INBOX"].uidvalidity, 4)
    assert state2["Sent"] == state["Sent"]
    third, _ = run(account(mailbox), state2)
    assert third == []


def test_records_are_the_same_as_from_a_file(mailbox):
    first, _ = run(account(mailbox))
    message = first[2]
    assert message == Message(
        where="test, INBOX, UID 1", source_key="m1@example.com", at=datetime(2026, 3, 9, 9, 1, tzinfo=UTC),
        channel="email", sender=message.sender, recipients=message.recipients, summary="Hello 1",
        outgoing=None, flags=(), message_id="m1@example.com", in_reply_to="")
    assert (message.sender.value, message.sender.name) == ("p1@example.com", "Person 1")
    assert [r.value for r in message.recipients] == ["alex@example.org"]


def test_headers_are_peeked_messages_stay_unread(mailbox):
    run(account(mailbox))
    with mailbox.client() as client:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(client.search(["ALL"]))
    assert all(b"\\Seen" not in f for f in flags.values())


def test_changed_uidvalidity_rereads_the_folder(mailbox):
    """GIVEN a folder synced once
    WHEN the server renumbers it (deleted and made again: a new UIDVALIDITY)
    THEN the next sync reads it whole again, with the same message keys."""
    with mailbox.client() as client:
        client.create_folder("Archive")
        for n in (7, 8):
            client.append("Archive", raw(n, f"P{n} <p{n}@example.com>", "alex@example.org", f"Old {n}"))
    acc = account(mailbox, folders=("Archive",))
    first, state = run(acc)
    assert [m.source_key for m in first] == ["m7@example.com", "m8@example.com"]
    assert run(acc, state)[0] == []

    with mailbox.client() as client:
        client.delete_folder("Archive")
        client.create_folder("Archive")
        for n in (7, 8):
            client.append("Archive", raw(n, f"P{n} <p{n}@example.com>", "alex@example.org", f"Old {n}"))
    again, state2 = run(acc, state)

    assert state2["Archive"].uidvalidity != state["Archive"].uidvalidity
    assert [m.source_key for m in again] == ["m7@example.com", "m8@example.com"]


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_tls_connections(mailbox, security):
    port = mailbox.tls_port if security == "tls" else mailbox.port
    messages, _ = run(account(mailbox, security=security, port=port, ssl_context=mailbox.ssl_context))
    assert len(messages) == 5


def test_tls_is_the_default_and_checks_the_certificate(mailbox):
    acc = Account(name="test", host="127.0.0.1", user=mailbox.user, password=mailbox.password, port=mailbox.tls_port)
    assert acc.security == "tls"
    with pytest.raises(ImapError, match="TLS failed"):
        run(acc)  # the system's CAs do not trust the test server's certificate


def test_plain_is_refused_off_loopback():
    acc = Account(name="work", host="imap.example.org", user="alex", password="x", security="plain")
    with pytest.raises(ImapError, match="only allowed to this machine"):
        run(acc)


def test_wrong_password_is_one_line_without_the_password(mailbox):
    with pytest.raises(ImapError) as caught:
        run(account(mailbox, password="not-the-password"))
    assert str(caught.value) == f"127.0.0.1:{mailbox.port}: login refused for alex"
    assert "not-the-password" not in repr(account(mailbox, password="not-the-password"))


def test_unknown_folder_names_the_ones_there(mailbox):
    with pytest.raises(ImapError, match="no folder 'Nope' on the server; it has: Drafts, INBOX, Sent"):
        run(account(mailbox, folders=("Nope",)))


class _Listing:
    def __init__(self, folders):
        self.folders = folders

    def list_folders(self):
        return self.folders


def test_gmail_reads_all_mail_only():
    # Gmail cannot run here; its folder list is what its documentation shows.
    gmail = _Listing([
        ((b"\\HasNoChildren",), b"/", "INBOX"),
        ((b"\\HasChildren", b"\\Noselect"), b"/", "[Gmail]"),
        ((b"\\All", b"\\HasNoChildren"), b"/", "[Gmail]/Tous les messages"),
        ((b"\\HasNoChildren", b"\\Sent"), b"/", "[Gmail]/Messages envoy&AOk-s"),
    ])
    assert choose_folders(gmail, (), gmail=True) == [("[Gmail]/Tous les messages", "all")]
    assert choose_folders(gmail, (), gmail=False) == [("[Gmail]/Messages envoy&AOk-s", "sent"), ("INBOX", "")]
    plain = _Listing([((b"\\HasNoChildren",), b".", "INBOX"), ((b"\\HasNoChildren",), b".", "INBOX.Sent Items")])
    assert choose_folders(plain, (), gmail=False) == [("INBOX.Sent Items", "sent"), ("INBOX", "")]
