"""Mail headers → :class:`~restons.capture.records.Message`: the one parser every mail source shares.

mbox, Maildir and IMAP hand a raw header block (bytes, as stored: CRLF or LF,
8-bit or not) to :func:`parse_headers`. Only the fields that decide a ping are
read (From, To, Cc, Bcc, Date, Message-ID, In-Reply-To, Subject, List-Id,
List-Unsubscribe, Precedence, Auto-Submitted, X-Gmail-Labels); bodies and
attachments are never looked at.

Speed: one compiled regular expression picks the wanted fields out of the
block (a Takeout header block is mostly a long Received chain we skip in C;
field names are spelled ``[Ff][Rr][Oo][Mm]`` rather than matched with
IGNORECASE, which the engine runs faster), and the common shapes of addresses
and dates take a fast path: a date is matched on the raw bytes and its zone
offset remembered, a lone encoded word (the usual name or subject) is decoded
without the general loop, and addresses are cached on the raw field (the same
correspondents recur all through a mailbox). The standard library's parsers
(``email.utils``, ``email.header``) handle the rest. ``bench/mail.py`` prints
the figures, beside ``BytesHeaderParser(policy=compat32)`` on the same blocks.

Raw 8-bit headers (not RFC 2047-encoded, as some mailers write them) are
read as UTF-8, else as cp1252; encoded words are decoded in any charset
Python knows, and an unknown charset falls back the same way. Nothing here
raises on bad input: an unreadable message becomes a ``ParseError``.
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.errors import MessageError
from email.utils import getaddresses, parsedate_to_datetime

from django.utils.translation import gettext as _

from restons.capture.records import AUTO, BULK, DRAFT, LIST, SPAM, TRASH, Address, Message
from restons.importers.records import ParseError
from restons.limits import DATE_MAX, DATE_MIN

CHANNEL = "email"
SUBJECT_MAX = 500  # a subject line; a longer one is cut (a hostile message may carry megabytes)
MESSAGE_ID_MAX = 400  # longer Message-IDs are hashed so the key fits its column

# The fields read, lower-case; IMAP asks the server for exactly these.
FIELDS = (
    "from", "to", "cc", "bcc", "date", "message-id", "in-reply-to", "subject",
    "list-id", "list-unsubscribe", "precedence", "auto-submitted", "x-gmail-labels",
)

# A field at the start of a line, with its folded continuation lines. The block
# is searched with a leading newline so that "\n" is the literal prefix the
# regex engine scans for, and a look-ahead on the first letters of the wanted
# names dismisses most other lines (Received, DKIM, ARC) at once.
_FIRST_LETTERS = sorted({f[0] for f in FIELDS})


def _any_case(name: str) -> bytes:
    """``from`` → ``[Ff][Rr][Oo][Mm]``: the regex engine matches these faster than with IGNORECASE."""
    return b"".join(b"[%s%s]" % (c.upper().encode(), c.encode()) if c.isalpha() else re.escape(c).encode()
                    for c in name)


_FIELD = re.compile(
    rb"\n(?=[" + "".join(_FIRST_LETTERS + [c.upper() for c in _FIRST_LETTERS]).encode() + rb"])("
    + b"|".join(_any_case(f) for f in FIELDS) + rb")[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)"
)
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_FIELD_NAMES = {spelling: f for f in FIELDS for spelling in (f.encode(), f.title().encode(), f.upper().encode())}
_FIELD_NAMES[b"Message-ID"] = "message-id"
_FOLD = re.compile(rb"\r?\n(?=[ \t])")

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# "Fri, 16 Sep 2016 22:26:51 +0000" and its common variants (no weekday, no seconds, a trailing comment),
# matched on the raw bytes. ``_SPACE`` is what ``\\s`` matches in text once the field is decoded as ASCII
# (``\\x1c``-``\\x1f`` included), so the bytes and the text readings agree.
_SPACE = rb"[ \t\n\r\f\v\x1c-\x1f]"
_DATE = re.compile(
    _SPACE + rb"*(?:[A-Za-z]{3},?" + _SPACE + rb"*)?([0-9]{1,2})" + _SPACE + rb"+([A-Za-z]{3})[a-z]*" + _SPACE
    + rb"+([0-9]{4})" + _SPACE + rb"+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?" + _SPACE
    + rb"*(?:([+-][0-9]{4})|(?:GMT|UT|UTC|Z)\b)"
)
_MONTH_BYTES = {m.encode(): i for m, i in _MONTHS.items()}
_OFFSETS: dict[bytes, timedelta | None] = {}  # "+0100" -> its timedelta; None when 24 hours or more

# Gmail categories that are not personal mail.
_BULK_CATEGORIES = {"category promotions", "category updates", "category social", "category forums"}


_YEAR_MIN, _YEAR_MAX = DATE_MIN.year, DATE_MAX.year

DateHint = datetime | Callable[[], datetime | None] | None


class MailError(ValueError):
    """A header block that does not make a message (no sender, no date)."""


def parse_headers(block: bytes, where: str, *, fallback_date: DateHint = None,
                  outgoing: bool | None = None, folder_flag: str | None = None) -> Message | ParseError:
    """The :class:`Message` a raw header block describes, or a :class:`ParseError`.

    ``fallback_date`` (aware, or a function returning one, called only when
    needed) is used when the Date field is missing or unreadable: mbox
    separator lines, Maildir file names and IMAP's INTERNALDATE all carry one.
    ``outgoing`` and ``folder_flag`` are what the container says (a ``Sent``
    folder; a ``Drafts``, ``Trash`` or ``Junk`` one); Gmail's labels say it too.
    """
    try:
        return _parse(block, where, fallback_date, outgoing, folder_flag)
    except MailError as exc:
        return ParseError(where=where, why=str(exc))
    except (ValueError, LookupError, TypeError, OverflowError, IndexError, AssertionError, MessageError) as exc:
        # The standard library's mail parsers raise many kinds on hostile input; one bad
        # message is reported, not fatal.
        return ParseError(where=where, why=_("unreadable header: %(why)s") % {"why": exc})


def header_fields(block: bytes) -> dict[str, bytes]:
    """The wanted fields of a header block, unfolded, as bytes; the first occurrence of each wins."""
    fields: dict[str, bytes] = {}
    for raw_name, value in _FIELD.findall(b"\n" + block):
        name = _FIELD_NAMES.get(raw_name) or raw_name.lower().decode()
        if name not in fields:
            if b"\n" in value:
                value = _FOLD.sub(b"", value)
            fields[name] = value.strip()
    return fields


def _parse(block: bytes, where: str, fallback_date: DateHint, outgoing: bool | None,
           folder_flag: str | None) -> Message:
    fields = header_fields(block)
    get = fields.get
    senders = addresses(get("from", b""))
    if not senders:
        raise MailError(_("no sender address (From)"))
    raw_date = get("date")
    at = parse_date(raw_date) if raw_date is not None else None
    if at is None:
        at = fallback_date() if callable(fallback_date) else fallback_date
        if at is None:
            raise MailError(_("no readable date (Date)"))
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    if not _YEAR_MIN <= at.year <= _YEAR_MAX:  # the limits are whole years
        raise MailError(_("date %(date)s is out of range") % {"date": at.date().isoformat()})
    to, cc, bcc = get("to"), get("cc"), get("bcc")
    if cc is None and bcc is None:
        recipients = addresses(to) if to is not None else ()
    else:
        recipients = tuple(address for raw in (to, cc, bcc) if raw is not None for address in addresses(raw))
    subject = _subject(get("subject", b""))
    message_id = _message_id(get("message-id", b""))
    flags: list[str] = [folder_flag] if folder_flag else []
    if "list-id" in fields or "list-unsubscribe" in fields:
        flags.append(LIST)
    precedence = get("precedence")
    if precedence is not None:
        precedence = precedence.strip().lower()
        if precedence == b"list" and LIST not in flags:
            flags.append(LIST)
        elif precedence in (b"bulk", b"junk"):
            flags.append(BULK)
    auto = get("auto-submitted")
    if auto is not None:
        auto = auto.strip().lower()
        if auto and auto != b"no" and not auto.startswith(b"no "):
            flags.append(AUTO)
    labels = get("x-gmail-labels")
    if labels is not None:
        sent, label_flags = _label_effects(labels)
        if sent:
            outgoing = True
        if label_flags:
            flags.extend(flag for flag in label_flags if flag not in flags)
    in_reply_to = get("in-reply-to")
    # Positional, in the order of Message's fields: where, source_key, at, channel, sender, recipients,
    # summary, outgoing, flags, message_id, in_reply_to (the keywords cost a little on every message).
    return Message(where, message_id or header_hash(fields), at, CHANNEL, senders[0], recipients, subject,
                   outgoing, tuple(flags), message_id, _message_id(in_reply_to) if in_reply_to is not None else "")


def _subject(raw: bytes) -> str:
    subject = decode_words(text(raw))
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    return subject


def text(raw: bytes) -> str:
    """Header bytes as text: UTF-8 (ASCII included) when it is, else cp1252 (8-bit headers are never escaped)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decode_words(value: str) -> str:
    """RFC 2047 encoded words decoded in their charset, whitespace collapsed.

    ``=?ISO-8859-1?B?Sm9z6Q==?=`` → ``José``. Whitespace between two encoded
    words is dropped (RFC 2047 § 6.2). An unknown charset or a broken
    encoding falls back to UTF-8, then cp1252, with replacement characters,
    or leaves the word as it was; never raises. (The standard library's
    ``decode_header`` does the same in Python and is several times slower.)
    """
    if "=?" not in value:
        return " ".join(value.split())
    whole = _ENCODED_WORD.fullmatch(value)
    if whole is not None:  # one encoded word and nothing else: the usual name or subject
        decoded = _decode_word(*whole.groups())
        return " ".join((decoded if decoded is not None else value).split())
    out = []
    position = 0
    after_word = False
    for match in _ENCODED_WORD.finditer(value):
        between = value[position:match.start()]
        if not (after_word and (not between or between.isspace())):
            out.append(between)
        decoded = _decode_word(*match.groups())
        if decoded is None:
            out.append(match.group(0))
            after_word = False
        else:
            out.append(decoded)
            after_word = True
        position = match.end()
    out.append(value[position:])
    return " ".join("".join(out).split())


