"""Load the plain data the engine needs, in a fixed number of queries.

Whatever the number of people, :func:`load_people` runs six queries,
:func:`load_world` three and :func:`with_last_notes` one; nothing here loops
over people with a query.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Callable, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from restons import conf
from restons.engine.health import Activity
from restons.engine.reasons import CONTENT_FRESH_DAYS
from restons.engine.state import ContentInfo, EventInfo, MilestoneInfo, PersonState, PledgeLink, World
from restons.models import Content, Event, Interaction, Interest, Membership, Milestone, Outcome, Person, PledgePerson
from restons.services.access import owned

QUERY_CHUNK = 500  # ids or values in one IN (...) clause: well under every database's limit on parameters

PERSON_FIELDS = (
    "id", "name", "created_at", "cadence_days", "snoozed_until", "archived", "last_touch_at", "last_in_at",
    "last_out_at", "first_touch_at", "out_streak", "met_on", "connected_on",
)


def local(moment: datetime | None, tz=None) -> datetime | None:
    """An aware datetime as a naive one in the owner's time zone (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(tz or timezone.get_current_timezone()).replace(tzinfo=None)


def local_today() -> date:
    return timezone.localdate()


def fast_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset without Django's per-value converters.

    On thousands of rows the converters cost more than the query; callers
    read values with :func:`as_datetime`, :func:`as_date` and ``bool``.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``id__in=[]``: nothing to ask the database
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_datetime(value) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (SQLite gives text, PostgreSQL a datetime).

    SQLite's registered converter may also give a naive datetime: it is UTC, not
    the process's local time (which Django sets to the configured time zone).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class Row(NamedTuple):
    """One person's row before it becomes a PersonState: enough to tell whether the engine needs them."""

    id: int
    name: str
    created_at: datetime
    cadence_days: int | None
    snoozed_until: date | None
    archived: bool
    last_touch: datetime | None
    last_in: datetime | None
    last_out: datetime | None
    first_touch: datetime | None
    out_streak: int
    met_on: date | None
    connected_on: date | None
    circles: tuple  # (name, cadence days or None)
    pledges: tuple  # PledgeLink
    milestones: tuple  # MilestoneInfo


def load_people(owner, *, ids=None, include_archived: bool = False, exclude_snoozed_on: date | None = None,
                keep: Callable[[Row], bool] | None = None):
    """Every person of ``owner`` (or those in ``ids``) as engine PersonStates, ordered by name.

    ``keep`` (a predicate on :class:`Row`) drops people before the costlier
    conversion: Today keeps only those who could have a reason.
    """
    people = owned(Person, owner)
    if ids is not None:
        people = people.filter(id__in=list(ids))
    if not include_archived:
        people = people.filter(archived=False)
    if exclude_snoozed_on is not None:
        people = people.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lt=exclude_snoozed_on))

    def related(model):
        rows = owned(model, owner)
        if ids is not None:
            return rows.filter(person_id__in=list(ids))
        return rows

    circles = defaultdict(list)
    for person_id, name, every in related(Membership).values_list("person_id", "circle__name", "circle__cadence_days"):
        circles[person_id].append((name, every))
    pledges = defaultdict(list)
    for row in related(PledgePerson).values_list(
        "person_id", "pledge__organisation__name", "pledge__on", "pledge__cadence_days",
        "pledge__first_window_days", "pledge__ended_on",
    ):
        pledges[row[0]].append(PledgeLink(*row[1:]))
    milestones = defaultdict(list)
    # Theirs, not yours (no person). With ids, naming them says as much: SQLite would read "not null" as a range
    # over every person's milestones rather than look up the few.
    theirs = related(Milestone) if ids is not None else related(Milestone).filter(person_id__isnull=False)
    for person_id, mid, title, on, yearly in theirs.values_list("person_id", "id", "title", "on", "yearly"):
        milestones[person_id].append(MilestoneInfo(title, on, yearly, mid))

    if ids is None:
        found = fast_rows(people.order_by("name", "id").values_list(*PERSON_FIELDS))
    else:
        # A few people by id: sorted here. Ordered by the database, SQLite (no statistics) kept the order by
        # walking the owner's name index, every person of theirs, instead of taking the few by key.
        found = sorted(fast_rows(people.order_by().values_list(*PERSON_FIELDS)), key=lambda raw: (raw[1], raw[0]))
    rows = []
    for raw in found:
        (pid, name, created, cadence_days, snoozed, archived, last, last_in, last_out, first, streak, met_on,
         connected_on) = raw
        row = Row(pid, name, as_datetime(created), cadence_days, as_date(snoozed), bool(archived), as_datetime(last),
                  as_datetime(last_in), as_datetime(last_out), as_datetime(first), streak, as_date(met_on),
                  as_date(connected_on), tuple(circles.get(pid, ())), tuple(pledges.get(pid, ())),
                  tuple(milestones.get(pid, ())))
        if keep is None or keep(row):
            rows.append(row)

    interests = defaultdict(set)
    outcomes: dict[int, int] = {}
    if rows:
        # Everyone's (or the ids' own): cheaper than a filter naming thousands of kept ids.
        for person_id, topic in fast_rows(related(Interest).values_list("person_id", "topic")):
            interests[person_id].add(topic)
        outcomes = dict(related(Outcome).values("person_id").annotate(n=Count("id")).order_by().values_list("person_id", "n"))

    tz = timezone.get_current_timezone()
    states = []
    for row in rows:
        known = [d for d in (row.met_on, row.connected_on) if d]
        states.append(
            PersonState(
                id=row.id,
                name=row.name,
                created_on=row.created_at.astimezone(tz).date(),
                cadence_days=row.cadence_days,
                circle_cadences=tuple(every for _name, every in row.circles if every),
                circles=tuple(sorted(name for name, _every in row.circles)),
                pledges=row.pledges,
                snoozed_until=row.snoozed_until,
                archived=row.archived,
                last_touch=local(row.last_touch, tz),
                last_in=local(row.last_in, tz),
                last_out=local(row.last_out, tz),
                first_touch=local(row.first_touch, tz),
                out_streak=row.out_streak,
                interests=frozenset(interests.get(row.id, ())),
                outcomes=outcomes.get(row.id, 0),
                milestones=row.milestones,
                known_since=min(known) if known else None,
            )
        )
    return states


