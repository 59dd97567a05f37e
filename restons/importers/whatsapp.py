"""WhatsApp "Export chat" files → messages: a ``.txt``, the ``.zip`` WhatsApp makes, or a folder of them.

Only the text is read (``_chat.txt`` or the one ``.txt`` in a zip; the media
are never opened). Every line that starts with a date and a time starts a
message; the others continue the previous one (a multi-line message). The
layouts of Android (``31/12/2020, 21:41 - Jane Doe: text``) and iOS
(``[31/12/2020, 21:41:05] Jane Doe: text``) in every locale are read by one
pattern: any day, month and year order and separator (``/ . -``, ``2020. 12.
31.``), two- or four-digit years (Thai Buddhist years too), a word between
date and time (``à``, ``klo``), 12- or 24-hour clocks with the time's
separator ``:`` or ``.``, and AM/PM in several languages, after the time
(``PM``, ``p.m.``, ``p. m.``, ``م``/``ص``, ``μ.μ.``, ``CH``/``SA``) or before it
(``午後``, ``下午``, ``오후``); the invisible marks iOS and right-to-left locales
insert (``\\u200e``, ``\\u200f``, ``\\u202a…\\u202c``, narrow no-break spaces) and
Arabic-Indic digits are read through. The shapes most exports have (Android
``31/12/2020, 21:41 - ``, iOS ``[31/12/2020, 21:41:05] ``, the US 12-hour
ones) are first tried with a cheaper pattern, and each date, time of day and
author is then worked out once, not once per line (a line that starts with the
date of the fast header before it and a time part one had skips even that
pattern: it would match the same); what that pattern does not take goes the
general way, with the same result (a test reads both ways).

**Two passes.** The day/month order is not written anywhere, so the first
pass reads the whole file (keeping only counters and the set of authors): a
first field above 12 means day first, a second field above 12 month first;
when every date is ambiguous (03/04), the order under which the dates run
forward wins (chats are in time order), and only a tie falls back to
``date_order`` or the region (month first in the US). The second pass makes
the messages. Memory stays bounded whatever the file's length.

**Who is who.** Authors are the names saved in the exporting phone, or a
phone number (``+33 6 12 34 56 78``) for someone not in it — matched by phone
identity (E.164 in the user's region); a name is kind ``name``. The chat's
other side is named by the file (``WhatsApp Chat with Jane Doe.txt``, ``WhatsApp
Chat - Jane Doe.zip``, and their translations). In a one-to-one chat the other
author is you; when only one author wrote, they are the other side if the file
names them, else you (you wrote, nobody answered). Names you gave
(``me_names``, from ``restons me``) and names learned from the one-to-one chats
of the same import say who you are in group chats; without them, group
messages say nothing of direction and the rules ask for ``restons me add
--name``. A group chat (more than two authors, or group events in it) follows
the group rule: your message goes to every other author seen.

**Not pings.** System lines (encryption notice, "X added Y", "created group",
security-code changes, in their languages; on iOS, the lines the group itself
"writes") count as ``system``; missed call lines as ``missed-call``. Media
placeholders (``<Media omitted>``, ``image omitted``, ``<attached: …>``) and
deleted messages are messages.

Times are the exporting phone's local time with no zone: read in ``tz``
(``RESTONS_TIME_ZONE``), daylight-saving time included.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.utils.translation import gettext as _

from restons.capture.me import NAME
from restons.capture.records import MISSED_CALL, SYSTEM, Address, Message
from restons.identities import name_key
from restons.importers.chat import CALL, INVISIBLE, TEXT, e164, in_range, key, looks_like_phone, summary
from restons.importers.records import FileRefused, ParseError
from restons.importers.textfiles import Source, source_name
from restons.limits import DATE_MAX, DATE_MIN

MONTH_FIRST_REGIONS = {"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW", "BZ"}
MEMBER_MAX = 4 * 1024**3  # a chat text over 4 GB is not a chat
AUTHOR_MAX = 100

_HEADER = re.compile(
    r"\[?(\d{1,4})[-/.]\s?(\d{1,2})[-/.]\s?(\d{1,4})\.?[,،]?\s?"  # the date
    r"(?:(上午|下午|午前|午後|오전|오후)\s?|[^\W\d_]{1,4}\.?\s)?"  # AM/PM before the time, or a word (à, klo)
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"  # the time
    r"(?:\s?([AaPp]\.?\s?[Mm]\.?|ص|م|π\.μ\.|μ\.μ\.|SA|CH)(?![^\W\d_]))?"  # AM/PM after the time
    r"(?:\]\s?|\s?[-–]\s|:\s|\s)"  # what ends the header
)
_AM = {"上午", "午前", "오전"}
_PM_AFTER = {"p", "P", "م", "μ", "C"}
_HEAD_FIX = {**INVISIBLE, **{ord(d): str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")},
             **{ord(d): str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")}}
_HEAD_FIX.update({ord("\u202f"): " ", ord("\u00a0"): " "})
# The common header shapes (Android ``31/12/2020, 21:41 - ``, iOS ``[31/12/2020, 21:41:05] ``, US
# ``12/31/20, 9:41 PM - ``), read with a cheaper pattern first. On every line it matches, _HEADER
# matches the same span with the same groups (the same separator twice, ", ", plain digits, a plain
# or narrow no-break space before an upper-case AM/PM); every other line goes the general way.
_FAST = re.compile(
    r"\[?(((\d{1,2})([-/.])(\d{1,2})\4(\d{4}|\d{2})), "  # 1 the stamp; 2 the date: 3 first, 5 second, 6 third
    r"((\d{1,2}):(\d{2})(?::(\d{2}))?(?:[ \u202f]?([AP]M))?))"  # 7 the time: 8 hour, 9 minute, 10 second, 11 AM/PM
    r"(?: - |\] )"
)
_ONE_DAY = timedelta(days=1)
_SLOW_TEXT = ("\u200e", "\u200f", "\n", "")  # a text starting so (or empty) is read the general way

# The file (or zip) name of an export names the other side: "WhatsApp Chat with Jane Doe.txt".
_CHAT_NAME = re.compile(
    r"^(?:WhatsApp[ -]Chat (?:with|mit|met|med|con|com|avec|z|s|ile)|WhatsApp Chat -|WhatsApp-chat met|"
    r"Discussion WhatsApp avec|Chat de WhatsApp con|Chat WhatsApp con|Conversa do WhatsApp com|"
    r"Conversa de WhatsApp com|Czat WhatsApp z|WhatsApp-Chat mit|Чат WhatsApp с|Чат WhatsApp з)\s+(.+?)"
    r"(?:\s*\(\d+\))?$",
    re.IGNORECASE,
)
# Lines every member of a group sees: a chat with them is a group (any language we know).
_GROUP_EVENTS = re.compile(
    r"created (?:the )?group|added|removed|left$|joined using|changed the (?:subject|group)|changed this group|"
    r"a créé le groupe|a ajouté|a retiré|est parti|a rejoint|a modifié (?:le sujet|l’icône|l'icône)|"
    r"hat die Gruppe|hat .* hinzugefügt|hat .* entfernt|hat die Gruppe verlassen|"
    r"creó el grupo|añadió|salió|eliminó a|criou o grupo|adicionou|saiu|ha creato il gruppo|ha aggiunto|"
    r"heeft de groep|heeft .* toegevoegd",
    re.IGNORECASE,
)
_MISSED = re.compile(r"missed (?:voice|video) call|appel (?:vocal|vidéo) manqué|verpasster (?:Sprach|Video)anruf|"
                     r"llamada (?:de voz|de video)? ?perdida|chamada (?:de voz|de vídeo)? ?perdida|"
                     r"chiamata (?:vocale|video)? ?persa", re.IGNORECASE)

@dataclass
class _Stats:
    """What the first pass learns about one chat."""

    lines: int = 0
    headers: int = 0
    year_first: int = 0
    max_first: int = 0
    max_second: int = 0
    forward_dmy: int = 0  # date changes that go back in time when read day first
    forward_mdy: int = 0
    previous: tuple[int, int, int] | None = None
    authors: Counter = field(default_factory=Counter)
    group_events: int = 0


@dataclass
class _Chat:
    label: str  # the file (and member) name, for ``where``
    opener: Callable[[], BinaryIO]
    partner: str  # who the file name says the other side is ("" when it does not say)
    stats: _Stats = field(default_factory=_Stats)
    order: str = "dmy"
    group: bool = False
    mine: frozenset[str] = frozenset()  # author name keys that are you
    decided: bool = False  # True when who is you is known for this chat


def parse(path: Source, *, region: str = "", tz: tzinfo = UTC, me_names: Iterable[str] = (),
          date_order: str | None = None) -> Iterator[Message | ParseError]:
    """Every message of a chat export (``.txt``, ``.zip``) or of every export in a folder.

    ``region`` reads phone-number authors (RESTONS_DEFAULT_REGION), ``tz`` the
    times (RESTONS_TIME_ZONE), ``me_names`` are the names chats show for you,
    ``date_order`` (``"dmy"`` or ``"mdy"``) decides a file whose every date is
    ambiguous. Raises :class:`FileRefused` when ``path`` holds no chat at all.
    """
    chats = list(_chats(path))
    if not chats:
        raise FileRefused(_("%(file)s holds no WhatsApp chat export (.txt or .zip)") % {"file": source_name(path)})
    for chat in chats:
        try:
            _first_pass(chat)
        except (OSError, zipfile.BadZipFile, RuntimeError, EOFError, NotImplementedError) as exc:
            raise FileRefused(_("%(file)s could not be read (%(why)s)") % {"file": chat.label, "why": exc}) from None
    readable = [chat for chat in chats if chat.stats.headers]
    if not readable:
        if len(chats) == 1:
            raise FileRefused(_("%(file)s is not a WhatsApp chat export: no line starts with a date and a time")
                              % {"file": chats[0].label})
        raise FileRefused(_("%(file)s holds no WhatsApp chat export: no line starts with a date and a time")
                          % {"file": source_name(path)})
    mine = {name_key(n) for n in me_names if n and n.strip()}
    for chat in readable:
        _decide_order(chat, region, date_order)
    # One-to-one chats first: who you are there says who you are in the groups.
    for chat in sorted(readable, key=lambda c: _is_group(c)):
        _decide_people(chat, mine)
    for chat in chats:
        if not chat.stats.headers:
            yield ParseError(chat.label, _("not a WhatsApp chat export: no line starts with a date and a time"))
    for chat in sorted(readable, key=lambda c: c.group):
        yield from _second_pass(chat, region, tz)


# --- finding the chats ------------------------------------------------------------------


def _chats(path: Source) -> Iterator[_Chat]:
    if isinstance(path, (str, os.PathLike)) and Path(path).is_dir():
        root = Path(path)
        for file in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".zip")):
            yield from _file_chats(file, str(file.relative_to(root)))
        return
    yield from _file_chats(path, source_name(path))


def _file_chats(path: Source, label: str) -> Iterator[_Chat]:
    stem = PurePosixPath(label.replace("\\", "/")).stem
    if not _is_zip(path):
        if isinstance(path, (str, os.PathLike)):
            yield _Chat(label, lambda: open(path, "rb"), _partner(stem))
        else:
            yield _Chat(label, lambda: _rewound(path), _partner(stem))
        return
    try:
        archive = zipfile.ZipFile(path if isinstance(path, (str, os.PathLike)) else _rewound(path))
        texts = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".txt")]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise FileRefused(_("%(file)s could not be read as a zip archive (%(why)s)") % {"file": label, "why": exc}) from None
    chosen = [m for m in texts if PurePosixPath(m.filename).name == "_chat.txt"] or texts
    for member in chosen:
        name = PurePosixPath(member.filename.replace("\\", "/")).name
        if ".." in member.filename.replace("\\", "/").split("/") or member.file_size > MEMBER_MAX or (
                member.file_size > 1 << 20 and member.file_size > 200 * max(member.compress_size, 1)):
            raise FileRefused(_("%(file)s: the member %(name)s is too big or compressed like a zip bomb; "
                                "the archive was refused") % {"file": label, "name": name})
        partner = _partner(stem) if name == "_chat.txt" else (_partner(PurePosixPath(name).stem) or _partner(stem))
        yield _Chat(f"{label}: {name}", lambda m=member: archive.open(m), partner)


def _is_zip(path: Source) -> bool:
    if isinstance(path, (str, os.PathLike)):
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    position = path.tell()
    magic = path.read(4)
    path.seek(position)
    return magic == b"PK\x03\x04"


def _rewound(handle: BinaryIO) -> BinaryIO:
    handle.seek(0)
    return _Unclosed(handle)


class _Unclosed(io.BufferedReader):
    """The caller's open file, read again from the start, never closed by us."""

    def close(self) -> None:
        pass


