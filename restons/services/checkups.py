"""Keep each person's :class:`~restons.models.Checkup` current, recomputing only what changed.

A checkup is the engine's verdict on one person: status, reciprocity, strength, next
due date, Today's band and score. It is computed for a day and holds until
``valid_until`` (``engine.until.holds_until``: the first day its verdict may differ).
:func:`ensure_current` recomputes the checkups that are missing or whose date has come —
on a new day, only the people whose due date, grace, window… falls on it.

Anything that changes what the engine would say about a person deletes their checkup
(:func:`forget`); an event or a piece of content drops those who follow its topics,
your milestone those you are mutual with, a circle or a pledge its members.

One row per owner (:class:`~restons.models.CheckupState`) says whether their checkups
are current, so a page reads one row instead of counting; it is also the claim on
recomputing: one process recomputes, the others serve the last verdicts (``updating``).

Writes through the ORM are caught by the signal handlers below; the few bulk
writes (imports, bulk add to a circle, the demo) call :func:`forget`
themselves, and so does ``refresh_summaries``, which every change of
interactions goes through (their summaries change the verdict).
"""

from __future__ import annotations

import contextvars
import threading
from collections import namedtuple
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from restons import conf
from restons.engine import cadence, health
from restons.engine.health import Activity
from restons.engine.state import ContentInfo, EventInfo
from restons.engine.today import entry_for, priority_parts, score, urgency
from restons.engine.until import counts_until, holds_until, strength_step
from restons.models import (
    Checkup, CheckupState, Circle, Content, Event, Interest, KeptReview, Membership, Milestone, Outcome, Person,
    Pledge, PledgePerson,
)
from restons.models.checkups import FAR, TOUCH_NEVER
from restons.services.access import owned
from restons.services.snapshot import (
    activity_once_left, as_date, fast_rows, load_activity, load_people, load_world, with_content_sent,
)

# Past this many stale people, load everyone rather than name their ids in the queries (a new day at
# 20,000 people names about 3,000: by id that costs 40 % of loading everyone). Below SQLite's 32,766
# parameters a statement.
LOAD_ALL_ABOVE = 10000
# A claim older than this is from a process that died: another may take it.
CLAIM_LEASE = timedelta(minutes=10)
# A web request recomputes at most this many checkups itself; more (the first visit after an import,
# a new window) are recomputed in a background thread while the page shows the last verdicts.
INLINE_MAX = 500
# Set while a web request is served (restons.web.middleware.LastVerdictsMiddleware): never wait.
serving = contextvars.ContextVar("restons_serving", default=False)


def forget_reviews(owner_id: int) -> None:
    """Drop the owner's kept reviews (for changes that alter a review but no verdict, e.g. who noticed)."""
    KeptReview.objects.filter(owner_id=owner_id).delete()


def forget(owner_id: int, person_ids=None) -> None:
    """Drop the checkups of ``person_ids`` (all the owner's when None); the next read recomputes them.

    Whatever changes a checkup can change a review too, so the owner's kept reviews go as well.
    """
    forget_reviews(owner_id)
    rows = Checkup.objects.filter(owner_id=owner_id)
    if person_ids is not None:
        ids = list(person_ids) if not hasattr(person_ids, "query") else person_ids
        if isinstance(ids, list) and not ids:
            return
        rows = rows.filter(person_id__in=ids)
    rows.delete()
    CheckupState.objects.filter(owner_id=owner_id, dirty=False).update(dirty=True)


def _forget_where(owner_id: int, condition: Q) -> None:
    """Drop the owner's checkups matching ``condition`` (an event's followers, your mutual friends…)."""
    forget_reviews(owner_id)
    Checkup.objects.filter(Q(owner_id=owner_id) & condition).delete()
    CheckupState.objects.filter(owner_id=owner_id, dirty=False).update(dirty=True)


def _state(owner) -> CheckupState:
    state = CheckupState.objects.filter(owner_id=owner.pk).first()
    if state is None:
        state, _created = CheckupState.objects.get_or_create(owner_id=owner.pk)
    return state


def _when_current(owner, day: date, field: str):
    """``field`` of the owner's state when every checkup holds on ``day`` (one indexed read), else None."""
    state = CheckupState.objects.filter(owner_id=owner.pk).values_list("day", "window_days", "dirty", field).first()
    if state is None or state[:3] != (day, conf.get("RESTONS_WINDOW_DAYS"), False):
        return None
    return state[3]


