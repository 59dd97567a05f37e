"""``/interactions``: list them, log a ping, correct one, delete one; and ``/today``, ``/stats``, ``/me``."""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Status

from restons.api.schemas import ERRORS, Error, InteractionOut, InteractionPatch, InteractionsPage, Me, PingIn, Stats, TodayEntry
from restons.limits import TODAY_LIMIT_MAX, check_date
from restons.services import interactions, people

router = Router(tags=["interactions"])
overview = Router(tags=["today"])


def _aware(moment):
    """A time without an offset is in the owner's time zone, as on the command line."""
    from django.utils import timezone

    return timezone.make_aware(moment) if moment is not None and timezone.is_naive(moment) else moment


def _one(owner, interaction_id: int) -> dict:
    return interactions.as_object(interactions.get_interaction(owner, interaction_id))


@router.get("/interactions", response={200: InteractionsPage, ERRORS: Error}, summary="List interactions")
def list_interactions(
    request,
    person: int | None = Query(None, ge=1, description="Only the interactions with this person (id)."),
    since: date | None = Query(None, description="From this local date on (included)."),
    until: date | None = Query(None, description="Up to this local date (included)."),
    source: str | None = Query(None, max_length=40, description="manual, linkedin, vcard, demo…"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=100_000_000),
):
    """Like ``restons interaction list --json``, oldest first, a page at a time."""
    target = people.get_person(request.owner, person) if person is not None else None
    count, items = interactions.interactions_page(request.owner, person=target, since=since, until=until,
                                                  source=source, limit=limit, offset=offset)
    return {"count": count, "items": items}


@router.post("/interactions", response={201: InteractionOut, ERRORS: Error}, summary="Log a ping")
def log_ping(request, data: PingIn):
    """Like ``restons ping``: by default you reached out, now."""
    target = people.get_person(request.owner, data.person)
    made = interactions.log_ping(request.owner, target, direction=data.direction, channel=data.channel, at=_aware(data.at),
                                 note=data.note)
    return Status(201, _one(request.owner, made.pk))


@router.get("/interactions/{interaction_id}", response={200: InteractionOut, ERRORS: Error},
            summary="Show an interaction")
def read_interaction(request, interaction_id: int):
    return _one(request.owner, interaction_id)


@router.patch("/interactions/{interaction_id}", response={200: InteractionOut, ERRORS: Error},
              summary="Correct an interaction")
def edit_interaction(request, interaction_id: int, data: InteractionPatch):
    """Like ``restons interaction edit``: only what is given changes."""
    interactions.edit_interaction(request.owner, interaction_id, at=_aware(data.at), direction=data.direction,
                                  channel=data.channel, note=data.note)
    return _one(request.owner, interaction_id)


@router.delete("/interactions/{interaction_id}", response={204: None, ERRORS: Error},
               summary="Delete an interaction")
def delete_interaction(request, interaction_id: int):
    interactions.delete_interaction(request.owner, interaction_id)
    return Status(204, None)


@overview.get("/today", response={200: list[TodayEntry], ERRORS: Error}, summary="Whom to ping today")
def today(request, date: date | None = Query(None, description="Plan as if today were this date."),
          limit: int | None = Query(None, ge=1, le=TODAY_LIMIT_MAX)):
    """Like ``restons today --json``: each entry's person, reasons, draft and next due date."""
    from restons.services.today import today_list

    return today_list(request.owner, check_date(date) if date else None, limit)


@overview.get("/stats", response={200: Stats, ERRORS: Error}, summary="Your network at a glance")
def stats(request, date: date | None = Query(None, description="Evaluate as if today were this date.")):
    """Like ``restons stats --json``."""
    from restons.services.stats import stats as network_stats

    return network_stats(request.owner, check_date(date) if date else None)


@overview.get("/me", response={200: Me, ERRORS: Error}, summary="You and your settings")
def me(request):
    """Your account's email, your effective settings (Settings, else the instance's defaults), and your name and
    identities as ``restons me show --json`` gives them."""
    from restons import conf
    from restons.services.accounts import settings_of
    from restons.services.me import show_me

    chosen = settings_of(request.owner)
    return {"email": request.owner.email, "language": chosen.language or conf.get("RESTONS_LANGUAGE"),
            "time_zone": chosen.time_zone,
            "region": chosen.region, "today_limit": chosen.today_limit, **show_me(request.owner)}