def _partner(stem: str) -> str:
    match = _CHAT_NAME.match(stem.strip())
    return match.group(1).strip() if match else ""


# --- reading lines ----------------------------------------------------------------------


def _header(raw: str) -> tuple[re.Match, str] | None:
    """(header match, the line it matched in) for a line that starts a message, else None: the general way."""
    line = raw.rstrip("\n")
    match = _HEADER.match(line)
    if match is None:
        head = line[:60]
        if not head or head.isascii():
            return None
        start = head[0]
        if start.isascii() and start != "[" and not start.isdigit() and not start.isspace():
            return None  # the header fix below maps no ASCII character: this line cannot start with a date
        # Only the header is read through (the text keeps its marks: they tell iOS notices).
        ends = [i for i in (head.find("]"), head.find(" - "), head.find(": ")) if i >= 0]
        cut = min(ends) if ends else len(head)
        line = line[:cut].translate(_HEAD_FIX).lstrip() + line[cut:]
        match = _HEADER.match(line)
        if match is None:
            return None
    return match, line


def _author_and_text(line: str, end: int, cache: dict[str, str | None]) -> tuple[str, str] | None:
    """(author, text) of a message line, or None for a system line (no "author: ")."""
    colon = line.find(": ", end)
    if colon < 0:
        if line.endswith(":") and len(line) - end <= AUTHOR_MAX + 1:
            colon = len(line) - 1
        else:
            return None
    raw = line[end:colon]
    author = cache.get(raw, "")
    if author == "":
        author = raw.translate(INVISIBLE).strip() if not raw.isascii() else raw.strip()
        if not author or len(author) > AUTHOR_MAX or any(q in author for q in '"“”«»'):
            author = None
        if len(cache) < 100_000:
            cache[raw] = author
    if author is None:
        return None
    return author, line[colon + 2:]


