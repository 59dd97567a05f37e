"""Dates that repeat: yearly milestones, leap days, quarters."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def anniversary(on: date, year: int) -> date:
    """``on`` in ``year``; 29 February falls on 28 February in common years."""
    if on.month == 2 and on.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return on.replace(year=year)


def next_occurrence(on: date, yearly: bool, today: date) -> date | None:
    """The first occurrence on or after ``today`` (None for a past one-off)."""
    if not yearly:
        return on if on >= today else None
    if on > today:
        return on
    this_year = anniversary(on, today.year)
    return this_year if this_year >= today else anniversary(on, today.year + 1)


def last_occurrence(on: date, yearly: bool, today: date) -> date | None:
    """The latest occurrence on or before ``today`` (None when it has not happened yet)."""
    if on > today:
        return None
    if not yearly:
        return on
    this_year = anniversary(on, today.year)
    return this_year if this_year <= today else anniversary(on, today.year - 1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - timedelta(days=1)


def quarter_label(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
