"""The Today list: at most K people, ranked by a documented priority."""

from __future__ import annotations

from datetime import date

from restons.engine import cadence, health
from restons.engine.reasons import reasons, weight
from restons.engine.state import PersonState, TodayEntry, World

RECIPROCITY_VALUE = {"mutual": 0.5, "they-carry": 0.3, "you-carry": 0.0, "silent": 0.0}
GHOSTING_FACTOR = 0.5
UNTRACKED_FACTOR = 0.5  # people you chose a cadence for come first


DORMANT_URGENCY = 0.5


def urgency(person: PersonState, today: date, assessment: cadence.Assessment | None = None) -> float:
    """0 when not due; 1 to 1.5 while due; 2 to 4 when overdue, growing with the overdue share of the cadence.

    A dormant relationship counts 0.5: its ``reconnect`` hook brings it up,
    but a live overdue relationship comes first.
    """
    every, due, state = assessment or cadence.assess(person, today)
    if state == "dormant":
        return DORMANT_URGENCY
    if every is None or due is None or today < due:
        return 0.0
    late = (today - due).days
    grace = cadence.grace_days(every)
    if late <= grace:
        return 1.0 + 0.5 * late / max(grace, 1)
    return 2.0 + min(late / every, 2.0)


def value(person: PersonState, today: date, window_days: int) -> float:
    """What the relationship is worth keeping: reciprocity, outcomes, circles (1.0 to 2.3)."""
    worth = 1.0 + RECIPROCITY_VALUE[health.reciprocity(person, today, window_days)]
    worth += 0.2 * min(person.outcomes, 3)
    if person.circles:
        worth += 0.2
    return worth


def priority_parts(person: PersonState, found: list, world: World,
                   assessment: cadence.Assessment | None = None) -> tuple[float, float]:
    """(hooks, worth): what the score adds to the urgency, and what it multiplies the sum by.

    ``hooks``: the weight of every reason but the cadence's own; ``worth``: the value, halved by the
    ghosting guard and for untracked people. Both hold while the person's other reasons do, so a
    score that grows only with the urgency is ``score(urgency(...), hooks, worth)`` on any such day
    (services.checkups rescores the due and overdue that way on a new day).
    """
    assessment = assessment or cadence.assess(person, world.today)
    hooks = sum(weight(r) for r in found if r.kind not in ("overdue", "due"))
    worth = value(person, world.today, world.window_days)
    # Halving is exact in floating point: (u + h) × (v / 2) is bit for bit (u + h) × v / 2.
    if health.is_ghosting(person):
        worth *= GHOSTING_FACTOR
    if assessment.every is None:
        worth *= UNTRACKED_FACTOR
    return hooks, worth


def score(urgency_now: float, hooks: float, worth: float) -> float:
    """The priority from its parts: (urgency + hooks) × worth, to four decimals."""
    return round((urgency_now + hooks) * worth, 4)


def priority(person: PersonState, found: list, world: World, assessment: cadence.Assessment | None = None) -> float:
    """(urgency + hooks) × value, halved by the ghosting guard and for untracked people."""
    assessment = assessment or cadence.assess(person, world.today)
    hooks, worth = priority_parts(person, found, world, assessment)
    return score(urgency(person, world.today, assessment), hooks, worth)


# Bands: the order under pressure, best first; the score orders people within a band.
# docs/engine.md ("Priorities under pressure") gives the reasons, measured by bench/simulate_human.py.
PROMISE, CLOSE, VALUED, OTHERS = 3, 2, 1, 0


def pressing(found, today: date, assessment: cadence.Assessment) -> bool:
    """Whether a reason asks for a ping now: overdue, due in the second half of grace, a reply owed, a pledge.

    Events, content, milestones and ``reconnect`` are welcome hooks, never pressing; nor is the
    first half of grace, when there is still time for the people already late.
    """
    for reason in found:
        if reason.kind in ("overdue", "reply-owed", "pledge"):
            return True
        if reason.kind == "due" and 2 * (today - assessment.due).days >= cadence.grace_days(assessment.every):
            return True
    return False


def band(person: PersonState, found, world: World, assessment: cadence.Assessment | None = None) -> int:
    """The person's band on ``world.today``; Today lists the higher bands first.

    * PROMISE: a pledge whose first-ping window is still open (a promise with a date);
    * CLOSE: someone close (a cadence of two months or less) with a pressing reason;
    * VALUED: someone else you track with a pressing reason who is mutual over the window,
      brought an outcome, or is owed a reply;
    * OTHERS: everyone else — hooks alone, one-way relationships, untracked people.
    """
    today = world.today
    if any(r.kind == "pledge" and today <= r.data["by"] for r in found):
        return PROMISE
    assessment = assessment or cadence.assess(person, today)
    if assessment.every is None or not pressing(found, today, assessment):
        return OTHERS
    if cadence.is_close(assessment.every):
        return CLOSE
    if (person.outcomes or any(r.kind == "reply-owed" for r in found)
            or health.reciprocity(person, today, world.window_days) == "mutual"):
        return VALUED
    return OTHERS


def eligible(person: PersonState, today: date) -> bool:
    """Archived people and people snoozed until today or later never appear."""
    return not person.archived and not (person.snoozed_until and person.snoozed_until >= today)


def entry_for(person: PersonState, world: World) -> TodayEntry | None:
    """The person's Today entry on ``world.today``, or None when they are not eligible or have no reason."""
    if not eligible(person, world.today):
        return None
    assessment = cadence.assess(person, world.today)
    found = reasons(person, world, assessment)
    if not found:
        return None
    return TodayEntry(
        person=person,
        reasons=tuple(found),
        score=priority(person, found, world, assessment),
        next_due=assessment.due,
        band=band(person, found, world, assessment),
        suggested_cadence_days=health.suggested_cadence(assessment.every) if health.is_ghosting(person) else None,
    )


def ranking_key(entry: TodayEntry):
    """The higher band first, then the higher score; ties by the earlier next due date, then name, then id."""
    return (-entry.band, -entry.score, entry.next_due or date.max, entry.person.name, entry.person.id)


def plan_today(people, world: World, limit: int = 5) -> list[TodayEntry]:
    """The people to ping on ``world.today``, best first, at most ``limit``."""
    entries = [e for e in (entry_for(person, world) for person in people) if e is not None]
    entries.sort(key=ranking_key)
    return entries[:limit]
