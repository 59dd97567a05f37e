"""Write a user's backup: one JSON document, table by table, row by row, in constant memory.

The document::

    {"format": "restons-backup", "version": 1, "created_at": "…", "restons": "0.1.0",
     "owner": {"email": "…"},
     "left_out": {"tables": {…: why}, "fields": […], "note": "…"},
     "tables": {"restons.circle": [{"id": 3, "name": "Friends", …}, …], …}}

Each row is an object: its ``id`` in this backup and its fields; a reference
holds the ``id`` of the row it points to in the same backup. Tables come in
an order where every table follows the tables it references.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO

from django.db import connection, transaction

from restons.backup import FORMAT, VERSION
from restons.backup.tables import left_out, tables, to_json

JSON_NAME = "restons-backup.json"  # the document's name inside a zip
CHUNK = 2000


def backup_name(day=None) -> str:
    """The file name a download suggests: ``restons-backup-2026-06-15.json``."""
    from django.utils import timezone

    return f"restons-backup-{(day or timezone.localdate()).isoformat()}.json"


def _version() -> str:
    try:
        return metadata.version("restons")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@contextmanager
def snapshot():
    """Read every table as of one moment, without blocking writers.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: a deferred
    read transaction (the configured IMMEDIATE mode would take the write lock
    for the whole export). Inside an existing transaction (tests), that one.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def chunks(owner) -> Iterator[str]:
    """The backup of ``owner`` as pieces of text (rows are written as they are read)."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "restons": _version(),
        "owner": {"email": owner.email},
        "left_out": left_out(),
    }
    with snapshot():
        yield json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "tables": {'
        for number, table in enumerate(tables()):
            yield ("," if number else "") + f"\n  {json.dumps(table.label)}: ["
            names = (["id"] if table.writes_id else []) + [f.name for f in table.fields]
            columns = (["pk"] if table.writes_id else []) + [f.attname for f in table.fields]
            fields = ([None] if table.writes_id else []) + list(table.fields)
            rows = table.model._default_manager.filter(owner_id=owner.pk).order_by("pk").values_list(*columns)
            separator = "\n   "
            for values in rows.iterator(chunk_size=CHUNK):
                row = {name: (value if field is None else to_json(field, value))
                       for name, field, value in zip(names, fields, values)}
                yield separator + json.dumps(row, ensure_ascii=False)
                separator = ",\n   "
            yield "\n  ]"
        yield "\n }\n}\n"


def write_backup(owner, out: IO[str]) -> None:
    """Write ``owner``'s backup to the text stream ``out``."""
    for piece in chunks(owner):
        out.write(piece)


def export_json(owner, path: str | Path) -> Path:
    """Write ``owner``'s backup to ``path``: the JSON document, or a zip holding it when ``path`` ends in .zip."""
    path = Path(path)
    part = path.with_name(path.name + ".part")  # a failed export leaves no half file under the real name
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                with archive.open(JSON_NAME, "w", force_zip64=True) as raw:
                    with io.TextIOWrapper(raw, encoding="utf-8") as text:
                        write_backup(owner, text)
        else:
            with open(part, "w", encoding="utf-8") as out:
                write_backup(owner, out)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path
