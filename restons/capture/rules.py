"""The capture rules (PRODUCT.md § 5) as pure functions: what a message or a meeting becomes.

Feed every record of an import to a :class:`Capture` (in file order; no
sorting needed), then call :meth:`Capture.finish`. Nothing here touches the
database: your identities come in as :class:`~restons.capture.me.Me`, the
people you know as a :class:`~restons.capture.me.People` lookup.

- **Direction.** A message the source says you sent (Gmail's ``Sent``
  label, a ``Sent`` folder, an SMS of type "sent"), or whose sender is one of
  your identities, is ``out``; any other is ``in``; a meeting is ``both``. A
  source that states who you are teaches it: the sender of a message it says
  you sent, the calendar owner of a Google export, becomes one of your
  identities (reported in ``learned``). While neither the source nor your
  identities can tell (nothing of yours known yet), records wait in a
  bounded buffer; if the import ends, or the buffer fills, with nothing
  learned, :class:`~restons.capture.me.NeedMe` stops it with one line.
- **Correspondents.** Everyone in To, Cc and Bcc of a message from you; the
  sender of a message to you (not the others it was copied to); every
  attendee of a meeting you took part in who did not decline, plus its
  organizer.
- **Never a ping** (counted in ``ignored`` by reason): what the source
  flags (``list``, ``bulk``, ``auto``, ``spam``, ``trash``, ``draft``), a
  ``no-reply`` sender (or recipient), a ``group`` of more than 5 other people
  (a meeting inviting a whole group address too), a message only to yourself
  (``self``); a ``cancelled`` meeting, one you ``declined`` (a tentative
  answer counts as a decline once the meeting is past; a meeting you never
  answered counts, as calendars often record no answer for your own events),
  a ``resource`` (room, equipment) and an attendee who declined. Message
  reasons count messages; meeting reasons count occurrences, except
  ``resource`` and ``declined`` for one attendee, which count that attendee.
- **Who counts.** A correspondent known by identity is a ping with that
  person. An unknown address becomes a new person only when you wrote to it
  or met it (in this import, before or after its messages to you); one that
  only wrote to you is counted in ``strangers``, or, when its display name is
  exactly a known person's, makes a merge suggestion instead.
- **Conversations.** Messages group into interactions as
  :mod:`restons.capture.conversations` explains; meetings do not group (each
  occurrence is one interaction with each attendee).

The same rules serve every message channel: identity kinds and channels are
plain strings (``email``, ``phone``, ``telegram``, ...; ``email``, ``text``,
``call``, ...), and a source without addresses may use display names (kind
``name``): a name finds the one known person whose whole name it is (accent-
and case-blind; never a first name against a full name), and someone new so
named becomes a person of that name. A correspondent may carry several
identities (:attr:`~restons.capture.records.Address.others`, a Telegram user
id and the phone number the export links it to): any of them finds a known
person, all of them are yours when the source says the message is yours, and
a new person gets them all. A new person found only by a phone number is
named by the number when the source names them nowhere.

How an import uses this: build :class:`Me` and a :class:`People` lookup from
the database, ``add`` every record, and every few thousand records take the
decided pings with :meth:`Capture.drain` and write them: create the new
people (``person is None``; one per address, found by identity if an earlier
batch made it), upsert meeting pings by key, and pass conversation pings
through :func:`conversation_spans` and
:func:`~restons.capture.conversations.reconcile` against the stored
interactions of the same people, channels and directions. ``finish`` gives
the last pings and the summary (``strangers``, ``ignored``, suggestions, the
identities learned, to store as yours).
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from restons.capture.conversations import GAP, KEY_MAX, Conversations, Group, Span, interaction_key
from restons.capture.me import NAME, Me, NeedMe, People
from restons.capture.records import Address, Attendee, Meeting, Message
from restons.importers.textfiles import clean_name

OUT, IN, BOTH = "out", "in", "both"
GROUP_MAX = 5  # more other people than this is a group, not a ping
BUFFER_MAX = 5000  # records held while waiting for the source to say who you are

_NO_REPLY = re.compile(
    r"(?:^|[._+-])(?:no[._-]?reply|do[._-]?not[._-]?reply|dont[._-]?reply)(?:$|[._+\-0-9])"
    r"|^(?:notifications?|notify|mailer-daemon|postmaster|bounces?)(?:$|[._+\-0-9])",
    re.IGNORECASE,
)
_RESOURCE_DOMAINS = ("resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com")
_RESOURCE_TYPES = {"ROOM", "RESOURCE"}
_NOT_THERE = {"DECLINED", "TENTATIVE", "DELEGATED"}


def is_no_reply(address: Address) -> bool:
    """An address nobody reads: ``no-reply@``, ``noreply-…@``, ``notifications@``, ``mailer-daemon@``, ..."""
    return address.kind == "email" and _no_reply_email(address.value)


@functools.lru_cache(maxsize=16384)
def _no_reply_email(value: str) -> bool:
    return bool(_NO_REPLY.search(value.partition("@")[0]))


def display_name(raw: str) -> str:
    """A person's name from a display name: decoration and credentials dropped, ``Doe, Jane`` → ``Jane Doe``."""
    name = raw.strip().strip("\"'").strip()
    if not name or "@" in name:
        return ""
    name = clean_name(name)
    last, comma, first = name.partition(",")
    if comma and "," not in first and last.strip() and first.strip():
        name = f"{first.strip()} {last.strip()}"
    return name


