"""Capture imports with their database writes: total time, time reading, and the longest write transaction.

Usage (from the repository root)::

    .venv/bin/python bench/capture_writes.py [--messages 20000] [--seed 1] [--postgres URL]

Generates bench/mail.py's Takeout-style mbox (2–20 KB messages, about 180 MB
for 20,000) and imports it with ``restons.services.capture`` into a fresh
SQLite instance (and a fresh PostgreSQL database with ``--postgres``), each
in its own process, printing beside each other:

- the **read** phase alone (parse + rules + spooling), the baseline the
  writes add to;
- the whole **import** (read, then write), in messages per second, and peak
  resident memory;
- the **longest write transaction** (the time SQLite's write lock is held
  at once; the issue's bar is about 2 s) and the number of transactions
  (the batches, and the people's summaries refreshed at the end);
- a **re-import** of the same file (nothing new to write).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(path: str) -> dict:
    from restons import bootstrap

    bootstrap.setup()
    bootstrap.ensure_database()
    from django.db import connection, transaction

    from restons.services import capture
    from restons.services.imports import run_import
    from restons.services.owners import cli_owner

    owner = cli_owner()
    timings: dict = {"writes": []}
    read = capture._Reader.read

    def timed_read(self, records):
        started = time.perf_counter()
        read(self, records)
        timings["read"] = time.perf_counter() - started

    # Each outermost transaction, from its start to its commit: the batches SQLite lets share one, PostgreSQL's
    # one per batch, and the people's summaries at the end (what other writers wait for on SQLite).
    enter, leave = transaction.Atomic.__enter__, transaction.Atomic.__exit__
    opened: list[float] = []

    def timed_enter(self):
        if not connection.in_atomic_block:
            opened.append(time.perf_counter())
        return enter(self)

    def timed_exit(self, *exc_info):
        try:
            return leave(self, *exc_info)
        finally:
            if not connection.in_atomic_block and opened:
                timings["writes"].append(time.perf_counter() - opened.pop())

    capture._Reader.read = timed_read
    transaction.Atomic.__enter__, transaction.Atomic.__exit__ = timed_enter, timed_exit
    result = {}
    for label in ("first", "again"):
        timings["writes"] = []
        started = time.perf_counter()
        summary = run_import(owner, "mbox", path)
        result[label] = {"seconds": time.perf_counter() - started, "read": timings["read"],
                         "transactions": len(timings["writes"]), "longest": max(timings["writes"], default=0),
                         "interactions": summary.interactions, "created": summary.created, "records": summary.records}
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def measure(path: Path, database: str) -> dict:
    home = tempfile.mkdtemp(prefix="restons-bench-writes-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESTONS_")}
    env.update(RESTONS_HOME=home, RESTONS_DATABASE_URL=database)
    try:
        done = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, cwd=ROOT,
                              capture_output=True, text=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", default="", metavar="URL", help="a server, e.g. postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    spec = importlib.util.spec_from_file_location("bench_mail", ROOT / "bench" / "mail.py")
    mail = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mail)
    work = Path(tempfile.mkdtemp(prefix="restons-bench-mbox-"))
    try:
        path = work / "All mail Including Spam and Trash.mbox"
        mail.generate(path, args.messages, args.seed)
        print(f"{args.messages} messages, {path.stat().st_size / 1e6:.0f} MB")
        targets = [("SQLite", "")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for label, server in targets:
            database, admin, name = server, None, ""
            if server:
                import psycopg

                admin = psycopg.connect(f"{server}/postgres", autocommit=True)
                name = f"restons_bench_{uuid.uuid4().hex[:8]}"
                admin.execute(f'CREATE DATABASE "{name}"')
                database = f"{server}/{name}"
            try:
                result = measure(path, database)
            finally:
                if admin is not None:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for run in ("first", "again"):
                r = result[run]
                print(f"{label:<10} {run:<6} read {r['read']:6.1f} s ({r['records'] / r['read']:>7,.0f} msg/s) | "
                      f"import {r['seconds']:6.1f} s ({r['records'] / r['seconds']:>7,.0f} msg/s) | "
                      f"{r['transactions']} write transactions, longest {r['longest']:.2f} s | "
                      f"{r['interactions']} interactions, {r['created']} people")
            print(f"{label:<10} peak resident memory {result['rss_mb']:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
