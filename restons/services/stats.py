"""The whole network at a glance (``restons stats``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from django.db.models import Count
from django.utils import timezone

from restons import conf, limits
from restons.engine import cadence, health, pledges
from restons.engine.state import RECIPROCITIES, STATUSES
from restons.models import Checkup, Interaction, Outcome, Person, Pledge, PledgePerson
from restons.services import about, checkups
from restons.services.access import owned
from restons.services.snapshot import load_people, local_today


def _local_day(moment: datetime, tz) -> date:
    return moment.astimezone(tz).date()


def pledge_report(owner, day: date) -> list[dict]:
    """Each pledge with its people and adherence (overall and per quarter).

    While the first-ping window is open nothing is counted: ``adherence`` is None, ``pending``
    says how many people still wait for their first ping, ``pinged`` how many got it, and
    ``days_left`` how long until ``first_ping_by``. Once it closed: ``pending`` 0, ``days_left`` None.
    """
    tz = timezone.get_current_timezone()
    # Archived people are out of the network, so out of the promise too.
    links = list(owned(PledgePerson, owner).filter(person__archived=False).values_list("pledge_id", "person_id"))
    people_of = defaultdict(list)
    for pledge_id, person_id in links:
        people_of[pledge_id].append(person_id)
    touches = defaultdict(list)
    outbound = defaultdict(list)  # your pings: what the first ping of a pledge is made of
    earliest = owned(Pledge, owner).order_by("on").values_list("on", flat=True).first()
    if earliest is not None:
        # A pledge stored before the limits existed may say year 1, which no time zone can hold.
        since = datetime.combine(max(earliest, limits.DATE_MIN), datetime.min.time(), tzinfo=tz)
        for person_id, at, direction in (
            owned(Interaction, owner)
            .filter(person_id__in={p for _pl, p in links}, at__gte=since)
            .values_list("person_id", "at", "direction")
        ):
            touches[person_id].append(_local_day(at, tz))
            if direction in ("out", "both"):
                outbound[person_id].append(_local_day(at, tz))
    report = []
    for pledge in owned(Pledge, owner).select_related("organisation").order_by("on", "id"):
        members = people_of.get(pledge.id, [])
        quarters = pledges.adherence(
            pledge.on, pledge.cadence_days, pledge.first_window_days,
            {pid: touches.get(pid, []) for pid in members}, day, pledge.ended_on,
        )
        progress = pledges.first_pings(pledge.on, pledge.first_window_days,
                                       {pid: outbound.get(pid, []) for pid in members}, day, pledge.ended_on)
        report.append(
            {
                "id": pledge.id,
                "org": pledge.organisation.name,
                "on": pledge.on.isoformat(),
                "people": len(members),
                "cadence_days": pledge.cadence_days,
                "adherence": pledges.overall(quarters),
                "quarters": [{"quarter": q.quarter, "kept": q.kept, "people": q.people} for q in quarters],
                "first_ping_by": pledges.first_ping_by(pledge.on, pledge.first_window_days).isoformat(),
                "pending": progress.pending if progress else 0,
                "pinged": progress.pinged if progress else None,
                "days_left": progress.days_left if progress else None,
            }
        )
    return report


def stats(owner, day: date | None = None) -> dict:
    """``people``, ``status``, ``reciprocity``, ``pledges``, ``outcomes`` and ``noticed``, as documented."""
    day = day or local_today()
    window = conf.get("RESTONS_WINDOW_DAYS")
    status = Counter({s: 0 for s in STATUSES})
    reciprocity = Counter({r: 0 for r in RECIPROCITIES})
    if day == local_today():  # today's kept checkups: counted by the database
        checkups.ensure_current(owner, day)
        kept = owned(Checkup, owner).filter(archived=False)
        status.update(dict(kept.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n")))
        reciprocity.update(
            dict(kept.values("reciprocity").annotate(n=Count("pk")).order_by().values_list("reciprocity", "n"))
        )
        people = kept.count()
        ghosting = owned(Person, owner).filter(archived=False, out_streak__gte=health.GHOSTING_STREAK).count()
    else:
        states = load_people(owner)
        for person in states:
            status[cadence.status(person, day)] += 1
            reciprocity[health.reciprocity(person, day, window)] += 1
        people = len(states)
        ghosting = sum(health.is_ghosting(person) for person in states)
    outcomes = {kind: 0 for kind in Outcome.Kind.values}
    outcomes.update(owned(Outcome, owner).values("kind").annotate(n=Count("id")).order_by().values_list("kind", "n"))
    return {
        "date": day.isoformat(),
        "window_days": window,
        "people": people,
        "status": dict(status),
        "reciprocity": dict(reciprocity),
        "ghosting": ghosting,
        "pledges": pledge_report(owner, day),
        "outcomes": outcomes,
        "noticed": about.noticed_report(owner, day, window),
    }
