"""The first `restons today` of a new day beside a warm one, and a bare `import django`, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/new_day.py [--runs 5]

Uses the generated data set (bench/generate.py; RESTONS_HOME, default bench/data/home, or
RESTONS_DATABASE_URL). Before each "new day" run, every checkup is computed afresh at the time
the run starts (on PostgreSQL, the checkups are then vacuumed, as autovacuum would have done
overnight), as the last read of today leaves them; then `restons today` is timed with the clock
at the same time tomorrow (time-machine, started before restons is imported: the command sees
the next day, and every ping of the data set lies in its past) — it recomputes those whose
``valid_until`` has come, and rescores from their kept parts the due and overdue and the
strengths whose step has come — and timed again warm right after, with the same clock.

(Until 2026-12-02 the checkups were computed with the clock at yesterday noon and `restons today`
ran at the real time: the pings the generator dates between yesterday noon and the moment it ran
were then in that computation's future, and those people's checkups were recomputed on the "new
day" as no real new day would: 583 of 847 recomputations on a data set made that afternoon.)

restons' bytecode is compiled first, as an install leaves it. Bars (issue 12): first of a new day
≤ 1.5× warm; warm ≤ 8× `python -c "import django"` — measured at the real time, without the
clock's wrapper (its import is in both runs of the new-day ratio, not in that one). Also printed:
the floor of any command reading the database through Django's ORM (Django set up with restons'
models, one query), beside `import django`.
"""

from __future__ import annotations

import argparse
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


def recompute_all(env, yesterday_noon: bool = False) -> None:
    """Every checkup computed afresh now (or with the clock at yesterday noon), as the last read of that day leaves
    them; on PostgreSQL the checkups are then vacuumed."""
    code = (
        "from restons.bootstrap import setup; setup()\n"
        "from datetime import timedelta\n"
        "import contextlib, time_machine\n"
        "from django.utils import timezone\n"
        "from restons.services import checkups\n"
        "from restons.services.owners import cli_owner\n"
        "owner = cli_owner()\n"
        "noon = timezone.localtime().replace(hour=12, minute=0) - timedelta(days=1)\n"
        f"with {'time_machine.travel(noon, tick=False)' if yesterday_noon else 'contextlib.nullcontext()'}:\n"
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


def yesterday(env) -> None:
    """Every checkup as the last read of yesterday left them (clock at yesterday noon), for new_day_pages.py (a
    server runs at the real time). The pings a data set dates after yesterday noon are in that computation's
    future: their people are recomputed on the "new day" too, which makes it dearer than a real one."""
    recompute_all(env, yesterday_noon=True)


def tomorrow_command(args: list[str]) -> list[str]:
    """``restons ARGS`` with the clock one day ahead (time-machine, ticking), started before restons is imported."""
    # time-machine imports pytest when it can, for its plugin (0.1–0.2 s): blocked, as nothing here needs it.
    code = ("import sys, time\n"
            "sys.modules['pytest'] = None\n"
            "import time_machine\n"
            "time_machine.travel(time.time() + 86400, tick=True).start()\n"
            f"sys.argv = ['restons', *{args!r}]\n"
            "from restons.cli import main\n"
            "sys.exit(main())\n")
    return [sys.executable, "-c", code]


def recomputed(env) -> list[str]:
    """How many checkups the first read of tomorrow will recompute (their valid_until has come), and of how many."""
    code = (
        "from restons.bootstrap import setup; setup()\n"
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from restons.models import Checkup\n"
        "tomorrow = timezone.localdate() + timedelta(days=1)\n"
        "print(Checkup.objects.filter(valid_until__lte=tomorrow).count(), Checkup.objects.count())\n"
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
    tomorrow = tomorrow_command(["today"])
    first, warm, plain, django, floor = [], [], [], [], []
    for _ in range(args.runs):
        recompute_all(env)
        stale, total = recomputed(env)
        first.append(timed(tomorrow, env))
        warm.append(timed(tomorrow, env))
        recompute_all(env)
        timed(today, env)  # (current: what follows is warm)
        plain.append(timed(today, env))
        django.append(timed([sys.executable, "-c", "import django"], env))
        floor.append(timed([sys.executable, "-c", floor_code], env))
    db = "PostgreSQL" if env.get("RESTONS_DATABASE_URL") else "SQLite"
    print(f"{db}, median of {args.runs} runs; a new day recomputes {stale} of {total} checkups")
    for label, index in (("wall", 0), ("CPU", 1)):
        f, w, p, d, o = (statistics.median(run[index] for run in x) for x in (first, warm, plain, django, floor))
        print(f"{label:4}  first `restons today` of a new day {f:6.3f} s   warm {w:6.3f} s   ratio {f / w:4.2f} (bar ≤ 1.5)")
        print(f"{label:4}  warm `restons today`               {p:6.3f} s   import django {d:6.3f} s   "
              f"ratio {p / d:4.1f} (bar ≤ 8)")
        print(f"{label:4}  Django set up + one query (floor)  {o:6.3f} s   import django {d:6.3f} s   "
              f"ratio {o / d:4.1f}")


if __name__ == "__main__":
    main()
