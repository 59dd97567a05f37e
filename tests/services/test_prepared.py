"""The write helpers of large imports (restons.services.prepared)."""

from __future__ import annotations

import fcntl
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import DataError, connection
from django.utils import timezone

from restons.models import Interaction, Milestone, Person
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


class FakeTime:
    """prepared's clock and sleep, and SQLite's count of others' commits, as a test sets them."""

    def __init__(self, monkeypatch):
        self.now, self.pauses, self.version, self.others_write = 1000.0, [], 0, False
        monkeypatch.setattr(prepared.time, "monotonic", lambda: self.now)
        monkeypatch.setattr(prepared.time, "sleep", self.sleep)
        monkeypatch.setattr(prepared, "_data_version", lambda: self.version)

    def sleep(self, seconds: float) -> None:
        self.pauses.append((self.now, self.now + seconds))
        self.now += seconds
        self.version += self.others_write  # someone took the lock and committed meanwhile


def write_batches(batches: prepared.Batches, clock: FakeTime, count: int, seconds: float = 0.125) -> list:
    clock.pauses.clear()
    for _batch in range(count):
        with batches.batch():
            clock.now += seconds  # the batch's writes, holding the lock
    return list(clock.pauses)


@pytest.mark.django_db
def test_an_import_pauses_for_other_writers_once_per_half_second_and_after_every_batch_while_they_write(monkeypatch):
    """GIVEN an import writing 20 batches of 0.125 s each on SQLite (a clock of our own), where waiting writers
    cannot say so (no fcntl, a database in memory, a folder it cannot write in)
    WHEN nobody else writes, then when someone commits during every pause
    THEN it pauses only after SQLITE_HOLD of writing, and then at most SQLITE_HOLD plus one batch apart (a writer
    that comes waits no longer), not after every batch; and after every batch while others write."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows: an import never pauses for other writers")
    clock = FakeTime(monkeypatch)
    monkeypatch.setattr(prepared, "someone_waits", lambda: None)
    batches = prepared.Batches(since=clock.version)
    quiet = write_batches(batches, clock, 20)
    assert quiet[0][0] >= 1000.0 + prepared.SQLITE_HOLD  # nobody was waiting when it began
    assert 3 <= len(quiet) <= 6
    assert max(start - ended for (_s, ended), (start, _e) in zip(quiet, quiet[1:])) <= prepared.SQLITE_HOLD + 0.125

    clock.others_write = True
    busy = write_batches(batches, clock, 20)
    assert len(busy) >= 20 - 4  # (the first once the quiet rule pauses, after SQLITE_HOLD at most; then each batch)
    assert all(start - ended == pytest.approx(0.125) for (_s, ended), (start, _e) in zip(busy, busy[1:]))


@pytest.mark.django_db
def test_someone_who_wrote_while_the_file_was_read_is_paused_for_from_the_first_batch(monkeypatch):
    """GIVEN someone committed while the import read its file (its mark taken before reading)
    WHEN the import writes its batches
    THEN it pauses after each one, the first included."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows: an import never pauses for other writers")
    clock = FakeTime(monkeypatch)
    since = prepared.others_mark()
    clock.version += 1  # a login, while the file was read
    clock.others_write = True
    pauses = write_batches(prepared.Batches(since=since), clock, 5)
    assert len(pauses) == 5
    assert pauses[0][0] == 1000.125


@pytest.mark.django_db(transaction=True)
def test_batches_that_share_a_transaction_are_undone_together_and_those_committed_stay(monkeypatch, alice):
    """GIVEN batches of 0.25 s on SQLite, so that two share a transaction, the fourth failing
    WHEN the import stops with that failure
    THEN the first two (committed at the pause) are stored and the third (sharing the fourth's transaction)
    is not: each batch all or nothing, and nothing of a failed transaction half-written."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL each batch is its own transaction")
    from restons.models import Person

    clock = FakeTime(monkeypatch)
    with pytest.raises(RuntimeError), import_writes(since=clock.version) as batches:
        for number in range(1, 5):
            with batches.batch():
                Person.objects.create(owner=alice, name=f"Batch {number}", created_at=timezone.now())
                clock.now += 0.25
                if number == 4:
                    raise RuntimeError("the fourth batch failed")
    assert sorted(Person.objects.filter(owner=alice).values_list("name", flat=True)) == ["Batch 1", "Batch 2"]
    assert not connection.in_atomic_block


@pytest.mark.django_db
def test_an_import_pauses_for_a_writer_who_says_they_wait_and_every_two_seconds_for_anyone(monkeypatch):
    """GIVEN an import writing 20 batches of 0.125 s each on SQLite, committing every SQLITE_HOLD
    WHEN nobody says they wait for the lock, then when someone does
    THEN it pauses only every SQLITE_BLIND seconds (for writers outside Restons, who say nothing) in the first
    case, and at every commit, SQLITE_HOLD plus one batch apart at most, in the second."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows: an import never pauses for other writers")
    clock = FakeTime(monkeypatch)
    waiting = []
    monkeypatch.setattr(prepared, "someone_waits", lambda: bool(waiting))
    batches = prepared.Batches(since=clock.version)
    quiet = write_batches(batches, clock, 20)
    assert [start for start, _end in quiet] == [1000.0 + prepared.SQLITE_BLIND]

    waiting.append("a login")
    arrived = clock.now
    asked = write_batches(batches, clock, 20)
    assert len(asked) >= 4
    assert asked[0][0] - arrived <= prepared.SQLITE_HOLD + 0.125
    assert max(start - ended for (_s, ended), (start, _e) in zip(asked, asked[1:])) <= prepared.SQLITE_HOLD + 0.125


