"""The scheduler: one loop that keeps checkups current, sends what is due and syncs mail and calendars.

``restons serve`` runs it in a thread next to the web app (a single machine
needs nothing else); ``restons worker`` runs it alone, for deployments with
several web processes (``restons serve --no-worker`` there).

Any number of workers may run against PostgreSQL: deliveries are claimed row
by row with ``SKIP LOCKED`` (:mod:`restons.services.deliveries`). On SQLite
one worker works at a time: it holds a lease (a :class:`~restons.models.WorkerLease`
row renewed every round, taken over when it expires), and every write
transaction is ``BEGIN IMMEDIATE`` (restons.settings).

Import jobs (uploads of the Import page, :mod:`restons.services.jobs`) run in
a second loop, :func:`run_jobs`, in a thread of its own: a long import never
delays a digest, and a queued job starts within :data:`JOB_POLL` seconds (at
once in ``restons serve``, which wakes it). Jobs are claimed with ``SKIP
LOCKED`` on PostgreSQL; on SQLite the loop runs only while its process holds
the lease, so one import runs at a time.

Each round leaves a :class:`~restons.models.WorkerBeat`: ``restons status`` and
Settings say when a worker last ran and what it sent, and call it a problem
when no worker ran for two intervals.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, connection, connections, transaction
from django.db.models import F, Max
from django.utils import timezone

from restons import conf
from restons.models import Delivery, WorkerBeat, WorkerLease

log = logging.getLogger("restons.worker")

LEASE = "scheduler"
JOB_POLL = 2.0  # seconds between two looks for a queued import job
SWEEP_EVERY = 3600.0  # seconds between two sweeps of uploads no job waits for


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def needs_lease() -> bool:
    """SQLite allows one worker at a time; PostgreSQL any number."""
    return connection.vendor == "sqlite"


def take_lease(holder: str, seconds: float, now: datetime | None = None) -> bool:
    """Hold the SQLite worker lease for ``seconds`` more; False while another live worker holds it."""
    now = now or timezone.now()
    until = now + timedelta(seconds=seconds)
    with transaction.atomic():
        taken = WorkerLease.objects.filter(name=LEASE).filter(
            holder=holder).update(expires_at=until) or WorkerLease.objects.filter(
            name=LEASE, expires_at__lt=now).update(holder=holder, expires_at=until)
        if taken:
            return True
        if WorkerLease.objects.filter(name=LEASE).exists():
            return False
        try:
            with transaction.atomic():
                WorkerLease.objects.create(name=LEASE, holder=holder, expires_at=until)
        except IntegrityError:
            return False
    return True


def release_lease(holder: str) -> None:
    WorkerLease.objects.filter(name=LEASE, holder=holder).delete()


def run_once(name: str | None = None, now: datetime | None = None) -> dict:
    """One round: checkups brought to each user's today, every due delivery sent, then due mail and calendar syncs.

    Returns the deliveries' counts per final state (``sent``, ``skipped``, ``failed``, ``pending``).
    """
    from restons.services import checkups, deliveries

    name = name or worker_name()
    try:
        checkups.refresh_all()
    except Exception:  # the deliveries still go out; the next round tries again
        log.exception("could not refresh checkups")
    counts = deliveries.run_due(name, now)
    try:
        from restons.services import sync

        sync.run_due(now, log=log)  # off unless RESTONS_SYNC_MINUTES is set; failures are recorded on each source
    except Exception:  # the next round tries again
        log.exception("could not run the scheduled syncs")
    beat(name, counts.get(Delivery.State.SENT, 0), now)
    return counts


def beat(name: str, sent: int, now: datetime | None = None) -> None:
    now = now or timezone.now()
    interval = conf.get("RESTONS_WORKER_INTERVAL")
    updated = WorkerBeat.objects.filter(name=name).update(
        last_run_at=now, rounds=F("rounds") + 1, sent=F("sent") + sent, interval_seconds=interval)
    if not updated:
        WorkerBeat.objects.create(name=name, started_at=now, last_run_at=now, rounds=1, sent=sent,
                                  interval_seconds=interval)


def run(stop, interval_seconds: float | None = None, name: str | None = None) -> None:
    """Run rounds every ``interval_seconds`` (``RESTONS_WORKER_INTERVAL``) until ``stop`` (a threading.Event) is set.

    A failing round is logged and tried again next time; on SQLite a round runs only
    while this worker holds the lease.
    """
    interval = interval_seconds if interval_seconds is not None else conf.get("RESTONS_WORKER_INTERVAL")
    name = name or worker_name()
    try:
        while not stop.is_set():
            try:
                if not needs_lease() or take_lease(name, max(3 * interval, 60)):
                    run_once(name)
            except Exception:  # keep the loop alive whatever happens in one round
                log.exception("worker round failed")
            finally:
                close_old_connections()
            stop.wait(interval)
    finally:
        try:
            if needs_lease():
                release_lease(name)
        except Exception:  # the database may be gone at shutdown; the lease then expires by itself
            pass
        close_old_connections()


def run_jobs(stop, name: str | None = None, poll: float = JOB_POLL, lease_seconds: float | None = None) -> None:
    """Run queued import jobs until ``stop`` is set: one cheap read every ``poll`` seconds while idle.

    On SQLite a job runs only while this process holds the worker lease (taken here too, under the
    same name as :func:`run`'s, so the two loops of one process share it).
    """
    from restons.services import jobs

    name = name or worker_name()
    if lease_seconds is None:
        lease_seconds = max(3 * conf.get("RESTONS_WORKER_INTERVAL"), 60)
    swept = 0.0
    try:
        while not stop.is_set():
            try:
                if time.monotonic() - swept > SWEEP_EVERY:
                    swept = time.monotonic()
                    jobs.sweep()
                if jobs.anything_to_do() and (not needs_lease() or take_lease(name, lease_seconds)):
                    jobs.run_queued(name, stop)
            except Exception:  # keep the loop alive whatever happens to one job
                log.exception("import jobs round failed")
            finally:
                close_old_connections()
            jobs.queued.wait(poll)
            jobs.queued.clear()
    finally:
        connections.close_all()  # this thread's own


def start(stop, interval_seconds: float | None = None, name: str | None = None) -> list:
    """The scheduler and the import jobs, each in a daemon thread of this process; returns the threads."""
    import threading

    name = name or worker_name()
    threads = [threading.Thread(target=run, args=(stop, interval_seconds, name), name="restons-worker", daemon=True),
               threading.Thread(target=run_jobs, args=(stop, name), name="restons-jobs", daemon=True)]
    for thread in threads:
        thread.start()
    return threads


@dataclass(frozen=True)
class Status:
    last_run_at: datetime | None
    interval_seconds: int
    problem: bool  # no worker ran for two intervals
    sent_today: int  # in the last 24 hours
    last_sent_at: datetime | None
    failed: int  # in the last 7 days
    workers: int  # workers seen in the last two intervals

    def as_json(self) -> dict:
        return {
            "last_run_at": self.last_run_at.isoformat() if self.last_run_at else None,
            "interval_seconds": self.interval_seconds, "problem": self.problem,
            "sent_last_24h": self.sent_today,
            "last_sent_at": self.last_sent_at.isoformat() if self.last_sent_at else None,
            "failed_last_7d": self.failed, "workers": self.workers,
        }


def status(now: datetime | None = None) -> Status:
    """When a worker last ran, what the workers sent, and whether that is a problem (instance-wide)."""
    now = now or timezone.now()
    interval = conf.get("RESTONS_WORKER_INTERVAL")
    last = WorkerBeat.objects.aggregate(last=Max("last_run_at"))["last"]
    late = now - timedelta(seconds=2 * interval)
    sent = Delivery.objects.filter(state=Delivery.State.SENT)
    return Status(
        last_run_at=last, interval_seconds=interval, problem=last is None or last < late,
        sent_today=sent.filter(finished_at__gte=now - timedelta(days=1)).count(),
        last_sent_at=sent.aggregate(last=Max("finished_at"))["last"],
        failed=Delivery.objects.filter(state=Delivery.State.FAILED, finished_at__gte=now - timedelta(days=7)).count(),
        workers=WorkerBeat.objects.filter(last_run_at__gte=late).count(),
    )
