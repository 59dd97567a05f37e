"""Today: whom to ping, why, and a draft — as plain dicts ready for JSON, HTML or a table."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import translation

from restons import conf
from restons.engine import cadence, reasons
from restons.engine import pace as engine_pace
from restons.engine import today as engine_today
from restons.engine import wording
from restons.engine.calendar import last_occurrence, next_occurrence
from restons.models import Channel, Checkup, Identity, Interest
from restons.services import checkups
from restons.services.access import owned
from restons.services.snapshot import (
    Row, content_sent, load_people, load_world, local_today, with_content_sent, with_last_notes,
)

# The channel a reason suggests, for logging the ping in one step.
SUGGESTED_CHANNEL = {"reply-owed": Channel.EMAIL, "content": Channel.EMAIL, "event": Channel.TEXT,
                     "milestone": Channel.TEXT}


BAND_NAMES = {engine_today.PROMISE: "promise", engine_today.CLOSE: "close", engine_today.VALUED: "valued",
              engine_today.OTHERS: "others"}


def today_list(owner, day: date | None = None, limit: int | None = None, language: str | None = None) -> list[dict]:
    """The entries of :func:`today_page`: what ``restons today --json`` prints."""
    return today_page(owner, day, limit, language)["entries"]


def today_page(owner, day: date | None = None, limit: int | None = None, language: str | None = None,
               opened: bool = False, lists: int = 1) -> dict:
    """Today for ``day`` (default today): ``entries``, ``catch_up`` (None unless catching up) and ``pace``
    (today only: ``load``, ``per_day``, ``strained``; None when planning ahead).

    ``opened``: the owner is looking at Today now (the page, ``restons today``): the day counts as a
    day of use (``services.pace.record_opening``). At most ``limit`` entries (default: the owner's
    Today size, else ``RESTONS_TODAY_LIMIT``); while catching up after days away, the owner's usual
    pings a day, replies owed first within each band (``engine.pace``).

    Each entry: ``person`` (id, name), ``reasons`` (kind, text), ``draft``, ``next_due``, plus
    ``channel`` (suggested), ``score``, ``band`` (``promise``, ``close``, ``valued``, ``others``),
    ``suggested_cadence_days`` (ghosting guard), ``identities`` and ``catch_up`` (the same on every entry).

    ``lists`` > 1 gives that many days' lists one after the other (the "back from holiday" plan:
    what Today will show next if you ping each list).

    ``reasons`` is what a card shows (``engine.reasons.card``): several events or pieces of
    content folded into one line each, most specific first, at most three. The CLI, the web
    page and the JSON all print this list; the score counts every reason.
    """
    from restons.services import pace

    day = day or local_today()
    if not limit:
        from restons.services.accounts import settings_of

        limit = settings_of(owner).today_limit
    world, sent = load_world(owner, day, people=())  # content already sent: for the people listed, below
    catching = measured = None
    if day == local_today():
        # The usual case: today's checkups name the best candidates; only they are loaded.
        if opened:
            pace.record_opening(owner, day)
        measured = pace.measure(owner, day)
        catching = pace.catching_up(measured, day, limit)
        shown = (catching.per_day if catching else limit) * lists
        ids = set(best_candidates(owner, day, shown))
        if catching:  # every reply owed may come first, whatever its score
            ids |= set(pace.reply_candidates(owner, day))
        people = load_people(owner, ids=sorted(ids))
        sent = content_sent(owner, world, ids)
    else:  # planning ahead or looking back: no checkups for that day, ask the engine about everyone
        shown = limit * lists
        people = load_people(owner, exclude_snoozed_on=day, keep=candidate_filter(owner, world))
        sent = content_sent(owner, world)
    people = with_content_sent(people, sent)
    entries = engine_pace.catch_up_order(engine_today.plan_today(people, world, len(people)), catching, shown)[:shown]
    # The drafts may quote their last message: its note is loaded for these few people only,
    # and their entries computed again with it (the same reasons and score, plus the note).
    entries = [engine_today.entry_for(person, world) for person in with_last_notes(owner, [e.person for e in entries])]
    contacts: dict[int, dict] = {}
    for person_id, kind, value in (
        # Each person's first of each kind; by person, then id: the (owner, person) index's own order.
        owned(Identity, owner).filter(person_id__in=[e.person.id for e in entries]).order_by("person_id", "id")
        .values_list("person_id", "kind", "value")
    ):
        contacts.setdefault(person_id, {}).setdefault(kind, value)
    catch_up = pace.catch_up_json(catching)
    with translation.override(language or conf.get("RESTONS_LANGUAGE")):
        listed = [
            {
                "person": {"id": e.person.id, "name": e.person.name},
                "reasons": [{"kind": r.kind, "text": wording.reason_text(r)} for r in shown_reasons],
                "draft": wording.draft(e.person.name, shown_reasons),
                "next_due": e.next_due.isoformat() if e.next_due else None,
                "channel": SUGGESTED_CHANNEL.get(shown_reasons[0].kind, Channel.TEXT if "phone" in contacts.get(e.person.id, {}) else Channel.EMAIL),
                "score": e.score,
                "band": BAND_NAMES[e.band],
                "suggested_cadence_days": e.suggested_cadence_days,
                "identities": contacts.get(e.person.id, {}),
                "catch_up": catch_up,
            }
            for e, shown_reasons in ((e, reasons.card(e.reasons)) for e in entries)
        ]
    summary = None
    if measured is not None:
        summary = {"load": round(measured.load, 2), "per_day": round(measured.now.per_day, 2),
                   "strained": engine_pace.strained(measured.load, measured.now, measured.before,
                                                    measured.first_opened)}
    # Another process is recomputing the checkups: these are the last verdicts, the page says so.
    updating = measured is not None and checkups.updating(owner)
    return {"entries": listed, "catch_up": catch_up, "pace": summary, "updating": updating}


def best_candidates(owner, day: date, limit: int) -> list[int]:
    """The ids of the ``limit`` best-ranked people today (band, then score), with everyone tied with the last.

    Ties are broken by the engine (next due date, then name, then id), which
    sorts these few again, so the list is the same as the engine's over everyone.
    """
    checkups.ensure_current(owner, day)
    scored = owned(Checkup, owner).filter(score__gt=0)
    top = list(scored.order_by("-band", "-score").values_list("band", "score")[:limit])
    if not top:
        return []
    band, score = top[-1]
    # Two index ranges, not one OR: with bound parameters SQLite reads "band > ? OR (band = ? AND score >= ?)"
    # through the owner's index, every checkup, where each half is a short range of checkup_owner_rank.
    above = scored.filter(band__gt=band).values_list("person_id", flat=True)
    tied = scored.filter(band=band, score__gte=score).values_list("person_id", flat=True)
    return list(above) + list(tied)


def candidate_filter(owner, world):
    """A cheap test that keeps everyone who could have a reason on ``world.today`` (and a few more).

    It reads only the stored summary, in UTC, so every bound is widened by a
    day; the engine then decides exactly. On a large network most people are
    on track, and this spares converting and scoring them.
    """
    today = world.today
    margin = timedelta(days=1)
    topics = {t for event in world.events for t in event.topics} | {t for item in world.content for t in item.topics}
    followers = set()
    if topics:
        followers = set(owned(Interest, owner).filter(topic__in=topics).values_list("person_id", flat=True))
    recent_news = any(
        (when := last_occurrence(m.on, m.yearly, today + margin)) is not None
        and (today - when).days <= reasons.MY_MILESTONE_DAYS + 1
        for m in world.my_milestones
    )

    def keep(row: Row) -> bool:
        if any(p.active(today) for p in row.pledges):
            return True
        for milestone in row.milestones:
            when = next_occurrence(milestone.on, milestone.yearly, today - margin)
            if when is not None and (when - today).days <= reasons.MILESTONE_AHEAD_DAYS + 1:
                return True
        last = row.last_touch.date() if row.last_touch else None
        if row.last_in is not None:
            waited = (today - row.last_in.date()).days
            answered = row.last_out is not None and (row.last_in - row.last_out).days < reasons.ANSWER_DAYS - 1
            if not answered and reasons.REPLY_AFTER_DAYS - 1 <= waited <= reasons.REPLY_FORGET_DAYS + 1:
                return True
        own = [row.cadence_days] if row.cadence_days else []
        every = own[0] if own else min(
            [c for _n, c in row.circles if c] + [p.cadence_days for p in row.pledges if p.active(today)], default=None
        )
        ever_mutual = row.last_in is not None and row.last_out is not None
        start = last or row.created_at.date()
        if every is None:  # untracked: only soft hooks, when quiet for a month, and not a dead one-way tie
            quiet = last is None or (today - last).days >= reasons.SOFT_HOOK_QUIET_DAYS
            dead = not ever_mutual and (today - start).days > cadence.silence_limit_days(None) + 1
            return quiet and not dead and (row.id in followers or recent_news)
        due = start + timedelta(days=every if last else cadence.stagger_days(row.id, every))
        if today + margin < due - timedelta(days=every // 4):
            return False  # not yet near due: no due reason, no soft hook
        dormant = (today - start).days > cadence.silence_limit_days(every) + 1
        return not dormant or ever_mutual

    return keep
