"""``restons person add|show|list|edit``, ``ping`` and ``snooze`` through the real entry point."""

from __future__ import annotations

from datetime import datetime

import pytest

from restons.models import Identity, Interaction, Person

from .conftest import PARIS

pytestmark = pytest.mark.usefixtures("frozen")

SHOW_FIELDS = {
    "id", "name", "identities", "interests", "circles", "cadence_days", "last_touch", "next_due", "status",
    "reciprocity", "strength", "interactions_in", "interactions_out", "outcomes",
}
LIST_FIELDS = SHOW_FIELDS - {"identities", "interests", "outcomes"}


def local_time(text: str | None) -> datetime | None:
    """A JSON date-time as a naive Paris wall-clock time, whether or not it carries an offset."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value.astimezone(PARIS).replace(tzinfo=None) if value.tzinfo else value


@pytest.fixture
def camille(restons, alice):
    """Camille, fully described, with a ping each way, one together and an outcome."""
    restons.ok(
        "person", "add", "Camille Martin", "--email", "Camille@Example.com", "--phone", "06 12 34 56 78",
        "--linkedin", "https://www.linkedin.com/in/Camille-Martin/", "--org", "Lumen Agency",
        "--met", "Same team at Lumen", "--met-on", "2019-09-02", "--interest", "Football",
        "--interest", "  Public   Relations ", "--circle", "Friends", "--every", "2m",
    )
    restons.ok("ping", "Camille", "--via", "email", "--at", "2026-05-01T09:30")
    restons.ok("ping", "camille@example.com", "--from-them", "--via", "text", "--at", "2026-05-03T18:00")
    restons.ok("ping", "Camille", "--together", "--via", "meeting", "--at", "2026-06-01T12:30", "--note", "Lunch")
    restons.ok("outcome", "add", "Camille", "--kind", "referral-received", "--at", "2026-06-02",
               "--note", "Intro to a client")
    return Person.objects.get(owner=alice, name="Camille Martin")


def test_person_add_prints_the_new_id_and_stores_normalised_identities(restons, alice):
    result = restons.ok("person", "add", "Ana Lopes", "--email", "Ana.Lopes@Example.COM", "--phone", "06 12 34 56 78",
                        "--linkedin", "http://fr.linkedin.com/in/Ana-Lopes/?trk=x")

    ana = Person.objects.get(owner=alice, name="Ana Lopes")
    assert result.out == f"Added Ana Lopes (#{ana.id}).\n"
    assert sorted(Identity.objects.filter(person=ana).values_list("kind", "value")) == [
        ("email", "ana.lopes@example.com"),
        ("linkedin", "https://www.linkedin.com/in/ana-lopes"),
        ("phone", "+33612345678"),
    ]


def test_person_show_json_has_every_documented_field(restons, camille):
    """GIVEN Camille with identities, interests, a circle, a 2-month cadence, three pings and an outcome
    WHEN  `person show Camille --json` runs on 15 June 2026
    THEN  every documented field has its exact value.
    """
    detail = restons.ok("person", "show", "Camille", "--json").json

    assert SHOW_FIELDS <= detail.keys()
    assert detail["id"] == camille.id
    assert detail["name"] == "Camille Martin"
    assert detail["identities"] == [
        {"kind": "email", "value": "camille@example.com"},
        {"kind": "linkedin", "value": "https://www.linkedin.com/in/camille-martin"},
        {"kind": "phone", "value": "+33612345678"},
    ]
    assert detail["interests"] == ["football", "public relations"]
    assert detail["circles"] == ["Friends"]
    assert detail["cadence_days"] == 60
    assert local_time(detail["last_touch"]) == datetime(2026, 6, 1, 12, 30)
    assert detail["next_due"] == "2026-07-31"
    assert detail["status"] == "on-track"
    assert detail["reciprocity"] == "mutual"
    # recency 30×(1−14/365) + frequency 25×4/12 + reciprocity 20 + breadth 10 + tenure 10 + outcomes 2.5 = 79.7
    assert detail["strength"] == 80
    assert (detail["interactions_in"], detail["interactions_out"]) == (2, 2)
    assert detail["outcomes"] == [{"kind": "referral-received", "at": "2026-06-02", "note": "Intro to a client"}]
    assert detail["ghosting"] is False
    assert detail["met"]["how"] == "Same team at Lumen" and detail["met"]["on"] == "2019-09-02"
    assert [o["name"] for o in detail["organisations"]] == ["Lumen Agency"]
    assert [(t["direction"], t["channel"], t["summary"]) for t in detail["timeline"]] == [
        ("both", "meeting", "Lunch"), ("in", "text", ""), ("out", "email", ""),
    ]


def test_person_show_table_names_the_person_and_their_health(restons, camille):
    out = restons.ok("person", "show", str(camille.id)).out

    assert f"Camille Martin  #{camille.id}" in out
    assert "Status: on track" in out
    assert "Reciprocity: mutual" in out
    assert "Cadence: every 2 months" in out
    assert "Next due: 31 July 2026" in out
    assert "Pledges" not in out
    # On a later day, the date has passed: "Due since", as on the page.
    assert "Due since: 31 July 2026" in restons.ok("person", "show", str(camille.id), "--date", "2026-09-01").out


def test_person_show_table_says_the_pledges_made_to_them(restons, camille):
    """The web page lists them; so does the CLI, oldest first."""
    restons.ok("leave", "Orbit", "--on", "2026-06-01", "--person", "Camille")
    restons.ok("leave", "Lumen Agency", "--on", "2026-03-01", "--person", "Camille")

    out = restons.ok("person", "show", str(camille.id)).out

    assert "Pledges: Leaving Lumen Agency, 1 March 2026; Leaving Orbit, 1 June 2026" in out


def test_person_list_json_lists_the_short_fields_sorted_by_name(restons, camille):
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")

    rows = restons.ok("person", "list", "--json").json

    assert [row["name"] for row in rows] == ["Bruno Petit", "Camille Martin"]
    for row in rows:
        assert LIST_FIELDS <= row.keys()
    bruno = rows[0]
    assert {key: bruno[key] for key in LIST_FIELDS - {"id", "last_touch", "strength"}} == {
        "name": "Bruno Petit", "circles": [], "cadence_days": 30, "next_due": "2026-05-01", "status": "overdue",
        "reciprocity": "you-carry", "interactions_in": 0, "interactions_out": 1,
    }
    assert local_time(bruno["last_touch"]) == datetime(2026, 4, 1, 12, 0)


@pytest.mark.parametrize(
    "options, expected",
    [
        ((), ["Bruno Petit", "Camille Martin", "Inès Laurent"]),
        (("--circle", "friends"), ["Camille Martin"]),
        (("--status", "overdue"), ["Bruno Petit"]),
        (("--status", "untracked"), ["Inès Laurent"]),
        (("--reciprocity", "mutual"), ["Camille Martin"]),
        (("--reciprocity", "silent"), ["Inès Laurent"]),
        (("--circle", "Friends", "--status", "overdue"), []),
    ],
)
def test_person_list_filters(restons, camille, options, expected):
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")
    restons.ok("person", "add", "Inès Laurent")

    rows = restons.ok("person", "list", *options, "--json").json

    assert [row["name"] for row in rows] == expected


def test_person_list_table_and_empty_list(restons, alice):
    assert "Nobody here yet" in restons.ok("person", "list").out

    restons.ok("person", "add", "Bruno Petit")
    assert "Bruno Petit" in restons.ok("person", "list").out


def test_person_edit_changes_fields_and_adds_to_lists(restons, camille):
    """GIVEN Camille with one email and interest
    WHEN  `person edit` renames her, adds an email, an interest, a circle and sets a cadence
    THEN  the new values are stored and the old identities and interests are kept.
    """
    result = restons.ok("person", "edit", "Camille", "--name", "Camille Martin-Roux", "--email", "cm@work.example",
                        "--interest", "jazz", "--circle", "Alumni", "--every", "3w", "--note", "Two kids")

    assert result.out == f"Updated Camille Martin-Roux (#{camille.id}).\n"
    detail = restons.ok("person", "show", camille.id, "--json").json
    assert detail["name"] == "Camille Martin-Roux"
    assert [i["value"] for i in detail["identities"] if i["kind"] == "email"] == ["camille@example.com",
                                                                                   "cm@work.example"]
    assert detail["interests"] == ["football", "jazz", "public relations"]
    assert detail["circles"] == ["Alumni", "Friends"]
    assert detail["cadence_days"] == 21
    assert detail["notes"] == "Two kids"


def test_person_edit_archive_hides_everywhere_and_unarchive_brings_back(restons, alice):
    """GIVEN an overdue person listed in Today
    WHEN  they are archived
    THEN  they leave Today, the people list and the stats; `--unarchive` brings them back.
    """
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")
    assert [e["person"]["name"] for e in restons.ok("today", "--json").json] == ["Bruno Petit"]

    restons.ok("person", "edit", "Bruno", "--archive")

    assert Person.objects.get(name="Bruno Petit").archived is True
    assert restons.ok("today", "--json").json == []
    assert restons.ok("person", "list", "--json").json == []
    assert restons.ok("stats", "--json").json["people"] == 0
    assert [row["name"] for row in restons.ok("person", "list", "--archived", "--json").json] == ["Bruno Petit"]
    assert restons.ok("person", "show", "Bruno", "--json").json["archived"] is True

    restons.ok("person", "edit", "Bruno", "--unarchive")

    assert [e["person"]["name"] for e in restons.ok("today", "--json").json] == ["Bruno Petit"]


@pytest.mark.parametrize(
    "options, direction, channel, local_at, summary",
    [
        ((), "out", "other", datetime(2026, 6, 15, 12, 0), ""),
        (("--via", "EMAIL", "--note", "Sent the slides"), "out", "email", datetime(2026, 6, 15, 12, 0),
         "Sent the slides"),
        (("--from-them", "--via", "text"), "in", "text", datetime(2026, 6, 15, 12, 0), ""),
        (("--together", "--via", "meeting", "--at", "2026-06-10T19:45"), "both", "meeting",
         datetime(2026, 6, 10, 19, 45), ""),
        (("--at", "2026-06-10"), "out", "other", datetime(2026, 6, 10, 12, 0), ""),
        (("--at", "2026-06-10T08:00:00+00:00"), "out", "other", datetime(2026, 6, 10, 10, 0), ""),
    ],
)
def test_ping_records_direction_channel_time_and_note(restons, alice, options, direction, channel, local_at, summary):
    restons.ok("person", "add", "Bruno Petit")

    result = restons.ok("ping", "Bruno", *options)

    assert result.out == "Logged a ping with Bruno Petit.\n"
    (ping,) = Interaction.objects.filter(owner=alice)
    assert (ping.direction, ping.channel, ping.summary, ping.source) == (direction, channel, summary, "manual")
    assert ping.at.astimezone(PARIS).replace(tzinfo=None) == local_at


def test_ping_moves_next_due_in_person_show(restons, alice):
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")
    assert restons.ok("person", "show", "Bruno", "--json").json["next_due"] == "2026-05-01"

    restons.ok("ping", "Bruno", "--from-them")

    detail = restons.ok("person", "show", "Bruno", "--json").json
    assert detail["next_due"] == "2026-07-15"
    assert detail["status"] == "on-track"
    assert detail["reciprocity"] == "mutual"


@pytest.mark.parametrize(
    "options, until, written", [(("--for", "2w"), "2026-06-29", "29 June 2026"),
                                (("--for", "10d"), "2026-06-25", "25 June 2026"),
                                (("--until", "2026-07-01"), "2026-07-01", "1 July 2026")],
)
def test_snooze_hides_from_today_up_to_and_including_the_date(restons, alice, options, until, written):
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01")

    result = restons.ok("snooze", "Bruno", *options)

    assert result.out == f"Bruno Petit is snoozed until {written}.\n"
    assert restons.ok("person", "show", "Bruno", "--json").json["snoozed_until"] == until
    assert restons.ok("today", "--json").json == []
    assert restons.ok("today", "--date", until, "--json").json == []
    day_after = f"{until[:8]}{int(until[8:]) + 1:02d}"
    assert [e["person"]["name"] for e in restons.ok("today", "--date", day_after, "--json").json] == ["Bruno Petit"]


def test_snooze_in_the_past_is_refused(restons, alice):
    restons.ok("person", "add", "Bruno Petit")

    result = restons("snooze", "Bruno", "--until", "2026-06-14")

    assert result.code == 1
    assert result.err == "restons: 2026-06-14 is in the past; snooze until a later date\n"
    assert Person.objects.get(name="Bruno Petit").snoozed_until is None


def test_ping_at_todays_date_in_the_morning_is_not_in_the_future(restons, alice, frozen):
    """A bare date means noon; on the day itself, before noon, it means now."""
    frozen.move_to(datetime(2026, 6, 15, 9, 0, tzinfo=PARIS), tick=False)
    restons.ok("person", "add", "Bruno Petit")

    restons.ok("ping", "Bruno", "--at", "2026-06-15")
    restons.ok("ping", "Bruno", "--at", "2026-06-14")

    assert sorted(i.at.astimezone(PARIS).replace(tzinfo=None) for i in Interaction.objects.all()) == [
        datetime(2026, 6, 14, 12, 0), datetime(2026, 6, 15, 9, 0),
    ]
    assert restons("ping", "Bruno", "--at", "2026-06-16").code == 1
