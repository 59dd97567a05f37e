"""Every CLI option keeps restons.limits: a value out of range exits 1 with one line and writes nothing.

A cadence of 10000y or a pledge dated 0001-01-01, once stored, used to break Today, People, the Person page and
stats until the row was repaired by hand; here each entrance refuses it, and the reads still work afterwards.
"""

from __future__ import annotations

import pytest

from restons import limits
from restons.models import Person

pytestmark = pytest.mark.usefixtures("frozen")

LONG = "x" * (limits.TEXT_MAX + 1)
HUGE_ID = "12345678901234567890"
DATE_RANGE = "is out of range; use a date between 1900-01-01 and 2199-12-31"
DAYS_RANGE = "days is out of range; use at most 3650 days (10 years)"
TOO_LONG = f"is {limits.TEXT_MAX + 1} characters long; the limit is {limits.TEXT_MAX}"


@pytest.fixture
def bruno(restons, alice):
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-06-01")
    restons.ok("leave", "Acme", "--on", "2026-06-01", "--person", "Bruno")
    return Person.objects.get(name="Bruno Petit")


CASES = [
    # Dates.
    pytest.param(["person", "add", "Ana", "--met-on", "0001-01-01"], f"0001-01-01 {DATE_RANGE}", id="met-on"),
    pytest.param(["person", "edit", "Bruno", "--met-on", "2200-01-01"], "2200-01-01 is out of range",
                 id="edit-met-on"),
    pytest.param(["ping", "Bruno", "--at", "0001-01-01"], f"0001-01-01 {DATE_RANGE}", id="ping-at"),
    pytest.param(["snooze", "Bruno", "--until", "9999-12-31"], f"9999-12-31 {DATE_RANGE}", id="snooze-until"),
    pytest.param(["event", "add", "Gala", "--on", "0001-01-01"], DATE_RANGE, id="event-on"),
    pytest.param(["milestone", "add", "Born", "--on", "1899-12-31", "--mine"], DATE_RANGE, id="milestone-on"),
    pytest.param(["content", "add", "Ep. 1", "--on", "2200-01-01"], DATE_RANGE, id="content-on"),
    pytest.param(["outcome", "add", "Bruno", "--kind", "client", "--at", "0001-01-01"], DATE_RANGE, id="outcome-at"),
    pytest.param(["leave", "Globex", "--on", "0001-01-01", "--person", "Bruno"], DATE_RANGE, id="pledge-on"),
    pytest.param(["today", "--date", "0001-01-01"], DATE_RANGE, id="today-date"),
    pytest.param(["stats", "--date", "9999-12-31"], DATE_RANGE, id="stats-date"),
    pytest.param(["person", "show", "Bruno", "--date", "0001-01-01"], DATE_RANGE, id="show-date"),
    pytest.param(["person", "list", "--date", "0001-01-01"], DATE_RANGE, id="list-date"),
    # Durations.
    pytest.param(["person", "add", "Ana", "--every", "10000y"], f"3650000 {DAYS_RANGE}", id="person-every"),
    pytest.param(["person", "edit", "Bruno", "--every", "11y"], f"4015 {DAYS_RANGE}", id="edit-every"),
    pytest.param(["circle", "add", "Friends", "--every", "10000y"], DAYS_RANGE, id="circle-every"),
    pytest.param(["snooze", "Bruno", "--for", "10000y"], DAYS_RANGE, id="snooze-for"),
    pytest.param(["leave", "Globex", "--person", "Bruno", "--every", "10000y"], DAYS_RANGE, id="pledge-every"),
    pytest.param(["snooze", "Bruno", "--for", "9" * 5000 + "d"], "is not a duration", id="thousands-of-digits"),
    # Free text.
    pytest.param(["person", "add", "Ana", "--note", LONG], f"The notes {TOO_LONG}", id="person-notes"),
    pytest.param(["person", "add", "Ana", "--met", LONG], f"How you met {TOO_LONG}", id="person-met"),
    pytest.param(["person", "edit", "Bruno", "--note", LONG], f"The notes {TOO_LONG}", id="edit-notes"),
    pytest.param(["ping", "Bruno", "--note", LONG], f"The note {TOO_LONG}", id="ping-note"),
    pytest.param(["outcome", "add", "Bruno", "--kind", "client", "--note", LONG], f"The note {TOO_LONG}",
                 id="outcome-note"),
    # Names, titles, searches and ids.
    pytest.param(["person", "add", "A" * 301], "The name is 301 characters long; the limit is 300", id="name"),
    pytest.param(["event", "add", "G" * 301, "--on", "2026-07-01"], "The title is 301 characters long", id="title"),
    pytest.param(["event", "add", "Gala", "--on", "2026-07-01", "--topic", "t" * 201], "A topic is 201 characters",
                 id="topic"),
    pytest.param(["person", "add", "Ana", "--circle", "c" * 201], "A circle's name is 201 characters", id="circle"),
    pytest.param(["person", "add", "Ana", "--org", "o" * 301], "An organisation's name is 301 characters", id="org"),
    pytest.param(["content", "add", "Ep. 1", "--on", "2026-06-01", "--url", "https://example.org/" + "p" * 200],
                 "The web address is 220 characters long; the limit is 200", id="url"),
    pytest.param(["person", "list", "--circle", "c" * 100_000], "A circle's name is 100000 characters", id="list-circle"),
    pytest.param(["person", "show", "x" * 100_000], "The person is 100000 characters long; the limit is 200",
                 id="person-search"),
    pytest.param(["person", "show", HUGE_ID], f"No person matches '{HUGE_ID}'", id="huge-id"),
    pytest.param(["merge", "accept", HUGE_ID], f"{HUGE_ID} is not an id", id="huge-suggestion-id"),
]


@pytest.mark.parametrize("argv, message", CASES)
def test_out_of_range_values_exit_1_with_one_line_and_write_nothing(restons, bruno, row_counts, argv, message):
    before = row_counts()
    bruno_before = Person.objects.values().get(pk=bruno.pk)

    result = restons(*argv)

    assert result.code == 1, result.out
    assert result.out == ""
    assert result.err.startswith("restons: ") and result.err.count("\n") == 1
    assert message in result.err
    assert row_counts() == before
    assert Person.objects.values().get(pk=bruno.pk) == bruno_before


def test_the_bounds_themselves_are_accepted(restons, bruno):
    restons.ok("event", "add", "Far ahead", "--on", "2199-12-31")
    restons.ok("milestone", "add", "Great-grandmother born", "--on", "1900-01-01", "--person", "Bruno")
    restons.ok("person", "edit", "Bruno", "--every", "10y", "--note", "n" * limits.TEXT_MAX)
    restons.ok("snooze", "Bruno", "--for", "3650d")


def test_after_the_refusals_every_read_still_works(restons, bruno):
    """GIVEN every out-of-range value above tried and refused
    WHEN  Today, the people list, the person and stats are read
    THEN  each answers as before.
    """
    for case in CASES:
        assert restons(*case.values[0]).code == 1

    assert [e["person"]["name"] for e in restons.ok("today", "--date", "2026-07-20", "--json").json] == ["Bruno Petit"]
    assert [row["name"] for row in restons.ok("person", "list", "--json").json] == ["Bruno Petit"]
    assert restons.ok("person", "show", "Bruno", "--json").json["cadence_days"] == 30
    assert [p["org"] for p in restons.ok("stats", "--json").json["pledges"]] == ["Acme"]
