"""IMAP accounts: added only when the login works, the password encrypted and never shown, synced incrementally
against a real Dovecot (tests/capture/conftest.py)."""

from __future__ import annotations

import json
import os
import time

import pytest

from restons.models import ImapAccount, Interaction
from restons.services import secrets, sync


def raw(number: int, sender: str, to: str, subject: str, day: int = 9) -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: Mon, {day} Mar 2026 09:{number:02d}:00 +0000\r\nMessage-ID: <m{number}@example.com>\r\n"
        "Content-Type: text/plain\r\n\r\nThe body is never fetched.\r\n"
    ).encode()


def deliver(dovecot, number: int, sender: str, subject: str, day: int = 12) -> None:
    """A new message dropped into the Maildir's new/ folder, as a delivery agent does (days after the others)."""
    new = dovecot.folder / "home" / dovecot.user / "Maildir" / "new"
    path = new / f"{time.time():.6f}.restons{number}.localhost"
    path.write_bytes(raw(number, sender, "alex@example.org", subject, day))
    os.chmod(path, 0o644)


@pytest.fixture
def mailbox(dovecot):
    """Two messages from people Alex wrote to (in Sent), and their answers in INBOX."""
    with dovecot.client() as client:
        for n in (1, 2):
            client.append("Sent", raw(n, "Alex <alex@example.org>", f"Person {n} <p{n}@example.com>", f"Hello {n}"))
        for n in (3, 4):
            client.append("INBOX", raw(n, f"Person {n - 2} <p{n - 2}@example.com>", "alex@example.org", f"Re: {n}"))
    return dovecot


@pytest.fixture
def password_env(monkeypatch, dovecot):
    monkeypatch.setenv("RESTONS_IMAP_PASSWORD_HOME_MAIL", dovecot.password)


def add(restons, dovecot, name="home-mail", *extra, user=None):
    return restons(*(["--user", user] if user else []), "imap", "add", name, "--host", "127.0.0.1",
                   "--port", dovecot.port, "--security", "plain", "--user", dovecot.user, *extra)


def test_password_variable_names():
    assert sync.password_variable("work") == "RESTONS_IMAP_PASSWORD_WORK"
    assert sync.password_variable("home-mail.2") == "RESTONS_IMAP_PASSWORD_HOME_MAIL_2"
    assert sync.password_variable("Zoë") == "RESTONS_IMAP_PASSWORD_ZO_"


def test_wrong_password_is_one_line_and_nothing_is_stored(restons, alice, dovecot, monkeypatch):
    monkeypatch.setenv("RESTONS_IMAP_PASSWORD_HOME_MAIL", "not the password")
    result = add(restons, dovecot)
    assert result.code == 1
    assert result.err == f"restons: 127.0.0.1:{dovecot.port}: login refused for {dovecot.user}\n"
    assert "not the password" not in result.err + result.out
    assert not ImapAccount.objects.exists()


def test_missing_folder_is_refused(restons, alice, dovecot, password_env):
    result = add(restons, dovecot, "home-mail", "--folder", "Nope")
    assert result.code == 1 and "no folder 'Nope' on the server" in result.err
    assert not ImapAccount.objects.exists()


def test_unencrypted_only_to_this_machine(restons, alice, password_env):
    result = restons("imap", "add", "home-mail", "--host", "imap.example.com", "--security", "plain",
                     "--user", "alex")
    assert result.code == 1 and "only allowed to this machine" in result.err
    assert not ImapAccount.objects.exists()


def test_the_password_is_stored_encrypted_and_never_printed(restons, alice, dovecot, password_env):
    added = add(restons, dovecot)
    assert added.code == 0, added.err
    row = ImapAccount.objects.get()
    assert (row.owner, row.name, row.host, row.port, row.security) == (alice, "home-mail", "127.0.0.1",
                                                                      dovecot.port, "plain")
    assert dovecot.password not in row.password_encrypted
    assert secrets.decrypt(row.password_encrypted, row.name) == dovecot.password

    listed = restons.ok("imap", "list", "--json")
    assert listed.json[0]["name"] == "home-mail" and listed.json[0]["last_result"] == "never"
    table = restons.ok("imap", "list")
    for shown in (listed.out, table.out, added.out):
        assert dovecot.password not in shown and row.password_encrypted not in shown
        assert "password" not in shown.lower()


