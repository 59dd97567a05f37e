"""vCard 2.1, 3.0 and 4.0 (Apple, Google, Android, Outlook), many cards per file.

A small reader of our own rather than ``vobject``: vobject 0.9.9 raises
UnicodeDecodeError on quoted-printable text that is not UTF-8 (Outlook's
cp1252 vCard 2.1), LookupError on an unknown CHARSET, logs every unreadable
line at ERROR level, decodes photos we would throw away and leaves BDAY as
raw text anyway. Reading (not writing) the handful of properties Restons keeps
is a short job for the standard library.

The file is split into cards on ``BEGIN:VCARD`` / ``END:VCARD`` lines (Apple
may put them in a group: ``item1.BEGIN:VCARD``) and each card is parsed on its
own, so a broken card gives one :class:`ParseError` and the others are still
imported; an unreadable value (a date that names no day, an odd
``X-APPLE-OMIT-YEAR``) skips that value, reported with its line and
property. A file without any card is refused (:class:`FileRefused`). Photos,
logos, sounds and keys are dropped while reading, so big files stay cheap.
"""

from __future__ import annotations

import functools
import hashlib
import quopri
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons.identities import LINKEDIN_RE, InvalidIdentity, normalise_linkedin
from restons.importers.records import ContactRecord, FileRefused, MilestoneRecord, ParseError, Record, Unchanged
from restons.importers.textfiles import (
    FIELD_MAX,
    ImpossibleDate,
    Source,
    TextLines,
    clean_name,
    dedupe,
    join_name,
    mib,
    open_binary,
    parse_day,
    phone_key,
    place,
    placer,
    source_name,
    stable_key,
)

