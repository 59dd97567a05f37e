"""Importing many never-touched people does not make them all due at once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from restons.models import Membership, Person
from restons.services.planning import add_circle

TODAY = date(2026, 6, 15)


@pytest.mark.usefixtures("frozen")
def test_never_touched_imported_people_are_staggered_over_their_first_cadence(restons, alice):
    """GIVEN 200 never-touched people imported today into a circle with a 30-day cadence
    WHEN  `today --json --limit 1000` runs on every day of their first cadence window
    THEN  no day makes more than a tenth of them newly due (an even spread is 6 or 7),
          and all 200 are due by the end of the window, each with "Time for a first ping".
    """
    circle = add_circle(alice, "LinkedIn", 30)
    people = Person.objects.bulk_create(
        Person(owner=alice, name=f"Imported {n:03d}", created_at=timezone.now()) for n in range(200)
    )
    Membership.objects.bulk_create(Membership(owner=alice, person=p, circle=circle) for p in people)

    listed = [
        restons.ok("today", "--date", (TODAY + timedelta(days=offset)).isoformat(), "--limit", "1000", "--json").json
        for offset in range(31)
    ]

    assert listed[0] == []
    for offset in range(1, 31):
        assert len(listed[offset]) - len(listed[offset - 1]) <= 20, offset
    assert len(listed[30]) == 200
    first_due = Counter(entry["next_due"] for entry in listed[30])
    assert set(first_due) <= {(TODAY + timedelta(days=n)).isoformat() for n in range(1, 31)}
    assert max(first_due.values()) <= 20
    due = [entry["reasons"] for day in listed for entry in day if entry["reasons"][0]["kind"] == "due"]
    assert due and all(reasons == [{"kind": "due", "text": "Time for a first ping"}] for reasons in due)