def is_resource(attendee: Attendee) -> bool:
    """A room or equipment: by CUTYPE, or by a Google resource-calendar address."""
    if attendee.cutype in _RESOURCE_TYPES:
        return True
    return attendee.email.rpartition("@")[2] in _RESOURCE_DOMAINS


@dataclass
class Ping:
    """One interaction to store: a conversation (``until`` its last message) or a meeting occurrence."""

    key: str
    at: datetime
    until: datetime
    direction: str
    channel: str
    address: Address  # the identity it is attributed to
    name: str  # for a new person, the name to give them (from the first display name seen); "" otherwise
    person: Hashable | None  # the known person; None: a new person to create from ``address``
    summary: str
    where: str
    grouped: bool  # a conversation (reconcile it with stored spans) rather than a meeting (upsert by key)


@dataclass(frozen=True)
class Suggestion:
    """A stranger whose display name is a known person's: perhaps the same person (merge suggestion)."""

    address: Address
    name: str
    person: Hashable


@dataclass
class CaptureResult:
    pings: list[Ping] = field(default_factory=list)
    strangers: int = 0
    ignored: Counter = field(default_factory=Counter)
    suggestions: list[Suggestion] = field(default_factory=list)
    learned: list[Address] = field(default_factory=list)
    records: int = 0

    def summary(self) -> dict:
        """The capture part of the import summary (``strangers``, ``ignored`` by reason)."""
        return {"strangers": self.strangers, "ignored": dict(sorted(self.ignored.items()))}


