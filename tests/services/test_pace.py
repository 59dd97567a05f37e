"""Pace through the services and the database: days of use, the report, proposals applied, catching up.

Time is frozen on Monday 15 June 2026, noon in Paris (the ``frozen`` fixture).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from restons.engine import pace as engine
from restons.models import Circle, Interaction, Membership, Opening
from restons.services import pace
from restons.services.errors import NotFound, UserError
from restons.services.snapshot import load_people
from restons.services.today import today_page

from .conftest import PARIS, local

pytestmark = pytest.mark.usefixtures("frozen")
TODAY = date(2026, 6, 15)


def opened_on(owner, *days, overdue=0):
    for day in days:
        Opening.objects.create(owner=owner, day=day, overdue=overdue)


def test_the_first_opening_of_the_day_keeps_how_many_were_overdue(alice, bob, person, ping):
    ana = person("Ana", cadence_days=30)
    ping(ana, "2026-04-01", direction="both")  # due 1 May: overdue
    pace.record_opening(alice)
    ping(ana, "2026-06-15 09:00")  # no longer overdue
    pace.record_opening(alice)
    pace.record_opening(bob)
    assert sorted(Opening.objects.values_list("owner__email", "day", "overdue")) == [
        ("alice@example.org", TODAY, 1), ("bob@example.org", TODAY, 0)]


def test_your_pings_are_counted_on_their_local_day(alice, person, ping):
    """GIVEN your pings either side of the windows' local midnights in Paris, one of theirs, imported ones
    WHEN the windows are counted on 15 June: the eight weeks to yesterday (20 April–14 June) and the eight
    weeks to two weeks earlier (6 April–31 May)
    THEN each of yours counts in the windows of its day in Paris, whatever its day in UTC; theirs in none."""
    ana = person("Ana")
    ping(ana, "2026-04-19 23:30")  # 21:30 UTC: 19 April, the earlier window only
    ping(ana, "2026-04-20 00:30", direction="both")  # 22:30 UTC on the 19th, but 20 April in Paris: both
    ping(ana, "2026-06-14 23:30")  # yesterday: the latest window
    ping(ana, "2026-06-15 00:30")  # 22:30 UTC on the 14th, but today in Paris: neither
    ping(ana, "2026-05-10 10:00", direction="in")  # theirs: not your pace
    for key, moment in (("<a@b>", "2026-05-31 23:30"), ("<c@d>", "2026-06-01 00:30")):  # imported: yours too
        Interaction.objects.create(owner=alice, person=ana, at=local(moment), direction="out", channel="email",
                                   source="mbox", source_key=key)  # 31 May: both; 1 June: the latest only
    assert pace.window_pings(alice, TODAY) == (4, 3)


def test_your_pings_are_counted_once_a_day(alice, person, ping, frozen):
    """GIVEN the day's pace read once WHEN a ping is backdated the same day THEN it counts from tomorrow."""
    from restons.models import DailyPace
    from restons.services.checkups import refresh_all

    ana = person("Ana")
    ping(ana, "2026-06-01")
    assert pace.window_pings(alice, TODAY) == (1, 0)
    ping(ana, "2026-06-02")
    ping(ana, "2026-06-15 09:00")  # today's: in no window
    assert pace.measure(alice, TODAY).now.pings == 1
    frozen.move_to(datetime(2026, 6, 16, 0, 30, tzinfo=PARIS), tick=False)
    refresh_all()  # the background loop after midnight counts the new day's
    # The eight weeks to 15 June hold all three; those to 1 June, the first.
    assert list(DailyPace.objects.values_list("day", "pings", "pings_before")) == [(date(2026, 6, 16), 3, 1)]
    # Another day than today (--date) is counted afresh and not kept.
    assert pace.window_pings(alice, date(2026, 6, 20)) == (3, 2)  # the earlier window now ends on 5 June
    assert DailyPace.objects.count() == 1