def test_same_name_twice_is_refused(restons, alice, dovecot, password_env):
    assert add(restons, dovecot).code == 0
    again = add(restons, dovecot)
    assert again.code == 1 and "already a mail account named “home-mail”" in again.err
    assert ImapAccount.objects.count() == 1


def test_a_changed_secret_key_says_to_add_the_account_again(restons, alice, dovecot, password_env, settings):
    add(restons, dovecot)
    settings.SECRET_KEY = "another instance secret " * 3
    result = restons("sync", "imap")
    assert result.code == 1
    assert result.err == ("restons: home-mail: the stored secret cannot be read (the instance's secret key "
                          "changed); remove it and add it again\n")


def test_remove(restons, alice, dovecot, password_env):
    add(restons, dovecot)
    assert restons.ok("imap", "remove", "home-mail").out == "Mail account “home-mail” removed.\n"
    assert not ImapAccount.objects.exists()
    gone = restons("imap", "remove", "home-mail")
    assert gone.code == 1 and "no mail account named “home-mail”" in gone.err


def test_another_users_account_is_not_theirs(restons, alice, bob, dovecot, password_env):
    add(restons, dovecot, user="alice@example.org")
    assert restons.ok("imap", "list", "--json", user="bob@example.org").json == []
    assert restons("imap", "remove", "home-mail", user="bob@example.org").code == 1
    assert restons("sync", "imap", "--account", "home-mail", user="bob@example.org").code == 1
    assert ImapAccount.objects.filter(owner=alice).count() == 1


def test_the_backup_leaves_the_account_out(restons, alice, dovecot, password_env, tmp_path):
    add(restons, dovecot)
    row = ImapAccount.objects.get()
    out = tmp_path / "backup.json"
    restons.ok("export", "json", out)
    text = out.read_text()
    assert dovecot.password not in text and row.password_encrypted not in text
    assert json.loads(text)["left_out"]["tables"]["restons.imapaccount"].startswith("secret:")
    assert "home-mail" not in text


# --- syncing (the shared capture save) ------------------------------------------------------------

def test_second_sync_after_one_new_message_fetches_one_message(restons, alice, mailbox, password_env):
    """GIVEN an account synced once
    WHEN one message is delivered to the Maildir and the sync runs again
    THEN exactly one message is fetched, and it becomes one interaction (three days after the last one: a new
    conversation)."""
    add(restons, mailbox)
    first = restons.ok("sync", "imap", "--json").json
    assert [(r["name"], r["fetched"], r["ok"]) for r in first] == [("home-mail", 4, True)]
    assert first[0]["summary"]["interactions"] == 4
    state = ImapAccount.objects.get().state
    assert {folder: value["last_uid"] for folder, value in state.items()} == {"Sent": 2, "INBOX": 2}

    deliver(mailbox, 5, "Person 1 <p1@example.com>", "One more")
    second = restons.ok("sync", "imap", "--account", "home-mail", "--json").json
    assert [(r["fetched"], r["summary"]["interactions"]) for r in second] == [(1, 1)]
    assert ImapAccount.objects.get().state["INBOX"]["last_uid"] == 3
    assert Interaction.objects.filter(owner=alice).count() == 5

    third = restons.ok("sync", "imap", "--json").json
    assert (third[0]["fetched"], third[0]["summary"]) == (0, {})
    listed = restons.ok("imap", "list", "--json").json[0]
    assert listed["last_result"] == "ok" and listed["last_error"] is None


def test_checkpoints_are_stored_only_after_the_save(alice, mailbox, password_env, monkeypatch):
    """A save that fails leaves the checkpoints where they were: the next sync reads the same messages again."""
    row = sync.add_account(alice, "home-mail", host="127.0.0.1", port=mailbox.port, security="plain",
                           user=mailbox.user, password=mailbox.password)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(sync, "_save", broken)
    with pytest.raises(RuntimeError):
        sync.sync_account(alice, row)
    row.refresh_from_db()
    assert row.state == {}
    assert row.last_error == "RuntimeError: the database went away" and row.last_result == "failed"
    assert row.last_sync_at is None