_BINARY_PROPERTIES = {"PHOTO", "LOGO", "SOUND", "KEY"}
_PROPERTY_START = re.compile(r"^(?:[A-Za-z0-9\-]+\.)?([A-Za-z0-9\-]+)[;:]")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_PROPERTY_NAME = re.compile(r"[A-Za-z0-9\-]+")
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
# A line that begins a PHOTO, LOGO, SOUND or KEY (what _PROPERTY_START reads, for those names only).
_BINARY_START = re.compile(r"^(?:[A-Za-z0-9\-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE | re.ASCII)
_MARKER = re.compile(r"^(?:[A-Za-z0-9\-]+\.)?(BEGIN|END)\s*:\s*VCARD$", re.IGNORECASE)


@dataclass(slots=True)
class Property:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str  # decoded text, vCard escapes still in place (see text()/parts())
    line: int = 0  # the line of the file it starts on
    _text: str | None = field(default=None, init=False, repr=False, compare=False)  # text(), once made

    def param(self, key: str) -> list[str]:
        return self.params.get(key, [])

    def types(self) -> set[str]:
        return {t.casefold() for value in self.param("TYPE") for t in value.split(",") if t}

    def text(self) -> str:
        if self._text is not None:
            return self._text
        value = self.value
        if "\\" in value:
            value = _unescape(value)
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        self._text = value
        return value

    def parts(self) -> list[str]:
        return [_unescape(p) for p in _split_unescaped(self.value, ";")]


@dataclass
class Card:
    properties: list[Property] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of lines that could not be read
    # properties by name, made on the first all() (a card is asked for a dozen names)
    _by_name: dict[str, list[Property]] | None = field(default=None, init=False, repr=False, compare=False)
    _indexed: int = field(default=0, init=False, repr=False, compare=False)

    def all(self, name: str) -> list[Property]:
        return list(self.by_name().get(name, ()))

    def by_name(self) -> dict[str, list[Property]]:
        """The card's properties by name, in order (read them, do not change them)."""
        if self._by_name is None or self._indexed != len(self.properties):
            self._by_name = {}
            for prop in self.properties:
                self._by_name.setdefault(prop.name, []).append(prop)
            self._indexed = len(self.properties)
        return self._by_name

    def first(self, name: str) -> Property | None:
        found = self.all(name)
        return found[0] if found else None

    def label(self, group: str) -> str:
        if not group:
            return ""
        for prop in self.properties:
            if prop.group == group and prop.name == "X-ABLABEL":
                text = prop.text().strip()
                match = _APPLE_LABEL.match(text)
                return match.group(1) if match else text
        return ""


# Part of every card's fingerprint: changed whenever a card's lines would give another record.
READER_VERSION = "vcard-1"


def parse(path: Source, *, owner_profile_url: str = "", unchanged: Callable[[str], bool] | None = None) -> Iterator[Record]:
    """Contacts from a ``.vcf`` file; a broken card gives a ParseError and the rest go on.

    Raises :class:`FileRefused` when the file holds no ``BEGIN:VCARD`` at all.

    ``unchanged``: given the fingerprint of a card's lines (:func:`fingerprint`), True when that
    card was saved before exactly so; such a card gives an :class:`Unchanged` instead of being
    parsed. Every record of a card that gave no ParseError carries its ``fingerprint``.
    """
    name = source_name(path)
    cards = 0
    stray: list[int] = []
    place_in = placer(name)
    with open_binary(path) as binary:
        lines = TextLines(binary, name)
        for begin, card_lines, problem in split_cards(lines, stray):
            cards += 1
            where = place_in(begin)
            if problem:
                yield ParseError(where, problem)
                continue
            if unchanged is None:
                yield from card_records(read_card(card_lines), where, name, place_in)
                continue
            printed = fingerprint(card_lines)
            if unchanged(printed):
                yield Unchanged(where)
                continue
            records = list(card_records(read_card(card_lines), where, name, place_in))
            if len(records) == 1 and isinstance(records[0], ContactRecord):
                records[0].fingerprint = printed
            yield from records
        if not cards:
            raise FileRefused(_("no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"))
        if stray:
            yield ParseError(place(name, stray[0]), ngettext(
                "This line is outside any card (not between BEGIN:VCARD and END:VCARD); it was skipped.",
                "%(count)s lines outside any card (not between BEGIN:VCARD and END:VCARD) were skipped, "
                "the first here.", stray[1]) % {"count": stray[1]})
        yield from lines.problems()


def fingerprint(card_lines: list[tuple[int, str]]) -> str:
    """A digest of a card's lines (not of where they are in the file), with the reader's version."""
    text = "\n".join([READER_VERSION, *map(itemgetter(1), card_lines)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def split_cards(lines: Iterable[str], stray: list[int] | None = None) -> Iterator[tuple[int, list[tuple[int, str]], str]]:
    """``(line of BEGIN:VCARD, [(line number, physical line)], problem)`` for each card, streaming.

    Binary properties (PHOTO…) are dropped here, with their continuation lines.
    ``problem`` is a sentence when the card's structure is broken. ``stray``
    becomes ``[first line, count]`` of the non-blank lines outside any card.
    """
    begin = 0
    current: list[tuple[int, str]] | None = None
    in_binary = False
    size = 0  # characters kept of the current card
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        # Only a line that ends with VCARD can be a marker: the others skip the pattern.
        end = line[-5:]
        marker = _MARKER.match(line.strip()) if end.upper() == "VCARD" or (
            end[-1:].isspace() and line.rstrip()[-5:].upper() == "VCARD") else None
        if marker and marker.group(1).upper() == "BEGIN":
            if current is not None:
                yield begin, [], _("This card has no END:VCARD before the next card begins; it was skipped.")
            begin = number
            current, in_binary, size = [], False, 0
            continue
        if current is None:
            if stray is not None and line.strip():
                stray[:] = [stray[0] if stray else number, (stray[1] if stray else 0) + 1]
            continue
        if marker:
            yield begin, current, ""
            current, in_binary = None, False
            continue
        if in_binary:
            # Base64 never holds ":"; a line that starts flush with a property name ends the photo.
            if not line or line[:1] in " \t" or not _PROPERTY_START.match(line):
                continue
            in_binary = False
        if _BINARY_START.match(line):
            in_binary = True
            continue
        size += len(line)
        if size > FIELD_MAX:  # a property folded over many lines is one field: never more than the limit
            raise FileRefused(
                _("line %(line)s: the card that begins at line %(begin)s is longer than %(limit)s without its "
                  "photos, the limit for one card; nothing was imported. Check that this is an address book "
                  "export, or remove that card.") % {"line": number, "begin": begin, "limit": mib(FIELD_MAX)}
            )
        current.append((number, line))
    if current is not None:
        yield begin, [], _("This card ends without END:VCARD (is the file cut short?); it was skipped.")


def read_card(lines: list[tuple[int, str]]) -> Card:
    """Unfold the card's lines (RFC folding and quoted-printable soft breaks) and parse them."""
    card = Card()
    logical: list[tuple[int, str]] = []  # (line number, text)
    start, text = 0, None  # the logical line being unfolded
    for number, line in lines:
        if text is not None and text[-1:] == "=" and _is_soft_broken(text):
            text = text[:-1] + (line.lstrip(" \t") if line[:1] in " \t" else line)
        elif text is not None and line[:1] in " \t":
            text += line[1:]
        elif line.strip():
            if text is not None:
                logical.append((start, text))
            start, text = number, line
    if text is not None:
        logical.append((start, text))
    properties, skipped = card.properties, card.skipped
    for number, text in logical:
        prop = _parse_line(text)
        if prop is None:
            skipped.append((number, text))
        elif prop.name not in _BINARY_PROPERTIES:
            prop.line = number
            properties.append(prop)
    return card


def _is_soft_broken(line: str) -> bool:
    if not line.endswith("="):
        return False
    head, colon, _value = line.partition(":")
    return bool(colon) and line.endswith("=") and "QUOTED-PRINTABLE" in head.upper()


# Property names seen (as written -> upper case, or "" when not a name): a file holds a few dozen.
_NAMES: dict[str, str] = {}
_NAMES_MAX = 1000


def _property_name(written: str) -> str:
    """``written`` in upper case when it is a property name, else ""."""
    known = _NAMES.get(written)
    if known is None:
        known = written.upper() if written and _PROPERTY_NAME.fullmatch(written) else ""
        if len(_NAMES) < _NAMES_MAX:
            _NAMES[written] = known
    return known


# Property heads ("TEL;type=CELL", "item1.EMAIL;type=INTERNET", "FN") read before -> (group, name,
# parameters), or None when the head is no property: a file repeats a few dozen heads on every card.
# Each is a function of the head alone; every Property gets its own copy of the parameters.
_HEADS: dict[str, tuple[str, str, dict[str, list[str]]] | None] = {}
_HEADS_MAX = 2000
_HEAD_CACHED = 200  # longer heads are read each time (and not kept)


def _parse_line(text: str) -> Property | None:
    colon = text.find(":")
    if 0 <= colon <= HEAD_MAX and '"' not in (head := text[:colon]):
        # The head ends at the first colon (no double quotes in it): read once per file, or less.
        read = _HEADS.get(head, False)
        if read is False:
            read = _read_head(head)
            if len(head) <= _HEAD_CACHED and len(_HEADS) < _HEADS_MAX:
                _HEADS[head] = read
        value = text[colon + 1:]
        if read is not None:  # each property gets its own parameters, not the cached ones
            group, upper, params = read
            read = group, upper, {key: values[:] for key, values in params.items()} if params else {}
    else:
        head, value = _split_head(text)
        read = None if head is None else _read_head(head)
    if read is None:
        return None
    group, upper, params = read
    encodings = params.get("ENCODING")
    if encodings and "QUOTED-PRINTABLE" in {e.upper() for e in encodings}:
        value = _decode_qp(value, params.get("CHARSET", ["utf-8"])[0])
    return Property(group, upper, params, value)


def _read_head(head: str) -> tuple[str, str, dict[str, list[str]]] | None:
    """(group, name in upper case, parameters) of a property's head (what comes before its value), or
    None when it names no property."""
    if ";" not in head and '"' not in head and "\\" not in head:
        # The common case, a property without parameters ("FN:Ana Lopez"), without the general walk.
        group, _dot, written = head.strip().rpartition(".")
        name = _property_name(written)
        return (group, name, {}) if name else None
    pieces = _split_unescaped(head, ";", quotes=True)
    full_name = pieces[0].strip()
    group, _dot, prop_name = full_name.rpartition(".")
    upper = _property_name(prop_name)
    if not upper:
        return None
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, equals, raw = piece.partition("=")
        if not equals:  # vCard 2.1 bare parameter: TEL;CELL;PREF or ;QUOTED-PRINTABLE
            bare = key.strip().upper()
            params.setdefault("ENCODING" if bare in _BARE_ENCODINGS else "TYPE", []).append(bare)
            continue
        values = params.setdefault(key.strip().upper(), [])
        if "," not in raw and '"' not in raw and "\\" not in raw:  # one plain value: "type=pref"
            if one := raw.strip():
                values.append(one)
            continue
        values.extend(v for v in (v.strip().strip('"') for v in _split_unescaped(raw, ",", quotes=True)) if v)
    return group, upper, params


HEAD_MAX = 4096  # a property name with its parameters; a longer "head" is no property


def _split_head(text: str) -> tuple[str | None, str]:
    """Split ``name;params:value`` at the first colon outside double quotes (None: no such colon)."""
    colon = text.find(":")
    if colon < 0 or colon > HEAD_MAX:
        return None, ""
    if '"' not in text[:colon]:
        return text[:colon], text[colon + 1 :]
    quoted = False
    for position, char in enumerate(text[: HEAD_MAX + 1]):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return text[:position], text[position + 1 :]
    return None, ""


def _decode_qp(value: str, charset: str) -> str:
    data = quopri.decodestring(value.encode("utf-8"))
    for encoding in (charset, "utf-8"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _split_unescaped(text: str, separator: str, quotes: bool = False) -> list[str]:
    """``text`` split at each ``separator`` that no backslash escapes (nor, with ``quotes``, double quotes).

    Escapes stay in the parts (``\\,`` is still two characters); see :func:`_unescape`.
    """
    if "\\" not in text and not (quotes and '"' in text):
        return text.split(separator)  # the common case, without a walk character by character
    if not quotes:
        parts, current = [], []
        for token in _tokens(separator).findall(text):  # escapes, runs of plain text, separators
            if token == separator:
                parts.append("".join(current))
                current = []
            else:
                current.append(token)
        parts.append("".join(current))
        return parts
    parts, current, escaped, quoted = [], [], False, False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
            current.append(char)
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


@functools.lru_cache(maxsize=4)
def _tokens(separator: str) -> re.Pattern[str]:
    sep = re.escape(separator)
    return re.compile(rf"\\.?|[^\\{sep}]+|{sep}", re.S)


_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


# --- card → record -------------------------------------------------------------------


def card_records(card: Card, where: str, file_name: str, place_in=None) -> Iterator[Record]:
    """The ContactRecord of one card (``where`` it begins in ``file_name``), or a ParseError;
    plus a ParseError per unreadable line or value. ``place_in``: :func:`placer` of ``file_name``."""
    place_in = place_in or placer(file_name)

    def at(prop: Property) -> str:
        return place_in(prop.line, prop.name)

    for number, line in card.skipped:
        yield ParseError(
            place_in(number),
            _("The line %(line)r could not be read (no colon) and was skipped; the rest of the card was kept.")
            % {"line": line[:60]},
        )
    props = card.by_name()
    none: list[Property] = []

    def every(name: str) -> list[Property]:
        return props.get(name, none)

    def first(name: str) -> Property | None:
        found = props.get(name)
        return found[0] if found else None

    wheres: dict[str, str] = {}
    for prop in every("EMAIL") + every("TEL") + every("URL") + every("X-SOCIALPROFILE"):
        wheres.setdefault(prop.text().strip().removeprefix("mailto:").removeprefix("tel:"), at(prop))

    emails = dedupe(p.text().strip().removeprefix("mailto:") for p in every("EMAIL"))
    phones = dedupe((p.text().strip().removeprefix("tel:") for p in every("TEL")), key=phone_key)
    linkedin, websites = "", []
    for prop in every("URL") + every("X-SOCIALPROFILE"):
        url = prop.text().strip()
        if not url:
            continue
        if LINKEDIN_RE.match(url):
            try:
                if not linkedin:
                    linkedin = normalise_linkedin(url)
                    wheres[linkedin] = at(prop)
                continue
            except InvalidIdentity:
                pass
        if prop.name == "URL":
            websites.append(url)
    websites = dedupe(websites)

    organisations: list[tuple[str, str]] = []
    org = first("ORG")
    titles = [p.text().strip() for p in every("TITLE") if p.text().strip()]
    notes: list[str] = []
    if org:
        parts = [p.strip() for p in org.parts()]
        company = parts[0] if parts else ""
        department = ", ".join(p for p in parts[1:] if p)
        title = titles[0] if titles else ""
        if department:
            title = f"{title} ({department})" if title else department
        if company or title:
            organisations.append((company, title))
    elif titles:
        notes.append(f"Title: {titles[0]}")

    name = _card_name(card)
    if not name:
        name = organisations[0][0] if organisations and organisations[0][0] else (emails[0] if emails else "")
    if not name:
        yield ParseError(where, _("This card has no name (FN or N), organisation or email; it was skipped."))
        return

    milestones: list[MilestoneRecord] = []
    for prop, title in [(p, "Birthday") for p in every("BDAY")] + [
        (p, "Anniversary") for p in every("ANNIVERSARY")
    ] + [(p, card.label(p.group) or "Date") for p in every("X-ABDATE")]:
        omit = prop.param("X-APPLE-OMIT-YEAR")
        if omit and not (omit[0].isascii() and omit[0].isdigit()):
            yield ParseError(at(prop), _("X-APPLE-OMIT-YEAR=%(value)r is not a year; this date was left out.")
                             % {"value": omit[0][:20]})
            continue
        try:
            parsed = parse_day(prop.text(), omit_year=int(omit[0]) if omit else None)
        except ImpossibleDate as error:
            yield ParseError(at(prop), _("%(why)s; this date was left out.") % {"why": error})
            continue
        if parsed:
            milestones.append(MilestoneRecord(title, parsed[0], yearly=True, where=at(prop)))
        elif prop.text().strip():
            notes.append(f"{title}: {prop.text().strip()}")

    for prop in every("NOTE"):
        if prop.text().strip():
            notes.append(prop.text().strip())
            wheres.setdefault("notes", at(prop))
    for prop in every("X-ABRELATEDNAMES") + every("RELATED"):
        value = prop.text().strip()
        if not value:
            continue
        label = card.label(prop.group) or ", ".join(sorted(prop.types()))
        label = label[:1].upper() + label[1:]
        notes.append(f"Related: {label}: {value}" if label else f"Related: {value}")

    uid = first("UID")
    key = uid.text().strip() if uid and uid.text().strip() else ""
    if not key:
        key = stable_key("vcard", name, [*emails, *phones, linkedin])
    yield ContactRecord(
        where=where,
        source_key=key,
        name=name,
        emails=emails,
        phones=phones,
        linkedin=linkedin,
        websites=websites,
        organisations=organisations,
        notes="\n".join(notes),
        milestones=milestones,
        wheres={"name": where, "notes": where, **wheres},
    )


def _card_name(card: Card) -> str:
    formatted = card.first("FN")
    if formatted and formatted.text().strip():
        return clean_name(formatted.text())
    structured = card.first("N")
    if structured:
        parts = structured.parts() + [""] * 5
        family, given, additional, _prefix, suffix = (p.strip() for p in parts[:5])
        name = join_name(given, additional, family, suffix)  # "Dr." and the like stay out of the name
        if name:
            return clean_name(name)
    nickname = card.first("NICKNAME")
    if nickname and nickname.text().strip():
        return clean_name(nickname.text())
    return ""


