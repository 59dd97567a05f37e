"""The real ``restons import mbox`` in a subprocess, on SQLite and on PostgreSQL:

- killed with SIGKILL while it writes, then run again: the same data as one clean run;
- while it runs, another process logs in and logs pings: every write gets through (SQLite's lock is
  held for half a second of writing at most; the writer gives up after 5 s of waiting).

The mailbox is bench/mail.py's (Takeout-style, 2–20 KB messages, encoded names, 8-bit subjects).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = Path(__file__).with_name("instance.py")
RESTONS = str(Path(sys.executable).with_name("restons"))
EMAIL, PASSWORD = "alex.martin@example.org", "a long enough password 42"
MESSAGES = 6000
# The import to kill: on SQLite, with nobody else writing, its batches share a transaction for half a second
# of writing; with this many messages its writes last several of those, so that the kill, sent once the first
# is committed, lands before the last one.
KILLED_MESSAGES = 30000

pytestmark = pytest.mark.slow


def generated(tmp_path_factory, messages: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_mail", ROOT / "bench" / "mail.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("mail") / "All mail Including Spam and Trash.mbox"
    module.generate(path, messages, seed=7)
    return path


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory) -> Path:
    return generated(tmp_path_factory, MESSAGES)


@pytest.fixture(scope="module")
def big_mailbox(tmp_path_factory) -> Path:
    return generated(tmp_path_factory, KILLED_MESSAGES)


def server_url() -> str:
    url = os.environ.get("RESTONS_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(params=["sqlite", "postgresql"])
def instances(request, tmp_path):
    """A function making a fresh instance (its own home, and database on PostgreSQL): its environment."""
    made = []

    def make() -> dict:
        home = tmp_path / f"home-{len(made)}"
        home.mkdir()
        url = ""
        if request.param == "postgresql":
            psycopg = pytest.importorskip("psycopg")
            try:
                admin = psycopg.connect(f"{server_url()}/postgres", autocommit=True, connect_timeout=3)
            except psycopg.OperationalError:
                if os.environ.get("RESTONS_REQUIRE_POSTGRES"):
                    raise
                pytest.skip("no PostgreSQL server")
            name = f"restons_capture_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            made.append((admin, name))
            url = f"{server_url()}/{name}"
        else:
            made.append((None, None))
        env = {key: value for key, value in os.environ.items() if not key.startswith("RESTONS_")}
        env.update(RESTONS_HOME=str(home), RESTONS_DATABASE_URL=url, RESTONS_LANGUAGE="en",
                   RESTONS_TIME_ZONE="Europe/Paris", RESTONS_DEFAULT_REGION="FR", RESTONS_USER=EMAIL)
        run(env, sys.executable, INSTANCE, "setup", EMAIL, PASSWORD)
        return env

    yield make
    for admin, name in made:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def run(env: dict, *args) -> str:
    done = subprocess.run([str(a) for a in args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def state(env: dict) -> dict:
    return json.loads(run(env, sys.executable, INSTANCE, "state"))


def imported(env: dict) -> int:
    """Interactions imported so far, read straight from the database (fast enough to catch the import mid-way)."""
    sql = "SELECT count(*) FROM restons_interaction WHERE source <> 'manual'"
    if env["RESTONS_DATABASE_URL"]:
        import psycopg

        with psycopg.connect(env["RESTONS_DATABASE_URL"]) as connection:
            return connection.execute(sql).fetchone()[0]
    import sqlite3

    connection = sqlite3.connect(f"file:{env['RESTONS_HOME']}/restons.sqlite3?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def test_killed_while_writing_then_run_again_is_one_clean_run(big_mailbox, instances):
    """GIVEN an import killed with SIGKILL after its first batches were written
    WHEN it is run again
    THEN the people, interactions, summaries, suggestions and identities are exactly those of one clean run."""
    clean = instances()
    summary = json.loads(run(clean, RESTONS, "import", "mbox", big_mailbox, "--json"))
    assert summary["interactions"] > 3000  # several batches to write

    killed = instances()
    process = subprocess.Popen([RESTONS, "import", "mbox", str(big_mailbox)], env=killed, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while imported(killed) == 0 and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    partial = imported(killed)
    assert 0 < partial < summary["interactions"]

    run(killed, RESTONS, "import", "mbox", big_mailbox)
    assert state(killed) == state(clean)


def test_logging_in_and_pinging_go_on_during_an_import(mailbox, instances, tmp_path):
    """GIVEN an import of a large mailbox running
    WHEN another process logs in and logs a ping again and again (waiting at most 5 s for the lock)
    THEN every write succeeds, and some happen while the import is writing its batches."""
    env = instances()
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, str(INSTANCE), "write", EMAIL, PASSWORD, str(stop)], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        summary = json.loads(run(env, RESTONS, "import", "mbox", mailbox, "--json"))
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    seen = [int(line) for line in out.split()]
    total = summary["interactions"]
    assert any(0 < count < total for count in seen), f"no write happened while the import was writing: {seen}"
    assert "database is locked" not in err
