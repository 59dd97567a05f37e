"""Wall time of `restons today` and `restons stats` on the generated data, beside a bare Django import.

Usage (from the repository root)::

    .venv/bin/python bench/today_stats.py [--runs 7] [--generate]

Each command runs as a subprocess of the real console script (the venv's
``restons``), with the environment of the generated data set (RESTONS_HOME,
default bench/data/home; RESTONS_DATABASE_URL if set), output discarded. The
baseline, ``python -c "import django"``, runs the same number of times in the
same process, interleaved with the commands, so a busy machine slows all
three alike. Goal (PRODUCT.md §7): `restons today` ≤ 0.5 s wall.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import _common

GOAL_TODAY = 0.5


def has_data(env: dict[str, str]) -> bool:
    if env.get("RESTONS_DATABASE_URL", "").strip():
        return True  # a server database: trust the caller; the first run fails loudly if it is empty
    return (Path(env["RESTONS_HOME"]) / "restons.sqlite3").exists()


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--generate", action="store_true",
                        help="Generate the default data set first when it does not exist (bench/generate.py).")
    args = parser.parse_args(argv)
    env = _common.data_env()
    if not has_data(env):
        if not args.generate:
            print(f"No data set at {env['RESTONS_HOME']}. Create it with\n"
                  f"    {sys.executable} {_common.BENCH / 'generate.py'}\n"
                  "(20,000 people, 1,000,000 interactions; a few minutes), or run this script with --generate.",
                  file=sys.stderr)
            return 2
        subprocess.run([sys.executable, str(_common.BENCH / "generate.py")], env=env, check=True)

    restons = _common.venv_bin("restons")
    python = _common.venv_bin("python")
    commands = {
        "restons today": [restons, "today"],
        "restons stats": [restons, "stats"],
        'python -c "import django"': [python, "-c", "import django"],
    }
    # One untimed run each: the first touch of the database file and the .pyc cache are not what we measure.
    for cmd in commands.values():
        timed(cmd, env)
    samples = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, cmd in commands.items():
            samples[label].append(timed(cmd, env))

    where = env.get("RESTONS_DATABASE_URL") or env["RESTONS_HOME"]
    print(f"data: {where}   runs: {args.runs}   cores: {os.cpu_count()}")
    print(f"{'command':<28} {'median':>8} {'min':>8} {'max':>8}")
    for label, values in samples.items():
        median, low, high = _common.summary(values)
        print(f"{label:<28} {median:8.3f} {low:8.3f} {high:8.3f}   s")
    median_today = _common.summary(samples["restons today"])[0]
    verdict = "met" if median_today <= GOAL_TODAY else f"MISSED by {median_today - GOAL_TODAY:.3f} s"
    print(f"goal: restons today <= {GOAL_TODAY} s median: {verdict}")
    return 0 if median_today <= GOAL_TODAY else 1


if __name__ == "__main__":
    sys.exit(main())
