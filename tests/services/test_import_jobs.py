"""Import jobs: queued by the Import page, run by the worker to a summary or a one-line refusal.

The lifecycle (queued → running → done or failed, the file deleted at the end), the claim (once, with two
workers side by side on PostgreSQL), the worker that dies mid-import (its job queued again), progress
written while the import runs, and the worker's loop running a job nobody watches.
"""

from __future__ import annotations

import io
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.utils import timezone

from restons.importers.records import ContactRecord
from restons.models import Identity, ImportJob, Person
from restons.services import imports, jobs, worker
from restons.services.errors import NotFound, UserError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
APPLE = SAMPLES / "vcard" / "apple.vcf"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """RESTONS_HOME, where uploads wait for their job."""
    monkeypatch.setenv("RESTONS_HOME", str(tmp_path))
    return tmp_path


def apple() -> SimpleUploadedFile:
    return SimpleUploadedFile("apple.vcf", APPLE.read_bytes())


def uploads(home: Path) -> list[Path]:
    folder = home / "imports"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_job_goes_from_queued_to_running_to_done_with_the_summary_of_restons_import(alice, bob, home):
    job = jobs.queue(alice, "vcard", apple(), options={"region": "FR"}, language="en")

    saved = home / job.file_path
    assert (job.status, job.source, job.options, job.file_name, job.file_size) == (
        "queued", "vcard", {"region": "FR"}, "apple.vcf", APPLE.stat().st_size)
    assert saved.name == "apple.vcf" and saved.read_bytes() == APPLE.read_bytes()
    assert saved.parent.parent == home / "imports"

    claimed = jobs.claim_one("worker-a")
    assert (claimed.pk, claimed.status, claimed.claimed_by, claimed.attempts) == (job.pk, "running", "worker-a", 1)
    assert claimed.started_at is not None
    assert jobs.claim_one("worker-b") is None  # claimed once

    assert jobs.run(claimed, "worker-a") == "done"

    job.refresh_from_db()
    cli = imports.run_import(bob, "vcard", APPLE, region="FR").as_json()  # what `restons import` says
    assert job.summary == cli
    assert job.summary["created"] == 3 and Person.objects.filter(owner=alice).count() == 3
    assert job.progress == job.summary["records"]
    assert (job.status, job.error, job.file_path) == ("done", "", "")
    assert job.finished_at >= job.started_at
    assert uploads(home) == [] and not saved.parent.exists()  # the upload is deleted when the job ends


def test_a_refused_file_fails_its_job_with_one_line_and_nothing_is_written(alice, home):
    job = jobs.queue(alice, "vcard", SimpleUploadedFile("photo.vcf", PNG))

    assert jobs.run_queued("worker-a") == {"failed": 1}

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "photo.vcf: no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"
    assert job.summary is None
    assert not Person.objects.exists() and not Identity.objects.exists()
    assert uploads(home) == []


def test_a_job_speaks_the_language_of_the_page_that_queued_it(alice, home):
    job = jobs.queue(alice, "vcard", SimpleUploadedFile("vide.vcf", b""), language="fr")

    jobs.run_queued("worker-a")

    job.refresh_from_db()
    assert job.error.startswith("vide.vcf\u00a0: le fichier est vide")


def broken_parse(path, **options):
    raise ZeroDivisionError("a bug")
    yield  # pragma: no cover - a generator, as parsers are


def test_a_bug_in_an_import_fails_the_job_with_one_line_and_the_worker_goes_on(alice, home, monkeypatch):
    monkeypatch.setitem(imports.SOURCES, "broken", f"{__name__}:broken_parse")
    first = jobs.queue(alice, "broken", apple())
    second = jobs.queue(alice, "vcard", apple())

    assert jobs.run_queued("worker-a") == {"failed": 1, "done": 1}

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.error == ("apple.vcf: the import stopped on an unexpected error (ZeroDivisionError); "
                           "the server's log has the details.")
    assert second.status == "done" and Person.objects.filter(owner=alice).count() == 3


def test_an_unknown_source_or_option_is_refused_before_anything_is_saved(alice, home):
    with pytest.raises(UserError, match="unknown import source 'nonsense'"):
        jobs.queue(alice, "nonsense", apple())
    with pytest.raises(UserError, match="unknown import option 'path'"):
        jobs.queue(alice, "vcard", apple(), options={"path": "/etc/passwd"})

    assert not ImportJob.objects.exists()
    assert uploads(home) == []


