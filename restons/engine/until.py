"""Until when a verdict holds: the first day on which what the engine says about a person may change.

A checkup (status, reciprocity, strength, next due date, Today's band and score, the
window's counts) is computed for one day. Most of it stays the same for weeks: it
changes only when a date comes — the due date, the end of grace, the dormant
threshold, a reply owed opening or closing, a pledge's window, a milestone's lead
window, an event's or a piece of content's window, the end of a snooze, an
interaction leaving the window, the strength crossing a rounding step. The way
healthchecks stores ``alert_after``, :func:`holds_until` returns the earliest of
those dates; the service recomputes a person only when it has come.

The date may come early (the verdict is then recomputed and found the same), never
late: tests/services/test_incremental.py checks, with hypothesis, that verdicts kept
this way always equal the engine's over everyone.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from restons.engine import cadence, health, reasons
from restons.engine.calendar import last_occurrence, next_occurrence
from restons.engine.reasons import (
    CONTENT_FRESH_DAYS, MILESTONE_AHEAD_DAYS, MY_MILESTONE_DAYS, REPLY_AFTER_DAYS, REPLY_FORGET_DAYS,
    SOFT_HOOK_QUIET_DAYS,
)
from restons.engine.state import ContentInfo, EventInfo, PersonState, World
from restons.engine.today import eligible

HORIZON_DAYS = 366  # with nothing coming, check again in a year anyway
EVENT_HORIZON_DAYS = 60  # the loader's window of upcoming events (services.snapshot.load_world)
TENURE_DAYS = 5 * 365.25  # tenure grows for five years (health.strength_parts)


def holds_until(person: PersonState, world: World, activity: health.Activity,
                events: tuple[EventInfo, ...] | None = None,
                content: tuple[ContentInfo, ...] | None = None, rescored: bool = False) -> date:
    """The first day after ``world.today`` on which the verdict on ``person`` may differ.

    ``activity.oldest``: the day of the oldest interaction counted (it leaves the window
    ``window_days`` later). ``events`` and ``content``: every upcoming event and every piece of
    content not yet stale, also those the day's world does not hold yet (default: the world's).

    ``rescored``: the caller recomputes the score of a due or overdue person every day from its
    parts (``today.priority_parts``), so their urgency growing daily does not end the verdict; the
    days its shape changes still do (due, the second half of grace when "due" becomes pressing,
    overdue, and twice the cadence late, when it stops growing). The caller also recomputes the
    strength on :func:`strength_step`'s day, and the window's counts (with the strength, the only
    part of the verdict they change) on :func:`counts_until`'s day, which are then left out.
    """
    today = world.today
    window = world.window_days
    tomorrow = today + timedelta(days=1)
    dates: list[date] = [today + timedelta(days=HORIZON_DAYS)]
    add = dates.append

    def local_day(moment):
        return moment.date() if moment is not None else None

    last = local_day(person.last_touch)
    last_in = local_day(person.last_in)
    last_out = local_day(person.last_out)
    if any(d is not None and d > today for d in (last, last_in, last_out, local_day(person.first_touch))):
        return tomorrow  # something dated in the future: check every day until it has come

    # Cadence: pledges start and end; then due, grace, dormant, the soft-hook threshold.
    for pledge in person.pledges:
        add(pledge.on)
        add(pledge.on + timedelta(days=pledge.first_window_days + 1))  # the promise band closes
        if pledge.ended_on is not None:
            add(pledge.ended_on + timedelta(days=1))
    every, due, status = cadence.assess(person, today)
    reference = last or person.created_on
    add(reference + timedelta(days=cadence.silence_limit_days(every) + 1))  # dormant
    add(reference + timedelta(days=cadence.silence_limit_days(None) + 1))  # soft hooks of a dead one-way tie
    if every is not None and due is not None:
        if status in ("due", "overdue") and (today - due).days < 2 * every:
            if not rescored:
                return tomorrow  # the urgency (and the score) grows every day
            add(due + timedelta(days=2 * every))  # the urgency stops growing
        add(due + timedelta(days=(cadence.grace_days(every) + 1) // 2))  # "due" becomes pressing: the band
        add(due)
        add(due + timedelta(days=cadence.grace_days(every) + 1))
        add(due - timedelta(days=every // 4))
    elif last is not None:  # without a due date, soft hooks open once the last touch is a month old
        add(last + timedelta(days=SOFT_HOOK_QUIET_DAYS + 1))

    # Reasons: a reply owed (only when their message is unanswered: a new ping recomputes the person),
    # their milestones, events and content they follow, your news. The last three are reasons only for
    # someone open to them (reasons.open_to_soft_hooks): for anyone else, their days change nothing until
    # one of the days above makes them open, and the verdict computed then adds them.
    if reasons.owes_reply(person):
        add(last_in + timedelta(days=REPLY_AFTER_DAYS))
        add(last_in + timedelta(days=REPLY_FORGET_DAYS + 1))
    for milestone in person.milestones:
        when = next_occurrence(milestone.on, milestone.yearly, today)
        if when is not None:
            add(when - timedelta(days=MILESTONE_AHEAD_DAYS))
            add(when + timedelta(days=1))
    soft = eligible(person, today) and reasons.open_to_soft_hooks(person, today, every, due, status)
    if person.interests and soft:
        for event in world.events if events is None else events:
            if person.interests & event.topics:
                add(event.on - timedelta(days=event.lead_days))
                add(event.on - timedelta(days=EVENT_HORIZON_DAYS))
                add(event.on + timedelta(days=1))
        for item in world.content if content is None else content:
            if person.interests & item.topics:
                add(item.on)
                add(item.on + timedelta(days=CONTENT_FRESH_DAYS + 1))
    for milestone in world.my_milestones if soft else ():
        when = last_occurrence(milestone.on, milestone.yearly, today)
        if when is not None:
            add(when + timedelta(days=MY_MILESTONE_DAYS + 1))
        coming = next_occurrence(milestone.on, milestone.yearly, tomorrow)
        if coming is not None:
            add(coming)
    if person.snoozed_until is not None:
        add(person.snoozed_until + timedelta(days=1))

    # Reciprocity and the window's counts: interactions leave the window.
    for moment in (last_in, last_out):
        if moment is not None:
            add(moment + timedelta(days=window))
    if activity.oldest is not None and not rescored:
        add(counts_until(activity, window))

    # Strength: recency falls and tenure grows a little every day; it changes when the sum
    # crosses a rounding step (or when either stops moving).
    if last is not None and (today - last).days < window:
        add(last + timedelta(days=window))
    starts = [d for d in (person.known_since, local_day(person.first_touch)) if d]
    if starts:
        start = min(starts)
        if start > today:
            return tomorrow
        if (today - start).days < TENURE_DAYS:
            add(start + timedelta(days=math.floor(TENURE_DAYS)))
    if not rescored:
        step = strength_step(person, activity, today, window)
        if step is not None:
            add(step)

    return _next_after(dates, today)


def strength_step(person: PersonState, activity: health.Activity, today: date, window: int) -> date | None:
    """The first day after ``today`` on which the strength may cross a rounding step by time alone
    (recency falling, tenure growing), or None when neither moves.

    ``holds_until(rescored=True)`` leaves this date out: the caller recomputes the strength on it
    (``health.strength`` needs only the last touch, the tenure's start, the window's counts and the
    outcomes), as services.checkups does.
    """
    last = person.last_touch.date() if person.last_touch is not None else None
    slope = 0.0
    if last is not None and (today - last).days < window:
        slope -= health.RECENCY / window
    starts = [d for d in (person.known_since, person.first_touch.date() if person.first_touch else None) if d]
    if starts and today >= min(starts) and (today - min(starts)).days < TENURE_DAYS:
        slope += health.TENURE / TENURE_DAYS
    if not slope:
        return None
    exact = sum(health.strength_parts(person, activity, today, window))
    step = round(exact) + (0.5 if slope > 0 else -0.5)
    days = (step - exact) / slope
    # The first whole day on which the step is reached (a millionth of a day early against rounding errors:
    # early recomputes the same strength, late would show a stale one). The day before, it is not.
    return today + timedelta(days=max(1, math.ceil(days - 1e-6)))


def counts_until(activity: health.Activity, window: int) -> date | None:
    """The day the oldest interaction counted leaves the window (the counts, and so the strength,
    change then), or None when none is counted."""
    return activity.oldest + timedelta(days=window) if activity.oldest is not None else None


def _next_after(dates: list[date], today: date) -> date:
    """The earliest date after ``today`` (dates on or before it have passed: they changed nothing more)."""
    return min((d for d in dates if d > today), default=today + timedelta(days=1))
