"""``/events``, ``/milestones``, ``/content``, ``/outcomes`` and ``/pledges``: the things around people."""

from __future__ import annotations

from ninja import Query, Router, Status

from restons.api.schemas import (
    ERRORS, ContentIn, ContentOut, Error, EventIn, EventOut, MilestoneIn, MilestoneOut, OutcomeIn, OutcomeOut,
    PledgeIn, PledgePatch, PledgeReport,
)
from restons.limits import check_date
from restons.models import Content, Event, Milestone, Outcome, Pledge
from restons.services import planning
from restons.services.access import get_owned, owned
from restons.services.people import get_person

router = Router()


def _day(value):
    return check_date(value) if value is not None else None


def _event(item: Event) -> dict:
    return {"id": item.pk, "title": item.title, "on": item.on, "topics": item.topics, "lead_days": item.lead_days}


def _milestone(item: Milestone) -> dict:
    person = {"id": item.person_id, "name": item.person.name} if item.person_id else None
    return {"id": item.pk, "title": item.title, "on": item.on, "yearly": item.yearly, "person": person}


def _content(item: Content) -> dict:
    return {"id": item.pk, "title": item.title, "on": item.on, "kind": item.kind, "topics": item.topics, "url": item.url}


def _outcome(item: Outcome) -> dict:
    return {"id": item.pk, "person": {"id": item.person_id, "name": item.person.name}, "kind": item.kind,
            "at": item.at, "note": item.note}


# -- events ------------------------------------------------------------------------------------


@router.get("/events", response={200: list[EventOut], ERRORS: Error}, tags=["events"], summary="List events")
def list_events(request):
    return [_event(e) for e in owned(Event, request.owner).order_by("on", "id")]


@router.post("/events", response={201: EventOut, ERRORS: Error}, tags=["events"], summary="Add an event")
def create_event(request, data: EventIn):
    return Status(201, _event(planning.add_event(request.owner, data.title, _day(data.on), data.topics, data.lead_days)))


@router.get("/events/{item_id}", response={200: EventOut, ERRORS: Error}, tags=["events"], summary="Show an event")
def read_event(request, item_id: int):
    return _event(get_owned(Event, request.owner, id=item_id))


@router.put("/events/{item_id}", response={200: EventOut, ERRORS: Error}, tags=["events"], summary="Change an event")
def update_event(request, item_id: int, data: EventIn):
    item = get_owned(Event, request.owner, id=item_id)
    return _event(planning.update_event(request.owner, item, data.title, _day(data.on), data.topics, data.lead_days))


@router.delete("/events/{item_id}", response={204: None, ERRORS: Error}, tags=["events"], summary="Delete an event")
def delete_event(request, item_id: int):
    planning.delete(request.owner, get_owned(Event, request.owner, id=item_id))
    return Status(204, None)


# -- milestones --------------------------------------------------------------------------------


@router.get("/milestones", response={200: list[MilestoneOut], ERRORS: Error}, tags=["milestones"],
            summary="List milestones")
def list_milestones(request, person: int | None = Query(None, ge=1, description="Only this person's.")):
    items = owned(Milestone, request.owner).select_related("person").order_by("on", "id")
    if person is not None:
        items = items.filter(person=get_person(request.owner, person))
    return [_milestone(m) for m in items]


def _milestone_person(owner, data: MilestoneIn):
    return get_person(owner, data.person) if data.person is not None else None


@router.post("/milestones", response={201: MilestoneOut, ERRORS: Error}, tags=["milestones"],
             summary="Add a milestone")
def create_milestone(request, data: MilestoneIn):
    """Yours without ``person``, theirs with it."""
    made = planning.add_milestone(request.owner, data.title, _day(data.on), _milestone_person(request.owner, data),
                                  data.yearly)
    return Status(201, _milestone(made))


@router.get("/milestones/{item_id}", response={200: MilestoneOut, ERRORS: Error}, tags=["milestones"],
            summary="Show a milestone")
def read_milestone(request, item_id: int):
    return _milestone(get_owned(Milestone, request.owner, id=item_id))


@router.put("/milestones/{item_id}", response={200: MilestoneOut, ERRORS: Error}, tags=["milestones"],
            summary="Change a milestone")
def update_milestone(request, item_id: int, data: MilestoneIn):
    item = get_owned(Milestone, request.owner, id=item_id)
    return _milestone(planning.update_milestone(request.owner, item, data.title, _day(data.on),
                                                _milestone_person(request.owner, data), data.yearly))


@router.delete("/milestones/{item_id}", response={204: None, ERRORS: Error}, tags=["milestones"],
               summary="Delete a milestone")
def delete_milestone(request, item_id: int):
    planning.delete(request.owner, get_owned(Milestone, request.owner, id=item_id))
    return Status(204, None)


# -- content -----------------------------------------------------------------------------------


@router.get("/content", response={200: list[ContentOut], ERRORS: Error}, tags=["content"], summary="List content")
def list_content(request):
    return [_content(c) for c in owned(Content, request.owner).order_by("-on", "id")]


@router.post("/content", response={201: ContentOut, ERRORS: Error}, tags=["content"], summary="Add content")
def create_content(request, data: ContentIn):
    made = planning.add_content(request.owner, data.title, _day(data.on), data.kind, data.topics, data.url)
    return Status(201, _content(made))


@router.get("/content/{item_id}", response={200: ContentOut, ERRORS: Error}, tags=["content"],
            summary="Show content")
