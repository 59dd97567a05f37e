"""ICS calendars (Google, Apple, Outlook, Thunderbird exports; a file or a folder of them) → meetings.

``icalendar`` reads the file and ``recurring-ical-events`` expands it: RRULE,
RDATE, EXDATE and moved occurrences (RECURRENCE-ID), with Google's
``X-WR-TIMEZONE`` applied (through ``x-wr-timezone``), VTIMEZONE and Windows
zone names honoured. One :class:`Meeting` is yielded per occurrence that took
place: it ended at or before ``now``; none in the future.

Times come out in UTC. A floating time (no zone) is read in the calendar's
``X-WR-TIMEZONE`` when it has one (the library does that), else in ``tz``
(the caller passes ``RESTONS_TIME_ZONE``); an all-day occurrence starts at
midnight in that zone.

The source key of an occurrence is the event's UID for a one-off event, and
the UID plus the occurrence's original start (its RECURRENCE-ID, which a
moved occurrence keeps) for a recurring one, so that moving or editing an
event between two exports does not make a second one. Attendees are not part
of it: the rules add the attendee's address to each ping's key.

A calendar file is parsed whole (iCalendar has no streaming reader, and
recurrences may be spread over the file): files above ``max_bytes`` are
refused with a :class:`ParseError`. A folder is read file by file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

import icalendar
import recurring_ical_events
from django.utils.translation import gettext as _

from restons.capture.records import Attendee, Meeting
from restons.importers.mail import normalise_email
from restons.importers.records import ParseError
from restons.limits import DATE_MIN

MAX_BYTES = 50 * 1024 * 1024
SUMMARY_MAX = 500
# Expansion bounds: a series that could repeat more often than this up to now (an event every
# minute for years, a start in year 1) is left out with an error instead of filling the memory.
SERIES_MAX = 100_000
FILE_MAX = 2_000_000

# Video-call links in LOCATION, DESCRIPTION, URL or CONFERENCE.
_CONFERENCE_URL = re.compile(
    r"https?://(?:[\w-]+\.)*(?:meet\.google\.com|zoom\.us|zoom\.com|zoomgov\.com|teams\.microsoft\.com|"
    r"teams\.live\.com|webex\.com|whereby\.com|meet\.jit\.si|gotomeeting\.com|gotomeet\.me|bluejeans\.com|"
    r"chime\.aws|facetime\.apple\.com|join\.skype\.com|meet\.lync\.com|around\.co|jitsi\.)",
    re.IGNORECASE,
)
# Properties that only exist when an event has a call attached.
_CONFERENCE_PROPERTIES = (
    "CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
)
_TEXT_PROPERTIES = ("LOCATION", "DESCRIPTION", "URL", "X-ALT-DESC")


def parse(path: str | os.PathLike, *, now: datetime, tz: tzinfo = UTC,
          max_bytes: int = MAX_BYTES) -> Iterator[Meeting | ParseError]:
    """Every occurrence that ended by ``now`` (aware) in an ICS file, or in every ``.ics`` below a folder."""
    root = Path(path)
    if root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".ics", ".ical", ".ifb") and p.is_file())
        if not files:
            yield ParseError(where=root.name, why=_("no calendar here: no .ics file in this folder"))
            return
    else:
        files = [root]
    for file in files:
        where = str(file.relative_to(root)) if root.is_dir() else file.name
        yield from parse_file(file, where, now=now, tz=tz, max_bytes=max_bytes)


def parse_file(file: Path, where: str, *, now: datetime, tz: tzinfo = UTC,
               max_bytes: int = MAX_BYTES) -> Iterator[Meeting | ParseError]:
    try:
        size = file.stat().st_size
        if size > max_bytes:
            yield ParseError(where=where, why=_("the file is larger than %(limit)s MB; split the calendar")
                             % {"limit": max_bytes // (1024 * 1024)})
            return
        data = file.read_bytes()
    except OSError as exc:
        yield ParseError(where=where, why=exc.strerror or str(exc))
        return
    yield from parse_bytes(data, where, now=now, tz=tz, owner_hint=file.stem)


def parse_bytes(data: bytes, where: str, *, now: datetime, tz: tzinfo = UTC,
                owner_hint: str = "") -> Iterator[Meeting | ParseError]:
    """The occurrences of one calendar file's content (see :func:`parse`)."""
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # noqa: BLE001 — icalendar raises ValueError, KeyError, IndexError, ... on bad input
        yield ParseError(where=where, why=_("not a readable calendar: %(why)s") % {"why": _first_line(exc)})
        return
    if not calendars:
        yield ParseError(where=where, why=_("not a calendar: no BEGIN:VCALENDAR"))
        return
    for calendar in calendars:
        yield from _occurrences(calendar, where, now, tz, owner_hint)


