"""The first `restons today` of a new day beside a warm one, and a bare `import django`, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/new_day.py [--runs 5]

Uses the generated data set (bench/generate.py; RESTONS_HOME, default bench/data/home, or
RESTONS_DATABASE_URL). Each "new day" run moves every kept checkup back to the day before (as if
yesterday's verdicts were kept and midnight had passed: their ``day`` and ``valid_until`` shift by one
day, and the owner's state says yesterday), then times `restons today`; each warm run times it again
right after. Bars (issue 12): first of a new day ≤ 1.5× warm; warm ≤ 8× `python -c "import django"`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import _common


def timed(cmd, env) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return time.perf_counter() - started


def yesterday(env) -> None:
    """Every checkup as computed yesterday: day and valid_until one day earlier, the state at yesterday."""
    code = (
        "from restons.bootstrap import setup; setup()\n"
        "from datetime import timedelta\n"
        "from django.db.models import F\n"
        "from restons.models import Checkup, CheckupState\n"
        "Checkup.objects.update(day=F('day') - timedelta(days=1), valid_until=F('valid_until') - timedelta(days=1))\n"
        "CheckupState.objects.update(day=F('day') - timedelta(days=1))\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = _common.data_env()
    restons = _common.venv_bin("restons")
    today = [restons, "today"]
    timed(today, env)  # current before the first measure
    first, warm, django = [], [], []
    for _ in range(args.runs):
        yesterday(env)
        first.append(timed(today, env))
        warm.append(timed(today, env))
        django.append(timed([sys.executable, "-c", "import django"], env))
    f, w, d = (statistics.median(x) for x in (first, warm, django))
    db = "PostgreSQL" if env.get("RESTONS_DATABASE_URL") else "SQLite"
    print(f"{db}, median of {args.runs} runs")
    print(f"first `restons today` of a new day  {f:6.3f} s   warm {w:6.3f} s   ratio {f / w:4.2f}  (bar ≤ 1.5)")
    print(f"warm `restons today`                {w:6.3f} s   import django {d:6.3f} s   ratio {w / d:4.1f}  (bar ≤ 8)")


if __name__ == "__main__":
    main()