@pytest.fixture
def strained(alice, person, ping):
    """Ana in Family (30 days); ten people and Hugo (never wrote, three pings unanswered) in Network (180 days).

    Four of your pings in the last eight weeks, three in the eight weeks before the last two, on a day of
    use a week since 1 April: the load (1/30 + 11/180 ≈ 0.09 a day) stays above the pace (4/56 ≈ 0.07).
    """
    ana = person("Ana", circles=["Family"])
    Circle.objects.filter(owner=alice, name="Family").update(cadence_days=30)
    ping(ana, "2026-06-01", direction="both")
    network = [person(f"Network {i:02d}", circles=["Network"]) for i in range(10)]
    Circle.objects.filter(owner=alice, name="Network").update(cadence_days=180)
    for who, day in zip(network, ("2026-04-25", "2026-05-20")):
        ping(who, day)
    hugo = person("Hugo", circles=["Network"])
    for day in ("2026-03-01", "2026-03-20", "2026-05-02"):
        ping(hugo, day)
    opened_on(alice, *(date(2026, 4, 1) + timedelta(days=7 * k) for k in range(11)))
    return ana, network, hugo


def test_the_report_and_its_proposals(alice, strained):
    ana, network, hugo = strained
    network_circle = Circle.objects.get(owner=alice, name="Network")
    report = pace.pace_report(alice)
    assert report == {
        "date": "2026-06-15", "load": 0.09, "close_load": 0.03,
        "pace": {"since": "2026-04-20", "until": "2026-06-14", "days": 56, "pings": 4, "per_day": 0.07, "opened": 8,
                 "per_open_day": 0.5},
        "pace_before": {"since": "2026-04-06", "until": "2026-05-31", "days": 56, "pings": 3, "per_day": 0.05,
                        "opened": 8, "per_open_day": 0.38},
        "enough_use": True, "strained": True, "target": 0.06, "catch_up": None,
        "proposals": [
            {"id": f"untrack-{hugo.pk}", "kind": "untrack", "target": {"id": hugo.pk, "name": "Hugo"},
             "from_days": 180, "to_days": None, "people": 1, "saving": 0.01, "streak": 3},
            {"id": f"circle-{network_circle.pk}-365", "kind": "circle",
             "target": {"id": network_circle.pk, "name": "Network"}, "from_days": 180, "to_days": 365, "people": 10,
             "saving": 0.03, "streak": 0},
        ],
        "load_after": 0.06, "target_reached": False,
    }
    # The load from today's kept checkups is the engine's over everyone.
    assert report["load"] == round(engine.load(load_people(alice), TODAY), 2)
    # Reading the report changes nothing.
    assert Circle.objects.get(pk=network_circle.pk).cadence_days == 180


def test_accepting_one_proposal_or_all(alice, strained):
    """GIVEN two proposals WHEN one is accepted, then all that are left THEN each change is made once, and only it."""
    ana, network, hugo = strained
    network_circle = Circle.objects.get(owner=alice, name="Network")
    applied = pace.apply_proposals(alice, [f"untrack-{hugo.pk}"])
    assert [p["id"] for p in applied] == [f"untrack-{hugo.pk}"]
    # Hugo is untracked: no cadence of his own, out of Network, the circle that tracked him.
    hugo.refresh_from_db()
    assert hugo.cadence_days is None and not Membership.objects.filter(person=hugo).exists()
    assert Circle.objects.get(pk=network_circle.pk).cadence_days == 180
    # The load still stays above the pace: the circle is proposed again, and "all" accepts it.
    assert [p["id"] for p in pace.apply_proposals(alice)] == [f"circle-{network_circle.pk}-365"]
    assert Circle.objects.get(pk=network_circle.pk).cadence_days == 365
    assert list(Membership.objects.filter(person=ana).values_list("circle__name", "circle__cadence_days")) == [
        ("Family", 30)]
    # Now the load (1/30 + 10/365 ≈ 0.06) is below the pace (0.07): nothing more to propose.
    assert pace.pace_report(alice)["strained"] is False
    with pytest.raises(UserError, match="Nothing to apply"):
        pace.apply_proposals(alice)


def test_accepting_the_circle_first_makes_the_rest_unneeded(alice, strained):
    ana, network, hugo = strained
    network_circle = Circle.objects.get(owner=alice, name="Network")
    pace.apply_proposals(alice, [f"circle-{network_circle.pk}-365"])
    assert Membership.objects.filter(person=hugo).exists()
    assert pace.pace_report(alice)["proposals"] == []  # 1/30 + 11/365 ≈ 0.06: it fits


