"""The whole network at a glance (``restons stats``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from restons import conf, limits
from restons.engine import cadence, health, noticed, pledges
from restons.engine.state import RECIPROCITIES, STATUSES
from restons.engine.state import MilestoneInfo
from restons.models import Checkup, Interaction, Milestone, Outcome, Person, Pledge, PledgePerson
from restons.services import checkups
from restons.services.access import owned
from restons.services.snapshot import as_datetime, fast_rows, load_people, local_today


def _local_day(moment: datetime, tz) -> date:
    return moment.astimezone(tz).date()


def pledge_report(owner, day: date) -> list[dict]:
    """Each pledge with its people and adherence (overall and per quarter)."""
    tz = timezone.get_current_timezone()
    # Archived people are out of the network, so out of the promise too.
    links = list(owned(PledgePerson, owner).filter(person__archived=False).values_list("pledge_id", "person_id"))
    people_of = defaultdict(list)
    for pledge_id, person_id in links:
        people_of[pledge_id].append(person_id)
    touches = defaultdict(list)
    earliest = owned(Pledge, owner).order_by("on").values_list("on", flat=True).first()
    if earliest is not None:
        # A pledge stored before the limits existed may say year 1, which no time zone can hold.
        since = datetime.combine(max(earliest, limits.DATE_MIN), datetime.min.time(), tzinfo=tz)
        for person_id, at in (
            owned(Interaction, owner)
            .filter(person_id__in={p for _pl, p in links}, at__gte=since)
            .values_list("person_id", "at")
        ):
            touches[person_id].append(_local_day(at, tz))
    report = []
    for pledge in owned(Pledge, owner).select_related("organisation").order_by("on", "id"):
        members = people_of.get(pledge.id, [])
        quarters = pledges.adherence(
            pledge.on, pledge.cadence_days, pledge.first_window_days,
            {pid: touches.get(pid, []) for pid in members}, day, pledge.ended_on,
        )
        report.append(
            {
                "id": pledge.id,
                "org": pledge.organisation.name,
                "on": pledge.on.isoformat(),
                "people": len(members),
                "cadence_days": pledge.cadence_days,
                "adherence": pledges.overall(quarters),
                "quarters": [{"quarter": q.quarter, "kept": q.kept, "people": q.people} for q in quarters],
            }
        )
    return report


def noticed_report(owner, day: date, window: int) -> list[dict]:
    tz = timezone.get_current_timezone()
    mine = [
        MilestoneInfo(title, on, yearly, mid)
        for mid, title, on, yearly in owned(Milestone, owner).filter(person__isnull=True).values_list("id", "title", "on", "yearly")
    ]
    occurrences = noticed.occurrences_in_window(mine, day, window)
    inbound = []
    if occurrences:
        # Only the 30 days after each milestone, not the whole span between the first and the last.
        windows = Q()
        for _milestone, when in occurrences:
            start = datetime.combine(when, datetime.min.time(), tzinfo=tz)
            windows |= Q(at__gte=start, at__lt=start + timedelta(days=noticed.NOTICE_DAYS + 1))
        inbound = [
            (pid, name, _local_day(as_datetime(at), tz))
            for pid, name, at in fast_rows(
                owned(Interaction, owner).filter(windows, direction="in").values_list("person_id", "person__name", "at")
            )
        ]
    return [
        {"title": n.title, "on": n.on.isoformat(), "people": [{"id": pid, "name": name} for pid, name in n.people]}
        for n in noticed.noticed(occurrences, inbound)
    ]


def stats(owner, day: date | None = None) -> dict:
    """``people``, ``status``, ``reciprocity``, ``pledges``, ``outcomes`` and ``noticed``, as documented."""
    day = day or local_today()
    window = conf.get("RESTONS_WINDOW_DAYS")
    status = Counter({s: 0 for s in STATUSES})
    reciprocity = Counter({r: 0 for r in RECIPROCITIES})
    if day == local_today():  # today's kept checkups: counted by the database
        checkups.ensure_current(owner, day)
        kept = owned(Checkup, owner).filter(day=day, archived=False)
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
        "noticed": noticed_report(owner, day, window),
    }
