"""The worker's loop, as `restons serve` runs it in a thread (it replaced the checkups' own loop)."""

from __future__ import annotations

import threading

from restons.services import checkups, worker


def run_in_a_thread(stop: threading.Event) -> None:
    loop = threading.Thread(target=worker.run, args=(stop,), kwargs={"interval_seconds": 0.01, "name": "t"})
    loop.start()
    loop.join(timeout=10)
    assert not loop.is_alive()


def test_the_loop_runs_rounds_until_stopped(monkeypatch):
    stop, rounds = threading.Event(), []

    def round_(name):
        rounds.append(name)
        if len(rounds) == 2:
            stop.set()
        return {}

    monkeypatch.setattr(worker, "needs_lease", lambda: False)
    monkeypatch.setattr(worker, "run_once", round_)
    run_in_a_thread(stop)
    assert rounds == ["t", "t"]


def test_a_failing_round_does_not_stop_the_loop(monkeypatch):
    stop, rounds = threading.Event(), []

    def round_(name):
        rounds.append(name)
        if len(rounds) == 2:
            stop.set()
        raise RuntimeError("database went away")

    monkeypatch.setattr(worker, "needs_lease", lambda: False)
    monkeypatch.setattr(worker, "run_once", round_)
    run_in_a_thread(stop)
    assert len(rounds) == 2


def test_a_round_still_sends_when_checkups_fail(monkeypatch, db):
    """The checkups (folded into the worker) failing must not keep the digests from going out."""
    calls = []
    monkeypatch.setattr(checkups, "refresh_all", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    monkeypatch.setattr("restons.services.deliveries.run_due", lambda name, now=None: calls.append(name) or {})
    assert worker.run_once("t") == {}
    assert calls == ["t"]