def _occurrences(calendar, where: str, now: datetime, tz: tzinfo, owner_hint: str) -> Iterator[Meeting | ParseError]:
    owner = normalise_email(str(calendar.get("X-WR-CALNAME", ""))) or normalise_email(owner_hint)
    zone = _calendar_zone(calendar) or tz
    recurring = _recurring_uids(calendar.walk("VEVENT"))
    total = 0
    for component in list(calendar.subcomponents):
        if component.name != "VEVENT" or component.get("RRULE") is None:
            continue
        bound = occurrence_bound(component, now, zone)
        uid = str(component.get("UID", "")) or "?"
        if bound > SERIES_MAX:
            calendar.subcomponents.remove(component)
            yield ParseError(where=_("%(file)s, event %(uid)s") % {"file": where, "uid": uid[:80]},
                             why=_("it repeats too often to be meetings (up to %(count)s times); left out")
                             % {"count": f"{bound:,}"})
            continue
        total += bound
    if total > FILE_MAX:
        yield ParseError(where=where, why=_("its repeating events add up to more than %(count)s occurrences; "
                                            "split the calendar") % {"count": f"{FILE_MAX:,}"})
        return
    window_start = datetime.combine(DATE_MIN, time(), UTC)
    try:
        events = recurring_ical_events.of(calendar).between(window_start, now)
    except Exception as exc:  # noqa: BLE001 — one bad series must not hide the good ones: retry without it
        yield ParseError(where=where, why=_("some events could not be read: %(why)s") % {"why": _first_line(exc)})
        try:
            events = recurring_ical_events.of(calendar, skip_bad_series=True).between(window_start, now)
        except Exception as again:  # noqa: BLE001
            yield ParseError(where=where, why=_first_line(again))
            return
    found = []
    for event in events:
        try:
            meeting = _meeting(event, where, zone, owner, recurring)
        except Exception as exc:  # noqa: BLE001 — a malformed property (bad date, bad address) spoils one event
            uid = str(event.get("UID", "")) or "?"
            yield ParseError(where=_("%(file)s, event %(uid)s") % {"file": where, "uid": uid[:80]},
                             why=_first_line(exc))
            continue
        if meeting is not None and meeting.end <= now:
            found.append(meeting)
    found.sort(key=lambda m: (m.start, m.source_key))  # the library does not return them in order
    yield from found


