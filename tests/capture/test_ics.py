"""ICS: one record per occurrence that took place, with attendees, in UTC (recurrences, zones, all-day)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from restons.capture.records import Attendee, Meeting
from restons.importers import ics
from restons.importers.records import ParseError

NOW = datetime(2026, 4, 15, 12, tzinfo=UTC)
ALEX = Attendee("alex.martin@example.org", "", "ACCEPTED", "INDIVIDUAL")
JANE = Attendee("jane@example.com", "Jane Doe", "ACCEPTED", "INDIVIDUAL")
WEEKLY = "7kukuqrfedlm2f9t0vr42q2gc0@google.com"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def occurrences(samples, name, **options):
    return list(ics.parse(samples / "ics" / name, now=options.pop("now", NOW), **options))


def test_google_recurring_meeting(samples):
    """RRULE weekly at 10:00 Paris from 2 March, EXDATE 16 March, 23 March moved to Tuesday 24 at 14:00,
    30 March declined by Alex; the hour stays 10:00 local across the DST change; nothing after now."""
    weekly = [m for m in occurrences(samples, "google.ics") if m.source_key.startswith(WEEKLY)]
    assert [(m.source_key.split("/")[1], m.start, m.summary) for m in weekly] == [
        ("20260302T090000Z", at(2026, 3, 2, 9), "Jane / Alex weekly"),
        ("20260309T090000Z", at(2026, 3, 9, 9), "Jane / Alex weekly"),
        ("20260323T090000Z", at(2026, 3, 24, 13), "Jane / Alex weekly (moved to Tuesday)"),
        ("20260330T080000Z", at(2026, 3, 30, 8), "Jane / Alex weekly"),
        ("20260406T080000Z", at(2026, 4, 6, 8), "Jane / Alex weekly"),
        ("20260413T080000Z", at(2026, 4, 13, 8), "Jane / Alex weekly"),
    ]
    assert weekly[0] == Meeting(
        where=f"google.ics, event {WEEKLY} on 2026-03-02", source_key=f"{WEEKLY}/20260302T090000Z",
        start=at(2026, 3, 2, 9), end=at(2026, 3, 2, 9, 30), summary="Jane / Alex weekly", status="CONFIRMED",
        organizer=Attendee("alex.martin@example.org", "Alex Martin"), attendees=(JANE, ALEX), conference=True,
        calendar_owner="alex.martin@example.org")
    assert weekly[3].attendees == (JANE, Attendee("alex.martin@example.org", "", "DECLINED", "INDIVIDUAL"))


def test_google_one_off_events(samples):
    others = {m.summary: m for m in occurrences(samples, "google.ics") if not m.source_key.startswith(WEEKLY)}
    assert list(others) == ["Project kickoff", "Drinks (cancelled)", "Coffee with Zoë", "All hands"]
    kickoff = others["Project kickoff"]
    assert (kickoff.source_key, kickoff.start, kickoff.conference) == ("1q2w3e4r5t6y7u8i9o0p@google.com",
                                                                        at(2026, 3, 5, 13), False)
    assert kickoff.attendees == (
        JANE, ALEX, Attendee("juergen@example.de", "Jürgen Müller", "DECLINED", "INDIVIDUAL"),
        Attendee("omar@example.com", "", "NEEDS-ACTION", "INDIVIDUAL"),  # CN equal to the email is no name
        Attendee("c_1888abcdef@resource.calendar.google.com", "Paris-4-Mont Blanc (8)", "ACCEPTED", "RESOURCE"),
    )
    assert others["Drinks (cancelled)"].status == "CANCELLED"
    # A floating time is read in the calendar's X-WR-TIMEZONE (Paris, UTC+1 in March).
    assert others["Coffee with Zoë"].start == at(2026, 3, 10, 7, 30)
    assert others["All hands"].conference is True  # a Zoom link in LOCATION
    assert len(others["All hands"].attendees) == 7


def test_outlook_windows_zone_and_uppercase_mailto(samples):
    [meeting] = occurrences(samples, "outlook.ics")
    assert (meeting.start, meeting.end) == (at(2026, 3, 17, 10), at(2026, 3, 17, 10, 30))  # W. Europe = UTC+1
    assert meeting.organizer == Attendee("omar.haddad@example.com", "Omar Haddad")
    assert meeting.attendees == (Attendee("alex.martin@example.org", "Alex Martin", "ACCEPTED", ""),
                                 Attendee("zoe@example.fr", "Zoë Lefèvre", "", ""))
    assert meeting.conference is True  # a Teams link in DESCRIPTION
    assert meeting.calendar_owner == ""


def test_all_day_and_floating_events_without_a_calendar_zone_use_the_given_zone(samples):
    hike, dinner = occurrences(samples, "apple.ics", tz=ZoneInfo("America/New_York"))
    assert (hike.all_day, hike.start, hike.end) == (True, at(2026, 3, 14, 4), at(2026, 3, 15, 4))
    assert (dinner.all_day, dinner.start) == (False, at(2026, 3, 18, 23, 30))  # 19:30 EDT
    assert dinner.attendees[2] == Attendee("kitchen@rooms.example.org", "Kitchen", "ACCEPTED", "ROOM")
    paris = occurrences(samples, "apple.ics", tz=ZoneInfo("Europe/Paris"))
    assert paris[0].start == at(2026, 3, 13, 23)


def test_nothing_in_the_future(samples):
    early = occurrences(samples, "google.ics", now=at(2026, 3, 9, 9, 15))  # during the second occurrence
    assert [m.start for m in early] == [at(2026, 3, 2, 9), at(2026, 3, 5, 13), at(2026, 3, 6, 16)]


def test_a_folder_of_calendars(samples):
    records = list(ics.parse(samples / "ics", now=NOW))
    assert [r.where.split(",")[0] for r in records].count("apple.ics") == 2
    assert len(records) == 2 + 10 + 1


def test_bad_files_are_one_error_each(tmp_path):
    (tmp_path / "a.ics").write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:garbage\nEND:VEVENT\nEND:VCALENDAR\n")
    (tmp_path / "b.ics").write_text("hello\n")
    (tmp_path / "c.ics").write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260101T100000Z\n"
                                    "SUMMARY:ok\nEND:VEVENT\nEND:VCALENDAR\n")
    records = list(ics.parse(tmp_path, now=NOW))
    assert [type(r).__name__ for r in records] == ["ParseError", "ParseError", "Meeting"]
    assert records[0].where == "a.ics" and records[1].where == "b.ics"
    assert list(ics.parse(tmp_path / "b.ics", now=NOW, max_bytes=3)) == [
        ParseError(where="b.ics", why="the file is larger than 0 MB; split the calendar")]


def test_a_series_that_repeats_too_often_is_left_out(tmp_path):
    (tmp_path / "busy.ics").write_text(
        "BEGIN:VCALENDAR\n"
        "BEGIN:VEVENT\nUID:every-minute\nDTSTART:20200101T000000Z\nRRULE:FREQ=MINUTELY\nSUMMARY:x\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:since-year-1\nDTSTART:00010101T000000Z\nRRULE:FREQ=DAILY\nSUMMARY:x\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:ok\nDTSTART:20260101T100000Z\nRRULE:FREQ=MINUTELY;COUNT=3\nSUMMARY:x\nEND:VEVENT\n"
        "END:VCALENDAR\n")
    records = list(ics.parse(tmp_path / "busy.ics", now=NOW))
    assert [(type(r).__name__, r.where) for r in records] == [
        ("ParseError", "busy.ics, event every-minute"), ("ParseError", "busy.ics, event since-year-1"),
        ("Meeting", "busy.ics, event ok on 2026-01-01"), ("Meeting", "busy.ics, event ok on 2026-01-01"),
        ("Meeting", "busy.ics, event ok on 2026-01-01")]
    assert records[0].why == "it repeats too often to be meetings (up to 3,306,961 times); left out"