_MEDIA_WORDS = {"omitted", "omis", "omitido", "omitida", "ausgelassen", "weggelassen", "omesso", "edilmedi", "omitidos"}


_MEDIA_PARTS = ("attached", "joint", "anhang", "adjunto", "anexado", "allegato", "deleted", "supprimé", "gelöscht",
                "eliminó", "eliminaste", "eliminado", "apagada", "apagou", "eliminato", "edited>", "modifié>",
                "bearbeitet>", "dahil edilmedi")


def _has_media_part(low: str) -> bool:
    for part in _MEDIA_PARTS:  # (a loop of ``in`` costs half what one regex of them all does)
        if part in low:
            return True
    return False


def _is_media(text: str) -> bool:
    """A media placeholder or a deleted message: a message, with nothing worth a summary."""
    if len(text) > 120:
        return False
    if text[:1] == "<" and text[-1:] == ">":
        return True
    low = text.casefold()
    if low.rpartition(" ")[2] in _MEDIA_WORDS:
        return True
    return len(text) < 70 and _has_media_part(low)


def _is_notice(text: str) -> bool:
    """A line iOS writes behind an invisible mark that is no message: anything but media or a missed call.

    (People's own text never starts with that mark; iOS puts it before media
    placeholders, missed calls and its notices: encryption, group events,
    security codes, disappearing messages.)
    """
    stripped = text.lstrip("\u200e\u200f ").strip()
    return text[:1] in "\u200e\u200f" and not _is_media(stripped) and not _MISSED.search(stripped)


