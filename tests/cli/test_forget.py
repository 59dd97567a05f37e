"""``restons interaction list|edit|delete``, ``person delete`` and ``#ID`` through the real entry point."""

from __future__ import annotations

import io

import pytest

from restons.models import Identity, Interaction, Person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def people(restons, alice):
    """Camille with two pings (the first just after midnight on 1 May, Paris time), Bruno with one; ids by name."""
    restons.ok("person", "add", "Camille Martin", "--email", "camille@example.com", "--every", "30d")
    restons.ok("person", "add", "Bruno Petit")
    restons.ok("ping", "Camille", "--at", "2026-05-01T00:15", "--via", "email", "--from-them", "--note", "Coffee?")
    restons.ok("ping", "Camille", "--at", "2026-06-01T18:00", "--via", "text")
    restons.ok("ping", "Bruno", "--at", "2026-06-10T09:00", "--together", "--via", "meeting")
    return dict(Person.objects.values_list("name", "id"))


def ids(restons, *args) -> list[int]:
    return [row["id"] for row in restons.ok("interaction", "list", *args, "--json").json]


def test_interaction_list_json_is_the_documented_contract(restons, people):
    first, second, third = Interaction.objects.order_by("at").values_list("id", flat=True)

    rows = restons.ok("interaction", "list", "--json").json

    assert rows == [
        {"id": first, "person": {"id": people["Camille Martin"], "name": "Camille Martin"},
         "at": "2026-05-01T00:15:00+02:00", "direction": "in", "channel": "email", "summary": "Coffee?",
         "source": "manual"},
        {"id": second, "person": {"id": people["Camille Martin"], "name": "Camille Martin"},
         "at": "2026-06-01T18:00:00+02:00", "direction": "out", "channel": "text", "summary": "", "source": "manual"},
        {"id": third, "person": {"id": people["Bruno Petit"], "name": "Bruno Petit"},
         "at": "2026-06-10T09:00:00+02:00", "direction": "both", "channel": "meeting", "summary": "",
         "source": "manual"},
    ]


def test_interaction_list_filters(restons, people):
    first, second, third = Interaction.objects.order_by("at").values_list("id", flat=True)
    Interaction.objects.filter(pk=third).update(source="linkedin", source_key="k")

    assert ids(restons, "--person", "camille@example.com") == [first, second]
    assert ids(restons, "--person", f"#{people['Bruno Petit']}") == [third]
    assert ids(restons, "--since", "2026-05-01", "--until", "2026-05-01") == [first]  # 30 April in UTC
    assert ids(restons, "--since", "2026-06-02") == [third]
    assert ids(restons, "--until", "2026-06-01") == [first, second]
    assert ids(restons, "--source", "linkedin") == [third]
    assert ids(restons, "--source", "manual", "--person", "Bruno") == []
    assert restons.ok("interaction", "list", "--source", "vcard", "--json").out == "[]\n"


def test_interaction_list_table(restons, people):
    out = restons.ok("interaction", "list", "--person", "Camille").out

    first = Interaction.objects.order_by("at").first()
    # Piped, the table is plain lines aligned in columns (no cell measuring), one per interaction.
    assert out.splitlines()[0].split() == ["ID", "When", "Person", "Channel", "Summary", "Source"]
    assert out.splitlines()[1].startswith(f"{first.id} ") and "2026-05-01 00:15" in out
    assert f"Camille Martin (#{people['Camille Martin']})" in out
    assert "Coffee?" in out and "Bruno" not in out
    assert restons.ok("interaction", "list", "--source", "vcard").out == "No interactions match.\n"


