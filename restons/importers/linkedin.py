"""LinkedIn data export: ``Connections.csv`` alone, or the whole export zip.

From the zip: ``Connections.csv`` gives contacts, ``messages.csv`` and
``Invitations.csv`` give interactions. The zip is treated as hostile: paths
that escape it, oversized members and absurd compression ratios refuse the
whole archive with :class:`UnsafeArchive`; nothing is extracted to disk.

Direction of a message: ``out`` when its sender is the owner, ``in`` otherwise.
The owner's profile URL is, in order: the ``owner_profile_url`` option, a
LinkedIn URL in the zip's ``Profile.csv``, the inviter of OUTGOING / invitee of
INCOMING rows in ``Invitations.csv``, and finally the sender URL that appears
in every conversation of ``messages.csv``. Without any of these (old exports
have no URL columns), a message in the ``SENT`` folder is ``out``.
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from restons.identities import InvalidIdentity, name_key, normalise_email, normalise_linkedin
from restons.importers.records import ContactRecord, FileRefused, InteractionRecord, ParseError, Record
from restons.importers.textfiles import (
    RowWheres,
    Source,
    TextLines,
    clean_name,
    join_name,
    one_line,
    open_binary,
    read_table,
    source_name,
)

CHANNEL = "linkedin"
MAX_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 200
RATIO_CHECK_ABOVE = 1024 * 1024
# A LinkedIn export holds one Connections.csv, messages.csv, Invitations.csv and Profile.csv; more copies
# of one than this refuse the archive, so that the members actually read (each possibly twice) stay few.
MAX_COPIES = 3
_READ = ("profile.csv", "connections.csv", "messages.csv", "invitations.csv")

# Column aliases. English is what every export seen so far uses; the French
# ones are a defensive guess (formats.md §1).
FIRST = ("First Name", "Prénom")
LAST = ("Last Name", "Nom")
URL = ("URL",)
EMAIL = ("Email Address", "E-mail Address", "Adresse e-mail")
COMPANY = ("Company", "Entreprise")
POSITION = ("Position", "Poste")
CONNECTED = ("Connected On", "Date de connexion")

_EN_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_FR_MONTHS = "janv févr mars avr mai juin juil août sept oct nov déc".split()
_MONTHS = {
    **{m: i for i, m in enumerate(_EN_MONTHS, 1)},
    **{m: i for i, m in enumerate(_FR_MONTHS, 1)},
}


class UnsafeArchive(FileRefused):
    """The zip was refused: a member escapes it, or it is too big to be honest."""


# What a damaged archive raises while it is opened or read: a bad header or CRC, corrupt deflate
# (zlib), bzip2 (OSError) or lzma data, a member cut short (EOFError), sizes or offsets that lie
# (struct, overflow, seek errors), an encrypted member (RuntimeError), an unknown method.
_DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError,
            NotImplementedError, struct.error, OverflowError, ValueError)


def parse(
    path: Source, *, owner_profile_url: str = "", max_bytes: int = MAX_BYTES
) -> Iterator[Record]:
    """Records from a LinkedIn ``Connections.csv``, ``messages.csv``, ``Invitations.csv`` or export zip.

    Raises :class:`FileRefused` when the file is not one of those (or the zip
    is damaged), and :class:`UnsafeArchive` before yielding anything when the
    zip is unsafe.
    """
    owner = _normalise_url(owner_profile_url)
    if _is_zip(path):
        yield from _parse_zip(path, owner, max_bytes)
        return
    name = source_name(path)
    parser = _PARSERS.get(name.casefold(), parse_connections)
    if parser is parse_messages and not owner:
        owner = _owner_from_messages(lambda: _reopen_lines(path, name), name)
    with open_binary(path) as binary:
        lines = TextLines(binary, name)
        if parser is parse_messages:
            yield from parse_messages(lines, name, owner)
        else:
            yield from parser(lines, name)
        yield from lines.problems()


def _reopen_lines(path: Source, name: str) -> Iterator[str]:
    with open_binary(path) as binary:
        if hasattr(binary, "seek"):
            binary.seek(0)
        yield from TextLines(binary, name)
        if hasattr(binary, "seek"):
            binary.seek(0)


def _is_zip(path: Source) -> bool:
    if str(getattr(path, "name", path)).casefold().endswith(".zip"):
        return True
    with open_binary(path) as binary:
        position = binary.tell() if hasattr(binary, "tell") else 0
        magic = binary.read(4)
        if hasattr(binary, "seek"):
            binary.seek(position)
    return magic == b"PK\x03\x04"


# --- the zip ---------------------------------------------------------------------


def check_archive(archive: zipfile.ZipFile, max_bytes: int = MAX_BYTES) -> None:
    """Raise :class:`UnsafeArchive` unless every member is safe to read."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnsafeArchive(
            _("The archive holds %(count)s files, more than a LinkedIn export has; it was refused.")
            % {"count": len(members)}
        )
    total = compressed = 0
    copies: Counter[str] = Counter()
    for member in members:
        name = member.filename
        parts = re.split(r"[\\/]", name)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise UnsafeArchive(
                _("The archive member %(name)s points outside the archive; the archive was refused.")
                % {"name": name}
            )
        if member.file_size > max_bytes:
            raise UnsafeArchive(
                _("The archive member %(name)s would unpack to %(size)s bytes, over the %(limit)s limit.")
                % {"name": name, "size": member.file_size, "limit": max_bytes}
            )
        total += member.file_size
        compressed += member.compress_size
        if not member.is_dir() and (kind := _member_name(member).casefold()) in _READ:
            copies[kind] += 1
            if copies[kind] > MAX_COPIES:
                raise UnsafeArchive(
                    _("The archive holds more than %(count)s files named %(name)s; a LinkedIn export holds one. "
                      "It was refused: import the export as LinkedIn made it.")
                    % {"count": MAX_COPIES, "name": _member_name(member)}
                )
        if total > max_bytes:
            raise UnsafeArchive(
                _("The archive would unpack to more than %(limit)s bytes; it was refused.") % {"limit": max_bytes}
            )
        if member.file_size > RATIO_CHECK_ABOVE and (
            member.compress_size == 0 or member.file_size / member.compress_size > MAX_RATIO
        ):
            raise UnsafeArchive(
                _("The archive member %(name)s is compressed more than %(ratio)s to 1, like a zip bomb.")
                % {"name": name, "ratio": MAX_RATIO}
            )
    if total > RATIO_CHECK_ABOVE and (compressed == 0 or total / compressed > MAX_RATIO):
        raise UnsafeArchive(
            _("The archive is compressed more than %(ratio)s to 1 as a whole, like a zip bomb; it was refused.")
            % {"ratio": MAX_RATIO}
        )


