"""A person's interactions over the years: pings per month in each direction, and their strength at each month's end."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from restons import conf
from restons.engine import health
from restons.engine.review import add_months, month_end, month_start, state_at
from restons.engine.state import PersonState
from restons.models import Interaction, Outcome, Person
from restons.services.access import check_owned, owned
from restons.services.snapshot import as_date, as_datetime, fast_rows, local, local_today

MAX_MONTHS = 120  # ten years at most
MIN_MONTHS = 12  # a year at least, even for someone met last week


def history(owner, person: Person, day: date | None = None) -> dict:
    """``months`` (oldest first: ``month``, ``in``, ``out``, ``together``) and ``strength`` (``on``, ``strength``).

    The months run from the first touch's (at most ten years back, at least one year) to
    ``day``'s. A ``both`` counts in each direction, as reciprocity does. Strength is the engine's,
    on each month's last day (``day`` for the month under way), from the interactions and
    outcomes up to then (docs/review.md § Strength at a past date). Two queries.
    """
    check_owned(owner, person)
    day = day or local_today()
    tz = timezone.get_current_timezone()
    until = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    touches = [
        (local(as_datetime(at), tz), direction, channel)
        for at, direction, channel in fast_rows(
            owned(Interaction, owner).filter(person=person, at__lt=until).order_by("at", "id")
            .values_list("at", "direction", "channel"))
    ]
    outcome_days = [as_date(on) for (on,) in fast_rows(owned(Outcome, owner).filter(person=person).values_list("at"))]
    last = month_start(day)
    first = min(add_months(last, -(MIN_MONTHS - 1)), month_start(touches[0][0].date()) if touches else last)
    first = max(first, add_months(last, -(MAX_MONTHS - 1)))
    counts: dict[date, list[int]] = {}
    for moment, direction, _channel in touches:
        tally = counts.setdefault(month_start(moment.date()), [0, 0, 0])
        tally[0] += direction != "out"
        tally[1] += direction != "in"
        tally[2] += direction == "both"
    known = [d for d in (person.met_on, person.connected_on) if d]
    base = PersonState(id=person.id, name=person.name, created_on=timezone.localtime(person.created_at, tz).date(),
                       first_touch=touches[0][0] if touches else None, known_since=min(known) if known else None)
    window = conf.get("RESTONS_WINDOW_DAYS")
    months, strength = [], []
    month = first
    while month <= last:
        n_in, n_out, together = counts.get(month, (0, 0, 0))
        months.append({"month": month.strftime("%Y-%m"), "in": n_in, "out": n_out, "together": together})
        on = min(month_end(month), day)
        state, activity = state_at(base, touches, outcome_days, on, window)
        strength.append({"on": on.isoformat(), "strength": health.strength(state, activity, on, window)})
        month = add_months(month, 1)
    return {"months": months, "strength": strength}
