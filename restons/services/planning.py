"""Circles, events, milestones, content, outcomes and pledges: the things you add around people."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restons import limits
from restons.models import Content, Event, Milestone, Outcome, Person, Pledge, PledgePerson
from restons.parsing import choice
from restons.services.access import check_owned, owned
from restons.services.errors import UserError
from restons.services.people import circle_named, organisation_named
from restons.topics import normalise_topic

DEFAULT_PLEDGE_CADENCE_DAYS = 90  # three months, as parse_duration("3m")
DEFAULT_FIRST_WINDOW_DAYS = 14
URL_MAX = Content._meta.get_field("url").max_length
LEAD_DAYS_MAX = 365  # how long before an event pings are suggested


def _title(text: str) -> str:
    # Spaces, tabs and line breaks become one space; a no-break space (French « : », « ! ») stays.
    clean = re.sub(r"[ \t\n\r\f\v]+", " ", text or "").strip()
    if not clean:
        raise UserError(_("A title is required."))
    return limits.check_text(clean, _("The title"), limits.NAME_MAX)


def _topics(topics) -> list[str]:
    for topic in topics:
        limits.check_text(topic, _("A topic"), limits.TOPIC_MAX)
    return sorted({normalise_topic(t) for t in topics if normalise_topic(t)})


def _on(day: date) -> date:
    return limits.check_date(day, _("The date"))


def _lead(days: int) -> int:
    if not 0 <= days <= LEAD_DAYS_MAX:
        raise UserError(_("Suggest pings between 0 and %(max)s days before.") % {"max": LEAD_DAYS_MAX})
    return days


def add_circle(owner, name: str, cadence_days: int | None):
    """Create the circle, or set the cadence of the existing one of that name."""
    limits.check_days(cadence_days, _("The cadence"))
    with transaction.atomic():
        circle = circle_named(owner, name)
        if cadence_days is not None:
            circle.cadence_days = cadence_days
            circle.save(update_fields=["cadence_days"])
    return circle


def add_event(owner, title: str, on: date, topics, lead_days: int = 7) -> Event:
    return Event.objects.create(owner=owner, title=_title(title), on=_on(on), topics=_topics(topics),
                                lead_days=_lead(lead_days))


def add_milestone(owner, title: str, on: date, person: Person | None, yearly: bool) -> Milestone:
    """Yours when ``person`` is None, else theirs."""
    check_owned(owner, person)
    return Milestone.objects.create(owner=owner, title=_title(title), on=_on(on), person=person, yearly=yearly)


def add_content(owner, title: str, on: date, kind: str, topics, url: str = "") -> Content:
    kind = choice(kind, Content.Kind, _("content kind"))
    return Content.objects.create(owner=owner, title=_title(title), on=_on(on), kind=kind, topics=_topics(topics),
                                  url=_url(url))


def add_outcome(owner, person: Person, kind: str, at: date | None, note: str = "") -> Outcome:
    check_owned(owner, person)
    kind = choice(kind, Outcome.Kind, _("outcome kind"))
    when = _on(at or timezone.localdate())
    limits.check_text(note, _("The note"))
    if when > timezone.localdate():
        raise UserError(_("%(date)s is in the future; log an outcome once it happened") % {"date": when.isoformat()})
    return Outcome.objects.create(owner=owner, person=person, kind=kind, at=when, note=note)


def leave(owner, org: str, on: date | None, people: list[Person], cadence_days: int | None) -> Pledge:
    """The pledge: you leave ``org`` on ``on`` and promise to stay in touch with ``people``.

    Pledging again for the same organisation and date adds people to it.
    """
    check_owned(owner, *people)
    limits.check_date(on, _("The leaving date"))
    limits.check_days(cadence_days, _("The cadence"))
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


# Editing and deleting: the web app's Plans and Pledges pages. Each function takes an object
# already fetched through ``get_owned`` and checks again that every row it touches belongs to
# ``owner``, so a caller cannot mix users' data by mistake.


def _url(url: str) -> str:
    url = (url or "").strip()
    limits.check_text(url, _("The web address"), URL_MAX)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise UserError(_("%(value)r is not a web address; use the full form, e.g. https://example.org/issue-42")
                            % {"value": url}) from None
    return url


def update_event(owner, event: Event, title: str, on: date, topics, lead_days: int | None = None) -> Event:
    """Change the event's title, date, topics and (when given) lead window."""
    check_owned(owner, event)
    event.title, event.on, event.topics = _title(title), _on(on), _topics(topics)
    if lead_days is not None:
        event.lead_days = _lead(lead_days)
    event.save(update_fields=["title", "on", "topics", "lead_days"])
    return event


def update_milestone(owner, milestone: Milestone, title: str, on: date, person: Person | None, yearly: bool) -> Milestone:
    """Yours when ``person`` is None, else theirs."""
    check_owned(owner, milestone, person)
    milestone.title, milestone.on, milestone.person, milestone.yearly = _title(title), _on(on), person, yearly
    milestone.save(update_fields=["title", "on", "person", "yearly"])
    return milestone


def update_content(owner, content: Content, title: str, on: date, kind: str, topics, url: str = "") -> Content:
    check_owned(owner, content)
    content.kind = choice(kind, Content.Kind, _("content kind"))
    content.title, content.on, content.topics, content.url = _title(title), _on(on), _topics(topics), _url(url)
    content.save(update_fields=["title", "on", "kind", "topics", "url"])
    return content