def is_current(owner, day: date) -> bool:
    """Whether every checkup holds on ``day`` (no count over the checkups)."""
    return _when_current(owner, day, "pk") is not None


def updating(owner) -> bool:
    """Whether a recomputation of the owner's checkups is running (pages say so and show the last verdicts)."""
    claimed = CheckupState.objects.filter(owner_id=owner.pk).values_list("claimed_at", flat=True).first()
    return claimed is not None and claimed > timezone.now() - CLAIM_LEASE


def claim(owner, state: CheckupState | None = None) -> bool:
    """Claim the recomputation of the owner's checkups; False when another process holds it.

    PostgreSQL: the owner's state row is picked with ``SELECT … FOR UPDATE SKIP LOCKED`` (a claimer
    never waits on another), then marked claimed. SQLite serialises writers: the conditional UPDATE
    below is atomic there, and a second claimer finds the row claimed.
    """
    if state is None:
        _state(owner)
    now = timezone.now()
    with transaction.atomic():
        rows = CheckupState.objects.filter(owner_id=owner.pk)
        if connection.vendor == "postgresql":
            if rows.select_for_update(skip_locked=True).values_list("id", flat=True).first() is None:
                return False
        free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
        return rows.filter(free).update(claimed_at=now) == 1


def release(owner) -> None:
    CheckupState.objects.filter(owner_id=owner.pk).update(claimed_at=None)


def ensure_current(owner, day: date) -> int:
    """Recompute the checkups that are missing or no longer hold on ``day``; returns how many were computed.

    Returns 0 at once when they are current (one read) or when another process is recomputing them
    (the caller then reads the last verdicts; :func:`updating` says so).
    """
    window = conf.get("RESTONS_WINDOW_DAYS")
    state = _state(owner)
    if state.day == day and state.window_days == window and not state.dirty:
        return 0
    if not claim(owner, state):
        return 0
    try:
        return _recompute(owner, day, window, state)
    except _Deferred:
        return 0  # a thread recomputes them; it releases the claim
    finally:
        if not getattr(_local, "handed_over", False):
            release(owner)
        _local.handed_over = False


class _Deferred(Exception):
    """Too many to recompute within a web request: handed to a background thread."""


def _in_background(owner, day: date, window: int, state: CheckupState) -> None:
    """Recompute in a thread of this process, holding the claim; the request returns at once."""
    from django.db import connection as thread_connection

    def work():
        try:
            _recompute(owner, day, window, state, inline=True)
        finally:
            release(owner)
            thread_connection.close()

    _local.handed_over = True
    thread = threading.Thread(target=work, name="restons-checkups", daemon=True)
    if serving.get():
        _after_response(thread)
    else:
        thread.start()
    raise _Deferred


def _after_response(thread: threading.Thread) -> None:
    """Start ``thread`` once a response of this process has been sent (``request_finished``).

    The request that hands the recomputation over answers with the last verdicts; started at once,
    the thread would share the interpreter's lock with it and double its time (the first Today page
    of a new day, measured with bench/new_day_pages.py). Any request's end will do: they are short.
    """
    from django.core.signals import request_finished

    started = threading.Lock()

    def start(**_kwargs):
        if started.acquire(blocking=False):
            request_finished.disconnect(dispatch_uid=uid)
            thread.start()

    uid = f"restons-checkups-{id(thread)}"
    request_finished.connect(start, weak=False, dispatch_uid=uid)


