"""Rows in and rows changed with one prepared statement (``executemany``): the writes of large imports.

``bulk_create`` and ``bulk_update`` build a model instance per row, prepare
every value through its field and, for updates, a ``CASE`` expression per row
and column: most of the time of a 20,000-message mbox import went there. These
two send the same rows with one statement prepared once. No primary keys come
back, and no signals are sent (``bulk_create`` sends none either), so they are
for rows nothing needs to refer to in the same step.
"""

from __future__ import annotations

from django.db import connection, models


def insert_rows(model, rows: list[dict]) -> int:
    """INSERT ``rows`` (attribute name -> value; the field's default when absent) into ``model``'s table."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    plan = [(f.attname, f.get_default(), _preparer(f)) for f in fields]
    values = []
    for row in rows:
        line = []
        for name, default, prepare in plan:
            value = row.get(name, default)
            line.append(prepare(value) if prepare is not None and value is not None else value)
        values.append(line)
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(rows)


def update_rows(model, columns: list[str], rows: list[list]) -> int:
    """Set ``columns`` of ``model``'s rows: each of ``rows`` is the new values in that order, then the row's id."""
    if not rows:
        return 0
    fields = [model._meta.get_field(c) for c in columns]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
           f"WHERE {quote(model._meta.pk.column)} = %s")
    prepare = [_preparer(f) for f in fields] + [None]
    values = [[v if fix is None or v is None else fix(v) for fix, v in zip(prepare, row)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(rows)


def _preparer(field):
    """How a value of ``field`` is sent: datetimes as the backend stores them (UTC text on SQLite), text as str
    (choices are str subclasses the drivers may not take)."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, (models.CharField, models.TextField)):
        return str
    return None