def _first_pass(chat: _Chat) -> None:
    stats = chat.stats
    authors = stats.authors
    cache: dict[str, str | None] = {}
    fast = _FAST.match
    last_date, year_first = "", False
    headers = years_first = 0
    # The last fast header cut where its time starts, on the date of the line before, and the time parts
    # fast headers had (see _second_pass): a line that starts with both has that header. ``plain`` holds
    # what such lines had from their time to their first ": " when that was an author already counted.
    # ("\n\n" starts no line; a fast header's date never has its year first.)
    head, cut, width, clocks, plain = "\n\n", 0, 0, set(), set()
    with chat.opener() as binary:
        # WhatsApp writes UTF-8 (iOS with a BOM); a damaged byte is replaced, not fatal.
        for raw in io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline=None):
            common = raw.startswith(head)
            if common:
                colon = raw.find(": ", cut)  # (a time part has no ": ")
                if colon >= 0 and raw[colon + 2:colon + 3] not in _SLOW_TEXT and raw[cut:colon] in plain:
                    headers += 1  # the date of the line before, an author seen before, a plain text
                    continue
                common = raw[cut:cut + width] in clocks
            if common:
                line, end = raw, cut + width  # the date of the line before: nothing new to learn
                headers += 1
            else:
                match = fast(raw)
                common = match is not None
                if common:  # the common shape: _HEADER's groups 1, 2, 3 are its 3, 5, 6
                    line, date_text = raw, match.group(2)
                    cut, end = match.start(7), match.end()
                    head, clock = raw[:cut], raw[cut:end]
                    width = len(clock)
                    clocks.add(clock)
                else:
                    found = _header(raw)
                    if found is None:
                        continue  # the next line of a multi-line message
                    match, line = found
                    date_text = line[match.start(1):match.end(3)]
                    end = match.end()
                    head = "\n\n"  # (last_date changes behind it)
                headers += 1
                if date_text != last_date:  # (the same day as the line before teaches nothing new)
                    last_date = date_text
                    year_first = _learn_date(stats, *(match.group(3, 5, 6) if common else match.group(1, 2, 3)))
            if year_first:
                years_first += 1
            colon = line.find(": ", end)
            if colon >= 0 and line[colon + 2:colon + 3] not in _SLOW_TEXT:
                author = cache.get(line[end:colon], "")
                if author:  # an author seen before, and a plain text
                    if author in authors or len(authors) < 10_000:
                        authors[author] += 1
                        if common and len(plain) < 100_000:
                            plain.add(raw[cut:colon])
                    continue
            _learn_rest(stats, line.rstrip("\n"), end, cache)
    stats.headers += headers
    stats.year_first += years_first


