"""A person's health and details (``person show``) and the people list (``person list``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext as _

from django.utils import timezone

from restons import conf, limits
from restons.engine import cadence, health
from restons.engine.health import Activity
from restons.engine.state import RECIPROCITIES, STATUSES
from restons.models import Affiliation, Checkup, Membership, Identity, Interaction, Milestone, Outcome, Person, PledgePerson
from restons.services.access import check_owned, owned
from restons.services.errors import UserError
from restons.services import checkups, timeline
from restons.services.snapshot import as_date, as_datetime, fast_rows, load_activity, load_people, local_today

TIMELINE_LENGTH = 50


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _local_iso(moment) -> str | None:
    """A naive local datetime from the engine, written with the owner's UTC offset."""
    if moment is None:
        return None
    return timezone.make_aware(moment).isoformat()


def next_due_of(owner, person: Person, day: date | None = None) -> date | None:
    """The person's next due date (None when untracked)."""
    (state,) = load_people(owner, ids=[person.id], include_archived=True)
    return cadence.next_due(state, day or local_today())


def summary(person, activity: Activity, today: date, window: int) -> dict:
    """The short fields shared by ``person list`` and ``person show``."""
    every = cadence.effective_cadence(person, today)
    return {
        "id": person.id,
        "name": person.name,
        "circles": list(person.circles),
        "cadence_days": every,
        "last_touch": _local_iso(person.last_touch),
        "next_due": _iso(cadence.next_due(person, today)),
        "status": cadence.status(person, today),
        "reciprocity": health.reciprocity(person, today, window),
        "strength": health.strength(person, activity, today, window),
        "interactions_in": activity.interactions_in,
        "interactions_out": activity.interactions_out,
        "archived": person.archived,
        "snoozed_until": _iso(person.snoozed_until),
    }


def person_list(owner, day: date | None = None, circle: str = "", status: str = "", reciprocity: str = "",
                include_archived: bool = False) -> list[dict]:
    """People with their health, filtered; raises UserError for an unknown status or reciprocity."""
    if status and status not in STATUSES:
        raise UserError(_("unknown status %(value)r; use one of: %(allowed)s") % {"value": status, "allowed": ", ".join(STATUSES)})
    if reciprocity and reciprocity not in RECIPROCITIES:
        raise UserError(
            _("unknown reciprocity %(value)r; use one of: %(allowed)s")
            % {"value": reciprocity, "allowed": ", ".join(RECIPROCITIES)}
        )
    limits.check_text(circle, _("A circle's name"), limits.TOPIC_MAX)
    day = day or local_today()
    if day == local_today():
        return _list_from_checkups(owner, day, circle, status, reciprocity, include_archived)
    window = conf.get("RESTONS_WINDOW_DAYS")
    people = load_people(owner, include_archived=include_archived)
    activity = load_activity(owner, day, window)
    rows = []
    for person in people:
        if circle and circle.casefold() not in {c.casefold() for c in person.circles}:
            continue
        row = summary(person, activity.get(person.id, Activity()), day, window)
        if (status and row["status"] != status) or (reciprocity and row["reciprocity"] != reciprocity):
            continue
        rows.append(row)
    return rows


CHECKUP_FIELDS = (
    "person_id", "person__name", "person__last_touch_at", "person__archived", "person__snoozed_until",
    "cadence_days", "next_due", "status", "reciprocity", "strength", "interactions_in", "interactions_out",
)
# The People page's orders, each ending on name and id so that pages never overlap.
ORDERS = {
    # due_key is next_due, never NULL (untracked people last): the index checkup_owner_due holds
    # (due_key, name, person), so a page of 50 reads 50 index entries whatever the size of the network.
    "due": ("due_key", "name", "person_id"),
    "strength": ("-strength", "name", "person_id"),  # index checkup_owner_strength
    "touch": ("-touch_key", "name", "person_id"),  # index checkup_owner_touch; never touched: TOUCH_NEVER, last

    "name": ("name", "person_id"),
}


def checkups_of(owner, day: date, circle: str = "", status: str = "", reciprocity: str = "",
                include_archived: bool = False, person_ids=None):
    """Today's kept checkups (recomputed where stale), filtered: a queryset for lists and pages.

    Raises UserError for a circle name longer than any circle's.
    """
    limits.check_text(circle, _("A circle's name"), limits.TOPIC_MAX)
    checkups.ensure_current(owner, day)
    rows = owned(Checkup, owner).all()
    if not include_archived:
        # "archived IN (false)", not Django's "NOT archived": SQLite uses an index on (owner, archived, ...)
        # only for an equality, and without it sorts every checkup for a page of 50.
        rows = rows.filter(archived__in=[False])
    if status:
        rows = rows.filter(status=status)
    if reciprocity:
        rows = rows.filter(reciprocity=reciprocity)
    if circle:
        rows = rows.filter(person__memberships__circle__name__iexact=circle.strip())
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    return rows


