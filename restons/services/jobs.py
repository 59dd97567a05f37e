"""Import jobs: the web app's imports, run in the background by the worker.

How an upload becomes people and pings:

1. :func:`queue` saves the uploaded file in its own folder under the data
   directory (``RESTONS_HOME/imports/<random>/<file name>``: the name is kept,
   because the summary's "where" and some sources read it) and creates a
   ``queued`` :class:`~restons.models.ImportJob`.
2. A worker (:mod:`restons.services.worker`: a thread of ``restons serve``, or
   ``restons worker``) claims it with :func:`claim_one` — on PostgreSQL the row
   is read with ``SELECT … FOR UPDATE SKIP LOCKED``, so workers side by side
   each take a different job; the conditional UPDATE (``WHERE status =
   'queued'``) makes a second claim of the same job a no-op on any database.
   On SQLite only the holder of the worker lease runs jobs.
3. :func:`run` runs :func:`restons.services.imports.run_import` — the function
   behind ``restons import`` — in the job owner's time zone and the language of
   the page that queued it. Progress (records read) is written from a thread of
   its own, with its own database connection, at most every
   :data:`PROGRESS_EVERY` seconds (the import's own transaction would hide it
   until the end), and every :data:`BEAT_EVERY` seconds anyway: the heartbeat.
4. The job ends ``done`` with the summary, or ``failed`` with the one line that
   refused the file (nothing written, as for the CLI); its file is deleted.

A worker that dies mid-import leaves its job ``running`` with a heartbeat
that stops: after :data:`STALE_AFTER` another worker (or the same one,
restarted) puts it back in the queue. Imports are idempotent, so running one
again is safe; after :data:`MAX_ATTEMPTS` interrupted runs the job fails
instead of taking the worker down again and again.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import threading
import time
import zipfile
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from restons import conf
from restons.models import ImportJob
from restons.services.access import get_owned, owned
from restons.services.errors import UserError

log = logging.getLogger("restons.worker")

PROGRESS_EVERY = 1.0  # seconds: at most one progress write a second
BEAT_EVERY = 10.0  # seconds: a heartbeat even while no record is read
STALE_AFTER = timedelta(minutes=2)  # a running job without a heartbeat this long lost its worker
MAX_ATTEMPTS = 3  # runs interrupted by a dying worker before the job fails
SWEEP_AFTER = timedelta(hours=1)  # an upload no job refers to is deleted once this old
ERROR_MAX = ImportJob._meta.get_field("error").max_length
NAME_MAX = 120
OPTIONS = ("region", "owner_profile_url", "outgoing", "groups")  # what a job may pass to run_import besides the file
# Sources whose export is a folder: a .zip of it is unpacked in the job's folder and the folder imported.
FOLDER_SOURCES = frozenset({"maildir", "ics"})
UNZIP_MEMBERS_MAX = 500_000  # files in such a zip (a Maildir holds one file per message)
UNZIP_RATIO_MAX = 100  # a member compressed more than this (once over 1 MiB) is a zip bomb

# Set when a job is queued: the worker of this process starts it at once instead of at its next poll.
queued = threading.Event()


def folder() -> Path:
    """Where uploaded files wait for their job: ``RESTONS_HOME/imports``."""
    return conf.home() / "imports"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]+")


def safe_name(name: str) -> str:
    """The uploaded file's own name, safe as one path component (no folders, no control characters)."""
    name = _UNSAFE.sub("_", Path(str(name).replace("\\", "/")).name).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: NAME_MAX - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 else name[:NAME_MAX]
    return name or "upload"


def queue(owner, source: str, upload, *, options: dict | None = None, language: str = "") -> ImportJob:
    """Save ``upload`` (a Django UploadedFile or an open binary file with ``name``) and queue its import.

    Raises UserError for an unknown source or option; nothing is saved then.
    """
    from restons.services.imports import parser_for

    parser_for(source)  # UserError, one line, for a source that does not exist
    options = {key: value for key, value in (options or {}).items() if value not in (None, "")}
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise UserError(_("unknown import option %(option)r") % {"option": unknown[0]})
    name = safe_name(getattr(upload, "name", "") or "upload")
    relative = Path("imports") / secrets.token_hex(12) / name
    target = conf.home() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if hasattr(upload, "temporary_file_path"):  # a large upload Django already wrote to disk: moved, not copied
            from django.core.files.move import file_move_safe

            file_move_safe(upload.temporary_file_path(), str(target))
        else:
            with open(target, "wb") as out:
                chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
                for chunk in chunks:
                    out.write(chunk)
        size = target.stat().st_size
        job = ImportJob.objects.create(
            owner=owner, source=source, options=options, language=language[:8],
            file_name=name,  # the name the import's messages use, as the file is saved under it
            file_path=relative.as_posix(), file_size=size)
    except BaseException:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise
    queued.set()
    return job


