"""``restons circle|event|content|milestone|outcome list`` and ``… remove``: seeing and undoing what you added."""

from __future__ import annotations

import re

import pytest

from restons.models import Circle, Content, Event, Interaction, Membership, Milestone, Outcome, Person

from .conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")

ALICE, BOB = "alice@example.org", "bob@example.org"


@pytest.fixture
def plans(restons, alice):
    """Alice's plans on Monday 15 June 2026.

    People: Zoé follows football, Inès strategy; Camille (pinged on 1 June) and Bruno (on 1 March:
    overdue) are in Agency alumni (every 2 months), as is Noah, archived. Circles PRSA (no cadence) and
    Friends (2 weeks).
    Events: Cup final (20 June, football), PRSA meetup (2 July), PRSA awards (10 March, past).
    Content: Issue 42 (12 June, strategy), Episode 7 (1 June, podcast), Issue 41 (29 May, strategy).
    Milestones: Camille's and Bruno's birthdays (yearly), Ten years of my business (yours).
    Outcomes: a client with Camille (20 May), an introduction by Bruno (1 June).

    Today, in order: Bruno (overdue), Camille (her birthday on Thursday), Zoé (the Cup final), Inès (Issue 42).
    """
    restons.ok("circle", "add", "Agency alumni", "--every", "2m")
    restons.ok("circle", "add", "PRSA")
    restons.ok("circle", "add", "Friends", "--every", "2w")
    restons.ok("person", "add", "Zoé Lefèvre", "--interest", "football")
    restons.ok("person", "add", "Inès Laurent", "--interest", "strategy")
    for name in ("Camille Martin", "Bruno Petit", "Noah Bennett"):
        restons.ok("person", "add", name, "--circle", "Agency alumni")
    restons.ok("person", "edit", "Noah", "--archive")
    restons.ok("ping", "Camille", "--at", "2026-06-01")
    restons.ok("ping", "Bruno", "--at", "2026-03-01")
    restons.ok("event", "add", "Cup final", "--on", "2026-06-20", "--topic", "football")
    restons.ok("event", "add", "PRSA meetup", "--on", "2026-07-02", "--topic", "public relations", "--topic", "PRSA")
    restons.ok("event", "add", "PRSA awards", "--on", "2026-03-10")
    restons.ok("content", "add", "Issue 41", "--on", "2026-05-29", "--kind", "newsletter", "--topic", "strategy")
    restons.ok("content", "add", "Issue 42", "--on", "2026-06-12", "--kind", "newsletter", "--topic", "strategy")
    restons.ok("content", "add", "Episode 7", "--on", "2026-06-01", "--kind", "podcast")
    restons.ok("milestone", "add", "Birthday", "--on", "1990-06-18", "--person", "Camille", "--yearly")
    restons.ok("milestone", "add", "Birthday", "--on", "1985-02-01", "--person", "Bruno", "--yearly")
    restons.ok("milestone", "add", "Ten years of my business", "--on", "2026-05-01", "--mine")
    restons.ok("outcome", "add", "Camille", "--kind", "client", "--at", "2026-05-20", "--note", "The Lumen\ncontract")
    restons.ok("outcome", "add", "Bruno", "--kind", "intro", "--at", "2026-06-01")
    return {
        "people": dict(Person.objects.values_list("name", "id")),
        "events": dict(Event.objects.values_list("title", "id")),
        "content": dict(Content.objects.values_list("title", "id")),
        "birthdays": dict(Milestone.objects.filter(title="Birthday").values_list("person__name", "id")),
        "mine": Milestone.objects.get(person=None).id,
        "outcomes": dict(Outcome.objects.values_list("kind", "id")),
        "circles": dict(Circle.objects.values_list("name", "id")),
    }


TODAY = {"Bruno Petit": ["overdue"], "Camille Martin": ["milestone"], "Zoé Lefèvre": ["event"],
         "Inès Laurent": ["content"]}