def rows_of(owner, checkup_rows, person_ids=None) -> list[dict]:
    """The ``person list`` objects for a ``values_list(*CHECKUP_FIELDS)`` of checkups."""
    circles = defaultdict(list)
    memberships = owned(Membership, owner).order_by("circle__name")
    if person_ids is not None:
        memberships = memberships.filter(person_id__in=person_ids)
    for person_id, name in fast_rows(memberships.values_list("person_id", "circle__name")):
        circles[person_id].append(name)
    tz = timezone.get_current_timezone()
    result = []
    for (pid, name, last, archived, snoozed, every, due, state, mutuality, strength, n_in, n_out) in checkup_rows:
        last = as_datetime(last)
        result.append({
            "id": pid, "name": name, "circles": circles.get(pid, []), "cadence_days": every,
            "last_touch": last.astimezone(tz).isoformat() if last else None,
            "next_due": _iso(as_date(due)), "status": state, "reciprocity": mutuality, "strength": strength,
            "interactions_in": n_in, "interactions_out": n_out, "archived": bool(archived),
            "snoozed_until": _iso(as_date(snoozed)),
        })
    return result


def _list_from_checkups(owner, day: date, circle: str, status: str, reciprocity: str,
                        include_archived: bool) -> list[dict]:
    """``person_list`` for today, read from the kept checkups: the same rows, a few queries, no engine run."""
    rows = checkups_of(owner, day, circle, status, reciprocity, include_archived)
    return rows_of(owner, fast_rows(rows.order_by(*ORDERS["name"]).values_list(*CHECKUP_FIELDS)))


def people_page(owner, *, query: str = "", circle: str = "", status: str = "", reciprocity: str = "",
                include_archived: bool = False, sort: str = "name", limit: int = 50, offset: int = 0):
    """One page of today's ``person list`` objects, searched, filtered and sorted by the database.

    Returns (how many match over all pages, the page's rows). ``query`` searches names, identities,
    organisations and interests; ``sort`` is one of ORDERS. Raises UserError for an unknown
    status, reciprocity or sort.
    """
    from restons.services.people import search_people

    for value, allowed, what in ((status, STATUSES, _("status")), (reciprocity, RECIPROCITIES, _("reciprocity")),
                                 (sort, tuple(ORDERS), _("sort"))):
        if value and value not in allowed:
            raise UserError(_("unknown %(what)s %(value)r; use one of: %(allowed)s")
                            % {"what": what, "value": value, "allowed": ", ".join(allowed)})
    found = search_people(owner, query).values("id") if query.strip() else None
    rows = checkups_of(owner, local_today(), circle, status, reciprocity, include_archived, found)
    page = fast_rows(rows.order_by(*ORDERS[sort or "name"]).values_list(*CHECKUP_FIELDS)[offset : offset + limit])
    return rows.count(), rows_of(owner, page, person_ids=[row[0] for row in page])


def person_detail(owner, person: Person, day: date | None = None) -> dict:
    """Everything ``person show`` prints, as the documented JSON object."""
    check_owned(owner, person)
    day = day or local_today()
    window = conf.get("RESTONS_WINDOW_DAYS")
    (state,) = load_people(owner, ids=[person.id], include_archived=True)
    activity = load_activity(owner, day, window, ids=[person.id]).get(person.id, Activity())
    detail = summary(state, activity, day, window)
    every = detail["cadence_days"]
    detail.update(
        identities=[
            {"kind": kind, "value": value}
            # Sorted here: ordered by the database, SQLite (no statistics) kept the order by walking the
            # owner's unique (kind, value) index instead of taking the person's identities.
            for kind, value in sorted(owned(Identity, owner).filter(person=person).order_by().values_list("kind", "value"))
        ],
        interests=sorted(state.interests),
        outcomes=[
            {"kind": kind, "at": at.isoformat(), "note": note}
            for kind, at, note in owned(Outcome, owner).filter(person=person).order_by("at", "id").values_list("kind", "at", "note")
        ],
        met={"how": person.met_how, "on": _iso(person.met_on), "where": person.met_where,
             "connected_on": _iso(person.connected_on)},
        organisations=[
            {"name": name, "title": title, "started_on": _iso(start), "ended_on": _iso(end)}
            for name, title, start, end in owned(Affiliation, owner).filter(person=person)
            .order_by("started_on", "organisation__name").values_list("organisation__name", "title", "started_on", "ended_on")
        ],
        milestones=[
            {"title": title, "on": on.isoformat(), "yearly": yearly}
            for title, on, yearly in owned(Milestone, owner).filter(person=person).order_by("on").values_list("title", "on", "yearly")
        ],
        pledges=[
            {"org": org, "on": on.isoformat()}
            for org, on in owned(PledgePerson, owner).filter(person=person).order_by("pledge__on", "pledge_id")
            .values_list("pledge__organisation__name", "pledge__on")
        ],
        ghosting=health.is_ghosting(state),
        suggested_cadence_days=health.suggested_cadence(every) if health.is_ghosting(state) else None,
        notes=person.notes,
        history=timeline.history(owner, person, day),
        timeline=[
            {"id": pk, "at": timezone.localtime(at).isoformat(), "direction": direction, "channel": channel,
             "summary": text, "source": source, "until": timezone.localtime(until).isoformat() if until else None}
            for pk, at, direction, channel, text, source, until in owned(Interaction, owner).filter(person=person)
            .order_by("-at", "-id").values_list("id", "at", "direction", "channel", "summary", "source",
                                                "until")[:TIMELINE_LENGTH]
        ],
    )
    return detail
