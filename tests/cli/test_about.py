"""``restons ping … --about TITLE`` and ``restons noticed list|confirm|dismiss MILESTONE …``."""

from __future__ import annotations

import pytest

from restons.models import DismissedNotice, Interaction, Person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def plans(restons, alice):
    """Your milestone and an event with the same title, an issue of your newsletter, and Camille."""
    restons.ok("person", "add", "Camille Martin")
    restons.ok("person", "add", "Bruno Petit")
    restons.ok("milestone", "add", "Launch", "--on", "2026-06-01", "--mine")
    restons.ok("event", "add", "Launch", "--on", "2026-06-20")
    restons.ok("content", "add", "Issue 42: the press kit", "--on", "2026-06-10", "--kind", "newsletter")
    restons.ok("milestone", "add", "Birthday", "--on", "1990-06-18", "--person", "Camille", "--yearly")


def test_a_ping_about_your_content_is_a_readers_reply(restons, plans):
    restons.ok("ping", "Camille", "--from-them", "--via", "email", "--note", "thanks for the newsletter",
               "--about", "issue 42")

    ping = Interaction.objects.get()
    assert (ping.direction, ping.content.title, ping.milestone, ping.event) == (
        "in", "Issue 42: the press kit", None, None)


def test_an_ambiguous_title_lists_the_candidates_and_writes_nothing(restons, plans, row_counts):
    before = row_counts()

    result = restons("ping", "Camille", "--about", "launch")

    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("restons: “launch” could be: milestone “Launch” (2026-06-01, milestone:#")
    assert "; event “Launch” (2026-06-20, event:#" in result.err and result.err.endswith("; give one of these\n")
    assert row_counts() == before

    restons.ok("ping", "Camille", "--together", "--about", "event:Launch")
    assert Interaction.objects.get().event.title == "Launch"


@pytest.mark.parametrize("about, message", [
    ("Gala", "restons: None of your milestones, content or events is called “Gala”.\n"),
    ("milestone:Birthday", "restons: None of your milestones is called “Birthday”.\n"),  # Camille's, not yours
    ("", "restons: Say what the ping is about: a title of your milestones, content or events.\n"),
])
def test_an_unknown_title_is_one_line_and_nothing_is_written(restons, plans, row_counts, about, message):
    before = row_counts()
    result = restons("ping", "Camille", "--about", about)
    assert (result.code, result.out, result.err) == (1, "", message)
    assert row_counts() == before


def test_bob_cannot_ping_about_alices_things(restons, plans, bob):
    restons.ok("person", "add", "Zoé", user="bob@example.org")
    result = restons("ping", "Zoé", "--about", "Issue 42", user="bob@example.org")
    assert result.code == 1 and "None of your" in result.err
    assert not Interaction.objects.exists()


def test_noticed_confirm_and_dismiss(restons, plans):
    """GIVEN Camille and Bruno wrote after your launch WHEN you confirm Camille and dismiss Bruno THEN stats follows."""
    restons.ok("ping", "Camille", "--from-them", "--at", "2026-06-02 09:00", "--note", "Congrats!")
    restons.ok("ping", "Bruno", "--from-them", "--at", "2026-06-03 09:00")

    assert restons.ok("noticed", "confirm", "milestone:launch", "Camille").out == "Camille Martin noticed “Launch”.\n"
    assert restons.ok("noticed", "dismiss", "launch", "Bruno").out == \
        "Bruno Petit is no longer suggested for “Launch”.\n"

    (noticed,) = restons.ok("stats", "--json").json["noticed"]
    assert ([p["name"] for p in noticed["people"]], noticed["suggested"]) == (["Camille Martin"], [])
    assert Interaction.objects.get(summary="Congrats!").milestone.title == "Launch"
    assert DismissedNotice.objects.get().person.name == "Bruno Petit"


def test_noticed_list_prints_everyone_to_confirm_and_stats_the_first_ten(restons, plans):
    """GIVEN twelve people wrote after your launch, Camille's message linked to it
    THEN stats names the first ten with how many more, and ``noticed list`` every one, with their message."""
    restons.ok("ping", "Camille", "--from-them", "--at", "2026-06-02 09:00", "--about", "milestone:launch")
    for n in range(12):
        restons.ok("person", "add", f"Reader {n:02}")
        restons.ok("ping", f"Reader {n:02}", "--from-them", "--at", f"2026-06-{n + 3:02} 09:00", "--note", f"Note {n}")

    stats = restons.ok("stats").out
    assert "Who noticed “Launch” (1 June 2026): Camille Martin\n" in stats
    assert "Reader 09 (12 Jun 2026) and 2 more\n" in stats and "Reader 10" not in stats
    assert "'restons noticed list MILESTONE' lists them all." in stats

    listed = restons.ok("noticed", "list", "milestone:launch").out.splitlines()
    ids = dict(Person.objects.values_list("name", "id"))
    first, last = f"#{ids['Reader 00']}", f"#{ids['Reader 11']}"  # (in columns: the widest id is the last)
    assert listed[:3] == [
        "Who noticed “Launch” (1 June 2026): Camille Martin",
        "12 people wrote to you in the 30 days after, to confirm or dismiss:",
        f"  {first.ljust(len(last))}  Reader 00  3 Jun 2026   Note 0",
    ]
    assert listed[-1] == f"  {last}  Reader 11  14 Jun 2026  Note 11" and len(listed) == 14
    assert restons.ok("noticed", "list", "launch", "--json").json == restons.ok("stats", "--json").json["noticed"][0]

    for n in range(12):
        restons.ok("noticed", "dismiss", "launch", f"Reader {n:02}")
    assert restons.ok("noticed", "list", "launch").out.splitlines()[1] == (
        "Nobody else wrote to you in the 30 days after: nothing to confirm.")
    assert "noticed list" not in restons.ok("stats").out


def test_noticed_list_of_a_milestone_to_come_is_one_line(restons, plans):
    restons.ok("milestone", "add", "Ten years", "--on", "2027-01-01", "--mine")
    result = restons("noticed", "list", "Ten years")
    assert (result.code, result.out, result.err) == (1, "", "restons: “Ten years” has not happened yet.\n")


@pytest.mark.parametrize("argv, message", [
    (["noticed", "confirm", "Launch", "Camille"],
     "restons: Nothing from Camille Martin to confirm for “Launch”: no message in the 30 days after 2026-06-01.\n"),
    (["noticed", "dismiss", "Birthday", "Camille"], "restons: None of your milestones is called “Birthday”.\n"),
    (["noticed", "confirm", "Issue 42", "Camille"], "restons: None of your milestones is called “Issue 42”.\n"),
    (["noticed", "confirm", "Launch", "Zelda"], "restons: No person matches 'Zelda'; see 'restons person list'\n"),
])
def test_noticed_errors_are_one_line_and_write_nothing(restons, plans, row_counts, argv, message):
    restons.ok("ping", "Camille", "--at", "2026-06-02 09:00")  # you wrote: nothing to confirm
    before = row_counts()
    result = restons(*argv)
    assert (result.code, result.out, result.err) == (1, "", message)
    assert row_counts() == before
    assert Interaction.objects.get().milestone is None
