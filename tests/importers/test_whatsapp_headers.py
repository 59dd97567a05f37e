"""WhatsApp's fast headers read from the line before: what the shortcut of both passes relies on.

A line that starts with the date part of a fast header (up to where its time starts) and a time part another
fast header had ("21:41 - ", "9:41 PM] ") is read without the _FAST pattern: the pattern would give the same
match. These tests check that claim on many shapes, and that a chat mixing them reads the same either way.
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import UTC
from zoneinfo import ZoneInfo

from restons.importers import whatsapp

DATES = ["13/03/2026", "13.03.2026", "13-03-2026", "3/4/26", "03/04/26", "12/31/25", "1/2/2026", "31/02/2026",
         "00/00/00", "13/03/20266", "١٣/٠٣/٢٠٢٦"]
TIMES = ["21:41", "9:41", "09:41", "21:41:05", "9:41 PM", "10:41 PM", "9:41\u202fAM", "12:00 AM", "13:00 PM", "25:61",
         "2:30", "21:41:05 PM", "21:4", "9:41PM"]
ENDS = [" - ", "] ", " -", ": ", " ", " - - ", "]] "]
AFTER = ["Jane Doe: hi\n", ": x\n", "\n", "", "PM - Jane: y\n", "- Jane: z\n", ":05] Jane: w\n", "Jane\n"]


def heads():
    for date, time, end in itertools.product(DATES, TIMES, ENDS):
        for opening in ("", "["):
            yield f"{opening}{date}, {time}{end}"


def test_a_fast_header_is_matched_the_same_whatever_follows_it():
    """GIVEN every header the fast pattern takes, from many dates, times and ends
    WHEN what follows it changes, or its date part is put before another's time part
    THEN the pattern matches the same span with the same groups (the date's from the one, the time's from the other)."""
    matched = []
    for head in heads():
        for after in AFTER:
            match = whatsapp._FAST.match(head + after)
            if match is not None:
                matched.append((head + after, match))
    assert len(matched) > 1000
    for line, match in matched:
        header = line[:match.end()]
        for after in AFTER:
            again = whatsapp._FAST.match(header + after)
            assert again is not None and again.end() == match.end() and again.groups() == match.groups(), line
    rng = random.Random(8)
    for _ in range(20_000):
        (first, one), (second, other) = rng.choice(matched), rng.choice(matched)
        date_part, time_part = first[:one.start(7)], second[other.start(7):other.end()]
        spliced = whatsapp._FAST.match(date_part + time_part + rng.choice(AFTER))
        assert spliced is not None and spliced.end() == len(date_part + time_part), (first, second)
        assert spliced.groups()[1:6] == one.groups()[1:6] and spliced.groups()[6:] == other.groups()[6:]


def test_a_chat_of_mixed_fast_headers_reads_the_same_as_the_general_way(tmp_path, monkeypatch):
    """GIVEN chats whose lines jump between dates, times, shapes ("[…] ", " - ", AM/PM of one or two digits),
    authors known and not, notices and continuation lines, and repeat headers now and then
    WHEN each is read as it is and with the fast pattern off THEN the records are the same, field for field."""
    rng = random.Random(9)
    authors = ["Jane Doe", "Alex Martin", "\u202a+33 6 12 34 56 78\u202c", "Bob", ""]
    texts = ["Salut", "Ok", "<Media omitted>", "\u200eimage omitted", "\u200eMissed voice call", "", " spaced ", "a: b"]
    shapes = [head for head in heads() if whatsapp._FAST.match(head + "Jane: x\n")]
    never = re.compile(r"(?!)")
    for n in range(40):
        lines, last = [], rng.choice(shapes)
        for _ in range(rng.randint(20, 200)):
            if rng.random() < 0.05:
                lines.append("a line more\n")
                continue
            head = last if rng.random() < 0.3 else rng.choice(shapes)
            last = head
            if rng.random() < 0.05:
                lines.append(f"{head}Léa added Bob\n")
            else:
                lines.append(f"{head}{rng.choice(authors)}: {rng.choice(texts)}\n")
        path = tmp_path / str(n) / "WhatsApp Chat with Jane Doe.txt"
        path.parent.mkdir()
        path.write_text("".join(lines), encoding="utf-8")
        options = {"region": "FR", "tz": rng.choice([ZoneInfo("Europe/Paris"), UTC]), "me_names": ["Alex Martin"]}
        results = []
        for pattern in (whatsapp._FAST, never):
            monkeypatch.setattr(whatsapp, "_FAST", pattern)
            results.append(list(whatsapp.parse(path, **options)))
        assert results[0] == results[1]