@pytest.mark.parametrize(("uploaded", "kept"), [
    ("../../etc/cron.d/Connections.csv", "Connections.csv"),
    ("C:\\Users\\ana\\Connections.csv", "Connections.csv"),
    ("..", "upload"),
    ("", "upload"),
    ("a\x00b\nc.vcf", "a_b_c.vcf"),
    ("x" * 300 + ".vcf", "x" * 116 + ".vcf"),
])
def test_the_upload_is_saved_under_its_own_name_in_a_folder_of_its_own(alice, home, uploaded, kept):
    job = jobs.queue(alice, "vcard", _named(uploaded))

    saved = home / job.file_path
    assert saved.name == kept
    assert saved.parent.parent == home / "imports"
    assert saved.resolve().is_relative_to((home / "imports").resolve())


def _named(name: str):
    """An open file named as a client may name it (Django's UploadedFile cleans some of these itself)."""
    upload = io.BytesIO(APPLE.read_bytes())
    upload.name = name
    return upload


def test_another_users_job_is_not_found(alice, bob, home):
    job = jobs.queue(alice, "vcard", apple())

    assert jobs.job_of(alice, job.pk) == job
    with pytest.raises(NotFound):
        jobs.job_of(bob, job.pk)
    assert jobs.recent(bob) == []


# --- a worker that dies -------------------------------------------------------------------------


def _claimed_long_ago(alice, worker_name: str, attempts: int = 1) -> ImportJob:
    job = jobs.queue(alice, "vcard", apple())
    jobs.claim_one(worker_name)
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1), attempts=attempts)
    return job


def test_a_job_whose_worker_died_is_queued_again_and_another_worker_finishes_it(alice, home):
    job = _claimed_long_ago(alice, "dead:1")

    assert jobs.requeue_stale("dead:1") == 0  # a worker never takes its own job back: it knows what it runs
    assert jobs.run_queued("alive:2") == {"done": 1}

    job.refresh_from_db()
    assert (job.status, job.claimed_by, job.attempts) == ("done", "alive:2", 2)
    assert job.summary["created"] == 3 and Person.objects.filter(owner=alice).count() == 3


def test_a_running_job_with_a_recent_heartbeat_is_left_to_its_worker(alice, home):
    job = jobs.queue(alice, "vcard", apple())
    jobs.claim_one("busy:1")

    assert jobs.requeue_stale("other:2") == 0
    assert jobs.run_queued("other:2") == {}
    job.refresh_from_db()
    assert (job.status, job.claimed_by) == ("running", "busy:1")


def test_a_job_that_keeps_killing_its_worker_fails_after_three_tries(alice, home):
    job = _claimed_long_ago(alice, "dead:3", attempts=jobs.MAX_ATTEMPTS)

    assert jobs.run_queued("alive:4") == {}

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("The import was interrupted 3 times")
    assert "\n" not in job.error
    assert not Person.objects.exists()
    assert uploads(home) == []


# --- progress and the worker's loop -------------------------------------------------------------

RECORDS = 2500
seen_progress: list[int] = []


def slow_parse(path, **options):
    """2,500 contacts; before the last ones, wait until the job's progress shows the first 2,000 read."""
    for i in range(RECORDS):
        if i == RECORDS - 100:
            deadline = time.monotonic() + 30
            progress = 0
            while time.monotonic() < deadline:
                progress = ImportJob.objects.values_list("progress", flat=True).get()
                if progress >= 2000:
                    break
                time.sleep(0.05)
            seen_progress.append(progress)
        yield ContactRecord(where=f"slow.vcf card {i + 1}", source_key=f"k{i}", name=f"Person {i}")


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_while_the_import_runs(alice, home, monkeypatch):
    """GIVEN an import of 2,500 records
    WHEN the import has read 2,400 of them
    THEN the job's row, read from outside the import, already says 2,000 records read (the file is read whole
    before the first write, so no transaction holds the progress back, on SQLite either)."""
    monkeypatch.setitem(imports.SOURCES, "slow", f"{__name__}:slow_parse")
    seen_progress.clear()
    job = jobs.queue(alice, "slow", SimpleUploadedFile("slow.vcf", b"anything"))

    assert jobs.run_queued("worker-a") == {"done": 1}

    assert seen_progress == [2000]
    job.refresh_from_db()
    assert job.progress == RECORDS and job.summary["created"] == RECORDS


CAPTURED = 6000
seen_capture_progress: list[int] = []


