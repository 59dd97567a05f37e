"""The write helpers of large imports (restons.services.prepared)."""

from __future__ import annotations

import pytest
from django.db import connection

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
