"""Raw 8-bit headers, the case mbox-to-sqlite dies on, import through ``restons import mbox`` into the database.

Real mailboxes hold subjects and names that some mailer wrote as raw UTF-8
or Latin-1 bytes instead of RFC 2047 encoded words (Python's ``mailbox``
then hands ``sqlite-utils`` a header object it cannot store, and
mbox-to-sqlite stops with a traceback; see bench/mail_import.py). Restons
imports them: the interactions are stored, their summaries read as the
writer meant, the people named from decoded display names.
"""

from __future__ import annotations

import pytest

from restons import models
from tests.cli.conftest import Runner
from tests.fuzz.harness import row_counts


ME = b"alex.martin@example.org"


def message(number: int, *, sender: bytes, to: bytes, subject: bytes, labels: bytes, day: int) -> bytes:
    return b"\n".join([
        b"From %d@xxx Tue Mar %02d 09:15:00 +0000 2026" % (1545668983435175434 + number, day),
        b"X-GM-THRID: %d" % (1545668983435175434 + number),
        b"X-Gmail-Labels: " + labels,
        b"MIME-Version: 1.0",
        b"Date: Tue, %d Mar 2026 09:15:00 +0000" % day,
        b"Message-ID: <8bit-%d@mail.example.net>" % number,
        b"Subject: " + subject,
        b"From: " + sender,
        b"To: " + to,
        b"Content-Type: text/plain; charset=UTF-8",
        b"Content-Transfer-Encoding: 8bit",
        b"",
        "Caf\u00e9 \u00e0 Z\u00fcrich, d\u00e9j\u00e0 vu.".encode(),
        b"From here on, an unescaped body line.",
        b"",
        b"",
    ])


def mailbox() -> bytes:
    me = b"Alex Martin <" + ME + b">"
    return b"".join([
        # A raw UTF-8 subject on your own mail, to someone whose name is raw UTF-8 too.
        message(1, sender=me, to="Zo\u00eb Lef\u00e8vre <zoe@example.fr>".encode(),
                subject="Caf\u00e9 \u00e0 Z\u00fcrich jeudi ?".encode(), labels=b"Sent", day=3),
        # Their answer: a raw Latin-1 subject and a Latin-1 display name.
        message(2, sender="Zo\u00eb Lef\u00e8vre <zoe@example.fr>".encode("latin-1"), to=me,
                subject="R\u00e9ponse : oui, \u00e0 midi".encode("latin-1"), labels=b"Inbox,Opened", day=4),
        # Raw UTF-8 outside the Latin range (Cyrillic, CJK) and an encoded-word name beside it.
        message(3, sender=me, to=b"=?koi8-r?B?7sHUwdvB?= <natasha@example.ru>",
                subject="\u041f\u0440\u0438\u0432\u0435\u0442 \u7530\u4e2d".encode(), labels=b"Sent", day=5),
        # A byte sequence that is neither UTF-8 nor meant as anything: read, not refused.
        message(4, sender=me, to=b"Omar Haddad <omar@example.com>", subject=b"Devis \xff\xfe\x80 final",
                labels=b"Sent", day=6),
    ])


@pytest.fixture
def restons(db, capsys):
    return Runner(capsys)


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "All mail Including Spam and Trash.mbox"
    path.write_bytes(mailbox())
    return path


def test_raw_8bit_subjects_and_names_import(restons, archive):
    """GIVEN a Takeout mbox whose subjects and names are raw 8-bit (UTF-8, Latin-1, garbage bytes)
    WHEN it is imported with ``restons import mbox``
    THEN it succeeds without an error, each message is an interaction with the subject as its summary,
    and the people are named from the decoded display names."""
    result = restons.ok("import", "mbox", archive, "--json")
    summary = result.json
    assert summary["errors"] == []
    assert summary["interactions"] == 4
    assert summary["created"] == 3

    names = sorted(models.Person.objects.values_list("name", flat=True))
    assert names == ["Omar Haddad", "Zo\u00eb Lef\u00e8vre", "\u041d\u0430\u0442\u0430\u0448\u0430"]

    rows = restons.ok("interaction", "list", "--json").json
    got = sorted((row["person"]["name"], row["direction"], row["channel"], row["summary"]) for row in rows)
    assert got[0] == ("Omar Haddad", "out", "email", got[0][3])
    assert got[0][3].startswith("Devis ") and got[0][3].endswith(" final")  # the stray bytes are read, not refused
    assert got[1:] == [
        ("Zo\u00eb Lef\u00e8vre", "in", "email", "R\u00e9ponse : oui, \u00e0 midi"),
        ("Zo\u00eb Lef\u00e8vre", "out", "email", "Caf\u00e9 \u00e0 Z\u00fcrich jeudi ?"),
        ("\u041d\u0430\u0442\u0430\u0448\u0430", "out", "email", "\u041f\u0440\u0438\u0432\u0435\u0442 \u7530\u4e2d"),
    ]
    assert all(row["source"] == "mbox" for row in rows)


def test_importing_it_again_changes_nothing(restons, archive):
    restons.ok("import", "mbox", archive, "--json")
    before = row_counts()
    again = restons.ok("import", "mbox", archive, "--json").json
    assert (again["created"], again["interactions"], again["errors"]) == (0, 0, [])
    assert row_counts() == before
