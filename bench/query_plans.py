"""Every page's queries on the generated owner, with SQLite's plan: which ones read all of the owner's rows.

Usage (from the repository root, after bench/generate.py, SQLite only)::

    .venv/bin/python bench/query_plans.py [URL ...]

A user's SQLite database is never analysed: without statistics, SQLite may keep an ORDER BY by
walking an index of everything the owner has, or take the owner's index over a narrower one. Each
page (the main ones by default) is requested twice as the owner through Django's test client; the
second request's SELECTs are planned again with ``EXPLAIN QUERY PLAN`` and run alone, and those on
pings, people, checkups, identities and milestones whose plan is a scan, or an index searched by the
owner alone, are printed with their time (a row to look at, not a verdict: the owner-wide counts of
the stats page are such queries by design).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time

import _common

sys.path.insert(0, str(_common.ROOT))

PAGES = ["/", "/people/", "/people/?sort=strength", "/people/?q=ma", "/people/drift/", "/plans/", "/pledges/",
         "/circles/", "/stats/", "/review/", "/pace/", "/import/", "/import/duplicates/", "/settings/"]
TABLES = ("restons_interaction", "restons_person", "restons_checkup", "restons_identity", "restons_milestone")


def wide(plan: str) -> bool:
    """Whether the plan reads every row of the owner's in one of the big tables."""
    return any(f"SCAN {table}" in plan or (f"{table} USING" in plan and "(owner_id=?)" in plan) for table in TABLES)


def main() -> int:
    os.environ.update(_common.data_env())
    from restons.bootstrap import setup

    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from restons.models import Person
    from restons.services.owners import cli_owner

    if connection.vendor != "sqlite":
        print("SQLite's planner only: unset RESTONS_DATABASE_URL")
        return 1
    settings.ALLOWED_HOSTS.append("testserver")
    owner = cli_owner()
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    someone = Person.objects.filter(owner=owner).order_by("-last_touch_at").values_list("id", flat=True).first()
    urls = sys.argv[1:] or PAGES + ([f"/people/{someone}/"] if someone else [])
    db = sqlite3.connect(connection.settings_dict["NAME"])
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status = client.get(url).status_code
            elapsed = time.perf_counter() - started
        print(f"{status} {url:28} {elapsed * 1000:7.1f} ms  {len(captured.captured_queries)} queries")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT"):
                continue
            plan = " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
            if wide(plan):
                started = time.perf_counter()
                db.execute(sql).fetchall()
                print(f"    {(time.perf_counter() - started) * 1000:7.1f} ms  {plan[:150]}\n              {sql[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