def _member_name(member: zipfile.ZipInfo) -> str:
    return PurePosixPath(member.filename.replace("\\", "/")).name


def _parse_zip(path: Source, owner: str, max_bytes: int) -> Iterator[Record]:
    """Records of every Connections.csv, messages.csv and Invitations.csv in the archive.

    A damaged archive or member (bad CRC, corrupt deflate data, a size that
    lies, a member cut short) refuses the whole import: its rows are part of
    one export, and importing the half before the damage would hide it.
    """
    reading = ""  # the member being read, named in the refusal when it is damaged
    try:
        with open_binary(path) as binary, zipfile.ZipFile(binary) as archive:
            check_archive(archive, max_bytes)
            found: dict[str, list[zipfile.ZipInfo]] = {}
            for member in archive.infolist():
                if not member.is_dir():
                    found.setdefault(_member_name(member).casefold(), []).append(member)

            def lines_of(member: zipfile.ZipInfo) -> Callable[[], Iterator[str]]:
                def opener() -> Iterator[str]:
                    nonlocal reading
                    reading = member.filename
                    with archive.open(member) as stream:
                        yield from TextLines(stream, _member_name(member))

                return opener

            if not owner:
                owner = _owner_from_profile([lines_of(m) for m in found.get("profile.csv", [])])
            if not owner:
                owner = _owner_from_invitations([lines_of(m) for m in found.get("invitations.csv", [])])
            if not owner:
                for member in found.get("messages.csv", []):
                    owner = _owner_from_messages(lines_of(member), _member_name(member))
                    if owner:
                        break
            if not any(k in found for k in _PARSERS):
                raise FileRefused(
                    _("it holds no Connections.csv, messages.csv or Invitations.csv; "
                      "expected LinkedIn's data export (Settings → Data privacy → Get a copy of your data)")
                )
            for key, parser in _PARSERS.items():
                for member in found.get(key, []):
                    reading = member.filename
                    with archive.open(member) as stream:
                        lines = TextLines(stream, _member_name(member))
                        try:
                            if parser is parse_messages:
                                yield from parse_messages(lines, lines.name, owner)
                            else:
                                yield from parser(lines, lines.name)
                        except FileRefused as refusal:
                            raise FileRefused(f"{member.filename}: {refusal}") from None
                        yield from lines.problems()
                    reading = ""
    except FileRefused:
        raise
    except _DAMAGED as error:
        if reading:
            raise FileRefused(
                _("the archive member %(member)s is damaged (%(error)s); nothing was imported. "
                  "Download the export again.") % {"member": reading, "error": _short(error)}
            ) from None
        raise FileRefused(
            _("it could not be read as a zip archive (%(error)s); expected LinkedIn's data export .zip")
            % {"error": _short(error)}
        ) from None