def _recompute(owner, day: date, window: int, state: CheckupState, inline: bool = False) -> int:
    # From here, a change sets dirty again and is seen by the next call.
    CheckupState.objects.filter(pk=state.pk).update(dirty=False)
    # A new window, or looking back (verdicts hold from the day they were computed for): everyone.
    everyone = state.window_days != window or (state.day is not None and day < state.day)
    # Otherwise no row was computed for a later day (the state's day moves with the rows, in one
    # transaction): those whose date has come are one range of an index.
    ended = Q(valid_until__lte=day)
    counted = {}  # the window's counts their row keeps, where they still hold
    stale = set()
    for person_id, computed, touched, until, *counts in fast_rows(owned(Checkup, owner).filter(ended).values_list(
            "person_id", "day", "touched", "counts_until", "interactions_in", "interactions_out", "channels")):
        stale.add(person_id)
        kept = None if everyone else _kept_counts(day, window, computed, touched, until, *counts)
        if kept is not None:
            counted[person_id] = kept
    others = owned(Person, owner) if everyone else owned(Person, owner).filter(checkup__isnull=True)
    stale = sorted(stale | set(others.values_list("id", flat=True)))  # (the same queries either way)
    if not inline and serving.get() and len(stale) > INLINE_MAX:
        CheckupState.objects.filter(pk=state.pk).update(dirty=True)  # the thread starts again from here
        _in_background(owner, day, window, state)
    rows = _verdicts(owner, day, window, stale, counted) if stale else []
    with transaction.atomic():
        old = owned(Checkup, owner)
        if not everyone:  # the missing ones have no row to delete
            old = old.filter(ended)
        if stale and (everyone or connection.vendor == "postgresql"):
            old.delete()
            _insert(rows)
        elif stale:
            _replace(old, rows)
        if not everyone and state.day is not None and state.day < day:  # a new day
            _rescore(owner, day, window)
        load, close = _load(owner)
        listed = owned(Checkup, owner).filter(archived__in=[False]).count()
        CheckupState.objects.filter(pk=state.pk).update(day=day, window_days=window, load=load, close_load=close,
                                                        listed=listed)
    return len(rows)


def listed(owner, day: date) -> int | None:
    """How many people the People page lists unfiltered (not archived), kept with the checkups: None unless
    every checkup holds on ``day`` (then count them). A page reads one row instead of counting 50,000."""
    return _when_current(owner, day, "listed")


def _rescore(owner, day: date, window: int) -> int:
    """On a new day, what time alone changes in the verdicts that hold: the score of the due and overdue
    (their urgency grows daily), the strengths whose rounding step has come (recency falls, tenure
    grows), and the window's counts when its oldest interaction leaves it (counted again for those
    people alone, with their strength); returns how many rows changed.

    Each is computed from the parts the checkup keeps, by the engine's own functions
    (``engine.today.score``, ``engine.health.strength``), so it is what the engine would say.
    Everything else holds until ``valid_until`` (``holds_until(rescored=True)`` ends the verdict on
    every day the urgency's growth changes shape). Rows kept before the parts existed have ``worth`` 0
    and no ``strength_until``: they are left alone (and were due for recomputation the next day).
    """
    holding = owned(Checkup, owner).filter(day__lt=day, valid_until__gt=day)  # (not those just computed)
    # Every row read keeps its rescored columns as they are (RESCORED), so that only values that change are
    # written, and PostgreSQL can write whole rows in one statement.
    kept: dict[int, list] = {}
    changed: dict[int, dict] = {}
    # Thousands of rows: read without Django's per-value converters (dates come as text from SQLite).
    for pk, status, due, every, hooks, worth, *values in fast_rows(
        holding.filter(status__in=("due", "overdue"), score__gt=0, worth__gt=0)
        .values_list("id", "status", "next_due", "cadence_days", "hooks", "worth", *RESCORED)
    ):
        kept[pk] = values
        now = score(urgency(None, day, cadence.Assessment(every, as_date(due), status)), hooks, worth)
        if now != values[0]:
            changed[pk] = {"score": now}
    strengths = {}
    for pk, touched, since, outcomes, *values in fast_rows(
            holding.filter(strength_until__lte=day).values_list("id", "touched", "since", "outcomes", *RESCORED)):
        kept[pk] = values
        n_in, n_out, channels = values[4:]
        strengths[pk] = (as_date(touched), as_date(since), Activity(n_in, n_out, channels), outcomes)
    # The oldest interaction counted left the window: those people's counts are the kept ones less what left
    # (snapshot.activity_once_left), and their strength is computed with them.
    leaving, before = {}, {}
    for pk, person_id, touched, since, outcomes, *values in fast_rows(
            holding.filter(counts_until__lte=day).values_list("id", "person_id", "touched", "since", "outcomes",
                                                              *RESCORED)):
        kept[pk] = values
        leaving[person_id] = (pk, as_date(touched), as_date(since), outcomes)
        before[person_id] = _kept_activity(window, *values[3:])
    # (Past thousands of them, after weeks away, counting everyone is cheaper than naming them.)
    counted = (activity_once_left(owner, day, window, before) if len(before) <= LOAD_ALL_ABOVE
               else load_activity(owner, day, window))
    for person_id, (pk, touched, since, outcomes) in leaving.items():
        activity = counted.get(person_id, Activity())
        changed.setdefault(pk, {}).update(
            interactions_in=activity.interactions_in, interactions_out=activity.interactions_out,
            channels=activity.channels, counts_until=counts_until(activity, window))
        strengths[pk] = (touched, since, activity, outcomes)
    for pk, (touched, since, activity, outcomes) in strengths.items():
        person = _StrengthOf(datetime.combine(touched, datetime.min.time()) if touched else None, since, None,
                             outcomes)
        update = changed.setdefault(pk, {})
        update["strength_until"] = strength_step(person, activity, day, window)
        update["strength"] = health.strength(person, activity, day, window)
    # Only what changes is written: a row's every index takes a new entry when any indexed column changes.
    rows = {}
    for pk, update in changed.items():
        old = dict(zip(RESCORED, kept[pk]))
        update = {k: v for k, v in update.items()
                  if (as_date(old[k]) if k in RESCORED_DATES else old[k]) != v}
        if update:
            rows[pk] = (old, update)
    if rows:
        _write_rescored(rows)
    return len(rows)


