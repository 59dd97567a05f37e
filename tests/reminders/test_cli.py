"""``restons digest show|set|send``, ``restons worker`` and ``restons status``."""

from __future__ import annotations

import time_machine

from restons.models import Delivery, Reminders, WorkerBeat

from .conftest import at


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_turn_the_digest_on_and_show_it(restons, alice_paris):
    shown = restons.ok("digest", "show")
    assert shown.out == ("Digest: off.\n"
                         "Mail is not configured on this instance (RESTONS_EMAIL_URL): nothing will be sent.\n")
    restons.ok("digest", "set", "weekly", "--day", "friday", "--at", "07:00")
    data = restons.ok("digest", "show", "--json").json
    assert data == {"frequency": "weekly", "weekday": "friday", "hour": "07:00", "time_zone": "Europe/Paris",
                    "to": "alice@example.org", "mail_configured": False, "last": None}
    out = restons.ok("digest", "set", "daily", "--at", "8").out
    assert out.startswith("Digest: daily at 08:00 (Europe/Paris), to alice@example.org.\n")
    assert Reminders.objects.get().weekday == 4  # kept from before


def test_bad_digest_input_is_one_line_and_changes_nothing(restons, alice_paris):
    restons.ok("digest", "set", "daily", "--at", "9")
    bad = restons("digest", "set", "weekly", "--day", "caturday")
    assert bad.code == 1
    assert bad.err == ("restons: Unknown weekday 'caturday': say monday … sunday (or 0 for Monday … 6 for Sunday).\n")
    bad = restons("digest", "set", "--at", "8:30")
    assert bad.code == 1 and bad.err.startswith("restons: The hour must be a whole hour from 0 to 23")
    row = Reminders.objects.get()
    assert (row.digest, row.hour) == ("daily", 9)


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_digest_send_to_me_now_tries_the_mail_settings(restons, network, alice_paris, smtp_server):
    out = restons.ok("digest", "send", "--to-me", "--now").out
    assert out == "Digest sent to alice@example.org (2 people, 1 milestone).\n"
    assert [m["To"] for m in smtp_server.messages] == ["alice@example.org"]
    assert Delivery.objects.count() == 0


def test_digest_send_now_without_mail_fails_with_one_line(restons, alice_paris):
    result = restons("digest", "send", "--to-me", "--now")
    assert result.code == 1
    assert result.err == "restons: This instance cannot send mail: its administrator sets RESTONS_EMAIL_URL.\n"


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_digest_send_sends_the_due_one_once(restons, network, alice_paris, smtp_server):
    restons.ok("digest", "set", "daily", "--at", "8")
    assert restons.ok("digest", "send").out == "sent: 1\n"
    assert restons.ok("digest", "send").out == "Nothing due now (see 'restons digest show'; --now sends one anyway).\n"
    assert len(smtp_server.messages) == 1
    assert restons.ok("digest", "show", "--json").json["last"]["state"] == "sent"


def test_worker_once_and_status(restons, network, alice_paris, smtp_server, monkeypatch):
    """GIVEN a daily digest WHEN `restons worker --once` runs THEN it sends it, and `restons status`
    says when it ran; two intervals later status calls it a problem and exits 1."""
    restons.ok("digest", "set", "daily", "--at", "8")
    with time_machine.travel(at("2026-06-15 09:00"), tick=False):
        assert restons.ok("worker", "--once").out == "sent: 1\n"
        status = restons.ok("status", "--json").json
    assert status["worker"]["last_run_at"] == "2026-06-15T07:00:00+00:00"
    assert (status["worker"]["problem"], status["worker"]["sent_last_24h"]) == (False, 1)
    assert status["yours"]["digest"] == {"period": "2026-06-15", "state": "sent", "summary": "2 people, 1 milestone",
                                         "error": ""}
    with time_machine.travel(at("2026-06-15 09:01"), tick=False):
        out = restons.ok("status").out
    assert out.startswith("Worker: last ran 2026-06-15 09:00; 1 sent in the last 24 hours, 0 failed in 7 days.\n")
    assert "digest: 2026-06-15 sent (2 people, 1 milestone)\n" in out
    with time_machine.travel(at("2026-06-15 09:02:01"), tick=False):  # two intervals of 60 s
        late = restons("status")
    assert late.code == 1
    assert "Problem: no worker ran in the last two intervals" in late.out
    assert WorkerBeat.objects.get().rounds == 1
