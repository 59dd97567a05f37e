"""The mixed archive through the database: ``restons import mbox|maildir|ics`` against the generator's truth.

bench/capture_archive.py writes two overlapping Gmail Takeout exports, the
same mail as a Maildir++ tree, a Google calendar, and the truth: which
messages and meetings are pings (with whom, which way, on which channel,
when), how many strangers, how many ignored messages per reason. Here the
files go through the real command into the database, and what is stored is
compared with that truth: every interaction on the right person, in the right
direction, on the right channel, at the right time; nothing more; and a
re-import adds nothing. Time stands still at the generator's "now" so that
the calendar's future meetings stay in the future.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from restons import models
from tests.capture.test_archive import load_generator
from tests.cli.conftest import Runner
from tests.fuzz.harness import row_counts


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    truth = load_generator().generate(out, seed=1, people=40, years=2)
    # A few hundred interactions, every reason a message or a meeting is not a ping.
    assert len(truth["both"]["pings"]) + len(truth["calendar.ics"]["pings"]) >= 300
    assert set(truth["both"]["ignored"]) >= {"list", "bulk", "no-reply", "auto", "spam", "draft", "self", "group"}
    assert set(truth["calendar.ics"]["ignored"]) >= {"declined", "cancelled", "resource", "group"}
    return out, truth


@pytest.fixture
def restons(db, capsys, archive, time_machine):
    _out, truth = archive
    time_machine.move_to(datetime.fromisoformat(truth["now"]), tick=False)
    return Runner(capsys)


def add_known(restons, truth) -> dict[int, int]:
    """The people already in the address book; truth ref -> person id."""
    ids = {}
    for known in truth["known"]:
        emails = [a for e in known["emails"] for a in ("--email", e)]
        said = restons.ok("person", "add", known["name"], *emails).out
        ids[known["ref"]] = int(re.search(r"\(#(\d+)\)", said).group(1))
    return ids


def imported(restons, path, source) -> dict:
    return restons.ok("import", source, path, "--json").json


def suggested(truth) -> set[int]:
    """The people made for strangers who bear a known person's name (the truth's suggestions)."""
    return set(models.Identity.objects.filter(kind="email", value__in=truth["both"]["suggestions"])
               .values_list("person_id", flat=True))


def stored(truth) -> list[tuple]:
    """Every interaction in the database but the suggested people's: (person id, direction, channel, at in UTC)."""
    rows = models.Interaction.objects.exclude(person_id__in=suggested(truth))
    return sorted((pid, direction, channel, at.isoformat()) for pid, direction, channel, at in
                  rows.values_list("person_id", "direction", "channel", "at"))


def check_suggestions(truth, known_ids) -> None:
    """A stranger named like someone you know is a person of their own, with what they wrote and a merge
    suggestion with the one you know (accepting it moves their pings over)."""
    names = {k["name"]: known_ids[k["ref"]] for k in truth["known"]}
    pairs = set(models.MergeSuggestion.objects.filter(status="pending").values_list("person_a_id", "person_b_id"))
    for pid in suggested(truth):
        person = models.Person.objects.get(id=pid)
        assert person.name in names
        assert tuple(sorted((pid, names[person.name]))) in pairs
        assert set(models.Interaction.objects.filter(person_id=pid).values_list("direction", flat=True)) == {"in"}


def expected(pings, known_ids) -> list[tuple]:
    """The truth's pings as stored rows: known people by their id, new people by the identity they were made with."""
    by_email = dict(models.Identity.objects.filter(kind="email").values_list("value", "person_id"))
    rows = []
    for ping in pings:
        pid = known_ids[ping["person"]] if ping["person"] is not None else by_email.get(ping["email"])
        at = datetime.fromisoformat(ping["at"]).astimezone(UTC)
        rows.append((pid, ping["direction"], ping["channel"], at.isoformat()))
    return sorted(rows)