class Capture:
    """Applies the rules to one import's records; see the module docstring."""

    def __init__(self, me: Me, people: People, *, gap: timedelta = GAP, group_max: int = GROUP_MAX,
                 buffer_max: int = BUFFER_MAX):
        self.me = me
        self.people = people
        self.group_max = group_max
        self.buffer_max = buffer_max
        self.result = CaptureResult()
        self.conversations = Conversations(gap)  # spans that are pings
        self.inbound = Conversations(gap)  # spans from unknown addresses that only wrote to you (so far)
        self.contacted: set[tuple[str, str]] = set()  # unknown addresses you wrote to or met
        self.inbound_groups: dict[tuple[str, str], set[Group]] = {}  # unknown address -> its groups in inbound
        self.names: dict[tuple[str, str], str] = {}
        self.meetings: dict[str, Ping] = {}
        self.pending: list[Message | Meeting] = []
        self.pending_kind = ""
        self._display: dict[tuple[str, str], str] = {}  # ident -> a new person's name, made once
        self._found: dict[tuple, Hashable | None] = {}  # address -> known person, until the next drain
        self._bare_addresses: dict[tuple, Address] = {}
        # What a message decides, by (sender, recipients, outgoing, channel) objects: a chat's parser
        # gives each author's messages the same address objects, which then decide the same way until
        # something the decision rests on changes (see _remember).
        self._plans: dict[tuple, tuple] = {}

    # -- reading -------------------------------------------------------------

    def add(self, record: Message | Meeting) -> None:
        """Apply the rules to one record (raises NeedMe when the buffer of undecidable records fills)."""
        self.result.records += 1
        if type(record) is Message:
            sender, outgoing = record.sender, record.outgoing
            if not record.flags:
                plan = self._plans.get((id(sender), id(record.recipients), outgoing, record.channel))
                if plan is not None:  # decided before, the same way (see _remember)
                    self._apply(plan, record)
                    return
            # The common cases, decided at once: nothing to learn, nothing to wait for.
            if outgoing is None:
                if sender is not None and self.me.knows(sender.kind):
                    self._message(record, remember=True)
                    return
            elif outgoing is False or sender is None or (not sender.others and self.me.has(sender)):
                self._message(record, remember=True)  # received, or sent by an identity already yours
                return
        if self._teach(record) and self.pending:
            pending, self.pending = self.pending, []
            for waiting in pending:
                self._decide(waiting)
        kind = self._cannot_tell(record)
        if kind:
            self.pending.append(record)
            self.pending_kind = self.pending_kind or kind
            if len(self.pending) > self.buffer_max:
                raise NeedMe(self.pending_kind)
            return
        self._decide(record)

    def add_all(self, records: Iterable[Message | Meeting]) -> CaptureResult:
        for record in records:
            self.add(record)
        return self.finish()

    def finish(self) -> CaptureResult:
        """The pings (sorted by time, then key), strangers, ignored counts, suggestions and what was learned."""
        if self.pending:
            raise NeedMe(self.pending_kind)
        result = self.result
        # What is left in inbound is from addresses you never wrote to nor met: strangers.
        for ident in sorted(self.inbound_groups):
            name = display_name(self.names.get(ident, ""))
            person = self.people.named(name) if name else None
            if person is not None:
                result.suggestions.append(Suggestion(Address(*ident, name), name, person))
            else:
                result.strangers += 1
        self.inbound, self.inbound_groups = Conversations(self.conversations.gap), {}
        result.pings = self.drain()
        return result

    def drain(self) -> list[Ping]:
        """The pings decided so far (sorted by time, then key), handed over to be written now.

        Call it every few thousand records to keep memory flat on a mailbox of
        any size. A conversation that goes on after it was drained comes back
        later as another piece, which :func:`~restons.capture.conversations.reconcile`
        merges with the stored one, so writing each drained batch through
        ``reconcile`` gives the same interactions as one batch at the end.
        """
        pings = [self._conversation_ping(group, span) for group, span in self.conversations.spans()]
        pings.extend(self.meetings.values())
        pings.sort(key=_BY_TIME)
        self.conversations = Conversations(self.conversations.gap)
        self.meetings = {}
        self._found = {}  # the people the caller creates now are found from the next batch on
        self._plans = {}
        return pings

    def _contact(self, ident: tuple[str, str]) -> None:
        """An unknown address you wrote to or met: a new person; what it wrote to you so far counts too."""
        if ident in self.contacted:
            return
        self.contacted.add(ident)
        self._plans = {}  # a plan may send this address's messages to inbound
        for group in self.inbound_groups.pop(ident, ()):
            for span in self.inbound.pop(group):
                self.conversations.add(group, span)

    # -- deciding ------------------------------------------------------------

    def _known(self, address: Address) -> Hashable | None:
        """The known person with any of the address's identities; a bare name matches a whole name.

        Remembered until the next :meth:`drain` (chats ask about the same few people on every line).
        """
        ident = (address.kind, address.value) if not address.others else (
            address.kind, address.value, address.others)
        person = self._found.get(ident, _UNKNOWN)
        if person is not _UNKNOWN:
            return person
        person = None
        for kind, value in address.identities():
            person = self.people.named(value) if kind == NAME else self.people.find(kind, value)
            if person is not None:
                break
        self._found[ident] = person
        return person

    def _teach(self, record: Message | Meeting) -> bool:
        learned: list[Address] = []
        if isinstance(record, Message):
            if record.outgoing is True and record.sender is not None:
                if not record.sender.others and self.me.has(record.sender):
                    return False  # already yours: nothing to learn
                learned = [Address(kind, value) for kind, value in record.sender.identities()]
        elif record.calendar_owner and not self.me.has_email(record.calendar_owner):
            learned = [Address("email", record.calendar_owner)]
        new = [address for address in learned if self.me.learn(address)]
        if new:
            self._plans = {}  # plans rest on your identities
        self.result.learned.extend(new)
        return bool(new)

    def _cannot_tell(self, record: Message | Meeting) -> str:
        """The identity kind that is missing to decide ``record``, or ""."""
        if isinstance(record, Message):
            if record.outgoing is None and record.sender is not None and not self.me.knows(record.sender.kind):
                return record.sender.kind
            return ""
        return "" if self.me.knows("email") else "email"

    def _decide(self, record: Message | Meeting) -> None:
        if isinstance(record, Message):
            self._message(record)
        else:
            self._meeting(record)

    def _ignore(self, reason: str) -> None:
        self.result.ignored[reason] += 1

    def _message(self, message: Message, *, remember: bool = False) -> None:
        if message.flags:
            self._ignore(message.flags[0])
            return
        plan = self._plan(message)
        if remember:
            self._remember(message, plan)
        self._apply(plan, message)

    def _remember(self, message: Message, plan: tuple) -> None:
        """Keep what ``message`` decided for the next message with the same address objects.

        A plan rests on your identities, on who is known (looked up until the next drain),
        and on which unknown addresses you wrote to: it is forgotten when any of them changes
        (a learned identity, a drain, an address contacted). Only messages the fast path of
        :meth:`add` decides are remembered, so a remembered plan never skips what a record
        that must wait (or teach) would do. The plan holds the address objects, so their ids
        are not reused while it is kept.
        """
        plans = self._plans
        if len(plans) >= PLANS_MAX:  # (mail: each message its own objects; nothing to gain, memory kept flat)
            plans.clear()
        plans[(id(message.sender), id(message.recipients), message.outgoing, message.channel)] = (
            *plan, message.sender, message.recipients)

    def _apply(self, plan: tuple, message: Message) -> None:
        """Count the plan's ignored reasons and add the message to its conversations."""
        ignores, targets = plan[0], plan[1]
        if ignores:
            ignored = self.result.ignored
            for reason in ignores:
                ignored[reason] += 1
        at = message.at
        for conversations, group, address, direction in targets:
            # Most messages: one more in the last conversation (Conversations.extend, inline).
            spans = conversations.groups.get(group)
            if spans:
                tail = spans[-1]
                if tail.first <= at and at - tail.last < conversations.gap and tail.stored is None:
                    if at > tail.last:
                        tail.last = at
                    continue  # nothing else to keep
            conversations.add(group, Span(
                first=at, last=at, summary=message.summary, where=message.where,
                key=interaction_key(message.source_key, direction, address), address=address))

    def _plan(self, message: Message) -> tuple[tuple[str, ...], tuple]:
        """(ignored reasons, targets) of a message without flags: each target is (conversations, group,
        address, direction), the message's place in a conversation with one correspondent."""
        me = self.me
        outgoing = message.outgoing
        sender = message.sender
        channel = message.channel
        mine = None  # whether the sender is yours, once asked
        if outgoing is None:
            outgoing = mine = me.has(sender)
        if outgoing:
            recipients = message.recipients
            if len(recipients) == 1:
                others = [] if me.has(recipients[0]) else [recipients[0]]
            else:
                others = _unique(a for a in recipients if not me.has(a))
            if not others:
                return _SELF
            if len(others) > self.group_max:
                return _GROUP
            ignores, targets = [], []
            for address in others:
                if is_no_reply(address):
                    ignores.append("no-reply")
                else:
                    targets.append(self._target(address, OUT, channel))
            return tuple(ignores), tuple(targets)
        if sender is None or (me.has(sender) if mine is None else mine):
            return _SELF
        if is_no_reply(sender):
            return _NO_REPLY_PLAN
        # Counting the others only matters when there could be too many.
        if len(message.recipients) >= self.group_max and len(
                _unique(a for a in (sender, *message.recipients) if not me.has(a))) > self.group_max:
            return _GROUP
        return (), (self._target(sender, IN, channel),)

    def _target(self, address: Address, direction: str, channel: str) -> tuple:
        """Where a message with ``address`` goes: (conversations, group, address, direction)."""
        ident = (address.kind, address.value)
        if address.name and ident not in self.names:
            self.names[ident] = address.name  # made a person's name (display_name) only when needed
        if address.others:
            person = self._known(address)
        else:  # _known's cache, without the call
            person = self._found.get(ident, _UNKNOWN)
            if person is _UNKNOWN:
                person = self._known(address)
        if person is not None:
            return self.conversations, (("person", person), channel, direction), address, direction
        if direction == OUT or ident in self.contacted:
            if direction == OUT:
                self._contact(ident)
            return self.conversations, (("address", *ident), channel, direction), address, direction
        group = (("address", *ident), channel, direction)
        self.inbound_groups.setdefault(ident, set()).add(group)
        return self.inbound, group, address, direction

    def _meeting(self, meeting: Meeting) -> None:
        if meeting.status == "CANCELLED":
            self._ignore("cancelled")
            return
        me = self.me
        mine = [a for a in meeting.attendees if me.has_email(a.email)]
        if mine and mine[0].partstat in _NOT_THERE:
            self._ignore("declined")
            return
        people: dict[str, Attendee] = {}
        for attendee in meeting.attendees:
            if not attendee.email or me.has_email(attendee.email) or attendee.email in people:
                continue
            if attendee.cutype == "GROUP":
                self._ignore("group")  # a whole list was invited: a group, not a ping
                return
            if is_resource(attendee):
                self._ignore("resource")
                continue
            people[attendee.email] = attendee
        organizer = meeting.organizer
        if organizer and organizer.email and not me.has_email(organizer.email) and organizer.email not in people:
            if not is_resource(organizer):
                people[organizer.email] = organizer
        if len(people) > self.group_max:
            self._ignore("group")
            return
        channel = "video" if meeting.conference else "meeting"
        for attendee in people.values():
            if attendee.partstat in _NOT_THERE:
                self._ignore("declined")
                continue
            address = Address("email", attendee.email, attendee.name)
            ident = ("email", attendee.email)
            name = display_name(attendee.name)
            if attendee.name and ident not in self.names:
                self.names[ident] = attendee.name
            key = _meeting_key(meeting.source_key, attendee.email)
            if key in self.meetings:
                continue  # the same occurrence in two calendars
            person = self.people.find(*ident)
            if person is None:
                self._contact(ident)
            self.meetings[key] = Ping(
                key=key, at=meeting.start, until=meeting.end, direction=BOTH, channel=channel, address=address,
                name=name if person is None else "", person=person, summary=meeting.summary, where=meeting.where, grouped=False)

    def _name(self, ident: tuple[str, str]) -> str:
        """A new person's name: their display name; for a phone number nobody named, the number."""
        if ident not in self._display:
            name = display_name(self.names.get(ident, ""))
            if not name and ident[0] in (NAME, "phone"):
                name = ident[1]
            self._display[ident] = name
        return self._display[ident]

    def _bare(self, address: Address) -> Address:
        """The address without its display name (what a ping is attributed to), made once per address."""
        key = (address.kind, address.value, address.others)
        bare = self._bare_addresses.get(key)
        if bare is None:
            bare = self._bare_addresses[key] = Address(address.kind, address.value, others=address.others)
        return bare

    def _conversation_ping(self, group: Group, span: Span) -> Ping:
        who, channel, direction = group
        address = span.address
        person = who[1] if who[0] == "person" else None
        return Ping(
            key=span.key, at=span.first, until=span.last, direction=direction, channel=channel,
            address=self._bare(address),
            name=self._name((address.kind, address.value)) if person is None else "",
            person=person, summary=span.summary,
            where=span.where, grouped=True)


