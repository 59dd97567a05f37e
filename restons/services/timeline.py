"""A person's interactions over time: counts per quarter in each direction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from restons import labels
from restons.engine.calendar import quarter_label
from restons.models import Interaction, Person
from restons.services.access import owned
from restons.services.snapshot import local_today

QUARTERS = 12
INBOUND = ("in", "both")
OUTBOUND = ("out", "both")


@dataclass(frozen=True)
class Quarter:
    start: date
    inbound: int
    outbound: int

    @property
    def label(self) -> str:
        return labels.quarter(quarter_label(self.start))


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _shift(start: date, quarters: int) -> date:
    months = start.year * 12 + start.month - 1 + 3 * quarters
    return date(months // 12, months % 12 + 1, 1)


def quarterly(owner, person: Person, day: date | None = None, quarters: int = QUARTERS) -> list[Quarter]:
    """The last ``quarters`` calendar quarters up to the one holding ``day``, oldest first, in local time.

    A ``both`` interaction (met, talked together) counts in each direction, as
    reciprocity does. One aggregate query.
    """
    first = _shift(quarter_start(day or local_today()), -(quarters - 1))
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    counts = {}
    for start, inbound, outbound in (
        owned(Interaction, owner)
        .filter(person=person, at__gte=since)
        .annotate(quarter=TruncQuarter("at"))
        .values("quarter")
        .annotate(n_in=Count("id", filter=Q(direction__in=INBOUND)), n_out=Count("id", filter=Q(direction__in=OUTBOUND)))
        .order_by()
        .values_list("quarter", "n_in", "n_out")
    ):
        key = timezone.localtime(start).date() if isinstance(start, datetime) and timezone.is_aware(start) else start
        key = key.date() if isinstance(key, datetime) else key
        counts[key] = (inbound, outbound)
    return [Quarter(s, *counts.get(s, (0, 0))) for s in (_shift(first, i) for i in range(quarters))]
