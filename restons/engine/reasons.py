"""Reasons (hooks) to ping a person today, each with a kind and the data its wording needs."""

from __future__ import annotations

from datetime import timedelta

from restons.engine import cadence, health
from restons.engine.calendar import last_occurrence, next_occurrence
from restons.engine.state import PersonState, Reason, World

REPLY_AFTER_DAYS = 3  # they reached out and you have not answered for this long
REPLY_FORGET_DAYS = 60  # past this, an unanswered message is no longer a reply owed
ANSWER_DAYS = 7  # their message within a week of your ping answers it: no reply owed
SOFT_HOOK_QUIET_DAYS = 30  # untracked people touched this recently get no soft hook
MILESTONE_AHEAD_DAYS = 7  # their milestone in the next 7 days
MY_MILESTONE_DAYS = 7  # yours in the last 7 days, for the people you are mutual with
CONTENT_FRESH_DAYS = 14  # content published in the last 14 days


def reasons(person: PersonState, world: World, assessment: cadence.Assessment | None = None) -> list[Reason]:
    """Every reason that applies to ``person`` on ``world.today``, most specific first (see :data:`SPECIFICITY`).

    ``assessment`` is ``cadence.assess(person, world.today)`` when the caller has it already.
    """
    today = world.today
    found: list[Reason] = []
    every, due, state = assessment or cadence.assess(person, today)
    # Their last message, when it is also the last touch: "it has been a while since your message …".
    ended_with_them = {"note": person.last_in_note} if person.last_in_note and person.last_in == person.last_touch else {}
    if state == "overdue":
        found.append(Reason("overdue", {"days": (today - due).days, "last_touch": _day(person.last_touch),
                                        **ended_with_them}))
    elif state == "due":
        found.append(Reason("due", {"next_due": due, "last_touch": _day(person.last_touch), **ended_with_them}))

    if owes_reply(person):
        waited = (today - person.last_in.date()).days
        if REPLY_AFTER_DAYS <= waited <= REPLY_FORGET_DAYS:
            note = {"note": person.last_in_note} if person.last_in_note else {}
            found.append(Reason("reply-owed", {"since": person.last_in.date(), "days": waited, **note}))

    for pledge in person.pledges:
        if pledge.active(today) and (person.last_out is None or person.last_out.date() < pledge.on):
            by = pledge.on + timedelta(days=pledge.first_window_days)
            found.append(
                Reason(
                    "pledge",
                    {"org": pledge.org, "on": pledge.on, "by": by, "in": (by - today).days},
                )
            )

    for milestone in person.milestones:
        when = next_occurrence(milestone.on, milestone.yearly, today)
        if when is not None and (when - today).days <= MILESTONE_AHEAD_DAYS:
            found.append(Reason("milestone", {"title": milestone.title, "on": when, "mine": False,
                                              "in": (when - today).days}))

    soft = open_to_soft_hooks(person, today, every, due, state)
    if person.interests and soft:
        for event in world.events:
            shared = sorted(person.interests & event.topics)
            if shared and 0 <= (event.on - today).days <= event.lead_days:
                found.append(Reason("event", {"title": event.title, "on": event.on, "topic": shared[0],
                                              "in": (event.on - today).days}))
        for item in world.content:
            shared = sorted(person.interests & item.topics)
            fresh = 0 <= (today - item.on).days <= CONTENT_FRESH_DAYS
            if shared and fresh and item.id not in person.content_sent:
                found.append(
                    Reason("content", {"title": item.title, "on": item.on, "kind": item.kind, "topic": shared[0],
                                       "id": item.id})
                )

    if soft and world.my_milestones and health.reciprocity(person, today, world.window_days) == "mutual":
        for milestone in world.my_milestones:
            when = last_occurrence(milestone.on, milestone.yearly, today)
            if when is not None and (today - when).days <= MY_MILESTONE_DAYS:
                found.append(Reason("milestone", {"title": milestone.title, "on": when, "mine": True}))

    ever_mutual = person.last_in is not None and person.last_out is not None
    if ever_mutual and state == "dormant":
        found.append(Reason("reconnect", {"last_touch": _day(person.last_touch)}))

    return sorted(found, key=specificity)


def owes_reply(person: PersonState) -> bool:
    """Whether their last message is unanswered: none of your pings since, nor in the week before it
    (their message answered yours). From ``REPLY_AFTER_DAYS`` to ``REPLY_FORGET_DAYS`` after it, a reply is owed."""
    return person.last_in is not None and (
        person.last_out is None or (person.last_in - person.last_out).days >= ANSWER_DAYS
    )