def _learn_date(stats: _Stats, first: str, second: str, third: str) -> bool:
    """What a new date teaches about the day/month order; True when its year comes first."""
    if len(first) == 4:
        return True
    a, b = int(first), int(second)
    if a > stats.max_first:
        stats.max_first = a
    if b > stats.max_second:
        stats.max_second = b
    date = (int(third), a, b)
    previous = stats.previous
    if date != previous:
        if previous is not None and previous[0] == date[0]:
            if (date[2], date[1]) < (previous[2], previous[1]):
                stats.forward_dmy += 1
            if (date[1], date[2]) < (previous[1], previous[2]):
                stats.forward_mdy += 1
        stats.previous = date
    return False


def _learn_rest(stats: _Stats, line: str, end: int, cache: dict[str, str | None]) -> None:
    """What the rest of a header line teaches: an author, or a group event."""
    parts = _author_and_text(line, end, cache)
    if parts is None:
        if _GROUP_EVENTS.search(line, end):
            stats.group_events += 1
        return
    author, text = parts
    if text[:1] in "\u200e\u200f" and _is_notice(text):
        if _GROUP_EVENTS.search(text):
            stats.group_events += 1
        return
    if len(stats.authors) < 10_000 or author in stats.authors:
        stats.authors[author] += 1


def _decide_order(chat: _Chat, region: str, date_order: str | None) -> None:
    stats = chat.stats
    if stats.year_first * 2 > stats.headers:
        chat.order = "ymd"
    elif stats.max_first > 12:
        chat.order = "dmy"
    elif stats.max_second > 12:
        chat.order = "mdy"
    elif stats.forward_dmy != stats.forward_mdy:
        # forward_* count the date changes that go back in time under each reading: fewer wins.
        chat.order = "dmy" if stats.forward_dmy < stats.forward_mdy else "mdy"
    elif date_order in ("dmy", "mdy"):
        chat.order = date_order
    else:
        chat.order = "mdy" if (region or "").upper() in MONTH_FIRST_REGIONS else "dmy"


