"""A realistic mixed archive (Takeout mail and a Google calendar) with the truth beside it.

Usage (from the repository root)::

    .venv/bin/python bench/capture_archive.py OUT_DIR [--seed 1] [--people 40] [--years 2]

Writes into OUT_DIR:

- ``export-1.mbox`` and ``export-2.mbox``: two Gmail Takeout exports of one
  mailbox, the second taken later and overlapping the first by a few months;
  Takeout separators, ``X-Gmail-Labels`` (``Sent`` on your mail), encoded
  names in several charsets, messages in no particular order;
- ``calendar.ics``: a Google export (``X-WR-CALNAME`` is you,
  ``X-WR-TIMEZONE`` Europe/Paris) with a recurring 1:1 (EXDATE, a moved
  occurrence, one you declined), one-off meetings with rooms, declines, a
  cancellation, big meetings, video links, personal events and future ones;
- ``Maildir/``: all of the mail (both exports' messages once each) as a
  Maildir++ tree, the way a mail client or Dovecot keeps it: received mail
  in ``cur/``, yours in ``.Sent/``, drafts in ``.Drafts/``, spam in
  ``.Junk/``; no Gmail labels, so the folders alone say what is yours;
- ``truth.json``: what the capture rules must find — for each export alone,
  for both together (the Maildir's truth too), and for the calendar: the pings, ``strangers``,
  ``ignored`` counts by reason, merge suggestions and what you are learned to be.

How the truth is made: every message and meeting is generated *as* a kind
(a personal message to or from someone, a newsletter, a promotion, a
no-reply notification, an auto-reply, spam, a draft, a note to yourself, a
message to a big group, a cold message from a stranger, ...), so which rule
applies to it is known by construction, not by reading headers back. Only
the grouping of personal messages into conversations is computed, by the
rule's literal reading (sort each person's messages per direction, start a
new conversation when the previous message is 12 hours old or more), which
is independent of the span structure ``restons.capture`` uses.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
GAP = timedelta(hours=12)
ME = "alex.martin@example.org"
ME_NAME = "Alex Martin"
NOW = datetime(2026, 4, 15, 12, tzinfo=UTC)

FIRST = ["Jane", "Zoë", "Jürgen", "José", "Amélie", "Omar", "Chloé", "Mateo", "Ingrid", "Kenji", "Léa", "Noah",
         "Björn", "Inès", "Rafael", "Maëlle", "Yusuf", "Agnès", "Søren", "Élodie", "Tomás", "Hana", "Lucas", "Nora"]
LAST = ["Doe", "Lefèvre", "Müller", "García", "Dubois", "Haddad", "Rossi", "Nakamura", "Larsen", "Novák",
        "Moreau", "Silva", "Kowalski", "Petit", "Ødegaard", "Fontaine", "Brandt", "Ortega", "Laurent", "Sato"]
DOMAINS = ["example.com", "example.net", "example.fr", "example.de", "mail.example.org"]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15"]
SUBJECTS = ["Lunch next week?", "Slides for Thursday", "Quick question", "Catching up", "Intro: you two should meet",
            "Re: the conference", "Photos from Saturday", "Your talk", "Job opening you might like", "Thanks!"]


@dataclass
class Person:
    ref: int
    name: str
    emails: list[str]
    known: bool  # in the address book already (the lookup knows them)


@dataclass
class Mail:
    at: datetime
    sender: tuple[str, str]  # (name, email)
    to: list[tuple[str, str]]
    subject: str
    kind: str  # "personal" or an ignored reason, or "stranger"
    labels: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    message_id: str = ""


# --- the mailbox -----------------------------------------------------------------------


def make_people(rng: random.Random, count: int) -> list[Person]:
    people, names = [], set()
    while len(people) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in names:
            continue
        names.add(name)
        slug = name.lower().replace(" ", ".")
        slug = slug.translate(str.maketrans("ëüéèçöæøáíóúàâîïôñ", "eueecoaoaiouaaiion"))
        emails = [f"{slug}@{rng.choice(DOMAINS)}"]
        if rng.random() < 0.2:
            emails.append(f"{slug.split('.')[0]}{rng.randint(1, 99)}@perso.example.net")  # a second address
        people.append(Person(len(people) + 1, name, emails, known=rng.random() < 0.6))
    return people


def local_time(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(7, 22), rng.randint(0, 59), tzinfo=PARIS).astimezone(UTC)


def personal_mail(rng: random.Random, people: list[Person], start: date, days: int, cut0: date) -> list[Mail]:
    """Exchanges with each person: a burst from one side (gaps under 12 h), often a burst in reply."""
    mails = []
    for person in people:
        exchanges = rng.randint(2, 7)
        # Someone new must first be written to before the second export starts (see the module docstring).
        span_days = days if person.known else (cut0 - start).days - 5
        day_numbers = sorted(rng.sample(range(2, span_days, 4), min(exchanges, len(range(2, span_days, 4)))))
        for number in day_numbers:
            day = start + timedelta(days=number)
            mine_first = rng.random() < 0.5
            first_at = local_time(rng, day)
            sides = [True, False] if mine_first else [False, True]
            if rng.random() < 0.25:
                sides = sides[:1]  # unanswered
            at = first_at
            for mine in sides:
                for _ in range(rng.choice([1, 1, 1, 2, 3])):
                    email = rng.choice(person.emails)
                    subject = rng.choice(SUBJECTS)
                    if mine:
                        mails.append(Mail(at, (ME_NAME, ME), [(person.name, email)], subject, "personal", ["Sent"]))
                    else:
                        mails.append(Mail(at, (person.name, email), [(ME_NAME, ME)], subject, "personal",
                                          ["Inbox", "Category Personal"]))
                    at = (at + timedelta(hours=rng.uniform(0.5, 11.5))).replace(microsecond=0)
                at = (at + timedelta(hours=rng.uniform(0.2, 6))).replace(microsecond=0)
    return mails


def across(people: list[Person], cut: date) -> list[Mail]:
    """A conversation that runs over an export's edge: late evening, then the small hours of the next day."""
    person = [p for p in people if p.known][-1]
    evening = datetime(cut.year, cut.month, cut.day, 19, tzinfo=UTC) - timedelta(days=1)
    return [Mail(evening + timedelta(hours=7 * n), (person.name, person.emails[0]), [(ME_NAME, ME)],
                 "Late thoughts", "personal", ["Inbox"]) for n in range(3)]


