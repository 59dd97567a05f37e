"""What the capture parsers yield: plain, typed records that know nothing of the database.

Every message source (mail now; SMS, WhatsApp, Telegram and iMessage next)
yields :class:`Message`; calendars yield one :class:`Meeting` per occurrence.
The capture rules (:mod:`restons.capture.rules`) turn them into pings. A
record that cannot be read is a :class:`restons.importers.records.ParseError`
(where it was, why), never an exception.

Identity kinds are the ones of :mod:`restons.identities` (``email``,
``phone``, ``telegram``, ...); values are already normalised by the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Reasons a source already knows that a message is not a ping (the rules add
# ``no-reply``, ``group``, ``self``, ...). They are the keys of the import
# summary's ``ignored`` counts.
LIST = "list"  # List-Id, List-Unsubscribe, Precedence: list
BULK = "bulk"  # Precedence: bulk|junk, Gmail's Promotions/Updates/Social/Forums categories
AUTO = "auto"  # Auto-Submitted other than "no" (vacation replies, notifications)
SPAM = "spam"
TRASH = "trash"
DRAFT = "draft"  # never sent


@dataclass(frozen=True, slots=True)
class Address:
    """One end of a message: an identity (kind, normalised value) and the name the source shows."""

    kind: str
    value: str
    name: str = ""


@dataclass(slots=True)
class Message:
    """One message, header facts only.

    ``outgoing`` is what the source states: True for a message it says you
    sent (Gmail's ``Sent`` label, a Maildir ``.Sent`` folder, an SMS of type
    "sent"), False for one it says you received, None when it cannot tell
    (then your identities decide). ``flags`` are the reasons, in order, that
    the source already knows make it not a ping (``LIST``, ``BULK``, ...).
    """

    where: str
    source_key: str  # stable across exports of the same message (Message-ID, else a hash)
    at: datetime  # aware, UTC
    channel: str  # one of restons.models.Channel ("email", "text", ...)
    sender: Address | None
    recipients: tuple[Address, ...] = ()  # To and Cc (and Bcc when the source has it)
    summary: str = ""  # the subject, decoded
    outgoing: bool | None = None
    flags: tuple[str, ...] = ()
    message_id: str = ""
    in_reply_to: str = ""


@dataclass(frozen=True, slots=True)
class Attendee:
    """A calendar participant. ``partstat`` and ``cutype`` are upper-case, empty when absent."""

    email: str  # normalised (lower-case), may be "" for an attendee without an address
    name: str = ""  # the CN, "" when it only repeats the email (Google writes CN=<email>)
    partstat: str = ""
    cutype: str = ""


@dataclass(slots=True)
class Meeting:
    """One occurrence of a calendar event that took place (recurrences already expanded)."""

    where: str
    source_key: str  # UID, plus the occurrence's original start for a recurring event
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    summary: str = ""
    status: str = ""  # STATUS, upper-case ("CONFIRMED", "TENTATIVE", "CANCELLED" or "")
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    conference: bool = False  # has a video-call link (Meet, Zoom, Teams, ...)
    all_day: bool = False
    calendar_owner: str = ""  # the calendar's own address when the export states it (Google's X-WR-CALNAME)
