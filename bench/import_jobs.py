"""What an import costs through the Import page's job, beside the same import run directly.

Usage (from the repository root)::

    .venv/bin/python bench/import_jobs.py [--cards N] [--seed S]
    RESTONS_DATABASE_URL=postgresql://user@host/any .venv/bin/python bench/import_jobs.py   # also PostgreSQL

A vCard file of N cards (10,000 by default, bench/imports.py's generator) is
imported twice on each database, by two fresh users, in one process: once
with ``run_import`` (what ``restons import`` runs: the baseline), once as the
web app does it — ``jobs.queue`` saves the upload under RESTONS_HOME and a
worker runs the job (``jobs.run_queued``), with progress written from its own
thread. The script prints both times, the job's overhead, and how many times
the job's row was written while it ran (the progress writes, at most one a
second, plus claim and end). SQLite runs in a temporary RESTONS_HOME;
PostgreSQL in a temporary database beside the one named, dropped afterwards.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from imports import generate, temporary_postgres  # noqa: E402 - bench/imports.py, beside this file


def child(vcf_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from restons.models import ImportJob
    from restons.services import jobs
    from restons.services.imports import run_import

    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    direct_owner = users.create_user("direct@example.org", "direct@example.org", None)
    job_owner = users.create_user("job@example.org", "job@example.org", None)

    started = time.perf_counter()
    direct = run_import(direct_owner, "vcard", vcf_path, region="FR")
    direct_seconds = time.perf_counter() - started

    writes = {"n": 0}
    update = ImportJob.objects.filter

    def counting_filter(*args, **kwargs):  # every write of the job's row goes through a filter(...).update(...)
        queryset = update(*args, **kwargs)
        original = queryset.update

        def counted(**values):
            writes["n"] += 1
            return original(**values)

        queryset.update = counted
        return queryset

    ImportJob.objects.filter = counting_filter
    started = time.perf_counter()
    with open(vcf_path, "rb") as upload:
        job = jobs.queue(job_owner, "vcard", upload, options={"region": "FR"})
    queued_seconds = time.perf_counter() - started
    counts = jobs.run_queued("bench-worker")
    job_seconds = time.perf_counter() - started
    ImportJob.objects.filter = update
    job.refresh_from_db()
    assert counts == {"done": 1}, counts
    assert job.summary["created"] == direct.created, (job.summary, direct.as_json())
    print(json.dumps({"direct": direct_seconds, "job": job_seconds, "queue": queued_seconds,
                      "records": direct.records, "writes": writes["n"]}))


def run_child(env: dict, vcf_path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(vcf_path)], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the bench failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", metavar="VCF", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="restons-bench-jobs-") as folder:
        _csv, vcf_path = generate(Path(folder), 10, args.cards, args.seed)
        size = vcf_path.stat().st_size
        env = {k: v for k, v in os.environ.items() if k != "RESTONS_DATABASE_URL"}
        results = [("SQLite", run_child({**env, "RESTONS_HOME": str(Path(folder) / "sqlite")}, vcf_path))]
        url = os.environ.get("RESTONS_DATABASE_URL", "").strip()
        if url.startswith(("postgres://", "postgresql://")):
            bench_url, drop = temporary_postgres(url)
            try:
                results.append(("PostgreSQL", run_child(
                    {**env, "RESTONS_HOME": str(Path(folder) / "pg"), "RESTONS_DATABASE_URL": bench_url}, vcf_path)))
            finally:
                drop()
    print(f"{args.cards:,}-card vCard file ({size / 1e6:.1f} MB)")
    print(f"{'database':<11} {'run_import s':>12} {'job s':>7} {'overhead':>9} {'queue s':>8} {'row writes':>10}")
    for name, r in results:
        print(f"{name:<11} {r['direct']:>12.2f} {r['job']:>7.2f} {r['job'] / r['direct'] - 1:>+9.0%} "
              f"{r['queue']:>8.3f} {r['writes']:>10}")


if __name__ == "__main__":
    main()
