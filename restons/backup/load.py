"""Restore a backup into an empty user: streamed, checked value by value, all or nothing.

The document is read with ijson's event parser, so memory holds one batch of
rows plus, for each table that others reference (people, circles, events…),
the map from the backup's ids to the new ones. Everything happens in one
transaction: a damaged file, a value out of limits, a reference to a row that
is not in the backup, or a backup that ends early writes nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO

import ijson
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from restons import limits
from restons.backup import FORMAT, VERSION
from restons.backup.tables import Table, tables
from restons.services import checkups
from restons.services.errors import UserError

BATCH = 1000


class Damaged(UserError):
    """The file is not a readable Restons backup; the message says where and what."""


# -- reading the document ------------------------------------------------------------------------


class Document:
    """A backup document read as a stream of ijson events: first its header, then its tables."""

    def __init__(self, stream: IO[bytes]):
        self._events = ijson.basic_parse(stream, use_float=True)

    def _next(self) -> tuple[str, object]:
        try:
            return next(self._events)
        except StopIteration:
            raise Damaged(_("the file ends before the backup does")) from None
        except ijson.IncompleteJSONError as exc:
            if "premature EOF" in str(exc):
                raise Damaged(_("the file ends before the backup does")) from None
            raise Damaged(_("not valid JSON (%(error)s)") % {"error": str(exc).splitlines()[0][:120]}) from None
        except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
            raise Damaged(_("not valid JSON (%(error)s)") % {"error": str(exc).splitlines()[0][:120]}) from None

    def _value(self, event: str, value):
        """The whole value that starts with (event, value): a scalar, or a map or array built from its events."""
        if event not in ("start_map", "start_array"):
            return value
        builder = ijson.ObjectBuilder()
        builder.event(event, value)
        depth = 1
        while depth:
            event, value = self._next()
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
        return builder.value

    def header(self) -> dict:
        """Every top-level field before ``tables`` (``format`` and ``version`` must be among them)."""
        event, _value = self._next()
        if event != "start_map":
            raise Damaged(_("this is not a Restons backup (no JSON object)"))
        found = {}
        while True:
            event, value = self._next()
            if event == "end_map":
                raise Damaged(_("the backup has no tables"))
            if value == "tables":
                return found
            found[value] = self._value(*self._next())

    def tables(self) -> Iterator[tuple[str, Iterator[dict]]]:
        """(label, rows) for each table; each table's rows must be read before asking for the next table."""
        event, _value = self._next()
        if event != "start_map":
            raise Damaged(_("“tables” is not an object"))
        while True:
            event, label = self._next()
            if event == "end_map":
                return
            event, _value = self._next()
            if event != "start_array":
                raise Damaged(_("table %(table)s is not a list of rows") % {"table": label})
            rows = self._rows(label)
            yield label, rows
            for _row in rows:  # whatever the caller left
                pass

    def _rows(self, label: str) -> Iterator[dict]:
        while True:
            event, value = self._next()
            if event == "end_array":
                return
            row = self._value(event, value)
            if not isinstance(row, dict):
                raise Damaged(_("table %(table)s holds something that is not a row") % {"table": label})
            yield row

    def finish(self) -> None:
        """Read to the end: what follows the tables must still be well-formed JSON."""
        depth = 1
        while depth:
            event, _value = self._next()
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
        try:
            extra = next(self._events)
        except StopIteration:
            return
        except (ijson.JSONError, ValueError):
            extra = None
        raise Damaged(_("there is something after the end of the backup (%(what)s)") % {"what": extra})


