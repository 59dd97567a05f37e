"""The plain data the engine works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

STATUSES = ("on-track", "due", "overdue", "dormant", "untracked")
RECIPROCITIES = ("mutual", "you-carry", "they-carry", "silent")


@dataclass(frozen=True)
class PledgeLink:
    """A pledge that names this person."""

    org: str
    on: date
    cadence_days: int
    first_window_days: int = 14
    ended_on: date | None = None

    def active(self, today: date) -> bool:
        return self.on <= today and (self.ended_on is None or today <= self.ended_on)


@dataclass(frozen=True)
class MilestoneInfo:
    title: str
    on: date
    yearly: bool = False
    id: int = 0


@dataclass(frozen=True)
class EventInfo:
    title: str
    on: date
    topics: frozenset[str]
    lead_days: int = 7


@dataclass(frozen=True)
class ContentInfo:
    id: int
    title: str
    on: date
    kind: str
    topics: frozenset[str]


@dataclass(frozen=True)
class PersonState:
    """One person as the engine sees them.

    Times are naive datetimes in the owner's local time zone (the loader
    converts them), so ``.date()`` is the local calendar day.
    ``last_in``/``last_out`` count an interaction ``both`` in each direction;
    ``out_streak`` is the number of ``out`` interactions since the last
    ``in`` or ``both``.
    """

    id: int
    name: str
    created_on: date
    cadence_days: int | None = None
    circle_cadences: tuple[int, ...] = ()
    circles: tuple[str, ...] = ()
    pledges: tuple[PledgeLink, ...] = ()
    snoozed_until: date | None = None
    archived: bool = False
    last_touch: datetime | None = None
    last_in: datetime | None = None
    last_out: datetime | None = None
    first_touch: datetime | None = None
    out_streak: int = 0
    interests: frozenset[str] = frozenset()
    outcomes: int = 0
    milestones: tuple[MilestoneInfo, ...] = ()
    content_sent: frozenset[int] = frozenset()  # content ids already linked to an interaction with them
    known_since: date | None = None  # how-we-met date or LinkedIn connection date
    # The note of their latest message (an ``in`` interaction at ``last_in``); the loader fills it
    # only for the few people whose drafts are written, "" elsewhere.
    last_in_note: str = ""


@dataclass(frozen=True)
class World:
    """What is the same for every person on a given day."""

    today: date
    events: tuple[EventInfo, ...] = ()
    content: tuple[ContentInfo, ...] = ()
    my_milestones: tuple[MilestoneInfo, ...] = ()
    window_days: int = 365


@dataclass(frozen=True)
class Reason:
    kind: str
    # What the wording needs: dates, titles, topics, counts.
    data: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class TodayEntry:
    person: PersonState
    reasons: tuple[Reason, ...]
    score: float
    next_due: date | None
    suggested_cadence_days: int | None = None  # set by the ghosting guard
    band: int = 0  # engine.today.band: the order under pressure, before the score