def slow_mail(path, **options):
    """6,000 mails you sent to one person; before the last ones, wait until the job's progress shows 5,000 read."""
    from datetime import UTC, datetime, timedelta

    from restons.capture.records import Address, Message

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(CAPTURED):
        if i == CAPTURED - 100:
            deadline = time.monotonic() + 30
            progress = 0
            while time.monotonic() < deadline:
                try:
                    progress = ImportJob.objects.values_list("progress", flat=True).get()
                except OperationalError:  # SQLite's shared in-memory test database: a table locked for a moment
                    pass
                if progress >= 5000:
                    break
                time.sleep(0.05)
            seen_capture_progress.append(progress)
        yield Message(where=f"slow.mbox message {i + 1}", source_key=f"<{i}@example.org>",
                      at=start + timedelta(days=i // 20, minutes=i), channel="email",
                      sender=Address("email", "ana@example.org", "Ana Lima"),
                      recipients=(Address("email", "noah@example.org", "Noah Bennett"),), outgoing=True,
                      summary="Hello")


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_while_a_capture_import_reads_its_file_on_both_databases(alice, home, monkeypatch):
    """GIVEN a capture import of 6,000 mails (read first, then written in short transactions)
    WHEN 5,900 are read
    THEN the job's row, read from outside, says 5,000 records read — on SQLite too: reading holds no lock."""
    from restons.services.me import add_me

    add_me(alice, ["ana@example.org"])
    monkeypatch.setitem(imports.SOURCES, "mbox", f"{__name__}:slow_mail")
    seen_capture_progress.clear()
    job = jobs.queue(alice, "mbox", SimpleUploadedFile("slow.mbox", b"From x\n"))

    assert jobs.run_queued("worker-a") == {"done": 1}

    assert seen_capture_progress == [5000]
    job.refresh_from_db()
    assert job.progress == CAPTURED and job.summary["created"] == 1 and job.summary["interactions"] >= 1


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError:  # SQLite's shared in-memory test database: a table locked for a moment
            pass
        time.sleep(0.05)
    raise AssertionError("the worker did not finish the job")


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_job_with_nobody_watching(alice, home):
    """GIVEN the worker's loop running (as in `restons serve`)
    WHEN a file is queued and nobody opens the job's page
    THEN the job ends done, with its people imported."""
    stop = threading.Event()
    loop = threading.Thread(target=worker.run_jobs, args=(stop, "loop:1", 0.05), daemon=True)
    loop.start()
    try:
        job = jobs.queue(alice, "vcard", apple())
        _wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "done")
    finally:
        stop.set()
        jobs.queued.set()
        loop.join(30)
    assert not loop.is_alive()
    assert Person.objects.filter(owner=alice).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_claim_each_job_once(django_user_model, home):
    """GIVEN 16 queued jobs of 16 users
    WHEN two workers (threads, each with its own connection) run the queue at the same time
    THEN every job is claimed once and done, each user has the file's 3 people once."""
    if connection.vendor != "postgresql":
        pytest.skip("several workers side by side is the PostgreSQL deployment; SQLite runs one (its lease)")
    users = [django_user_model.objects.create_user(f"user{i}@example.org", f"user{i}@example.org")
             for i in range(16)]
    queued = [jobs.queue(user, "vcard", apple()) for user in users]
    start = threading.Barrier(2)
    results: dict[str, dict] = {}

    def work(name: str) -> None:
        try:
            start.wait()
            results[name] = jobs.run_queued(name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sum(counts.get("done", 0) for counts in results.values()) == len(queued)
    rows = list(ImportJob.objects.values_list("status", "attempts", "claimed_by"))
    assert {(status, attempts) for status, attempts, _by in rows} == {("done", 1)}
    assert {by for *_rest, by in rows} <= {"worker-a", "worker-b"}
    assert {user.pk: Person.objects.filter(owner=user).count() for user in users} == {user.pk: 3 for user in users}
    print("jobs per worker:", {name: counts.get("done", 0) for name, counts in results.items()})


def test_uploads_no_job_waits_for_are_swept_once_an_hour_old(alice, bob, home):
    kept = jobs.queue(alice, "vcard", apple())
    orphan = jobs.queue(bob, "vcard", apple())
    fresh_orphan = jobs.queue(bob, "vcard", apple())
    orphan_folder, fresh_folder = (home / orphan.file_path).parent, (home / fresh_orphan.file_path).parent
    ImportJob.objects.filter(pk__in=[orphan.pk, fresh_orphan.pk]).delete()  # as when bob's account is deleted
    old = time.time() - 2 * 3600
    os.utime(orphan_folder, (old, old))
    os.utime((home / kept.file_path).parent, (old, old))

    assert jobs.sweep() == 1

    assert not orphan_folder.exists()
    assert fresh_folder.exists()  # maybe a job being queued right now
    assert (home / kept.file_path).is_file()


def test_a_large_upload_is_moved_from_djangos_temporary_file(alice, home):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("apple.vcf", "text/vcard", APPLE.stat().st_size, "utf-8")
    upload.write(APPLE.read_bytes())
    upload.flush()

    job = jobs.queue(alice, "vcard", upload)

    assert (home / job.file_path).read_bytes() == APPLE.read_bytes()
    assert job.file_size == APPLE.stat().st_size
    upload.close()  # as Django does at the end of the request: the moved file stays
    assert jobs.run_queued("worker-a") == {"done": 1}


# --- a folder, uploaded as a .zip ---------------------------------------------------------------

SENT = (b"From: Ana Lima <ana@example.org>\nTo: Noah Bennett <noah@example.org>\n"
        b"Date: Mon, 1 Jun 2026 10:00:00 +0000\nMessage-ID: <1@example.org>\nSubject: Lunch?\n\nbody\n")
RECEIVED = (b"From: Noah Bennett <noah@example.org>\nTo: Ana Lima <ana@example.org>\n"
            b"Date: Tue, 2 Jun 2026 18:00:00 +0000\nMessage-ID: <2@example.org>\nIn-Reply-To: <1@example.org>\n"
            b"Subject: Re: Lunch?\n\nbody\n")
LIST = (b"From: News <news@lists.example.org>\nTo: ana@example.org\nList-Id: <news.lists.example.org>\n"
        b"Date: Wed, 3 Jun 2026 08:00:00 +0000\nMessage-ID: <3@example.org>\nSubject: Weekly\n\nbody\n")
MAILDIR = {"Mail/.Sent/cur/1780000000.M1P1.mx:2,S": SENT, "Mail/cur/1780100000.M2P2.mx:2,S": RECEIVED,
           "Mail/cur/1780200000.M3P3.mx:2,S": LIST, "Mail/new/": b""}


def zipped(members: dict[str, bytes], compression=None) -> SimpleUploadedFile:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression or zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("Mail.zip", buffer.getvalue())


def test_a_zipped_maildir_is_unpacked_and_imported_as_restons_import_reads_the_folder(alice, bob, home, tmp_path):
    job = jobs.queue(alice, "maildir", zipped(MAILDIR))

    assert jobs.run_queued("worker-a") == {"done": 1}

    folder = tmp_path / "cli" / "Mail"
    for name, data in MAILDIR.items():
        (tmp_path / "cli" / name).parent.mkdir(parents=True, exist_ok=True)
        if not name.endswith("/"):
            (tmp_path / "cli" / name).write_bytes(data)
    cli = imports.run_import(bob, "maildir", folder).as_json()
    job.refresh_from_db()
    assert job.summary == cli
    assert (job.summary["created"], job.summary["interactions"], job.summary["ignored"]) == (1, 2, {"list": 1})
    assert list(Person.objects.filter(owner=alice).values_list("name", flat=True)) == ["Noah Bennett"]
    assert uploads(home) == [] and not any((home / "imports").iterdir())  # unpacked files go with the upload


@pytest.mark.parametrize(("members", "why"), [
    ({"cur/1": b"Ana Lima", "../../etc/cron.d/x": b"Evil"},
     "Mail.zip: The archive member ../../etc/cron.d/x points outside the archive; the archive was refused."),
    ({"/etc/x": b"Evil"}, "Mail.zip: The archive member /etc/x points outside the archive; the archive was refused."),
    ({"cur/bomb": b"\x00" * (3 << 20)}, "Mail.zip: The archive member cur/bomb is compressed more than 100 to 1"),
])
def test_an_unsafe_zipped_folder_is_refused_with_one_line_and_nothing_written(alice, home, members, why):
    job = jobs.queue(alice, "maildir", zipped(members))

    assert jobs.run_queued("worker-a") == {"failed": 1}

    job.refresh_from_db()
    assert job.error.startswith(why)
    assert not Person.objects.exists()
    assert uploads(home) == []
    assert not any((home / "imports").iterdir())


def test_a_zipped_folder_that_unpacks_beyond_ten_uploads_is_refused(alice, home, settings):
    import zipfile

    settings.MAX_UPLOAD_BYTES = 10_000
    job = jobs.queue(alice, "maildir", zipped({f"cur/{i}": bytes(range(256)) * 100 for i in range(5)},
                                              compression=zipfile.ZIP_STORED))

    jobs.run_queued("worker-a")

    job.refresh_from_db()
    assert job.error == "Mail.zip: The archive would unpack to more than 100000 bytes; it was refused."
    assert not Person.objects.exists() and uploads(home) == []
