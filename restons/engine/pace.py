"""Pace: what your cadences ask, what you manage, what to change when they do not fit, and catching up.

Pure like the rest of the engine: the loader passes the people, the circles,
the days you pinged and the days you opened Today. docs/engine.md (Pace)
gives every rule with its reason and a worked example.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from restons.engine import cadence, health
from restons.engine.state import PersonState

PACE_DAYS = 56  # the pace is measured over the last eight weeks (ending yesterday)
STAYS_DAYS = 14  # "stays above": the load is above the pace now and two weeks ago
MIN_OPENED = 7  # fewer days of use in the window than this, and the pace says too little to judge
TARGET_SHARE = 0.8  # proposals bring the load to 80 % of the pace: the rest goes to replies and hooks
LADDER = (7, 14, 30, 60, 90, 180, 365)  # the cadences a circle moves along, one rung at a time
AWAY_DAYS = 7  # Today unopened this many days in a row: you were away, and come back catching up
CATCH_UP_MAX_DAYS = 30  # catching up ends after a month, whatever is left


@dataclass(frozen=True)
class CircleInfo:
    """A circle as the proposals see it: its cadence and the ids of its people."""

    id: int
    name: str
    cadence_days: int | None
    members: tuple[int, ...] = ()


@dataclass(frozen=True)
class Pace:
    """Your pings (``out`` or ``both``) and your days of use over a window of days, both ends included."""

    since: date
    until: date
    pings: int
    opened: int  # days you opened Today in the window

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def per_day(self) -> float:
        """Pings per calendar day, holidays and quiet days included."""
        return self.pings / self.days

    @property
    def per_open_day(self) -> float | None:
        """Pings per day you opened Today; None when you never did in the window."""
        return self.pings / self.opened if self.opened else None


def measure(pings_by_day: dict[date, int], opened: set[date] | frozenset[date], until: date,
            days: int = PACE_DAYS) -> Pace:
    """The pace over the ``days`` days ending on ``until`` (included)."""
    since = until - timedelta(days=days - 1)
    pings = sum(n for day, n in pings_by_day.items() if since <= day <= until)
    return Pace(since, until, pings, sum(1 for day in opened if since <= day <= until))


def asks(person: PersonState, today: date) -> float:
    """The pings a day this person's cadence asks: 1/cadence, or 0 (untracked, dormant or archived)."""
    if person.archived:
        return 0.0
    every, _due, state = cadence.assess(person, today)
    return 0.0 if every is None or state == "dormant" else 1.0 / every


def load(people, today: date) -> float:
    """The pings a day your cadences ask: the sum of 1/cadence over the people you track.

    Archived, untracked and dormant people ask nothing: Today does not chase a dormant
    relationship on its cadence (only a ``reconnect`` when it was mutual).
    """
    return sum(asks(person, today) for person in people)


def strained(load_now: float, now: Pace, before: Pace, first_opened: date | None) -> bool:
    """Whether the load *stays* above the pace: above the pace of the last eight weeks (``now``) and of the
    eight weeks ending two weeks earlier (``before``), with enough use to judge: Today first opened
    on or before the earlier window's first day, and on at least MIN_OPENED days of the latest.

    Both windows must show it, so a bad fortnight (the holiday you just came back from) does not
    on its own: it is not in the earlier window.
    """
    return enough_use(now, before, first_opened) and load_now > now.per_day and load_now > before.per_day


def enough_use(now: Pace, before: Pace, first_opened: date | None) -> bool:
    """Whether the pace says enough to judge: Today first opened on or before the earlier window's first
    day (ten weeks of use), opened on at least MIN_OPENED days of the latest window, and some pings."""
    return first_opened is not None and first_opened <= before.since and now.opened >= MIN_OPENED and now.pings > 0


@dataclass(frozen=True)
class Proposal:
    """One change the owner may accept: a circle or a person to a longer cadence, or a person untracked.

    ``id`` names it for ``restons pace apply``: ``circle-ID-DAYS``, ``person-ID-DAYS`` or ``untrack-ID``.
    ``people`` is how many people's cadence it changes; ``saving`` the pings a day it frees.
    """

    id: str
    kind: str  # "circle", "person" or "untrack"
    target: int  # the circle's or the person's id
    name: str
    from_days: int
    to_days: int | None  # None: untracked
    people: int
    saving: float
    streak: int = 0  # for a person: your pings in a row without an answer


@dataclass(frozen=True)
class Advice:
    """What ``advise`` says: the load and the pace, whether the load stays above it, and the proposals."""

    load: float
    pace: Pace
    strained: bool
    proposals: tuple[Proposal, ...] = ()
    load_after: float = 0.0  # the load once every proposal is accepted
    close_load: float = 0.0  # what your close relationships alone ask

    @property
    def target(self) -> float:
        return TARGET_SHARE * self.pace.per_day