def _is_group(chat: _Chat) -> bool:
    authors = chat.stats.authors
    partner = _matching_author(chat)
    return len(authors) > 2 or chat.stats.group_events > 0 or (bool(chat.partner) and not partner and len(authors) > 1)


def _same(a: str, b: str) -> bool:
    if looks_like_phone(a) and looks_like_phone(b):
        return "".join(c for c in a if c.isdigit())[-9:] == "".join(c for c in b if c.isdigit())[-9:]
    return name_key(a) == name_key(b)


def _matching_author(chat: _Chat) -> str:
    if not chat.partner:
        return ""
    return next((a for a in chat.stats.authors if _same(a, chat.partner)), "")


def _decide_people(chat: _Chat, mine: set[str]) -> None:
    authors = list(chat.stats.authors)
    chat.group = _is_group(chat)
    known = frozenset(name_key(a) for a in authors if name_key(a) in mine)
    if known:
        chat.mine, chat.decided = known, True
        return
    if chat.group:
        chat.decided = False  # the rules decide from your names, or ask for them
        return
    partner = _matching_author(chat)
    if partner:
        others = [a for a in authors if a != partner]
        chat.mine, chat.decided = frozenset(name_key(a) for a in others), True
    elif chat.partner and len(authors) == 1:
        chat.mine, chat.decided = frozenset({name_key(authors[0])}), True  # you wrote; nobody answered
    if chat.decided:
        mine.update(chat.mine)


# --- the messages -----------------------------------------------------------------------


def _address(author: str, region: str) -> Address:
    if looks_like_phone(author):
        number = e164(author, region)
        if number:
            return Address("phone", number)
    return Address(NAME, author, author)


def _second_pass(chat: _Chat, region: str, tz: tzinfo) -> Iterator[Message | ParseError]:
    reader = _Messages(chat, region, tz)
    general = reader.message
    fast_authors, seen, days, clocks, summaries = reader.fast_authors, reader.seen, reader.days, reader.clocks, reader.summaries
    where_before, where_after, prefix = reader.where_before, reader.where_after, f"wa:{reader.prefix}:"
    fast = _FAST.match
    last_stamp, at = "", None
    # The last fast header cut where its time starts ("31/12/2020, ", "[31/12/2020, "), and the time parts
    # fast headers had ("21:41 - ", "21:41:05] "): a line that starts with that head and one of those
    # clocks is read as _FAST would read it (a match ends at its " - " or "] ", which nothing before it
    # in the pattern can take, so what follows never changes it; the date's parse ends at its ", ").
    head, cut, width, base, start, counts = None, 0, 0, False, 0, {}
    with chat.opener() as binary:
        for number, raw in enumerate(io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline=None), 1):
            clock = clocks.get(raw[cut:cut + width]) if head is not None and raw.startswith(head) else None
            if clock is None:
                match = fast(raw)
                if match is not None:
                    cut, end = match.start(7), match.end()
                    head, start = raw[:cut], match.start(1)
                    date_text = match.group(2)
                    counts = seen.get(date_text)  # (the stamps of that date: see _Messages.seen)
                    if counts is None:
                        counts = seen[date_text] = {}
                    base = days.get(date_text)
                    if base is None:
                        base = days[date_text] = reader.day(*match.group(3, 5, 6))
                    text = raw[cut:end]
                    width = end - cut
                    clock = clocks.get(text)
                    if clock is None:
                        clock = clocks[text] = (match.end(7) - cut, _time_of_day(*match.group(8, 9, 10, 11)))
            if clock is not None:
                # The common shape: a plain text by an author seen before, on a day and at a time read before.
                end = cut + width
                colon = raw.find(": ", end)
                if colon >= 0 and raw[colon + 2:colon + 3] not in _SLOW_TEXT:
                    known = fast_authors.get(raw[end:colon])
                    if known is None:
                        known = reader.fast_author(raw[end:colon])
                    if known:
                        author, sender, others, outgoing, named = known
                        stamp = raw[start:cut + clock[0]]  # what _HEADER's whole match is, stripped of " -[]:"
                        if stamp != last_stamp:
                            delta = clock[1]
                            at = None if base is False or delta is False else base + delta
                            last_stamp = stamp
                        if at is not None:
                            tail = raw[colon + 2:]  # the text and its end of line: the summary's cache key
                            brief = summaries.get(tail)
                            if brief is None:
                                text = tail.rstrip("\n")
                                if text[:1] == " ":
                                    text = text.lstrip("\u200e\u200f ")
                                brief = "" if _is_media(text.strip()) else summary(text)
                                if len(tail) <= 100 and len(summaries) < 10_000:
                                    summaries[tail] = brief
                            counted = (stamp, author)
                            count = counts[counted] = counts.get(counted, 0) + 1
                            # Message(where, source_key, at, channel, sender, recipients, summary, outgoing)
                            yield Message(f"{where_before}{number}{where_after}",
                                          f"{prefix}{stamp}{named}{count}", at, TEXT, sender, others,
                                          brief, outgoing)
                            continue
            found = _header(raw)
            if found is not None:
                yield general(number, *found)