def reasons(restons, limit: int = 5) -> dict[str, list[str]]:
    """Today's first ``limit`` people and the kinds of their reasons, in order: {"Bruno Petit": ["overdue"], …}.

    A short list shows that what a removal changed was forgotten: Today picks its people from the stored
    checkups, so a stale one would keep its place and push out the next person.
    """
    return {entry["person"]["name"]: [reason["kind"] for reason in entry["reasons"]]
            for entry in restons.ok("today", "--limit", limit, "--json").json}


def first(limit: int) -> dict[str, list[str]]:
    return dict(list(TODAY.items())[:limit])


def table(*rows: tuple[str, str]) -> str:
    """The lines a list prints when piped: its first column (the ids, whose width depends on the database's
    sequences) padded to the widest, then the rest of each line as written."""
    width = max(len(first) for first, _rest in rows)
    return "".join(f"{first.ljust(width)}  {rest}".rstrip() + "\n" for first, rest in rows)


def failure(restons, *args, row_counts, user=None) -> str:
    """Run a command that must fail in one line on standard error and write nothing; returns that line."""
    before = row_counts()
    result = restons(*args, user=user)
    assert (result.code, result.out) == (1, "")
    assert result.err.count("\n") == 1
    assert row_counts() == before
    return result.err


# -- circles ---------------------------------------------------------------------------------------------


def test_circle_list_shows_each_cadence_and_how_many_people(restons, plans):
    """Noah is archived: Agency alumni counts two people; a circle without cadence says so."""
    assert restons.ok("circle", "list").out == (
        "Name           Cadence         People\n"
        "Agency alumni  every 2 months       2\n"
        "Friends        every 2 weeks        0\n"
        "PRSA           no cadence           0\n"
    )
    assert restons.ok("circle", "list", "--json").json == [
        {"id": plans["circles"]["Agency alumni"], "name": "Agency alumni", "cadence_days": 60, "people": 2},
        {"id": plans["circles"]["Friends"], "name": "Friends", "cadence_days": 14, "people": 0},
        {"id": plans["circles"]["PRSA"], "name": "PRSA", "cadence_days": None, "people": 0},
    ]


def test_circle_list_groups_large_counts(restons, alice):
    circle = Circle.objects.create(owner=alice, name="LinkedIn", cadence_days=365)
    people = Person.objects.bulk_create([Person(owner=alice, name=f"Contact {n}", created_at=NOW) for n in range(1234)])
    Membership.objects.bulk_create([Membership(owner=alice, person=p, circle=circle) for p in people])

    assert restons.ok("circle", "list").out.splitlines()[1] == "LinkedIn  every year   1,234"


def test_on_a_terminal_a_list_is_a_table_whose_titles_are_text(restons, alice, monkeypatch):
    """Rich lays the table out; a title in brackets is printed as written, not read as Rich markup."""
    from rich.console import Console

    from restons.cli import render

    monkeypatch.setattr(render, "console", lambda: Console(force_terminal=True, width=100, no_color=True))
    restons.ok("content", "add", "[draft] Issue 3", "--on", "2026-06-01")
    restons.ok("circle", "add", "Friends", "--every", "2w")

    cells = re.sub(" +", " ", restons.ok("content", "list").out)  # Rich pads each cell to its column
    assert "│ 1 June 2026 │ post │ [draft] Issue 3 │" in cells
    assert "Friends │ every 2 weeks │      0 │" in restons.ok("circle", "list").out  # counts to the right


