"""The first Today page of a new day beside a warm one, alone and with 4 concurrent first visits, in one run.

Usage (from the repository root, after bench/generate.py)::

    .venv/bin/python bench/new_day_pages.py [--rounds 3] [--workers 2]

On the generated data set (RESTONS_HOME / RESTONS_DATABASE_URL), each round starts
`restons serve --workers N` and has every worker serve Today (a server running since yesterday), then
leaves every checkup as yesterday's last read left it (``new_day.yesterday``: computed at yesterday
noon), and times over HTTP: the first Today page of the day, then the same page warm (median of 10,
once the day's recomputation has ended); then the same again with 4 clients asking for the first page
at once, beside 4 clients asking at once when warm (the slowest of each batch). A first visit that finds more stale checkups than a request recomputes itself answers with
the last verdicts and says it is updating (printed). Bar
(issue 12): the first page of a new day ≤ 3× a warm one, also with 4 concurrent first visits.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import threading
import time
import urllib.request

import _common
from concurrency import free_port, session_cookie
from new_day import yesterday


def get(url: str, cookie: str) -> tuple[float, bool]:
    """(seconds, whether the page said it is updating) for one GET of ``url``."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read().decode()
        assert response.status == 200
    return time.perf_counter() - started, "Updating" in body or "Mise à jour" in body


def together(url: str, cookie: str, clients: int) -> list[tuple[float, bool]]:
    """``clients`` GETs of ``url`` at once."""
    results: list[tuple[float, bool]] = []
    threads = [threading.Thread(target=lambda: results.append(get(url, cookie))) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def serve(env, workers: int):
    port = free_port()
    server = subprocess.Popen([_common.venv_bin("restons"), "serve", "--port", str(port), "--no-worker",
                               "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            return server, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def first_visits(env, cookie: str, workers: int, clients: int) -> tuple[list[float], bool, float]:
    """Latencies of ``clients`` concurrent first visits of a new day, whether any said updating, warm p50."""
    server, url = serve(env, workers)
    try:
        # Every worker warm (imports, templates, catalogues) on today's checkups, as a server that has been
        # running since yesterday; then the checkups go back to yesterday's last read.
        for _ in range(3):
            warmers = [threading.Thread(target=get, args=(url, cookie)) for _ in range(2 * workers)]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()
        yesterday(env)
        results = together(url, cookie, clients)
        time.sleep(0.5)
        # Warm: once the day's checkups are current (the background recomputation, if any, has ended),
        # the same number of clients at once: the slowest of each batch, median of 10 batches.
        for _ in range(240):
            if not get(url, cookie)[1]:
                break
            time.sleep(0.5)
        warm = statistics.median(max(r[0] for r in together(url, cookie, clients)) for _ in range(10))
        return [r[0] for r in results], any(r[1] for r in results), warm
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = _common.data_env()
    cookie = session_cookie(env)
    db = "PostgreSQL" if env.get("RESTONS_DATABASE_URL") else "SQLite"
    print(f"{db}, Today page over HTTP, restons serve --workers {args.workers}, {args.rounds} rounds")
    for clients in (1, 4):
        ratios = []
        for _ in range(args.rounds):
            firsts, updating, warm = first_visits(env, cookie, args.workers, clients)
            worst = max(firsts)
            ratios.append(worst / warm)
            print(f"  {clients} first visit(s): slowest {worst * 1000:7.1f} ms (all: "
                  f"{', '.join(f'{f * 1000:.0f}' for f in sorted(firsts))} ms){' — said updating' if updating else ''}"
                  f";  warm (slowest of {clients} at once, median) {warm * 1000:6.1f} ms;  ratio {worst / warm:5.2f}")
        print(f"{clients} concurrent first visit(s): median ratio {statistics.median(ratios):.2f} (bar ≤ 3)")


if __name__ == "__main__":
    main()