def open_to_soft_hooks(person: PersonState, today, every, due, state) -> bool:
    """Events, content and your news are reasons only for someone you have not just been in touch with.

    A tracked person qualifies from a quarter of a cadence before their due
    date; an untracked one when the last touch is over 30 days old. Otherwise a
    game next Saturday would push aside people who are really due. A dormant
    relationship that never went both ways gets none: nothing to rekindle.
    """
    ever_mutual = person.last_in is not None and person.last_out is not None
    quiet_for = (today - (person.last_touch.date() if person.last_touch else person.created_on)).days
    if not ever_mutual and (state == "dormant" or (every is None and quiet_for > cadence.silence_limit_days(None))):
        return False
    if every is not None and due is not None:
        return today >= due - timedelta(days=every // 4)
    return person.last_touch is None or (today - person.last_touch.date()).days > SOFT_HOOK_QUIET_DAYS


def _day(moment):
    return moment.date() if moment is not None else None


# How much each reason adds to the priority; docs/engine.md explains the order.
WEIGHTS = {
    "reply-owed": 3.0,
    "pledge": 3.0,
    "overdue": 2.0,
    "milestone": 2.0,  # theirs; yours counts half
    "event": 1.5,
    "content": 1.0,
    "reconnect": 1.0,
    "due": 1.0,
}


def weight(reason: Reason) -> float:
    base = WEIGHTS[reason.kind]
    return base / 2 if reason.kind == "milestone" and reason.data.get("mine") else base


# The order in which a card lists reasons and a draft picks its hook: what is about them first
# (their words, their day), then what they follow (an event this week, your content), then what
# you share (the promise, your news), then time alone. docs/engine.md gives the reasons.
SPECIFICITY = ("reply-owed", "milestone", "event", "content", "pledge", "my-milestone", "reconnect", "overdue", "due")
CADENCE_KINDS = ("overdue", "due")  # time alone: what a draft says only when there is no hook
MAX_SHOWN = 3  # reasons on a Today card, after folding
FOLDED = ("event", "content")  # kinds that come in series: one line for all of them
NEWEST_FIRST = ("content", "my-milestone")  # past things: the latest is the news; coming ones: the soonest


def _rank(reason: Reason) -> str:
    return "my-milestone" if reason.kind == "milestone" and reason.data.get("mine") else reason.kind


def specificity(reason: Reason) -> tuple:
    """Sort key: the most specific kind first; within a kind, the soonest coming (or latest past) date, then title."""
    rank = _rank(reason)
    when = reason.data.get("on")
    day = when.toordinal() if when else 0
    return SPECIFICITY.index(rank), -day if rank in NEWEST_FIRST else day, str(reason.data.get("title", ""))


def fold(found) -> list[Reason]:
    """Reasons most specific first, several events (or pieces of content) folded into one each.

    A folded reason keeps its first item's data (the soonest event, the latest content),
    and lists every item, the first included, under ``items``.
    """
    result: list[Reason] = []
    series: dict[str, list[dict]] = {}
    for reason in sorted(found, key=specificity):
        if reason.kind not in FOLDED:
            result.append(reason)
        elif reason.kind in series:
            series[reason.kind].append(reason.data)
        else:
            series[reason.kind] = [reason.data]
            result.append(reason)
    return [Reason(r.kind, {**r.data, "items": tuple(series[r.kind])}) if r.kind in series else r for r in result]


def card(found, limit: int = MAX_SHOWN) -> tuple[Reason, ...]:
    """The reasons a Today entry shows: folded, most specific first, at most ``limit``.

    The score counts every reason (one line for three games weighs three games); only
    what is shown is cut, and the draft's hooks are always among what is shown.
    """
    return tuple(fold(found)[:limit])


def draft_hooks(found) -> tuple[Reason | None, Reason | None]:
    """What a draft is built on: (the reply owed, or None; the most specific other hook, or None).

    A reply owed opens the draft (a message that ignored theirs would read as unread);
    the body is the most specific hook other than the cadence; with neither, the draft
    says "it has been a while".
    """
    ordered = sorted(found, key=specificity)
    reply = next((r for r in ordered if r.kind == "reply-owed"), None)
    hook = next((r for r in ordered if r.kind not in CADENCE_KINDS and r.kind != "reply-owed"), None)
    return reply, hook
