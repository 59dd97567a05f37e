"""kill -9 in the middle of a large import, then the same import again: the result is exactly a clean import's.

The import writes in short transactions (batches); a batch is all or nothing, and each is idempotent
(contacts by their import record, interactions by their key), so a run after the kill finishes the
work. Compared with a clean import of the same file into another data directory, row by row
(without ids). Real subprocesses of the console script, real SIGKILL, on SQLite.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.test_console_script import SCRIPT, shutil

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30_000


def bench_generate(folder: Path, rows: int = ROWS) -> Path:
    spec = importlib.util.spec_from_file_location("bench_imports", ROOT / "bench" / "imports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    csv_path, _vcf = module.generate(folder, rows, 0, seed=11)
    return csv_path


def environment(home: Path) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("RESTONS_") and key != "DJANGO_SETTINGS_MODULE"}
    env.update(RESTONS_HOME=str(home), RESTONS_DATABASE_URL="", RESTONS_LANGUAGE="en",
               RESTONS_TIME_ZONE="Europe/Paris", RESTONS_DEFAULT_REGION="FR")
    return env


def command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [shutil.which("restons") or "restons"]


def count(database: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or busy
        return 0


QUERIES = {
    "people": "SELECT name, connected_on, met_how, notes, last_touch_at FROM restons_person",
    "identities": "SELECT i.kind, i.value, p.name FROM restons_identity i JOIN restons_person p ON p.id = i.person_id",
    "organisations": "SELECT name FROM restons_organisation",
    "affiliations": "SELECT p.name, p.connected_on, o.name, a.title FROM restons_affiliation a "
                    "JOIN restons_person p ON p.id = a.person_id JOIN restons_organisation o ON o.id = a.organisation_id",
    "sources": "SELECT s.source, s.key, p.name, p.connected_on FROM restons_sourcerecord s "
               "JOIN restons_person p ON p.id = s.person_id",
    "suggestions": "SELECT a.name, b.name, m.reason, m.organisation, m.score, m.status FROM restons_mergesuggestion m "
                   "JOIN restons_person a ON a.id = m.person_a_id JOIN restons_person b ON b.id = m.person_b_id",
}


def snapshot(database: Path) -> dict[str, list]:
    with sqlite3.connect(database) as connection:
        return {name: sorted(map(tuple, connection.execute(sql).fetchall()), key=repr)
                for name, sql in QUERIES.items()}


def test_an_import_killed_between_batches_and_run_again_ends_as_a_clean_import(tmp_path):
    connections = bench_generate(tmp_path)
    killed_home, clean_home = tmp_path / "killed", tmp_path / "clean"
    killed_db = killed_home / "restons.sqlite3"
    for home in (killed_home, clean_home):
        done = subprocess.run([*command(), "init"], env=environment(home), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    process = subprocess.Popen([*command(), "import", "linkedin", str(connections)], env=environment(killed_home),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while process.poll() is None and count(killed_db, "restons_sourcerecord") == 0:
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    written = count(killed_db, "restons_sourcerecord")
    assert 0 < written < ROWS  # killed in the middle: some batches written, not all

    for home in (killed_home, clean_home):
        done = subprocess.run([*command(), "import", "linkedin", str(connections)], env=environment(home),
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr

    killed, clean = snapshot(killed_db), snapshot(clean_home / "restons.sqlite3")
    assert len(clean["people"]) > ROWS * 0.9
    assert clean["suggestions"]
    for table in QUERIES:
        assert killed[table] == clean[table], table


def write_during(database: Path, *, say_so: bool) -> None:
    """Someone else writes (as logging in or a ping does), with a busy timeout of half the app's 20 s; with
    ``say_so``, holding the waiting file while waiting, as every Restons connection does."""
    with contextlib.ExitStack() as stack:
        if say_so:
            waiting = stack.enter_context(open(f"{database}-waiting", "ab"))
            fcntl.flock(waiting, fcntl.LOCK_SH)
        with sqlite3.connect(database, timeout=10, isolation_level=None) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE restons_person SET notes = 'written during the import' "
                               "WHERE id = (SELECT MIN(id) FROM restons_person)")
            connection.execute("COMMIT")


@pytest.mark.parametrize("say_so", [True, False], ids=["a Restons writer", "a writer outside Restons"])
def test_another_write_goes_through_while_a_large_import_runs(tmp_path, say_so):
    """GIVEN a 60,000-row import running (90,000 rows for a writer outside Restons: the import's writes then last
    well over 2 s) WHEN someone else writes, saying they wait as Restons' connections do, or not THEN the write
    commits while the import is still running: the import holds the write lock one short batch at a time, never
    for its whole length; it pauses for a writer who says they wait within a second, and every 2 s for anyone."""
    rows = 2 * ROWS if say_so else 3 * ROWS
    connections = bench_generate(tmp_path, rows)
    home = tmp_path / "home"
    database = home / "restons.sqlite3"
    done = subprocess.run([*command(), "init"], env=environment(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    process = subprocess.Popen([*command(), "import", "linkedin", str(connections), "--json"],
                               env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while process.poll() is None and count(database, "restons_sourcerecord") == 0:
            time.sleep(0.01)
        started = time.monotonic()
        write_during(database, say_so=say_so)
        waited = time.monotonic() - started
        running = process.poll() is None
        written = count(database, "restons_sourcerecord")
    finally:
        out, err = process.communicate(timeout=600)
    assert running and written < rows, (f"the import ended before the write ({written} rows, {waited:.2f} s): "
                                        "the test proves nothing")
    assert process.returncode == 0, err
    assert count(database, "restons_sourcerecord") == json.loads(out)["created"] > rows - 10  # (a few repeat)
    if say_so:
        assert waited < 1.5, "the import did not pause for a writer who said they wait"


def test_a_restons_write_that_waits_for_the_lock_says_so(tmp_path):
    """GIVEN another connection holding SQLite's write lock (as an import does between its pauses)
    WHEN `restons person add` writes THEN, once it has waited a moment, it holds the waiting file (which an
    import looks at to pause for it) while it waits, lets it go when done, and its write succeeds."""
    home = tmp_path / "home"
    database = home / "restons.sqlite3"
    done = subprocess.run([*command(), "init"], env=environment(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    def waits() -> bool:
        with open(f"{database}-waiting", "ab") as waiting:
            try:
                fcntl.flock(waiting, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False

    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        writer = subprocess.Popen([*command(), "person", "add", "Written While Locked"], env=environment(home),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while writer.poll() is None and not waits() and time.monotonic() < deadline:
            time.sleep(0.02)
        said_so = waits()
    finally:
        holder.execute("COMMIT")
        holder.close()
    out, err = writer.communicate(timeout=120)
    assert said_so, f"the write did not say it waits: {err}"
    assert writer.returncode == 0, err
    assert not waits()
    assert count(database, "restons_person WHERE name = 'Written While Locked'") == 1