@contextmanager
def opened(path: str | Path) -> Iterator[IO[bytes]]:
    """The backup document at ``path``: a JSON file, or the one JSON file of a zip."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.endswith(".json")]
                if len(names) != 1:
                    raise Damaged(_("the zip must hold exactly one .json file, the backup"))
                with archive.open(names[0]) as stream:
                    yield stream
            return
        with open(path, "rb") as stream:
            yield stream
    except OSError as exc:
        raise UserError(_("cannot read %(path)s: %(why)s") % {"path": path, "why": exc.strerror or exc}) from None
    except zipfile.BadZipFile as exc:
        raise Damaged(_("damaged zip (%(why)s)") % {"why": exc}) from None


def check_header(header: dict) -> None:
    if header.get("format") != FORMAT:
        raise Damaged(_("this is not a Restons backup (its “format” is not %(format)s)") % {"format": FORMAT})
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Damaged(_("the backup's version is missing or unreadable"))
    if version > VERSION:
        raise UserError(
            _("This backup is format version %(found)s; this Restons reads version %(known)s at most: upgrade Restons first.")
            % {"found": version, "known": VERSION}
        )


# -- values --------------------------------------------------------------------------------------


def _converter(field: models.Field) -> Callable:
    """A function from a JSON value to the stored value of ``field``; raises ValueError with the reason."""
    choices = {value for value, _label in field.flatchoices} if field.choices else None
    if choices is not None and field.blank:
        choices.add("")  # "not chosen" (a language that follows the browser)

    def checked(value):
        if choices is not None and value not in choices:
            allowed = ", ".join(sorted(str(c) for c in choices))
            raise ValueError(_("%(value)r is not one of %(allowed)s") % {"value": value, "allowed": allowed})
        return value

    if isinstance(field, models.JSONField):
        return lambda value: value
    if isinstance(field, models.DateTimeField):
        def moment(value):
            when = datetime.fromisoformat(_text(value))
            if when.tzinfo is None:
                raise ValueError(_("%(value)r has no UTC offset") % {"value": value})
            return limits.check_date(when)
        return moment
    if isinstance(field, models.DateField):
        return lambda value: limits.check_date(date.fromisoformat(_text(value)))
    if isinstance(field, models.BooleanField):
        def boolean(value):
            if not isinstance(value, bool):
                raise ValueError(_("%(value)r is not true or false") % {"value": value})
            return value
        return boolean
    if isinstance(field, (models.IntegerField, models.AutoField)):
        def whole(value):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(_("%(value)r is not a whole number") % {"value": value})
            return checked(value)
        return whole
    if isinstance(field, models.FloatField):
        def number(value):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(_("%(value)r is not a number") % {"value": value})
            return float(value)
        return number
    if isinstance(field, (models.CharField, models.TextField)):
        longest = field.max_length or limits.TEXT_MAX
        def text(value):
            value = checked(_text(value))
            if len(value) > longest:
                raise ValueError(_("%(length)s characters, more than %(max)s") % {"length": len(value), "max": longest})
            return value
        return text
    def other(value):
        try:
            return field.to_python(value)
        except Exception as exc:  # ValidationError and friends: one line is enough
            raise ValueError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
    return other


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(_("%(value)r is not text") % {"value": value})
    return value


# -- writing -------------------------------------------------------------------------------------


class _Restorer:
    def __init__(self, owner):
        self.owner = owner
        self.ids: dict[str, dict[int, int]] = {}  # per referenced table: backup id -> new id
        self.targets = {target for table in tables() for _name, target in table.references}

    def table(self, table: Table, rows: Iterator[dict]) -> int:
        """Insert every row of ``table``; returns how many."""
        references = dict(table.references)
        known = {f.name for f in table.fields} | set(table.secrets) | ({"id"} if table.writes_id else set())
        fields = [(f, f.name, f.attname, references.get(f.name), None if f.name in references else _converter(f))
                  for f in table.fields]
        automatic = [f for f in table.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        mapping = self.ids.setdefault(table.label, {}) if table.label in self.targets else None
        raw = _RawInsert(table) if mapping is None and not automatic else None
        if table.one_per_owner:
            table.model._default_manager.filter(owner_id=self.owner.pk).delete()
        batch, olds, count = [], [], 0
        for number, row in enumerate(rows, 1):
            where = _("%(table)s, row %(number)s") % {"table": table.label, "number": number}
            unknown = sorted(set(row) - known)
            if unknown:
                raise Damaged(_("%(where)s: unknown field %(field)s; was it written by a newer Restons?")
                              % {"where": where, "field": unknown[0]})
            old = row.get("id")
            if table.writes_id and (isinstance(old, bool) or not isinstance(old, int)):
                raise Damaged(_("%(where)s: no id") % {"where": where})
            values = {"owner_id": self.owner.pk}
            for field, name, attname, target, convert in fields:
                if name not in row:
                    if field.has_default() or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                        continue
                    if not field.null:
                        raise Damaged(_("%(where)s: %(field)s is missing") % {"where": where, "field": name})
                    values[attname] = None
                    continue
                value = row[name]
                if value is None:
                    if not field.null:
                        raise Damaged(_("%(where)s: %(field)s cannot be empty") % {"where": where, "field": name})
                    values[attname] = None
                elif target is not None:
                    new = self.ids.get(target, {}).get(value) if isinstance(value, int) else None
                    if new is None:
                        raise Damaged(_("%(where)s: %(field)s refers to %(target)s %(id)s, which is not in the backup")
                                      % {"where": where, "field": name, "target": target, "id": value})
                    values[attname] = new
                else:
                    try:
                        values[attname] = convert(value)
                    except (ValueError, UserError) as exc:
                        raise Damaged(_("%(where)s: %(field)s: %(why)s") % {"where": where, "field": name, "why": exc}) from None
            batch.append(values if raw else table.model(**values))
            olds.append(old)
            if len(batch) >= BATCH:
                count += raw.insert(batch) if raw else self._flush(table, batch, olds, automatic, mapping)
                batch, olds = [], []
        if batch:
            count += raw.insert(batch) if raw else self._flush(table, batch, olds, automatic, mapping)
        return count

    def _flush(self, table: Table, batch, olds, automatic, mapping) -> int:
        kept = [{f.attname: getattr(obj, f.attname) for f in automatic} for obj in batch] if automatic else None
        table.model._default_manager.bulk_create(batch)
        if automatic:
            # bulk_create stamps auto_now(_add) fields with the current time: put the backup's back.
            for obj, values in zip(batch, kept):
                for attname, value in values.items():
                    if value is not None:
                        setattr(obj, attname, value)
            table.model._default_manager.bulk_update(batch, [f.name for f in automatic])
        if mapping is not None:
            for old, obj in zip(olds, batch):
                if old in mapping:
                    raise Damaged(_("%(table)s: id %(id)s appears twice") % {"table": table.label, "id": old})
                mapping[old] = obj.pk
        return len(batch)


class _RawInsert:
    """The rows of a table that nothing references, inserted with one prepared statement per batch.

    No model instance and no SQL compiled per row: on a million interactions that is a third of
    the restore's time. Values are prepared for the database as Django would (dates and JSON);
    a column the backup lacks (a secret, a field added later) gets the field's default.
    """

    PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField,
             models.ForeignKey)

    def __init__(self, table: Table):
        from django.db import connection

        self.columns = [f for f in table.model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        self.sql = (f"INSERT INTO {quote(table.model._meta.db_table)} "
                    f"({', '.join(quote(f.column) for f in self.columns)}) VALUES ({', '.join(['%s'] * len(self.columns))})")
        self.prepare = [None if isinstance(f, self.PLAIN) else (lambda v, f=f: f.get_db_prep_save(v, connection))
                        for f in self.columns]

    def insert(self, batch: list[dict]) -> int:
        from django.db import connection

        rows = []
        for values in batch:
            row = []
            for field, prepare in zip(self.columns, self.prepare):
                value = values[field.attname] if field.attname in values else field.get_default()
                row.append(value if prepare is None or value is None else prepare(value))
            rows.append(row)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
        return len(batch)


def check_empty(owner) -> None:
    """UserError unless ``owner`` owns no data (settings apart, which a restore replaces)."""
    for table in tables():
        if not table.one_per_owner and table.model._default_manager.filter(owner_id=owner.pk).exists():
            raise UserError(
                _("%(user)s already has data; restore into an empty user or a new instance (nothing was restored).")
                % {"user": owner.email or owner.get_username()}
            )


def restore(owner, path: str | Path) -> dict[str, int]:
    """Restore the backup at ``path`` into ``owner``, who must own no data yet; returns rows per table.

    Raises UserError (nothing written) for a non-empty owner, a backup of a
    newer format version, or a damaged file (the message says where).
    """
    try:
        return _restore(owner, path)
    except Damaged as exc:
        raise Damaged(_("%(path)s: %(why)s; nothing was restored.") % {"path": Path(path).name, "why": exc}) from None


def _restore(owner, path) -> dict[str, int]:
    known = {table.label: table for table in tables()}
    counts: dict[str, int] = {}
    with opened(path) as stream:
        document = Document(stream)
        check_header(document.header())
        try:
            with transaction.atomic(), checkups.deferred():
                check_empty(owner)
                restorer = _Restorer(owner)
                for label, rows in document.tables():
                    table = known.get(label)
                    if table is None:
                        raise Damaged(_("unknown table %(table)s; was it written by a newer Restons?") % {"table": label})
                    if label in counts:
                        raise Damaged(_("table %(table)s appears twice") % {"table": label})
                    counts[label] = restorer.table(table, rows)
                document.finish()
                checkups.forget(owner.pk)
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise Damaged(_("the rows do not fit together (%(why)s)") % {"why": reason}) from None
    return counts