def test_changed_uidvalidity_rereads_the_folder_idempotently(restons, alice, mailbox, password_env):
    add(restons, mailbox)
    printed = restons.ok("sync", "imap").out
    assert printed.startswith("home-mail: 4 new records read.\n") and "4 new interactions" in printed
    before = Interaction.objects.count()
    row = ImapAccount.objects.get()
    row.state = {folder: {**value, "uidvalidity": value["uidvalidity"] + 1} for folder, value in row.state.items()}
    row.save()
    again = restons.ok("sync", "imap", "--json").json[0]
    assert again["fetched"] == 4 and again["summary"]["interactions"] == 0
    assert Interaction.objects.count() == before


def test_a_failed_sync_is_recorded_and_shown(restons, alice, mailbox, password_env):
    add(restons, mailbox)
    ImapAccount.objects.update(port=1)  # nothing listens there
    result = restons("sync", "imap")
    assert result.code == 1 and result.err.startswith("restons: 127.0.0.1:1: cannot connect")
    listed = restons.ok("imap", "list", "--json").json[0]
    assert listed["last_result"] == "failed" and listed["last_error"].startswith("127.0.0.1:1: cannot connect")
    assert "cannot connect" in restons.ok("imap", "list").out


def test_mail_already_imported_from_an_mbox_is_not_counted_again(restons, alice, mailbox, password_env, tmp_path):
    """GIVEN the same four messages imported from an mbox file
    WHEN the IMAP account that holds them is synced
    THEN four messages are read and no interaction is added."""
    mbox = tmp_path / "export.mbox"
    with mbox.open("wb") as out:
        for n, sender, to, subject in (
            (1, "Alex <alex@example.org>", "Person 1 <p1@example.com>", "Hello 1"),
            (2, "Alex <alex@example.org>", "Person 2 <p2@example.com>", "Hello 2"),
            (3, "Person 1 <p1@example.com>", "alex@example.org", "Re: 3"),
            (4, "Person 2 <p2@example.com>", "alex@example.org", "Re: 4"),
        ):
            out.write(b"From MAILER-DAEMON Mon Mar  9 09:00:00 2026\n" + raw(n, sender, to, subject).replace(b"\r\n", b"\n") + b"\n")
    restons.ok("me", "add", "alex@example.org")
    imported = restons.ok("import", "mbox", mbox, "--json").json
    assert imported["interactions"] == 4
    add(restons, mailbox)
    synced = restons.ok("sync", "imap", "--json").json[0]
    assert (synced["fetched"], synced["summary"]["interactions"]) == (4, 0)
    assert Interaction.objects.filter(owner=alice).count() == 4


def test_a_sync_interrupted_between_saves_resumes_where_it_stopped(alice, mailbox, monkeypatch):
    """GIVEN a sync that saves folder by folder, and fails on the second save
    THEN the first folder's checkpoint is stored, and the next sync reads only the second folder;
    the result is the same as one clean sync."""
    sync.add_account(alice, "home", host="127.0.0.1", port=mailbox.port, security="plain", user=mailbox.user,
                     password=mailbox.password)
    monkeypatch.setattr(sync, "SAVE_EVERY", 1)
    real, calls = sync._save, []

    def second_fails(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "_save", second_fails)
    with pytest.raises(RuntimeError):
        sync.sync_account(alice, ImapAccount.objects.get())
    assert set(ImapAccount.objects.get().state) == {"Sent"}
    assert Interaction.objects.filter(owner=alice).count() == 2  # your two messages

    result = sync.sync_account(alice, ImapAccount.objects.get())
    assert (result.fetched, result.summary.interactions) == (2, 2)  # INBOX only
    assert Interaction.objects.filter(owner=alice).count() == 4
    again = sync.sync_account(alice, ImapAccount.objects.get())
    assert (again.fetched, again.summary) == (0, None)


def test_tls_is_the_default_and_certificates_are_checked(restons, alice, dovecot, password_env):
    """The test server's certificate is signed by nobody the system trusts: the account is refused."""
    result = restons("imap", "add", "home-mail", "--host", "127.0.0.1", "--port", dovecot.tls_port,
                     "--user", dovecot.user)
    assert result.code == 1
    assert result.err.startswith(f"restons: 127.0.0.1:{dovecot.tls_port}: TLS failed (")
    assert "CERTIFICATE_VERIFY_FAILED" in result.err
    assert not ImapAccount.objects.exists()
