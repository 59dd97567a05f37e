"""Helpers shared by the file parsers: opening, decoding, headers, names, dates.

Everything here is pure (no database) and streams: files are read line by line,
never whole.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import hashlib
import html
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons.identities import name_key
from restons.importers.records import FileRefused, ParseError

Source = str | os.PathLike | BinaryIO

# Reading limits (docs/cli.md, "Reading limits"): a text export never holds a line or a field this
# long (a LinkedIn message is at most a few thousand characters), so a longer one refuses the file as
# soon as the limit is passed, before the rest of the line is read: memory stays bounded by the limit.
# 4 MiB keeps the long notes real address books hold (3 MB ones were seen; they are cut to
# limits.TEXT_MAX when saved). csv's default field limit (128 KiB) is too small for them.
FIELD_MAX = 4 * 1024 * 1024
csv.field_size_limit(FIELD_MAX)
# A physical line longer than this is not a text export (a binary file, a file without line breaks).
LINE_MAX = 4 * 1024 * 1024
_CHUNK = 64 * 1024


def mib(size: int) -> str:
    """A limit in bytes as people read it: "4 MiB" ("4 Mio" in French)."""
    return _("%(size)s MiB") % {"size": f"{size / (1024 * 1024):g}"}


def line_too_long(line: int) -> FileRefused:
    """The refusal of a line over LINE_MAX: where, the limit, and what to do."""
    return FileRefused(
        _("line %(line)s is longer than %(limit)s, the limit for one line of a text export; nothing was "
          "imported. Check that this is the export itself and not another file (a binary file, a file "
          "without line breaks).") % {"line": line, "limit": mib(LINE_MAX)}
    )


def field_too_long(line: int) -> FileRefused:
    """The refusal of a field over FIELD_MAX: where, the limit, and what to do."""
    return FileRefused(
        _("line %(line)s holds a field longer than %(limit)s, the limit for one field; nothing was imported. "
          "Shorten that field (or remove the row) and import the file again.") % {"line": line, "limit": mib(FIELD_MAX)}
    )


def source_name(source: Source) -> str:
    """The file name used in ``where`` strings ("Connections.csv")."""
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return Path(getattr(source, "name", "") or "upload").name


@contextlib.contextmanager
def open_binary(source: Source) -> Iterator[BinaryIO]:
    """Open a path for binary reading, or pass an already open binary file through."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            yield handle
    else:
        yield source


def place(name: str, line: int, field: str = "") -> str:
    """Where a row or a field is, for errors: ``"Connections.csv line 12"``, ``"… line 12, Connected On"``."""
    where = _("%(file)s line %(line)s") % {"file": name, "line": line}
    return f"{where}, {field}" if field else where


def placer(name: str):
    """:func:`place` for file ``name``, its words translated once (not once per line of a large file)."""
    line_format = _("%(file)s line %(line)s")
    # The text around the line number, made once: a vCard import places every address it reads.
    marked = line_format % {"file": name, "line": "\x00"}
    if marked.count("\x00") == 1 and "\x00" not in name:
        before, after = marked.split("\x00")

        def place_in(line: int, field: str = "") -> str:
            return f"{before}{line}{after}, {field}" if field else f"{before}{line}{after}"

        return place_in

    def place_in(line: int, field: str = "") -> str:
        where = line_format % {"file": name, "line": line}
        return f"{where}, {field}" if field else where

    return place_in


