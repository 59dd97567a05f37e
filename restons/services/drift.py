"""Who is drifting this month: people who went overdue, or dormant, in the last 30 days (``restons drift``, People › Drifting)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from restons import conf
from restons.engine import cadence, health
from restons.engine.review import SLIP_DAYS, slipped
from restons.services import checkups
from restons.services.access import owned
from restons.models import Checkup
from restons.services.snapshot import as_date, as_datetime, fast_rows, load_activity, load_people, local_today

KINDS = ("overdue", "dormant")


def drift(owner, day: date | None = None) -> dict:
    """``date``, ``days`` and, for ``overdue`` and ``dormant``, the people who crossed that line in the last ``days`` days.

    Each person: ``id``, ``name``, ``since`` (the first day past the line), ``last_touch``
    (a date or null), ``cadence_days``, ``strength``; strongest relationships first. Today's
    answer reads the kept checkups (a fixed number of queries); another day asks the engine.
    """
    day = day or local_today()
    tz = timezone.get_current_timezone()
    rows = []  # (id, name, status, next_due, cadence, strength, last touch date, created_on)
    if day == local_today():
        checkups.ensure_current(owner, day)
        for pid, name, status, due, every, strength, last, created in fast_rows(
            owned(Checkup, owner).filter(archived=False, status__in=KINDS).values_list(
                "person_id", "person__name", "status", "next_due", "cadence_days", "strength",
                "person__last_touch_at", "person__created_at")
        ):
            last = as_datetime(last)
            rows.append((pid, name, status, as_date(due), every, strength, last.astimezone(tz).date() if last else None,
                         as_datetime(created).astimezone(tz).date()))
    else:
        window = conf.get("RESTONS_WINDOW_DAYS")
        people = load_people(owner)
        activity = load_activity(owner, day, window)
        for person in people:
            every, due, status = cadence.assess(person, day)
            if status in KINDS:
                rows.append((person.id, person.name, status, due, every,
                             health.strength(person, activity.get(person.id, health.Activity()), day, window),
                             person.last_touch.date() if person.last_touch else None, person.created_on))
    found = {kind: [] for kind in KINDS}
    for pid, name, status, due, every, strength, last, created in rows:
        crossed = slipped(status, due, every, last, created, day)
        if crossed:
            found[crossed[0]].append({"id": pid, "name": name, "since": crossed[1].isoformat(),
                                      "last_touch": last.isoformat() if last else None, "cadence_days": every,
                                      "strength": strength})
    for people in found.values():
        people.sort(key=lambda p: (-p["strength"], p["since"], p["name"], p["id"]))
    return {"date": day.isoformat(), "days": SLIP_DAYS,
            **{kind: {"count": len(people), "people": people} for kind, people in found.items()}}
