"""Server time and queries of the Review page on the generated owner (issue 11: ≤ 300 ms median for a year).

Usage (from the repository root, after bench/generate.py)::

    .venv/bin/python bench/review.py [--runs 30] [--cold-runs 3]

Requests go through Django's test client in this process (no network), as
the owner of the data set, beside the Settings page (the framework, the
session and a template alone) measured in the same run. Each review page is
measured twice:

- **kept**: the review is already computed and kept (``KeptReview``), as
  for every view after the first until something changes — the median of
  ``--runs`` requests;
- **computed**: the kept reviews are dropped before each request, as after
  any change of the data — the median of ``--cold-runs`` requests.

The number of queries of each kind of request is printed too: it must not
depend on the number of people (run the script on a data set of 1,000
people as well to see it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import _common

sys.path.insert(0, str(_common.ROOT))


def timed(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(captured.captured_queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.update(_common.data_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
    from restons import bootstrap

    bootstrap.setup()
    bootstrap.ensure_database()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from restons.models import Interaction, KeptReview, Person
    from restons.services.access import owned
    from restons.services.owners import cli_owner

    settings.ALLOWED_HOSTS = ["testserver"]
    owner = cli_owner()
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    year = timezone.localdate().year
    print(f"data: {os.environ['RESTONS_HOME']}   people: {owned(Person, owner).count():,}   "
          f"interactions: {owned(Interaction, owner).count():,}   runs: {args.runs} kept, {args.cold_runs} computed")
    client.get("/settings/")
    client.get("/")  # today's checkups, so that no review request pays for them
    baseline = [timed(client, "/settings/") for _ in range(args.runs)]
    print(f"{'page':44} {'median':>9} {'max':>9} {'queries':>8}   (ms)")
    print(f"{'baseline: /settings/':44} {statistics.median(t for t, _q in baseline) * 1000:9.1f} "
          f"{max(t for t, _q in baseline) * 1000:9.1f} {baseline[-1][1]:8d}")
    for label, url in ((f"review of {year - 1} (a past year)", f"/review/{year - 1}/"),
                       ("review of the last 12 months", "/review/"),
                       (f"review of {year} so far", f"/review/{year}/")):
        cold = []
        for _ in range(args.cold_runs):
            owned(KeptReview, owner).delete()
            cold.append(timed(client, url))
        kept = [timed(client, url) for _ in range(args.runs)]
        for kind, samples in (("kept", kept), ("computed", cold)):
            print(f"{label + ', ' + kind:44} {statistics.median(t for t, _q in samples) * 1000:9.1f} "
                  f"{max(t for t, _q in samples) * 1000:9.1f} {samples[-1][1]:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