# The columns a new day rescores (_rescore), in this order.
RESCORED = ("score", "strength", "strength_until", "counts_until", "interactions_in", "interactions_out",
            "channels")
COUNTS = frozenset(RESCORED[3:])  # the window's counts, recounted together
RESCORED_DATES = ("strength_until", "counts_until")  # (SQLite gives them as text)


def _write_rescored(rows: dict[int, tuple[dict, dict]]) -> None:
    """Write the rescored values: ``rows`` maps a checkup's id to (its RESCORED values as read, those changed)."""
    table = connection.ops.quote_name(Checkup._meta.db_table)
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # In process: one prepared statement per set of changed columns, run per row (a column not
            # assigned leaves its indexes alone). The window's counts go together (only counts_until is
            # indexed): a statement per subset of them would only add statements.
            by_columns: dict[tuple, list] = {}
            for pk, (old, update) in rows.items():
                if COUNTS.intersection(update):
                    update = {**{c: old[c] for c in COUNTS}, **update}
                columns = tuple(sorted(update))
                by_columns.setdefault(columns, []).append(
                    [adapt(update[c]) if c in RESCORED_DATES else update[c] for c in columns] + [pk])
            for columns, params in by_columns.items():
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", params)
            return
        # PostgreSQL: every row changes an indexed column (no update is HOT), so each row costs the same
        # whatever it assigns: one statement writes whole rows (the values read where unchanged), its
        # values in one array per column (a statement per 1,000 rows of separate parameters spent more
        # time binding them than the server spent writing).
        columns = (*RESCORED, "id")
        whole = [{**old, **update} for old, update in rows.values()]
        values = [[row[c] for row in whole] for c in RESCORED] + [list(rows)]
        _unnest(cursor, f"UPDATE {table} SET {', '.join(f'{quote(c)} = v.{quote(c)}' for c in RESCORED)} "
                        f"FROM {{rows}} AS v({', '.join(quote(c) for c in columns)}) WHERE {table}.id = v.id",
                [Checkup._meta.get_field(c) for c in columns], values)


def _unnest(cursor, sql: str, fields: list, columns: list[list]) -> None:
    """Run ``sql`` once on PostgreSQL, its ``{rows}`` the rows whose values of ``fields`` are ``columns``
    (one list per field): ``unnest`` of one array per column, bound as a dozen parameters, whatever the
    number of rows."""
    arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
    # An array holds one type: a score may be a whole number (0), a float column's values go as floats.
    columns = [[None if v is None else float(v) for v in values] if field.get_internal_type() == "FloatField"
               else values for field, values in zip(fields, columns)]
    cursor.execute(sql.format(rows=f"unnest({arrays})"), columns)


class _StrengthOf(NamedTuple):
    """What ``health.strength`` and ``until.strength_step`` read of a person (the checkup keeps it)."""

    last_touch: datetime | None
    known_since: date | None
    first_touch: datetime | None
    outcomes: int


