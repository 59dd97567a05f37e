"""Throughput of the Today page with 16 concurrent clients beside 1 client, per server, in one run.

Usage (from the repository root, after bench/generate.py)::

    .venv/bin/python bench/concurrency.py [--seconds 15] [--clients 16]

Starts `restons serve` (Waitress, one process) and `restons serve --workers 2` (Gunicorn, two
processes) in turn on the generated data set (RESTONS_HOME / RESTONS_DATABASE_URL), logged in as its
owner, and for each measures requests per second on Today with one client, then with 16 at once
(p50, p99, errors). Bar (issue 12): 16 clients get ≥ 1.7× the throughput of one (both cores used).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import _common


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie(env) -> str:
    code = (
        "from restons.bootstrap import setup; setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "from restons.services.owners import cli_owner\n"
        "settings.ALLOWED_HOSTS = ['testserver']\n"
        "client = Client()\n"
        "client.force_login(cli_owner(), backend='django.contrib.auth.backends.ModelBackend')\n"
        "print(client.cookies[settings.SESSION_COOKIE_NAME].value)\n"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def load(url: str, cookie: str, clients: int, seconds: float) -> tuple[float, list[float], int]:
    """(requests per second, latencies, errors) with ``clients`` threads asking in a loop for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < end:
            started = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies, errors[0]


def wrk(url: str, cookie: str, clients: int, seconds: float) -> tuple[float, float, float, int]:
    """(requests per second, p50 and p99 in seconds, errors) from wrk, a load generator in C.

    wrk's own CPU is small, so on a 2-core machine the server gets the cores; Python client threads
    share one GIL with their own parsing and would measure the client as much as the server.
    """
    out = subprocess.run(["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds:.0f}s", "--latency",
                          "--timeout", "60s", "-H", f"Cookie: sessionid={cookie}", url],
                         check=True, capture_output=True, text=True).stdout

    def duration(label):
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(found.group(1)), found.group(2)
        return value / {"us": 1e6, "ms": 1e3, "s": 1}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)[: ]\s*(\d+)",
                                             out))
    return rate, duration("50"), duration("99"), errors


def p99(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--load", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python",
                        help="the load generator: wrk (Debian's package; the default when installed) or "
                             "Python threads in this process")
    args = parser.parse_args()
    env = _common.data_env()
    cookie = session_cookie(env)
    restons = _common.venv_bin("restons")
    db = "PostgreSQL" if env.get("RESTONS_DATABASE_URL") else "SQLite"
    print(f"{db}, Today page, {args.seconds:.0f} s per measure, load from {args.load}")
    for label, extra in (("Waitress, 1 process", []), ("Gunicorn, --workers 2", ["--workers", "2"])):
        port = free_port()
        server = subprocess.Popen([restons, "serve", "--port", str(port), "--no-worker", *extra], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
                    break
                except OSError:
                    time.sleep(0.5)
            load(url, cookie, args.clients, 3)  # warm every process
            if args.load == "wrk":
                one, one_p50, _one_p99, one_err = wrk(url, cookie, 1, args.seconds)
                many, many_p50, many_p99, many_err = wrk(url, cookie, args.clients, args.seconds)
            else:
                one, one_lat, one_err = load(url, cookie, 1, args.seconds)
                many, many_lat, many_err = load(url, cookie, args.clients, args.seconds)
                one_p50, many_p50, many_p99 = statistics.median(one_lat), statistics.median(many_lat), p99(many_lat)
            print(f"{label:24} 1 client {one:6.1f} req/s (p50 {one_p50 * 1000:5.0f} ms)   "
                  f"{args.clients} clients {many:6.1f} req/s (p50 {many_p50 * 1000:5.0f} ms, "
                  f"p99 {many_p99 * 1000:5.0f} ms, {one_err + many_err} errors)   ratio {many / one:4.2f} "
                  f"(bar ≥ 1.7)")
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
