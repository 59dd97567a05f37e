"""Today: whom to ping, why, and a draft — as plain dicts ready for JSON, HTML or a table."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from restons import conf
from restons.engine import today as engine_today
from restons.engine import wording
from restons.models import Channel, Identity
from restons.services.access import owned
from restons.services.snapshot import load_people, load_world, local_today, with_content_sent

# The channel a reason suggests, for logging the ping in one step.
SUGGESTED_CHANNEL = {"reply-owed": Channel.EMAIL, "content": Channel.EMAIL, "event": Channel.TEXT,
                     "milestone": Channel.TEXT}


def today_list(owner, day: date | None = None, limit: int | None = None, language: str | None = None) -> list[dict]:
    """At most ``limit`` entries (default ``RESTONS_TODAY_LIMIT``) for ``day`` (default today).

    Each entry: ``person`` (id, name), ``reasons`` (kind, text), ``draft``,
    ``next_due``, plus ``channel`` (suggested), ``score``,
    ``suggested_cadence_days`` (ghosting guard) and ``identities``.
    """
    day = day or local_today()
    limit = limit or conf.get("RESTONS_TODAY_LIMIT")
    people = load_people(owner, exclude_snoozed_on=day)
    world, sent = load_world(owner, day)
    entries = engine_today.plan_today(with_content_sent(people, sent), world, limit)
    contacts: dict[int, dict] = {}
    for person_id, kind, value in (
        owned(Identity, owner).filter(person_id__in=[e.person.id for e in entries]).order_by("id")
        .values_list("person_id", "kind", "value")
    ):
        contacts.setdefault(person_id, {}).setdefault(kind, value)
    with translation.override(language or conf.get("RESTONS_LANGUAGE")):
        return [
            {
                "person": {"id": e.person.id, "name": e.person.name},
                "reasons": [{"kind": r.kind, "text": wording.reason_text(r)} for r in e.reasons],
                "draft": wording.draft(e.person.name, e.reasons),
                "next_due": e.next_due.isoformat() if e.next_due else None,
                "channel": SUGGESTED_CHANNEL.get(e.reasons[0].kind, Channel.TEXT if "phone" in contacts.get(e.person.id, {}) else Channel.EMAIL),
                "score": e.score,
                "suggested_cadence_days": e.suggested_cadence_days,
                "identities": contacts.get(e.person.id, {}),
            }
            for e in entries
        ]