def _time_of_day(hour: str, minute: str, second: str | None, after: str | None) -> timedelta | bool:
    """The time since midnight of a fast-path header; False when it cannot be (read the general way)."""
    h, m, s = int(hour), int(minute), int(second or 0)
    if after:
        if h > 12:
            return False
        h = h % 12 + (12 if after[0] in _PM_AFTER else 0)
    if h > 23 or m > 59 or s > 59:
        return False
    return timedelta(hours=h, minutes=m, seconds=s)


class _Messages:
    """What the second pass knows of one chat, and the general way of making one message."""

    def __init__(self, chat: _Chat, region: str, tz: tzinfo):
        self.region = region
        self.tz = tz
        self.order = chat.order
        self.authors = authors = {a: _address(a, region) for a in chat.stats.authors}
        partner_name = _matching_author(chat) or chat.partner
        if not chat.group and partner_name and partner_name not in authors:
            authors[partner_name] = _address(partner_name, region)
        self.mine = {a for a in authors if name_key(a) in chat.mine}
        self.others_of: dict[str, tuple[Address, ...]] = {}
        self.offsets: dict[tuple[int, int, int], timedelta | bool] = {}
        self.days: dict[str, datetime | bool] = {}  # fast path: a date's local midnight in UTC, False: the general way
        # fast path: a header's time part ("21:41 - ") → (the length of its time, its offset from midnight)
        self.clocks: dict[str, tuple[int, timedelta | bool]] = {}
        self.summaries: dict[str, str] = {}  # short texts come back ("Ok", "<Media omitted>")
        # how many messages each author wrote at each stamp, by the stamp's date (what comes before its
        # first ", "; the date of a fast header): a small dict for the lines of a day, not one for the chat
        self.seen: dict[str, dict[tuple[str, str], int]] = {}
        self.fast_authors: dict[str, tuple] = {}  # the raw text before ": " → what fast_author says
        self.label = chat.label
        self.prefix = key("wa", partner_name or chat.label)[3:15]  # the chat, in every message's key
        where = _("%(file)s line %(line)s") % {"file": chat.label, "line": "\x00"}
        self.where_before, _mark, self.where_after = where.partition("\x00")
        self.cache: dict[str, str | None] = {}
        self.undecided = None if not chat.decided else False
        # The authors the first pass saw are read already (written plainly, each is its own raw text; the
        # partner named by the file only is not: a line could show that name with what makes it no author).
        for author in chat.stats.authors:
            self.cache.setdefault(author, author)

    def fast_author(self, raw: str) -> tuple[str, Address, tuple[Address, ...], bool | None, str] | tuple[()]:
        """(author, sender, the others, outgoing, the author's part of a source key) of the raw text before
        ": " once its author was read the general way (the fast path reads no new author); () until then."""
        author = self.cache.get(raw)
        sender = self.authors.get(author) if author else None
        if sender is None:
            return ()
        others = self.others_of.get(author)
        if others is None:
            others = self.others(author)
        known = self.fast_authors[raw] = (author, sender, others, True if author in self.mine else self.undecided,
                                          f":{author[:60]}:")
        return known

    def others(self, author: str) -> tuple[Address, ...]:
        others = self.others_of[author] = tuple(address for name, address in self.authors.items() if name != author)
        return others

    def _ymd(self, first: str, second: str, third: str) -> tuple[int, int, int]:
        a, b, c = int(first), int(second), int(third)
        if self.order == "ymd" or len(first) == 4:
            year, month, day = a, b, c
        elif self.order == "mdy":
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
        if year < 100:
            year += 2000
        elif year > 2400:
            year -= 543  # a Thai phone writes Buddhist years
        return year, month, day

    def _offset(self, year: int, month: int, day: int) -> timedelta | bool:
        """The zone's offset, looked up once a day; False on a day the clocks change (then once an hour)."""
        offset = self.offsets.get((year, month, day))
        if offset is None:
            midnight = datetime(year, month, day, tzinfo=self.tz)
            offset = midnight.utcoffset()
            if offset != (midnight + _ONE_DAY).utcoffset():
                offset = False
            self.offsets[(year, month, day)] = offset
        return offset

    def day(self, first: str, second: str, third: str) -> datetime | bool:
        """A date's local midnight in UTC for the fast path; False for a day read the general way
        (the clocks change, the date is impossible, or near the limits)."""
        try:
            year, month, day = self._ymd(first, second, third)
            offset = self._offset(year, month, day)
            if offset is False:
                return False
            base = datetime(year, month, day, tzinfo=UTC) - offset
            # (a year inside the limits keeps the day before and the day after it inside them)
            if not (DATE_MIN.year < year < DATE_MAX.year
                    or (in_range(base - timedelta(days=1)) and in_range(base + timedelta(days=2)))):
                return False
        except (ValueError, OverflowError):
            return False
        return base

    def message(self, number: int, match: re.Match, line: str) -> Message | ParseError:
        """One message from a header line, the general way (any layout, every trap)."""
        where = f"{self.where_before}{number}{self.where_after}"
        first, second, third, before, hour, minute, sec, after = match.groups()
        try:
            year, month, day = self._ymd(first, second, third)
            h = int(hour)
            if before or after:
                if h > 12:
                    raise ValueError("hour")
                pm = (before not in _AM) if before else after[0] in _PM_AFTER
                h = h % 12 + (12 if pm else 0)
            offset = self._offset(year, month, day)
            if offset is False:
                offset = datetime(year, month, day, h, tzinfo=self.tz).utcoffset()
            at = datetime(year, month, day, h, int(minute), int(sec or 0), tzinfo=UTC) - offset
        except (ValueError, OverflowError):
            return ParseError(where, _("unreadable date or time %(value)r") % {"value": line[:match.end()].strip()[:40]})
        if not in_range(at):
            return ParseError(where, _("date %(date)s is out of range") % {"date": at.date().isoformat()})
        parts = _author_and_text(line, match.end(), self.cache)
        if parts is None or (parts[1][:1] in "\u200e\u200f" and _is_notice(parts[1])):
            return Message(where=where, source_key=f"wa:{self.prefix}:system:{number}", at=at, channel=TEXT,
                           sender=None, flags=(SYSTEM,))
        author, text = parts
        stripped = text.lstrip("\u200e\u200f ") if text[:1] in "\u200e\u200f " else text
        sender = self.authors.get(author)
        if sender is None:
            sender = self.authors[author] = _address(author, self.region)
        others = self.others_of.get(author)
        if others is None:
            others = self.others(author)
        stamp = match.group(0).strip(" -[]:\u200e")
        counted = (stamp, author)
        counts = self.seen.setdefault(stamp.partition(", ")[0], {})
        count = counts[counted] = counts.get(counted, 0) + 1
        source_key = f"wa:{self.prefix}:{stamp}:{author[:60]}:{count}"
        missed = text[:1] in "\u200e\u200f" and len(stripped) < 60 and bool(_MISSED.search(stripped))
        return Message(
            where=where, source_key=source_key, at=at, channel=CALL if missed else TEXT, sender=sender,
            recipients=others, summary="" if _is_media(stripped.strip()) else summary(stripped),
            outgoing=True if author in self.mine else self.undecided, flags=(MISSED_CALL,) if missed else ())