def test_two_overlapping_exports_then_the_calendar_then_the_maildir(restons, archive):
    """GIVEN the known people in the address book and no identity of yours
    WHEN the first Takeout export, the later overlapping one, the calendar and the Maildir of the same mail are
    imported, each twice
    THEN after each step the stored interactions are exactly the truth's (person, direction, channel, time),
    the summaries count strangers and ignored messages per reason as the truth does,
    new people are named from their decoded display names, and every second import adds nothing."""
    out, truth = archive
    known_ids = add_known(restons, truth)

    first = imported(restons, out / "export-1.mbox", "mbox")
    part = truth["export-1.mbox"]
    assert (first["strangers"], first["ignored"], first["errors"]) == (part["strangers"], part["ignored"], [])
    assert first["learned"] == [{"kind": "email", "value": truth["me"]}]  # the Sent label says who you are
    assert stored(truth) == expected(part["pings"], known_ids)

    before = row_counts()
    again = imported(restons, out / "export-1.mbox", "mbox")
    assert (again["created"], again["interactions"]) == (0, 0)
    assert row_counts() == before

    second = imported(restons, out / "export-2.mbox", "mbox")
    assert (second["ignored"], second["errors"]) == (truth["export-2.mbox"]["ignored"], [])
    mail = expected(truth["both"]["pings"], known_ids)
    assert stored(truth) == mail  # conversations across the cut are one interaction, not two
    assert len(suggested(truth)) == len(truth["both"]["suggestions"]) >= 1
    check_suggestions(truth, known_ids)

    # Someone new is made per address you wrote to, named from the decoded display name.
    names = dict(models.Identity.objects.filter(kind="email").exclude(person_id__in=known_ids.values())
                 .values_list("value", "person__name"))
    written = {p["email"] for p in truth["both"]["pings"] if p["person"] is None}
    assert written and {e: names.get(e) for e in written} == {
        e: new["name"] for new in truth["new_people"] for e in new["emails"] if e in written}

    before = row_counts()
    again = imported(restons, out / "export-2.mbox", "mbox")
    assert (again["created"], again["interactions"]) == (0, 0)
    assert row_counts() == before

    calendar = imported(restons, out / "calendar.ics", "ics")
    part = truth["calendar.ics"]
    assert (calendar["strangers"], calendar["ignored"], calendar["errors"]) == (0, part["ignored"], [])
    assert stored(truth) == sorted(mail + expected(part["pings"], known_ids))

    before = row_counts()
    again = imported(restons, out / "calendar.ics", "ics")
    assert (again["created"], again["interactions"]) == (0, 0)
    assert row_counts() == before

    # The same mail read from a mail client's Maildir (another source): nothing new either.
    maildir = imported(restons, out / "Maildir", "maildir")
    assert (maildir["created"], maildir["interactions"], maildir["errors"]) == (0, 0, [])
    assert row_counts() == before


def test_the_maildir_alone(restons, archive):
    """GIVEN the known people and no identity of yours
    WHEN the Maildir holding all the mail is imported (its .Sent folder says who you are)
    THEN the interactions, strangers and ignored counts are those of both exports together,
    and importing it again adds nothing."""
    out, truth = archive
    known_ids = add_known(restons, truth)
    summary = imported(restons, out / "Maildir", "maildir")
    both = truth["both"]
    assert (summary["strangers"], summary["ignored"], summary["errors"]) == (both["strangers"], both["ignored"], [])
    assert summary["learned"] == [{"kind": "email", "value": truth["me"]}]
    assert stored(truth) == expected(both["pings"], known_ids)
    check_suggestions(truth, known_ids)
    assert {row["source"] for row in restons.ok("interaction", "list", "--json").json} == {"maildir"}

    before = row_counts()
    again = imported(restons, out / "Maildir", "maildir")
    assert (again["created"], again["interactions"]) == (0, 0)
    assert row_counts() == before


def test_the_calendar_on_the_right_people(restons, archive):
    """Meetings: accepted ones with each attendee (video when they have a link), the recurring 1:1 once per
    occurrence that took place; declined, cancelled, rooms and big meetings are counted, not stored."""
    out, truth = archive
    known_ids = add_known(restons, truth)
    summary = imported(restons, out / "calendar.ics", "ics")
    part = truth["calendar.ics"]
    assert summary["ignored"] == part["ignored"]
    assert summary["learned"] == [{"kind": "email", "value": truth["me"]}]  # X-WR-CALNAME says who you are
    assert stored(truth) == expected(part["pings"], known_ids)
    recurring = [p for p in part["pings"] if p["key"].startswith("weekly-1on1@")]
    assert len(recurring) >= 10 and {p["channel"] for p in recurring} == {"video"}
