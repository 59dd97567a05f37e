"""`restons person list` (the table, not a terminal) beside `restons person list --json`, in one run.

Usage (from the repository root, after bench/generate.py)::

    .venv/bin/python bench/person_list.py [--runs 3]

Both print every person of the generated data set to a pipe; wall and CPU (user + system of the child),
median of the runs, interleaved. Bar (issue 12): the table ≤ 2× the JSON.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import time

import _common


def timed(cmd, env) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), len(done.stdout.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = _common.data_env()
    restons = _common.venv_bin("restons")
    timed([restons, "today"], env)  # the checkups current first
    table, json = [], []
    for _ in range(args.runs):
        table.append(timed([restons, "person", "list"], env))
        json.append(timed([restons, "person", "list", "--json"], env))
    db = "PostgreSQL" if env.get("RESTONS_DATABASE_URL") else "SQLite"
    print(f"{db}, median of {args.runs} runs, {table[0][2] - 1} rows")
    for label, index in (("wall", 0), ("CPU", 1)):
        t, j = (statistics.median(run[index] for run in x) for x in (table, json))
        print(f"{label:4}  `person list` (table, piped) {t:6.3f} s   `--json` {j:6.3f} s   ratio {t / j:4.2f} (bar ≤ 2)")


if __name__ == "__main__":
    main()