def test_interaction_edit_changes_what_is_given_and_next_due_follows(restons, people):
    """GIVEN Camille's latest ping on 1 June, due 1 July WHEN it is moved to 12 June and made theirs
    THEN `person show` says due 12 July, last touch 12 June, and the rest of the ping is as it was."""
    second = Interaction.objects.order_by("at")[1]
    assert restons.ok("person", "show", "Camille", "--json").json["next_due"] == "2026-07-01"

    result = restons.ok("interaction", "edit", second.id, "--at", "2026-06-12T08:30", "--from-them")

    assert result.out == f"Updated ping {second.id}: 2026-06-12 08:30 with Camille Martin.\n"
    shown = restons.ok("person", "show", "Camille", "--json").json
    assert (shown["next_due"], shown["last_touch"]) == ("2026-07-12", "2026-06-12T08:30:00+02:00")
    second.refresh_from_db()
    assert (second.direction, second.channel, second.summary) == ("in", "text", "")


def test_interaction_edit_note_via_and_direction(restons, people):
    first = Interaction.objects.order_by("at")[0]

    restons.ok("interaction", "edit", f"#{first.id}", "--via", "call", "--note", "Called about the job", "--from-me")

    first.refresh_from_db()
    assert (first.direction, first.channel, first.summary) == ("out", "call", "Called about the job")
    restons.ok("interaction", "edit", first.id, "--note", "", "--together")
    first.refresh_from_db()
    assert (first.direction, first.summary) == ("both", "")


def test_interaction_delete_and_next_due_follows(restons, people):
    second = Interaction.objects.order_by("at")[1]

    result = restons.ok("interaction", "delete", second.id)

    assert result.out == f"Deleted ping {second.id}: 2026-06-01 18:00 with Camille Martin.\n"
    assert not Interaction.objects.filter(pk=second.pk).exists()
    assert restons.ok("person", "show", "Camille", "--json").json["next_due"] == "2026-05-31"


def test_person_show_takes_a_hash_id(restons, people):
    """docs/cli.md promised `#12`; `person show '#12'` used to say no person matches."""
    assert restons.ok("person", "show", f"#{people['Bruno Petit']}", "--json").json["name"] == "Bruno Petit"
    assert restons.ok("ping", f"#{people['Bruno Petit']}").out.startswith("Logged a ping with Bruno Petit")


# -- person delete -----------------------------------------------------------------------------------------


def test_person_delete_with_yes_forgets_them(restons, alice, people):
    restons.ok("outcome", "add", "Camille", "--kind", "friendship")
    restons.ok("milestone", "add", "Birthday", "--on", "1990-07-01", "--person", "Camille", "--yearly")

    result = restons.ok("person", "delete", "Camille", "--yes")

    assert result.out == f"Deleted Camille Martin (#{people['Camille Martin']}) and everything about them.\n"
    assert list(Person.objects.values_list("name", flat=True)) == ["Bruno Petit"]
    assert not Identity.objects.exists()
    assert list(Interaction.objects.values_list("person__name", flat=True)) == ["Bruno Petit"]
    assert restons.ok("person", "add", "Camille Martin", "--email", "camille@example.com").code == 0


def test_person_delete_without_a_terminal_needs_yes(restons, people, row_counts):
    before = row_counts()

    result = restons("person", "delete", "Camille")

    assert result.code == 1 and result.out == ""
    assert result.err == (f"restons: Deleting Camille Martin (#{people['Camille Martin']}) cannot be undone; "
                          "add --yes to confirm.\n")
    assert row_counts() == before


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("answer, deleted", [("y\n", True), ("n\n", False), ("\n", False)])
def test_person_delete_on_a_terminal_asks_first(restons, people, monkeypatch, answer, deleted):
    monkeypatch.setattr("sys.stdin", Terminal(answer))

    result = restons("person", "delete", "Camille")

    assert result.code == 0
    assert result.out.startswith(f"Delete Camille Martin (#{people['Camille Martin']}), with 2 pings and everything "
                                 "else about them? [y/N]: ")
    assert result.out.endswith("and everything about them.\n" if deleted else "Nothing deleted.\n")
    assert Person.objects.filter(name="Camille Martin").exists() is not deleted