def test_the_waiting_file_tells_whether_a_writer_waits(tmp_path):
    """GIVEN the waiting file beside a SQLite database WHEN nobody holds it, then a writer holds it (shared, as
    a Restons connection does while it waits for the lock) THEN someone_waits says False, then True; a database
    in memory has no such file: it cannot tell (None)."""
    database = {"NAME": str(tmp_path / "restons.sqlite3")}
    assert prepared.someone_waits(database) is False
    with open(tmp_path / "restons.sqlite3-waiting", "ab") as waiter:
        fcntl.flock(waiter, fcntl.LOCK_SH)
        assert prepared.someone_waits(database) is True
    assert prepared.someone_waits(database) is False
    assert prepared.waiting_path({"NAME": ":memory:"}) is None
    assert prepared.waiting_path({"NAME": "file:memorydb_default?mode=memory&cache=shared"}) is None


TRICKY = ["Zoë O'Brien", "tab\there", "line\nbreak", "back\\slash", "\\N", "名前 » «", "", "x" * 300]


@pytest.mark.django_db
def test_rows_an_import_writes_in_one_go_read_back_as_written_with_the_defaults_the_orm_gives(alice):
    """Imports write through table(): on PostgreSQL, from COPY_FROM rows on, one binary COPY with each
    column's type named. Every value comes back as written (text COPY's escapes, its null marker, dates,
    zoned times to the microsecond), and every column not given has the default the ORM writes."""
    n = prepared.COPY_FROM + 20
    made = timezone.now().replace(microsecond=123456).astimezone(ZoneInfo("Pacific/Chatham"))
    ids = prepared.allocate_ids(Person, n)
    names = [TRICKY[i % len(TRICKY)] or f"#{i}" for i in range(n)]
    met = [date(2020, 2, 29) + timedelta(days=i) if i % 3 else None for i in range(n)]
    columns = ("id", "owner_id", "name", "connected_on", "met_how", "notes", "created_at")
    written = prepared.table(Person, columns).insert(
        (pk, alice.pk, name, met[i], TRICKY[(i + 1) % len(TRICKY)], TRICKY[(i + 2) % len(TRICKY)], made)
        for i, (pk, name) in enumerate(zip(ids, names)))
    assert written == n
    orm = Person.objects.create(owner=alice, name="by the ORM", created_at=made)
    fields = [f.attname for f in Person._meta.concrete_fields
              if f.attname not in ("id", "name", "connected_on", "met_how", "notes")]
    for i, person in enumerate(Person.objects.filter(id__in=ids).order_by("id")):
        assert (person.id, person.name, person.connected_on) == (ids[i], names[i], met[i])
        assert (person.met_how, person.notes) == (TRICKY[(i + 1) % len(TRICKY)], TRICKY[(i + 2) % len(TRICKY)])
        assert [getattr(person, f) for f in fields] == [getattr(orm, f) for f in fields]

    # Instants, each written in Chatham's zone. Arithmetic on a zoned datetime is on its wall clock: a day back
    # from now could land in the hour Chatham skips when summer time starts (02:45 to 03:45 on the last Sunday of
    # September), a time that does not exist and so names no one instant (CI drew it at 13:00 UTC).
    at = [(made.astimezone(UTC) - timedelta(days=i, microseconds=i)).astimezone(made.tzinfo) for i in range(n)]
    until = [(at[i].astimezone(UTC) + timedelta(minutes=i)).astimezone(made.tzinfo) if i % 2 else None
             for i in range(n)]
    prepared.table(Interaction, ("owner_id", "person_id", "at", "until", "direction", "summary", "source",
                                 "source_key")).insert(
        (alice.pk, ids[i], at[i], until[i], "out", names[i], "test", f"k{i}") for i in range(n))
    stored = list(Interaction.objects.filter(owner=alice).order_by("source_key").values_list(
        "source_key", "person_id", "at", "until", "summary", "channel", "content_id"))
    assert sorted(stored) == sorted(
        (f"k{i}", ids[i], at[i], until[i], names[i], "other", None)
        for i in range(n))

    prepared.table(Milestone, ("owner_id", "person_id", "title", "on", "yearly")).insert(
        (alice.pk, ids[i], names[i], met[i] or date(1999, 12, 31), i % 2 == 0) for i in range(n))
    assert sorted(Milestone.objects.filter(owner=alice).values_list("person_id", "title", "on", "yearly")) == sorted(
        (ids[i], names[i], met[i] or date(1999, 12, 31), i % 2 == 0) for i in range(n))


@pytest.mark.django_db(transaction=True)
def test_a_value_too_long_for_its_column_is_refused_and_nothing_of_the_rows_is_written(alice):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite does not enforce a column's length (the importers cut values to it first)")
    rows = [(alice.pk, f"person {i}", timezone.now()) for i in range(prepared.COPY_FROM + 1)]
    rows[-1] = (alice.pk, "x" * 301, timezone.now())
    with pytest.raises(DataError):
        prepared.table(Person, ("owner_id", "name", "created_at")).insert(rows)
    assert not Person.objects.filter(owner=alice).exists()
