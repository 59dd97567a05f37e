"""Logging interactions, and keeping each person's summary of them current."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from restons import limits
from restons.models import Channel, Direction, Interaction, Person
from restons.services import checkups
from restons.services.access import check_owned, owned
from restons.services.errors import UserError

# A clock a little ahead of the server's is not a ping "in the future".
FUTURE_TOLERANCE = timedelta(minutes=5)
BATCH = 500

INBOUND = (Direction.IN, Direction.BOTH)
OUTBOUND = (Direction.OUT, Direction.BOTH)


def refresh_summaries(owner, person_ids) -> None:
    """Recompute ``last_touch_at`` and its siblings from the interactions themselves.

    Always derived from every interaction of the person, so the result is the
    same whatever order interactions arrived in (an old import after a new
    ping, say). Runs a fixed number of queries per batch of 500 people.
    """
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        rows = {
            row["person_id"]: row
            for row in owned(Interaction, owner)
            .filter(person_id__in=batch)
            .values("person_id")
            .annotate(
                last_touch=Max("at"),
                first_touch=Min("at"),
                last_in=Max("at", filter=Q(direction__in=INBOUND)),
                last_out=Max("at", filter=Q(direction__in=OUTBOUND)),
            )
            .order_by()
        }
        people = list(owned(Person, owner).filter(id__in=batch))
        for person in people:
            row = rows.get(person.id, {})
            person.last_touch_at = row.get("last_touch")
            person.first_touch_at = row.get("first_touch")
            person.last_in_at = row.get("last_in")
            person.last_out_at = row.get("last_out")
        Person.objects.bulk_update(people, ["last_touch_at", "first_touch_at", "last_in_at", "last_out_at"])
        # Outbound pings since the last answer: the ghosting guard's streak.
        streaks = dict(
            owned(Person, owner)
            .filter(id__in=batch)
            .annotate(
                streak=Count(
                    "interactions",
                    filter=Q(interactions__direction=Direction.OUT)
                    & (Q(last_in_at__isnull=True) | Q(interactions__at__gt=F("last_in_at"))),
                )
            )
            .values_list("id", "streak")
        )
        for person in people:
            person.out_streak = streaks.get(person.id, 0)
        Person.objects.bulk_update(people, ["out_streak"])
        checkups.forget(owner.pk, batch)


def log_ping(
    owner,
    person: Person,
    *,
    direction: str = Direction.OUT,
    channel: str = Channel.OTHER,
    at: datetime | None = None,
    note: str = "",
    content=None,
) -> Interaction:
    """Record one interaction with ``person`` and move their next due date.

    Raises UserError for a time in the future: a ping is something that happened,
    and NotFound when ``person`` is not ``owner``'s.
    """
    check_owned(owner, person, content)
    moment = at or timezone.now()
    limits.check_date(moment, _("The date"))
    limits.check_text(note, _("The note"))
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise UserError(
            _("%(when)s is in the future; a ping records something that already happened")
            % {"when": timezone.localtime(moment).isoformat(timespec="minutes")}
        )
    with transaction.atomic():
        interaction = Interaction.objects.create(
            owner=owner,
            person=person,
            at=moment,
            direction=direction,
            channel=channel,
            summary=note,
            content=content,
        )
        refresh_summaries(owner, [person.id])
    return interaction
