"""Who noticed your milestones."""

from __future__ import annotations

from datetime import date

from restons.engine.calendar import anniversary, last_occurrence, next_occurrence
from restons.engine.noticed import NOTICE_DAYS, Ping, counts_for, noticed, occurrences_in_window
from restons.engine.state import MilestoneInfo

TEACHING = MilestoneInfo("First semester teaching", date(2026, 1, 10), id=1)
BUSINESS = MilestoneInfo("Ten years of my business", date(2016, 3, 10), yearly=True, id=2)


def ping(pid, name, day, about=None, id=None, summary=""):
    return Ping(id or pid * 100 + day.toordinal() % 100, pid, name, day, summary, about)


def test_who_noticed_is_who_pinged_about_it():
    """Only pings linked to the milestone count, whatever their date; each person once."""
    linked = [
        ping(1, "Camille Martin", date(2026, 1, 12), about=1),
        ping(1, "Camille Martin", date(2026, 3, 1), about=1),  # twice: listed once
        ping(2, "Bruno Petit", date(2026, 3, 20), about=1),  # long after: a link is a link
        ping(3, "Ana Lopes", date(2026, 1, 11), about=2),  # about another milestone
    ]
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], linked, [])
    assert (result.milestone_id, result.title, result.on) == (1, "First semester teaching", date(2026, 1, 10))
    assert result.people == ((2, "Bruno Petit"), (1, "Camille Martin"))
    assert result.suggested == ()


def test_inbound_pings_within_30_days_are_suggestions_never_counted():
    assert NOTICE_DAYS == 30
    inbound = [
        ping(1, "Camille Martin", date(2026, 1, 10), id=11),  # same day
        ping(1, "Camille Martin", date(2026, 1, 20), id=12),  # twice: her first is the suggestion
        ping(2, "Bruno Petit", date(2026, 2, 9), id=21),  # 30 days after
        ping(3, "Ana Lopes", date(2026, 2, 10), id=31),  # 31 days after
        ping(4, "David Blanc", date(2026, 1, 9), id=41),  # the day before
        ping(5, "Emma Garnier", date(2026, 1, 15), id=51),  # already linked: not suggested
    ]
    linked = [ping(5, "Emma Garnier", date(2026, 1, 14), about=1)]
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], linked, inbound)
    assert result.people == ((5, "Emma Garnier"),)
    # The soonest after the milestone first: a message on the day is the likeliest to be about it.
    assert [(p.id, p.name) for p in result.suggested] == [(11, "Camille Martin"), (21, "Bruno Petit")]


def test_suggestions_of_one_day_come_by_name():
    inbound = [ping(2, "Bruno Petit", date(2026, 1, 12), id=21), ping(1, "Ana Lopes", date(2026, 1, 12), id=11),
               ping(3, "Chloé Roux", date(2026, 1, 11), id=31)]
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], [], inbound)
    assert [p.name for p in result.suggested] == ["Chloé Roux", "Ana Lopes", "Bruno Petit"]


def test_a_dismissed_suggestion_is_not_suggested_again_for_that_occurrence():
    inbound = [ping(1, "Camille Martin", date(2026, 3, 12), id=11)]
    occurrence = [(BUSINESS, date(2026, 3, 10))]
    assert [p.id for p in noticed(occurrence, [], inbound)[0].suggested] == [11]
    assert noticed(occurrence, [], inbound, {(2, 1, date(2026, 3, 10))})[0].suggested == ()
    assert [p.id for p in noticed(occurrence, [], inbound, {(2, 1, date(2025, 3, 10))})[0].suggested] == [11]


def test_a_yearly_milestone_counts_the_pings_about_its_nearest_occurrence():
    """Pings about last year's anniversary do not count for this year's; an early one does."""
    linked = [
        ping(1, "Camille Martin", date(2025, 3, 12), about=2),  # last year
        ping(2, "Bruno Petit", date(2026, 3, 8), about=2),  # two days early
        ping(3, "Ana Lopes", date(2025, 9, 10), about=2),  # 181 days before: nearer this year's
        ping(4, "David Blanc", date(2025, 9, 9), about=2),  # 182 days before: last year's
    ]
    (result,) = noticed([(BUSINESS, date(2026, 3, 10))], linked, [])
    assert result.people == ((3, "Ana Lopes"), (2, "Bruno Petit"))
    assert counts_for(date(2020, 1, 1), date(2026, 1, 10), yearly=False)


def test_nobody_noticed():
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], [], [])
    assert result.people == () and result.suggested == ()


def test_occurrences_in_window():
    business = MilestoneInfo("Ten years of my business", date(2016, 3, 10), yearly=True)
    old = MilestoneInfo("Old news", date(2024, 6, 1))
    future = MilestoneInfo("Book launch", date(2026, 9, 1))
    today = date(2026, 3, 16)
    found = occurrences_in_window([business, old, future, TEACHING], today, 365)
    assert [(m.title, when) for m, when in found] == [
        ("First semester teaching", date(2026, 1, 10)),
        ("Ten years of my business", date(2026, 3, 10)),  # the latest occurrence only
    ]
    # The window is (today - 365, today]: 16 March 2025 is out, 17 March 2025 is in.
    assert occurrences_in_window([MilestoneInfo("x", date(2025, 3, 16))], today, 365) == []
    assert len(occurrences_in_window([MilestoneInfo("x", date(2025, 3, 17))], today, 365)) == 1


def test_yearly_dates_and_29_february():
    leap = date(2024, 2, 29)
    assert anniversary(leap, 2025) == date(2025, 2, 28)
    assert anniversary(leap, 2028) == date(2028, 2, 29)
    assert next_occurrence(leap, True, date(2025, 3, 1)) == date(2026, 2, 28)
    assert next_occurrence(leap, True, date(2027, 3, 1)) == date(2028, 2, 29)
    assert last_occurrence(leap, True, date(2025, 2, 28)) == date(2025, 2, 28)
    assert last_occurrence(leap, True, date(2025, 2, 27)) == date(2024, 2, 29)
    assert next_occurrence(date(2020, 12, 31), True, date(2026, 1, 1)) == date(2026, 12, 31)
    assert last_occurrence(date(2020, 12, 31), True, date(2026, 1, 1)) == date(2025, 12, 31)
    assert next_occurrence(date(2026, 5, 1), False, date(2026, 5, 2)) is None
    assert last_occurrence(date(2026, 5, 1), True, date(2026, 4, 30)) is None


def test_the_example_of_the_docs():
    """docs/engine.md § Who noticed: Camille's linked message counts, Bruno's day-30 one is suggested, Ana's is late."""
    linked = [ping(1, "Camille Martin", date(2026, 1, 12), about=1, summary="Congrats on the course!")]
    inbound = [ping(2, "Bruno Petit", date(2026, 2, 9), id=21), ping(3, "Ana Lopes", date(2026, 2, 10), id=31)]
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], linked, inbound)
    assert result.people == ((1, "Camille Martin"),)
    assert [p.name for p in result.suggested] == ["Bruno Petit"]
    (dismissed,) = noticed([(TEACHING, date(2026, 1, 10))], linked, inbound, {(1, 2, date(2026, 1, 10))})
    assert dismissed.suggested == ()