def test_lists_say_how_to_add_when_there_is_nothing(restons, alice):
    assert restons.ok("circle", "list").out == "No circle yet: add one with 'restons circle add NAME --every 3m'.\n"
    assert restons.ok("event", "list").out == "No upcoming event ('--all' lists past ones too).\n"
    assert restons.ok("event", "list", "--all").out == (
        "No event yet: add one with 'restons event add TITLE --on DATE --topic TOPIC'.\n")
    assert restons.ok("content", "list").out == (
        "Nothing published yet: add it with 'restons content add TITLE --on DATE'.\n")
    assert restons.ok("milestone", "list").out == (
        "No milestone to list: add one with 'restons milestone add TITLE --on DATE --mine'.\n")
    assert restons.ok("outcome", "list").out == "No outcome yet: log one with 'restons outcome add PERSON --kind KIND'.\n"
    for group in ("circle", "event", "content", "milestone", "outcome"):
        assert restons.ok(group, "list", "--json").json == []


def test_circle_remove_keeps_its_people_and_untracks_those_it_gave_a_cadence(restons, plans):
    """GIVEN Bruno, overdue through Agency alumni's cadence, on Today
    WHEN  `circle remove agency alumni` runs (any case)
    THEN  the circle and its memberships are gone, its people stay, untracked: Bruno leaves Today.
    """
    assert reasons(restons) == TODAY
    assert reasons(restons, limit=1) == {"Bruno Petit": ["overdue"]}

    result = restons.ok("circle", "remove", "agency ALUMNI")

    assert result.out == "Circle Agency alumni deleted; its people stay.\n"
    assert sorted(Circle.objects.values_list("name", flat=True)) == ["Friends", "PRSA"]
    assert not Membership.objects.exists()
    assert Person.objects.count() == 5
    assert restons.ok("person", "show", "Bruno", "--json").json["status"] == "untracked"
    assert reasons(restons) == {name: kinds for name, kinds in TODAY.items() if name != "Bruno Petit"}
    assert reasons(restons, limit=1) == {"Camille Martin": ["milestone"]}


@pytest.mark.parametrize("name, message", [
    ("Agency", "restons: You have no circle called “Agency”; see 'restons circle list'.\n"),
    ("  ", "restons: A circle needs a name.\n"),
])
def test_circle_remove_of_an_unknown_name_is_one_line(restons, plans, row_counts, name, message):
    assert failure(restons, "circle", "remove", name, row_counts=row_counts) == message


# -- events ----------------------------------------------------------------------------------------------


def test_event_list_shows_upcoming_events_soonest_first(restons, plans):
    cup, meetup = plans["events"]["Cup final"], plans["events"]["PRSA meetup"]

    assert restons.ok("event", "list").out == table(
        ("ID", "Date          Title        Pings suggested  Topics"),
        (f"event:#{cup}", "20 June 2026  Cup final    7 days before    football"),
        (f"event:#{meetup}", "2 July 2026   PRSA meetup  7 days before    prsa, public relations"),
    )
    assert restons.ok("event", "list", "--json").json == [
        {"id": cup, "title": "Cup final", "on": "2026-06-20", "topics": ["football"], "lead_days": 7},
        {"id": meetup, "title": "PRSA meetup", "on": "2026-07-02", "topics": ["prsa", "public relations"],
         "lead_days": 7},
    ]


def test_event_list_all_adds_past_events(restons, plans):
    assert [(e["title"], e["on"]) for e in restons.ok("event", "list", "--all", "--json").json] == [
        ("PRSA awards", "2026-03-10"), ("Cup final", "2026-06-20"), ("PRSA meetup", "2026-07-02")]
    assert "10 March 2026  PRSA awards" in restons.ok("event", "list", "--all").out


def test_event_list_starts_today(restons, plans, frozen):
    """An event today is still upcoming; the day after, it is past."""
    frozen.move_to("2026-06-20 09:00")
    assert [e["title"] for e in restons.ok("event", "list", "--json").json] == ["Cup final", "PRSA meetup"]
    frozen.move_to("2026-06-21 09:00")
    assert [e["title"] for e in restons.ok("event", "list", "--json").json] == ["PRSA meetup"]


