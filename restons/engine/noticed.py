"""Who noticed your milestones: the pings linked to each one, and the inbound pings that might be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from restons.engine.calendar import last_occurrence
from restons.engine.state import MilestoneInfo

NOTICE_DAYS = 30  # an inbound ping this many days after your milestone is a suggestion
HALF_YEAR_DAYS = 182  # a ping about a yearly milestone counts for the occurrence nearest to it


@dataclass(frozen=True)
class Ping:
    """One interaction as "who noticed" sees it (``day`` is the local date)."""

    id: int
    person_id: int
    name: str
    day: date
    summary: str = ""
    about: int | None = None  # the id of the milestone it is linked to


@dataclass(frozen=True)
class Noticed:
    milestone_id: int
    title: str
    on: date  # the latest occurrence
    people: tuple[tuple[int, str], ...]  # (id, name) of those whose pings are linked to it, sorted by name
    suggested: tuple[Ping, ...]  # one unconfirmed inbound ping per other person, by its day, then name


def occurrences_in_window(milestones, today: date, window_days: int) -> list[tuple[MilestoneInfo, date]]:
    """Your milestones whose latest occurrence falls in the window ending today."""
    start = today - timedelta(days=window_days)
    found = []
    for milestone in milestones:
        when = last_occurrence(milestone.on, milestone.yearly, today)
        if when is not None and when > start:
            found.append((milestone, when))
    return sorted(found, key=lambda pair: pair[1])


def counts_for(day: date, when: date, yearly: bool) -> bool:
    """Whether a ping linked to the milestone, dated ``day``, counts for its occurrence ``when``.

    Any linked ping counts for a one-off milestone; for a yearly one, those dated less than
    half a year before the occurrence (earlier ones were about an earlier year).
    """
    return not yearly or (when - day).days < HALF_YEAR_DAYS


def in_notice_window(day: date, when: date) -> bool:
    """From the milestone day (included) to NOTICE_DAYS after it (included)."""
    return when <= day <= when + timedelta(days=NOTICE_DAYS)


def noticed(occurrences, linked: list[Ping], inbound: list[Ping], dismissed=frozenset()) -> list[Noticed]:
    """For each (milestone, latest occurrence): who noticed it, and whom to ask you about.

    ``linked``: the inbound (``in`` or ``both``) pings linked to one of the milestones (``about``).
    ``inbound``: ``in`` pings linked to nothing, around the occurrences. ``dismissed``: the
    (milestone id, person id, occurrence) suggestions you said were not about it.
    A person with a linked ping is listed once and never suggested; everyone else with an
    inbound ping in the notice window is suggested once, with their first such ping.
    """
    result = []
    for milestone, when in occurrences:
        people = {(p.person_id, p.name) for p in linked
                  if p.about == milestone.id and counts_for(p.day, when, milestone.yearly)}
        confirmed = {pid for pid, _name in people}
        first: dict[int, Ping] = {}
        for ping in sorted(inbound, key=lambda p: (p.day, p.id)):
            if (in_notice_window(ping.day, when) and ping.person_id not in confirmed
                    and (milestone.id, ping.person_id, when) not in dismissed):
                first.setdefault(ping.person_id, ping)
        result.append(Noticed(
            milestone.id, milestone.title, when,
            tuple(sorted(people, key=lambda p: (p[1], p[0]))),
            # Soonest after the milestone first: a message on the day is the likeliest to be about it.
            tuple(sorted(first.values(), key=lambda p: (p.day, p.name, p.person_id))),
        ))
    return result