def _load(owner) -> tuple[float, float]:
    """The pace's load over the current checkups (``services.pace.load_of``), summed once per recomputation."""
    rows = (owned(Checkup, owner).filter(archived=False, cadence_days__isnull=False)
            .exclude(status__in=("dormant", "untracked")).values("cadence_days").annotate(n=Count("pk"))
            .order_by().values_list("cadence_days", "n"))
    total = close = 0.0
    for every, n in rows:
        total += n / every
        close += n / every if cadence.is_close(every) else 0.0
    return total, close


# A checkup's row as the engine computed it: its columns, in order (a model instance per row cost a
# quarter of a new day's recomputation).
_FIELDS = [f for f in Checkup._meta.concrete_fields if not f.primary_key]
NEVER = TOUCH_NEVER.replace(tzinfo=None)  # (the engine's times are naive, in the owner's time zone)
Verdict = namedtuple("Verdict", [f.attname for f in _FIELDS])


def _kept_counts(day: date, window: int, computed, touched, until, n_in: int, n_out: int,
                 channels: int) -> Activity | None:
    """The window's counts a checkup computed for the day ``computed`` keeps, when they still hold on ``day``:
    none of its interactions has left the window (``counts_until`` is later) and none was dated after
    that day (none enters it); a new interaction drops the row. Else None: count them again."""
    until, touched = as_date(until), as_date(touched)
    if (until is not None and until <= day) or (touched is not None and touched > as_date(computed)):
        return None
    return _kept_activity(window, until, n_in, n_out, channels)


def _kept_activity(window: int, until, n_in: int, n_out: int, channels: int) -> Activity:
    """The window's counts a checkup keeps, with the day of the oldest interaction counted (``counts_until`` is
    that day plus the window: engine.until.counts_until)."""
    until = as_date(until)
    return Activity(n_in, n_out, channels, until - timedelta(days=window) if until is not None else None)


def _verdicts(owner, day: date, window: int, stale: list[int], counted: dict[int, Activity] | None = None
              ) -> list[Verdict]:
    """The engine's verdicts on the ``stale`` people on ``day``, each with the day it stops holding.

    ``counted``: the window's counts of some of them, still holding (:func:`_kept_counts`); the others' are
    counted.
    """
    wanted = set(stale)
    ids = None if len(stale) > LOAD_ALL_ABOVE else stale
    world, sent = load_world(owner, day)
    people = with_content_sent(load_people(owner, ids=ids, include_archived=True), sent)
    activity = dict(counted or {})
    uncounted = [i for i in stale if i not in activity]
    if uncounted:
        activity.update(load_activity(owner, day, window, ids=None if len(uncounted) > LOAD_ALL_ABOVE else uncounted))
    # Every upcoming event and content not yet stale, also those beyond the day's world: their windows
    # open on a day to come.
    events = tuple(
        EventInfo(title, on, frozenset(topics), lead)
        for title, on, topics, lead in owned(Event, owner).filter(on__gte=day)
        .values_list("title", "on", "topics", "lead_days")
    )
    content = tuple(
        ContentInfo(cid, title, on, kind, frozenset(topics))
        for cid, title, on, kind, topics in owned(Content, owner).filter(on__gte=day - timedelta(days=15))
        .values_list("id", "title", "on", "kind", "topics")
    )
    rows = []
    for person in people:
        if person.id not in wanted:
            continue
        assessment = cadence.assess(person, day)
        counts = activity.get(person.id, Activity())
        entry = entry_for(person, world)
        hooks, worth = priority_parts(person, entry.reasons, world, assessment) if entry else (0.0, 0.0)
        starts = [d for d in (person.known_since, person.first_touch.date() if person.first_touch else None) if d]
        rows.append(
            Verdict(
                owner_id=owner.pk, person_id=person.id, day=day, window_days=window, status=assessment.status,
                reciprocity=health.reciprocity(person, day, window),
                strength=health.strength(person, counts, day, window), next_due=assessment.due,
                cadence_days=assessment.every, score=entry.score if entry else 0.0, band=entry.band if entry else 0,
                hooks=hooks, worth=worth, touched=person.last_touch.date() if person.last_touch else None,
                since=min(starts) if starts else None, channels=counts.channels, outcomes=person.outcomes,
                strength_until=strength_step(person, counts, day, window), counts_until=counts_until(counts, window),
                interactions_in=counts.interactions_in, interactions_out=counts.interactions_out,
                archived=person.archived, name=person.name,
                due_key=assessment.due or date.fromisoformat(FAR), touch_key=person.last_touch or NEVER,
                valid_until=holds_until(person, world, counts, events=events, content=content, rescored=True),
            )
        )
    return rows