def job_of(owner, job_id) -> ImportJob:
    """``owner``'s job ``job_id``; NotFound (a 404) for anyone else's or none."""
    return get_owned(ImportJob, owner, pk=job_id)


def recent(owner, limit: int = 10) -> list[ImportJob]:
    return list(owned(ImportJob, owner).order_by("-created_at", "-id")[:limit])


# -- the worker's side ---------------------------------------------------------------------------


def claim_one(worker: str, now: datetime | None = None) -> ImportJob | None:
    """Take the oldest queued job for ``worker`` and commit it as ``running``; None when none is queued."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = ImportJob.objects.filter(status=ImportJob.Status.QUEUED).order_by("created_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            waiting = waiting.select_for_update(skip_locked=True)
        job = waiting.first()
        if job is None:
            return None
        taken = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, claimed_by=worker[:100], started_at=now, heartbeat_at=now,
            progress=0, attempts=F("attempts") + 1)
        if not taken:
            return None
    job.refresh_from_db()
    return job


def requeue_stale(worker: str, now: datetime | None = None) -> int:
    """Jobs whose worker died (running, no heartbeat for STALE_AFTER) back in the queue; returns how many.

    A job interrupted MAX_ATTEMPTS times fails instead. ``worker``'s own jobs are never touched:
    it knows what it runs.
    """
    now = now or timezone.now()
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER).exclude(
        claimed_by=worker[:100])
    requeued = 0
    for job in stale.select_related("owner"):
        if job.attempts >= MAX_ATTEMPTS:
            with translation.override(_language(job)):
                error = _("The import was interrupted %(count)s times (its worker stopped while reading the file); "
                          "it was not tried again. Run restons import on the server to see why.") % {
                    "count": job.attempts}
            if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, claimed_by=job.claimed_by).update(
                    status=ImportJob.Status.FAILED, error=error[:ERROR_MAX], finished_at=now, file_path=""):
                _delete_file(job)
            continue
        requeued += ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.RUNNING, claimed_by=job.claimed_by,
            heartbeat_at__lt=now - STALE_AFTER).update(status=ImportJob.Status.QUEUED, claimed_by="")
        log.warning("import job %s: its worker %s stopped; queued again", job.pk, job.claimed_by)
    return requeued


class _Progress(threading.Thread):
    """Writes a running job's progress and heartbeat from its own thread and database connection.

    The import calls :meth:`update` (no database work); the thread writes the latest count at most
    every PROGRESS_EVERY seconds, and the time every BEAT_EVERY seconds even without a new count. A
    write that fails (SQLite's lock held by the import itself) is simply tried again later.
    """

    def __init__(self, job: ImportJob, worker: str):
        super().__init__(name=f"restons-import-{job.pk}", daemon=True)
        self.job_id, self.worker = job.pk, worker[:100]
        self.count, self.written, self.beat = 0, 0, time.monotonic()
        self.done = threading.Event()

    def update(self, count: int) -> None:
        self.count = count

    def run(self) -> None:
        try:
            while not self.done.wait(PROGRESS_EVERY):
                count = self.count
                if count == self.written and time.monotonic() - self.beat < BEAT_EVERY:
                    continue
                try:
                    ImportJob.objects.filter(pk=self.job_id, status=ImportJob.Status.RUNNING,
                                             claimed_by=self.worker).update(progress=count, heartbeat_at=timezone.now())
                    self.written, self.beat = count, time.monotonic()
                except Exception as error:  # locked, or the connection dropped: the next round tries again
                    log.debug("import job %s: progress not written (%s)", self.job_id, error)
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.done.set()
        self.join()


def _language(job: ImportJob) -> str:
    from restons.services.digest import language_of

    return job.language or language_of(job.owner)


def _delete_file(job: ImportJob) -> None:
    if job.file_path:
        shutil.rmtree((conf.home() / job.file_path).parent, ignore_errors=True)


def unzip(archive: Path, name: str) -> Path:
    """Unpack the .zip of a folder beside it (``<stem>/``) and return that folder; UserError, one line, when the
    archive is unsafe or damaged.

    Every member must stay inside the folder (no absolute path, no ``..``); the files are at most
    UNZIP_MEMBERS_MAX, unpack to at most ten times the upload limit in all, and none is compressed more
    than UNZIP_RATIO_MAX to 1 — the sizes are enforced as the data is written, not only as the zip states them.
    A zip holding a single folder gives that folder.
    """
    from django.conf import settings

    limit = 10 * settings.MAX_UPLOAD_BYTES
    root = archive.parent / (Path(name).stem or "folder")

    def refuse(why: str):
        shutil.rmtree(root, ignore_errors=True)
        return UserError(_one_line(f"{name}: {why}"))

    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > UNZIP_MEMBERS_MAX:
                raise refuse(_("The archive holds %(count)s files, more than %(limit)s; import the folder on the "
                               "server with restons import.") % {"count": len(members), "limit": UNZIP_MEMBERS_MAX})
            total = 0
            for member in members:
                parts = [part for part in re.split(r"[\\/]", member.filename) if part not in ("", ".")]
                if (member.filename.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", member.filename)
                        or ".." in parts):
                    raise refuse(_("The archive member %(name)s points outside the archive; the archive was refused.")
                                 % {"name": member.filename})
                if member.file_size > (1 << 20) and member.file_size > UNZIP_RATIO_MAX * max(member.compress_size, 1):
                    raise refuse(_("The archive member %(name)s is compressed more than %(ratio)s to 1, like a zip "
                                   "bomb.") % {"name": member.filename, "ratio": UNZIP_RATIO_MAX})
                if not parts:
                    continue
                target = root.joinpath(*parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as source, open(target, "wb") as out:
                    while chunk := source.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise refuse(_("The archive would unpack to more than %(limit)s bytes; it was refused.")
                                         % {"limit": limit})
                        out.write(chunk)
    except UserError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError,
            OverflowError) as error:
        raise refuse(_("the archive could not be unpacked (%(error)s); make the .zip again.")
                     % {"error": str(error)[:200] or type(error).__name__}) from None
    root.mkdir(exist_ok=True)
    entries = list(root.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return root


def _one_line(text: str) -> str:
    """``text`` on one line (a member's name may hold anything); no-break spaces stay."""
    return re.sub(r"[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]+", " ", text).strip()


def run(job: ImportJob, worker: str) -> str:
    """Run a claimed job to its end and record how it went; returns its new status."""
    from restons.services.accounts import settings_of
    from restons.services.imports import run_import

    owner = job.owner
    options = dict(job.options or {})
    region = options.pop("region", None)
    progress = _Progress(job, worker)
    status, summary, error = ImportJob.Status.DONE, None, ""
    with translation.override(_language(job)), timezone.override(ZoneInfo(settings_of(owner).time_zone)):
        progress.start()
        try:
            if not job.file_path or not (conf.home() / job.file_path).is_file():
                raise UserError(_("%(name)s: the uploaded file is gone from the server; upload it again.")
                                % {"name": job.file_name})
            target = conf.home() / job.file_path
            if job.source in FOLDER_SOURCES and zipfile.is_zipfile(target):
                target = unzip(target, job.file_name)
            result = run_import(owner, job.source, target, progress=progress.update, region=region, **options)
            summary = result.as_json()
        except UserError as refusal:
            status, error = ImportJob.Status.FAILED, str(refusal)
        except Exception as exc:  # a bug: the job fails with a line, the worker carries on
            log.exception("import job %s failed", job.pk)
            status = ImportJob.Status.FAILED
            error = _("%(name)s: the import stopped on an unexpected error (%(error)s); "
                      "the server's log has the details.") % {"name": job.file_name, "error": type(exc).__name__}
        finally:
            progress.stop()
    records = (summary or {}).get("records", progress.count)
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, claimed_by=worker[:100]).update(
        status=status, summary=summary, error=error[:ERROR_MAX], progress=records, finished_at=timezone.now(),
        heartbeat_at=timezone.now(), file_path="")
    _delete_file(job)
    return status


def sweep(now: datetime | None = None) -> int:
    """Delete uploads no job waits for any more (their owner was deleted, say), once an hour old; returns how many."""
    now = now or timezone.now()
    root = folder()
    if not root.is_dir():
        return 0
    waiting = {Path(p).parent.name for p in ImportJob.objects.exclude(file_path="").values_list("file_path", flat=True)}
    removed = 0
    for entry in root.iterdir():
        try:
            old = entry.stat().st_mtime < (now - SWEEP_AFTER).timestamp()
        except OSError:
            continue
        if entry.is_dir() and entry.name not in waiting and old:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def run_queued(worker: str, stop: threading.Event | None = None) -> dict:
    """Requeue the jobs of dead workers, then claim and run queued jobs until none is left (or ``stop``).

    Returns the count of jobs per final status.
    """
    requeue_stale(worker)
    counts: dict[str, int] = {}
    while stop is None or not stop.is_set():
        job = claim_one(worker)
        if job is None:
            break
        status = run(job, worker)
        counts[status] = counts.get(status, 0) + 1
    return counts


def anything_to_do(now: datetime | None = None) -> bool:
    """A queued job, or a running one whose worker may have died (one cheap read)."""
    now = now or timezone.now()
    return ImportJob.objects.filter(status=ImportJob.Status.QUEUED).exists() or ImportJob.objects.filter(
        status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER).exists()


def queue_status() -> dict:
    """Import jobs waiting and running, instance-wide (``restons status``)."""
    counts = dict.fromkeys(("queued", "running"), 0)
    for status in ImportJob.objects.filter(status__in=list(counts)).values_list("status", flat=True):
        counts[status] += 1
    return counts