def noise(rng: random.Random, people: list[Person], start: date, days: int, scale: int) -> list[Mail]:
    """Everything that is not a ping, and the strangers."""
    mails: list[Mail] = []

    def when() -> datetime:
        return local_time(rng, start + timedelta(days=rng.randrange(days)))

    me = (ME_NAME, ME)
    for n in range(4 * scale):
        mails.append(Mail(when(), ("The Weekly Letter", "news@letter.example.com"), [me], f"The Weekly Letter #{n}",
                          "list", ["Inbox", "Category Promotions"],
                          ["List-Id: The Weekly Letter <weekly.letter.example.com>",
                           "List-Unsubscribe: <mailto:unsubscribe@letter.example.com>"]))
    for n in range(2 * scale):
        mails.append(Mail(when(), ("Shop", "deals@shop.example.com"), [me], f"-{n}0 % this week", "bulk",
                          ["Inbox"], ["Precedence: bulk"]))
    for n in range(2 * scale):
        mails.append(Mail(when(), ("Example Bank", f"no-reply{n % 2 or ''}@bank.example.com"), [me],
                          "Your statement is ready", "no-reply", ["Inbox"]))
    for person in rng.sample(people, min(2, len(people))):
        mails.append(Mail(when(), (person.name, person.emails[0]), [me], "Out of office", "auto", ["Inbox"],
                          ["Auto-Submitted: auto-replied"]))
    for n in range(scale):
        mails.append(Mail(when(), ("Lucky Draw", f"winner{n}@lottery.example.net"), [me],
                          "Vous avez gagné !", "spam", ["Spam"]))
        mails.append(Mail(when(), me, [(people[n % len(people)].name, people[n % len(people)].emails[0])],
                          "Unfinished thought", "draft", ["Drafts"]))
        mails.append(Mail(when(), me, [me], "Note to self", "self", ["Sent", "Inbox"]))
    crowd = [(p.name, p.emails[0]) for p in people[:7]] + [(f"Guest {i}", f"guest{i}@example.com") for i in range(3)]
    mails.append(Mail(when(), me, crowd[:6], "Party on Saturday", "group", ["Sent"]))
    mails.append(Mail(when(), crowd[0], [me] + crowd[1:7], "Re: Party on Saturday", "group", ["Inbox"]))
    # Strangers: cold messages never answered; one carries a known person's name from another address.
    for n in range(2 * scale):
        mails.append(Mail(when(), (f"Recruiter {n}", f"talent{n}@agency.example.com"), [me], "An opportunity",
                          "stranger", ["Inbox"]))
    known = [p for p in people if p.known]
    if known:
        twin = known[0]
        mails.append(Mail(when(), (twin.name, "someone.else@elsewhere.example"), [me], "Hello from my new address",
                          "stranger", ["Inbox"]))
    return mails