def _meeting(event, where: str, zone: tzinfo, owner: str, recurring: set[str]) -> Meeting | None:
    start_value = event.get("DTSTART")
    if start_value is None:
        return None
    raw_start = start_value.dt
    all_day = isinstance(raw_start, date) and not isinstance(raw_start, datetime)
    start = _utc(raw_start, zone)
    end_value = event.get("DTEND")
    if end_value is not None:
        end = _utc(end_value.dt, zone)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    else:
        end = start + (timedelta(days=1) if all_day else timedelta())
    end = max(end, start)
    uid = _uid(event)
    summary = " ".join(str(event.get("SUMMARY", "")).split())
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1] + "…"
    if not uid:
        uid = "sha256:" + hashlib.sha256(f"{summary}\0{raw_start}".encode()).hexdigest()[:32]
    key = uid
    if uid in recurring:
        recurrence = event.get("RECURRENCE-ID")
        original = _utc(recurrence.dt, zone) if recurrence is not None else start
        key = f"{uid}/{original.strftime('%Y%m%dT%H%M%SZ')}"
    organizer_value = event.get("ORGANIZER")
    organizer = _attendee(organizer_value) if organizer_value else None
    attendees = tuple(_attendee(a) for a in _list(event.get("ATTENDEE")))
    return Meeting(
        where=_("%(file)s, event %(uid)s on %(date)s") % {"file": where, "uid": uid[:80],
                                                          "date": start.date().isoformat()},
        source_key=key,
        start=start,
        end=end,
        summary=summary,
        status=str(event.get("STATUS", "")).strip().upper(),
        organizer=organizer,
        attendees=attendees,
        conference=has_conference(event),
        all_day=all_day,
        calendar_owner=owner,
    )


_UNIT_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}


def occurrence_bound(event, now: datetime, zone: tzinfo) -> int:
    """An upper bound on how many times ``event`` occurs up to ``now`` (its RRULEs; RDATEs are listed).

    At a daily or coarser frequency, an occurrence falls on a distinct day
    unless BYHOUR, BYMINUTE or BYSECOND add more per day; finer frequencies
    count their periods. COUNT and UNTIL shorten it. Unreadable rules count 0
    (the library reports them).
    """
    try:
        start = _utc(event["DTSTART"].dt, zone)
    except Exception:  # noqa: BLE001 — a broken DTSTART is reported when the event is read
        return 0
    bound = 0
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules]:
        try:
            freq = str(rule.get("FREQ", [""])[0]).upper()
            interval = max(int(rule.get("INTERVAL", [1])[0]), 1)
            until = rule.get("UNTIL")
            end = min(_utc(until[0], zone), now) if until else now
            seconds = max((end - start).total_seconds(), 0)
            if freq in _UNIT_SECONDS:
                count = seconds / (_UNIT_SECONDS[freq] * interval) + 1
            else:
                count = seconds / 86400 + 1
            for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
                if rule.get(part):
                    count *= len(rule[part])
            count = min(count, seconds + 1)
            if rule.get("COUNT"):
                count = min(count, int(rule["COUNT"][0]))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            continue
        bound += int(count)
    return bound


def _attendee(value) -> Attendee:
    params = getattr(value, "params", {}) or {}
    email = normalise_email(str(value).strip())
    name = " ".join(str(params.get("CN", "")).strip().strip('"').split())
    if normalise_email(name) == email or name.casefold() == str(value).casefold():
        name = ""  # Google writes CN=<the email> when it knows no name
    return Attendee(
        email=email,
        name=name,
        partstat=str(params.get("PARTSTAT", "")).strip().upper(),
        cutype=str(params.get("CUTYPE", "")).strip().upper(),
    )


def has_conference(event) -> bool:
    """True when the event carries a video-call link or a conference property."""
    if any(event.get(name) for name in _CONFERENCE_PROPERTIES):
        return True
    for name in _TEXT_PROPERTIES:
        for value in _list(event.get(name)):
            if _CONFERENCE_URL.search(str(value)):
                return True
    return False


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _recurring_uids(events: Iterable) -> set[str]:
    """UIDs of series: events with RRULE or RDATE, and UIDs that have moved occurrences."""
    uids = set()
    for event in events:
        if event.get("RRULE") is not None or event.get("RDATE") is not None or event.get("RECURRENCE-ID") is not None:
            uids.add(_uid(event))
    return uids


def _uid(event) -> str:
    """The event's UID, without NULs (a damaged file; PostgreSQL refuses them in the key)."""
    return str(event.get("UID", "")).replace("\x00", "").strip()


def _calendar_zone(calendar) -> tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _utc(value, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)  # floating time
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), zone).astimezone(UTC)
    raise ValueError(_("not a date: %(value)r") % {"value": value})


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
