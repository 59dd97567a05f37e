"""Circles: list, create, rename, set the cadence, delete, and who is in them.

A circle's cadence is what tracks its people: someone with no cadence of
their own, in circles that have none either, is *untracked* — never due,
never on Today. :func:`circle_list` and :func:`circles_of` give what a page
needs to tell the user why, and where to fix it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from restons.limits import SEARCH_MAX, check_days
from restons.models import Circle, Membership, Person
from restons.services import checkups
from restons.services.access import check_owned, owned
from restons.services.errors import UserError

MEMBERS_SHOWN = 100


def _name(text: str) -> str:
    clean = " ".join((text or "").split())
    if not clean:
        raise UserError(_("A circle needs a name."))
    if len(clean) > SEARCH_MAX:
        raise UserError(_("A circle's name is at most %(max)s characters.") % {"max": SEARCH_MAX})
    return clean


def _cadence(cadence_days: int | None) -> int | None:
    return check_days(cadence_days, _("cadence")) if cadence_days is not None else None


def _check_free(owner, name: str, circle: Circle | None = None) -> None:
    twin = owned(Circle, owner).filter(name__iexact=name)
    if circle is not None:
        twin = twin.exclude(pk=circle.pk)
    if twin.exists():
        raise UserError(_("You already have a circle called %(name)s.") % {"name": name})


def circle_list(owner) -> list[dict]:
    """Every circle, by name: ``id``, ``name``, ``cadence_days`` (or None) and ``people`` (not archived)."""
    rows = (owned(Circle, owner)
            .annotate(size=Count("memberships", filter=Q(memberships__person__archived=False)))
            .order_by("name", "id").values_list("id", "name", "cadence_days", "size"))
    return [{"id": cid, "name": name, "cadence_days": every, "people": size} for cid, name, every, size in rows]


def find_circle(owner, name: str) -> Circle:
    """The owner's circle called ``name`` (any case; the exact spelling first); UserError when there is none."""
    clean = _name(name)
    rows = owned(Circle, owner)
    found = rows.filter(name=clean).first() or rows.filter(name__iexact=clean).first()
    if found is None:
        raise UserError(_("You have no circle called “%(name)s”; see 'restons circle list'.") % {"name": clean})
    return found


def create_circle(owner, name: str, cadence_days: int | None) -> Circle:
    """A new circle; UserError for an empty name, a name already used (any case) or a cadence out of range."""
    name = _name(name)
    cadence_days = _cadence(cadence_days)
    with transaction.atomic():
        _check_free(owner, name)
        return Circle.objects.create(owner=owner, name=name, cadence_days=cadence_days)


def update_circle(owner, circle: Circle, name: str, cadence_days: int | None) -> Circle:
    """Rename the circle and set its cadence (None: no cadence; its people may become untracked)."""
    check_owned(owner, circle)
    name = _name(name)
    cadence_days = _cadence(cadence_days)
    with transaction.atomic():
        _check_free(owner, name, circle)
        circle.name, circle.cadence_days = name, cadence_days
        circle.save(update_fields=["name", "cadence_days"])  # the signal recomputes everyone's checkups
    return circle


def delete_circle(owner, circle: Circle) -> None:
    """Delete the circle; its people stay, out of it."""
    check_owned(owner, circle)
    circle.delete()


def members(owner, circle: Circle, limit: int = MEMBERS_SHOWN) -> tuple[list[Person], int]:
    """The first ``limit`` people of the circle by name (archived ones too), and how many there are."""
    check_owned(owner, circle)
    people = owned(Person, owner).filter(memberships__circle=circle)
    return list(people.order_by("name", "id").only("id", "name", "archived", "cadence_days")[:limit]), people.count()


def add_members(owner, circle: Circle, people: list[Person]) -> int:
    """Put ``people`` in the circle (one transaction); returns how many were not in it yet."""
    check_owned(owner, circle, *people)
    ids = {p.id for p in people}
    with transaction.atomic():
        ids -= set(owned(Membership, owner).filter(circle=circle, person_id__in=ids).values_list("person_id", flat=True))
        Membership.objects.bulk_create([Membership(owner=owner, person_id=pid, circle=circle) for pid in sorted(ids)])
        checkups.forget(owner.pk, ids)  # bulk_create sends no signal
    return len(ids)


def remove_member(owner, circle: Circle, person: Person) -> bool:
    """Take ``person`` out of the circle; False when they were not in it."""
    check_owned(owner, circle, person)
    deleted, _rows = owned(Membership, owner).filter(circle=circle, person=person).delete()
    return bool(deleted)


def circles_of(owner, person: Person) -> list[dict]:
    """The person's circles by name: ``id``, ``name``, ``cadence_days`` — to say why an untracked person is."""
    check_owned(owner, person)
    return list(owned(Circle, owner).filter(memberships__person=person).order_by("name", "id")
                .values("id", "name", "cadence_days"))
