"""People: find, add, edit, snooze."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from restons import identities, limits
from restons.models import Affiliation, Circle, Identity, Interest, Membership, Organisation, Person
from restons.services import checkups
from restons.services.access import check_owned, get_owned, owned
from restons.services.errors import UserError
from restons.topics import normalise_topic

CANDIDATES_SHOWN = 5


def find_person(owner, text: str) -> Person:
    """The person PERSON names: an id, an identity, a name or a unique prefix of a name.

    Raises UserError listing the candidates when ``text`` is ambiguous or unknown.
    """
    query = (text or "").strip()
    if not query:
        raise UserError(_("No person given."))
    limits.check_search(query, _("The person"))
    people = owned(Person, owner)
    # "#15" is an id and nothing else (lists and errors write ids that way); "15" may also be a name.
    if query.startswith("#") and query[1:].strip().isdecimal():
        number = query[1:].strip()
        match = people.filter(id=int(number)).first() if limits.is_id(number) else None
        if match:
            return match
        raise UserError(_("No person matches %(query)r; see 'restons person list'") % {"query": query})
    if query.isdecimal() and limits.is_id(query):
        match = people.filter(id=int(query)).first()
        if match:
            return match
    kind = identities.guess_kind(query)
    if kind:
        try:
            value = identities.normalise(kind, query, _region(owner) if kind == "phone" else None)
        except identities.InvalidIdentity:
            value = None
        if value:
            kinds = ("phone", "whatsapp") if kind == "phone" else (kind,)
            ids = set(owned(Identity, owner).filter(kind__in=kinds, value=value).values_list("person_id", flat=True))
            if len(ids) == 1:
                return people.get(id=ids.pop())
    for candidates in (people.filter(name__iexact=query), people.filter(name__istartswith=query),
                       people.filter(name__icontains=query)):
        found = list(candidates.order_by("archived", "name", "id")[: CANDIDATES_SHOWN + 1])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f"{p.name} (#{p.id})" for p in found[:CANDIDATES_SHOWN])
            more = "…" if len(found) > CANDIDATES_SHOWN else ""
            raise UserError(
                _("%(query)r matches several people: %(names)s%(more)s; give more of the name or the #id")
                % {"query": query, "names": names, "more": more}
            )
    raise UserError(_("No person matches %(query)r; see 'restons person list'") % {"query": query})


@dataclass
class PersonInput:
    """What ``person add`` and ``person edit`` accept; None means "leave as it is"."""

    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin: str | None = None
    orgs: list[str] = field(default_factory=list)
    met: str | None = None
    met_on: date | None = None
    interests: list[str] = field(default_factory=list)
    circles: list[str] = field(default_factory=list)
    cadence_days: int | None = None
    notes: str | None = None
    archived: bool | None = None
    # Fields to empty, since None above means "leave as it is": any of CLEARABLE.
    clear: tuple[str, ...] = ()


CLEARABLE = ("met_on", "cadence_days", "snoozed_until")
IDENTITY_MAX = Identity._meta.get_field("value").max_length


def _checked(data: PersonInput) -> None:
    """UserError when a value of ``data`` is outside restons.limits; called before anything is written."""
    limits.check_text(data.name, _("The name"), limits.NAME_MAX)
    limits.check_text(data.met, _("How you met"))
    limits.check_text(data.notes, _("The notes"))
    limits.check_date(data.met_on, _("Met on"))
    limits.check_days(data.cadence_days, _("The cadence"))
    for org in data.orgs:
        limits.check_text(org, _("An organisation's name"), limits.NAME_MAX)
    for name in data.circles:
        limits.check_text(name, _("A circle's name"), limits.TOPIC_MAX)
    for topic in data.interests:
        limits.check_text(topic, _("An interest"), limits.TOPIC_MAX)
    for raw in [*data.emails, *data.phones, data.linkedin or ""]:
        limits.check_text(raw, _("An address"), IDENTITY_MAX)


def _region(owner) -> str:
    """The owner's phone region: their choice in Settings, else what their time zone implies."""
    from restons.services.accounts import settings_of

    return settings_of(owner).region


def normalised_identities(owner, data: PersonInput) -> list[tuple[str, str]]:
    pairs = [("email", e) for e in data.emails] + [("phone", p) for p in data.phones]
    if data.linkedin:
        pairs.append(("linkedin", data.linkedin))
    region = _region(owner) if data.phones else None
    result = []
    for kind, raw in pairs:
        try:
            result.append((kind, identities.normalise(kind, raw, region)))
        except identities.InvalidIdentity as exc:
            raise UserError(str(exc)) from None
    return result