def load_world(owner, today: date, people=None) -> tuple[World, dict[int, frozenset[int]]]:
    """The events, recent content and your milestones around ``today``.

    Also returns, per person, the ids of recent content already sent to them
    (so the content hook is not proposed twice): to everyone, or to the ids in
    ``people`` only (none for ``()``; :func:`content_sent` asks later).
    """
    events = tuple(
        EventInfo(title, on, frozenset(topics), lead)
        for title, on, topics, lead in owned(Event, owner)
        .filter(on__gte=today, on__lte=today + timedelta(days=60))
        .values_list("title", "on", "topics", "lead_days")
    )
    content = tuple(
        ContentInfo(cid, title, on, kind, frozenset(topics))
        for cid, title, on, kind, topics in owned(Content, owner)
        .filter(on__lte=today, on__gte=today - timedelta(days=CONTENT_FRESH_DAYS))
        .values_list("id", "title", "on", "kind", "topics")
    )
    mine = tuple(
        MilestoneInfo(title, on, yearly, mid)
        for mid, title, on, yearly in owned(Milestone, owner)
        .filter(person__isnull=True)
        .values_list("id", "title", "on", "yearly")
    )
    world = World(today=today, events=events, content=content, my_milestones=mine,
                  window_days=conf.get("RESTONS_WINDOW_DAYS"))
    return world, content_sent(owner, world, people)


def content_sent(owner, world: World, people=None) -> dict[int, frozenset[int]]:
    """Per person (everyone, or the ids in ``people``), the ids of the world's content already sent to them.

    A newsletter reaches many people: Today asks for the few it lists, so its cost does not grow
    with the size of the network.
    """
    if not world.content or (people is not None and not people):
        return {}
    rows = owned(Interaction, owner).filter(content_id__in=[c.id for c in world.content])
    if people is not None:
        rows = rows.filter(person_id__in=list(people))
    sent = defaultdict(set)
    for person_id, content_id in rows.values_list("person_id", "content_id"):
        sent[person_id].add(content_id)
    return {pid: frozenset(ids) for pid, ids in sent.items()}


def with_content_sent(people, sent: dict[int, frozenset[int]]):
    """PersonStates with ``content_sent`` filled in from :func:`load_world`."""
    from dataclasses import replace

    return [replace(p, content_sent=sent[p.id]) if p.id in sent else p for p in people]