class TextLines:
    """The lines of a text file, decoded, streamed, each ending with ``"\\n"``.

    Line endings are universal: CRLF, LF and a lone CR (Excel for Mac) all end
    a line, so the csv module never sees a bare CR. A UTF-16 BOM means UTF-16;
    a UTF-8 BOM is dropped. Otherwise each line is tried as strict UTF-8; from
    the first line that is not UTF-8 on, the file is read as cp1252 (Outlook
    and Thunderbird write "ANSI"). Deciding line by line keeps the file
    streamed instead of read whole to sniff it.

    NUL bytes are removed (a text export never holds one, and PostgreSQL
    refuses them in text); :meth:`problems` reports where, once the lines have
    been read. ``line`` is the number of the last line given.
    """

    def __init__(self, binary: IO[bytes], name: str):
        self.binary = binary
        self.name = name
        self.line = 0
        self.nul_line = 0  # the first line a NUL byte was removed from
        self.nul_count = 0

    def __iter__(self) -> Iterator[str]:
        binary = self.binary
        # Wrappers made here are detached when reading ends (even early), so that collecting
        # them never closes the caller's file: LinkedIn's messages.csv is read twice.
        own_buffer = None if hasattr(binary, "peek") else io.BufferedReader(binary)  # type: ignore[arg-type]
        buffered = own_buffer or binary
        try:
            head = buffered.peek(4)[:4]
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield from self._utf16_lines(buffered)
                return
            yield from self._decoded_lines(buffered)
        finally:
            if own_buffer is not None and not own_buffer.closed:
                own_buffer.detach()

    def _utf16_lines(self, buffered: IO[bytes]) -> Iterator[str]:
        text_stream = io.TextIOWrapper(buffered, encoding="utf-16", errors="replace", newline=None)  # type: ignore[arg-type]
        try:
            while text := text_stream.readline(LINE_MAX + 1):  # never more than the limit in memory
                self.line += 1
                if len(text) > LINE_MAX:
                    raise line_too_long(self.line)
                if "\x00" in text:
                    self._nul(text.count("\x00"))
                    text = text.replace("\x00", "")
                yield text
        finally:
            if not text_stream.closed:
                text_stream.detach()

    def _nul(self, count: int) -> None:
        self.nul_line = self.nul_line or self.line
        self.nul_count += count

    def _decoded_lines(self, stream: IO[bytes]) -> Iterator[str]:
        """The lines of a file that is not UTF-16, decoded, read in chunks.

        The complete lines of a chunk are decoded together (a chunk is valid UTF-8 exactly when each of
        its lines is: lines end at ASCII bytes, never inside a character) and split once; a chunk with a
        NUL byte or a line that is not UTF-8 goes line by line (:meth:`_decoded`), as does the last line
        when the file does not end with a line break.
        """
        pieces: list[bytes] = []  # the start of a line that the chunks read so far have not ended
        size = 0
        after_cr = False
        ansi = False  # from the first line that is not UTF-8 on, cp1252
        while chunk := stream.read(_CHUNK):
            if after_cr and chunk.startswith(b"\n"):  # the LF of a CRLF split across two chunks
                chunk = chunk[1:]
            after_cr = chunk.endswith(b"\r")
            end = max(chunk.rfind(b"\n"), chunk.rfind(b"\r")) + 1  # after the chunk's last line break
            if end:
                block = chunk[:end]
                if pieces:
                    pieces.append(block)
                    block = b"".join(pieces)
                    pieces, size = [], 0
                text = None
                if b"\x00" not in block:
                    try:
                        text = block.decode("cp1252", errors="replace") if ansi else block.decode("utf-8")
                    except UnicodeDecodeError:
                        pass
                if text is None:
                    for raw in block.splitlines():
                        line, ansi = self._decoded(raw + b"\n", ansi)
                        yield line
                else:
                    if not self.line:
                        text = text.removeprefix("\ufeff")  # a UTF-8 BOM (cp1252 is never read from line 1)
                    if "\r" in text:
                        text = text.replace("\r\n", "\n").replace("\r", "\n")
                    lines = text.split("\n")
                    lines.pop()  # "": the block ends with a line break
                    for line in lines:
                        self.line += 1
                        yield line + "\n"
            if end < len(chunk):
                pieces.append(chunk[end:])
                size += len(chunk) - end
                if size > LINE_MAX:
                    raise line_too_long(self.line + 1)
        if pieces:
            line, ansi = self._decoded(b"".join(pieces), ansi)
            yield line

    def _decoded(self, raw: bytes, ansi: bool) -> tuple[str, bool]:
        """One more line (``raw``: its bytes) decoded, and whether the file is read as cp1252 from here on."""
        self.line += 1
        if self.line == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in raw:
            self._nul(raw.count(b"\x00"))
            raw = raw.replace(b"\x00", b"")
        if not ansi:
            try:
                return raw.decode("utf-8"), False
            except UnicodeDecodeError:
                pass
        return raw.decode("cp1252", errors="replace"), True

    def problems(self) -> list[ParseError]:
        """What reading changed in the file: NUL bytes removed (where the first was)."""
        if not self.nul_count:
            return []
        return [ParseError(
            place(self.name, self.nul_line),
            ngettext("A NUL byte (\\0) was removed here; a text export never holds one.",
                     "%(count)s NUL bytes (\\0) were removed, the first here; a text export never holds them.",
                     self.nul_count) % {"count": self.nul_count},
        )]


