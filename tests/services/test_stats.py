"""``stats``: pledge adherence quarter by quarter, and who noticed your milestones."""

from __future__ import annotations

from datetime import date

import pytest

from restons.models import Interaction, Milestone
from restons.services import about
from restons.services.errors import UserError
from restons.services.planning import add_milestone, add_outcome, leave
from restons.services.stats import stats

from .conftest import local


@pytest.fixture
def october(frozen):
    frozen.move_to(local("2026-10-15"), tick=False)


@pytest.fixture
def pledge(alice, person, ping, october):
    """Left Acme on 10 January 2026 promising a ping every 30 days (grace 7) to Ana and Bruno.

    Ana: pinged 15 Jan, 20 Mar, 25 Jun, 1 Sep, 1 Oct.  Bruno: a ping before the pledge (not counted),
    then only 20 June, and one message from him on 14 October.
    Checked on each quarter's last day (15 October for the quarter under way):
        Q1 (31 Mar): Ana 11 days since 20 Mar → kept; Bruno nothing since the pledge, window closed → not
        Q2 (30 Jun): Ana 5 days → kept; Bruno 10 days → kept
        Q3 (30 Sep): Ana 29 days → kept; Bruno 102 days → not
        Q4 (15 Oct): Ana 14 days → kept; Bruno's own message yesterday → kept
    """
    ana, bruno = person("Ana Lopes"), person("Bruno Petit")
    for when in ("2026-01-15", "2026-03-20", "2026-06-25", "2026-09-01", "2026-10-01"):
        ping(ana, when)
    ping(bruno, "2025-12-01")
    ping(bruno, "2026-06-20")
    ping(bruno, "2026-10-14", direction="in")
    leave(alice, "Acme", date(2026, 1, 10), [ana, bruno], 30)
    return ana, bruno


def test_pledge_adherence_over_several_quarters(alice, pledge):
    (report,) = stats(alice)["pledges"]

    assert {key: report[key] for key in ("org", "on", "people", "cadence_days")} == {
        "org": "Acme", "on": "2026-01-10", "people": 2, "cadence_days": 30,
    }
    assert report["quarters"] == [
        {"quarter": "2026-Q1", "kept": 1, "people": 2},
        {"quarter": "2026-Q2", "kept": 2, "people": 2},
        {"quarter": "2026-Q3", "kept": 1, "people": 2},
        {"quarter": "2026-Q4", "kept": 2, "people": 2},
    ]
    assert report["adherence"] == 0.75  # (0.5 + 1 + 0.5 + 1) / 4


def test_pledge_adherence_as_of_an_earlier_date_ignores_later_pings(alice, pledge):
    """On 20 January the first-ping window (until 24 January) is still open: nothing is counted yet."""
    (early,) = stats(alice, date(2026, 1, 20))["pledges"]
    assert {k: early[k] for k in ("adherence", "quarters", "pending", "pinged", "days_left", "first_ping_by")} == {
        "adherence": None, "quarters": [], "pending": 1, "pinged": 1, "days_left": 4, "first_ping_by": "2026-01-24",
    }
    # On 31 March only Q1 counts: Ana kept, Bruno not.
    (march,) = stats(alice, date(2026, 3, 31))["pledges"]
    assert (march["adherence"], march["pending"], march["pinged"], march["days_left"]) == (0.5, 0, None, None)


def test_a_pledge_made_today_is_in_progress_not_kept(alice, person, october):
    """GIVEN five people pledged a minute ago, one of whom wrote to you today
    WHEN  stats runs
    THEN  nothing is counted: 0 of 5 pinged (their message is not your ping), 14 days left.
    """
    people = [person(name) for name in ("Ana Lopes", "Bruno Petit", "Chloé Roux", "David Blanc", "Emma Garnier")]
    from restons.services.interactions import log_ping

    log_ping(alice, people[0], direction="in")
    leave(alice, "Acme", None, people, None)

    (report,) = stats(alice)["pledges"]

    assert {k: report[k] for k in ("people", "adherence", "quarters", "pending", "pinged", "days_left")} == {
        "people": 5, "adherence": None, "quarters": [], "pending": 5, "pinged": 0, "days_left": 14,
    }
    from restons.labels import pledge_progress
    assert pledge_progress(report) == "in progress: 0 of 5 pinged, 14 days left"
    assert pledge_progress({**report, "days_left": 1}) == "in progress: 0 of 5 pinged, 1 day left"
    assert pledge_progress({**report, "days_left": 0}) == "in progress: 0 of 5 pinged, last day"


def test_a_pledge_without_people_or_pings(alice, october):
    leave(alice, "Old Co", date(2026, 9, 1), [], None)

    (report,) = stats(alice)["pledges"]

    assert (report["people"], report["cadence_days"], report["adherence"]) == (0, 90, 1.0)  # window closed 15 Sept


@pytest.fixture
def milestone(alice, person, ping, frozen):
    """Your milestone on 1 May 2026 and who wrote to you around it."""
    add_milestone(alice, "Ten years of my business", date(2026, 5, 1), None, False)
    people = {name: person(name) for name in ("Ana Lopes", "Bruno Petit", "Chloé Roux", "David Blanc",
                                              "Emma Garnier", "Farid Haddad")}
    ping(people["Ana Lopes"], "2026-05-10 09:00", direction="in", note="Congrats!")  # suggested
    ping(people["Ana Lopes"], "2026-05-12 09:00", direction="in")  # her first message is the suggestion
    ping(people["Bruno Petit"], "2026-05-31 22:30", direction="in")  # day 30, late evening in Paris: suggested
    ping(people["Chloé Roux"], "2026-06-01 00:30", direction="in")  # day 31 in Paris: too late
    ping(people["David Blanc"], "2026-05-05 09:00", direction="out")  # you wrote: not noticing
    ping(people["Emma Garnier"], "2026-04-30 23:30", direction="in")  # the day before
    ping(people["Farid Haddad"], "2026-05-01 00:15", direction="in")  # the day itself, just after midnight
    return people