def next_rung(every: int) -> int | None:
    """The next longer cadence on the ladder (None from a year on)."""
    return next((rung for rung in LADDER if rung > every), None)


class _Plan:
    """The network as the proposals accepted so far would make it: own cadences, circles, who is untracked."""

    def __init__(self, people, circles, today: date):
        self.today = today
        self.people = {p.id: p for p in people}
        self.circles = {c.id: c for c in circles}
        self.days = {c.id: c.cadence_days for c in circles}
        self.membership: dict[int, list[int]] = {}
        for circle in circles:
            for pid in circle.members:
                self.membership.setdefault(pid, []).append(circle.id)
        self.own = {p.id: p.cadence_days or None for p in people}
        self.untracked: set[int] = set()
        self.live = {p.id for p in people if asks(p, today)}  # tracked, not dormant: what the load counts
        self.load = sum(self.asks(pid) for pid in self.live)

    def cadence(self, pid: int, days=None) -> int | None:
        """``effective_cadence`` with the planned own cadence and circle cadences."""
        if pid in self.untracked:
            return None
        if self.own[pid]:
            return self.own[pid]
        days = days or self.days
        person = self.people[pid]
        candidates = [days[c] for c in self.membership.get(pid, ()) if days[c]]
        candidates += [p.cadence_days for p in person.pledges if p.active(self.today)]
        return min(candidates) if candidates else None

    def asks(self, pid: int, days=None) -> float:
        if pid not in self.live:
            return 0.0
        every = self.cadence(pid, days)
        return 1.0 / every if every else 0.0

    def untrack(self, person: PersonState) -> Proposal | None:
        if any(p.active(self.today) for p in person.pledges):
            return None  # a promise keeps them tracked
        was, every = self.asks(person.id), self.cadence(person.id)
        self.untracked.add(person.id)
        self.load -= was
        return Proposal(f"untrack-{person.id}", "untrack", person.id, person.name, every, None, 1,
                        round(was, 4), person.out_streak)

    def lengthen(self, person: PersonState) -> Proposal | None:
        every = self.cadence(person.id)
        longer = min(health.suggested_cadence(every), LADDER[-1])
        if 2 * longer < 3 * every:
            return None  # less than half as long again (from 244 days on): not worth asking
        was = self.asks(person.id)
        self.own[person.id] = longer
        now = self.asks(person.id)
        self.load -= was - now
        return Proposal(f"person-{person.id}-{longer}", "person", person.id, person.name, every, longer, 1,
                        round(was - now, 4), person.out_streak)

    def step(self, circle_id: int) -> None:
        """One rung up the ladder for the circle."""
        members = [pid for pid in self.circles[circle_id].members if pid in self.people]
        was = sum(self.asks(pid) for pid in members)
        self.days[circle_id] = next_rung(self.days[circle_id])
        self.load -= was - sum(self.asks(pid) for pid in members)

    def circle_proposal(self, circle: CircleInfo) -> Proposal:
        before = {**self.days, circle.id: circle.cadence_days}
        changed = [pid for pid in circle.members
                   if pid in self.live and self.cadence(pid, before) != self.cadence(pid)]
        saving = sum(self.asks(pid, before) - self.asks(pid) for pid in changed)
        to = self.days[circle.id]
        return Proposal(f"circle-{circle.id}-{to}", "circle", circle.id, circle.name, circle.cadence_days, to,
                        len(changed), round(saving, 4))


def advise(people, circles, today: date, now: Pace, before: Pace, first_opened: date | None) -> Advice:
    """The load, the pace and, when the load stays above the pace, the changes that bring it to the target.

    Proposals, in this order, until the load is at most TARGET_SHARE of the pace:

    1. people who never answered (they never wrote to you, and the ghosting guard flags them: your
       last three pings or more went unanswered) — untracked, unless an active pledge names them;
    2. people the ghosting guard flags who did answer once — their own cadence becomes the guard's
       (twice the cadence, at least 30 days, at most a year; not when that is less than half as
       long again);
    3. distant circles (a cadence over ``cadence.CLOSE_DAYS``) one rung up the ladder at a time, the one with
       the smallest share of mutual members first, then the longest cadence, then by name. A
       circle may climb several rungs: one proposal. Close circles are never proposed.

    Never changes anything itself. Archived and dormant people are left out (they ask nothing).
    """
    people = [p for p in people if not p.archived]
    total = load(people, today)
    close = sum(asks(p, today) for p in people if cadence.is_close(cadence.effective_cadence(p, today)))
    if not strained(total, now, before, first_opened):
        return Advice(total, now, False, (), total, close)
    target = TARGET_SHARE * now.per_day
    plan = _Plan(people, circles, today)
    proposals: list[Proposal] = []
    ghosts = sorted((p for p in people if p.id in plan.live and health.is_ghosting(p)),
                    key=lambda p: (-p.out_streak, p.name, p.id))
    for person in ghosts:
        if plan.load <= target:
            break
        proposal = plan.untrack(person) if person.last_in is None else plan.lengthen(person)
        if proposal is not None:
            proposals.append(proposal)
    shares = {c.id: _mutual_share(c, plan.people, today) for c in circles}
    moved: list[CircleInfo] = []  # in the order they first moved
    while plan.load > target:
        movable = [c for c in circles
                   if c.cadence_days and not cadence.is_close(c.cadence_days) and next_rung(plan.days[c.id])]
        if not movable:
            break
        circle = min(movable, key=lambda c: (shares[c.id], -plan.days[c.id], c.name, c.id))
        plan.step(circle.id)
        if circle not in moved:
            moved.append(circle)
    proposals += [plan.circle_proposal(c) for c in moved]
    return Advice(total, now, True, tuple(p for p in proposals if p.people), max(plan.load, 0.0), close)


