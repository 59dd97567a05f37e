"""Pledge adherence: did you keep the promise, quarter after quarter?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from restons.engine.calendar import quarter_end, quarter_label
from restons.engine.cadence import grace_days


@dataclass(frozen=True)
class QuarterAdherence:
    quarter: str  # "2026-Q3"
    checked_on: date  # the quarter's last day, or today for the current quarter
    kept: int
    people: int

    @property
    def share(self) -> float:
        return self.kept / self.people if self.people else 1.0


@dataclass(frozen=True)
class FirstPings:
    """A pledge whose first-ping window is still open: nothing is counted yet."""

    pinged: int  # people you pinged (out or both) since the pledge date
    people: int
    by: date  # the window's last day: the first pings are due by then
    days_left: int  # from the day checked to ``by`` (0 on the last day)

    @property
    def pending(self) -> int:
        """The people still waiting for their first ping."""
        return self.people - self.pinged


def first_ping_by(pledged_on: date, first_window_days: int) -> date:
    """The last day of the first-ping window (the pledge date plus the window, included)."""
    return pledged_on + timedelta(days=first_window_days)


def kept_on(day: date, pledged_on: date, touches: list[date], cadence_days: int) -> bool:
    """Whether the promise to one person holds on ``day`` (a day after the first-ping window).

    It holds while the last touch since the pledge is within cadence + grace. Touches
    before the pledge date do not count: they belong to the old job.
    """
    after = [t for t in touches if pledged_on <= t <= day]
    return bool(after) and (day - max(after)).days <= cadence_days + grace_days(cadence_days)


def adherence(
    pledged_on: date,
    cadence_days: int,
    first_window_days: int,
    touches_by_person: dict[int, list[date]],
    today: date,
    ended_on: date | None = None,
) -> list[QuarterAdherence]:
    """One entry per quarter checked after the first-ping window, up to today's (or the pledge's end).

    Each quarter is checked on its last day (today for the quarter under way). A quarter
    checked while the first-ping window is open counts nobody, so it is left out: a
    pledge made a minute ago has kept nothing and broken nothing yet.
    """
    last_day = min(today, ended_on) if ended_on else today
    window_closed_after = first_ping_by(pledged_on, first_window_days)
    quarters = []
    check = quarter_end(pledged_on)
    while True:
        day = min(check, last_day)
        if day < pledged_on:
            break
        if day > window_closed_after:
            kept = sum(kept_on(day, pledged_on, touches, cadence_days) for touches in touches_by_person.values())
            quarters.append(QuarterAdherence(quarter_label(day), day, kept, len(touches_by_person)))
        if check >= last_day:
            break
        check = quarter_end(check + timedelta(days=1))
    return quarters


def first_pings(
    pledged_on: date,
    first_window_days: int,
    pings_by_person: dict[int, list[date]],
    today: date,
    ended_on: date | None = None,
) -> FirstPings | None:
    """Progress of the first pings while the window is open on today (or the pledge's end); None once it closed.

    ``pings_by_person`` holds the days you reached out (``out`` or ``both``) to each pledged person.
    """
    last_day = min(today, ended_on) if ended_on else today
    by = first_ping_by(pledged_on, first_window_days)
    if last_day > by:
        return None
    pinged = sum(any(pledged_on <= d <= last_day for d in days) for days in pings_by_person.values())
    return FirstPings(pinged, len(pings_by_person), by, (by - last_day).days)


def overall(quarters: list[QuarterAdherence]) -> float | None:
    """The mean of the quarterly shares, 0 to 1; None while no quarter is counted yet."""
    if not quarters:
        return None
    return round(sum(q.share for q in quarters) / len(quarters), 4)