def _short(error: BaseException) -> str:
    """An exception as a short phrase on one line (zip and zlib messages can hold anything)."""
    text = " ".join(str(error).split())[:120] or type(error).__name__
    return text


# --- Connections.csv ---------------------------------------------------------------


def parse_connections(lines: Iterable[str], name: str) -> Iterator[Record]:
    """Contacts from ``Connections.csv`` (with or without the preamble and URL column).

    Raises :class:`FileRefused` when no header row has First Name and Last Name.
    """
    header, rows = read_table(lines, [FIRST, LAST], name)
    if header is None:
        raise FileRefused(
            _("no header row with First Name and Last Name in its first lines; expected LinkedIn's Connections.csv")
        )
    # Column positions, found once per file (not once per field of every row).
    first_at, last_at, url_at, email_at = (header.column(*c) for c in (FIRST, LAST, URL, EMAIL))
    company_at, position_at, connected_at = (header.column(*c) for c in (COMPANY, POSITION, CONNECTED))
    columns = {"connected_on": connected_at, "name": first_at, "organisations": company_at, "title": position_at}
    dates: dict[str, date | None] = {}  # the text of a Connected On cell -> its day (a few thousand distinct)
    for row in rows:
        if isinstance(row, ParseError):
            yield row
            continue
        if row.is_blank():
            continue
        at = row.at
        if len(row.cells) < 2:
            yield ParseError(row.where(), _("This row has one column where the header has %(count)s; it was skipped.")
                             % {"count": len(header.names)})
            continue
        raw_name = join_name(at(first_at), at(last_at))
        url = _normalise_url(at(url_at))
        email = at(email_at)
        if not raw_name:
            if url or email:
                yield ParseError(
                    row.where(), _("This connection has no name; add one in LinkedIn or skip it.")
                )
            continue
        person = clean_name(raw_name)
        organisations = []
        company, position = at(company_at), at(position_at)
        if company or position:
            organisations.append((company, position))
        if url:
            key = url
        elif email:
            key = _email_key(email)
        else:
            key = f"name:{name_key(person)}"
        connected = at(connected_at)
        connected_on = dates.get(connected, False)
        if connected_on is False:
            try:
                connected_on = dates[connected] = parse_connected_on(connected)
            except ValueError as error:
                connected_on = None
                yield ParseError(row.where_at(connected_at),
                                 _("%(why)s; the connection date was left out.") % {"why": error})
        extra = None
        if url or email:
            extra = {url: url_at} if url else {}
            if email:
                extra[email] = email_at
        yield ContactRecord(
            where=row.where(),
            source_key=key,
            name=person,
            emails=[email] if email else [],
            linkedin=url,
            organisations=organisations,
            connected_on=connected_on,
            wheres=RowWheres(row, columns, extra),
        )


