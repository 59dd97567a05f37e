"""Who noticed your milestones."""

from __future__ import annotations

from datetime import date

from restons.engine.calendar import anniversary, last_occurrence, next_occurrence
from restons.engine.noticed import NOTICE_DAYS, noticed, occurrences_in_window
from restons.engine.state import MilestoneInfo

TEACHING = MilestoneInfo("First semester teaching", date(2026, 1, 10))


def test_inbound_within_30_days_after_same_day_included():
    assert NOTICE_DAYS == 30
    inbound = [
        (1, "Camille Martin", date(2026, 1, 10)),  # same day
        (2, "Bruno Petit", date(2026, 2, 9)),  # 30 days after
        (3, "Ana Lopes", date(2026, 2, 10)),  # 31 days after
        (4, "David Blanc", date(2026, 1, 9)),  # the day before
        (1, "Camille Martin", date(2026, 1, 20)),  # twice: listed once
    ]
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], inbound)
    assert result.title == "First semester teaching"
    assert result.on == date(2026, 1, 10)
    assert result.people == ((2, "Bruno Petit"), (1, "Camille Martin"))


def test_nobody_noticed():
    (result,) = noticed([(TEACHING, date(2026, 1, 10))], [])
    assert result.people == ()


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
