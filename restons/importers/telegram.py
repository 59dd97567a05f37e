"""Telegram Desktop's JSON export (``result.json``) → messages and calls, streamed.

Exports reach gigabytes, so the file is read as a stream of JSON events
(``ijson``, its C backend): nothing but the current message is held. The
writer puts ``personal_information`` and ``contacts`` before ``chats``, so by
the time messages come, who you are and your contacts' phone numbers are
known. A single-chat export (``{name, type, id, messages}``) works too.

- **You.** ``personal_information`` gives your user id, phone number and
  username; your messages carry them as their sender, so the rules learn
  them. Without it (a single-chat export), the other side of a personal chat
  is the chat's own id, and the other author is you.
- **Who.** The other side of a personal chat is their user id (kind
  ``telegram``, the bare number) with, when the export's ``contacts`` list has
  them (by user id, else by their full name), their phone number in E.164: a
  known person is found by either, someone new gets both.
- **Which chats.** Personal chats by default. Group chats are ``group`` unless
  ``groups=True`` (then they follow the group rule, the members being everyone
  seen in the chat so far); channels are ``channel``, bots ``bot``, your saved
  messages ``self``. Service messages are ``system``, except calls.
- **Calls.** A ``phone_call`` service message is a call: its actor called.
  Missed is ``missed-call``, busy ``rejected-call``, no duration
  ``zero-length-call``; otherwise a ping of channel ``call``.
- **Time.** ``date_unixtime`` (seconds, UTC); an old export without it has
  only ``date``, the exporting computer's local time, read in ``tz``.
- **Text** is a string or a list of strings and ``{type, text}`` pieces.

Telegram Desktop writes control characters in strings as ``\\x0B``, which is
no JSON escape; they are rewritten as ``\\u000B`` on the fly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import BinaryIO

import ijson
from django.utils.translation import gettext as _

from restons.capture.records import (
    BOT,
    CHANNEL,
    MISSED_CALL,
    REJECTED_CALL,
    SHORT_CALL,
    SYSTEM,
    Address,
    Message,
)
from restons.identities import name_key
from restons.importers.chat import CALL, TEXT, e164, from_timestamp, in_range, key, local_to_utc, summary
from restons.importers.records import FileRefused, ParseError
from restons.importers.sms_xml import call_summary
from restons.importers.textfiles import Source, open_binary, source_name

CHUNK = 1 << 20
_BAD_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\x([0-9A-Fa-f]{2})")
_PERSONAL = "personal_chat"
_GROUPS = {"private_group", "private_supergroup", "public_supergroup"}
_CHANNELS = {"private_channel", "public_channel"}
_CHAT_KEYS = ("name", "type", "id")
_MESSAGE_KEYS = {"id", "type", "date", "date_unixtime", "from", "from_id", "actor", "actor_id", "action",
                 "duration_seconds", "discard_reason", "media_type", "file", "photo"}


class _Repaired:
    """A file whose ``\\xNN`` string escapes are read as ``\\u00NN``."""

    def __init__(self, binary: BinaryIO):
        self.binary = binary
        self.held = b""

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks for nothing first, to learn whether the file gives bytes
        while True:
            chunk = self.binary.read(CHUNK)
            data = self.held + chunk if self.held else chunk
            self.held = b""
            if chunk:
                # A backslash near the end may start an escape that the next chunk finishes.
                cut = data.rfind(b"\\", max(0, len(data) - 4))
                if cut >= 0:
                    while cut > 0 and data[cut - 1] == 0x5C:
                        cut -= 1
                    self.held, data = data[cut:], data[:cut]
            if b"\\x" in data:
                data = _BAD_ESCAPE.sub(rb"\1\\u00\2", data)
            if data or not chunk:
                return data


class _Chat:
    __slots__ = ("name", "type", "id", "partner", "members")

    def __init__(self):
        self.name = ""
        self.type = ""
        self.id = ""
        self.partner: Address | None = None
        self.members: dict[str, Address] = {}


def parse(path: Source, *, region: str = "", tz: tzinfo = UTC, groups: bool = False) -> Iterator[Message | ParseError]:
    """Every message and call of a Telegram export, as :class:`Message` or :class:`ParseError`.

    ``region`` reads phone numbers without ``+``; ``tz`` the local dates of old
    exports; ``groups=True`` reads group chats too. Raises
    :class:`FileRefused` for a file that is not a Telegram JSON export.
    """
    name = source_name(path)
    reader = _Reader(name, region, tz, groups)
    try:
        with open_binary(path) as binary:
            head = binary.read(1)
            while head in (b" ", b"\n", b"\r", b"\t", b"\xef", b"\xbb", b"\xbf"):
                head = binary.read(1)
            if head != b"{":
                raise FileRefused(_("%(file)s is not a Telegram export: it is not a JSON object") % {"file": name})
            stream = _Repaired(binary)
            stream.held = b"{"
            yield from reader.read(ijson.parse(stream, buf_size=CHUNK))
    except ijson.JSONError as exc:
        raise FileRefused(_("%(file)s is not valid JSON after %(count)s messages (%(why)s); export it again")
                          % {"file": name, "count": reader.count, "why": str(exc).splitlines()[0][:120]}) from None
    except OSError as exc:
        raise FileRefused(f"{name}: {exc.strerror or exc}") from None
    if not reader.chats:
        raise FileRefused(_("%(file)s is not a Telegram export: it holds no chats") % {"file": name})


class _Reader:
    def __init__(self, name: str, region: str, tz: tzinfo, groups: bool):
        self.name = name
        self.region = region
        self.tz = tz
        self.groups = groups
        self.me_id = ""
        self.me: Address | None = None
        self.me_phone = ""
        self.phones_by_id: dict[str, str] = {}
        self.phones_by_name: dict[str, str] = {}
        self.chats = 0
        self.count = 0

    def read(self, events) -> Iterator[Message | ParseError]:
        chat: _Chat | None = None
        message: dict | None = None
        contact: dict | None = None
        texts: list[str] = []
        for prefix, event, value in events:
            # Where we are: a chat of the full export, or the root of a single-chat export.
            if prefix.startswith(("chats.list.item", "left_chats.list.item")):
                rel = prefix.partition("list.item")[2].lstrip(".")
                if rel == "" and event == "start_map":
                    chat = _Chat()
                    self.chats += 1
                    continue
            elif prefix.startswith(("personal_information", "contacts.list")):
                contact = self._people(prefix, event, value, contact)
                continue
            elif prefix in ("frequent_contacts", "profile_pictures", "sessions", "web_sessions", "other_data", "stories",
                            "about") or prefix.startswith(("frequent_contacts.", "profile_pictures.", "sessions.",
                                                           "web_sessions.", "other_data.", "stories.")):
                continue
            else:
                rel = prefix
                if chat is None and prefix in _CHAT_KEYS + ("messages",):
                    chat = _Chat()
                    self.chats += 1
            if chat is None:
                continue
            if rel in _CHAT_KEYS:
                if event in ("string", "number"):
                    setattr(chat, rel, str(value) if value is not None else "")
                continue
            if not rel.startswith("messages.item"):
                continue
            field = rel[14:]
            if field == "":
                if event == "start_map":
                    message, texts = {}, []
                elif event == "end_map" and message is not None:
                    self.count += 1
                    record = self._message(chat, message, texts)
                    if record is not None:
                        yield record
                    message = None
                continue
            if message is None:
                continue
            if field in _MESSAGE_KEYS:
                if event in ("string", "number", "boolean", "null"):
                    message[field] = value
            elif field == "text" or field.startswith("text.item"):
                if event == "string" and (field in ("text", "text.item", "text.item.text")) and len(texts) < 20:
                    texts.append(value)
            elif field == "members.item" and event == "string" and value:
                message.setdefault("members", []).append(value)

    def _people(self, prefix: str, event: str, value, contact: dict | None) -> dict | None:
        if prefix.startswith("personal_information"):
            field = prefix[21:]
            if field == "user_id" and event in ("number", "string"):
                self.me_id = str(value)
            elif field == "phone_number" and event == "string":
                self.me_phone = e164(value, self.region)
            if event == "end_map" and prefix == "personal_information" and self.me_id:
                others = (("phone", self.me_phone),) if self.me_phone else ()
                self.me = Address("telegram", self.me_id, others=others)
            return contact
        if prefix == "contacts.list.item":
            if event == "start_map":
                return {}
            if event == "end_map" and contact is not None:
                phone = e164(str(contact.get("phone_number", "")), self.region)
                if phone:
                    if contact.get("user_id"):
                        self.phones_by_id[str(contact["user_id"])] = phone
                    full = name_key(f"{contact.get('first_name', '')} {contact.get('last_name', '')}")
                    if full:
                        self.phones_by_name[full] = phone
                return None
        elif contact is not None and prefix.startswith("contacts.list.item.") and event in ("string", "number"):
            contact[prefix[19:]] = value
        return contact

    def _where(self, chat: _Chat, message: dict, field: str = "") -> str:
        place = _("%(file)s, chat %(chat)s, message %(id)s") % {
            "file": self.name, "chat": chat.id or "?", "id": message.get("id", "?")}
        return f"{place}, {field}" if field else place

    def _at(self, message: dict) -> datetime | None:
        raw = message.get("date_unixtime")
        if raw is not None:
            try:
                return from_timestamp(int(raw))
            except (TypeError, ValueError):
                return None
        try:
            local = datetime.fromisoformat(str(message.get("date", "")))
        except ValueError:
            return None
        if local.tzinfo is not None:
            moment = local.astimezone(UTC)
        else:
            try:
                moment = local_to_utc(local.year, local.month, local.day, local.hour, local.minute, local.second,
                                      self.tz)
            except (ValueError, OverflowError):
                return None
        return moment if in_range(moment) else None

    def _partner(self, chat: _Chat) -> Address | None:
        if chat.partner is None and chat.id:
            phone = self.phones_by_id.get(chat.id) or self.phones_by_name.get(name_key(chat.name), "")
            chat.partner = Address("telegram", chat.id, chat.name, (("phone", phone),) if phone else ())
        return chat.partner

    def _user(self, raw) -> str:
        value = str(raw or "")
        return value[4:] if value.startswith("user") else ""

    def _message(self, chat: _Chat, message: dict, texts: list[str]) -> Message | ParseError | None:
        at = self._at(message)
        if at is None:
            return ParseError(self._where(chat, message, "date"), _("no readable date"))
        kind = message.get("type")
        where = self._where(chat, message)
        source_key = key("tg", chat.id, message.get("id"))
        if chat.type != _PERSONAL and not (self.groups and chat.type in _GROUPS):
            flag = (BOT if chat.type == "bot_chat" else CHANNEL if chat.type in _CHANNELS
                    else "self" if chat.type == "saved_messages" else "group")
            return Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=None, flags=(flag,))
        if kind == "service":
            if message.get("action") != "phone_call":
                for member in message.get("members", ()):
                    if isinstance(member, str) and member:
                        chat.members.setdefault(f"name:{member}", Address("name", member, member))
                return Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=None, flags=(SYSTEM,))
            author, channel = self._user(message.get("actor_id")), CALL
        elif kind == "message":
            author, channel = self._user(message.get("from_id")), TEXT
        else:
            return None  # "unsupported" media: the export itself could not say what it was
        if not author:
            return Message(where=where, source_key=source_key, at=at, channel=TEXT, sender=None, flags=(SYSTEM,))
        partner = self._partner(chat)
        if partner is None:
            return ParseError(self._where(chat, message, "id"), _("the chat has no id"))
        if self.me_id:
            mine = author == self.me_id
        elif chat.type == _PERSONAL:
            mine = author != chat.id
        else:
            mine = None
        if chat.type == _PERSONAL:
            me = self.me if self.me is not None else (Address("telegram", author) if mine else None)
            sender = me if mine else partner
            recipients = (partner,) if mine else ()
        else:
            name = str(message.get("from") or message.get("actor") or "")
            sender = Address("telegram", author, name,
                             (("phone", self.phones_by_id[author]),) if author in self.phones_by_id else ())
            if not mine:
                chat.members.setdefault(author, sender)
            recipients = tuple(a for k, a in chat.members.items() if k != author)
            if mine and self.me is not None:
                sender = self.me
        flags: tuple[str, ...] = ()
        text = summary("".join(t for t in texts if isinstance(t, str)))
        if channel == CALL:
            reason = message.get("discard_reason")
            try:
                duration = int(message.get("duration_seconds") or 0)
            except (TypeError, ValueError):
                duration = 0
            if reason == "missed":
                flags = (MISSED_CALL,)
            elif reason == "busy":
                flags = (REJECTED_CALL,)
            elif duration <= 0:
                flags = (SHORT_CALL,)
            text = call_summary(max(duration, 0))
        return Message(where=where, source_key=source_key, at=at, channel=channel, sender=sender,
                       recipients=recipients, summary=text, outgoing=mine, flags=flags)
