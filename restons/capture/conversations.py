"""Conversations, not messages: how messages group into one interaction, in any order, across imports.

The rule (PRODUCT.md § 5): messages with one person on one channel in one
direction, each less than 12 hours after the previous one in that direction,
are one interaction, timed at the first.

Design: an interaction is a span
--------------------------------

A grouped interaction is a **span** ``[first, last]`` of message times in one
**group** ``(who, channel, direction)``, where ``who`` is the known person (or,
for someone new, their address). Whether two messages belong together depends
only on the set of times in the group, never on the order they are read in:
a group's spans are exactly the maximal runs of times whose consecutive gaps
are under 12 hours. So :class:`Conversations` keeps, per group, a sorted list
of disjoint spans, and adding a message (or a whole span) either

- falls inside a span, or less than 12 hours before or after it: the span
  grows to cover it (and is re-timed when the message is earlier than its
  first one, taking that message's subject as its summary);
- bridges two spans (less than 12 hours from both): they merge into one;
- touches none: it starts a new span.

That makes the result of reading a file in file order, sorted order or any
shuffle the same, and it makes **re-imports** work the same way: the spans
already stored are just more spans of the group. :func:`reconcile` adds a
new import's spans to the stored ones (the stored interactions of the same
people, channels and directions whose span reaches within 12 hours of the
import's) and says which to create, which to update (grown, re-timed, or
having swallowed another) and which to delete (swallowed by another). A
re-run of the same file, or an overlapping later export, finds every message
inside a stored span and changes nothing; an export that starts mid-way
through a conversation extends the stored interaction instead of making a
second one; a message that arrives in the 12 hours before a stored span
re-times it.

The stable key
--------------

Each interaction still has a source key, for the ``(owner, source,
source_key)`` uniqueness every import relies on: ``<key of its first
message>#<direction>:<address it was first written to or from>`` (hashed when
longer than 500 characters). Reading the same messages again gives the same
key; a stored interaction keeps its key when it grows (the database finds it
by its span, not its key), so keys never churn. The key names no source, so
the same mail read from an mbox and later over IMAP meets the same stored
spans: :func:`reconcile` should be given the stored interactions of the
channel whatever import made them.

What the database keeps for this: each grouped interaction's ``at`` (the
first message) and its last message's time (a column to add; ``until`` in
:class:`Stored`).
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from restons.capture.records import Address

GAP = timedelta(hours=12)
KEY_MAX = 500

Group = tuple[Hashable, str, str]  # (who, channel, direction)


@dataclass(slots=True)
class Span:
    """One conversation in a group: its first and last message times and what the first one says."""

    first: datetime
    last: datetime
    summary: str
    where: str
    key: str  # the interaction's source key (see interaction_key)
    address: Address  # whom the first message was to or from
    stored: Hashable | None = None  # the stored interaction this span is (None: new)
    stored_first: datetime | None = None  # its times as stored, to tell whether it changed
    stored_last: datetime | None = None
    swallowed: list[Hashable] = field(default_factory=list)  # stored interactions merged into this one

    @property
    def changed(self) -> bool:
        return self.stored is None or self.swallowed != [] or (self.first, self.last) != (
            self.stored_first, self.stored_last)


def interaction_key(message_key: str, direction: str, address: Address) -> str:
    """The source key of the interaction that starts with message ``message_key``."""
    key = f"{message_key}#{direction}:{address.value}"
    if len(key) > KEY_MAX:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:40]
    return key


class Conversations:
    """Spans per group, kept disjoint, sorted and at least ``gap`` apart."""

    def __init__(self, gap: timedelta = GAP):
        self.gap = gap
        self.groups: dict[Group, list[Span]] = {}

    def add(self, group: Group, span: Span) -> None:
        """Add a message (a span with first == last) or a stored span; merge what it touches."""
        spans = self.groups.setdefault(group, [])
        if spans:
            # Fast paths for time order (most files are nearly sorted): after the last span, or
            # extending it forward.
            tail = spans[-1]
            if span.first >= tail.first:
                if span.first - tail.last >= self.gap:
                    spans.append(span)
                    return
                if tail.stored is None and span.stored is None and not span.swallowed and (
                        len(spans) == 1 or span.first - spans[-2].last >= self.gap):
                    if span.last > tail.last:
                        tail.last = span.last
                    return
        else:
            spans.append(span)
            return
        # Spans are disjoint and sorted, so both their firsts and their lasts are sorted.
        lo = bisect.bisect_right(spans, span.first - self.gap, key=_last)
        hi = bisect.bisect_left(spans, span.last + self.gap, key=_first)
        touching = spans[lo:hi]
        if not touching:
            spans.insert(lo, span)
            return
        spans[lo:hi] = [_merge([*touching, span])]

    def extend(self, group: Group, at: datetime) -> bool:
        """Add a message at ``at`` when it only prolongs the group's last conversation; False otherwise.

        The fast path for a file in time order: no span is made for such a message.
        """
        spans = self.groups.get(group)
        if not spans:
            return False
        tail = spans[-1]
        if tail.first <= at and at - tail.last < self.gap and tail.stored is None:
            if at > tail.last:
                tail.last = at
            return True
        return False

    def spans(self) -> Iterator[tuple[Group, Span]]:
        for group, spans in self.groups.items():
            for span in spans:
                yield group, span

    def pop(self, group: Group) -> list[Span]:
        return self.groups.pop(group, [])

    def __len__(self) -> int:
        return sum(len(spans) for spans in self.groups.values())


def _first(span: Span) -> datetime:
    return span.first


def _last(span: Span) -> datetime:
    return span.last


def _merge(spans: list[Span]) -> Span:
    """One span covering ``spans``: the earliest one's summary and key; the earliest stored one survives."""
    head = min(spans, key=lambda s: (s.first, s.key))
    stored = sorted((s for s in spans if s.stored is not None), key=lambda s: (s.stored_first, str(s.stored)))
    swallowed = [ref for s in spans for ref in s.swallowed]
    if stored:
        keeper = stored[0]
        swallowed += [s.stored for s in stored[1:]]
        return replace(keeper, first=head.first, last=max(s.last for s in spans), summary=head.summary,
                       where=head.where, address=head.address if head.first < keeper.first else keeper.address,
                       swallowed=swallowed)
    return replace(head, last=max(s.last for s in spans), swallowed=swallowed)


