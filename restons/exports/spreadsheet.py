"""CSV for spreadsheets: one file per table (the backup's tables), in a zip or a folder.

UTF-8 with a byte-order mark (so Excel reads accents right), one header row,
times in the user's time zone. A reference column holds the id of the row it
points to in the other file, followed by that row's name or title
(``person``, ``person_name``). Every cell that a spreadsheet would run as a
formula — starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return — is neutralised with a leading apostrophe (OWASP's advice against
CSV injection); so ``+33 6…`` phone numbers show as text too.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.db import models
from django.utils import timezone

from restons.backup.dump import snapshot
from restons.backup.tables import Table, tables

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(cell: str) -> str:
    """``cell`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def file_name(table: Table) -> str:
    return f"{table.label.split('.', 1)[1]}.csv"


def _label_field(model) -> str | None:
    """The field that names a row of ``model`` (``name`` or ``title``), for the column after a reference."""
    names = {f.name for f in model._meta.concrete_fields}
    return next((n for n in ("name", "title") if n in names), None)


def _cell(field: models.Field | None, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(field, models.JSONField):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ", ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def rows(owner, table: Table) -> Iterator[list[str]]:
    """The header, then every row of ``table`` for ``owner``, as neutralised cells."""
    references = dict(table.references)
    header, columns, fields = ["id"], ["pk"], [None]
    for field in table.fields:
        header.append(field.name)
        columns.append(field.attname)
        fields.append(field)
        if field.name in references and (label := _label_field(field.related_model)):
            header.append(f"{field.name}_{label}")
            columns.append(f"{field.name}__{label}")
            fields.append(None)
    yield header
    queryset = table.model._default_manager.filter(owner_id=owner.pk).order_by("pk").values_list(*columns)
    for values in queryset.iterator(chunk_size=CHUNK):
        yield [neutralise(_cell(field, value)) for field, value in zip(fields, values)]


def _write(owner, table: Table, stream) -> None:
    writer = csv.writer(stream)
    for row in rows(owner, table):
        writer.writerow(row)


def export_csv(owner, path: str | Path) -> Path:
    """Write one CSV per table: into a zip when ``path`` ends in .zip, else into the folder ``path``."""
    path = Path(path)
    with snapshot():
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                write_zip(owner, archive)
            return path
        path.mkdir(parents=True, exist_ok=True)
        for table in tables():
            with open(path / file_name(table), "w", encoding="utf-8-sig", newline="") as stream:
                _write(owner, table, stream)
    return path


def write_zip(owner, archive: zipfile.ZipFile) -> None:
    """One ``<table>.csv`` per table in ``archive``, each streamed into it."""
    for table in tables():
        with archive.open(file_name(table), "w", force_zip64=True) as raw:
            with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as stream:
                _write(owner, table, stream)