def iter_text_lines(binary: IO[bytes], name: str = "") -> Iterator[str]:
    """The decoded lines of ``binary`` (see :class:`TextLines`), when nobody needs its report."""
    return iter(TextLines(binary, name or source_name(binary)))


@functools.lru_cache(maxsize=4096)
def norm_header(cell: str) -> str:
    """A header cell as compared: BOM, quotes and spaces stripped, case folded."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').split()).casefold()


HEADER_CELL_MAX = 200  # a longer cell is no column name (and is not cached)


class Header:
    """A header row: finds a column by any of its aliases, case-insensitively."""

    def __init__(self, cells: list[str]):
        self.cells = cells
        self.names = [norm_header(c) if len(c) <= HEADER_CELL_MAX else "" for c in cells]
        self.index: dict[str, int] = {}
        for position, name in enumerate(self.names):
            self.index.setdefault(name, position)
        # "x.csv line 12" in the language of the import, translated once per file, not once per field.
        self.line_format = _("%(file)s line %(line)s")
        self.labels = [c.replace("\ufeff", "").strip().strip('"') for c in cells]

    def has(self, *aliases: str) -> bool:
        return any(norm_header(a) in self.index for a in aliases)

    def column(self, *aliases: str) -> int | None:
        for alias in aliases:
            position = self.index.get(norm_header(alias))
            if position is not None:
                return position
        return None

    def matching(self, pattern: re.Pattern[str]) -> list[int]:
        """Positions of every column whose normalised name matches ``pattern``."""
        return [i for i, name in enumerate(self.names) if pattern.match(name)]


class Row:
    """One data row of file ``name`` read through its :class:`Header`."""

    def __init__(self, header: Header, cells: list[str], line: int, name: str = ""):
        self.header = header
        self.cells = cells
        self.line = line
        self.name = name

    def at(self, position: int | None) -> str:
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()

    def get(self, *aliases: str) -> str:
        return self.at(self.header.column(*aliases))

    def where(self, *aliases: str) -> str:
        """This row, and with ``aliases`` their column as the file spells it: ``"x.csv line 12, Connected On"``."""
        return self.where_at(self.header.column(*aliases) if aliases else None)

    def where_at(self, position: int | None) -> str:
        """This row, and the column at ``position`` (None: the row alone)."""
        where = self.header.line_format % {"file": self.name, "line": self.line}
        return where if position is None else f"{where}, {self.header.labels[position]}"

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


class RowWheres(Mapping):
    """A record's ``wheres`` for one CSV row, each string made only when asked for.

    ``columns`` maps a key (an attribute name) to its column position, shared by every row of a
    file; ``extra`` maps a row's own keys (an identity's raw value) to theirs. Reads as the dict
    ``{key: row.where_at(position)}`` would; most are never read (they name a field only when a
    value is refused or cut), and making 30,000 rows' strings up front was a tenth of an import.
    """

    __slots__ = ("row", "columns", "extra")

    def __init__(self, row: Row, columns: dict[str, int | None], extra: dict[str, int | None] | None = None):
        self.row, self.columns, self.extra = row, columns, extra

    def _position(self, key: str) -> int | None:
        if self.extra and key in self.extra:
            return self.extra[key]
        return self.columns[key]

    def __getitem__(self, key: str) -> str:
        return self.row.where_at(self._position(key))

    def __contains__(self, key: object) -> bool:
        return key in self.columns or bool(self.extra and key in self.extra)

    def __iter__(self) -> Iterator[str]:
        yield from self.columns
        if self.extra:
            yield from (k for k in self.extra if k not in self.columns)

    def __len__(self) -> int:
        return sum(1 for _key in self)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __repr__(self) -> str:
        return repr(dict(self))


def read_table(
    lines: Iterable[str], required: list[tuple[str, ...]], name: str, scan: int = 50
) -> tuple[Header | None, Iterator[Row | ParseError]]:
    """Find the header row, then stream the rows after it.

    ``required`` is a list of alias groups; the header is the first row among
    the first ``scan`` rows that has a column from every group (exports may
    start with a preamble). Returns ``(None, empty)`` when no row qualifies.
    Each :class:`Row` knows the line it starts on; a row the csv module cannot
    read comes as a :class:`ParseError` naming ``name`` and its line, and the
    rows after it are still read. A field over FIELD_MAX refuses the file
    (:class:`FileRefused`) as soon as it is met.
    """
    reader = csv.reader(lines)
    header: Header | None = None
    for _attempt in range(scan):
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "field limit" in str(error):
                raise field_too_long(reader.line_num) from None
            continue  # an unreadable row before the header is not the header
        candidate = Header(cells)
        if all(candidate.has(*group) for group in required):
            header = candidate
            break
    if header is None:
        return None, iter(())

    def rows() -> Iterator[Row | ParseError]:
        previous = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if "field limit" in str(error):
                    raise field_too_long(previous + 1) from None
                why = _("This row is not valid CSV (%(error)s); it was skipped.") % {"error": error}
                yield ParseError(place(name, previous + 1), why)
            else:
                yield Row(header, cells, previous + 1, name)
            previous = reader.line_num

    return header, rows()


def split_multi(value: str) -> list[str]:
    """Google writes several values in one cell separated by `` ::: ``."""
    return [part.strip() for part in value.split(":::") if part.strip()]


PHONE_SCAN = 100  # no phone number is longer; a longer value is refused when saved, and not worth reading whole
_NOT_DIGIT = re.compile(r"[^0-9+]")


def phone_key(value: str) -> str:
    """The digits (and +) of a phone number, to tell the same number written two ways."""
    return _NOT_DIGIT.sub("", value[:PHONE_SCAN])


def dedupe(values: Iterable[str], key=str.casefold) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        value = value.strip()
        k = key(value)
        if value and k not in seen:
            seen.add(k)
            out.append(value)
    return out


# --- names -------------------------------------------------------------------

# Credentials people append to their name on LinkedIn and in address books.
# Matched case-sensitively when they trail without a comma ("Jane Doe MBA"),
# so that a surname such as "Ma" or "Ba" is never taken for one.
_CREDENTIALS = {
    "PhD", "Ph.D.", "Ph.D", "PHD", "MBA", "M.B.A.", "MD", "M.D.", "CPA", "CFA", "PMP", "MSc", "M.Sc.", "MS",
    "M.S.", "MA", "M.A.", "BSc", "B.Sc.", "BA", "B.A.", "JD", "J.D.", "LLM", "LL.M.", "DBA", "EdD", "PsyD",
    "MPH", "MEng", "CISSP", "CISM", "CISA", "CSM", "CSPO", "RN", "PE", "P.E.", "FRM", "ACCA", "CFP", "PHR",
    "SPHR", "SHRM-CP", "SHRM-SCP", "CAPM", "ITIL", "MCP", "MCSE", "CCNA", "CCNP", "PMI-ACP", "PgMP", "CIPD",
    "CIPP", "CIPP/E", "CMA", "CEng", "MIET", "FCA", "ACA", "PharmD", "DDS", "DVM", "MSW", "LCSW", "MFA",
}
_CREDENTIALS_FOLDED = {c.casefold().rstrip(".") for c in _CREDENTIALS}
_KEEP_PUNCTUATION = set("-'.,()’&")
_KEEP_MODIFIERS = {"\u02bb", "\u02bc"}  # ʻokina and modifier apostrophe are parts of names
_PRONOUNS = re.compile(r"\(\s*(?:she|he|they|her|him|them|il|elle|iel)\b[^)]*\)", re.IGNORECASE)


NAME_SCAN = 2_000  # a name is read this far (the database keeps 300 characters)


def _strip_decoration(text: str) -> str:
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LN" and category != "Lm":
            kept.append(char)
        elif char in _KEEP_MODIFIERS:
            kept.append(char)
        elif category[0] == "M":
            # A combining accent stays on its letter; a stray emoji variation selector goes.
            if kept and unicodedata.category(kept[-1])[0] == "L":
                kept.append(char)
        elif category[0] == "Z" or char in "\t\n":
            kept.append(" ")
        elif char in _KEEP_PUNCTUATION:
            kept.append(char)
        else:
            kept.append(" ")  # emoji, symbols, ˗ˏˋ ˎˊ˗ and other decoration
    return "".join(kept)


# Characters that clean_name keeps as they are: letters (not modifier letters), digits, the space.
_PLAIN_CHARS: set[str] = {" "}
_NOT_PLAIN_CHARS: set[str] = set()


def _is_plain(text: str) -> bool:
    """True when ``text`` is NFC and holds only letters (not modifiers), digits and spaces."""
    chars = set(text)
    if not chars <= _PLAIN_CHARS:
        if chars & _NOT_PLAIN_CHARS:
            return False
        for char in chars - _PLAIN_CHARS:
            category = unicodedata.category(char)
            if category[0] in "LN" and category != "Lm":
                _PLAIN_CHARS.add(char)
            else:
                _NOT_PLAIN_CHARS.add(char)
                return False
    return unicodedata.is_normalized("NFC", text)


def _is_credential(token: str, strict_case: bool) -> bool:
    token = token.strip(" ,")
    if strict_case:
        return token in _CREDENTIALS
    return token.casefold().rstrip(".") in _CREDENTIALS_FOLDED


def clean_name(raw: str) -> str:
    """A readable name: decoration, pronouns and trailing credentials removed.

    ``"˗ˏˋ Jane Doe ˎˊ˗"`` → ``"Jane Doe"``, ``"Jane Doe, PhD, MBA"`` →
    ``"Jane Doe"``, ``"🚀 Léa Martin MBA"`` → ``"Léa Martin"``. Generational
    suffixes ("Jr.") are kept. Falls back to the raw text, trimmed, when
    cleaning would leave nothing.
    """
    raw = raw[:NAME_SCAN]
    if _is_plain(raw):  # letters, digits and spaces only (most names): nothing to strip but credentials
        tokens = raw.split()
        while len(tokens) > 1 and tokens[-1] in _CREDENTIALS:
            tokens.pop()
        return " ".join(tokens)
    text = unicodedata.normalize("NFC", raw)
    text = _PRONOUNS.sub(" ", text)
    text = _strip_decoration(text)
    parts = [p.strip() for p in text.split(",")]
    head, tail = parts[0], parts[1:]
    kept_tail = []
    for part in tail:
        tokens = part.split()
        if tokens and all(_is_credential(t, strict_case=False) for t in tokens):
            continue
        if part:
            kept_tail.append(part)
    tokens = head.split()
    while len(tokens) > 1 and _is_credential(tokens[-1], strict_case=True):
        tokens.pop()
    cleaned = ", ".join([" ".join(tokens), *kept_tail])
    cleaned = re.sub(r"\s+,", ",", cleaned)
    cleaned = re.sub(r"\(\s*\)", "", cleaned)
    cleaned = " ".join(cleaned.split()).strip(" -,|&")
    return cleaned or " ".join(raw.split())


def join_name(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


# --- keys, text ----------------------------------------------------------------


def stable_key(prefix: str, name: str, identities: Iterable[str]) -> str:
    """A key that stays the same across re-exports of an unchanged contact."""
    canon = sorted({_canonical_identity(i) for i in identities if i.strip()})
    digest = hashlib.sha256("\n".join([name_key(name), *canon]).encode("utf-8")).hexdigest()[:24]
    return f"{prefix}:{digest}"


def _canonical_identity(value: str) -> str:
    value = value.strip()
    if "@" in value:
        return value.casefold()
    if re.fullmatch(r"(?:tel:)?[+\d\s().\-/]+", value):
        digits = re.sub(r"[^\d+]", "", value.removeprefix("tel:"))
        return digits
    return value.casefold().rstrip("/")


_TAG = re.compile(r"<[^>]*>")
ONE_LINE_SCAN = 20_000  # a summary is found in the first characters of a message, markup included


def one_line(text: str, limit: int = 140) -> str:
    """HTML stripped, entities decoded, whitespace collapsed, cut at ``limit``."""
    plain = html.unescape(_TAG.sub(" ", text[:ONE_LINE_SCAN]))
    plain = " ".join(plain.split())
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return plain


# --- dates ---------------------------------------------------------------------

NO_YEAR = 2000  # a leap year, so 29 February survives; paired with yearly=True

_ISO_DATE = re.compile(r"^([0-9]{4})-?([0-9]{2})-?([0-9]{2})(?:[T ].*)?$")
_NO_YEAR_DATE = re.compile(r"^--([0-9]{2})-?([0-9]{2})$")
_NUMERIC_DATE = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4})$")
_SENTINEL_YEARS = {0, 1604}  # Apple writes 1604 for "no year"; some tools write 0000


class ImpossibleDate(ValueError):
    """Text in a date's form that names no day ("31 Feb 2021", "1985-13-01"); the message says so."""