def parse_connected_on(text: str) -> date | None:
    """``12 Jan 2020`` (also ``12 janv. 2023``, ``2020-01-12``) → date; None when blank.

    Raises ValueError, with a message saying why, for anything else.
    """
    text = text.strip()
    if not text:
        return None
    if match := re.fullmatch(r"([0-9]{1,2})\s+([^\W\d_]+)\.?\s+([0-9]{4})", text):
        month = _MONTHS.get(match.group(2).casefold().rstrip("."))
        if month:
            try:
                return date(int(match.group(3)), month, int(match.group(1)))
            except ValueError:
                raise ValueError(_("%(value)r is not a day of the calendar") % {"value": text[:40]}) from None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("%(value)r is not a day of the calendar") % {"value": text[:40]}) from None
    raise ValueError(_("%(value)r is not a date like 12 Jan 2020") % {"value": text[:40]})


# --- messages.csv ------------------------------------------------------------------

M_CONVERSATION = ("CONVERSATION ID",)
M_FROM = ("FROM",)
M_SENDER_URL = ("SENDER PROFILE URL",)
M_TO = ("TO",)
M_RECIPIENT_URLS = ("RECIPIENT PROFILE URLS",)
M_DATE = ("DATE",)
M_SUBJECT = ("SUBJECT",)
M_CONTENT = ("CONTENT",)
M_FOLDER = ("FOLDER",)
M_DRAFT = ("IS MESSAGE DRAFT",)
_YES = {"yes", "true", "1", "oui"}


def parse_messages(lines: Iterable[str], name: str, owner: str = "") -> Iterator[Record]:
    """Interactions from ``messages.csv``: one per message and other person.

    An incoming message gives one record for its sender; an outgoing one gives
    one record per recipient. Drafts and the SPAM folder are skipped. Raises
    :class:`FileRefused` when no header row has FROM, DATE and CONTENT.
    """
    header, rows = read_table(lines, [M_FROM, M_DATE, M_CONTENT], name)
    if header is None:
        raise FileRefused(
            _("no header row with FROM, DATE and CONTENT in its first lines; expected LinkedIn's messages.csv")
        )
    for row in rows:
        if isinstance(row, ParseError):
            yield row
            continue
        where = row.where()
        if row.is_blank():
            continue
        folder = row.get(*M_FOLDER).upper()
        if row.get(*M_DRAFT).casefold() in _YES or folder in {"DRAFT", "DRAFTS", "SPAM"}:
            continue
        at = parse_message_date(row.get(*M_DATE))
        if at is None:
            yield ParseError(
                row.where(*M_DATE),
                _("The date %(value)r is not like 2023-05-01 14:22:10 UTC; this message was skipped.")
                % {"value": row.get(*M_DATE)[:40]},
            )
            continue
        wheres = {"at": row.where(*M_DATE), "summary": row.where(*M_CONTENT)}
        conversation = row.get(*M_CONVERSATION)
        sender_url = _normalise_url(row.get(*M_SENDER_URL))
        sender = clean_name(row.get(*M_FROM)) if row.get(*M_FROM) else ""
        subject = one_line(row.get(*M_SUBJECT))
        summary = subject or one_line(row.get(*M_CONTENT))
        if owner and sender_url:
            outgoing = sender_url == owner
        else:
            outgoing = folder == "SENT"

        if not outgoing:
            if not (sender_url or sender):
                yield ParseError(where, _("This message has no sender name or profile URL; it was skipped."))
                continue
            yield InteractionRecord(
                where=where,
                source_key=f"{conversation}:{at.isoformat()}:{sender_url or 'name:' + name_key(sender)}",
                at=at,
                direction="in",
                channel=CHANNEL,
                name=sender,
                identities=[("linkedin", sender_url)] if sender_url else [],
                summary=summary,
                wheres={**wheres, **({sender_url: row.where(*M_SENDER_URL)} if sender_url else {})},
            )
            continue

        recipients = _recipients(row.get(*M_TO), row.get(*M_RECIPIENT_URLS), owner)
        if not recipients:
            yield ParseError(where, _("This sent message has no recipient name or profile URL; it was skipped."))
            continue
        for person, url in recipients:
            yield InteractionRecord(
                where=where,
                source_key=f"{conversation}:{at.isoformat()}:{url or 'name:' + name_key(person)}",
                at=at,
                direction="out",
                channel=CHANNEL,
                name=person,
                identities=[("linkedin", url)] if url else [],
                summary=summary,
                wheres={**wheres, **({url: row.where(*M_RECIPIENT_URLS)} if url else {})},
            )


