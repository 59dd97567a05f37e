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


def priority(person: PersonState, found: list, world: World, assessment: cadence.Assessment | None = None) -> float:
    """(urgency + hooks) × value, halved by the ghosting guard and for untracked people."""
    assessment = assessment or cadence.assess(person, world.today)
    hooks = sum(weight(r) for r in found if r.kind not in ("overdue", "due"))
    score = (urgency(person, world.today, assessment) + hooks) * value(person, world.today, world.window_days)
    if health.is_ghosting(person):
        score *= GHOSTING_FACTOR
    if assessment.every is None:
        score *= UNTRACKED_FACTOR
    return round(score, 4)


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
        suggested_cadence_days=health.suggested_cadence(assessment.every) if health.is_ghosting(person) else None,
    )


def ranking_key(entry: TodayEntry):
    """Best first; ties by the earlier next due date, then name, then id, so the list is stable."""
    return (-entry.score, entry.next_due or date.max, entry.person.name, entry.person.id)


def plan_today(people, world: World, limit: int = 5) -> list[TodayEntry]:
    """The people to ping on ``world.today``, best first, at most ``limit``."""
    entries = [e for e in (entry_for(person, world) for person in people) if e is not None]
    entries.sort(key=ranking_key)
    return entries[:limit]