_UNKNOWN = object()  # not looked up yet
PLANS_MAX = 10_000  # messages' plans kept (see Capture._remember)
_SELF, _GROUP, _NO_REPLY_PLAN = (("self",), ()), (("group",), ()), (("no-reply",), ())
_BY_TIME = operator.attrgetter("at", "key")


def _unique(addresses: Iterable[Address]) -> list[Address]:
    seen: dict[tuple[str, str], Address] = {}
    for address in addresses:
        seen.setdefault((address.kind, address.value), address)
    return list(seen.values())


def _meeting_key(occurrence: str, email: str) -> str:
    key = f"{occurrence}#{email}"
    if len(key) > KEY_MAX:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:40]
    return key


def conversation_spans(pings: Iterable[Ping]) -> list[tuple[Group, Span]]:
    """The grouped pings as :func:`~restons.capture.conversations.reconcile` takes them.

    Create the new people first and set each ping's ``person``: stored
    interactions are grouped by ``("person", id)``.
    """
    spans = []
    for ping in pings:
        if not ping.grouped:
            continue
        if ping.person is None:
            raise ValueError(f"{ping.key}: create the person before reconciling")
        spans.append(((("person", ping.person), ping.channel, ping.direction), Span(
            first=ping.at, last=ping.until, summary=ping.summary, where=ping.where, key=ping.key,
            address=ping.address)))
    return spans


def check_me(me: Me, kind: str = "email", *, source_can_tell: bool = False) -> None:
    """Stop with :class:`NeedMe` before reading, when the source cannot tell and you have no ``kind`` identity.

    For sources known up front to say nothing about you (a plain mbox of
    received mail, a calendar without owner); :class:`Capture` does the same
    check record by record for the others.
    """
    if not source_can_tell and not me.knows(kind):
        raise NeedMe(kind)
