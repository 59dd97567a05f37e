"""The write helpers of large imports (restons.services.prepared)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from restons.services import prepared
from restons.services.prepared import IMPORT_CHECKPOINT_PAGES, import_writes


def checkpoint_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_an_import_copies_its_log_less_often_and_gives_the_connection_its_setting_back():
    """GIVEN a SQLite connection with its usual checkpoint setting
    WHEN an import writes its batches, and one fails half-way
    THEN the log is copied every IMPORT_CHECKPOINT_PAGES pages meanwhile, and the connection (a web worker's,
    which serves requests next) has its setting back either way."""
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting (PostgreSQL has no write-ahead log copy to put off)")
    usual = checkpoint_pages()
    assert usual != IMPORT_CHECKPOINT_PAGES
    with import_writes():
        assert checkpoint_pages() == IMPORT_CHECKPOINT_PAGES
    assert checkpoint_pages() == usual
    with pytest.raises(RuntimeError), import_writes():
        raise RuntimeError("a batch failed")
    assert checkpoint_pages() == usual


@pytest.mark.django_db
def test_an_import_pauses_for_other_writers_once_per_half_second_and_after_every_batch_while_they_write(monkeypatch):
    """GIVEN an import writing 20 batches of 0.125 s each on SQLite (a clock of our own)
    WHEN nobody else writes, then when someone commits during every pause
    THEN it pauses at once and then after at most SQLITE_HOLD of writing (a writer that comes waits no longer),
    not after every batch; and after every batch while others write."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows: an import never pauses for other writers")
    clock, pauses, version = [1000.0], [], [0]
    others_write = [False]

    def sleep(seconds):
        pauses.append((clock[0], clock[0] + seconds))
        clock[0] += seconds
        version[0] += others_write[0]  # someone took the lock and committed meanwhile

    monkeypatch.setattr(prepared.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(prepared.time, "sleep", sleep)
    monkeypatch.setattr(prepared, "_data_version", lambda: version[0])
    monkeypatch.setattr(prepared, "_pauses", threading.local())
    monkeypatch.setattr(prepared, "SQLITE_PAUSE", 0.125)

    def import_batches(count: int) -> list[tuple[float, float]]:
        pauses.clear()
        for _batch in range(count):
            prepared.let_others_write()
            clock[0] += 0.125  # the batch's transaction, holding the lock
        return list(pauses)

    quiet = import_batches(20)
    assert quiet[0][0] == 1000.0
    assert 3 <= len(quiet) <= 6
    assert max(start - ended for (_s, ended), (start, _e) in zip(quiet, quiet[1:])) <= prepared.SQLITE_HOLD + 0.125

    others_write[0] = True
    busy = import_batches(20)
    assert len(busy) == 20