def _decode_word(charset: str, encoding: str, payload: str) -> str | None:
    """An encoded word's text; None when its payload is not valid base64 or quoted-printable."""
    data = payload.encode("ascii", "replace")
    try:
        if encoding in "bB":
            raw = binascii.a2b_base64(data + b"=" * (-len(data) % 4))
        else:
            raw = binascii.a2b_qp(data, header=True)
    except (binascii.Error, ValueError):
        return None
    return _decode_chunk(raw, charset)


def _decode_chunk(chunk: bytes, charset: str | None) -> str:
    if charset and charset != "unknown-8bit":
        try:
            return chunk.decode(charset.split("*")[0], errors="replace")  # RFC 2231 language suffix
        except LookupError:
            pass
    return text(chunk)


@functools.lru_cache(maxsize=8192)
def addresses(raw: bytes) -> tuple[Address, ...]:
    """The email addresses of an address field, with display names decoded; invalid ones left out.

    Cached on the raw field: "To: you" and each correspondent's "From" repeat all through a mailbox.
    """
    value = text(raw)
    if not value:
        return ()
    if '"' in value or "(" in value or ":" in value or ";" in value or "\\" in value:
        found = tuple(a for a in (_address(name, address) for name, address in getaddresses([value])) if a)
        if found:
            return found
        # Quotes or parentheses that are not what they seem (inside a badly encoded word): the simple split.
    found = (_address(*_split_address(part)) for part in value.split(","))
    return tuple(address for address in found if address is not None)


