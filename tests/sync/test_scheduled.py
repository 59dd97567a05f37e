"""Scheduled syncs by the worker: off by default, due every RESTONS_SYNC_MINUTES, a failure recorded, never raised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from restons.models import CalendarSubscription, ImapAccount, Interaction
from restons.services import sync, worker

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
EVERY = timedelta(minutes=30)


def test_the_scheduling_decision():
    assert not sync.is_due(None, None, NOW)  # off: never due
    assert sync.is_due(None, EVERY, NOW)  # never synced
    assert not sync.is_due(NOW - timedelta(minutes=29), EVERY, NOW)
    assert sync.is_due(NOW - timedelta(minutes=30), EVERY, NOW)
    assert sync.is_due(NOW - timedelta(days=3), EVERY, NOW)


def test_off_by_default(monkeypatch):
    monkeypatch.delenv("RESTONS_SYNC_MINUTES", raising=False)
    assert sync.interval() is None
    monkeypatch.setenv("RESTONS_SYNC_MINUTES", "0")
    assert sync.interval() is None
    monkeypatch.setenv("RESTONS_SYNC_MINUTES", "15")
    assert sync.interval() == timedelta(minutes=15)


@pytest.fixture
def unreachable(alice):
    """An account whose server is gone, and a calendar whose address answers nothing."""
    account = ImapAccount.objects.create(owner=alice, name="old", host="127.0.0.1", port=1, security="plain",
                                         user="alex", password_encrypted=sync.secrets.encrypt("pw"))
    calendar = CalendarSubscription.objects.create(owner=alice, name="cal", url_hint="127.0.0.1/x.ics",
                                                   url_encrypted=sync.secrets.encrypt("http://127.0.0.1:1/x.ics"))
    return account, calendar


def test_a_round_with_syncs_off_touches_nothing(unreachable, monkeypatch):
    monkeypatch.delenv("RESTONS_SYNC_MINUTES", raising=False)
    assert sync.run_due(NOW) == {"synced": 0, "failed": 0}
    assert not ImapAccount.objects.filter(last_attempt_at__isnull=False).exists()


def test_failures_are_recorded_and_the_worker_goes_on(unreachable, monkeypatch):
    monkeypatch.setenv("RESTONS_SYNC_MINUTES", "30")
    worker.run_once("test-worker", NOW)  # does not raise
    account, calendar = (model.objects.get() for model in (ImapAccount, CalendarSubscription))
    assert account.last_attempt_at == NOW and account.last_error.startswith("127.0.0.1:1: cannot connect")
    assert calendar.last_attempt_at == NOW and calendar.last_error.startswith("127.0.0.1/x.ics: cannot connect")
    # Not due again 10 minutes later: nothing is tried; 30 minutes later it is.
    assert sync.run_due(NOW + timedelta(minutes=10)) == {"synced": 0, "failed": 0}
    assert sync.run_due(NOW + EVERY) == {"synced": 0, "failed": 2}


def test_a_claimed_source_is_not_synced_twice(unreachable, monkeypatch):
    """Two workers (PostgreSQL) deciding at once: the claim is one UPDATE, only one of them wins."""
    account, _calendar = unreachable
    assert sync._claim(ImapAccount, account.pk, EVERY, NOW)
    assert not sync._claim(ImapAccount, account.pk, EVERY, NOW)


def test_one_round_syncs_against_dovecot(alice, dovecot, monkeypatch):
    """GIVEN an account on a real IMAP server and scheduled syncs on
    WHEN the worker runs a round THEN the mail is imported and the account says when."""
    from tests.sync.test_imap_accounts import raw

    with dovecot.client() as client:
        client.append("Sent", raw(1, "Alex <alex@example.org>", "Person 1 <p1@example.com>", "Hello"))
        client.append("INBOX", raw(2, "Person 1 <p1@example.com>", "alex@example.org", "Re: Hello"))
    sync.add_account(alice, "home", host="127.0.0.1", port=dovecot.port, security="plain", user=dovecot.user,
                     password=dovecot.password)
    monkeypatch.setenv("RESTONS_SYNC_MINUTES", "30")
    now = datetime.now(UTC)
    worker.run_once("test-worker", now)
    row = ImapAccount.objects.get()
    assert (row.last_sync_at, row.last_error, row.last_summary["fetched"]) == (now, "", 2)
    assert Interaction.objects.filter(owner=alice).count() == 2
    assert {folder: value["last_uid"] for folder, value in row.state.items()} == {"Sent": 1, "INBOX": 1}