def read_content(request, item_id: int):
    return _content(get_owned(Content, request.owner, id=item_id))


@router.put("/content/{item_id}", response={200: ContentOut, ERRORS: Error}, tags=["content"],
            summary="Change content")
def update_content(request, item_id: int, data: ContentIn):
    item = get_owned(Content, request.owner, id=item_id)
    return _content(planning.update_content(request.owner, item, data.title, _day(data.on), data.kind, data.topics,
                                            data.url))


@router.delete("/content/{item_id}", response={204: None, ERRORS: Error}, tags=["content"],
               summary="Delete content")
def delete_content(request, item_id: int):
    planning.delete(request.owner, get_owned(Content, request.owner, id=item_id))
    return Status(204, None)


# -- outcomes ----------------------------------------------------------------------------------


@router.get("/outcomes", response={200: list[OutcomeOut], ERRORS: Error}, tags=["outcomes"],
            summary="List outcomes")
def list_outcomes(request, person: int | None = Query(None, ge=1, description="Only this person's.")):
    items = owned(Outcome, request.owner).select_related("person").order_by("at", "id")
    if person is not None:
        items = items.filter(person=get_person(request.owner, person))
    return [_outcome(o) for o in items]


@router.post("/outcomes", response={201: OutcomeOut, ERRORS: Error}, tags=["outcomes"], summary="Log an outcome")
def create_outcome(request, data: OutcomeIn):
    made = planning.add_outcome(request.owner, get_person(request.owner, data.person), data.kind, _day(data.at),
                                data.note)
    return Status(201, _outcome(made))


@router.get("/outcomes/{item_id}", response={200: OutcomeOut, ERRORS: Error}, tags=["outcomes"],
            summary="Show an outcome")
def read_outcome(request, item_id: int):
    return _outcome(get_owned(Outcome, request.owner, id=item_id))


@router.put("/outcomes/{item_id}", response={200: OutcomeOut, ERRORS: Error}, tags=["outcomes"],
            summary="Change an outcome")
def update_outcome(request, item_id: int, data: OutcomeIn):
    from django.utils import timezone

    item = get_owned(Outcome, request.owner, id=item_id)
    changed = planning.update_outcome(request.owner, item, get_person(request.owner, data.person), data.kind,
                                      _day(data.at) or timezone.localdate(), data.note)
    return _outcome(changed)


@router.delete("/outcomes/{item_id}", response={204: None, ERRORS: Error}, tags=["outcomes"],
               summary="Delete an outcome")
def delete_outcome(request, item_id: int):
    planning.delete(request.owner, get_owned(Outcome, request.owner, id=item_id))
    return Status(204, None)


# -- pledges -----------------------------------------------------------------------------------


def _report(owner, pledge_id: int) -> dict:
    from restons.services.stats import pledge_report

    return next(p for p in pledge_report(owner, _today()) if p["id"] == pledge_id)


def _today():
    from django.utils import timezone

    return timezone.localdate()


@router.get("/pledges", response={200: list[PledgeReport], ERRORS: Error}, tags=["pledges"],
            summary="List pledges")
def list_pledges(request):
    """Each pledge with its people count and adherence, as in ``restons stats --json``."""
    from restons.services.stats import pledge_report

    return pledge_report(request.owner, _today())


@router.post("/pledges", response={201: PledgeReport, ERRORS: Error}, tags=["pledges"],
             summary="Make a pledge")
def create_pledge(request, data: PledgeIn):
    """Like ``restons leave``: you leave ``org`` and promise to stay in touch with ``people`` (ids)."""
    targets = [get_person(request.owner, pid) for pid in data.people]
    made = planning.leave(request.owner, data.org, _day(data.on), targets, data.cadence_days)
    return Status(201, _report(request.owner, made.pk))


@router.get("/pledges/{item_id}", response={200: PledgeReport, ERRORS: Error}, tags=["pledges"],
            summary="Show a pledge")
def read_pledge(request, item_id: int):
    return _report(request.owner, get_owned(Pledge, request.owner, id=item_id).pk)


@router.patch("/pledges/{item_id}", response={200: PledgeReport, ERRORS: Error}, tags=["pledges"],
              summary="Change a pledge")
def update_pledge(request, item_id: int, data: PledgePatch):
    """Its date, cadence or end (``ended_on``), and people to add or remove (ids)."""
    from django.db import transaction

    pledge = get_owned(Pledge, request.owner, id=item_id)
    adding = [get_person(request.owner, pid) for pid in data.add_people]
    removing = [get_person(request.owner, pid) for pid in data.remove_people]
    with transaction.atomic():
        if data.on is not None or data.cadence_days is not None or "ended_on" in data.model_fields_set:
            planning.update_pledge(request.owner, pledge, _day(data.on) or pledge.on,
                                   data.cadence_days or pledge.cadence_days,
                                   _day(data.ended_on) if "ended_on" in data.model_fields_set else pledge.ended_on)
        planning.add_pledged(request.owner, pledge, adding)
        for person in removing:
            planning.remove_pledged(request.owner, pledge, person)
    return _report(request.owner, pledge.pk)


@router.delete("/pledges/{item_id}", response={204: None, ERRORS: Error}, tags=["pledges"],
               summary="Delete a pledge")
def delete_pledge(request, item_id: int):
    planning.delete(request.owner, get_owned(Pledge, request.owner, id=item_id))
    return Status(204, None)
