"""The two health axes (status lives in cadence.py), strength and the ghosting guard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, datetime, timedelta

from restons.engine.state import PersonState

GHOSTING_STREAK = 3


def _in_window(moment: datetime | None, today: date, window_days: int) -> bool:
    return moment is not None and today - timedelta(days=window_days) < moment.date() <= today


def reciprocity(person: PersonState, today: date, window_days: int = 365) -> str:
    """``mutual``, ``you-carry``, ``they-carry`` or ``silent`` over the window ending today.

    An interaction ``both`` counts in each direction (the loader folds it into
    ``last_in`` and ``last_out``).
    """
    came_in = _in_window(person.last_in, today, window_days)
    went_out = _in_window(person.last_out, today, window_days)
    if came_in and went_out:
        return "mutual"
    if went_out:
        return "you-carry"
    if came_in:
        return "they-carry"
    return "silent"


def is_ghosting(person: PersonState) -> bool:
    """Three outbound pings in a row with no answer in between."""
    return person.out_streak >= GHOSTING_STREAK


def suggested_cadence(cadence_days: int | None) -> int | None:
    """The longer cadence the ghosting guard proposes: twice the current one, at least a month."""
    if cadence_days is None:
        return None
    return max(2 * cadence_days, 30)


@dataclass(frozen=True)
class Activity:
    """Counts over the window, loaded for the people whose strength is shown."""

    interactions_in: int = 0
    interactions_out: int = 0
    channels: int = 0
    oldest: date | None = None  # the day of the oldest interaction counted: it leaves the window first


# Weights of the strength score; they add up to 100. docs/engine.md explains each.
RECENCY, FREQUENCY, RECIPROCITY, BREADTH, TENURE, OUTCOMES = 30, 25, 20, 10, 10, 5


class StrengthParts(NamedTuple):
    """The six components of the strength score, unrounded; ``strength`` is their rounded sum."""

    recency: float
    frequency: float
    reciprocity: float
    breadth: float
    tenure: float
    outcomes: float


def strength_parts(person: PersonState, activity: Activity, today: date, window_days: int = 365) -> StrengthParts:
    """Each component of the strength score (docs/engine.md § Strength), before rounding."""
    recency = 0.0
    if person.last_touch is not None:
        days = max((today - person.last_touch.date()).days, 0)
        recency = RECENCY * max(0.0, 1 - days / window_days)
    total = activity.interactions_in + activity.interactions_out
    frequency = FREQUENCY * min(1.0, total / 12)
    mutuality = 0.0
    if activity.interactions_in and activity.interactions_out:
        balance = min(activity.interactions_in, activity.interactions_out) / max(
            activity.interactions_in, activity.interactions_out
        )
        mutuality = RECIPROCITY * (0.5 + 0.5 * balance)
    elif activity.interactions_in:
        mutuality = RECIPROCITY * 0.25
    breadth = BREADTH * min(1.0, activity.channels / 3)
    tenure = 0.0
    starts = [d for d in (person.known_since, person.first_touch.date() if person.first_touch else None) if d]
    if starts:
        years = max((today - min(starts)).days, 0) / 365.25
        tenure = TENURE * min(1.0, years / 5)
    outcomes = OUTCOMES * min(1.0, person.outcomes / 2)
    return StrengthParts(recency, frequency, mutuality, breadth, tenure, outcomes)


def strength(person: PersonState, activity: Activity, today: date, window_days: int = 365) -> int:
    """A 0–100 score: recency, frequency, reciprocity, channel breadth, tenure, outcomes."""
    return round(sum(strength_parts(person, activity, today, window_days)))