def _check_free(owner, pairs, person: Person | None) -> None:
    for kind, value in pairs:
        taken = owned(Identity, owner).filter(kind=kind, value=value).select_related("person").first()
        if taken and (person is None or taken.person_id != person.id):
            raise UserError(
                _("%(value)s already belongs to %(name)s (#%(id)s)")
                % {"value": value, "name": taken.person.name, "id": taken.person_id}
            )


def circle_named(owner, name: str) -> Circle:
    """The owner's circle called ``name`` (case-insensitive), created when new."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError(_("A circle needs a name."))
    limits.check_text(clean, _("A circle's name"), limits.TOPIC_MAX)
    existing = owned(Circle, owner).filter(name__iexact=clean).first()
    return existing or Circle.objects.create(owner=owner, name=clean)


def organisation_named(owner, name: str) -> Organisation:
    clean = " ".join(name.split())
    if not clean:
        raise UserError(_("An organisation needs a name."))
    limits.check_text(clean, _("An organisation's name"), limits.NAME_MAX)
    existing = owned(Organisation, owner).filter(name__iexact=clean).first()
    return existing or Organisation.objects.create(owner=owner, name=clean)


def _apply(owner, person: Person, data: PersonInput, pairs) -> None:
    for kind, value in pairs:
        Identity.objects.get_or_create(owner=owner, kind=kind, value=value, defaults={"person": person})
    for org in data.orgs:
        Affiliation.objects.get_or_create(owner=owner, person=person, organisation=organisation_named(owner, org))
    for topic in data.interests:
        clean = normalise_topic(topic)
        if clean:
            Interest.objects.get_or_create(owner=owner, person=person, topic=clean)
    for name in data.circles:
        Membership.objects.get_or_create(owner=owner, person=person, circle=circle_named(owner, name))


def add_person(owner, data: PersonInput) -> Person:
    """Create a person with their identities, organisations, interests and circles.

    Raises UserError (and writes nothing) for a missing name, an invalid
    identity, or an identity that already belongs to someone else.
    """
    name = " ".join((data.name or "").split())
    if not name:
        raise UserError(_("A person needs a name."))
    _checked(data)
    pairs = normalised_identities(owner, data)
    _check_free(owner, pairs, None)
    with transaction.atomic():
        person = Person.objects.create(
            owner=owner,
            name=name,
            met_how=data.met or "",
            met_on=data.met_on,
            cadence_days=data.cadence_days,
            notes=data.notes or "",
            created_at=timezone.now(),
        )
        _apply(owner, person, data, pairs)
    return person


def edit_person(owner, person: Person, data: PersonInput) -> Person:
    """Change what ``data`` sets; identities, organisations, interests and circles are added."""
    check_owned(owner, person)
    _checked(data)
    pairs = normalised_identities(owner, data)
    _check_free(owner, pairs, person)
    if data.name is not None:
        name = " ".join(data.name.split())
        if not name:
            raise UserError(_("A person needs a name."))
        person.name = name
    for attr, value in (("met_how", data.met), ("met_on", data.met_on), ("cadence_days", data.cadence_days),
                        ("notes", data.notes), ("archived", data.archived)):
        if value is not None:
            setattr(person, attr, value)
    for attr in data.clear:
        if attr not in CLEARABLE:
            raise ValueError(f"{attr} cannot be cleared")
        setattr(person, attr, None)
    with transaction.atomic():
        person.save()
        _apply(owner, person, data, pairs)
    return person


def snooze(owner, person: Person, until: date) -> Person:
    """Hide ``person`` from Today up to and including ``until``."""
    check_owned(owner, person)
    limits.check_date(until, _("Snooze until"))
    if until < timezone.localdate():
        raise UserError(_("%(date)s is in the past; snooze until a later date") % {"date": until.isoformat()})
    person.snoozed_until = until
    person.save(update_fields=["snoozed_until"])
    return person


def get_person(owner, person_id: int) -> Person:
    return get_owned(Person, owner, id=person_id)


def search_people(owner, text: str):
    """People whose name, identity, organisation or interest contains ``text``."""
    needle = limits.check_search(text.strip())
    # One subquery per table, not a join of them all: the join made a row per identity × affiliation ×
    # interest of each person, then DISTINCT (3–4× the time at 20,000 people).
    return owned(Person, owner).filter(
        Q(name__icontains=needle)
        | Q(pk__in=owned(Identity, owner).filter(value__icontains=needle).values("person_id"))
        | Q(pk__in=owned(Affiliation, owner).filter(organisation__name__icontains=needle).values("person_id"))
        | Q(pk__in=owned(Interest, owner).filter(topic__icontains=normalise_topic(needle)).values("person_id"))
    )


def add_to_circle(owner, person_ids, circle_name: str) -> int:
    """Put the owner's people among ``person_ids`` in the circle ``circle_name`` (created when new).

    One transaction. Ids that are not the owner's people are ignored. Returns
    how many people joined (those already in the circle do not count).
    Raises UserError when no person is given or the circle has no name.
    """
    wanted = {int(i) for i in person_ids if limits.is_id(i)}
    if not wanted:
        raise UserError(_("Select at least one person."))
    with transaction.atomic():
        circle = circle_named(owner, circle_name)
        ids = set(owned(Person, owner).filter(id__in=wanted).values_list("id", flat=True))
        ids -= set(owned(Membership, owner).filter(circle=circle, person_id__in=ids).values_list("person_id", flat=True))
        Membership.objects.bulk_create([Membership(owner=owner, person_id=pid, circle=circle) for pid in sorted(ids)])
        checkups.forget(owner.pk, ids)  # bulk_create sends no signal
    return len(ids)


# People deleted per statement: a few hundred ids keep each DELETE … IN (…) well under any database's limits.
DELETE_BATCH = 500


def _selected(person_ids) -> list[int]:
    """The ids of a selection (ints or digit strings); UserError when there are none."""
    wanted = sorted({int(i) for i in person_ids if limits.is_id(i)})
    if not wanted:
        raise UserError(_("Select at least one person."))
    return wanted


def delete_people(owner, person_ids) -> int:
    """Forget the owner's people among ``person_ids``, and everything about them; returns how many.

    Their identities, interactions, interests, circle memberships,
    organisations, milestones, outcomes, places in pledges, import records and
    merge suggestions go with them; nothing else (circles, organisations,
    pledges and other people stay). One transaction. Ids that are not the
    owner's people are ignored. Raises UserError when no person is given.
    """
    wanted = _selected(person_ids)
    deleted = 0
    # Their checkups go with them (a cascade), and nobody else's verdict depends on their rows:
    # no need to forget checkups row by row as the cascade's signals would.
    with transaction.atomic(), checkups.deferred():
        for start in range(0, len(wanted), DELETE_BATCH):
            _total, per_model = owned(Person, owner).filter(id__in=wanted[start : start + DELETE_BATCH]).delete()
            deleted += per_model.get(Person._meta.label, 0)
        checkups.forget_reviews(owner.pk)  # the reviews named them
        checkups.recount(owner.pk)  # the kept total of people
    return deleted


def delete_person(owner, person: Person) -> None:
    """Forget ``person`` and everything about them (see :func:`delete_people`); NotFound for another's."""
    check_owned(owner, person)
    delete_people(owner, [person.pk])


