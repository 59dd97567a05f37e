"""Android "SMS Backup & Restore" backups (``sms-….xml``, ``calls-….xml``) → messages and calls, streamed.

The root element says what the file holds: ``<smses>`` (``<sms>`` and
``<mms>``) or ``<calls>`` (``<call>``). Real backups are gigabytes, nearly all
of it base64 media in the ``data`` attribute of MMS ``<part>`` elements, and
they carry what strict XML parsers reject. So the file is read in 1 MiB
chunks through a byte filter before the parser sees it (:class:`_Cleaner`):

- the ``data="…"`` value of a ``<part>`` is dropped as it streams by
  (``bytes.find`` for its closing quote, a chunk at a time): the media is
  never held in memory, never decoded, never parsed;
- character references to UTF-16 surrogates, which Android's serializer
  writes for emoji (``&#55357;&#56396;``), are joined into the one character
  they encode (``&#128076;``); a lone surrogate, a control character
  (``&#11;``, or the raw byte) or ``&#65535;`` becomes U+FFFD or a space; a
  reference cut by a chunk boundary is held back until the next chunk;
- invalid UTF-8 is replaced, not fatal.

Then Python's expat reads the cleaned stream with callbacks (no tree is
built, nothing accumulates). A document type declaration is refused the
moment it starts (no entity is ever declared, let alone expanded: billion
laughs and external entities stop in one line, before anything is yielded).

What a record becomes (formats.md § 6a):

- ``<sms>``: ``type`` 1 received, 2 sent; 3 (draft) and 4–6 (outbox, failed,
  queued) are not pings (``draft``, ``unsent``). ``address`` is read in the
  user's region (E.164); a short code or an alphanumeric sender (``AMAZON``)
  is ``no-reply``. ``contact_name`` (the phone's address book) names someone
  new; ``(Unknown)`` and the literal ``null`` are no name.
- ``<mms>``: ``msg_box`` 1 received, 2 sent (3 draft, 4 outbox). The sender is
  the ``<addr>`` of type 137; recipients are types 151 (to), 130 (cc) and 129
  (bcc). ``insert-address-token`` stands for your own number and is dropped;
  the ``address`` attribute (``~``-joined) lists the thread's other members,
  so a recipient of a received MMS missing from it is you. The sender of an
  MMS you sent, when it is a real number, is your number (the rules learn it).
  A group MMS is a ping with each member, or a ``group`` beyond 5.
- ``<call>``: types 1 (incoming) and 2 (outgoing), and 7 (answered on another
  device), with a duration above 0 s are pings of channel ``call``; missed and
  voicemail (3, 4) are ``missed-call``, 5 ``rejected-call``, 6 ``blocked-call``,
  0 s ``zero-length-call``; a hidden number is ``unknown-number``.

Times are ``date`` (milliseconds since 1970, UTC). Source keys are built from
what identifies a message across overlapping backups: date, number, direction.
"""

from __future__ import annotations

import codecs
import re
from hashlib import sha1
from collections.abc import Callable, Iterator
from xml.parsers import expat

from django.utils.translation import gettext as _

from restons.capture.records import (
    AUTOMATED,
    BLOCKED_CALL,
    DRAFT,
    MISSED_CALL,
    REJECTED_CALL,
    SHORT_CALL,
    UNSENT,
    Address,
    Message,
)
from restons.importers.chat import CALL, TEXT, e164, from_timestamp, key, summary
from restons.importers.records import FileRefused, ParseError
from restons.importers.textfiles import Source, open_binary, source_name

CHUNK = 1 << 20
UNKNOWN_NUMBER = "unknown-number"

_NULLS = {"", "null", "(Unknown)", "(unknown)", "(Inconnu)"}
_SMS_TYPES = {"1": False, "2": True}
_SMS_FLAGS = {"3": DRAFT, "4": UNSENT, "5": UNSENT, "6": UNSENT}
_MMS_BOXES = {"1": False, "2": True}
_MMS_FLAGS = {"3": DRAFT, "4": UNSENT, "5": UNSENT}
_CALL_TYPES = {"1": False, "2": True, "7": False}
_CALL_FLAGS = {"3": MISSED_CALL, "4": MISSED_CALL, "5": REJECTED_CALL, "6": BLOCKED_CALL}
_FROM, _TO, _CC, _BCC = "137", "151", "130", "129"
_ME_TOKEN = "insert-address-token"

