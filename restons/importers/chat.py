"""What the phone and chat parsers share: phone numbers, summaries, local times, keys.

Pure helpers, no database. The parsers (``sms_xml``, ``whatsapp``,
``telegram``, ``imessage``) yield :class:`~restons.capture.records.Message`
records; these functions keep them consistent: every phone number in E.164
read with the user's region, every summary one short line, every time aware
and in UTC, within the limits.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import UTC, datetime, tzinfo

import phonenumbers

from restons.capture.records import Address
from restons.importers.mail import normalise_email
from restons.limits import DATE_MAX, DATE_MIN

SUMMARY_MAX = 140  # a text's summary: the start of its first message
TEXT = "text"
CALL = "call"

# Characters chat exports put around names and numbers (bidi marks and isolates, BOM).
INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
_INVISIBLE_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-\u00a0\u2011/]{5,}")


@functools.lru_cache(maxsize=16384)
def e164(raw: str, region: str) -> str:
    """The E.164 form of a phone number read in ``region``; "" for a short code, a name or garbage.

    A possible number is kept even when it is not a valid one (fictional
    ranges, new allocations): a number's owner is matched by its digits.
    """
    text = raw.strip().removeprefix("tel:")
    if not text or len(text) > 40 or not any(c.isdigit() for c in text):
        return ""
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """True for a display name that is a phone number (``+33 6 12 34 56 78``), not a name with digits."""
    return bool(_PHONE_LIKE.fullmatch(text)) and sum(c.isdigit() for c in text) >= 5


def handle_address(raw: str, region: str, name: str = "") -> Address | None:
    """A phone number or an email address (an iMessage handle, an SMS sender) as an :class:`Address`."""
    raw = raw.strip()
    if "@" in raw:
        email = normalise_email(raw)
        return Address("email", email, name) if email else None
    number = e164(raw, region)
    return Address("phone", number, name) if number else None


def summary(text: str | None) -> str:
    """The start of a message as one line, at most :data:`SUMMARY_MAX` characters."""
    if not text:
        return ""
    if len(text) > 4 * SUMMARY_MAX:
        text = text[: 4 * SUMMARY_MAX]
    # (the invisible marks are all format characters: a printable text has none to remove)
    line = " ".join((text if text.isascii() or text.isprintable() else _INVISIBLE_RE.sub("", text)).split())
    if len(line) > SUMMARY_MAX:
        line = line[: SUMMARY_MAX - 1].rstrip() + "…"
    return line


def in_range(moment: datetime) -> bool:
    return DATE_MIN.year <= moment.year <= DATE_MAX.year


def from_timestamp(seconds: float) -> datetime | None:
    """An aware UTC datetime from seconds since 1970, or None when out of the limits."""
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if in_range(moment) else None


def local_to_utc(year: int, month: int, day: int, hour: int, minute: int, second: int, zone: tzinfo) -> datetime:
    """A wall-clock time of ``zone`` in UTC (raises ValueError for an impossible date).

    A time that happens twice when the clocks go back is taken the first time;
    one skipped when they go forward is read with the offset before the change.
    """
    return datetime(year, month, day, hour, minute, second, tzinfo=zone).astimezone(UTC)


def key(prefix: str, *parts: object) -> str:
    """A short stable source key from the parts that identify a message."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8", "replace")).hexdigest()[:24]
    return f"{prefix}:{digest}"
