"""Circles, events, milestones, content, outcomes and pledges: the things you add around people."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restons.models import Content, Event, Milestone, Outcome, Person, Pledge, PledgePerson
from restons.parsing import choice
from restons.services.errors import UserError
from restons.services.people import circle_named, organisation_named
from restons.topics import normalise_topic

DEFAULT_PLEDGE_CADENCE_DAYS = 91  # three months
DEFAULT_FIRST_WINDOW_DAYS = 14


def _title(text: str) -> str:
    clean = " ".join((text or "").split())
    if not clean:
        raise UserError(_("A title is required."))
    return clean


def _topics(topics) -> list[str]:
    return sorted({normalise_topic(t) for t in topics if normalise_topic(t)})


def add_circle(owner, name: str, cadence_days: int | None):
    """Create the circle, or set the cadence of the existing one of that name."""
    with transaction.atomic():
        circle = circle_named(owner, name)
        if cadence_days is not None:
            circle.cadence_days = cadence_days
            circle.save(update_fields=["cadence_days"])
    return circle


def add_event(owner, title: str, on: date, topics, lead_days: int = 7) -> Event:
    return Event.objects.create(owner=owner, title=_title(title), on=on, topics=_topics(topics), lead_days=lead_days)


def add_milestone(owner, title: str, on: date, person: Person | None, yearly: bool) -> Milestone:
    """Yours when ``person`` is None, else theirs."""
    return Milestone.objects.create(owner=owner, title=_title(title), on=on, person=person, yearly=yearly)


def add_content(owner, title: str, on: date, kind: str, topics, url: str = "") -> Content:
    kind = choice(kind, Content.Kind, _("content kind"))
    return Content.objects.create(owner=owner, title=_title(title), on=on, kind=kind, topics=_topics(topics), url=url)


def add_outcome(owner, person: Person, kind: str, at: date | None, note: str = "") -> Outcome:
    kind = choice(kind, Outcome.Kind, _("outcome kind"))
    when = at or timezone.localdate()
    if when > timezone.localdate():
        raise UserError(_("%(date)s is in the future; log an outcome once it happened") % {"date": when.isoformat()})
    return Outcome.objects.create(owner=owner, person=person, kind=kind, at=when, note=note)


def leave(owner, org: str, on: date | None, people: list[Person], cadence_days: int | None) -> Pledge:
    """The pledge: you leave ``org`` on ``on`` and promise to stay in touch with ``people``.

    Pledging again for the same organisation and date adds people to it.
    """
    with transaction.atomic():
        organisation = organisation_named(owner, org)
        pledge, created = Pledge.objects.get_or_create(
            owner=owner,
            organisation=organisation,
            on=on or timezone.localdate(),
            defaults={
                "cadence_days": cadence_days or DEFAULT_PLEDGE_CADENCE_DAYS,
                "first_window_days": DEFAULT_FIRST_WINDOW_DAYS,
            },
        )
        if not created and cadence_days:
            pledge.cadence_days = cadence_days
            pledge.save(update_fields=["cadence_days"])
        for person in people:
            PledgePerson.objects.get_or_create(owner=owner, pledge=pledge, person=person)
    return pledge