def _replace(old, rows: list[Verdict]) -> None:
    """SQLite: write ``rows`` over the checkups ``old`` holds (those that no longer hold), inserting the missing.

    A row kept is updated in the columns that changed alone: most verdicts recomputed on a new day come out the
    same but for their dates, and a column not assigned leaves its indexes alone (twelve of them, which a delete
    and an insert would both have gone through).
    """
    # Read as the driver gives them (dates, and date-times naive in the owner's time zone, as the engine's).
    person = 1 + Verdict._fields.index("person_id")
    kept = {row[person]: row for row in fast_rows(old.values_list("id", *Verdict._fields))}
    by_columns: dict[tuple, list] = {}
    for row in rows:
        before = kept.get(row.person_id)
        if before is None:
            continue
        changed = tuple(i for i, (now, then) in enumerate(zip(row, before[1:])) if now != then)
        if changed:
            values = _sqlite_values(row)
            by_columns.setdefault(changed, []).append([values[i] for i in changed] + [before[0]])
    table = connection.ops.quote_name(Checkup._meta.db_table)
    with connection.cursor() as cursor:
        for changed, params in by_columns.items():
            assignments = ", ".join(f"{connection.ops.quote_name(_FIELDS[i].column)} = %s" for i in changed)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", params)
    _insert([row for row in rows if row.person_id not in kept])


# SQLite: which of a Verdict's values need adapting (it stores text): its dates and date-times.
_DATES = [i for i, f in enumerate(_FIELDS) if f.get_internal_type() == "DateField"]
_DATETIMES = [i for i, f in enumerate(_FIELDS) if f.get_internal_type() == "DateTimeField"]


def _sqlite_values(row: Verdict) -> list:
    """A verdict's values as SQLite stores them: only dates and date-times need adapting, the others go to the
    driver as they are (get_db_prep_save on each of 25 fields of 20,000 rows cost more than the INSERT)."""
    values = list(row)
    ops = connection.ops  # (once: each access through Django's connection proxy looks the alias up)
    for i in _DATES:
        values[i] = ops.adapt_datefield_value(values[i])
    for i in _DATETIMES:
        values[i] = ops.adapt_datetimefield_value(values[i])
    return values


def _insert(rows: list[Verdict]) -> None:
    """One prepared INSERT for all rows on SQLite (bulk_create splits 20,000 rows into 280 statements), one
    statement of one array per column on PostgreSQL (where executemany still sends a statement per row, and
    25 parameters a row cost more to bind than to write).

    Another process may have computed the same rows meanwhile: theirs are as good as ours, so a
    conflict on the person is skipped.
    """
    if not rows:
        return
    table = connection.ops.quote_name(Checkup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in _FIELDS)
    person = connection.ops.quote_name(Checkup._meta.get_field("person").column)
    conflict = f"ON CONFLICT ({person}) DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _unnest(cursor, f"INSERT INTO {table} ({columns}) SELECT * FROM {{rows}} {conflict}", _FIELDS,
                    [list(column) for column in zip(*rows)])
            return
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_FIELDS))}) {conflict}",
                           [_sqlite_values(row) for row in rows])


# -- what makes a checkup stale ---------------------------------------------

# Rows that belong to one person. Interactions are not here: refresh_summaries forgets for them.
PERSON_MODELS = (Interest, Membership, Outcome, PledgePerson)


_local = threading.local()


@contextmanager
def deferred():
    """Within it, the signal handlers below forget nothing: the caller forgets what changed once, after.

    For writes of many rows that send signals (deleting people cascades to their interests, circles,
    outcomes…), where one DELETE of checkups per row would make the query count grow with the rows.
    """
    before = getattr(_local, "deferred", False)
    _local.deferred = True
    try:
        yield
    finally:
        _local.deferred = before


def _quiet(kwargs) -> bool:
    return kwargs.get("raw") or getattr(_local, "deferred", False)


def _person_changed(sender, instance, **kwargs):
    if _quiet(kwargs):
        return
    forget(instance.owner_id, [instance.person_id])


def _person_saved(sender, instance, created=False, **kwargs):
    if _quiet(kwargs):
        return
    if created:  # a new person has no checkup yet: the next read looks for the missing ones
        CheckupState.objects.filter(owner_id=instance.owner_id, dirty=False).update(dirty=True)
        return
    forget(instance.owner_id, [instance.pk])