def test_event_remove_is_no_longer_a_reason(restons, plans):
    """GIVEN Zoé follows football, the Cup final on Saturday, and a ping about it
    WHEN  `event remove cup final` runs
    THEN  the event is gone, Zoé leaves Today (Inès takes her place in a list of three), and the ping
          stays, about nothing.
    """
    restons.ok("ping", "Zoé", "--about", "event:cup final", "--at", "2026-05-01")
    assert reasons(restons, limit=3) == first(3)

    result = restons.ok("event", "remove", "cup final")

    assert result.out == "Removed event “Cup final” (20 June 2026).\n"
    assert sorted(Event.objects.values_list("title", flat=True)) == ["PRSA awards", "PRSA meetup"]
    assert reasons(restons, limit=3) == {**first(2), "Inès Laurent": ["content"]}
    assert Interaction.objects.get(person__name="Zoé Lefèvre").event is None


def test_event_remove_takes_the_id_event_list_shows(restons, plans):
    awards = plans["events"]["PRSA awards"]

    assert restons.ok("event", "remove", f"event:#{awards}").out == "Removed event “PRSA awards” (10 March 2026).\n"
    assert not Event.objects.filter(pk=awards).exists() and Event.objects.count() == 2


def test_event_remove_ambiguous_or_unknown_is_one_line_and_removes_nothing(restons, plans, row_counts):
    meetup, awards = plans["events"]["PRSA meetup"], plans["events"]["PRSA awards"]

    assert failure(restons, "event", "remove", "prsa", row_counts=row_counts) == (
        f"restons: “prsa” could be: event “PRSA meetup” (2026-07-02, event:#{meetup}); "
        f"event “PRSA awards” (2026-03-10, event:#{awards}); give one of these\n")
    assert failure(restons, "event", "remove", "Gala", row_counts=row_counts) == (
        "restons: None of your events is called “Gala”.\n")
    assert failure(restons, "event", "remove", "event:#9999", row_counts=row_counts) == (
        "restons: You have no event #9999.\n")
    # Issue 42 is content, not an event.
    assert failure(restons, "event", "remove", "Issue 42", row_counts=row_counts) == (
        "restons: None of your events is called “Issue 42”.\n")


# -- content ---------------------------------------------------------------------------------------------


def test_content_list_shows_the_latest_first_with_kind_and_topics(restons, plans):
    ids = plans["content"]

    assert restons.ok("content", "list").out == table(
        ("ID", "Date          Kind        Title      Topics"),
        (f"content:#{ids['Issue 42']}", "12 June 2026  newsletter  Issue 42   strategy"),
        (f"content:#{ids['Episode 7']}", "1 June 2026   podcast     Episode 7"),
        (f"content:#{ids['Issue 41']}", "29 May 2026   newsletter  Issue 41   strategy"),
    )
    assert restons.ok("content", "list", "--json").json == [
        {"id": ids["Issue 42"], "title": "Issue 42", "on": "2026-06-12", "kind": "newsletter",
         "topics": ["strategy"], "url": ""},
        {"id": ids["Episode 7"], "title": "Episode 7", "on": "2026-06-01", "kind": "podcast", "topics": [], "url": ""},
        {"id": ids["Issue 41"], "title": "Issue 41", "on": "2026-05-29", "kind": "newsletter",
         "topics": ["strategy"], "url": ""},
    ]


def test_content_remove_is_no_longer_a_reason(restons, plans):
    """Inès follows strategy: Issue 42 (Friday) is her reason; once it is removed she has none."""
    assert reasons(restons) == TODAY

    assert restons.ok("content", "remove", "issue 42").out == "Removed “Issue 42” (12 June 2026).\n"

    assert sorted(Content.objects.values_list("title", flat=True)) == ["Episode 7", "Issue 41"]
    assert reasons(restons) == first(3)


