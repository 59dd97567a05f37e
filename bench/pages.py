"""Server time of the Today and People pages on the generated owner (PRODUCT.md §7: ≤ 50 ms median, ≤ 150 ms p99).

Usage (from the repository root, after bench/generate.py)::

    .venv/bin/python bench/pages.py [--runs 30]

Requests go through Django's test client in this process (no network), as
the owner of the data set; the baseline is the Settings page, which reads
no people: it measures the framework, the session and the template alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import _common

sys.path.insert(0, str(_common.ROOT))


def timings(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm: templates, translations
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (url, response.status_code)
    return samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
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
