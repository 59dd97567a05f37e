"""A small network with at least one row in every exported table, built through the services.

Used in-process by the backup tests and, as a script, by the cross-database round trip::

    RESTONS_HOME=… RESTONS_DATABASE_URL=… python tests/backup/network.py fill|digest
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def build(owner) -> dict:
    """Fill ``owner``'s data; returns a few of the objects made, by name."""
    from restons.models import DismissedNotice, MergeSuggestion, Preferences, SourceRecord
    from restons.services import planning
    from restons.services.interactions import log_ping
    from restons.services.people import PersonInput, add_person

    camille = add_person(owner, PersonInput(
        name="Camille Martin", emails=["camille@example.org"], phones=["+33 6 12 34 56 78"],
        linkedin="https://www.linkedin.com/in/camille-martin", orgs=["Lumen Agency"], met="Same team, « l'agence »",
        met_on=date(2019, 3, 1), interests=["football", "jazz"], circles=["Agency alumni"], cadence_days=60,
        notes="Likes =SUM(A1) jokes;\nsecond line, with a comma"))
    noah = add_person(owner, PersonInput(name="Noah Bennett", emails=["noah@example.org"], orgs=["Lumen Agency"],
                                         circles=["Agency alumni", "Friends"]))
    noah_twin = add_person(owner, PersonInput(name="Noah Bennett", emails=["noah.b@example.com"]))
    planning.add_circle(owner, "Agency alumni", 90)
    cup = planning.add_event(owner, "Cup final", date(2025, 12, 5), ["football"])
    issue = planning.add_content(owner, "Issue 42", date(2025, 11, 28), "newsletter", ["jazz"], "https://example.org/42")
    mine = planning.add_milestone(owner, "Ten years of my business", date(2025, 11, 1), None, False)
    planning.add_milestone(owner, "Birthday", date(2000, 4, 15), camille, True)
    log_ping(owner, camille, direction="out", channel="text", at=at("2025-11-02T09:30:00"), note="Congrats!")
    log_ping(owner, camille, direction="in", channel="email", at=at("2025-11-03T18:00:00"), note="Read issue 42",
             about=issue)
    log_ping(owner, noah, direction="both", channel="meeting", at=at("2025-10-20T12:00:00"), about=cup)
    log_ping(owner, noah, direction="in", channel="email", at=at("2025-11-05T08:00:00"), note="Saw your news")
    planning.add_outcome(owner, camille, "referral-received", date(2025, 6, 1), "Intro to a client")
    planning.leave(owner, "Lumen Agency", date(2025, 9, 30), [camille, noah], 90)
    DismissedNotice.objects.create(owner=owner, milestone=mine, person=noah, on=date(2025, 11, 1))
    SourceRecord.objects.create(owner=owner, source="vcard", key="uid-123", person=camille)
    low, high = sorted([noah, noah_twin], key=lambda p: p.pk)
    MergeSuggestion.objects.create(owner=owner, person_a=low, person_b=high, reason="same-name", status="rejected")
    Preferences.objects.update_or_create(owner=owner, defaults={"language": "fr", "time_zone": "Europe/Paris",
                                                                "phone_region": "FR", "today_limit": 7})
    from restons.models import Interaction
    from restons.services.me import add_me

    add_me(owner, ["alex@example.org", "+33698765432"], name="Alex Martin")
    # A captured conversation: its last message (until) an hour after its first.
    Interaction.objects.filter(owner=owner, person=noah, summary="Saw your news").update(
        until=at("2025-11-05T09:00:00"), source="mbox", source_key="<news-1@example.org>#in:noah@example.org")
    from restons.services.pace import record_opening
    from restons.services.reminders import regenerate_feed, set_digest, set_push

    record_opening(owner, date(2026, 5, 4))  # a day Today was opened: the pace counts days of use
    set_digest(owner, frequency="weekly", weekday=0, hour=7)
    regenerate_feed(owner)  # a secret: left out of the backup
    set_push(owner, ntfy_topic="restons-alice-8f3k2")
    return {"camille": camille, "noah": noah, "issue": issue}


if __name__ == "__main__":
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from restons import bootstrap

    bootstrap.setup()
    bootstrap.ensure_database()
    from restons.backup.tables import content_digest
    from restons.services.owners import cli_owner

    owner = cli_owner()
    if sys.argv[1] == "fill":
        build(owner)
    else:
        print(json.dumps(content_digest(owner), sort_keys=True))
