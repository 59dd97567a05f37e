"""Server time of the Today and People pages on the generated owner (PRODUCT.md §7: ≤ 50 ms median, ≤ 150 ms p99).

Usage (from the repository root, after bench/generate.py)::

    .venv/bin/python bench/pages.py [--runs 30]
    .venv/bin/python bench/pages.py --compare SMALL_HOME BIG_HOME [--urls SMALL_URL BIG_URL] [--rounds 3] [--runs 30]

With ``--compare`` the same pages are measured on two data sets (two
``RESTONS_HOME`` folders made by bench/generate.py, e.g. 1,000 and 50,000
people), in child processes taking turns for ``--rounds`` rounds, and the
big set's median is printed beside the small one's (issue 12: p50 at 50,000
people ≤ 1.3× p50 at 1,000, ≤ 50 ms p50 and ≤ 150 ms p99 at 50,000, and the
same number of queries).

Requests go through Django's test client in this process (no network), as
the owner of the data set; the baseline is the Settings page, which reads
no people: it measures the framework, the session and the template alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import _common

sys.path.insert(0, str(_common.ROOT))


def timings(client, url: str, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds of ``runs`` requests (and their CPU seconds appended to ``cpu``)."""
    client.get(url)  # warm: templates, translations
    samples = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code in (200, 302), (url, response.status_code)
    return samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


BAR_PAGES = ("/", "/people/", "/people/?sort=strength")  # page 20 skips 950 index entries: shown, not in the bar
PAGES = (
    ("baseline: /settings/ (a plain page)", "/settings/"),
    ("Today /", "/"),
    ("People /people/", "/people/"),
    ("People, sorted by strength", "/people/?sort=strength"),
    ("People, page 20", "/people/?page=20"),
)


def measure(runs: int) -> dict:
    """{label: {"samples": [...], "queries": n}} for every page, as the data set's owner, in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in()
    found = {}
    for label, url in PAGES:
        cpu: list[float] = []
        samples = timings(client, url, runs, cpu)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found[label] = {"samples": samples, "cpu": cpu, "queries": len(queries)}
    return found


def logged_in():
    from restons import bootstrap

    bootstrap.setup()
    from django.conf import settings
    from django.test import Client

    from restons.services.owners import cli_owner

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(cli_owner(), backend="django.contrib.auth.backends.ModelBackend")
    return client


def compare(small: str, big: str, rounds: int, runs: int, urls=None) -> int:
    """Both data sets in turn (child processes), ``rounds`` times; the big one's p50 beside the small one's.

    ``urls``: the two sets' RESTONS_DATABASE_URL (PostgreSQL), else each home's SQLite.
    """
    merged: dict[str, dict] = {small: {}, big: {}}
    url_of = dict(zip((small, big), urls or ("", "")))
    for _ in range(rounds):
        for home in (small, big):
            env = dict(os.environ, RESTONS_HOME=home, RESTONS_DATABASE_URL=url_of[home])
            out = subprocess.run([sys.executable, __file__, "--child", "--runs", str(runs)], env=env, check=True,
                                 capture_output=True, text=True).stdout
            for label, found in json.loads(out.splitlines()[-1]).items():
                into = merged[home].setdefault(label, {"samples": [], "cpu": [], "queries": found["queries"]})
                into["samples"] += found["samples"]
                into["cpu"] += found["cpu"]
    print(f"small: {small}\nbig:   {big}\n{rounds} rounds x {runs} requests per page and data set")
    print("wall ms (p50, p99) and the ratio of the p50s; CPU ms of this process (p50; SQLite runs in it, so its\n"
          "queries count; PostgreSQL's server time does not) and their ratio, the steadier figure on a busy machine")
    print(f"{'page':34} {'small p50':>9} {'big p50':>8} {'big p99':>8} {'ratio':>6} {'CPU small':>9} {'CPU big':>8}"
          f" {'ratio':>6} {'queries':>9}")
    met = True
    url_of_label = dict(PAGES)
    for label, _url in PAGES:
        one, two = merged[small][label], merged[big][label]
        p50_small, p50_big = statistics.median(one["samples"]), statistics.median(two["samples"])
        ratio = p50_big / p50_small
        if url_of_label[label] in BAR_PAGES:
            met &= ratio <= 1.3 and p50_big <= 0.050 and p99(two["samples"]) <= 0.150 and one["queries"] == two["queries"]
        cpu_small, cpu_big = statistics.median(one["cpu"]), statistics.median(two["cpu"])
        print(f"{label:34} {p50_small * 1000:9.1f} {p50_big * 1000:8.1f} {p99(two['samples']) * 1000:8.1f} "
              f"{ratio:6.2f} {cpu_small * 1000:9.1f} {cpu_big * 1000:8.1f} {cpu_big / cpu_small:6.2f} "
              f"{one['queries']:>4}/{two['queries']:<4}")
    print("bars on Today and the People pages' first page (big p50 <= 1.3x small, <= 50 ms p50, <= 150 ms p99, same "
          "queries):", "met" if met else "NOT met")
    return 0 if met else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--compare", nargs=2, metavar=("SMALL_HOME", "BIG_HOME"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--urls", nargs=2, metavar=("SMALL_URL", "BIG_URL"),
                        help="with --compare: the two data sets' PostgreSQL URLs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare, args.rounds, args.runs, args.urls)
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
        print(json.dumps(measure(args.runs)))
        return 0
    os.environ.update(_common.data_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
    from restons import bootstrap

    bootstrap.setup()
    from django.conf import settings
    from django.test import Client

    from restons.services.owners import cli_owner

    settings.ALLOWED_HOSTS = ["testserver"]
    owner = cli_owner()
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    rows = [
        ("baseline: /settings/ (a plain page)", client, "/settings/"),
        ("Today /", client, "/"),
        ("People /people/", client, "/people/"),
        ("People, sorted by strength", client, "/people/?sort=strength"),
    ]
    print(f"data: {os.environ['RESTONS_HOME']}   runs: {args.runs}")
    print(f"{'page':34} {'median':>8} {'p99':>8}   (ms)")
    for label, who, url in rows:
        samples = timings(who, url, args.runs)
        print(f"{label:34} {statistics.median(samples) * 1000:8.1f} {p99(samples) * 1000:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
