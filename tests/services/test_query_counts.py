"""Today and the people list run a fixed number of queries, whatever the number of people."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from restons.models import Checkup
from restons.services.health import person_detail, person_list
from restons.services.planning import add_content, add_event, add_milestone, add_outcome, leave
from restons.services.pace import window_pings
from restons.services.today import today_list

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def network(alice, person, ping):
    """``network(n)``: n people, each with everything a per-person query could fetch, all overdue."""
    add_event(alice, "Cup final", date(2026, 6, 20), ["football"])
    add_content(alice, "Issue 42", date(2026, 6, 12), "newsletter", ["football"])
    add_milestone(alice, "New job", date(2026, 6, 10), None, False)

    made = []

    def build(count: int) -> None:
        people = []
        for n in range(len(made), len(made) + count):
            someone = person(f"Person {n:03d}", emails=[f"p{n}@example.com"], phones=[f"+3361234{n:04d}"],
                             interests=["football"], circles=["Friends"], orgs=["Acme"], cadence_days=30)
            ping(someone, "2026-03-01", direction="in")
            ping(someone, "2026-04-01")
            add_outcome(alice, someone, "intro", None)
            add_milestone(alice, "Birthday", date(1990, 6, 18), someone, True)
            people.append(someone)
        made.extend(people)
        leave(alice, "Acme", date(2026, 6, 1), people, None)

    return build


def queries(function) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return len(captured.captured_queries), result


def test_today_runs_the_same_queries_for_5_and_50_people(alice, network):
    network(5)
    window_pings(alice, date(2026, 6, 15))  # the day's pings for the pace are counted once, before
    few, entries = queries(lambda: today_list(alice, limit=100))
    assert len(entries) == 5

    network(45)
    many, entries = queries(lambda: today_list(alice, limit=100))

    assert len(entries) == 50
    assert few == many


def test_person_list_runs_the_same_queries_for_5_and_50_people(alice, network):
    network(5)
    few, rows = queries(lambda: person_list(alice))
    assert len(rows) == 5

    network(45)
    many, rows = queries(lambda: person_list(alice))

    assert len(rows) == 50
    assert few == many


def test_person_detail_does_not_grow_with_the_network(alice, network, person):
    network(5)
    someone = person("Zed Solo")
    few, _ = queries(lambda: person_detail(alice, someone))

    network(45)
    many, _ = queries(lambda: person_detail(alice, someone))

    assert few == many


def _all_plans(function) -> list[tuple[str, str]]:
    """(SQL, SQLite's plan) of every SELECT that ``function`` runs."""
    ran = []

    def keep(execute, sql, params, many, context):
        if not many and sql.startswith("SELECT"):
            ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        function()
    plans = []
    for sql, params in ran:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plans.append((sql, " | ".join(str(row[-1]) for row in cursor.fetchall())))
    return plans


def _plans_of_pings(function, table: str = "restons_interaction") -> list[str]:
    """SQLite's plan for each query on pings (or on ``table``) that ``function`` runs."""
    return [plan for sql, plan in _all_plans(function) if f'FROM "{table}"' in sql]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
def test_a_persons_pings_are_read_through_their_own_index(alice, network):
    """The Person page reads one person's pings in order (timeline, charts): from the person's index. Without
    ``id`` in it, SQLite kept the order by walking every ping of the owner by date (3.7 s at 1,000,000 pings)."""
    from restons.models import Person

    network(5)
    someone = Person.objects.filter(owner=alice).first()
    plans = _plans_of_pings(lambda: person_detail(alice, someone))
    assert plans
    for plan in plans:
        assert "interaction_person_activity (owner_id=? AND person_id=?" in plan, plan


def test_deleting_people_runs_the_same_queries_for_three_or_thirty(alice, network):
    """The cascade's signals must not forget checkups one row at a time (checkups.deferred)."""
    from restons.models import Person
    from restons.services.people import delete_people

    network(33)
    ids = list(Person.objects.filter(owner=alice).order_by("id").values_list("id", flat=True))

    with CaptureQueriesContext(connection) as few:
        delete_people(alice, ids[:3])
    with CaptureQueriesContext(connection) as many:
        delete_people(alice, ids[3:])

    assert len(many) == len(few)
    assert not Person.objects.filter(owner=alice).exists()


def test_catching_up_and_the_pace_report_run_the_same_queries_for_5_and_50_people(alice, network):
    """GIVEN a return after a week away WHEN Today and the pace (with its proposals) are read THEN the count is fixed."""
    from datetime import timedelta

    from restons.models import Opening
    from restons.services.pace import pace_report
    from restons.services.today import today_page

    for k in range(20):  # ten weeks of use, then away from 1 to 14 June
        Opening.objects.create(owner=alice, day=date(2026, 3, 23) + timedelta(days=3 * k), overdue=0)
    network(5)
    Opening.objects.create(owner=alice, day=date(2026, 6, 15), overdue=5)
    window_pings(alice, date(2026, 6, 15))  # the day's pings for the pace are counted once, before
    few, page = queries(lambda: today_page(alice, limit=100))
    assert page["catch_up"]["overdue"] == 5 and len(page["entries"]) == page["catch_up"]["per_day"]
    few_report, _ = queries(lambda: pace_report(alice))

    network(45)
    Opening.objects.filter(owner=alice, day=date(2026, 6, 15)).update(overdue=50)
    many, page = queries(lambda: today_page(alice, limit=100))
    assert page["catch_up"]["overdue"] == 50 and len(page["entries"]) == page["catch_up"]["per_day"]
    many_report, _ = queries(lambda: pace_report(alice))

    assert few == many
    assert few_report == many_report


def _plan(queryset) -> str:
    """SQLite's plan for ``queryset``, run with bound parameters as Django runs it."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
@pytest.mark.parametrize("sort,index", [("due", "checkup_owner_due"), ("strength", "checkup_owner_strength"),
                                        ("touch", "checkup_owner_touch"), ("name", "checkup_owner_name")])
def test_a_page_of_people_is_read_from_its_sort_index(alice, network, sort, index):
    """A page of 50 reads 50 index entries: no sort of every checkup (141 ms at 50,000 people)."""
    from restons.services import health

    network(5)
    ordered = health.checkups_of(alice, date(2026, 6, 15)).order_by(*health.ORDERS[sort])
    plan = _plan(ordered.values_list("person_id", flat=True)[:50])
    assert index in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
def test_todays_best_candidates_are_read_from_the_rank_index(alice, network):
    """Today's candidates are ranges of the (band, score) index, never a scan of the owner's checkups."""
    from restons.services import checkups
    from restons.services.today import best_candidates

    network(5)
    day = date(2026, 6, 15)
    checkups.ensure_current(alice, day)
    found = []
    ranked = [plan for sql, plan in _all_plans(lambda: found.extend(best_candidates(alice, day, 2)))
              if '"restons_checkup"' in sql and '"score"' in sql]
    assert found and ranked
    for plan in ranked:
        assert "checkup_owner_rank" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
def test_a_new_day_reads_pings_through_narrow_indexes(alice, network):
    """A user's SQLite database is never analysed: without statistics, the query for the content already
    sent (the owner and two pieces of content) took the owner-only index and read every ping: 1.9 s at
    1,000,000 pings on each new day. No query of a new day may read the owner's pings, or scan checkups."""
    from datetime import timedelta

    from restons.services import checkups

    network(5)
    add_content(alice, "Issue 43", date(2026, 6, 14), "newsletter", ["football"])  # two: an IN list
    day = date(2026, 6, 15)
    checkups.ensure_current(alice, day)
    pings = 0
    # The event comes: its followers are recomputed.
    for sql, plan in _all_plans(lambda: checkups.ensure_current(alice, day + timedelta(days=5))):
        assert "SCAN restons_checkup" not in plan and "SCAN restons_interaction" not in plan, plan
        if "FROM \"restons_interaction\"" in sql:
            pings += 1
            assert "restons_interaction USING" in plan and "(owner_id=?)" not in plan, plan
    assert pings >= 1  # the content already sent (the window's counts are kept: nothing left the window)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
def test_what_left_the_window_is_read_through_the_person_index(alice, person, ping):
    """On a new day the counts of those whose oldest ping left the window are the kept ones less what left: the
    pings that left, the first one left in and whether a channel stays are lookups in the (owner, person, at…)
    index, never a read of the owner's pings."""
    from datetime import timedelta

    from restons import conf
    from restons.services import checkups

    day = date(2026, 6, 15)
    edge = day - timedelta(days=conf.get("RESTONS_WINDOW_DAYS") - 1)  # the window's first day: leaves tomorrow
    for n in range(3):
        someone = person(f"Person {n}", cadence_days=365)
        ping(someone, f"{edge} 10:00", direction="in", channel="call")
        ping(someone, "2026-06-01 10:00", direction="both", channel="email")
    checkups.ensure_current(alice, day)
    pings = [(sql, plan) for sql, plan in _all_plans(lambda: checkups.ensure_current(alice, day + timedelta(days=1)))
             if '"restons_interaction"' in sql]
    assert len(pings) >= 3, pings  # what left, the first one left in, whether a call stays
    for _sql, plan in pings:
        assert "SCAN restons_interaction" not in plan and "interaction_person_activity" in plan, plan
    assert set(Checkup.objects.filter(owner=alice).values_list("channels", "interactions_in", "day")) == {(1, 1, day)}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
def test_the_identities_of_a_few_people_are_read_through_their_own_index(alice, network):
    """Today's contacts and the Person page read the identities of a few people from the (owner, person)
    index, not by walking every identity of the owner in the order asked (41 ms at 20,000 people)."""
    from restons.models import Person

    network(5)
    someone = Person.objects.filter(owner=alice).first()
    plans = (_plans_of_pings(lambda: person_detail(alice, someone), "restons_identity")
             + _plans_of_pings(lambda: today_list(alice), "restons_identity"))
    assert len(plans) >= 2
    for plan in plans:
        assert "identity_owner_person (owner_id=? AND person_id" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's depends on table statistics")
def test_today_reads_its_few_people_by_key(alice, network):
    """Today loads the few people it lists, and their circles, milestones, pings…: every query narrows by
    more than the owner. Ordered by name in the database, or filtered with "milestone has a person", SQLite
    without statistics walked all the owner's people or milestones (10 ms at 50,000 people)."""
    from restons.services import checkups

    network(5)
    checkups.ensure_current(alice, date(2026, 6, 15))
    plans = _all_plans(lambda: today_list(alice))
    owners_only = [(sql, plan) for sql, plan in plans
                   if any(f"{table} USING" in plan and ("(owner_id=?)" in plan or "(owner_id=? AND person_id>?)" in plan)
                          for table in ("restons_person ", "restons_milestone", "restons_interaction", "restons_identity"))]
    assert len(plans) > 10 and not owners_only, owners_only
