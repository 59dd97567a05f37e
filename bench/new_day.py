"""The first `restons today` of a new day beside a warm one, and a bare `import django`, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/new_day.py [--runs 5]

Uses the generated data set (bench/generate.py; RESTONS_HOME, default bench/data/home, or
RESTONS_DATABASE_URL). Before each "new day" run, every checkup is computed afresh with the clock at
yesterday noon (time-machine), as the last read of yesterday left them (on PostgreSQL, the checkups are
then vacuumed, as autovacuum would have done overnight); then `restons today` is timed
(it recomputes those whose ``valid_until`` has come, and rescores from their kept parts the due and
overdue and the strengths whose step has come), and timed again warm right after. restons' bytecode is
compiled first, as an install leaves it. Bars (issue 12): first of a new day ≤ 1.5× warm; warm ≤ 8× `python -c "import django"`.
Also printed: the floor of any command reading the database through Django's ORM (Django set up with
restons' models, one query), beside `import django`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

import _common


def timed(cmd, env) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU (user + system of the child) is what a shared machine does not inflate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def yesterday(env) -> None:
    """Every checkup computed yesterday, as the last read of yesterday left them (time-machine: yesterday noon)."""
    code = (
        "from restons.bootstrap import setup; setup()\n"
        "from datetime import datetime, timedelta\n"
        "import time_machine\n"
        "from django.utils import timezone\n"
        "from restons.services import checkups\n"
        "from restons.services.owners import cli_owner\n"
        "owner = cli_owner()\n"
        "noon = timezone.localtime().replace(hour=12, minute=0) - timedelta(days=1)\n"
        "with time_machine.travel(noon, tick=False):\n"
        "    checkups.forget(owner.pk)\n"
        "    checkups.ensure_current(owner, timezone.localdate())\n"
        # PostgreSQL: autovacuum (on by default, off on this CI machine) would have cleaned up after the
        # 20,000 rows just replaced long before the next day; without it each run's dead rows add up, and
        # the later of two alternated builds would be measured on a more bloated table.
        "from django.db import connection\n"
        "if connection.vendor == 'postgresql':\n"
        "    connection.cursor().execute('VACUUM ANALYZE restons_checkup')\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def recomputed(env) -> str:
    """How many checkups the first read of today will recompute (their valid_until has come)."""
    code = (
        "from restons.bootstrap import setup; setup()\n"
        "from django.utils import timezone\n"
        "from restons.models import Checkup\n"
        "print(Checkup.objects.filter(valid_until__lte=timezone.localdate()).count(), Checkup.objects.count())\n"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                          text=True).stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = _common.data_env()
    # The bytecode an install leaves (pip compiles it): without it, a shell with PYTHONDONTWRITEBYTECODE
    # would compile every restons module from source on every run and time the compiler.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(_common.ROOT / "restons")], check=True)
    restons = _common.venv_bin("restons")
    today = [restons, "today"]
    timed(today, env)  # current before the first measure
    # The floor of any command that reads the database through Django's ORM: setting Django up with
    # restons' models and running one query, nothing else.
    floor_code = ("from restons.bootstrap import setup; setup(web=False)\n"
                  "from restons.models import Person; Person.objects.exists()")
    first, warm, django, floor = [], [], [], []
    for _ in range(args.runs):
        yesterday(env)
        stale, total = recomputed(env)
        first.append(timed(today, env))
        warm.append(timed(today, env))
        django.append(timed([sys.executable, "-c", "import django"], env))
        floor.append(timed([sys.executable, "-c", floor_code], env))
    db = "PostgreSQL" if env.get("RESTONS_DATABASE_URL") else "SQLite"
    print(f"{db}, median of {args.runs} runs; a new day recomputes {stale} of {total} checkups")
    for label, index in (("wall", 0), ("CPU", 1)):
        f, w, d, o = (statistics.median(run[index] for run in x) for x in (first, warm, django, floor))
        print(f"{label:4}  first `restons today` of a new day {f:6.3f} s   warm {w:6.3f} s   ratio {f / w:4.2f} (bar ≤ 1.5)")
        print(f"{label:4}  warm `restons today`               {w:6.3f} s   import django {d:6.3f} s   "
              f"ratio {w / d:4.1f} (bar ≤ 8)")
        print(f"{label:4}  Django set up + one query (floor)  {o:6.3f} s   import django {d:6.3f} s   "
              f"ratio {o / d:4.1f}")


if __name__ == "__main__":
    main()
