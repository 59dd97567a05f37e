"""Rows written with one prepared statement (``executemany``): the writes of large imports.

Django's ``bulk_create`` makes a model instance per row and prepares every value through
the query compiler, and ``bulk_update`` builds a ``CASE`` per row and column: most of an
import's write time. :func:`table` inserts plain tuples, :func:`update_by_id` sets columns
of rows by id, and :func:`allocate_ids` takes primary keys before the rows are written.
No signals are sent (``bulk_create`` sends none either).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from collections.abc import Iterable

from django.db import OperationalError, connection, transaction

try:
    import fcntl
except ImportError:  # (Windows: no waiter says so; imports pause for others every SQLITE_HOLD, as they did)
    fcntl = None


# From this many rows on, PostgreSQL gets them with COPY rather than executemany.
COPY_FROM = 100


class Table:
    """``INSERT`` of one model's rows as plain tuples, with one prepared ``executemany``.

    Each row gives the columns ``names`` (model attribute names, in order); every other column
    gets its field's default, so the database sees complete rows. Dates and datetimes are adapted
    the way the ORM would for this database.
    """

    def __init__(self, model, names: tuple[str, ...], ignore_conflicts: bool = False):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for f in model._meta.concrete_fields if f.attname not in names and not f.primary_key]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        quote = connection.ops.quote_name
        columns = [fields[n].column for n in names] + [f.column for f in rest]
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                    + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""))
        self.adapt = [(i, _adapter(fields[n])) for i, n in enumerate(names) if _adapter(fields[n])]
        # PostgreSQL: COPY for many rows (the rows go as one stream; executemany sends each row's
        # parameters as a statement). Not with ignore_conflicts: COPY has no ON CONFLICT.
        self.copy_sql, self.copy_types = None, None
        if not ignore_conflicts and connection.vendor == "postgresql":
            self.copy_sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
            # In binary, each value's type named: psycopg then dumps a row in C without choosing a dumper per
            # value, and the server parses no text (16,890 interactions into a table without indexes: an
            # eighth of text COPY's client time, a quarter of its wall). A type psycopg does not know: text.
            by_column = {f.column: f for f in model._meta.concrete_fields}
            types = [_copy_type(by_column[column]) for column in columns]
            if all(types):
                self.copy_sql += " (FORMAT BINARY)"
                self.copy_types = types

    def insert(self, rows: Iterable[tuple]) -> int:
        defaults = self.defaults
        if self.adapt:
            rows = self._adapted(rows)
        prepared = [(*row, *defaults) for row in rows] if defaults else list(rows)
        if self.copy_sql and len(prepared) >= COPY_FROM:
            # Errors as Django's (IntegrityError…), as executemany raises them.
            with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                if self.copy_types:
                    copy.set_types(self.copy_types)
                for row in prepared:
                    copy.write_row(row)
        elif prepared:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, prepared)
        return len(prepared)

    def _adapted(self, rows: Iterable[tuple]) -> Iterable[tuple]:
        """``rows`` with their dates and datetimes as the database takes them. An import stamps every
        row with one time: a value equal to the last one seen in its column is adapted once."""
        last: dict[int, tuple] = {}
        for row in rows:
            row = list(row)
            for i, adapt in self.adapt:
                value = row[i]
                if value is not None:
                    seen = last.get(i)
                    if seen is not None and seen[0] is value:
                        row[i] = seen[1]
                    else:
                        row[i] = adapted = adapt(value)
                        last[i] = (value, adapted)
            yield row


def _copy_type(field) -> str | None:
    """The PostgreSQL type psycopg knows ``field``'s column by ("varchar(40)" → "varchar"), None if it knows none."""
    import psycopg  # (only PostgreSQL asks)

    info = psycopg.adapters.types.get(field.db_type(connection).split("(")[0].strip())
    return info.name if info is not None else None


def _adapter(field):
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return None


@functools.cache
def _table_for(vendor: str, model, names: tuple[str, ...], ignore_conflicts: bool) -> Table:
    return Table(model, names, ignore_conflicts)


def table(model, names: tuple[str, ...], *, ignore_conflicts: bool = False) -> Table:
    """The prepared INSERT of ``model``'s rows giving ``names`` (cached per database vendor)."""
    return _table_for(connection.vendor, model, tuple(names), ignore_conflicts)