def test_content_remove_ambiguous_or_unknown_is_one_line_and_removes_nothing(restons, plans, row_counts):
    ids = plans["content"]

    assert failure(restons, "content", "remove", "issue", row_counts=row_counts) == (
        f"restons: “issue” could be: content “Issue 42” (2026-06-12, content:#{ids['Issue 42']}); "
        f"content “Issue 41” (2026-05-29, content:#{ids['Issue 41']}); give one of these\n")
    assert failure(restons, "content", "remove", "Cup final", row_counts=row_counts) == (
        "restons: None of your content is called “Cup final”.\n")

    assert restons.ok("content", "remove", f"content:#{ids['Issue 41']}").out == "Removed “Issue 41” (29 May 2026).\n"
    assert Content.objects.count() == 2


# -- milestones ------------------------------------------------------------------------------------------


def test_milestone_list_shows_yours_and_theirs_the_latest_first(restons, plans):
    camille, bruno, mine = plans["birthdays"]["Camille Martin"], plans["birthdays"]["Bruno Petit"], plans["mine"]
    people = plans["people"]

    assert restons.ok("milestone", "list").out == table(
        ("ID", "Date             Title                     Whose"),
        (f"milestone:#{mine}", "1 May 2026       Ten years of my business  yours"),
        (f"milestone:#{camille}", "18 June 1990     Birthday                  Camille Martin  every year"),
        (f"milestone:#{bruno}", "1 February 1985  Birthday                  Bruno Petit     every year"),
    )
    assert restons.ok("milestone", "list", "--json").json == [
        {"id": mine, "title": "Ten years of my business", "on": "2026-05-01", "yearly": False, "person": None},
        {"id": camille, "title": "Birthday", "on": "1990-06-18", "yearly": True,
         "person": {"id": people["Camille Martin"], "name": "Camille Martin"}},
        {"id": bruno, "title": "Birthday", "on": "1985-02-01", "yearly": True,
         "person": {"id": people["Bruno Petit"], "name": "Bruno Petit"}},
    ]


def test_milestone_list_mine_or_one_persons(restons, plans):
    assert [m["id"] for m in restons.ok("milestone", "list", "--mine", "--json").json] == [plans["mine"]]
    assert [m["id"] for m in restons.ok("milestone", "list", "--person", "bruno", "--json").json] == [
        plans["birthdays"]["Bruno Petit"]]
    assert restons.ok("milestone", "list", "--person", "Zoé", "--json").json == []


@pytest.mark.parametrize("args, message", [
    (("--mine", "--person", "Bruno"), "restons: Give --mine or --person PERSON, not both.\n"),
    (("--person", "Nobody"), "restons: No person matches 'Nobody'; see 'restons person list'\n"),
])
def test_milestone_list_refuses_bad_filters(restons, plans, row_counts, args, message):
    assert failure(restons, "milestone", "list", *args, row_counts=row_counts) == message


def test_milestone_remove_a_persons_birthday_is_no_longer_a_reason(restons, plans, row_counts):
    """Two birthdays: the name is ambiguous (the candidates say whose); the id removes Camille's, and with it
    her place on Today (Zoé's comes next in a list of two)."""
    camille, bruno = plans["birthdays"]["Camille Martin"], plans["birthdays"]["Bruno Petit"]
    assert reasons(restons, limit=2) == first(2)

    assert failure(restons, "milestone", "remove", "birthday", row_counts=row_counts) == (
        f"restons: “birthday” could be: milestone “Birthday” of Camille Martin (1990-06-18, milestone:#{camille}); "
        f"milestone “Birthday” of Bruno Petit (1985-02-01, milestone:#{bruno}); give one of these\n")
    result = restons.ok("milestone", "remove", f"milestone:#{camille}")

    assert result.out == "Removed milestone “Birthday” (18 June 1990).\n"
    assert list(Milestone.objects.filter(title="Birthday").values_list("person__name", flat=True)) == ["Bruno Petit"]
    assert reasons(restons, limit=2) == {"Bruno Petit": ["overdue"], "Zoé Lefèvre": ["event"]}
    assert "Camille Martin" not in reasons(restons)