def with_last_notes(owner, people):
    """PersonStates with ``last_in_note``: the note of each one's latest message (one query).

    Their latest message is the ``in`` interaction at ``last_in``; when that is a meeting
    (``both``) or has no note, the note stays "". For the few people whose drafts are
    written (Today), not for everyone.
    """
    from dataclasses import replace

    people = list(people)
    notes = {}
    if people:
        for person_id, summary in (
            owned(Interaction, owner)
            .filter(person_id__in=[p.id for p in people], direction="in", at=F("person__last_in_at"))
            .exclude(summary="")
            .order_by("person_id", "id")
            .values_list("person_id", "summary")
        ):
            notes[person_id] = summary  # the latest id wins when two share the time
    return [replace(p, last_in_note=notes[p.id]) if p.id in notes else p for p in people]


def _window(today: date, window_days: int, tz) -> tuple[datetime, datetime]:
    """The window ending on ``today``: from the start of its first day to the start of tomorrow."""
    return (datetime.combine(today - timedelta(days=window_days - 1), datetime.min.time(), tzinfo=tz),
            datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz))


def load_activity(owner, today: date, window_days: int, ids=None) -> dict[int, Activity]:
    """Interactions in and out and distinct channels per person over the window (one query)."""
    tz = timezone.get_current_timezone()
    start, end = _window(today, window_days, tz)
    rows = owned(Interaction, owner).filter(at__gte=start, at__lt=end)
    if ids is not None:
        rows = rows.filter(person_id__in=list(ids))
    result = {}
    for person_id, n_in, n_out, channels, oldest in (
        rows.values("person_id")
        .annotate(
            n_in=Count("id", filter=Q(direction__in=("in", "both"))),
            n_out=Count("id", filter=Q(direction__in=("out", "both"))),
            channels=Count("channel", distinct=True),
            oldest=Min("at"),
        )
        .order_by()
        .values_list("person_id", "n_in", "n_out", "channels", "oldest")
    ):
        oldest = as_datetime(oldest)
        result[person_id] = Activity(n_in, n_out, channels, local(oldest, tz).date() if oldest else None)
    return result


def activity_once_left(owner, today: date, window_days: int, counted: dict[int, Activity]) -> dict[int, Activity]:
    """What :func:`load_activity` says on ``today`` of the people in ``counted``, from their counts on an earlier
    day less the interactions that have left the window since (a new day: the oldest of a few hundred people's).

    ``counted``: each person's counts on the day they were taken, with its ``oldest`` day, when nothing was
    added since nor dated after that day (a new interaction recounts the person). Counting again would read
    every interaction of theirs in the window; this reads those that left, the first one left in, and, for a
    channel that left, whether another of that channel stays (a lookup that stops at the first).
    """
    tz = timezone.get_current_timezone()
    start, end = _window(today, window_days, tz)
    ids = [pid for pid, kept in counted.items() if kept.oldest is not None]
    if not ids:
        return dict(counted)
    # From the earliest oldest: what any of them had before their own oldest had left the window of the last
    # new day, on which everyone's oldest was rescored into it, so the range holds only pings they counted.
    since = datetime.combine(min(counted[pid].oldest for pid in ids), datetime.min.time(), tzinfo=tz)
    n_in = {pid: counted[pid].interactions_in for pid in ids}
    n_out = {pid: counted[pid].interactions_out for pid in ids}
    gone = defaultdict(set)
    for pid, direction, channel in fast_rows(owned(Interaction, owner).filter(
            person_id__in=ids, at__gte=since, at__lt=start).values_list("person_id", "direction", "channel")):
        n_in[pid] -= direction in ("in", "both")
        n_out[pid] -= direction in ("out", "both")
        gone[pid].add(channel)
    window = owned(Interaction, owner).filter(at__gte=start, at__lt=end, person_id=OuterRef("pk"))
    first = {pid: as_datetime(at) for pid, at in fast_rows(
        owned(Person, owner).filter(id__in=ids)
        .annotate(first=Subquery(window.order_by("at").values("at")[:1])).values_list("id", "first"))}
    channels = {pid: counted[pid].channels for pid in ids}
    for channel in set().union(*gone.values()):
        left = [pid for pid, those in gone.items() if channel in those]
        stay = set(owned(Person, owner).filter(id__in=left).filter(Exists(window.filter(channel=channel)))
                   .values_list("id", flat=True))
        for pid in left:
            channels[pid] -= pid not in stay
    return {
        **counted,
        **{pid: Activity(n_in[pid], n_out[pid], channels[pid],
                         local(first[pid], tz).date() if first.get(pid) else None) for pid in ids},
    }
