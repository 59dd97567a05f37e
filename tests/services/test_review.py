"""The review of a hand-built year (tests/services/year.py): every section's numbers, exactly."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from restons.models import KeptReview
from restons.services.errors import UserError
from restons.services.interactions import log_ping
from restons.services.review import compute, period_for, review
from restons.services.about import noticed_report
from restons.services.stats import pledge_report

from .year import at, build_year

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def year(alice):
    return build_year(alice)


def ids(people, *names):
    return [people[name].id for name in names]


def test_the_period_and_the_people_counted(alice, year):
    data = review(alice, 2025)
    assert data["period"] == {"kind": "year", "year": 2025, "start": "2025-01-01", "end": "2025-12-31",
                              "middle": "2025-07-01"}
    assert data["window_days"] == 365
    assert data["people"] == 7  # Zoé is archived
    assert data["reciprocity"] == {"mutual": 2, "you-carry": 1, "they-carry": 2, "silent": 2}
    assert data["totals"] == {"in": 5, "out": 8, "together": 1, "people_in_touch": 5}


def test_who_stayed_carried_went_quiet_came_back_or_is_new(alice, year):
    data = review(alice, 2025)

    def section(name):
        return data[name]["count"], [(p["name"], p["in"], p["out"]) for p in data[name]["people"]]

    assert section("stayed") == (1, [("Camille Martin", 2, 4)])
    assert section("you_carried") == (1, [("Noah Bennett", 0, 3)])
    assert section("they_carried") == (2, [("Inès Laurent", 1, 0), ("Oliver Grant", 1, 0)])
    assert section("went_quiet") == (1, [("Hugo Moreau", 0, 0)])
    assert data["went_quiet"]["people"][0]["last_touch"] == "2024-12-01"
    assert section("came_back") == (1, [("Léa Dubois", 1, 1)])
    assert data["came_back"]["people"][0]["silent_since"] == "2023-06-01"
    assert section("new") == (3, [("Noah Bennett", 0, 3), ("Inès Laurent", 1, 0), ("Maya Patel", 0, 0)])
    assert [p["since"] for p in data["new"]["people"]] == ["2025-03-01", "2025-10-20", "2025-07-01"]
    assert [p["id"] for p in data["stayed"]["people"]] == ids(year, "camille")


def test_pings_per_month_in_local_time_and_who_reached_out_first(alice, year):
    """GIVEN pings in Paris at 00:30 on 1 January 2025 (still 2024 in UTC), 23:30 on 31 December 2025,
    and 00:30 on 1 January 2026 (still 2025 in UTC)
    THEN the first two count in January and December 2025, the third not at all; and Camille's message
    of 28 December 2024 makes her 1 January ping part of that conversation, not a new one."""
    data = review(alice, 2025)
    months = {m["month"]: (m["in"], m["out"], m["together"]) for m in data["months"]}
    assert list(months) == [f"2025-{n:02d}" for n in range(1, 13)]
    assert months == {
        "2025-01": (0, 1, 0), "2025-02": (1, 1, 0), "2025-03": (0, 2, 0), "2025-04": (1, 1, 0),
        "2025-05": (1, 1, 0), "2025-06": (0, 0, 0), "2025-07": (0, 0, 0), "2025-08": (0, 0, 0),
        "2025-09": (1, 1, 1), "2025-10": (1, 0, 0), "2025-11": (0, 0, 0), "2025-12": (0, 1, 0),
    }
    first = {m["month"]: m["first_move"] for m in data["months"] if any(m["first_move"].values())}
    assert first == {
        "2025-02": {"you": 1, "them": 0, "together": 0}, "2025-03": {"you": 2, "them": 0, "together": 0},
        "2025-04": {"you": 0, "them": 1, "together": 0}, "2025-05": {"you": 1, "them": 1, "together": 0},
        "2025-09": {"you": 0, "them": 0, "together": 1}, "2025-10": {"you": 0, "them": 1, "together": 0},
        "2025-12": {"you": 1, "them": 0, "together": 0},
    }
    assert data["first_move"] == {"you": 5, "them": 3, "together": 1}
    assert data["months"][1]["channels"] == {"email": {"in": 1, "out": 1}}
    assert data["channels"] == {"email": {"in": 3, "out": 2}, "text": {"in": 1, "out": 4},
                                "meeting": {"in": 1, "out": 1}, "newsletter": {"in": 0, "out": 1}}


def test_openers_by_the_database_match_the_engine_rule(alice, year):
    """The window function in SQL and ``engine.review.openers`` agree on the same interactions."""
    from restons.engine.review import openers
    from restons.models import Interaction

    expected = {"you": 0, "them": 0, "together": 0}
    names = {"out": "you", "in": "them", "both": "together"}
    for person in year.values():
        if person.name == "Zoé Lefèvre":
            continue
        touches = [(i.at, i.direction) for i in Interaction.objects.filter(person=person)]
        for moment, direction in openers(touches):
            if at("2025-01-01 00:00") <= moment < at("2026-01-01 00:00"):
                expected[names[direction]] += 1
    assert review(alice, 2025)["first_move"] == expected


def test_milestones_are_who_noticed_over_the_period(alice, year):
    data = review(alice, 2025)
    assert [(m["title"], m["on"]) for m in data["milestones"]] == [("Birthday", "2025-03-05"),
                                                                    ("Ten years of the studio", "2025-10-01")]
    report = noticed_report(alice, date(2025, 12, 31), 365)
    assert [(m["title"], m["on"], m["people"]) for m in data["milestones"]] == [
        (m["title"], m["on"], m["people"]) for m in report]
    assert [m["people_count"] for m in data["milestones"]] == [0, 1]
    assert [p["name"] for p in data["milestones"][1]["people"]] == ["Inès Laurent"]
    assert data["milestones"][0]["people"] == []


def test_content_and_who_engaged(alice, year):
    data = review(alice, 2025)
    assert [(c["title"], c["on"], c["kind"], [p["name"] for p in c["engaged"]], c["engaged_count"], c["sent"])
            for c in data["content"]] == [("Issue 7", "2025-05-01", "newsletter", ["Oliver Grant"], 1, 1)]


def test_pledges_adherence_per_quarter_and_who_is_still_in_touch(alice, year):
    """Lumen (1 March 2025, 90 days + 22 of grace) names Camille, Noah and Hugo:
    Q1 (31 Mar) Noah 11 days since 20 Mar; Q2 (30 Jun) Noah 59 days since 2 May; Q3 (30 Sep) Camille
    25 days since 5 Sep; Q4 (31 Dec) Camille the same day. One of three every quarter: 1/3."""
    data = review(alice, 2025)
    assert [p["org"] for p in data["pledges"]] == ["Lumen"]  # Northwind (2026) is after the period
    lumen = data["pledges"][0]
    assert [(q["quarter"], q["kept"], q["people"]) for q in lumen["quarters"]] == [
        ("2025-Q1", 1, 3), ("2025-Q2", 1, 3), ("2025-Q3", 1, 3), ("2025-Q4", 1, 3),
    ]
    assert lumen["adherence"] == pledge_report(alice, date(2025, 12, 31))[0]["adherence"]
    assert [(p["name"], p["in"], p["out"]) for p in lumen["still_in_touch"]] == [("Camille Martin", 2, 4),
                                                                                ("Noah Bennett", 0, 3)]
    assert [p["name"] for p in lumen["not_in_touch"]] == ["Hugo Moreau"]


def test_outcomes_and_the_relationships_behind_them(alice, year):
    data = review(alice, 2025)
    assert data["outcomes"]["counts"] == {"referral-given": 0, "referral-received": 0, "client": 1, "job-lead": 0,
                                          "intro": 0, "meetup": 0, "collaboration": 0, "friendship": 0}
    assert data["outcomes"]["items"] == [{
        "kind": "client", "at": "2025-05-20", "note": "Brought the Acme account",
        "person": {"id": year["oliver"].id, "name": "Oliver Grant"}, "known_since": "2024-06-01", "in": 1, "out": 0,
    }]


def test_the_relationships_that_grew_and_faded_most(alice, year):
    """Strength on 31 December 2024 and on 31 December 2025 (docs/review.md has each computation)."""
    data = review(alice, 2025)
    assert [(e["name"], e["before"], e["after"], e["delta"], e["why"]) for e in data["grew"]] == [
        ("Léa Dubois", 3, 41, 38, {"kind": "reciprocity", "in_before": 0, "out_before": 0, "in_after": 1,
                                   "out_after": 1}),
        ("Inès Laurent", 0, 35, 35, {"kind": "new", "first_touch": "2025-10-20"}),
        ("Noah Bennett", 0, 25, 25, {"kind": "new", "first_touch": "2025-03-01"}),
    ]
    assert [(e["name"], e["before"], e["after"], e["delta"], e["why"]) for e in data["faded"]] == [
        ("Hugo Moreau", 55, 2, -53, {"kind": "recency", "last_touch": "2024-12-01"}),
        ("Oliver Grant", 41, 27, -14, {"kind": "reciprocity", "in_before": 1, "out_before": 1, "in_after": 1,
                                       "out_after": 0}),
    ]


def test_camilles_strength_before_and_after_as_the_worked_example_computes_it(alice, year, monkeypatch):
    """docs/review.md § Worked example: 63 on 31 December 2024, 72 on 31 December 2025, frequency moved most."""
    from restons.services import review as module

    monkeypatch.setattr(module, "TOP", 10)
    grew = {e["name"]: e for e in compute(alice, period_for(2025), 365)["grew"]}
    assert (grew["Camille Martin"]["before"], grew["Camille Martin"]["after"]) == (63, 72)
    assert grew["Camille Martin"]["why"] == {"kind": "frequency", "in_before": 1, "out_before": 1, "in_after": 2,
                                             "out_after": 4}


def test_the_last_12_months_run_from_this_month_a_year_ago(alice, year):
    data = review(alice)
    assert data["period"] == {"kind": "last-12-months", "year": None, "start": "2025-07-01", "end": "2026-06-15",
                              "middle": "2026-01-01"}
    assert [m["month"] for m in data["months"]][::11] == ["2025-07", "2026-06"]
    january = next(m for m in data["months"] if m["month"] == "2026-01")
    assert (january["in"], january["out"]) == (1, 0)  # Camille, 00:30 on New Year's Day in Paris
    assert [p["name"] for p in data["stayed"]["people"]] == ["Camille Martin"]  # Sep and Dec, then Jan


def test_a_year_out_of_range_is_refused(alice):
    for year in (0, 1899, 2027, 99999):
        with pytest.raises(UserError, match="out of range"):
            review(alice, year)
    assert period_for(2026).end == date(2026, 6, 15)  # the year under way ends today


def test_a_review_is_kept_until_something_changes(alice, year):
    """GIVEN a computed review WHEN it is asked again THEN one query answers; WHEN a ping is logged
    THEN the kept review is dropped and the next one counts the ping."""
    first = review(alice, 2025)
    with CaptureQueriesContext(connection) as captured:
        assert review(alice, 2025) == first
    assert len(captured.captured_queries) == 1
    log_ping(alice, year["maya"], direction="in", at=at("2025-08-01"))
    assert not KeptReview.objects.filter(owner=alice).exists()
    assert review(alice, 2025)["totals"]["in"] == first["totals"]["in"] + 1


def test_the_periods_under_way_are_kept_side_by_side_until_the_next_day(alice, year, frozen):
    review(alice)
    review(alice, 2026)
    review(alice, 2025)
    assert KeptReview.objects.filter(owner=alice).count() == 3
    frozen.move_to(at("2026-06-16 09:00"), tick=False)
    review(alice)  # a new day: yesterday's "so far" reviews go, the past year stays
    assert sorted(KeptReview.objects.filter(owner=alice).values_list("current", flat=True)) == [False, True]


def test_archiving_and_deleting_a_person_drop_kept_reviews(alice, year):
    from restons.services.people import PersonInput, edit_person

    review(alice, 2025)
    edit_person(alice, year["camille"], PersonInput(archived=True))
    assert review(alice, 2025)["stayed"]["count"] == 0
    year["noah"].delete()
    assert review(alice, 2025)["you_carried"]["count"] == 0


def test_another_owner_sees_nothing_of_it(alice, bob, year):
    data = review(bob, 2025)
    assert data["people"] == 0 and data["totals"] == {"in": 0, "out": 0, "together": 0, "people_in_touch": 0}
    assert all(data[name]["count"] == 0 for name in ("stayed", "you_carried", "they_carried", "went_quiet",
                                                     "came_back", "new"))
    assert data["pledges"] == [] and data["content"] == [] and data["milestones"] == []
    assert data["outcomes"]["items"] == [] and data["grew"] == [] and data["faded"] == []


# -- a fixed number of queries ---------------------------------------------------------------------------


@pytest.fixture
def network(alice, person, ping):
    """``network(n)``: n more people, each with everything a per-person query could fetch."""
    from restons.services.planning import add_content, add_milestone, add_outcome, leave

    add_milestone(alice, "New job", date(2025, 6, 10), None, False)
    content = add_content(alice, "Issue 42", date(2025, 6, 12), "newsletter", ["football"])
    made = []

    def build(count: int) -> None:
        people = []
        for n in range(len(made), len(made) + count):
            someone = person(f"Person {n:03d}", circles=["Friends"], cadence_days=30 + n % 300,
                             met_on=date(2020, 1, 1))
            ping(someone, "2023-03-01", direction="in")        # an old touch: "came back" looks it up
            ping(someone, "2024-11-01", direction="out")
            ping(someone, "2025-03-01", direction="in", content=content)
            ping(someone, "2025-09-01", direction="both")
            add_outcome(alice, someone, "intro", date(2025, 4, 1))
            people.append(someone)
        made.extend(people)
        leave(alice, f"Acme {len(made)}", date(2025, 2, 1), people, None)

    return build


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_the_review_runs_the_same_queries_for_5_and_50_people(alice, network):
    network(5)
    few = queries(lambda: compute(alice, period_for(2025), 365))
    network(45)
    many = queries(lambda: compute(alice, period_for(2025), 365))
    assert compute(alice, period_for(2025), 365)["stayed"]["count"] == 50
    assert few == many