def _split_address(part: str) -> tuple[str, str]:
    name, lt, rest = part.rpartition("<")
    return (name, rest.partition(">")[0]) if lt else ("", part)


@functools.lru_cache(maxsize=16384)
def _address(name: str, address: str) -> Address | None:
    email = normalise_email(address)
    if not email:
        return None
    name = decode_words(name).strip().strip("'\"").strip()
    if name.casefold() == email or name.casefold() == address.strip().casefold():
        name = ""  # a display name that only repeats the address is no name
    return Address("email", email, name)


def normalise_email(raw: str) -> str:
    """``local.casefold()@domain.lower()``, as :func:`restons.identities.normalise_email`; "" when not an address."""
    value = raw.strip().strip("<>").strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or " " in value or "@" in local:
        return ""
    if domain.startswith(".") or domain.endswith(".") or not value.isprintable():
        # A NUL or another control character is no address (and PostgreSQL refuses NULs in text).
        return ""
    return f"{local.casefold()}@{domain.lower()}"


def parse_date(raw: bytes) -> datetime | None:
    """An aware datetime (in UTC for the common form) from a Date field, or None; no zone means UTC."""
    match = _DATE.match(raw)
    try:
        if match:
            day, month, year, hour, minute, second, offset = match.groups()
            month_number = _MONTH_BYTES.get(month.lower())
            if month_number:
                moment = datetime(int(year), month_number, int(day), int(hour), int(minute), int(second or 0),
                                  tzinfo=UTC)
                if offset:
                    delta = _OFFSETS.get(offset, False)
                    if delta is False:
                        delta = _offset(offset)
                    if delta is None:
                        return None
                    if delta:
                        moment = moment - delta  # in UTC at once
                return moment
        value = raw.decode("ascii", errors="replace")
        parsed = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _offset(raw: bytes) -> timedelta | None:
    """``b"+0130"`` → 1:30, ``b"-0500"`` → -5:00 (what to subtract to get UTC); None for 24 hours or more."""
    delta = timedelta(hours=int(raw[1:3]), minutes=int(raw[3:5]))
    result = None if delta >= timedelta(hours=24) else -delta if raw[:1] == b"-" else delta
    if len(_OFFSETS) < 4096:
        _OFFSETS[raw] = result
    return result


