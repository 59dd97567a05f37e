"""SQLite → PostgreSQL → SQLite with the real ``restons`` command: the same content at every step.

Each step is a subprocess with its own RESTONS_HOME and RESTONS_DATABASE_URL;
PostgreSQL gets a throw-away database, dropped at the end. Without a server
the test is skipped with a message, unless RESTONS_REQUIRE_POSTGRES=1 (CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NETWORK = Path(__file__).with_name("network.py")
RESTONS = str(Path(sys.executable).with_name("restons"))

pytestmark = pytest.mark.slow


def server_url() -> str:
    """The PostgreSQL server to use: the suite's own when it runs on PostgreSQL, else the default one."""
    url = os.environ.get("RESTONS_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def postgres_url():
    psycopg = pytest.importorskip("psycopg")
    base = server_url()
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("RESTONS_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL answers at {base}; the SQLite→PostgreSQL round trip needs one")
    name = f"restons_roundtrip_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(home: Path, database: str, *args: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESTONS_")}
    env.update(RESTONS_HOME=str(home), RESTONS_DATABASE_URL=database, RESTONS_LANGUAGE="en",
               RESTONS_TIME_ZONE="Europe/Paris", RESTONS_DEFAULT_REGION="FR")
    done = subprocess.run(list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sqlite_to_postgresql_and_back_keeps_every_table(tmp_path, postgres_url):
    """GIVEN a network on SQLite WHEN exported, restored into PostgreSQL, exported again and restored into a new
    SQLite THEN every table's content digest is the same at each step."""
    first, second, third = (tmp_path / name for name in ("sqlite-a", "postgres", "sqlite-b"))
    for home in (first, second, third):
        home.mkdir()
    run(first, "", sys.executable, str(NETWORK), "fill")
    original = json.loads(run(first, "", sys.executable, str(NETWORK), "digest"))
    run(first, "", RESTONS, "export", "json", str(tmp_path / "from-sqlite.json"))

    run(second, postgres_url, RESTONS, "restore", str(tmp_path / "from-sqlite.json"))
    on_postgres = json.loads(run(second, postgres_url, sys.executable, str(NETWORK), "digest"))
    run(second, postgres_url, RESTONS, "export", "json", str(tmp_path / "from-postgres.zip"))

    run(third, "", RESTONS, "restore", str(tmp_path / "from-postgres.zip"))
    back_on_sqlite = json.loads(run(third, "", sys.executable, str(NETWORK), "digest"))

    assert on_postgres == original
    assert back_on_sqlite == original
    assert len(original) >= 15
