"""End to end through the installed ``restons`` console script, on a fresh SQLite data directory.

Each subprocess costs about a second, so these are few and marked slow. They
use their own database file, never the test database, and never inherit a
``RESTONS_*`` setting (notably ``RESTONS_DATABASE_URL``) from the environment.
Times are fixed in the past and Today is evaluated with ``--date``, so the
results do not depend on the real clock.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = Path(sys.executable).with_name("restons")


@pytest.fixture
def home(tmp_path):
    """A data directory that does not exist yet."""
    return tmp_path / "data" / "restons"


@pytest.fixture
def run(home):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("RESTONS_") and key != "DJANGO_SETTINGS_MODULE"}
    env.update(RESTONS_HOME=str(home), RESTONS_DATABASE_URL="", RESTONS_LANGUAGE="en",
               RESTONS_TIME_ZONE="Europe/Paris", RESTONS_DEFAULT_REGION="FR")
    command = [str(SCRIPT)] if SCRIPT.exists() else [shutil.which("restons") or "restons"]

    def restons(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*command, *args], env=env, capture_output=True, text=True, timeout=60)

    return restons


def test_first_use_creates_the_data_dir_and_a_wal_sqlite_database(run, home):
    assert not home.exists()

    result = run("init")

    assert result.returncode == 0, result.stderr
    database = home / "restons.sqlite3"
    assert database.is_file()
    assert str(database) in result.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT count(*) FROM restons_person").fetchone()[0] == 0


def test_add_ping_today_round_trip(run, home):
    """GIVEN a fresh instance
    WHEN  Camille is added with a 10-day cadence, writes on 1 January, and Today runs for 21 January
    THEN  Today's JSON lists her: a reply owed for 20 days, and 10 days overdue.
    """
    added = run("person", "add", "Camille Martin", "--email", "camille@example.com", "--phone", "06 12 34 56 78",
                "--every", "10d")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added Camille Martin (#")
    pinged = run("ping", "+33612345678", "--from-them", "--via", "text", "--at", "2026-01-01T10:00")
    assert pinged.returncode == 0, pinged.stderr

    result = run("today", "--date", "2026-01-21", "--json")

    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["person"]["name"] == "Camille Martin"
    assert entry["reasons"] == [
        {"kind": "reply-owed", "text": "They reached out 20 days ago and are waiting for your reply"},
        {"kind": "overdue", "text": "10 days overdue; last in touch on 1 January 2026"},
    ]
    assert entry["draft"] == "Hi Camille, thank you for your message, and sorry for the slow reply! How are you?"
    assert entry["next_due"] == "2026-01-11"
    assert (home / "restons.sqlite3").is_file()


def test_bad_input_exits_non_zero_with_one_line_on_stderr(run):
    result = run("ping", "Nobody")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "restons: No person matches 'Nobody'; see 'restons person list'\n"


def test_python_dash_m_restons_is_the_same_program(home):
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESTONS_")}
    env.update(RESTONS_HOME=str(home), RESTONS_DATABASE_URL="")

    result = subprocess.run([sys.executable, "-m", "restons", "--version"], env=env, capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("restons, version ")


def test_postgresql_without_its_driver_says_what_to_install_in_one_line(home):
    """GIVEN RESTONS_DATABASE_URL names PostgreSQL and no driver can be imported
    WHEN  any command runs
    THEN  one line says to install restons[postgres], and the exit status is 1 (no traceback).
    """
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("RESTONS_") and key != "DJANGO_SETTINGS_MODULE"}
    env.update(RESTONS_HOME=str(home), RESTONS_DATABASE_URL="postgresql://restons@127.0.0.1:5432/restons")
    # A None entry in sys.modules makes "import psycopg" fail, as on a machine without the extra.
    program = ("import sys; sys.modules['psycopg'] = sys.modules['psycopg2'] = None; "
               "from restons.cli import main; main(['today'])")

    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("restons: RESTONS_DATABASE_URL names PostgreSQL, but its driver is not installed: "
                             "pip install 'restons[postgres]'\n")