def update_outcome(owner, outcome: Outcome, person: Person, kind: str, at: date, note: str = "") -> Outcome:
    check_owned(owner, outcome, person)
    kind = choice(kind, Outcome.Kind, _("outcome kind"))
    _on(at)
    limits.check_text(note, _("The note"))
    if at > timezone.localdate():
        raise UserError(_("%(date)s is in the future; log an outcome once it happened") % {"date": at.isoformat()})
    outcome.person, outcome.kind, outcome.at, outcome.note = person, kind, at, note
    outcome.save(update_fields=["person", "kind", "at", "note"])
    return outcome


def delete(owner, obj: Event | Milestone | Content | Outcome | Pledge) -> None:
    """Delete one event, milestone, content, outcome or pledge (a pledge takes its people links with it)."""
    check_owned(owner, obj)
    if not isinstance(obj, (Event, Milestone, Content, Outcome, Pledge)):
        raise TypeError(f"cannot delete a {type(obj).__name__} here")
    obj.delete()


def update_pledge(owner, pledge: Pledge, on: date, cadence_days: int, ended_on: date | None) -> Pledge:
    """Change the pledge's date, cadence and end (``ended_on`` None: still running).

    Raises UserError when another pledge for the same organisation has that date, or the end
    comes before the start.
    """
    check_owned(owner, pledge)
    if cadence_days is None or cadence_days < 1:
        raise UserError(_("A pledge needs a cadence of at least one day."))
    limits.check_days(cadence_days, _("The cadence"))
    limits.check_date(on, _("The leaving date"))
    limits.check_date(ended_on, _("Ended on"))
    if ended_on is not None and ended_on < on:
        raise UserError(_("A pledge cannot end (%(end)s) before it starts (%(start)s).")
                        % {"end": ended_on.isoformat(), "start": on.isoformat()})
    twin = owned(Pledge, owner).filter(organisation_id=pledge.organisation_id, on=on).exclude(pk=pledge.pk)
    if twin.exists():
        raise UserError(_("You already have a pledge for %(org)s on %(date)s.")
                        % {"org": pledge.organisation.name, "date": on.isoformat()})
    pledge.on, pledge.cadence_days, pledge.ended_on = on, cadence_days, ended_on
    pledge.save(update_fields=["on", "cadence_days", "ended_on"])
    return pledge


def end_pledge(owner, pledge: Pledge, on: date | None = None) -> Pledge:
    """The pledge stops counting after ``on`` (default today)."""
    return update_pledge(owner, pledge, pledge.on, pledge.cadence_days, on or timezone.localdate())


def add_pledged(owner, pledge: Pledge, people: list[Person]) -> int:
    """Add ``people`` to the pledge; returns how many were not in it yet. NotFound for another user's person."""
    check_owned(owner, pledge, *people)
    added = 0
    with transaction.atomic():
        for person in people:
            added += PledgePerson.objects.get_or_create(owner=owner, pledge=pledge, person=person)[1]
    return added


def remove_pledged(owner, pledge: Pledge, person: Person) -> bool:
    """Take ``person`` out of the pledge; False when they were not in it."""
    check_owned(owner, pledge, person)
    deleted, _rows = owned(PledgePerson, owner).filter(pledge=pledge, person=person).delete()
    return bool(deleted)


# Listing: the CLI's ``list`` commands. Each returns the documented JSON (docs/cli.md), dates in ISO.


def event_list(owner, past: bool = False) -> list[dict]:
    """Events from today on (``past``: every one), soonest first: ``id``, ``title``, ``on``, ``topics``,
    ``lead_days``."""
    rows = owned(Event, owner)
    if not past:
        rows = rows.filter(on__gte=timezone.localdate())
    return [{"id": pk, "title": title, "on": on.isoformat(), "topics": topics, "lead_days": lead}
            for pk, title, on, topics, lead in
            rows.order_by("on", "id").values_list("id", "title", "on", "topics", "lead_days")]


def content_list(owner) -> list[dict]:
    """Your content, the latest first: ``id``, ``title``, ``on``, ``kind``, ``topics``, ``url``."""
    return [{"id": pk, "title": title, "on": on.isoformat(), "kind": kind, "topics": topics, "url": url}
            for pk, title, on, kind, topics, url in owned(Content, owner).order_by("-on", "-id")
            .values_list("id", "title", "on", "kind", "topics", "url")]


def milestone_list(owner, person: Person | None = None, mine: bool = False) -> list[dict]:
    """Milestones, the latest date first: yours and people's, only yours (``mine``) or only ``person``'s.

    Each: ``id``, ``title``, ``on`` (the first occurrence), ``yearly``, ``person`` (``id``, ``name``;
    null for yours).
    """
    check_owned(owner, person)
    rows = owned(Milestone, owner)
    if mine:
        rows = rows.filter(person__isnull=True)
    elif person is not None:
        rows = rows.filter(person=person)
    return [{"id": pk, "title": title, "on": on.isoformat(), "yearly": yearly,
             "person": {"id": pid, "name": name} if pid else None}
            for pk, title, on, yearly, pid, name in rows.order_by("-on", "-id")
            .values_list("id", "title", "on", "yearly", "person_id", "person__name")]


def outcome_list(owner, person: Person | None = None) -> list[dict]:
    """Outcomes (only ``person``'s when given), the latest first: ``id``, ``kind``, ``at``, ``person``
    (``id``, ``name``), ``note``."""
    check_owned(owner, person)
    rows = owned(Outcome, owner)
    if person is not None:
        rows = rows.filter(person=person)
    return [{"id": pk, "kind": kind, "at": at.isoformat(), "person": {"id": pid, "name": name}, "note": note}
            for pk, kind, at, pid, name, note in rows.order_by("-at", "-id")
            .values_list("id", "kind", "at", "person_id", "person__name", "note")]
