"""Cadence, grace, next due date and status."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from restons.engine.state import PersonState

MAX_GRACE_DAYS = 30
CLOSE_DAYS = 60  # a cadence of two months or less: a close relationship


def effective_cadence(person: PersonState, today: date) -> int | None:
    """The person's own cadence, else the shortest of their circles' and active pledges', else None."""
    if person.cadence_days:
        return person.cadence_days
    candidates = [c for c in person.circle_cadences if c]
    candidates += [p.cadence_days for p in person.pledges if p.active(today)]
    return min(candidates) if candidates else None


def is_close(cadence_days: int | None) -> bool:
    """A close relationship: you chose to be in touch every two months or more often."""
    return cadence_days is not None and cadence_days <= CLOSE_DAYS


def grace_days(cadence_days: int) -> int:
    """A quarter of the cadence, at most 30 days."""
    return min(cadence_days // 4, MAX_GRACE_DAYS)


def stagger_days(person_id: int, cadence_days: int) -> int:
    """A stable offset in 1..cadence for a person never touched.

    Knuth's multiplicative hash spreads consecutive ids evenly across the
    window, so importing 800 connections does not make 800 people due at once.
    """
    return 1 + ((person_id * 2654435761) % 2**32) % cadence_days


def next_due(person: PersonState, today: date) -> date | None:
    """Last touch + cadence; for someone never touched, the staggered first due date; None when untracked."""
    return assess(person, today).due


def silence_limit_days(cadence_days: int | None) -> int:
    """Dormant after no interaction for the longer of a year and three cadences."""
    return max(365, 3 * cadence_days) if cadence_days else 365


def is_dormant(person: PersonState, today: date) -> bool:
    """No interaction (or, never touched, since they were added) for the longer of a year and three cadences."""
    cadence = effective_cadence(person, today)
    reference = person.last_touch.date() if person.last_touch else person.created_on
    return (today - reference).days > silence_limit_days(cadence)


class Assessment(NamedTuple):
    """A person's cadence, next due date and status on one day, computed once."""

    every: int | None
    due: date | None
    status: str


def assess(person: PersonState, today: date) -> Assessment:
    """Cadence, next due date and status (``untracked``, ``dormant``, ``overdue``, ``due`` or ``on-track``)."""
    every = effective_cadence(person, today)
    if every is None:
        return Assessment(None, None, "untracked")
    last = person.last_touch.date() if person.last_touch is not None else None
    due = last + timedelta(days=every) if last else person.created_on + timedelta(days=stagger_days(person.id, every))
    if (today - (last or person.created_on)).days > silence_limit_days(every):
        return Assessment(every, due, "dormant")
    if today > due + timedelta(days=grace_days(every)):
        return Assessment(every, due, "overdue")
    if today >= due:
        return Assessment(every, due, "due")
    return Assessment(every, due, "on-track")


def status(person: PersonState, today: date) -> str:
    """``untracked``, ``dormant``, ``overdue``, ``due`` or ``on-track``."""
    return assess(person, today).status
