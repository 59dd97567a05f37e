"""``/people``: list, create, read, update, delete, and their identities."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Status

from restons.api.schemas import ERRORS, Error, IdentityIn, IdentityOut, PeoplePage, PersonDetail, PersonIn, PersonPatch, Reciprocity, StatusName
from restons.limits import SEARCH_MAX
from restons.models import Identity
from restons.services import health, people
from restons.services.access import get_owned, owned

router = Router(tags=["people"])


def _input(data, **extra) -> people.PersonInput:
    return people.PersonInput(
        name=data.name, emails=list(data.emails), phones=list(data.phones), linkedin=data.linkedin,
        orgs=list(data.orgs), met=data.met, met_on=data.met_on, interests=list(data.interests),
        circles=list(data.circles), cadence_days=data.cadence_days, notes=data.notes, **extra,
    )


def _detail(owner, person):
    return health.person_detail(owner, person)


@router.get("/people", response={200: PeoplePage, ERRORS: Error}, summary="List people")
def list_people(
    request,
    q: str = Query("", max_length=SEARCH_MAX, description="Search names, identities, organisations and interests."),
    circle: str = Query("", max_length=200),
    status: StatusName | None = None,
    reciprocity: Reciprocity | None = None,
    archived: bool = Query(False, description="Include archived people."),
    sort: Literal["name", "due", "strength", "touch"] = "name",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
):
    """Today's health of everyone, filtered and sorted; ``count`` is the total over all pages."""
    count, items = health.people_page(request.owner, query=q, circle=circle, status=status or "",
                                      reciprocity=reciprocity or "", include_archived=archived, sort=sort,
                                      limit=limit, offset=offset)
    return {"count": count, "items": items}


@router.post("/people", response={201: PersonDetail, ERRORS: Error}, summary="Add a person")
def create_person(request, data: PersonIn):
    """Like ``restons person add``: identities are normalised and must not belong to someone else."""
    made = people.add_person(request.owner, _input(data))
    return Status(201, _detail(request.owner, made))


@router.get("/people/{person_id}", response={200: PersonDetail, ERRORS: Error}, summary="Show a person")
def read_person(request, person_id: int):
    """Like ``restons person show --json``."""
    return _detail(request.owner, people.get_person(request.owner, person_id))


@router.patch("/people/{person_id}", response={200: PersonDetail, ERRORS: Error}, summary="Change a person")
def update_person(request, person_id: int, data: PersonPatch):
    """Like ``restons person edit``: what is given changes; identities, organisations, interests and circles are added."""
    person = people.get_person(request.owner, person_id)
    changed = people.edit_person(request.owner, person, _input(data, archived=data.archived))
    return _detail(request.owner, changed)


@router.delete("/people/{person_id}", response={204: None, ERRORS: Error}, summary="Forget a person")
def delete_person(request, person_id: int):
    """Like ``restons person delete``: the person and everything about them."""
    people.delete_person(request.owner, people.get_person(request.owner, person_id))
    return Status(204, None)


@router.get("/people/{person_id}/identities", response={200: list[IdentityOut], ERRORS: Error},
            summary="List a person's identities")
def list_identities(request, person_id: int):
    person = people.get_person(request.owner, person_id)
    return list(owned(Identity, request.owner).filter(person=person).order_by("kind", "value"))


@router.post("/people/{person_id}/identities", response={201: IdentityOut, ERRORS: Error},
             summary="Add an identity")
def add_identity(request, person_id: int, data: IdentityIn):
    """An email, phone or LinkedIn URL, normalised; 400 when it belongs to someone else."""
    person = people.get_person(request.owner, person_id)
    fields = {"email": {"emails": [data.value]}, "phone": {"phones": [data.value]},
              "linkedin": {"linkedin": data.value}}[data.kind]
    wanted = people.PersonInput(**fields)
    ((kind, value),) = people.normalised_identities(request.owner, wanted)
    people.edit_person(request.owner, person, wanted)
    return Status(201, get_owned(Identity, request.owner, person=person, kind=kind, value=value))


@router.delete("/people/{person_id}/identities/{identity_id}", response={204: None, ERRORS: Error},
               summary="Remove an identity")
def remove_identity(request, person_id: int, identity_id: int):
    person = people.get_person(request.owner, person_id)
    identity = get_owned(Identity, request.owner, id=identity_id, person=person)
    people.remove_identity(request.owner, person, identity.kind, identity.value)
    return Status(204, None)

