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


def kept_on(day: date, pledged_on: date, touches: list[date], cadence_days: int, first_window_days: int) -> bool:
    """Whether the promise to one person holds on ``day``.

    Before any touch after the pledge, it holds until the first-ping window
    closes; after that, it holds while the last touch is within cadence + grace.
    Touches before the pledge date do not count: they belong to the old job.
    """
    after = [t for t in touches if pledged_on <= t <= day]
    if not after:
        return day <= pledged_on + timedelta(days=first_window_days)
    return (day - max(after)).days <= cadence_days + grace_days(cadence_days)


def adherence(
    pledged_on: date,
    cadence_days: int,
    first_window_days: int,
    touches_by_person: dict[int, list[date]],
    today: date,
    ended_on: date | None = None,
) -> list[QuarterAdherence]:
    """One entry per quarter from the pledge's quarter to today's (or the pledge's end).

    Each quarter is checked on its last day (today for the quarter under way).
    """
    last_day = min(today, ended_on) if ended_on else today
    quarters = []
    check = quarter_end(pledged_on)
    while True:
        day = min(check, last_day)
        if day < pledged_on:
            break
        kept = sum(
            kept_on(day, pledged_on, touches, cadence_days, first_window_days)
            for touches in touches_by_person.values()
        )
        quarters.append(QuarterAdherence(quarter_label(day), day, kept, len(touches_by_person)))
        if check >= last_day:
            break
        check = quarter_end(check + timedelta(days=1))
    return quarters


def overall(quarters: list[QuarterAdherence]) -> float:
    """The mean of the quarterly shares, 0 to 1 (1 when nothing is due yet)."""
    if not quarters:
        return 1.0
    return round(sum(q.share for q in quarters) / len(quarters), 4)