def archive_people(owner, person_ids, archived: bool = True) -> int:
    """Archive (or bring back) the owner's people among ``person_ids``; returns how many changed.

    One statement; ids that are not the owner's people are ignored. Raises
    UserError when no person is given.
    """
    wanted = _selected(person_ids)
    with transaction.atomic():
        changing = owned(Person, owner).filter(id__in=wanted).exclude(archived=archived)
        ids = list(changing.values_list("id", flat=True))
        owned(Person, owner).filter(id__in=ids).update(archived=archived)
        checkups.forget(owner.pk, ids)  # update() sends no signal
    return len(ids)


def remove_interest(owner, person: Person, topic: str) -> None:
    owned(Interest, owner).filter(person=person, topic=normalise_topic(topic)).delete()


def leave_circle(owner, person: Person, circle_name: str) -> None:
    limits.check_text(circle_name, _("A circle's name"), limits.TOPIC_MAX)
    owned(Membership, owner).filter(person=person, circle__name__iexact=circle_name.strip()).delete()


def remove_identity(owner, person: Person, kind: str, value: str) -> None:
    owned(Identity, owner).filter(person=person, kind=kind, value=value).delete()


def remove_organisation(owner, person: Person, organisation_name: str) -> None:
    limits.check_text(organisation_name, _("An organisation's name"), limits.NAME_MAX)
    owned(Affiliation, owner).filter(person=person, organisation__name__iexact=organisation_name.strip()).delete()
