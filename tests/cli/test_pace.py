"""``restons pace``, ``restons pace apply``, and catching up in ``restons today``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from restons.models import Circle, Interaction, Membership, Opening, Person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def strained(restons, alice):
    """Ana in Family (30 days); ten people and Hugo, who never wrote back, in Network (180 days); a day of use a
    week since 1 April, four pings in the last eight weeks and three in the eight before the last two."""
    restons.ok("circle", "add", "Family", "--every", "30d")
    restons.ok("circle", "add", "Network", "--every", "6m")
    Circle.objects.filter(owner=alice, name="Network").update(cadence_days=180)
    restons.ok("person", "add", "Ana Lopes", "--circle", "Family")
    restons.ok("ping", "Ana", "--together", "--at", "2026-06-01T12:00")
    for i in range(10):
        restons.ok("person", "add", f"Network {i:02d}", "--circle", "Network")
    restons.ok("ping", "Network 00", "--at", "2026-04-25T12:00")
    restons.ok("ping", "Network 01", "--at", "2026-05-20T12:00")
    restons.ok("person", "add", "Hugo Marchand", "--circle", "Network")
    for day in ("2026-03-01", "2026-03-20", "2026-05-02"):
        restons.ok("ping", "Hugo", "--at", f"{day}T12:00")
    for k in range(11):
        Opening.objects.create(owner=alice, day=date(2026, 4, 1) + timedelta(days=7 * k))
    return {p.name: p.pk for p in Person.objects.filter(owner=alice)}


def test_pace_says_what_to_change(restons, strained, alice):
    network = Circle.objects.get(owner=alice, name="Network").pk
    hugo = strained["Hugo Marchand"]
    out = restons.ok("pace").out
    ids = (f"untrack-{hugo}", f"circle-{network}-365")
    width = max(map(len, ids))
    assert out == (
        "Your cadences ask for 0.09 pings a day; you manage 0.07.\n"
        "  Close relationships (every two months or more often) ask for 0.03 a day.\n"
        "  Your pace: 4 pings over the last 56 days, on 8 days of use.\n"
        "Your cadences have asked for more than your pace for two weeks. Restons aims at 0.06 a day, 80% of your "
        "pace (the rest goes to replies and hooks):\n"
        f"  {ids[0]:<{width}}  Stop tracking Hugo Marchand: never wrote to you, no answer to your last 3 pings\n"
        f"  {ids[1]:<{width}}  “Network” every year instead of every 6 months (10 people)\n"
        "With all of them: 0.06 a day. Accept them all with 'restons pace apply', or some with "
        "'restons pace apply ID...'.\n"
        "Close circles are never proposed: your close relationships alone ask for 0.03 a day.\n"
    )
    report = restons.ok("pace", "--json").json
    assert [p["id"] for p in report["proposals"]] == [f"untrack-{hugo}", f"circle-{network}-365"]
    assert {"load", "pace", "strained", "proposals", "catch_up"} <= report.keys()


def test_pace_apply_by_id_then_all(restons, strained, alice):
    hugo = strained["Hugo Marchand"]
    network = Circle.objects.get(owner=alice, name="Network").pk
    assert restons.ok("pace", "apply", f"untrack-{hugo}").out == (
        "Done: Stop tracking Hugo Marchand: never wrote to you, no answer to your last 3 pings\n")
    assert not Membership.objects.filter(person_id=hugo).exists()
    assert restons.ok("pace", "apply").out == (
        "Done: “Network” every year instead of every 6 months (10 people)\n")
    assert Circle.objects.get(pk=network).cadence_days == 365
    assert "Your cadences fit your pace: nothing to change." in restons.ok("pace").out


def test_pace_apply_with_an_unknown_id_fails_and_changes_nothing(restons, strained, alice):
    hugo = strained["Hugo Marchand"]
    result = restons("pace", "apply", f"untrack-{hugo}", "circle-1-7")
    assert (result.code, result.out) == (1, "")
    assert result.err == "restons: No proposal circle-1-7 today; see 'restons pace' for today's.\n"
    assert Membership.objects.filter(person_id=hugo).exists()


def test_a_newcomer_is_not_judged(restons, alice):
    restons.ok("person", "add", "Ana Lopes", "--every", "7d")
    out = restons.ok("pace").out
    assert "Restons judges your pace after ten weeks of use" in out
    result = restons("pace", "apply")
    assert (result.code, result.err) == (1, "restons: Nothing to apply: your cadences fit your pace.\n")


def test_today_counts_as_a_day_of_use_and_says_when_you_are_catching_up(restons, alice):
    """GIVEN three close friends overdue after sixteen days away WHEN `restons today` runs THEN it says so first."""
    restons.ok("circle", "add", "Family", "--every", "30d")
    for name, day in (("Ana Lopes", "2026-04-01"), ("Farid Haddad", "2026-04-10"), ("Gaspard Roy", "2026-04-15")):
        restons.ok("person", "add", name, "--circle", "Family")
        restons.ok("ping", name.split()[0], "--together", "--at", f"{day}T12:00")
    Opening.objects.create(owner=alice, day=date(2026, 5, 29), overdue=0)
    out = restons.ok("today").out
    assert out.startswith(
        "Back after 16 days away: 3 people are overdue, 0 when you left. At your pace, catching up takes about "
        "3 days; Today shows 1 person a day, replies owed first.\n\n1. Ana Lopes")
    assert Opening.objects.get(owner=alice, day=date(2026, 6, 15)).overdue == 3
    entries = restons.ok("today", "--json").json
    assert [(e["person"]["name"], e["band"]) for e in entries] == [("Ana Lopes", "close")]
    assert entries[0]["catch_up"] == {"since": "2026-06-15", "away_days": 16, "before": 0, "overdue": 3,
                                      "behind": 3, "per_day": 1, "days": 3}
    # Planning ahead is not a day of use, and never catching up.
    assert "Back after" not in restons.ok("today", "--date", "2026-06-16").out
    assert not Opening.objects.filter(owner=alice, day=date(2026, 6, 16)).exists()


def test_pace_apply_one_kind(restons, strained, alice):
    assert restons.ok("pace", "apply", "--kind", "circle").out == (
        "Done: “Network” every year instead of every 6 months (10 people)\n")
    assert Membership.objects.filter(person_id=strained["Hugo Marchand"]).exists()


def test_pace_groups_thousands_of_pings(restons, strained, alice):
    """A busy network: the line says "1,238 pings", as every count of thousands is written."""
    ana = Person.objects.get(pk=strained["Ana Lopes"])
    at = timezone.make_aware(datetime(2026, 6, 10, 9, 0))
    Interaction.objects.bulk_create(
        Interaction(owner=alice, person=ana, at=at + timedelta(minutes=n), direction="out", channel="email",
                    source="manual")
        for n in range(1234))
    assert "  Your pace: 1,238 pings over the last 56 days, on 8 days of use.\n" in restons.ok("pace").out
