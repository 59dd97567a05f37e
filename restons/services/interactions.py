"""Interactions: log, list, edit and delete them, and keep each person's summary of them current.

Every change goes through :func:`refresh_summaries` in the same transaction, so
a person's last touch, next due date and checkup always follow what is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from restons import limits
from restons.models import Channel, Direction, Interaction, Person
from restons.parsing import choice
from restons.services import checkups
from restons.services.access import check_owned, owned
from restons.services.errors import NotFound, UserError

# A clock a little ahead of the server's is not a ping "in the future".
FUTURE_TOLERANCE = timedelta(minutes=5)
BATCH = 500
# How long after "I pinged them" the ping can be undone in one click (the page offers it for ten seconds).
UNDO_WINDOW = timedelta(minutes=2)

INBOUND = (Direction.IN, Direction.BOTH)
NEVER = datetime(1000, 1, 1, tzinfo=UTC)  # before any interaction (limits.DATE_MIN is 1900)
OUTBOUND = (Direction.OUT, Direction.BOTH)


def refresh_summaries(owner, person_ids) -> None:
    """Recompute ``last_touch_at`` and its siblings from the interactions themselves.

    Always derived from every interaction of the person, so the result is the
    same whatever order interactions arrived in (an old import after a new
    ping, say). Two UPDATE statements per batch of 500 people, computed by the
    database (correlated subqueries on the (owner, person, at) index): no rows
    travel, and no per-row CASE expression is built (``bulk_update`` spent
    most of a 20,000-message import's time building them).
    """
    ids = sorted(set(person_ids))
    mine = owned(Interaction, owner).filter(person_id=OuterRef("pk")).order_by()

    def first(queryset, order: str):
        return Subquery(queryset.order_by(order).values("at")[:1])

    touches = {
        "last_touch_at": first(mine, "-at"),
        "first_touch_at": first(mine, "at"),
        "last_in_at": first(mine.filter(direction__in=INBOUND), "-at"),
        "last_out_at": first(mine.filter(direction__in=OUTBOUND), "-at"),
    }
    # Outbound pings since the last answer (all of them when none came): the ghosting guard's streak.
    since = Coalesce(OuterRef("last_in_at"), Value(NEVER))
    streak = Coalesce(Subquery(
        mine.filter(direction=Direction.OUT, at__gt=since).values("person_id").annotate(n=Count("id")).values("n")[:1]
    ), Value(0))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        people = owned(Person, owner).filter(id__in=batch)
        people.update(**touches)
        people.update(out_streak=streak)  # a second statement: it reads the last_in_at just written
        checkups.forget(owner.pk, batch)


def _checked_moment(moment: datetime) -> datetime:
    """``moment`` when a ping may be recorded at it: within limits and not in the future."""
    limits.check_date(moment)
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise UserError(
            _("%(when)s is in the future; a ping records something that already happened")
            % {"when": timezone.localtime(moment).isoformat(timespec="minutes")}
        )
    return moment


def log_ping(
    owner,
    person: Person,
    *,
    direction: str = Direction.OUT,
    channel: str = Channel.OTHER,
    at: datetime | None = None,
    note: str = "",
    about=None,
    content=None,
) -> Interaction:
    """Record one interaction with ``person`` and move their next due date.

    ``about`` (or, as before, ``content``) is the Content, Milestone (yours) or Event the
    ping is about. Raises UserError for a time in the future (a ping is something that
    happened) or out of limits, a note longer than limits.TEXT_MAX, or someone else's
    milestone, and NotFound when ``person`` or ``about`` is not ``owner``'s.
    """
    about = about if about is not None else content
    check_owned(owner, person, about)
    links = _about_fields(about)
    moment = _checked_moment(at or timezone.now())
    limits.check_text(note, _("The note"))
    with transaction.atomic():
        interaction = Interaction.objects.create(
            owner=owner,
            person=person,
            at=moment,
            direction=direction,
            channel=channel,
            summary=note,
            **links,
        )
        refresh_summaries(owner, [person.id])
    return interaction


def get_interaction(owner, interaction_id) -> Interaction:
    """The owner's interaction ``interaction_id`` (its person loaded); NotFound for anyone else's."""
    limits.check_id(interaction_id)
    try:
        return owned(Interaction, owner).select_related("person").get(id=int(interaction_id))
    except Interaction.DoesNotExist:
        raise NotFound(_("No interaction %(id)s; see 'restons interaction list'") % {"id": interaction_id}) from None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def list_interactions(
    owner,
    *,
    person: Person | None = None,
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
) -> Iterator[dict]:
    """The owner's interactions, oldest first, as the documented JSON objects of ``interaction list``.

    ``since`` and ``until`` are local dates, both included. Each object has
    ``id``, ``person`` (``id``, ``name``), ``at`` (ISO 8601 with the local UTC
    offset), ``direction``, ``channel``, ``summary`` and ``source``. Arguments
    are checked at once (UserError, NotFound); the rows are then streamed, so
    a million interactions do not have to fit in memory.
    """
    return _as_objects(_filtered(owner, person, since, until, source))


def interactions_page(owner, *, person: Person | None = None, since: date | None = None, until: date | None = None,
                      source: str | None = None, limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
    """One page of :func:`list_interactions` (oldest first), and how many match over all pages."""
    rows = _filtered(owner, person, since, until, source)
    return rows.count(), list(_as_objects(rows[offset : offset + limit]))


OBJECT_FIELDS = ("id", "person_id", "person__name", "at", "direction", "channel", "summary", "source")


def _filtered(owner, person, since, until, source):
    check_owned(owner, person)
    for day in (since, until):
        if day is not None:
            limits.check_date(day)
    if since and until and since > until:
        raise UserError(
            _("--since %(since)s is after --until %(until)s; nothing can be in between")
            % {"since": since.isoformat(), "until": until.isoformat()}
        )
    rows = owned(Interaction, owner)
    if person is not None:
        rows = rows.filter(person=person)
    if since:
        rows = rows.filter(at__gte=_local_midnight(since))
    if until:
        rows = rows.filter(at__lt=_local_midnight(until + timedelta(days=1)))
    if source:
        rows = rows.filter(source=source.strip())
    return rows.order_by("at", "id").values_list(*OBJECT_FIELDS)


def as_object(interaction: Interaction) -> dict:
    """One interaction (its person loaded) as the ``interaction list`` JSON object."""
    return {"id": interaction.pk, "person": {"id": interaction.person_id, "name": interaction.person.name},
            "at": timezone.localtime(interaction.at).isoformat(), "direction": interaction.direction,
            "channel": interaction.channel, "summary": interaction.summary, "source": interaction.source}


def _as_objects(rows) -> Iterator[dict]:
    for pk, person_id, name, at, direction, channel, summary, source in rows.iterator(chunk_size=2000):
        yield {
            "id": pk, "person": {"id": person_id, "name": name}, "at": timezone.localtime(at).isoformat(),
            "direction": direction, "channel": channel, "summary": summary, "source": source,
        }


def edit_interaction(
    owner,
    interaction_id,
    *,
    at: datetime | None = None,
    direction: str | None = None,
    channel: str | None = None,
    note: str | None = None,
) -> Interaction:
    """Change what is given (None leaves a field as it is); the person's summaries and checkup follow.

    The rules of :func:`log_ping` apply: not in the future, dates within
    limits, a note of at most limits.TEXT_MAX characters. Raises UserError for
    an unknown direction or channel, NotFound for another user's interaction.
    """
    interaction = get_interaction(owner, interaction_id)
    if at is not None:
        interaction.at = _checked_moment(at)
    if direction is not None:
        interaction.direction = choice(direction, Direction, _("direction"))
    if channel is not None:
        interaction.channel = choice(channel, Channel, _("channel"))
    if note is not None:
        interaction.summary = limits.check_text(note, _("The note"))
    with transaction.atomic():
        interaction.save(update_fields=["at", "direction", "channel", "summary"])
        refresh_summaries(owner, [interaction.person_id])
    return interaction


def delete_interaction(owner, interaction_id) -> Interaction:
    """Delete one interaction; the person's summaries and checkup follow. Returns it, as it was.

    NotFound for another user's interaction.
    """
    return _delete(owner, get_interaction(owner, interaction_id))


def _delete(owner, interaction: Interaction) -> Interaction:
    with transaction.atomic():
        owned(Interaction, owner).filter(pk=interaction.pk).delete()
        refresh_summaries(owner, [interaction.person_id])
    return interaction


def _just_logged(interaction: Interaction) -> bool:
    """Logged by hand within UNDO_WINDOW: what one click may take back."""
    now = timezone.now()
    return interaction.source == "manual" and now - UNDO_WINDOW <= interaction.at <= now + FUTURE_TOLERANCE


def undoable(owner, interaction_id) -> Interaction | None:
    """The interaction :func:`undo_ping` would delete now, or None (unknown, someone else's, too old)."""
    try:
        interaction = get_interaction(owner, interaction_id)
    except NotFound:
        return None
    return interaction if _just_logged(interaction) else None


def undo_ping(owner, interaction_id) -> Interaction:
    """Take back a ping just logged by hand: delete it when it is the owner's, manual and recent.

    "Recent" is within UNDO_WINDOW of now. Raises NotFound for another user's
    interaction, UserError for an imported or older one (the person's timeline
    can still delete it).
    """
    interaction = get_interaction(owner, interaction_id)
    if not _just_logged(interaction):
        raise UserError(_("This ping can no longer be undone; delete it from the person's timeline instead."))
    return _delete(owner, interaction)


def _about_fields(about) -> dict:
    """The Interaction fields that link to ``about``; only your own milestones can be linked."""
    from restons.models import Content, Event, Milestone

    if about is None:
        return {}
    if isinstance(about, Milestone):
        if about.person_id is not None:
            raise UserError(_("“%(title)s” is someone's milestone; a ping can be about one of yours.")
                            % {"title": about.title})
        return {"milestone": about}
    if isinstance(about, Content):
        return {"content": about}
    if isinstance(about, Event):
        return {"event": about}
    raise TypeError(f"a ping cannot be about a {type(about).__name__}")