def allocate_ids(model, count: int) -> list[int]:
    """``count`` new primary keys of ``model``, taken before the rows are written (inside the batch's
    transaction, which on SQLite holds the write lock from its start: IMMEDIATE)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0] or 0
        # AUTOINCREMENT never gives a deleted row's id again: neither do we.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        top = max(top, row[0] if row else 0)
    return list(range(top + 1, top + 1 + count))


def update_by_id(model, owner, columns: list[str], rows: Iterable[tuple]) -> None:
    """Set ``columns`` of the owner's ``model`` rows: each row is the columns' new values, then the id."""
    fields = [model._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s AND owner_id = %s"
    params = [[field.get_db_prep_save(value, connection) for field, value in zip(fields, row[:-1])]
              + [row[-1], owner.pk] for row in rows]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


# SQLite copies its write-ahead log into the database once the log holds 1,000 pages (4 MB): after nearly
# every batch of a large import, so the same index pages were copied again and again.
IMPORT_CHECKPOINT_PAGES = 10_000
# SQLite has one write lock, and a writer waiting for it retries every 100 ms at most: a pause half as long
# again holds one of its tries even when the machine is busy (a pause of exactly 100 ms was now and then
# missed, and the writer waited for the next).
SQLITE_PAUSE = 0.15
# An import commits once per this many seconds of writing, and pauses then if a writer waits for the lock (who says
# so: see _announce_waits): a writer that comes meanwhile waits that long and one batch at most, and the import
# neither idles nor commits between every two batches (each commit writes every index page its rows changed to the
# log: the fewer, the fewer pages).
SQLITE_HOLD = 0.5
# With nobody waiting, an import still commits and pauses once per this many seconds of writing: a writer outside
# Restons (the sqlite3 shell, a script), which says nothing while it waits, gets in within its usual 5 s timeout.
SQLITE_BLIND = 2.0
# A Restons connection to SQLite first waits this long for the write lock, then says it waits (and waits as long
# as its timeout allows): an import pauses only for a writer that waits, not blindly twice a second.
SQLITE_FIRST_WAIT_MS = 50


def others_mark() -> int | None:
    """Before an import reads its file: the mark :func:`import_writes` compares with to tell whether someone
    else wrote meanwhile (then it pauses for them from its first batch on). None on PostgreSQL."""
    return _data_version() if connection.vendor == "sqlite" else None


class Batches:
    """An import's write batches (:func:`import_writes`): ``with batches.batch(): ...`` around each.

    On PostgreSQL each batch is its own transaction (rows are locked, not the database). On SQLite,
    whose one write lock every writer shares, batches share a transaction until it has held the lock
    SQLITE_HOLD seconds; then it commits, and pauses SQLITE_PAUSE seconds, long enough for a waiting
    writer to take the lock, when a writer waits for it (a login, a ping: Restons' connections say so,
    see :func:`_announce_waits`), or SQLITE_BLIND seconds after the last pause in any case (for writers
    outside Restons, which say nothing). Where waiters cannot say so (no ``fcntl``, a folder we cannot
    write in) it pauses at every commit, as it always did. While others write (someone committed during
    the last pause, or while the file was read), every batch commits and pauses. Each batch is all or
    nothing either way, and a failure rolls back the batches of its transaction: imports are idempotent,
    so running again writes them.
    """

    def __init__(self, since: int | None = None):
        self.sqlite = connection.vendor == "sqlite"
        self.shared = None  # the transaction batches share (SQLite), open between two of them
        self.began = time.monotonic()  # when the transaction began: after a commit, or when writing began
        self.paused = self.began  # when the import last paused for others (or began writing)
        self.others = self.sqlite and since is not None and _data_version() != since

    @contextlib.contextmanager
    def batch(self):
        if not self.sqlite:
            with transaction.atomic():
                yield
            return
        if self.shared is None:
            self.shared = transaction.atomic()
            self.shared.__enter__()
        try:
            # No savepoint of its own: a batch that fails rolls back its whole transaction (and a savepoint
            # would copy each page the batch changes first, to undo it alone).
            yield
        except BaseException:
            self._close(*sys.exc_info())
            raise
        now = time.monotonic()
        if self.others or now - self.began >= SQLITE_HOLD:
            self._close(None, None, None)
            self.began = now
            if self.others or now - self.paused >= SQLITE_BLIND or someone_waits() is not False:
                before = _data_version()
                time.sleep(SQLITE_PAUSE)
                self.others = _data_version() != before
                self.began = self.paused = time.monotonic()

    def _close(self, *exc_info) -> None:
        """Commit the shared transaction, or roll it back when ``exc_info`` names an error."""
        shared, self.shared = self.shared, None
        if shared is not None:
            shared.__exit__(*exc_info)


@contextlib.contextmanager
def import_writes(since: int | None = None):
    """Around an import's write batches: yields its :class:`Batches`; ``since`` is :func:`others_mark`'s.

    On SQLite, the log is also copied into the database every 10,000 pages instead of 1,000 (each index page
    the batches keep changing is copied once per 10,000 pages of log rather than after every batch: half the
    import's system time), then once at the end, and the connection gets its setting back. The batches'
    last transaction is committed at the end, or rolled back when the import fails.
    """
    batches = Batches(since)
    if connection.vendor != "sqlite":
        yield batches
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint={IMPORT_CHECKPOINT_PAGES}")
    try:
        yield batches
    except BaseException:
        batches._close(*sys.exc_info())
        raise
    else:
        batches._close(None, None, None)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")
            if not connection.in_atomic_block:  # (inside a transaction, the next commit does it)
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


# -- SQLite's one write lock: who waits for it says so ----------------------------------------------------------


def waiting_path(settings_dict: dict) -> str | None:
    """The file beside a SQLite database that writers hold (shared) while they wait for its write lock; None for
    a database in memory (the test suite's), which no other process writes."""
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return f"{name}-waiting"


def someone_waits(settings_dict: dict | None = None) -> bool | None:
    """Whether a Restons connection waits for the write lock of this SQLite database (the connection's, or the one
    ``settings_dict`` names): whether one holds its waiting file. None when that cannot be told (no ``fcntl``, a
    database in memory, a folder we cannot write in)."""
    path = waiting_path(connection.settings_dict if settings_dict is None else settings_dict)
    if fcntl is None or path is None:
        return None
    try:
        with open(path, "ab") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
    except OSError:
        return None


def _announce_waits(execute, sql, params, many, context):
    """Every statement of a Restons SQLite connection (an execute wrapper, see :func:`on_connect`).

    The connection waits SQLITE_FIRST_WAIT_MS for the write lock. A statement that could not have it in that
    time and started nothing yet (``BEGIN``, or a statement outside a transaction: it failed whole) runs again
    holding the waiting file (shared), waiting as long as the database's timeout: an import that holds the lock
    sees the file held and pauses for it (:class:`Batches`). Inside a transaction, which holds the lock from its
    ``BEGIN IMMEDIATE``, nothing waits.
    """
    db = context["connection"]
    if many and not db.in_atomic_block:
        # (each row would be its own statement: one that failed would leave the rows before it written)
        with _patient(db):
            return execute(sql, params, many, context)
    try:
        return execute(sql, params, many, context)
    except OperationalError as error:
        # (Django's BEGIN runs before its atomic block is marked open: it counts as outside a transaction.)
        if "database is locked" not in str(error) or db.in_atomic_block:
            raise
    with _waiting(db), _patient(db):
        return execute(sql, params, many, context)


@contextlib.contextmanager
def _patient(db):
    """The connection waits as long as its ``timeout`` option for the lock, then SQLITE_FIRST_WAIT_MS again."""
    seconds = db.settings_dict.get("OPTIONS", {}).get("timeout", 5)
    db.connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        db.connection.execute(f"PRAGMA busy_timeout = {SQLITE_FIRST_WAIT_MS}")


@contextlib.contextmanager
def _waiting(db):
    """Hold the waiting file (shared) while waiting; nothing is said when it cannot be opened."""
    try:
        handle = open(waiting_path(db.settings_dict), "ab")
    except OSError:
        handle = None
    if handle is None:
        yield
        return
    with handle:  # (closing it lets the lock go)
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def on_connect(sender, connection, **kwargs) -> None:
    """``connection_created``: a SQLite connection (in a file) waits SQLITE_FIRST_WAIT_MS for the write lock, then
    says it waits (:func:`_announce_waits`)."""
    if connection.vendor != "sqlite" or fcntl is None or waiting_path(connection.settings_dict) is None:
        return
    connection.connection.execute(f"PRAGMA busy_timeout = {SQLITE_FIRST_WAIT_MS}")
    if _announce_waits not in connection.execute_wrappers:
        # First, so outermost; and a ``connection.execute_wrapper()`` block, which pops the last wrapper when it
        # ends, still takes away its own when the connection was opened inside it.
        connection.execute_wrappers.insert(0, _announce_waits)


def _data_version() -> int:
    """SQLite's count of commits by other connections (PRAGMA data_version): it changes when someone else wrote."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        return cursor.fetchone()[0]