def encode_name(rng: random.Random, name: str) -> str:
    if name.isascii():
        return f'"{name}"' if "," in name else name
    charset = rng.choice(CHARSETS)
    try:
        raw = name.encode(charset)
    except UnicodeEncodeError:
        charset, raw = "utf-8", name.encode()
    if rng.random() < 0.5:
        return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="
    quoted = "".join(chr(b) if chr(b).isalnum() and b < 128 else "_" if b == 32 else f"={b:02X}" for b in raw)
    return f"=?{charset}?Q?{quoted}?="


def render(rng: random.Random, mail: Mail, number: int) -> bytes:
    gmail_id = 1545668983435175434 + number
    stamp = mail.at.astimezone(UTC)
    separator = f"From {gmail_id}@xxx {stamp.strftime('%a %b %d %H:%M:%S')} +0000 {stamp.year}"
    local = mail.at.astimezone(rng.choice([UTC, PARIS, ZoneInfo("America/New_York")]))

    def addr(pair):
        return f"{encode_name(rng, pair[0])} <{pair[1]}>"

    lines = [separator, f"X-GM-THRID: {gmail_id}", f"X-Gmail-Labels: {','.join(mail.labels)}",
             "Received: from mail.example.net (mail.example.net [192.0.2.10])",
             f"        by mx.google.com with ESMTPS id x{number}; {format_datetime(local)}",
             f"Date: {format_datetime(local)}", f"Message-ID: <{mail.message_id}>",
             f"Subject: {mail.subject if mail.subject.isascii() else encode_name(rng, mail.subject)}",
             f"From: {addr(mail.sender)}", f"To: {', '.join(addr(p) for p in mail.to)}", *mail.headers,
             "Content-Type: text/plain; charset=UTF-8", "", "Hello,", "From here on, a body line that starts with From.",
             "", ""]
    return "\n".join(lines).encode()


def maildir_folder(mail: Mail) -> str:
    """Where a mail client files ``mail`` in a Maildir++ tree ("" is the inbox)."""
    if "Drafts" in mail.labels:
        return ".Drafts"
    if "Spam" in mail.labels:
        return ".Junk"
    return ".Sent" if "Sent" in mail.labels else ""


def write_maildir(root: Path, mails: list[Mail], seed: int) -> None:
    """Every mail once, as a file named by its delivery time, in the folder a client files it in."""
    rng = random.Random(seed + 7)  # its own: the mbox exports and the truth do not depend on it
    for folder in ("", ".Sent", ".Drafts", ".Junk"):
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True, exist_ok=True)
    for mail in mails:
        number = int(mail.message_id.split("-")[2].split("@")[0])
        data = render(rng, mail, number)
        data = data.split(b"\n", 1)[1]  # no "From " separator line in a Maildir file
        data = b"\n".join(line for line in data.split(b"\n") if not line.startswith(b"X-Gmail-Labels:"))
        stamp = int(mail.at.timestamp())
        name = f"{stamp}.M{number}P{seed}.archive.example:2,S"
        (root / maildir_folder(mail) / "cur" / name).write_bytes(data)


# --- the calendar ----------------------------------------------------------------------