def test_an_unknown_proposal_changes_nothing(alice, bob, strained):
    ana, network, hugo = strained
    with pytest.raises(NotFound, match="No proposal circle-999-365 today"):
        pace.apply_proposals(alice, [f"untrack-{hugo.pk}", "circle-999-365"])
    assert Membership.objects.filter(person=hugo).exists()  # the valid one was not applied either
    with pytest.raises(NotFound, match="^No proposal x{40} today"):  # a long id is cut in the message
        pace.apply_proposals(alice, ["x" * 5000])
    # Bob has no proposal of alice's.
    with pytest.raises(NotFound):
        pace.apply_proposals(bob, [f"untrack-{hugo.pk}"])
    assert pace.pace_report(bob)["proposals"] == []


# -- Back from holiday ---------------------------------------------------------------------------


@pytest.fixture
def back_home(alice, person, ping):
    """The docs' example: away from 30 May to 14 June, after 42 pings on 21 days of use since 20 April."""
    ana = person("Ana", circles=["Family"])
    Circle.objects.filter(owner=alice, name="Family").update(cadence_days=30)
    ping(ana, "2026-04-06", direction="both")
    jeanne = person("Jeanne", circles=["Family"])
    ping(jeanne, "2026-05-01", direction="both")
    ping(jeanne, "2026-06-05", direction="in")
    farid = person("Farid", circles=["Family"])
    ping(farid, "2026-04-20", direction="both")
    emma = person("Emma")
    ping(emma, "2026-06-10", direction="in")
    helper = person("Someone you pinged")  # untracked: your pings of the last weeks go to them
    days = [date(2026, 4, 20) + timedelta(days=k) for k in range(0, 40, 2)]
    Interaction.objects.bulk_create([  # 40 pings, and your meetings with Farid and Jeanne: 42
        Interaction(owner=alice, person=helper, at=datetime.combine(day, datetime.min.time(), tzinfo=PARIS)
                    + timedelta(hours=hour), direction="out") for day in days for hour in (9, 10)])
    opened_on(alice, *days)
    opened_on(alice, date(2026, 5, 29), overdue=1)  # only Ana was overdue when you left
    return ana, jeanne, farid, emma


def test_back_from_holiday(alice, back_home):
    ana, jeanne, farid, emma = back_home
    page = today_page(alice, opened=True)
    catch_up = {"since": "2026-06-15", "away_days": 16, "before": 1, "overdue": 2, "behind": 1, "per_day": 2,
                "days": 2}
    assert page["catch_up"] == catch_up  # 1 ÷ 0.75 a day, rounded up
    # Two a day, your usual; replies owed first within each band: Jeanne before Ana, Farid tomorrow.
    assert [(e["person"]["name"], e["band"], e["catch_up"]) for e in page["entries"]] == [
        ("Jeanne", "close", catch_up), ("Ana", "close", catch_up)]
    assert Opening.objects.get(owner=alice, day=TODAY).overdue == 2
    # The plan for the next lists: the whole ranking, two at a time.
    plan = today_page(alice, lists=7)["entries"]
    assert [e["person"]["name"] for e in plan] == ["Jeanne", "Ana", "Farid", "Emma"]


def test_not_catching_up_after_a_short_absence(alice, back_home):
    opened_on(alice, date(2026, 6, 1), date(2026, 6, 4), date(2026, 6, 7), date(2026, 6, 10))  # never a week away
    page = today_page(alice, opened=True)
    assert page["catch_up"] is None
    assert [e["person"]["name"] for e in page["entries"]][:3] == ["Ana", "Jeanne", "Farid"]


def test_planning_ahead_neither_counts_as_use_nor_catches_up(alice, back_home):
    page = today_page(alice, date(2026, 6, 16), opened=True)
    assert (page["catch_up"], page["pace"]) == (None, None)
    assert not Opening.objects.filter(owner=alice, day__gte=date(2026, 6, 15)).exists()


def test_a_catching_up_list_is_the_engines_over_everyone(alice, back_home):
    """GIVEN a return after days away WHEN Today is read from kept checkups THEN it is the engine's order over everyone."""
    from restons.engine.today import plan_today
    from restons.services.snapshot import load_world, with_content_sent

    page = today_page(alice, opened=True, lists=3)
    world, sent = load_world(alice, TODAY)
    everyone = with_content_sent(load_people(alice), sent)
    measured = pace.measure(alice, TODAY)
    catching = pace.catching_up(measured, TODAY, 5)
    expected = engine.catch_up_order(plan_today(everyone, world, 1000), catching, 3 * catching.per_day)
    assert [e["person"]["id"] for e in page["entries"]] == [e.person.id for e in expected]
