"""A demo network of invented people, so a newcomer sees Restons working at once."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restons.engine.calendar import anniversary
from restons.identities import name_key
from restons.models import Channel, Interaction, Person, SourceRecord
from restons.services import people as people_service
from restons.services import planning
from restons.services import checkups
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.interactions import refresh_summaries

# Invented people: (name, email domain, circle, interests, how-we-met)
DEMO_PEOPLE = [
    ("Camille Martin", "lumen.example", "Agency alumni", ["football", "design"], "Same team at Lumen Agency"),
    ("Noah Bennett", "lumen.example", "Agency alumni", ["podcasts"], "Lumen Agency, client services"),
    ("Inès Laurent", "mail.example", "Friends", ["running", "cooking"], "Neighbours in Lyon"),
    ("Oliver Grant", "pr-assoc.example", "PR association", ["public relations", "football"], "Programme committee"),
    ("Léa Dubois", "studio.example", "Agency alumni", ["design", "photography"], "Internship at Lumen"),
    ("Maya Patel", "mail.example", "Friends", ["running"], "University"),
    ("Hugo Moreau", "pr-assoc.example", "PR association", ["public relations"], "Association dinner"),
    ("Zoé Lefèvre", "mail.example", "Friends", ["cooking", "football"], "Football club"),
    ("Ethan Brooks", "consult.example", None, ["strategy"], "A conference panel"),
    ("Chloé Roux", "lumen.example", "Agency alumni", ["newsletters", "public relations"], "Lumen Agency"),
    ("Samuel Fischer", "mail.example", None, ["photography"], ""),
    ("Ava Nguyen", "consult.example", "PR association", ["strategy", "newsletters"], "Introduced by Oliver"),
]


DEMO_SOURCE = "demo"


def demo_people(owner):
    """The people the demo created (and that are still there)."""
    return owned(Person, owner).filter(source_records__source=DEMO_SOURCE)


def remove_demo_people(owner) -> int:
    """Delete the people the demo created, and everything about them; returns how many.

    Exactly the people the demo marked (people added or imported since stay,
    even with the same name). One transaction; UserError when there are none.
    """
    ids = list(demo_people(owner).values_list("id", flat=True))
    if not ids:
        raise UserError(_("There are no demo people to remove."))
    return people_service.delete_people(owner, ids)


def fill_demo(owner, seed: int = 7) -> dict:
    """Create the demo network in one transaction; refuses an instance that already has people."""
    if owned(Person, owner).exists():
        raise UserError(_("The demo only fills an empty instance, and this one already has people."))
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        planning.add_circle(owner, "Agency alumni", 90)
        planning.add_circle(owner, "PR association", 60)
        planning.add_circle(owner, "Friends", 30)
        created = []
        for name, domain, circle, interests, met in DEMO_PEOPLE:
            email = f"{name_key(name.split()[0])}@{domain}"
            person = people_service.add_person(
                owner,
                people_service.PersonInput(
                    name=name, emails=[email], interests=interests, circles=[circle] if circle else [], met=met,
                    orgs=["Lumen Agency"] if domain == "lumen.example" else [],
                ),
            )
            owned(Person, owner).filter(pk=person.pk).update(created_at=now - timedelta(days=3 * 365))
            created.append(person)
        # Marked, so that "remove the demo people" finds exactly them, whatever was added since.
        SourceRecord.objects.bulk_create([
            SourceRecord(owner=owner, source=DEMO_SOURCE, key=f"demo:{index}", person=person)
            for index, person in enumerate(created)
        ])
        interactions = []
        channels = [Channel.TEXT, Channel.EMAIL, Channel.CALL, Channel.MEETING, Channel.LINKEDIN]
        for index, person in enumerate(created):
            # Some relationships are mutual, some carried by you, some drifting.
            style = index % 4
            count = rng.randint(4, 30)
            for n in range(count):
                days_ago = rng.randint(20 if style == 3 else 2, 3 * 365)
                direction = ["out", "in", "both"][rng.randrange(3)] if style != 1 else "out"
                moment = datetime.combine(today - timedelta(days=days_ago), time(rng.randint(8, 21), rng.choice([0, 15, 30, 45])))
                interactions.append(
                    Interaction(
                        owner=owner, person=person, at=timezone.make_aware(moment), direction=direction,
                        channel=rng.choice(channels), summary="", source="demo", source_key=f"demo:{person.id}:{n}",
                    )
                )
        Interaction.objects.bulk_create(interactions)
        refresh_summaries(owner, [p.id for p in created])
        planning.add_event(owner, "Cup final, Lyon vs. Nantes", today + timedelta(days=4), ["football"])
        # The demo speaks the user's language (RESTONS_LANGUAGE, or the browser's on the web).
        planning.add_event(owner, _("PR association spring meeting"), today + timedelta(days=6), ["public relations"])
        planning.add_content(owner, _("Issue 42: the ping approach"), today - timedelta(days=3), "newsletter",
                             ["newsletters", "strategy"])
        planning.add_milestone(owner, _("Ten years of my business"), today - timedelta(days=2), None, False)
        planning.add_milestone(owner, _("Birthday"), anniversary(today + timedelta(days=3), 1992), created[2], True)
        planning.add_outcome(owner, created[3], "referral-received", today - timedelta(days=200),
                             _("Introduced me to a new client"))
        planning.add_outcome(owner, created[0], "friendship", today - timedelta(days=500))
        planning.leave(owner, "Lumen Agency", today - timedelta(days=10), [created[1], created[4]], 90)
        checkups.forget(owner.pk)  # the bulk writes above send no signals
    return {"people": len(created), "interactions": len(interactions)}