def test_milestone_remove_yours_by_its_whole_title_never_a_beginning(restons, plans, row_counts):
    """Naming something to find it may take a beginning ("ping --about ten years"); deleting it takes the whole
    title or the id: the beginning lists what it could be, and nothing goes."""
    mine = Milestone.objects.get(person=None).pk
    assert failure(restons, "milestone", "remove", "ten years", row_counts=row_counts) == (
        f"restons: “ten years” could be: milestone “Ten years of my business” (2026-05-01, milestone:#{mine}); "
        "give one of these\n")
    assert restons.ok("milestone", "remove", "ten years OF my business").out == (
        "Removed milestone “Ten years of my business” (1 May 2026).\n")
    assert not Milestone.objects.filter(person=None).exists() and Milestone.objects.count() == 2


@pytest.mark.parametrize("text, message", [
    ("Anniversary", "restons: None of your milestones is called “Anniversary”.\n"),
    ("Cup final", "restons: None of your milestones is called “Cup final”.\n"),
    ("milestone:#9999", "restons: You have no milestone #9999.\n"),
])
def test_milestone_remove_ambiguous_or_unknown_removes_nothing(restons, plans, row_counts, text, message):
    assert failure(restons, "milestone", "remove", text, row_counts=row_counts) == message


# -- one transaction -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model, args, left", [
    (Event, ("event", "remove", "Cup final"), lambda: Event.objects.filter(title="Cup final").exists()),
    (Circle, ("circle", "remove", "Agency alumni"), lambda: Membership.objects.count() == 3),
])
def test_a_remove_that_fails_half_way_leaves_everything(restons, plans, model, args, left):
    """GIVEN a failure after the row is deleted (in the handlers that forget the checkups)
    THEN  the whole removal is undone: the row, the circle's memberships, the checkups all stay as they were."""
    from django.db.models.signals import post_delete

    def boom(**kwargs):
        raise RuntimeError("disk full")

    post_delete.connect(boom, sender=model, dispatch_uid="test-boom")
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            restons(*args)
    finally:
        post_delete.disconnect(dispatch_uid="test-boom", sender=model)
    assert left()
    assert reasons(restons) == TODAY


# -- outcomes --------------------------------------------------------------------------------------------


def test_outcome_list_shows_the_latest_first(restons, plans):
    client, intro, people = plans["outcomes"]["client"], plans["outcomes"]["intro"], plans["people"]

    assert restons.ok("outcome", "list").out == table(
        ("ID", "Date         Outcome       Person          Note"),
        (str(intro), "1 June 2026  introduction  Bruno Petit"),
        (str(client), "20 May 2026  client        Camille Martin  The Lumen contract"),
    )
    assert restons.ok("outcome", "list", "--json").json == [
        {"id": intro, "kind": "intro", "at": "2026-06-01",
         "person": {"id": people["Bruno Petit"], "name": "Bruno Petit"}, "note": ""},
        {"id": client, "kind": "client", "at": "2026-05-20",
         "person": {"id": people["Camille Martin"], "name": "Camille Martin"}, "note": "The Lumen\ncontract"},
    ]


def test_outcome_list_person(restons, plans):
    assert [o["kind"] for o in restons.ok("outcome", "list", "--person", "camille", "--json").json] == ["client"]
    assert restons.ok("outcome", "list", "--person", "Zoé", "--json").json == []


def test_outcome_remove_takes_the_id_and_stats_follow(restons, plans):
    client = plans["outcomes"]["client"]
    assert restons.ok("stats", "--json").json["outcomes"]["client"] == 1

    result = restons.ok("outcome", "remove", f"#{client}")

    assert result.out == "Removed the outcome with Camille Martin: client (20 May 2026).\n"
    assert list(Outcome.objects.values_list("kind", flat=True)) == ["intro"]
    assert restons.ok("stats", "--json").json["outcomes"]["client"] == 0