def parse_day(text: str, *, omit_year: int | None = None, dayfirst: bool = False) -> tuple[date, bool] | None:
    """Parse a birthday-like date; returns ``(date, has_year)`` or None.

    Forms: ``1985-12-10``, ``19851210``, ``1985-12-10T00:00:00Z``, ``--12-10``,
    ``--1210``, Apple's ``1604-04-12`` (year equal to ``omit_year`` or a known
    sentinel means no year), and numeric ``M/D/YYYY`` (``D/M/YYYY`` or
    ``D.M.YYYY`` when ``dayfirst``). ``0/0/00`` (Outlook's empty date) and
    text in no date form ("vers 1980") give None; a date form that names no
    day ("1985-02-30") raises :class:`ImpossibleDate`. A date without a year
    uses year 2000. The range (limits.DATE_MIN..DATE_MAX) is the caller's check.
    """
    text = text.strip().strip('"')
    if not text or text in _EMPTY_DATES:
        return None
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
            if year == omit_year or year in _SENTINEL_YEARS:
                return date(NO_YEAR, month, day), False
            return date(year, month, day), True
        if match := _NO_YEAR_DATE.match(text):
            month, day = (int(g) for g in match.groups())
            return date(NO_YEAR, month, day), False
        if match := _NUMERIC_DATE.match(text):
            first, second, year_text = match.groups()
            day, month = (int(first), int(second)) if dayfirst or "." in text else (int(second), int(first))
            year = int(year_text)
            if len(year_text) == 2:
                year += 1900 if year > date.today().year % 100 else 2000
            return date(year, month, day), True
    except ValueError:
        raise ImpossibleDate(_("%(value)r is not a day of the calendar") % {"value": text[:40]}) from None
    return None


_EMPTY_DATES = {"0/0/00", "0/0/0000", "00.00.00", "00/00/00", "00.00.0000", "0000-00-00"}
