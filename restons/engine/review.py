"""The review's rules: the period, who stayed in touch, carried, went quiet, came back or is new,
who reached out first, strength at a past date and why it moved, and this month's drift.

Pure functions over plain data and dates, like the rest of the engine;
docs/review.md writes every rule down with a worked example.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from bisect import bisect_left, bisect_right

from restons.engine import cadence, health
from restons.engine.health import Activity, StrengthParts
from restons.engine.reasons import ANSWER_DAYS
from restons.engine.state import PersonState

LAST_12_MONTHS = "last-12-months"
YEAR = "year"
# A message more than a week after the previous one with the same person opens a new conversation:
# the same week that decides whether a message answers a ping (reasons.ANSWER_DAYS).
CONVERSATION_GAP = timedelta(days=ANSWER_DAYS)
SLIP_DAYS = 30  # "this month" for the drift: the last 30 days
IN_TOUCH = ("on-track", "due")  # within cadence and grace


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The days a review covers, ``start`` to ``end`` included.

    A year is 1 January to 31 December, or to today for the year under way;
    "the last 12 months" is this month so far and the eleven before it.
    """

    kind: str  # YEAR or LAST_12_MONTHS
    start: date
    end: date
    year: int | None = None

    @property
    def key(self) -> str:
        return str(self.year) if self.kind == YEAR else LAST_12_MONTHS

    @property
    def day_before(self) -> date:
        """The last day before the period: "a year before" is judged on this day."""
        return self.start - timedelta(days=1)

    @property
    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        found, month = [], month_start(self.start)
        while month <= self.end:
            found.append(month)
            month = add_months(month, 1)
        return found

    @property
    def middle(self) -> date:
        """The first day of the second half: the first day of the middle month (July for a year).

        A period of a single month (January of the year under way) is cut at its middle day.
        """
        months = self.months
        if len(months) >= 2:
            return months[(len(months) + 1) // 2]
        return self.start + timedelta(days=((self.end - self.start).days + 2) // 2)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def year_period(year: int, today: date) -> Period:
    """The calendar year ``year``, up to ``today`` when it is under way; ValueError for a year after today's."""
    if year > today.year:
        raise ValueError(year)
    return Period(YEAR, date(year, 1, 1), min(date(year, 12, 31), today), year)


def last_12_months(today: date) -> Period:
    """This month so far and the eleven before it: 15 June 2026 → 1 July 2025 to 15 June 2026."""
    return Period(LAST_12_MONTHS, add_months(today, -11), today)


# -- who stayed in touch, carried, came back, is new --------------------------------------------


@dataclass(frozen=True)
class Tally:
    """One person's interactions during the period; a ``both`` counts in each direction."""

    inbound: int = 0
    outbound: int = 0
    together: int = 0
    first_half: int = 0  # interactions (any direction) before period.middle
    second_half: int = 0

    @property
    def total(self) -> int:
        """Interactions, each once (a ``both`` is one interaction)."""
        return self.inbound + self.outbound - self.together


def reciprocity(tally: Tally) -> str:
    """``mutual``, ``you-carry``, ``they-carry`` or ``silent`` over the period (the window rule, on the period)."""
    if tally.inbound and tally.outbound:
        return "mutual"
    if tally.outbound:
        return "you-carry"
    if tally.inbound:
        return "they-carry"
    return "silent"


def stayed_in_touch(tally: Tally) -> bool:
    """Mutual all year: both ways during the period, and in touch in each of its two halves."""
    return reciprocity(tally) == "mutual" and tally.first_half > 0 and tally.second_half > 0


def went_quiet(before: PersonState, after: PersonState, period: Period) -> bool:
    """In touch a year before (on track or due the day before the period), dormant at its end.

    ``before`` and ``after`` are the person as of those two days (:func:`as_of`). Someone
    never in touch before the period did not go quiet: there was nothing to lose.
    """
    return (
        before.last_touch is not None
        and cadence.status(before, period.day_before) in IN_TOUCH
        and cadence.status(after, period.end) == "dormant"
    )


def came_back(before: PersonState, tally: Tally, period: Period) -> bool:
    """Dormant the day before the period (with a touch before it), and they reached out during it.

    Dormancy is the engine's: more than max(365, 3 × cadence) days without contact, 365 for
    someone untracked; untracked people count, since coming back is something they did.
    """
    return before.last_touch is not None and cadence.is_dormant(before, period.day_before) and tally.inbound > 0


def known_from(known_since: date | None, first_touch: date | None) -> date | None:
    """When you got to know someone: the earlier of how-we-met / connection date and the first touch."""
    days = [d for d in (known_since, first_touch) if d is not None]
    return min(days) if days else None


def is_new(known_since: date | None, first_touch: date | None, period: Period) -> bool:
    """New people: you got to know them during the period."""
    start = known_from(known_since, first_touch)
    return start is not None and period.start <= start <= period.end


# -- who reached out first ----------------------------------------------------------------------


def openers(touches) -> list[tuple[datetime, str]]:
    """The interactions that open a conversation, from ``(moment, direction)`` pairs of one person.

    An interaction opens one when the previous interaction with the person, in either direction,
    is more than CONVERSATION_GAP (7 × 24 hours) earlier, or there is none.
    """
    found, previous = [], None
    for moment, direction in sorted(touches):
        if previous is None or moment - previous > CONVERSATION_GAP:
            found.append((moment, direction))
        previous = moment
    return found


# -- strength at a past date --------------------------------------------------------------------


def as_of(person: PersonState, day: date, last_touch: datetime | None, outcomes: int) -> PersonState:
    """``person`` as the engine would have seen them on ``day``.

    ``last_touch`` is their latest interaction up to ``day`` and ``outcomes`` the outcomes dated up
    to ``day``; the first touch is dropped when it came later. Cadences (their own, their circles')
    are today's: Restons keeps no history of them; pledges count when active on ``day``.
    """
    first = person.first_touch if person.first_touch is not None and person.first_touch.date() <= day else None
    return replace(person, last_touch=last_touch, first_touch=first, outcomes=outcomes)


def state_at(person: PersonState, touches, outcome_days, day: date, window_days: int) -> tuple[PersonState, Activity]:
    """The person and their activity on ``day``, from every interaction of theirs.

    ``touches`` is a list of ``(moment, direction, channel)`` sorted by moment (naive local
    datetimes); ``outcome_days`` the dates of their outcomes. The activity counts the window of
    ``window_days`` days ending on ``day``, as the engine does.
    """
    moments = [t[0] for t in touches]
    until = bisect_right(moments, datetime.combine(day, datetime.max.time()))
    since = bisect_left(moments, datetime.combine(day - timedelta(days=window_days - 1), datetime.min.time()))
    inbound = outbound = 0
    channels = set()
    for _moment, direction, channel in touches[since:until]:
        inbound += direction != "out"
        outbound += direction != "in"
        channels.add(channel)
    last = touches[until - 1][0] if until else None
    state = as_of(person, day, last, sum(1 for d in outcome_days if d <= day))
    return state, Activity(inbound, outbound, len(channels))


# -- why a relationship grew or faded -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A relationship's strength the day before the period and at its end, and what moved most."""

    before: int
    after: int
    why: dict  # {"kind": component, ...the numbers its sentence needs}

    @property
    def delta(self) -> int:
        return self.after - self.before


def change(before: PersonState, before_activity: Activity, after: PersonState, after_activity: Activity,
           period: Period, window_days: int) -> Change:
    """Strength on both days and the component that moved most in the direction of the change.

    Ties between components go to the first in the order recency, frequency, reciprocity,
    breadth, tenure, outcomes.
    """
    parts_before = health.strength_parts(before, before_activity, period.day_before, window_days)
    parts_after = health.strength_parts(after, after_activity, period.end, window_days)
    score_before, score_after = round(sum(parts_before)), round(sum(parts_after))
    sign = 1 if score_after >= score_before else -1
    moves = [sign * (a - b) for a, b in zip(parts_after, parts_before)]
    kind = StrengthParts._fields[max(range(len(moves)), key=lambda i: (moves[i], -i))]
    why: dict = {"kind": kind}
    if before.first_touch is None and after.first_touch is not None:
        # A relationship that began during the period: that is the whole story.
        return Change(score_before, score_after, {"kind": "new", "first_touch": after.first_touch.date().isoformat()})
    if kind == "recency":
        why["last_touch"] = after.last_touch.date().isoformat() if after.last_touch else None
    elif kind in ("frequency", "reciprocity"):
        why.update(in_before=before_activity.interactions_in, out_before=before_activity.interactions_out,
                   in_after=after_activity.interactions_in, out_after=after_activity.interactions_out)
    elif kind == "breadth":
        why.update(before=before_activity.channels, after=after_activity.channels)
    elif kind == "outcomes":
        why.update(before=before.outcomes, after=after.outcomes)
    return Change(score_before, score_after, why)


# -- drift: who slipped this month ---------------------------------------------------------------


def slipped(status: str, next_due: date | None, cadence_days: int | None, last_touch: date | None,
            created_on: date, today: date, days: int = SLIP_DAYS) -> tuple[str, date] | None:
    """``("overdue", since)`` or ``("dormant", since)`` when the person crossed that line in the last ``days`` days.

    Overdue since the day after due date + grace; dormant since the day after the last touch (or,
    never touched, the day added) + the silence limit. Nothing in between moves a status back
    without an interaction, so overdue since this month means on track or due a month ago, and
    dormant since this month means in cadence, or merely overdue, a month ago.
    """
    if status == "overdue" and next_due is not None and cadence_days:
        since = next_due + timedelta(days=cadence.grace_days(cadence_days) + 1)
    elif status == "dormant":
        since = (last_touch or created_on) + timedelta(days=cadence.silence_limit_days(cadence_days) + 1)
    else:
        return None
    return (status, since) if today - timedelta(days=days) < since <= today else None
