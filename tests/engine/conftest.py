"""Fixtures for the engine tests: plain data, no database.

The engine takes naive datetimes in the owner's local time zone. The helpers
here build that data the way the loader does: aware datetimes are converted
to local naive ones with zoneinfo, and an interaction ``both`` is folded into
``last_in`` and ``last_out``.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from restons.engine.health import Activity
from restons.engine.state import PersonState

PARIS = ZoneInfo("Europe/Paris")


def to_local_naive(moment: datetime, tz: ZoneInfo | str = PARIS) -> datetime:
    """An aware datetime as a naive one in the owner's time zone (what the loader does)."""
    if moment.tzinfo is None:
        raise ValueError("expected an aware datetime")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return moment.astimezone(zone).replace(tzinfo=None)


def local_today(tz: ZoneInfo | str = PARIS) -> date:
    """Today's date in the owner's time zone (follows time_machine)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return datetime.now(zone).date()


def fold(history) -> dict:
    """The summary fields of PersonState for ``history``, a list of (naive local datetime, direction).

    ``both`` counts in each direction; ``out_streak`` counts the ``out``
    interactions since the latest ``in`` or ``both``.
    """
    history = sorted(history)
    if not history:
        return {}
    ins = [when for when, direction in history if direction in ("in", "both")]
    outs = [when for when, direction in history if direction in ("out", "both")]
    streak = 0
    for _when, direction in reversed(history):
        if direction != "out":
            break
        streak += 1
    return {
        "last_touch": history[-1][0],
        "first_touch": history[0][0],
        "last_in": max(ins) if ins else None,
        "last_out": max(outs) if outs else None,
        "out_streak": streak,
    }


def activity(history, today: date, window_days: int = 365) -> Activity:
    """Counts over the window; ``history`` items are (naive datetime, direction, channel)."""
    start = today - timedelta(days=window_days)
    inside = [(when, direction, channel) for when, direction, channel in history if start < when.date() <= today]
    return Activity(
        interactions_in=sum(direction in ("in", "both") for _w, direction, _c in inside),
        interactions_out=sum(direction in ("out", "both") for _w, direction, _c in inside),
        channels=len({channel for _w, _d, channel in inside}),
    )


_ids = itertools.count(1000)


def make_person(name: str = "Alex Doe", history=(), **fields) -> PersonState:
    """A PersonState; ``history`` (naive datetime, direction) pairs fill the summary fields."""
    values = {"id": next(_ids), "name": name, "created_on": date(2024, 1, 1)}
    values.update(fold(history))
    values.update(fields)
    return PersonState(**values)


@pytest.fixture
def person():
    return make_person


@pytest.fixture
def local_naive():
    return to_local_naive


@pytest.fixture
def today_in():
    return local_today


@pytest.fixture
def activity_of():
    return activity
