"""macOS Messages' ``chat.db`` (iMessage, SMS and RCS through the Mac) → messages.

The database is opened read-only and immutable (``file:…?mode=ro&immutable=1``):
nothing is written, no journal or lock file is made beside it, and nothing is
copied. (Immutable also means a ``chat.db-wal`` beside it is not read: make
the copy with Messages closed, see docs/capture.md.) Columns differ across
macOS versions: the ones a version lacks read as empty (no
``attributedBody`` before macOS 10.13, no ``associated_message_type`` on the
oldest, ``destination_caller_id`` on the newer).

- **Direction:** ``is_from_me``. Your message goes to the chat's members
  (``chat_handle_join``); another's comes from its ``handle_id``. The address
  you sent from (``destination_caller_id``), when there, is yours: the rules
  learn it.
- **Who:** a handle is a phone number (read in the user's region, E.164) or
  an email address.
- **Groups:** a chat with more than one member follows the group rule.
- **Dates:** Apple's epoch, 2001-01-01 UTC, in nanoseconds since macOS
  10.13, in seconds before.
- **Not pings:** tapbacks and other reactions (``associated_message_type``
  2000–3999) are ``reaction``; group events (``item_type`` ≠ 0: renames,
  members added or removed) are ``system``.
- **Text:** ``text``, else the string inside ``attributedBody`` (a typedstream
  NSAttributedString, read by the usual heuristic: after ``NSString``, skip
  five bytes, read a length); a row whose text cannot be read is still a
  message — only its summary is empty.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from django.utils.translation import gettext as _

from restons.capture.records import REACTION, SYSTEM, Address, Message
from restons.importers.chat import TEXT, handle_address, in_range, key, summary
from restons.importers.records import FileRefused, ParseError

APPLE_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)
_COLUMNS = ("ROWID", "guid", "text", "attributedBody", "handle_id", "date", "is_from_me", "associated_message_type",
            "item_type", "destination_caller_id")


def apple_time(value: int | float | None) -> datetime | None:
    """A ``message.date`` as an aware UTC datetime: nanoseconds since 2001 (seconds in old databases)."""
    if value is None or isinstance(value, (bytes, str)):
        return None
    try:
        seconds = value / 1e9 if abs(value) > 1e11 else value
        moment = APPLE_EPOCH + timedelta(seconds=seconds)
    except (OverflowError, ValueError, TypeError):
        return None
    return moment if in_range(moment) else None


def attributed_text(blob: bytes | None) -> str:
    """The plain text of an ``attributedBody`` typedstream, or "" when it cannot be found."""
    if not blob or not isinstance(blob, bytes):
        return ""
    start = blob.find(b"NSString")
    if start < 0:
        return ""
    position = start + len(b"NSString") + 5
    if position >= len(blob):
        return ""
    length = blob[position]
    position += 1
    if length == 0x81:
        length = int.from_bytes(blob[position:position + 2], "little")
        position += 2
    elif length == 0x82:
        length = int.from_bytes(blob[position:position + 4], "little")
        position += 4
    return blob[position:position + length].decode("utf-8", "replace")


def parse(path: str | os.PathLike, *, region: str = "") -> Iterator[Message | ParseError]:
    """Every message of a Messages database, by ROWID, as :class:`Message` or :class:`ParseError`.

    Raises :class:`FileRefused` when the file is not a Messages database.
    """
    file = Path(path)
    name = file.name
    if not file.is_file():
        raise FileRefused(_("%(file)s is not a file") % {"file": name})
    try:
        with open(file, "rb") as handle:
            magic = handle.read(16)
    except OSError as exc:
        raise FileRefused(f"{name}: {exc.strerror or exc}") from None
    if magic != b"SQLite format 3\x00":
        raise FileRefused(_("%(file)s is not a Messages database (chat.db): it is not SQLite") % {"file": name})
    uri = f"file:{quote(str(file.resolve()))}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")  # a damaged row is read, not fatal
    except sqlite3.Error as exc:
        raise FileRefused(f"{name}: {exc}") from None
    try:
        yield from _read(connection, name, region)
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # a damaged file: its schema or pages unreadable
        raise FileRefused(_("%(file)s could not be read as a Messages database (%(why)s)")
                          % {"file": name, "why": exc}) from None
    finally:
        connection.close()


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def _read(connection: sqlite3.Connection, name: str, region: str) -> Iterator[Message | ParseError]:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"message", "handle"} <= tables:
        raise FileRefused(_("%(file)s is not a Messages database (chat.db): it has no message and handle tables")
                          % {"file": name})
    handles: dict[int, Address | None] = {}
    for rowid, value in connection.execute("SELECT ROWID, id FROM handle"):
        handles[rowid] = handle_address(str(value or ""), region)
    members: dict[int, list[Address]] = {}
    if "chat_handle_join" in tables:
        for chat_id, handle_id in connection.execute("SELECT chat_id, handle_id FROM chat_handle_join"):
            address = handles.get(handle_id)
            if address is not None and address not in members.setdefault(chat_id, []):
                members[chat_id].append(address)
    have = _columns(connection, "message")
    if not {"ROWID", "date", "is_from_me"} <= have | {"ROWID"}:
        raise FileRefused(_("%(file)s is not a Messages database (chat.db): its message table has no date")
                          % {"file": name})
    select = ", ".join(f"m.{c}" if c in have or c == "ROWID" else "NULL" for c in _COLUMNS)
    join = "chat_message_join" in tables
    query = (f"SELECT {select}, {'cmj.chat_id' if join else 'NULL'} FROM message m "
             + ("LEFT JOIN chat_message_join cmj ON cmj.message_id = m.ROWID " if join else "")
             + "ORDER BY m.ROWID")
    last = None
    for row in connection.execute(query):
        rowid, guid, text, body, handle_id, date, from_me, associated, item_type, caller, chat_id = row
        if rowid == last:
            continue  # a message in two chats (rare): once
        last = rowid
        where = _("%(file)s, message %(row)s") % {"file": name, "row": rowid}
        at = apple_time(date)
        if at is None:
            yield ParseError(f"{where}, date", _("no readable date (%(value)r)") % {"value": str(date)[:30]})
            continue
        guid = str(guid) if guid is not None else ""
        source_key = f"imessage:{guid}" if guid and len(guid) <= 200 else key("imessage", guid or f"row:{rowid}")
        if isinstance(associated, int) and 2000 <= associated <= 3999:
            yield Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=None, flags=(REACTION,))
            continue
        if item_type not in (None, 0):
            yield Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=None, flags=(SYSTEM,))
            continue
        chat = members.get(chat_id, []) if chat_id is not None else []
        own = handles.get(handle_id) if isinstance(handle_id, int) else None
        content = text if isinstance(text, str) else attributed_text(body)
        if from_me:
            recipients = tuple(chat) or ((own,) if own else ())
            if not recipients:
                yield ParseError(where, _("a message you sent to nobody (no chat members, no handle)"))
                continue
            sender = handle_address(caller, region) if isinstance(caller, str) and caller else None
            yield Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=sender,
                          recipients=recipients, summary=summary(content.replace("\ufffc", "")), outgoing=True)
        else:
            if own is None:
                yield ParseError(where, _("a message from nobody (no readable handle %(id)s)") % {"id": handle_id})
                continue
            yield Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=own,
                          recipients=tuple(a for a in chat if a != own),
                          summary=summary(content.replace("\ufffc", "")), outgoing=False)