def suggested(item):
    return [(s["name"], s["at"][:16]) for s in item["suggested"]]


def test_inbound_pings_within_30_days_after_your_milestone_are_only_suggestions(alice, milestone):
    (noticed,) = stats(alice)["noticed"]

    assert (noticed["title"], noticed["on"], noticed["people"]) == ("Ten years of my business", "2026-05-01", [])
    assert suggested(noticed) == [  # the soonest after the milestone first
        ("Farid Haddad", "2026-05-01T00:15"), ("Ana Lopes", "2026-05-10T09:00"), ("Bruno Petit", "2026-05-31T22:30"),
    ]
    assert noticed["suggested"][1]["summary"] == "Congrats!"


def test_who_noticed_is_who_pinged_about_it_and_confirming_a_suggestion_links_it(alice, milestone, ping, frozen):
    """GIVEN Chloé's late message linked to the milestone, and the suggestions above
    WHEN  you confirm Ana's and dismiss Bruno's
    THEN  Ana and Chloé noticed; only Farid is still suggested.
    """
    ten_years = Milestone.objects.get(title="Ten years of my business")
    chloe_late = ping(milestone["Chloé Roux"], "2026-06-10 09:00", direction="in", about=ten_years)
    ping(milestone["David Blanc"], "2026-05-06 09:00", direction="out", about=ten_years)  # you told David: not noticing

    about.confirm_noticed(alice, ten_years, milestone["Ana Lopes"])
    about.dismiss_noticed(alice, ten_years, milestone["Bruno Petit"])

    (noticed,) = stats(alice)["noticed"]
    assert noticed["people"] == [{"id": milestone["Ana Lopes"].id, "name": "Ana Lopes"},
                                 {"id": milestone["Chloé Roux"].id, "name": "Chloé Roux"}]
    assert suggested(noticed) == [("Farid Haddad", "2026-05-01T00:15")]
    assert Interaction.objects.get(summary="Congrats!").milestone == ten_years
    assert chloe_late.milestone == ten_years
    with pytest.raises(UserError, match="Ana Lopes is already among those who noticed"):
        about.confirm_noticed(alice, ten_years, milestone["Ana Lopes"])
    with pytest.raises(UserError, match="Nothing from Bruno Petit to confirm"):
        about.dismiss_noticed(alice, ten_years, milestone["Bruno Petit"])
    with pytest.raises(UserError, match="Nothing from Emma Garnier"):
        about.confirm_noticed(alice, ten_years, milestone["Emma Garnier"])


def test_noticed_ignores_their_milestones_and_yours_outside_the_window(alice, milestone):
    add_milestone(alice, "Ana's birthday", date(2026, 5, 2), milestone["Ana Lopes"], True)
    add_milestone(alice, "Left the agency", date(2025, 6, 1), None, False)  # more than 365 days ago

    assert [n["title"] for n in stats(alice)["noticed"]] == ["Ten years of my business"]


def test_a_yearly_milestone_of_yours_is_checked_on_its_latest_anniversary(alice, person, ping, frozen):
    """Last year's congratulations do not count for this year; a dismissal holds for one year only."""
    birthday = add_milestone(alice, "Company birthday", date(2020, 6, 1), None, True)
    ana, bruno = person("Ana Lopes"), person("Bruno Petit")
    ping(ana, "2025-06-03", direction="in", about=birthday)
    ping(bruno, "2025-06-02", direction="in")
    frozen.move_to(local("2025-06-10"), tick=False)
    about.dismiss_noticed(alice, birthday, bruno)
    frozen.move_to(local("2026-06-15"), tick=False)
    ping(ana, "2026-06-03", direction="in")
    ping(bruno, "2026-06-04", direction="in")

    (noticed,) = stats(alice)["noticed"]

    assert (noticed["on"], noticed["people"]) == ("2026-06-01", [])
    assert [s["name"] for s in noticed["suggested"]] == ["Ana Lopes", "Bruno Petit"]
    assert stats(alice, date(2025, 6, 15))["noticed"][0]["people"] == [{"id": ana.id, "name": "Ana Lopes"}]
    assert stats(alice, date(2025, 6, 15))["noticed"][0]["suggested"] == []


def test_stats_counts_people_status_reciprocity_and_outcomes(alice, person, ping, frozen):
    overdue = person("Bruno Petit", cadence_days=30)
    ping(overdue, "2026-04-01")
    mutual = person("Chloé Roux", cadence_days=30)
    ping(mutual, "2026-06-01", direction="both")
    dormant = person("Dan Old", cadence_days=30)
    ping(dormant, "2025-01-01", direction="in")
    ping(dormant, "2025-01-02")
    person("Eve Untracked")
    add_outcome(alice, mutual, "meetup", None)
    add_outcome(alice, mutual, "friendship", date(2026, 1, 1))

    result = stats(alice)

    assert result["people"] == 4
    assert result["status"] == {"on-track": 1, "due": 0, "overdue": 1, "dormant": 1, "untracked": 1}
    assert result["reciprocity"] == {"mutual": 1, "you-carry": 1, "they-carry": 0, "silent": 2}
    assert result["outcomes"] == {"referral-given": 0, "referral-received": 0, "client": 0, "job-lead": 0,
                                  "intro": 0, "meetup": 1, "collaboration": 0, "friendship": 1}
    assert result["pledges"] == [] and result["noticed"] == []
