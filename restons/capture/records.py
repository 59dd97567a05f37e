"""What the capture parsers yield: plain, typed records that know nothing of the database.

Every message source (mail, SMS and MMS, WhatsApp, Telegram, iMessage,
LinkedIn messages) yields :class:`Message`; a phone call is a :class:`Message`
of channel ``call`` (its summary says how long it lasted); calendars yield one
:class:`Meeting` per occurrence.
The capture rules (:mod:`restons.capture.rules`) turn them into pings. A
record that cannot be read is a :class:`restons.importers.records.ParseError`
(where it was, why), never an exception.

Identity kinds are the ones of :mod:`restons.identities` (``email``,
``phone`` in E.164, ``telegram``, ...) plus ``name`` for a source that shows
only a display name (a WhatsApp author saved in the phone's address book);
values are already normalised by the parser. A Telegram user id is kind
``telegram`` with the bare number as value (``"123456789"``): usernames start
with a letter, so the two never collide.
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
UNSENT = "unsent"  # an SMS still in the outbox, failed or queued
SYSTEM = "system"  # a chat's system line: encryption notice, "X added Y", group events
REACTION = "reaction"  # a tapback or other reaction to a message (iMessage)
MISSED_CALL = "missed-call"  # a call nobody answered (voicemail included)
REJECTED_CALL = "rejected-call"  # a call declined, or answered busy
BLOCKED_CALL = "blocked-call"  # a call from a number on the phone's block list
SHORT_CALL = "zero-length-call"  # a call that lasted 0 seconds
AUTOMATED = "no-reply"  # an SMS short code or alphanumeric sender (a bank, a shop): nobody reads replies
CHANNEL = "channel"  # a broadcast channel (Telegram): not a conversation
BOT = "bot"  # a chat with a bot


@dataclass(frozen=True, slots=True)
class Address:
    """One end of a message: an identity (kind, normalised value) and the name the source shows.

    ``others`` are further identities the source states for the same
    correspondent (a Telegram contact's phone number beside their user id):
    the rules find a known person by any of them, and a new person gets them all.
    """

    kind: str
    value: str
    name: str = ""
    others: tuple[tuple[str, str], ...] = ()

    def identities(self) -> tuple[tuple[str, str], ...]:
        """``(kind, value)`` of this identity, then of the others."""
        return ((self.kind, self.value), *self.others)

    def __reduce__(self):
        # Pickled as its fields (an import spools its pings): a slotted dataclass's own way asks
        # dataclasses.fields() twice per address, which cost an mbox import 0.1 s.
        return (Address, (self.kind, self.value, self.name, self.others))


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