@dataclass(frozen=True, slots=True)
class Stored:
    """A grouped interaction already in the database, as :func:`reconcile` needs it."""

    ref: Hashable  # its id
    who: Hashable  # the person
    channel: str
    direction: str
    at: datetime
    until: datetime  # its last message
    key: str
    summary: str = ""


@dataclass
class Plan:
    """What to write: interactions to create, stored ones to update, stored ones to delete."""

    create: list[tuple[Group, Span]] = field(default_factory=list)
    update: list[tuple[Group, Span]] = field(default_factory=list)  # span.stored is the id
    delete: list[Hashable] = field(default_factory=list)


def reconcile(new: Iterable[tuple[Group, Span]], stored: Iterable[Stored], gap: timedelta = GAP) -> Plan:
    """Merge a new import's spans with the stored ones of the same groups; the plan that results.

    ``stored`` must hold every stored interaction of the groups in ``new``
    whose span comes within ``gap`` of a new span (more is harmless).
    """
    conversations = Conversations(gap)
    for item in stored:
        group = (item.who, item.channel, item.direction)
        conversations.add(group, Span(
            first=item.at, last=item.until, summary=item.summary, where="", key=item.key,
            address=Address("", ""), stored=item.ref, stored_first=item.at, stored_last=item.until))
    for group, span in new:
        conversations.add(group, span)
    plan = Plan()
    for group, span in conversations.spans():
        plan.delete.extend(span.swallowed)
        if span.stored is None:
            plan.create.append((group, span))
        elif span.changed:
            plan.update.append((group, span))
    return plan
