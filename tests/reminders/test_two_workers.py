"""Two worker processes against one PostgreSQL database send each digest exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from restons.models import Delivery, Milestone, WorkerBeat
from restons.services.accounts import save_settings
from restons.services.reminders import set_digest

USERS = 24


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_send_each_digest_once(django_user_model, smtp_server):
    """GIVEN 24 users with a daily digest due now, and a slow mail server
    WHEN two `restons worker --once` processes run at the same time against the same database
    THEN the mail server receives 24 mails, one per user, and every delivery is recorded sent once."""
    if connection.vendor != "postgresql":
        pytest.skip("several workers side by side is the PostgreSQL deployment; SQLite runs one (its lease)")
    today = timezone.localdate()
    for i in range(USERS):
        user = django_user_model.objects.create_user(f"user{i}@example.org", f"user{i}@example.org")
        save_settings(user, language="en", time_zone="Europe/Paris")
        set_digest(user, frequency="daily", hour=0)  # due from midnight: due now, whenever the test runs
        Milestone.objects.create(owner=user, title="Launch", on=today + timedelta(days=2))  # something to say
    smtp_server.delay = 0.05  # each mail takes a moment, so the two workers overlap
    database = settings.DATABASES["default"]
    url = (f"postgresql://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST'] or '127.0.0.1'}:"
           f"{database['PORT'] or 5432}/{database['NAME']}")
    env = {**os.environ, "RESTONS_DATABASE_URL": url, "RESTONS_EMAIL_URL": smtp_server.url,
           "RESTONS_TIME_ZONE": "Europe/Paris", "RESTONS_LANGUAGE": "en"}
    connection.close()
    command = [sys.executable, "-c", "from restons.cli import main; main()", "worker", "--once"]
    workers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    received = Counter(message["To"] for message in smtp_server.messages)
    assert len(smtp_server.messages) == USERS
    assert set(received.values()) == {1}
    assert Counter(Delivery.objects.values_list("state", flat=True)) == {"sent": USERS}
    assert sum(WorkerBeat.objects.values_list("sent", flat=True)) == USERS
    print("mails per worker:", Counter(Delivery.objects.values_list("worker", flat=True)))