# -- bad input: one line, exit 1, nothing written -----------------------------------------------------------

CASES = [
    pytest.param(["interaction", "list", "--person", "Zelda"], "No person matches 'Zelda'", id="list-unknown-person"),
    pytest.param(["interaction", "list", "--since", "May"], "'May' is not a date", id="list-bad-since"),
    pytest.param(["interaction", "list", "--until", "2300-01-01"], "2300-01-01 is out of range", id="list-until-range"),
    pytest.param(["interaction", "list", "--since", "2026-06-02", "--until", "2026-06-01"],
                 "--since 2026-06-02 is after --until 2026-06-01", id="list-empty-range"),
    pytest.param(["interaction", "edit", "999999", "--note", "x"],
                 "No interaction 999999; see 'restons interaction list'", id="edit-unknown"),
    pytest.param(["interaction", "edit", "abc", "--note", "x"], "abc is not an id", id="edit-not-an-id"),
    pytest.param(["interaction", "edit", "{first}"], "Nothing to change; give --at, --via, --note", id="edit-nothing"),
    pytest.param(["interaction", "edit", "{first}", "--at", "2026-06-16T09:00"],
                 "2026-06-16T09:00+02:00 is in the future", id="edit-future"),
    pytest.param(["interaction", "edit", "{first}", "--at", "1850-01-01"], "1850-01-01 is out of range",
                 id="edit-out-of-range"),
    pytest.param(["interaction", "edit", "{first}", "--at", "yesterday"], "'yesterday' is not a date and time",
                 id="edit-bad-at"),
    pytest.param(["interaction", "edit", "{first}", "--at", ""], "'' is not a date and time", id="edit-empty-at"),
    pytest.param(["interaction", "edit", "{first}", "--via", "pigeon", "--note", "x"], "unknown channel 'pigeon'",
                 id="edit-bad-channel"),
    pytest.param(["interaction", "edit", "{first}", "--note", "x" * 10_001],
                 "The note is 10001 characters long; the limit is 10000", id="edit-long-note"),
    pytest.param(["interaction", "edit", "{first}", "--from-them", "--from-me"],
                 "Choose one of --from-them, --together or --from-me.", id="edit-two-directions"),
    pytest.param(["interaction", "delete", "999999"], "No interaction 999999", id="delete-unknown"),
    pytest.param(["interaction", "delete", "0"], "0 is not an id", id="delete-zero"),
    pytest.param(["person", "delete", "Zelda", "--yes"], "No person matches 'Zelda'", id="person-delete-unknown"),
    pytest.param(["person", "delete", "#999999", "--yes"], "No person matches '#999999'", id="person-delete-bad-id"),
    pytest.param(["person", "delete", "Camille"], "add --yes to confirm", id="person-delete-no-yes"),
    pytest.param(["ping", "Bruno", "--note", "x" * 10_001], "The note is 10001 characters long", id="ping-long-note"),
]


@pytest.mark.parametrize("argv, message", CASES)
def test_bad_input_exits_1_with_one_line_and_writes_nothing(restons, people, row_counts, argv, message):
    first = Interaction.objects.order_by("at").first()
    before = (row_counts(), list(Interaction.objects.values()), list(Person.objects.values()))

    result = restons(*[arg.format(first=first.id) for arg in argv])

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("restons: ") and result.err.count("\n") == 1, result.err
    assert message in result.err
    assert (row_counts(), list(Interaction.objects.values()), list(Person.objects.values())) == before


def test_another_users_interaction_is_unknown(restons, people, bob):
    first = Interaction.objects.order_by("at").first()

    assert restons("interaction", "delete", first.id, user="bob@example.org").err == (
        f"restons: No interaction {first.id}; see 'restons interaction list'\n")
    assert restons.ok("interaction", "list", "--json", user="bob@example.org").json == []
    assert Interaction.objects.filter(pk=first.pk).exists()
