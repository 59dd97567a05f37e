"""kill -9 in the middle of a large import, then the same import again: the result is exactly a clean import's.

The import writes in short transactions (batches); a batch is all or nothing, and each is idempotent
(contacts by their import record, interactions by their key), so a run after the kill finishes the
work. Compared with a clean import of the same file into another data directory, row by row
(without ids). Real subprocesses of the console script, real SIGKILL, on SQLite.
"""

from __future__ import annotations

import importlib.util
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


def bench_generate(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench_imports", ROOT / "bench" / "imports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    csv_path, _vcf = module.generate(folder, ROWS, 0, seed=11)
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


def test_another_write_goes_through_while_a_large_import_runs(tmp_path):
    """GIVEN a 30,000-row import running WHEN someone else writes (as logging in or a ping does), with a
    busy timeout of half the app's 20 s THEN the write commits while the import is still running: the
    import holds the write lock one short batch at a time, never for its whole length."""
    connections = bench_generate(tmp_path)
    home = tmp_path / "home"
    database = home / "restons.sqlite3"
    done = subprocess.run([*command(), "init"], env=environment(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    process = subprocess.Popen([*command(), "import", "linkedin", str(connections)], env=environment(home),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while process.poll() is None and count(database, "restons_sourcerecord") == 0:
            time.sleep(0.01)
        with sqlite3.connect(database, timeout=10, isolation_level=None) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE restons_person SET notes = 'written during the import' "
                               "WHERE id = (SELECT MIN(id) FROM restons_person)")
            connection.execute("COMMIT")
        running = process.poll() is None
        written = count(database, "restons_sourcerecord")
    finally:
        _out, err = process.communicate(timeout=600)
    assert running and written < ROWS, "the import ended before the write: the test proves nothing"
    assert process.returncode == 0, err
    assert count(database, "restons_sourcerecord") == ROWS