def _mutual_share(circle: CircleInfo, people: dict, today: date) -> float:
    members = [people[m] for m in circle.members if m in people]
    if not members:
        return 0.0
    return sum(health.reciprocity(m, today) == "mutual" for m in members) / len(members)


@dataclass(frozen=True)
class Opening:
    """A day Today was opened, and how many people were overdue when it was first opened that day."""

    day: date
    overdue: int


@dataclass(frozen=True)
class CatchUp:
    """Back after days away: what piled up, and how long catching up takes at your pace."""

    since: date  # the day you came back: the first day Today was opened after AWAY_DAYS or more
    away_days: int  # the days in a row Today was not opened before that
    before: int  # people overdue when you left (at the last opening before the absence)
    overdue: int  # people overdue at today's first opening
    per_day: int  # people Today shows a day while you catch up
    days: int  # about how many days your pings need to get back to where you were

    @property
    def behind(self) -> int:
        """The people overdue beyond those who already were when you left."""
        return self.overdue - self.before


def came_back(openings, today: date) -> tuple[Opening, Opening] | None:
    """The latest return within CATCH_UP_MAX_DAYS: (the last opening before the absence, the return), or None.

    A return is a day Today was opened after AWAY_DAYS or more days in a row without.
    """
    days = sorted((o for o in openings if o.day <= today), key=lambda o: o.day)
    for earlier, later in reversed(list(zip(days, days[1:]))):
        if (today - later.day).days >= CATCH_UP_MAX_DAYS:
            return None
        if (later.day - earlier.day).days - 1 >= AWAY_DAYS:
            return earlier, later
    return None


def per_day_shown(pace: Pace, limit: int) -> int:
    """How many people Today shows a day while you catch up: your pings on a day of use, rounded up,
    at least 1, at most the Today size (the whole size when you have not opened Today in the window)."""
    per_open_day = pace.per_open_day
    return limit if per_open_day is None else max(1, min(limit, math.ceil(per_open_day)))


def catch_up(openings, today: date, pace: Pace, limit: int) -> CatchUp | None:
    """Whether you are catching up today, and how; None when you are not.

    ``openings`` must include today's (what was overdue at today's first opening: the answer
    stays the same all day). You are catching up from the day you come back (see
    :func:`came_back`) while more people are overdue than when you left, for at most
    CATCH_UP_MAX_DAYS. ``days`` = those extra overdue people ÷ your pings per calendar day
    over the pace window, rounded up (÷ ``per_day`` when you made none).
    """
    now = next((o for o in openings if o.day == today), None)
    back = came_back(openings, today) if now is not None else None
    if back is None:
        return None
    left, returned = back
    if now.overdue <= left.overdue:
        return None
    shown = per_day_shown(pace, limit)
    speed = pace.per_day if pace.pings else shown
    behind = now.overdue - left.overdue
    return CatchUp(returned.day, (returned.day - left.day).days - 1, left.overdue, now.overdue, shown,
                   math.ceil(behind / speed))


def catch_up_order(entries, catching: CatchUp | None, limit: int | None = None) -> list:
    """Today's ranked entries as shown: while catching up, replies owed first within each band, cut to
    ``limit`` (default ``per_day``); otherwise as they are.

    Within each band, not across them: a reply owed to an old acquaintance does not pass a close
    friend who is late (measured in bench/simulate_human.py: across bands cost close
    relationships nine points of on-time share).
    """
    if catching is None:
        return list(entries)
    ranked = sorted(entries, key=lambda e: (-e.band, not any(r.kind == "reply-owed" for r in e.reasons)))
    return ranked[: limit or catching.per_day]