def _recipients(names_cell: str, urls_cell: str, owner: str) -> list[tuple[str, str]]:
    """(name, url) for each recipient; names are paired with URLs when the counts agree."""
    urls = [u for u in (_normalise_url(part) for part in urls_cell.split(",")) if u]
    names = [clean_name(n) for n in names_cell.split(",") if n.strip()]
    if not urls:
        return [(clean_name(names_cell), "")] if names_cell.strip() else []
    if len(names) != len(urls):
        names = [clean_name(names_cell)] if len(urls) == 1 and names_cell.strip() else [""] * len(urls)
    pairs = [(n, u) for n, u in zip(names, urls, strict=True) if u != owner]
    return list(dict.fromkeys(pairs))


def parse_message_date(text: str) -> datetime | None:
    """``2023-05-01 14:22:10 UTC`` → aware UTC datetime, else None."""
    text = text.strip()
    plain = text.removesuffix("UTC").strip()
    try:
        at = datetime.strptime(plain, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        try:
            at = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    try:
        return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-01:00 is after the last datetime in UTC
        return None


# --- Invitations.csv --------------------------------------------------------------

I_FROM = ("From",)
I_TO = ("To",)
I_SENT_AT = ("Sent At",)
I_MESSAGE = ("Message",)
I_DIRECTION = ("Direction",)
I_INVITER = ("inviterProfileUrl",)
I_INVITEE = ("inviteeProfileUrl",)

_US_DATETIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$"
)


def parse_invitations(lines: Iterable[str], name: str) -> Iterator[Record]:
    """Interactions from ``Invitations.csv``: one per invitation sent or received.

    Raises :class:`FileRefused` when no header row has Sent At and Direction.
    """
    header, rows = read_table(lines, [I_SENT_AT, I_DIRECTION], name)
    if header is None:
        raise FileRefused(
            _("no header row with Sent At and Direction in its first lines; expected LinkedIn's Invitations.csv")
        )
    for row in rows:
        if isinstance(row, ParseError):
            yield row
            continue
        where = row.where()
        if row.is_blank():
            continue
        direction = row.get(*I_DIRECTION).upper()
        if direction == "OUTGOING":
            person, url, way = row.get(*I_TO), _normalise_url(row.get(*I_INVITEE)), "out"
        elif direction == "INCOMING":
            person, url, way = row.get(*I_FROM), _normalise_url(row.get(*I_INVITER)), "in"
        else:
            yield ParseError(
                row.where(*I_DIRECTION),
                _("The direction %(value)r is neither INCOMING nor OUTGOING; this invitation was skipped.")
                % {"value": row.get(*I_DIRECTION)[:40]},
            )
            continue
        at = parse_us_datetime(row.get(*I_SENT_AT))
        if at is None:
            yield ParseError(
                row.where(*I_SENT_AT),
                _("The date %(value)r is not like 7/8/26, 3:43 PM; this invitation was skipped.")
                % {"value": row.get(*I_SENT_AT)[:40]},
            )
            continue
        person = clean_name(person) if person else ""
        if not (person or url):
            yield ParseError(where, _("This invitation names nobody; it was skipped."))
            continue
        message = one_line(row.get(*I_MESSAGE), limit=120)
        yield InteractionRecord(
            where=where,
            source_key=f"invitation:{way}:{at.isoformat()}:{url or 'name:' + name_key(person)}",
            at=at,
            direction=way,
            channel=CHANNEL,
            name=person,
            identities=[("linkedin", url)] if url else [],
            summary=f"Invitation: {message}" if message else "Invitation",
            wheres={"at": row.where(*I_SENT_AT),
                    **({url: row.where(*(I_INVITEE if way == 'out' else I_INVITER))} if url else {})},
        )