@pytest.mark.parametrize("text, message", [
    ("9999", "restons: No such outcome.\n"),
    ("client", "restons: client is not an id; an id is a whole number such as 12\n"),
])
def test_outcome_remove_of_an_unknown_id_is_one_line(restons, plans, row_counts, text, message):
    assert failure(restons, "outcome", "remove", text, row_counts=row_counts) == message


# -- owner isolation -------------------------------------------------------------------------------------


@pytest.fixture
def bobs(plans, bob):
    """Alice's plans, then bob: from here on, every command says whose it is (``user=``)."""
    return plans


def test_bobs_lists_show_none_of_alices(restons, bobs):
    restons.ok("circle", "add", "Climbing", "--every", "1m", user=BOB)
    restons.ok("event", "add", "Bouldering night", "--on", "2026-06-18", user=BOB)

    assert [c["name"] for c in restons.ok("circle", "list", "--json", user=BOB).json] == ["Climbing"]
    assert [e["title"] for e in restons.ok("event", "list", "--all", "--json", user=BOB).json] == ["Bouldering night"]
    assert restons.ok("content", "list", "--json", user=BOB).json == []
    assert restons.ok("milestone", "list", "--json", user=BOB).json == []
    assert restons.ok("outcome", "list", "--json", user=BOB).json == []
    assert "Agency alumni" not in restons.ok("circle", "list", user=BOB).out
    # The control: alice's lists do hold them.
    assert len(restons.ok("event", "list", "--all", "--json", user=ALICE).json) == 3
    assert len(restons.ok("outcome", "list", "--json", user=ALICE).json) == 2


def test_bob_cannot_filter_by_alices_person(restons, bobs, row_counts):
    assert failure(restons, "outcome", "list", "--person", "Camille", user=BOB, row_counts=row_counts) == (
        "restons: No person matches 'Camille'; see 'restons person list'\n")
    assert failure(restons, "milestone", "list", "--person", f"#{bobs['people']['Camille Martin']}", user=BOB,
                   row_counts=row_counts).startswith("restons: No person matches")


def test_bobs_removes_of_alices_things_are_not_found_and_delete_nothing(restons, bobs, row_counts):
    """Bob naming alice's things by title or id gets what he gets for things that do not exist at all."""
    cup, issue = bobs["events"]["Cup final"], bobs["content"]["Issue 42"]
    birthday, outcome = bobs["birthdays"]["Camille Martin"], bobs["outcomes"]["client"]
    cases = [
        (("circle", "remove", "Agency alumni"), ("circle", "remove", "Nowhere"),
         "You have no circle called “{}”; see 'restons circle list'."),
        (("event", "remove", "Cup final"), ("event", "remove", "Gala"), "None of your events is called “{}”."),
        (("event", "remove", f"event:#{cup}"), ("event", "remove", "event:#9999"), "You have no event #{}."),
        (("content", "remove", "Issue 42"), ("content", "remove", "Issue 99"), "None of your content is called “{}”."),
        (("content", "remove", f"content:#{issue}"), ("content", "remove", "content:#9999"),
         "You have no content #{}."),
        (("milestone", "remove", "Ten years"), ("milestone", "remove", "Twenty years"),
         "None of your milestones is called “{}”."),
        (("milestone", "remove", f"milestone:#{birthday}"), ("milestone", "remove", "milestone:#9999"),
         "You have no milestone #{}."),
        (("outcome", "remove", str(outcome)), ("outcome", "remove", "9999"), "No such outcome."),
    ]
    for alices, unknown, message in cases:
        for args in (alices, unknown):
            shown = args[-1].removeprefix(f"{args[0]}:#")  # the error says #12 for event:#12
            assert failure(restons, *args, user=BOB, row_counts=row_counts) == f"restons: {message.format(shown)}\n"
