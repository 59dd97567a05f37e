"""`restons serve --workers 2`: two processes serve the pages, and the scheduler runs once beside them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="Gunicorn: Linux and macOS")]

SCRIPT = Path(sys.executable).with_name("restons")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")


def cpu_ticks(pid: int) -> int:
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process tree from /proc")
def test_serve_with_two_workers_serves_from_two_processes_and_runs_one_scheduler(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("RESTONS_") and key != "DJANGO_SETTINGS_MODULE"}
    env.update(RESTONS_HOME=str(tmp_path / "home"), RESTONS_DATABASE_URL="", RESTONS_LANGUAGE="en")
    port = free_port()
    server = subprocess.Popen([str(SCRIPT), "serve", "--workers", "2", "--threads", "2", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(url, timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the server did not answer: {server.stderr.read() if server.poll() is not None else ''}")
        kids = children(server.pid)
        schedulers = [pid for pid in kids if "restons worker" in cmdline(pid)]
        web = [pid for pid in kids if pid not in schedulers]
        assert len(schedulers) == 1  # the scheduler runs once, not once per process
        assert len(web) == 2
        before = {pid: cpu_ticks(pid) for pid in web}
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _n: urllib.request.urlopen(url, timeout=30).status, range(80)))
        assert statuses == [200] * 80
        assert all(cpu_ticks(pid) > before[pid] for pid in web)  # both processes served some of them
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert not [pid for pid in children(server.pid)]
