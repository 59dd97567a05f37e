"""``digest show|set|send``, ``worker`` and ``status``: reminders from the terminal."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from restons.cli.app import cli, command, json_option, print_json

WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@cli.group()
def digest() -> None:
    """The digest by email: show or change it, or send one now."""


def _digest_json(owner) -> dict:
    from restons.services.accounts import settings_of
    from restons.services.deliveries import last_deliveries
    from restons.services.reminders import availability, reminders_of

    row = reminders_of(owner)
    last = last_deliveries(owner)["digest"]
    return {
        "frequency": row.digest,
        "weekday": WEEKDAY_NAMES[row.weekday],
        "hour": f"{row.hour:02d}:00",
        "time_zone": settings_of(owner).time_zone,
        "to": owner.email,
        "mail_configured": availability().mail,
        "last": None if last is None else {
            "period": last.period, "state": last.state, "summary": last.summary, "error": last.last_error,
            "at": (last.finished_at or last.created_at).isoformat(),
        },
    }


def _describe(data: dict) -> str:
    if data["frequency"] == "off":
        line = _("Digest: off.")
    elif data["frequency"] == "daily":
        line = _("Digest: daily at %(hour)s (%(zone)s), to %(to)s.") % {
            "hour": data["hour"], "zone": data["time_zone"], "to": data["to"] or "?"}
    else:
        line = _("Digest: weekly on %(day)s at %(hour)s (%(zone)s), to %(to)s.") % {
            "day": _(data["weekday"].capitalize()), "hour": data["hour"], "zone": data["time_zone"],
            "to": data["to"] or "?"}
    lines = [line]
    if not data["mail_configured"]:
        lines.append(_("Mail is not configured on this instance (RESTONS_EMAIL_URL): nothing will be sent."))
    last = data["last"]
    if last:
        lines.append(_("Last: %(period)s, %(state)s%(summary)s%(error)s") % {
            "period": last["period"], "state": last["state"],
            "summary": f" ({last['summary']})" if last["summary"] else "",
            "error": f" — {last['error']}" if last["error"] else ""})
    return "\n".join(lines)


@command(digest, "show")
@json_option
def digest_show(ctx, as_json):
    """How often, on which day and at what hour the digest goes out, and how the last one went."""
    data = _digest_json(ctx.owner)
    if as_json:
        print_json(data)
    else:
        click.echo(_describe(data))


@command(digest, "set")
@click.argument("frequency", type=click.Choice(["off", "daily", "weekly"]), required=False)
@click.option("--at", "hour", metavar="HOUR", help="Local hour, 0–23 or 08:00 (default 08:00).")
@click.option("--day", "weekday", metavar="DAY", help="Weekday of the weekly digest: monday … sunday.")
def digest_set(ctx, frequency, hour, weekday):
    """Turn the digest off, daily or weekly, at a local hour (and a weekday)."""
    from restons.services.reminders import set_digest

    set_digest(ctx.owner, frequency=frequency, weekday=weekday, hour=hour)
    click.echo(_describe(_digest_json(ctx.owner)))


@command(digest, "send")
@click.option("--to-me", is_flag=True, help="To your own address (the account's email; the only recipient).")
@click.option("--now", is_flag=True, help="Today's digest at once, outside the schedule (to try the mail settings).")
def digest_send(ctx, to_me, now):
    """Send the digest now: the one due (at most once per period), or with --now a try outside the schedule."""
    from restons.services import deliveries
    from restons.services.worker import worker_name

    if now:
        click.echo(deliveries.send_now(ctx.owner))
        return
    counts = deliveries.run_due(worker_name(), owner=ctx.owner)
    if not counts:
        click.echo(_("Nothing due now (see 'restons digest show'; --now sends one anyway)."))
    for state, n in sorted(counts.items()):
        click.echo(f"{state}: {n}")


@command(name="worker", acts=False)
@click.option("--once", is_flag=True, help="One round, then exit (for cron or a test).")
@click.option("--interval", type=click.IntRange(10, 3600), default=None,
              help="Seconds between rounds (default RESTONS_WORKER_INTERVAL).")
def worker_command(ctx, once, interval):
    """Run the scheduler alone: checkups, digests, pushes and the Import page's jobs (for several web processes)."""
    import signal
    import threading

    from restons.services import worker

    if once:
        from restons.services import jobs

        name = worker.worker_name()
        counts = worker.run_once(name)
        if not worker.needs_lease() or worker.take_lease(name, 60):
            counts.update({f"imports {status}": n for status, n in jobs.run_queued(name).items()})
            if worker.needs_lease():
                worker.release_lease(name)
        click.echo(", ".join(f"{state}: {n}" for state, n in sorted(counts.items())) or _("Nothing was due."))
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_args: stop.set())
    click.echo(_("Restons worker %(name)s running (Ctrl+C to stop).") % {"name": worker.worker_name()})
    for thread in worker.start(stop, interval):
        while thread.is_alive():
            thread.join(1)


@command(name="status")
@json_option
def status(ctx, as_json):
    """When the worker last ran and what it sent; a worker silent for two rounds is a problem."""
    from django.utils import timezone

    from restons.services.deliveries import last_deliveries
    from restons.services.worker import status as worker_status

    from restons.services.jobs import queue_status

    state = worker_status()
    last = last_deliveries(ctx.owner)
    imports = queue_status()
    data = {"worker": state.as_json(), "yours": {
        kind: None if row is None else {"period": row.period, "state": row.state, "summary": row.summary,
                                        "error": row.last_error}
        for kind, row in last.items()}, "imports": imports}
    if as_json:
        print_json(data)
    else:
        if state.last_run_at:
            click.echo(_("Worker: last ran %(when)s; %(sent)d sent in the last 24 hours, %(failed)d failed in 7 days.")
                       % {"when": timezone.localtime(state.last_run_at).strftime("%Y-%m-%d %H:%M"),
                          "sent": state.sent_today, "failed": state.failed})
        else:
            click.echo(_("Worker: never ran."))
        if state.problem:
            click.echo(_("Problem: no worker ran in the last two intervals; start 'restons serve' or 'restons worker'."))
        if imports["queued"] or imports["running"]:
            click.echo(_("Imports: %(running)d running, %(queued)d waiting.") % imports)
        for kind, row in last.items():
            if row is not None:
                click.echo(f"{kind}: {row.period} {row.state}" + (f" ({row.summary})" if row.summary else "")
                           + (f" — {row.last_error}" if row.last_error else ""))
    return 1 if state.problem else 0