def parse_us_datetime(text: str) -> datetime | None:
    """``7/8/26, 3:43 PM`` (US month/day/year) → aware datetime, taken as UTC."""
    match = _US_DATETIME.match(text.strip())
    if not match:
        return None
    month, day, year, hour, minute, second = (int(g) if g else 0 for g in match.groups()[:6])
    if year < 100:
        year += 2000
    meridiem = (match.group(7) or "").upper()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "PM" else 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


# --- who is the owner ----------------------------------------------------------------


def _owner_from_profile(openers: list[Callable[[], Iterator[str]]]) -> str:
    for opener in openers:
        header, rows = read_table(opener(), [FIRST, LAST], "Profile.csv")
        if header is None:
            continue
        for row in rows:
            if isinstance(row, ParseError):
                continue
            for cell in row.cells:
                if url := _normalise_url(cell):
                    return url
            break
    return ""


def _owner_from_invitations(openers: list[Callable[[], Iterator[str]]]) -> str:
    votes: Counter[str] = Counter()
    for opener in openers:
        header, rows = read_table(opener(), [I_SENT_AT, I_DIRECTION], "Invitations.csv")
        if header is None:
            continue
        for row in rows:
            if isinstance(row, ParseError):
                continue
            direction = row.get(*I_DIRECTION).upper()
            column = {"OUTGOING": I_INVITER, "INCOMING": I_INVITEE}.get(direction)
            url = _normalise_url(row.get(*column)) if column else ""
            if url:
                votes[url] += 1
    return votes.most_common(1)[0][0] if votes else ""


def _owner_from_messages(opener: Callable[[], Iterator[str]], name: str) -> str:
    """The sender URL present in every conversation (ties: the one most often in SENT)."""
    header, rows = read_table(opener(), [M_FROM, M_DATE, M_CONTENT], name)
    if header is None or header.column(*M_SENDER_URL) is None:
        return ""
    conversations: dict[str, set[str]] = {}
    senders: Counter[str] = Counter()
    in_sent: Counter[str] = Counter()
    for row in rows:
        if isinstance(row, ParseError) or row.is_blank():
            continue
        sender = _normalise_url(row.get(*M_SENDER_URL))
        people = conversations.setdefault(row.get(*M_CONVERSATION), set())
        people.update(u for u in (_normalise_url(p) for p in row.get(*M_RECIPIENT_URLS).split(",")) if u)
        if sender:
            people.add(sender)
            senders[sender] += 1
            if row.get(*M_FOLDER).upper() == "SENT":
                in_sent[sender] += 1
    if not conversations:
        return ""
    everywhere = [s for s in senders if all(s in people for people in conversations.values())]
    if len(everywhere) == 1:
        return everywhere[0]
    ranked = sorted(everywhere, key=lambda s: in_sent[s], reverse=True)
    if ranked and in_sent[ranked[0]] and (len(ranked) == 1 or in_sent[ranked[0]] > in_sent[ranked[1]]):
        return ranked[0]
    return ""


# --- small helpers -----------------------------------------------------------------


def _normalise_url(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalise_linkedin(raw)
    except InvalidIdentity:
        return ""


def _email_key(raw: str) -> str:
    try:
        return normalise_email(raw)
    except InvalidIdentity:
        return raw.strip().casefold()


_PARSERS: dict[str, Callable[..., Iterator[Record]]] = {
    "connections.csv": parse_connections,
    "messages.csv": parse_messages,
    "invitations.csv": parse_invitations,
}

__all__ = ["UnsafeArchive", "check_archive", "parse", "parse_connections", "parse_invitations", "parse_messages"]