@functools.lru_cache(maxsize=1024)
def gmail_labels(raw: bytes) -> frozenset[str]:
    """Takeout's ``X-Gmail-Labels`` as case-folded names (``{"inbox", "sent", "category updates"}``)."""
    value = decode_words(text(raw))
    parts = value.split(",") if '"' not in value else re.split(r',(?=(?:[^"]*"[^"]*")*[^"]*$)', value)
    return frozenset(label for part in parts if (label := part.strip().strip('"').strip().casefold()))


@functools.lru_cache(maxsize=1024)
def _label_effects(raw: bytes) -> tuple[bool, tuple[str, ...]]:
    """(whether the labels say you sent it, the flags they give), for a raw X-Gmail-Labels value."""
    labels = gmail_labels(raw)
    flags = [flag for label, flag in (("spam", SPAM), ("trash", TRASH), ("draft", DRAFT)) if label in labels]
    if "drafts" in labels and DRAFT not in flags:
        flags.append(DRAFT)
    if labels & _BULK_CATEGORIES:
        flags.append(BULK)
    return "sent" in labels, tuple(flags)


def _message_id(raw: bytes) -> str:
    value = text(raw).replace("\x00", "").strip()  # a NUL is damage, and PostgreSQL refuses it in a key
    if not value:
        return ""
    start = value.find("<")
    if start >= 0:
        end = value.find(">", start)
        if end > start + 1:
            value = value[start + 1:end]
    value = value.strip()
    if " " in value or not value:
        value = "".join(value.split())
    if len(value) > MESSAGE_ID_MAX:
        return "sha256:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:40]
    return value


def header_hash(fields: dict[str, bytes]) -> str:
    """A key for a message without Message-ID: the fields that identify it, not those that change (labels)."""
    digest = hashlib.sha256()
    for name in ("from", "to", "cc", "date", "subject"):
        digest.update(fields.get(name, b"") + b"\0")
    return "sha256:" + digest.hexdigest()[:40]


# Folder names that mean "sent", "drafts", "trash" or "junk" where a folder has no
# SPECIAL-USE flag (Maildir, old IMAP servers); compared case-folded, last path component.
_FOLDER_ROLES = {
    "sent": ("sent", "sent items", "sent messages", "sent mail", "envoyés", "éléments envoyés",
             "messages envoyés", "gesendet", "gesendete elemente", "gesendete objekte", "enviados",
             "elementos enviados", "inviati", "posta inviata", "verzonden", "verzonden items"),
    "drafts": ("drafts", "draft", "brouillons", "entwürfe", "borradores", "bozze"),
    "trash": ("trash", "deleted items", "deleted messages", "bin", "corbeille", "éléments supprimés",
              "papierkorb", "gelöschte elemente", "papelera", "cestino"),
    "junk": ("junk", "spam", "junk e-mail", "junk email", "courrier indésirable", "indésirables",
             "pourriel", "spam-verdacht"),
}
_ROLE_BY_NAME = {name: role for role, names in _FOLDER_ROLES.items() for name in names}
# What a folder's role makes of its messages: (outgoing, flag).
FOLDER_EFFECTS = {"sent": (True, None), "drafts": (None, DRAFT), "trash": (None, TRASH), "junk": (None, SPAM)}


def folder_role(name: str) -> str:
    """``"sent"``, ``"drafts"``, ``"trash"``, ``"junk"`` or ``""`` for a folder name (``INBOX.Sent`` → sent)."""
    last = re.split(r"[./\\]", name.strip().strip("./"))[-1] if name.strip() else ""
    return _ROLE_BY_NAME.get(last.casefold().strip(), "")
