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
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

from restons.identities import name_key

Source = str | os.PathLike | BinaryIO

# csv's default field limit (128 KiB) is too small for long LinkedIn messages.
csv.field_size_limit(16 * 1024 * 1024)


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


def iter_text_lines(binary: IO[bytes]) -> Iterator[str]:
    """Decode a binary stream line by line, keeping line endings.

    A UTF-16 BOM means UTF-16; a UTF-8 BOM is dropped. Otherwise each line is
    tried as strict UTF-8; from the first line that is not UTF-8 on, the file
    is read as cp1252 (Outlook and Thunderbird write "ANSI"). Deciding line by
    line keeps the file streamed instead of read whole to sniff it.
    """
    buffered = binary if hasattr(binary, "peek") else io.BufferedReader(binary)  # type: ignore[arg-type]
    head = buffered.peek(4)[:4]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield from io.TextIOWrapper(buffered, encoding="utf-16", errors="replace", newline="")
        return
    first = True
    ansi = False
    for raw in buffered:
        if first:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            first = False
        if not ansi:
            try:
                yield raw.decode("utf-8")
                continue
            except UnicodeDecodeError:
                ansi = True
        yield raw.decode("cp1252", errors="replace")


@functools.lru_cache(maxsize=4096)
def norm_header(cell: str) -> str:
    """A header cell as compared: BOM, quotes and spaces stripped, case folded."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').split()).casefold()


class Header:
    """A header row: finds a column by any of its aliases, case-insensitively."""

    def __init__(self, cells: list[str]):
        self.names = [norm_header(c) for c in cells]
        self.index: dict[str, int] = {}
        for position, name in enumerate(self.names):
            self.index.setdefault(name, position)

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
    """One data row read through its :class:`Header`."""

    def __init__(self, header: Header, cells: list[str], line: int):
        self.header = header
        self.cells = cells
        self.line = line

    def at(self, position: int | None) -> str:
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()

    def get(self, *aliases: str) -> str:
        return self.at(self.header.column(*aliases))

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


def read_table(
    lines: Iterable[str], required: list[tuple[str, ...]], scan: int = 50
) -> tuple[Header | None, Iterator[Row]]:
    """Find the header row, then stream the rows after it.

    ``required`` is a list of alias groups; the header is the first row among
    the first ``scan`` rows that has a column from every group (exports may
    start with a preamble). Returns ``(None, empty)`` when no row qualifies.
    Each :class:`Row` knows the line it starts on.
    """
    reader = csv.reader(lines)
    header: Header | None = None
    consumed = 0
    for cells in reader:
        consumed += 1
        candidate = Header(cells)
        if all(candidate.has(*group) for group in required):
            header = candidate
            break
        if consumed >= scan:
            break
    if header is None:
        return None, iter(())

    def rows() -> Iterator[Row]:
        previous = reader.line_num
        for cells in reader:
            yield Row(header, cells, previous + 1)
            previous = reader.line_num

    return header, rows()


def split_multi(value: str) -> list[str]:
    """Google writes several values in one cell separated by `` ::: ``."""
    return [part.strip() for part in value.split(":::") if part.strip()]


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


def one_line(text: str, limit: int = 140) -> str:
    """HTML stripped, entities decoded, whitespace collapsed, cut at ``limit``."""
    plain = html.unescape(_TAG.sub(" ", text))
    plain = " ".join(plain.split())
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return plain


# --- dates ---------------------------------------------------------------------

NO_YEAR = 2000  # a leap year, so 29 February survives; paired with yearly=True

_ISO_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_NO_YEAR_DATE = re.compile(r"^--(\d{2})-?(\d{2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_SENTINEL_YEARS = {0, 1604}  # Apple writes 1604 for "no year"; some tools write 0000


def parse_day(text: str, *, omit_year: int | None = None, dayfirst: bool = False) -> tuple[date, bool] | None:
    """Parse a birthday-like date; returns ``(date, has_year)`` or None.

    Forms: ``1985-12-10``, ``19851210``, ``1985-12-10T00:00:00Z``, ``--12-10``,
    ``--1210``, Apple's ``1604-04-12`` (year equal to ``omit_year`` or a known
    sentinel means no year), and numeric ``M/D/YYYY`` (``D/M/YYYY`` or
    ``D.M.YYYY`` when ``dayfirst``). ``0/0/00`` (Outlook's empty date) and
    anything else unreadable give None. A date without a year uses year 2000.
    """
    text = text.strip().strip('"')
    if not text:
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
            if len(year_text) == 2:  # Outlook's empty date "0/0/00" fails below on day 0
                year += 1900 if year > date.today().year % 100 else 2000
            return date(year, month, day), True
    except ValueError:
        return None
    return None