def recount(owner_id: int) -> None:
    """People went without their checkups being forgotten (a deletion cascades): the kept total
    (:func:`listed`) is counted again on the next read."""
    CheckupState.objects.filter(owner_id=owner_id, dirty=False).update(dirty=True)


def _person_deleted(sender, instance, **kwargs):
    if _quiet(kwargs):
        return  # deleting many: the caller drops the reviews once
    forget_reviews(instance.owner_id)  # their checkup went with them (cascade)
    recount(instance.owner_id)


def _milestone_changed(sender, instance, **kwargs):
    if _quiet(kwargs):
        return
    if instance.person_id:  # theirs concerns one person
        forget(instance.owner_id, [instance.person_id])
    else:  # yours is a reason for the people you are mutual with (whoever becomes mutual is recomputed then)
        _forget_where(instance.owner_id, Q(reciprocity="mutual"))


def _remember_topics(sender, instance, **kwargs):
    """Before an event or content is saved: the topics it had, whose followers it concerned."""
    if instance.pk and not kwargs.get("raw"):
        instance._topics_before = list(
            sender.objects.filter(pk=instance.pk).values_list("topics", flat=True).first() or []
        )


def _topics_changed(sender, instance, **kwargs):
    """An event or a piece of content concerns the people who follow one of its topics (before or after)."""
    if _quiet(kwargs):
        return
    topics = set(instance.topics or ()) | set(getattr(instance, "_topics_before", ()))
    if topics:
        followers = Interest.objects.filter(owner_id=instance.owner_id, topic__in=sorted(topics)).values("person_id")
        _forget_where(instance.owner_id, Q(person_id__in=followers))
    else:
        forget_reviews(instance.owner_id)


def _members_changed(sender, instance, **kwargs):
    """A circle's cadence concerns its members; a pledge, the people it names."""
    if _quiet(kwargs):
        return
    if sender is Circle:
        members = Membership.objects.filter(owner_id=instance.owner_id, circle_id=instance.pk).values("person_id")
    else:
        members = PledgePerson.objects.filter(owner_id=instance.owner_id, pledge_id=instance.pk).values("person_id")
    _forget_where(instance.owner_id, Q(person_id__in=members))


def _user_created(sender, instance, created=False, **kwargs):
    if created and not kwargs.get("raw"):
        CheckupState.objects.get_or_create(owner_id=instance.pk)


def connect() -> None:
    """Called once from the app config."""
    from django.contrib.auth import get_user_model

    post_save.connect(_user_created, sender=get_user_model(), dispatch_uid="checkup-state-user")
    for model in PERSON_MODELS:
        post_save.connect(_person_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-save")
        post_delete.connect(_person_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-delete")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="checkup-Person-save")
    # Their checkup goes with them (cascade); this drops the kept reviews that name them.
    post_delete.connect(_person_deleted, sender=Person, dispatch_uid="checkup-Person-delete")
    post_save.connect(_milestone_changed, sender=Milestone, dispatch_uid="checkup-Milestone-save")
    post_delete.connect(_milestone_changed, sender=Milestone, dispatch_uid="checkup-Milestone-delete")
    for model in (Event, Content):
        pre_save.connect(_remember_topics, sender=model, dispatch_uid=f"checkup-{model.__name__}-pre")
        post_save.connect(_topics_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-save")
        post_delete.connect(_topics_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-delete")
    for model in (Circle, Pledge):
        post_save.connect(_members_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-save")
        post_delete.connect(_members_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-delete")


def refresh_all() -> int:
    """Bring every user's checkups (and the day's count of their pings, for the pace) up to their today;
    returns how many checkups were computed.

    Each user's day starts at midnight in their own time zone (Settings), so
    each is computed under that zone.
    """
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from restons.models import Preferences
    from restons.services.accounts import resolve

    from restons.services.pace import window_pings

    preferences = {p.owner_id: p for p in Preferences.objects.all()}
    computed = 0
    for user in get_user_model().objects.order_by("id"):
        with timezone.override(ZoneInfo(resolve(preferences.get(user.pk)).time_zone)):
            computed += ensure_current(user, timezone.localdate())
            window_pings(user, timezone.localdate())  # the day's pace, counted once, off the first page view
    return computed