def ics_time(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")


def calendar(rng: random.Random, people: list[Person], start: date, days: int) -> tuple[str, list, dict]:
    """The ICS text, the truth pings [(key, who, email, start)] and the ignored counts."""
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
             f"X-WR-CALNAME:{ME}", "X-WR-TIMEZONE:Europe/Paris"]
    pings: list[dict] = []
    ignored: dict[str, int] = {}

    def ignore(reason: str, count: int = 1) -> None:
        ignored[reason] = ignored.get(reason, 0) + count

    def attendee(email, name="", partstat="ACCEPTED", cutype="INDIVIDUAL"):
        return f"ATTENDEE;CUTYPE={cutype};PARTSTAT={partstat};CN={name or email}:mailto:{email}"

    def event(uid, begin, minutes, summary, attendees, extra=(), recurrence_id=None, mine="ACCEPTED"):
        lines.extend(["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART;TZID=Europe/Paris:{ics_time(begin)}",
                      f"DTEND;TZID=Europe/Paris:{ics_time(begin + timedelta(minutes=minutes))}",
                      "DTSTAMP:20260415T080000Z", f"SUMMARY:{summary}", f"ORGANIZER;CN={ME_NAME}:mailto:{ME}",
                      attendee(ME, partstat=mine), *attendees, *extra])
        if recurrence_id:
            lines.append(f"RECURRENCE-ID;TZID=Europe/Paris:{ics_time(recurrence_id)}")
        lines.append("END:VEVENT")

    def met(key, person, begin, channel):
        pings.append({"key": key, "direction": "both", "channel": channel, "person": person.ref if person.known else None,
                      "email": person.emails[0], "at": begin.astimezone(UTC).isoformat()})

    # A weekly 1:1 with a known person, Monday 10:00 Paris, for 20 weeks ending before now.
    buddy = next(p for p in people if p.known)
    first_day = start + timedelta(days=(7 - start.weekday()) % 7 + 7)
    first = datetime(first_day.year, first_day.month, first_day.day, 10, tzinfo=PARIS)
    uid = "weekly-1on1@google.com"
    meet = ["X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij"]
    weeks = [first + timedelta(weeks=n) for n in range(20)]
    excluded, moved, declined = weeks[3], weeks[7], weeks[11]
    event(uid, first, 30, "1:1", [attendee(buddy.emails[0], buddy.name)],
          ["RRULE:FREQ=WEEKLY;COUNT=20", f"EXDATE;TZID=Europe/Paris:{ics_time(excluded)}", *meet])
    event(uid, moved + timedelta(days=1, hours=4), 30, "1:1 (moved)", [attendee(buddy.emails[0], buddy.name)],
          meet, recurrence_id=moved)
    event(uid, declined, 30, "1:1", [attendee(buddy.emails[0], buddy.name)], meet, recurrence_id=declined,
          mine="DECLINED")
    for week in weeks:
        if week == excluded:
            continue
        if week == declined:
            ignore("declined")
            continue
        begin = week + timedelta(days=1, hours=4) if week == moved else week
        if begin.astimezone(UTC) + timedelta(minutes=30) > NOW:
            continue
        met(f"{uid}/{week.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}#{buddy.emails[0]}", buddy, begin, "video")

    # One-off meetings.
    for n in range(max(4, len(people) // 2)):
        day = start + timedelta(days=rng.randrange(days + 30))  # some in the future
        begin = datetime(day.year, day.month, day.day, rng.randint(8, 18), 0, tzinfo=PARIS)
        guests = rng.sample(people, rng.randint(1, 3))
        kind = rng.choice(["ok", "ok", "ok", "room", "guest-declined", "cancelled", "i-declined", "tentative", "big"])
        summary = f"Meeting {n}"
        extra = ["LOCATION:https://zoom.us/j/12345"] if rng.random() < 0.3 else []
        channel = "video" if extra else "meeting"
        attendees = [attendee(g.emails[0], g.name) for g in guests]
        future = begin.astimezone(UTC) + timedelta(hours=1) > NOW
        uid_n = f"meeting-{n}@google.com"
        counted = list(guests)
        if kind == "room":
            attendees.append(attendee("c_1888room@resource.calendar.google.com", "Room 4", cutype="RESOURCE"))
        elif kind == "guest-declined" and len(guests) > 1:
            attendees[-1] = attendee(guests[-1].emails[0], guests[-1].name, partstat="DECLINED")
            counted = guests[:-1]
        elif kind == "cancelled":
            extra = extra + ["STATUS:CANCELLED"]
        elif kind == "big":
            attendees += [attendee(f"colleague{i}@corp.example.com") for i in range(6)]
        event(uid_n, begin, 60, summary, attendees, extra,
              mine={"i-declined": "DECLINED", "tentative": "TENTATIVE"}.get(kind, "ACCEPTED"))
        if future:
            continue
        if kind == "cancelled":
            ignore("cancelled")
        elif kind in ("i-declined", "tentative"):
            ignore("declined")
        elif kind == "big":
            ignore("group")
        else:
            if kind == "room":
                ignore("resource")
            if kind == "guest-declined" and len(guests) > 1:
                ignore("declined")
            for guest in counted:
                met(f"{uid_n}#{guest.emails[0]}", guest, begin, channel)
    # Personal events: nobody else, not pings, not counted.
    for n in range(3):
        day = start + timedelta(days=rng.randrange(days))
        lines.extend(["BEGIN:VEVENT", f"UID:personal-{n}@google.com", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}", "SUMMARY:Dentist", "END:VEVENT"])
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n", pings, ignored


# --- the truth -------------------------------------------------------------------------


def truth_for(mails: list[Mail], people: list[Person]) -> dict:
    """What one import of exactly ``mails`` must give (see the module docstring)."""
    by_email = {email: p for p in people for email in p.emails}
    ignored: dict[str, int] = {}
    # Known people group by person (the lookup knows all their addresses); someone new by address.
    messages: dict[tuple, list[Mail]] = {}  # (who, direction) -> personal mails
    strangers: dict[str, str] = {}
    written_to = set()

    def who(email):
        person = by_email[email]
        return person.ref if person.known else email

    for mail in mails:
        if mail.kind == "personal":
            if mail.sender[1] == ME:
                for _name, email in mail.to:
                    messages.setdefault((who(email), "out"), []).append(mail)
                    written_to.add(email)
            else:
                messages.setdefault((who(mail.sender[1]), "in"), []).append(mail)
        elif mail.kind == "stranger":
            strangers[mail.sender[1]] = mail.sender[0]
        else:
            ignored[mail.kind] = ignored.get(mail.kind, 0) + 1
    pings = []
    for (key, direction), group in messages.items():
        known = isinstance(key, int)
        if not known and key not in written_to:
            for mail in group:
                strangers[mail.sender[1]] = mail.sender[0]
            continue
        group.sort(key=lambda m: m.at)
        previous = None
        for mail in group:
            if previous is None or mail.at - previous >= GAP:
                email = mail.to[0][1] if direction == "out" else mail.sender[1]
                pings.append({"direction": direction, "channel": "email", "person": key if known else None,
                              "email": email, "at": mail.at.isoformat(), "summary": mail.subject,
                              "key": f"{mail.message_id}#{direction}:{email}"})
            previous = mail.at
    names = {p.name: p.ref for p in people if p.known}
    suggestions = sorted(email for email, name in strangers.items() if name in names)
    pings.sort(key=lambda p: (p["at"], p["key"]))
    return {"pings": pings, "strangers": len(strangers) - len(suggestions), "ignored": dict(sorted(ignored.items())),
            "suggestions": suggestions}


def generate(out: Path, *, seed: int = 1, people: int = 40, years: float = 2) -> dict:
    """Write the archive into ``out`` and return the truth (also written as truth.json)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    days = int(365 * years)
    start = (NOW - timedelta(days=days + 10)).date()
    cut0 = start + timedelta(days=days // 2)  # the second export starts here...
    cut1 = start + timedelta(days=days * 3 // 4)  # ... and the first one ends here
    crowd = make_people(rng, people)
    mails = personal_mail(rng, crowd, start, days, cut0) + noise(rng, crowd, start, days, max(1, people // 8))
    mails += across(crowd, cut0) + across(crowd, cut1)
    for number, mail in enumerate(mails):
        mail.message_id = f"gen-{seed}-{number}@mail.example.com"
    first = [m for m in mails if m.at.date() < cut1]
    second = [m for m in mails if m.at.date() >= cut0]
    for name, subset in (("export-1.mbox", first), ("export-2.mbox", second)):
        shuffled = subset[:]
        rng.shuffle(shuffled)  # Takeout's order is not the time order
        with open(out / name, "wb") as handle:
            for mail in shuffled:
                handle.write(render(rng, mail, int(mail.message_id.split("-")[2].split("@")[0])))
    write_maildir(out / "Maildir", mails, seed)
    ics_text, meeting_pings, meeting_ignored = calendar(rng, crowd, start, days)
    (out / "calendar.ics").write_text(ics_text, encoding="utf-8")
    meeting_pings.sort(key=lambda p: (p["at"], p["key"]))
    truth = {
        "seed": seed,
        "now": NOW.isoformat(),
        "me": ME,
        "known": [{"ref": p.ref, "name": p.name, "emails": p.emails} for p in crowd if p.known],
        "new_people": [{"name": p.name, "emails": p.emails} for p in crowd if not p.known],
        "export-1.mbox": truth_for(first, crowd),
        "export-2.mbox": truth_for(second, crowd),
        "both": truth_for(mails, crowd),
        "calendar.ics": {"pings": meeting_pings, "ignored": dict(sorted(meeting_ignored.items())),
                         "strangers": 0, "suggestions": []},
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--years", type=float, default=2)
    args = parser.parse_args()
    truth = generate(args.out, seed=args.seed, people=args.people, years=args.years)
    mail_pings = len(truth["both"]["pings"])
    print(f"{args.out}: {mail_pings} mail interactions, {len(truth['calendar.ics']['pings'])} meeting interactions, "
          f"ignored {truth['both']['ignored']} and {truth['calendar.ics']['ignored']}, "
          f"{truth['both']['strangers']} strangers, {len(truth['both']['suggestions'])} suggestions")


if __name__ == "__main__":
    main()
