"""Who noticed your milestones: inbound pings within 30 days after each one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from restons.engine.calendar import last_occurrence
from restons.engine.state import MilestoneInfo

NOTICE_DAYS = 30


@dataclass(frozen=True)
class Noticed:
    title: str
    on: date
    people: tuple[tuple[int, str], ...]  # (id, name), sorted by name


def occurrences_in_window(milestones, today: date, window_days: int) -> list[tuple[MilestoneInfo, date]]:
    """Your milestones whose latest occurrence falls in the window ending today."""
    start = today - timedelta(days=window_days)
    found = []
    for milestone in milestones:
        when = last_occurrence(milestone.on, milestone.yearly, today)
        if when is not None and when > start:
            found.append((milestone, when))
    return sorted(found, key=lambda pair: pair[1])


def noticed(occurrences, inbound: list[tuple[int, str, date]]) -> list[Noticed]:
    """For each (milestone, date): the people with an inbound ping in the 30 days after it.

    ``inbound`` is (person id, name, local date) of every inbound interaction
    that could qualify.
    """
    result = []
    for milestone, when in occurrences:
        until = when + timedelta(days=NOTICE_DAYS)
        people = sorted({(pid, name) for pid, name, day in inbound if when <= day <= until}, key=lambda p: (p[1], p[0]))
        result.append(Noticed(milestone.title, when, tuple(people)))
    return result