# A character reference XML 1.0 refuses (or a surrogate pair to join): a UTF-16 surrogate, a
# control character, U+FFFE/U+FFFF; optionally followed by a low surrogate. Valid numbers the
# pattern also catches (&#65; &#55000;) are written back as they were.
_FIRST = rb"(\d{1,2}|5[5-7]\d{3}|6553[45]|[xX]0*(?:[dD][89a-fA-F][0-9a-fA-F]{2}|[0-9a-fA-F]{1,2}|[fF]{3}[eEfF]))"
_LOW = rb"(5[67]\d{3}|[xX]0*[dD][c-fC-F][0-9a-fA-F]{2})"
_BAD_REF = re.compile(rb"&#" + _FIRST + rb";(?:&#" + _LOW + rb";)?")
_CONTROLS = bytes(b if b in (9, 10, 13) or b >= 32 else 32 for b in range(256))
_DATA = b' data="'
HOLD = 24  # bytes held back at a chunk's end: a reference (pair) or ` data="` may continue in the next


def _number(body: bytes) -> int:
    return int(body[1:], 16) if body[:1] in b"xX" else int(body)


def _one(value: int, body: bytes) -> bytes:
    if value in (9, 10, 13) or 0x20 <= value < 0xD800 or 0xE000 <= value <= 0xFFFD:
        return b"&#" + body + b";"
    return b"&#65533;"


