"""Time and peak memory of `restons export json` and `restons restore` on the generated data set.

Usage (from the repository root)::

    .venv/bin/python bench/backup.py [--generate] [--restore-into postgresql://…/empty_db] [--check]

The export runs as a subprocess of the real console script with the data
set's environment (RESTONS_HOME, default bench/data/home; RESTONS_DATABASE_URL
if set) and writes into a temporary folder; the restore runs into a new,
empty SQLite home (or the empty PostgreSQL database ``--restore-into``
names). Peak resident memory is each child's ``ru_maxrss``, beside the same
figure for `restons token list` (the interpreter, Django and the project
loaded, no data read). ``--check`` then compares every table's content digest
between the source and the restored copy. Bar (issue 10): both ≤ 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

BAR_MB = 200


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    error = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd)} failed: {error.strip()}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


def digest(env: dict[str, str]) -> dict:
    code = ("import json, sys; sys.path.insert(0, %r)\n"
            "from restons import bootstrap; bootstrap.setup()\n"
            "from restons.backup.tables import content_digest\n"
            "from restons.services.owners import cli_owner\n"
            "print(json.dumps(content_digest(cli_owner())))") % str(_common.ROOT)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", action="store_true", help="Generate the default data set first when missing.")
    parser.add_argument("--restore-into", default="", metavar="URL",
                        help="An empty PostgreSQL database to restore into (default: a new SQLite home).")
    parser.add_argument("--check", action="store_true", help="Compare every table's content digest afterwards.")
    args = parser.parse_args(argv)
    env = _common.data_env()
    if not env.get("RESTONS_DATABASE_URL") and not (Path(env["RESTONS_HOME"]) / "restons.sqlite3").exists():
        if not args.generate:
            print(f"No data set at {env['RESTONS_HOME']}; run {_common.BENCH / 'generate.py'} or add --generate.",
                  file=sys.stderr)
            return 2
        subprocess.run([sys.executable, str(_common.BENCH / "generate.py")], env=env, check=True)
    restons = _common.venv_bin("restons")
    with tempfile.TemporaryDirectory(prefix="restons-bench-") as scratch:
        scratch = Path(scratch)
        backup = scratch / "backup.json"
        target = dict(env, RESTONS_HOME=str(scratch / "restored"), RESTONS_DATABASE_URL=args.restore_into)
        Path(target["RESTONS_HOME"]).mkdir()
        base_wall, base_mb = measured([restons, "token", "list"], env)
        export_wall, export_mb = measured([restons, "export", "json", str(backup)], env)
        size_mb = backup.stat().st_size / 1e6
        measured([restons, "init"], target)  # migrations apart from the restore's own time
        restore_wall, restore_mb = measured([restons, "restore", str(backup)], target)
        print(f"data set: {env.get('RESTONS_DATABASE_URL') or env['RESTONS_HOME']}; backup {size_mb:,.0f} MB; "
              f"restored into {args.restore_into or 'a new SQLite home'}")
        print(f"{'what':<32}{'wall s':>10}{'peak RSS MB':>14}")
        print(f"{'restons token list (baseline)':<32}{base_wall:>10.2f}{base_mb:>14.0f}")
        print(f"{'restons export json':<32}{export_wall:>10.1f}{export_mb:>14.0f}")
        print(f"{'restons restore':<32}{restore_wall:>10.1f}{restore_mb:>14.0f}")
        met = export_mb <= BAR_MB and restore_mb <= BAR_MB
        print(f"bar: ≤ {BAR_MB} MB resident for both — {'met' if met else 'MISSED'}")
        if args.check:
            same = digest(env) == digest(target)
            print(f"content digests of every table: {'identical' if same else 'DIFFERENT'}")
            met = met and same
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
