"""Cadence, grace, next due date and status."""

from __future__ import annotations

from datetime import date, timedelta

from restons.engine.state import PersonState

MAX_GRACE_DAYS = 30


def effective_cadence(person: PersonState, today: date) -> int | None:
    """The person's own cadence, else the shortest of their circles' and active pledges', else None."""
    if person.cadence_days:
        return person.cadence_days
    candidates = [c for c in person.circle_cadences if c]
    candidates += [p.cadence_days for p in person.pledges if p.active(today)]
    return min(candidates) if candidates else None


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
    cadence = effective_cadence(person, today)
    if cadence is None:
        return None
    if person.last_touch is not None:
        return person.last_touch.date() + timedelta(days=cadence)
    return person.created_on + timedelta(days=stagger_days(person.id, cadence))


def silence_limit_days(cadence_days: int | None) -> int:
    """Dormant after no interaction for the longer of a year and three cadences."""
    return max(365, 3 * cadence_days) if cadence_days else 365


def is_dormant(person: PersonState, today: date) -> bool:
    cadence = effective_cadence(person, today)
    reference = person.last_touch.date() if person.last_touch else person.created_on
    return (today - reference).days > silence_limit_days(cadence)


def status(person: PersonState, today: date) -> str:
    """``untracked``, ``dormant``, ``overdue``, ``due`` or ``on-track``."""
    cadence = effective_cadence(person, today)
    if cadence is None:
        return "untracked"
    if is_dormant(person, today):
        return "dormant"
    due = next_due(person, today)
    if today > due + timedelta(days=grace_days(cadence)):
        return "overdue"
    if today >= due:
        return "due"
    return "on-track"