def _fix_reference(match: re.Match) -> bytes:
    first = _number(match[1])
    if match[2] is None:
        return _one(first, match[1])
    second = _number(match[2])
    if 0xD800 <= first <= 0xDBFF and 0xDC00 <= second <= 0xDFFF:
        return b"&#%d;" % (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    return _one(first, match[1]) + _one(second, match[2])


def repair(data: bytes) -> bytes:
    """Surrogate pairs joined, refused references and raw control bytes replaced (a whole, uncut piece)."""
    if b"&#" in data:
        data = _BAD_REF.sub(_fix_reference, data)
    return data.translate(_CONTROLS)


class _Cleaner:
    """The byte filter of the module docstring: ``feed`` a chunk, get back what the parser may read."""

    def __init__(self):
        self.held = b""
        self.skipping = False  # inside a part's data value
        self.in_part = False  # the last tag opened so far is a <part>

    def feed(self, chunk: bytes, final: bool = False) -> bytes:
        if self.skipping:
            quote = chunk.find(b'"')
            if quote < 0:
                return b""  # media, dropped whole
            chunk = chunk[quote:]
            self.skipping = False
        buf = self.held + chunk if self.held else chunk
        out = []
        position = 0
        while True:
            found = buf.find(_DATA, position)
            if found < 0:
                break
            tag = buf.rfind(b"<", position, found)
            in_part = buf.startswith((b"<part ", b"<part\t", b"<part\n", b"<part\r"), tag) if tag >= 0 else self.in_part
            value = found + len(_DATA)
            out.append(repair(buf[position:value]))
            if not in_part:
                position = value
                self.in_part = False
                continue
            self.in_part = True
            quote = buf.find(b'"', value)
            if quote < 0:
                self.skipping = True
                self.held = b""
                return b"".join(out)
            position = quote
        end = len(buf) if final else _cut(buf, position, max(position, len(buf) - HOLD))
        tail = buf[position:end]
        last_tag = tail.rfind(b"<")
        if last_tag >= 0:
            self.in_part = tail.startswith((b"<part ", b"<part\t", b"<part\n", b"<part\r"), last_tag)
        out.append(repair(tail))
        self.held = buf[end:]
        return b"".join(out)


def _cut(buf: bytes, start: int, end: int) -> int:
    """A cut point at most ``end`` that splits no character reference, nor a run of adjacent ones.

    (A run may hold a surrogate pair; a run longer than 4 KiB, which no real
    message has, is cut anyway.)
    """
    cut = end
    floor = max(start, end - 4096)
    while cut > floor:
        amp = buf.rfind(b"&", max(floor, cut - 16), cut)
        if amp >= 0 and buf.find(b";", amp, cut) < 0:
            cut = amp  # inside a reference: cut before it
            continue
        if buf.startswith(b"&#", cut) and buf[cut - 1:cut] == b";" and amp >= 0 and buf.startswith(b"&#", amp):
            cut = amp  # a reference right before this one: keep them together
            continue
        break
    return cut


def cleaned_chunks(read: Callable[[int], bytes], size: int = CHUNK) -> Iterator[tuple[str, bool]]:
    """``(text, final)``: the file as the parser reads it, media dropped, references repaired, UTF-8 decoded."""
    cleaner = _Cleaner()
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    first = True
    while True:
        chunk = read(size)
        final = not chunk
        data = cleaner.feed(chunk, final)
        if first and data:
            data = data.removeprefix(codecs.BOM_UTF8)
            first = False
        text = decoder.decode(data, final)
        if text or final:
            yield text, final
        if final:
            return


class _Refused(Exception):
    pass


class _Reader:
    """Expat callbacks: one record per <sms>, <mms> or <call>, kept in ``out`` until the caller takes them."""

    def __init__(self, name: str, region: str, parser):
        self.name = name
        self.region = region
        self.parser = parser
        self.out: list[Message | ParseError] = []
        self.depth = 0
        self.root = ""
        self.mms: dict | None = None
        self.addrs: list[tuple[str, str]] = []
        self.texts: list[str] = []
        # "FILE line N", translated once: a record's place is then two joins.
        self.where_before, _mark, self.where_after = (
            _("%(file)s line %(line)s") % {"file": name, "line": "\x00"}).partition("\x00")
        self.addresses: dict[tuple[str, str], tuple] = {}  # (address, contact_name) → what _sms_address says

    def where(self, field: str = "", line: int | None = None) -> str:
        place = f"{self.where_before}{self.parser.CurrentLineNumber if line is None else line}{self.where_after}"
        return f"{place}, {field}" if field else place

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if tag not in ("smses", "calls"):
                raise _Refused(_("%(file)s is not an SMS Backup & Restore file: its root element is <%(tag)s>, "
                                 "not <smses> or <calls>") % {"file": self.name, "tag": tag[:40]})
            self.root = tag
            return
        if self.depth == 2:
            if tag == "sms":
                self.out.append(self.sms(attrs))
            elif tag == "call":
                self.out.append(self.call(attrs))
            elif tag == "mms":
                self.mms = {**attrs, "_line": self.parser.CurrentLineNumber}
                self.addrs, self.texts = [], []
            return
        if self.mms is None:
            return
        if tag == "addr":
            self.addrs.append((attrs.get("address", ""), attrs.get("type", "")))
        elif tag == "part" and attrs.get("seq") != "-1" and attrs.get("ct", "").startswith("text/plain"):
            text = attrs.get("text", "")
            if text and text != "null" and len(self.texts) < 4:
                self.texts.append(text)

    def end(self, tag: str) -> None:
        if self.depth == 2 and tag == "mms" and self.mms is not None:
            self.out.append(self.mms_record(self.mms))
            self.mms = None
        self.depth -= 1

    def _at(self, attrs: dict[str, str]):
        raw = attrs.get("date", "")
        try:
            value = int(raw)
        except ValueError:
            return None
        # SMS B&R writes milliseconds; a value this small is seconds (some MMS writers).
        return from_timestamp(value / 1000 if abs(value) > 100_000_000_000 else value)

    def sms(self, attrs: dict[str, str]) -> Message | ParseError:
        get = attrs.get
        stamp = get("date", "")
        try:
            value = int(stamp)
            # (what _at does, inlined: this runs once per SMS)
            at = from_timestamp(value / 1000 if value > 100_000_000_000 or value < -100_000_000_000 else value)
        except ValueError:
            at = None
        if at is None:
            return ParseError(self.where("date"), _("no readable date (%(value)r)") % {"value": stamp[:40]})
        kind = get("type", "")
        outgoing = _SMS_TYPES.get(kind)
        flag = None if outgoing is not None else _SMS_FLAGS.get(kind)
        if outgoing is None:
            if flag is None:
                return ParseError(self.where("type"), _("unknown message type %(value)r") % {"value": kind[:20]})
            outgoing = True
        raw = get("address", "")
        name = get("contact_name", "")
        found = self.addresses.get((raw, name))
        if found is None:
            found = self._sms_address(raw, name)
        if not found:
            return ParseError(self.where("address"), _("no phone number"))
        address, ident, is_number, alone = found
        body = get("body", "")
        return Message(
            where=f"{self.where_before}{self.parser.CurrentLineNumber}{self.where_after}",
            # key("sms", stamp, ident, outgoing), inlined
            source_key="sms:" + sha1(f"{stamp}\x1f{ident}\x1f{outgoing}".encode("utf-8", "replace")).hexdigest()[:24],
            at=at, channel=TEXT,
            sender=None if outgoing else address, recipients=alone if outgoing else (),
            summary=summary("" if body == "null" else body), outgoing=outgoing,
            flags=(flag,) if flag else () if is_number else (AUTOMATED,))

    def _sms_address(self, raw: str, name: str) -> tuple[Address, str, bool, tuple[Address]] | tuple[()]:
        """An SMS's other end, read once per (address, contact_name): (its Address, what identifies it in
        the source key, whether it is a phone number, the Address alone in a tuple: the recipients of every
        SMS sent to it, one object, which the capture rules then decide once); () when there is no number."""
        cleaned = raw.split("~")[0].split(";")[0].strip()
        if cleaned in _NULLS:
            found = ()
        else:
            number = e164(cleaned, self.region)
            address = Address("phone", number or cleaned[:100], "" if name in _NULLS else name[:200])
            found = (address, number or cleaned, bool(number), (address,))
        if len(self.addresses) < 100_000 and len(raw) + len(name) < 400:
            self.addresses[(raw, name)] = found
        return found

    def mms_record(self, attrs: dict[str, str]) -> Message | ParseError:
        line = attrs["_line"]
        where = self.where(line=line)
        at = self._at(attrs)
        if at is None:
            return ParseError(f"{where}, date", _("no readable date (%(value)r)") % {"value": attrs.get("date", "")[:40]})
        box = attrs.get("msg_box", "")
        flag = _MMS_FLAGS.get(box)
        if box not in _MMS_BOXES and flag is None:
            return ParseError(f"{where}, msg_box", _("unknown message box %(value)r") % {"value": box[:20]})
        outgoing = _MMS_BOXES.get(box, True)
        thread = [part.strip() for part in attrs.get("address", "").split("~")]
        members = {e164(part, self.region) for part in thread if part not in _NULLS and part != _ME_TOKEN} - {""}
        names = [n.strip() for n in attrs.get("contact_name", "").split(",")]
        named = dict(zip([part for part in thread if part not in _NULLS], names, strict=False)) if len(names) == len(thread) else {}
        sender = None
        recipients: dict[str, Address] = {}
        for raw, kind in self.addrs:
            raw = raw.strip()
            if raw in _NULLS or raw == _ME_TOKEN:
                continue
            number = e164(raw, self.region)
            if not number:
                continue
            name = named.get(raw, "")
            if name in _NULLS:
                name = ""
            if kind == _FROM:
                sender = Address("phone", number, name)
            elif kind in (_TO, _CC, _BCC) and (outgoing or not members or number in members):
                recipients.setdefault(number, Address("phone", number, name))
        if not outgoing:
            if sender is None:
                if len(members) != 1:
                    return ParseError(f"{where}, addrs", _("no sender (no <addr> of type 137)"))
                sender = Address("phone", next(iter(members)))
            recipients.pop(sender.value, None)
        else:
            if sender is not None:
                recipients.pop(sender.value, None)
            if not recipients:
                recipients = {number: Address("phone", number) for number in sorted(members)}
            if not recipients:
                return ParseError(f"{where}, addrs", _("no recipient"))
        text = " ".join(self.texts)
        return Message(
            where=where, source_key=key("mms", attrs.get("date"), "~".join(sorted(members)) or (sender.value if sender else ""),
                                        outgoing),
            at=at, channel=TEXT, sender=sender, recipients=tuple(recipients.values()), summary=summary(text),
            outgoing=outgoing, flags=(flag,) if flag else ())

    def call(self, attrs: dict[str, str]) -> Message | ParseError:
        at = self._at(attrs)
        if at is None:
            return ParseError(self.where("date"), _("no readable date (%(value)r)") % {"value": attrs.get("date", "")[:40]})
        kind = attrs.get("type", "")
        flag = _CALL_FLAGS.get(kind)
        if kind not in _CALL_TYPES and flag is None:
            return ParseError(self.where("type"), _("unknown call type %(value)r") % {"value": kind[:20]})
        try:
            duration = max(int(attrs.get("duration", "0") or 0), 0)
        except ValueError:
            return ParseError(self.where("duration"), _("no readable duration (%(value)r)")
                              % {"value": attrs.get("duration", "")[:20]})
        raw = attrs.get("number", "").strip()
        number = e164(raw, self.region) if raw and not raw.startswith("-") else ""
        if not flag:
            if not number:
                flag = UNKNOWN_NUMBER if not raw or raw.startswith("-") or raw in _NULLS else AUTOMATED
            elif duration == 0:
                flag = SHORT_CALL
        name = attrs.get("contact_name", "")
        address = Address("phone", number or raw[:100] or "?", "" if name in _NULLS else name[:200])
        outgoing = _CALL_TYPES.get(kind, False)
        return Message(
            where=self.where(), source_key=key("call", attrs.get("date"), number or raw, kind), at=at, channel=CALL,
            sender=None if outgoing else address, recipients=(address,) if outgoing else (),
            summary=call_summary(duration), outgoing=outgoing, flags=(flag,) if flag else ())


def call_summary(seconds: int) -> str:
    """``Call, 12 min`` (in the importing user's language)."""
    if seconds < 60:
        return _("Call, %(seconds)s s") % {"seconds": seconds}
    return _("Call, %(minutes)s min") % {"minutes": round(seconds / 60)}


def parse(path: Source, *, region: str = "") -> Iterator[Message | ParseError]:
    """Every SMS, MMS or call of a backup, in file order, as :class:`Message` or :class:`ParseError`.

    ``region`` reads numbers written without ``+`` (RESTONS_DEFAULT_REGION).
    Raises :class:`FileRefused` (one line, before anything is yielded when it
    can be told at the start) for a file that is not such a backup, declares a
    document type, or is not well-formed XML.
    """
    name = source_name(path)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    reader = _Reader(name, region, parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end

    def refuse_dtd(*_args):
        raise _Refused(_("%(file)s declares a document type (<!DOCTYPE>), which a backup never does; "
                         "it was refused") % {"file": name})

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with open_binary(path) as binary:
            chunks = cleaned_chunks(binary.read)
            for text, final in chunks:
                try:
                    parser.Parse(text, final)
                except expat.ExpatError as exc:
                    if not reader.root and exc.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
                        raise FileRefused(_("%(file)s is empty: no <smses> or <calls> element") % {"file": name}) from None
                    raise FileRefused(_("%(file)s line %(line)s is not well-formed XML (%(why)s); "
                                        "the backup may be cut short: make a new one")
                                      % {"file": name, "line": exc.lineno, "why": expat.ErrorString(exc.code)}) from None
                except _Refused as exc:
                    raise FileRefused(str(exc)) from None
                if reader.out:
                    out, reader.out = reader.out, []
                    yield from out
    except OSError as exc:
        raise FileRefused(f"{name}: {exc.strerror or exc}") from None
    if not reader.root:
        raise FileRefused(_("%(file)s is empty: no <smses> or <calls> element") % {"file": name})
