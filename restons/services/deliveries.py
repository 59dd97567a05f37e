"""Deliveries: each (user, kind, period) sent at most once, whatever crashes and however many workers.

How a message goes out:

1. :func:`plan` inserts a ``pending`` :class:`~restons.models.Delivery` for every
   message that is due now — the digest once its local hour has come on its day
   (daily: the period is the local date; weekly: the ISO week), a push at the same
   hour — ignoring conflicts on the unique (owner, kind, period): planning twice, or
   in two workers, makes one row.
2. :func:`claim_one` takes one due ``pending`` row and marks it ``sending`` in its
   own transaction, committed *before* anything is sent. On PostgreSQL the row is
   read with ``SELECT … FOR UPDATE SKIP LOCKED``, so workers side by side each take
   a different row without waiting; the conditional UPDATE (``WHERE state =
   'pending'``) makes a second claim of the same row a no-op on any database.
3. :func:`deliver` sends it and records ``sent`` (or ``skipped``: nothing to say).

The trade-off, chosen on purpose: **at most once**. A worker killed between
sending and recording leaves the row ``sending``; nobody sends it again, and
after :data:`STALE_AFTER` it is shown as ``failed`` ("interrupted: not sent
again"), so a user may miss one digest but never gets two. A failure that
certainly did not send (connection refused before DATA, an SMTP 4xx, HTTP
429/5xx) goes back to ``pending`` with a growing delay (:data:`BACKOFF_SECONDS`);
anything that may have sent, or was refused for good, is ``failed`` at once.
The last error is shown in Settings and by ``restons status``.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from restons import conf, mail
from restons.models import Delivery, Preferences, Reminders
from restons.services import push

log = logging.getLogger("restons.worker")

BACKOFF_SECONDS = (60, 300, 900, 3600)  # after the 1st, 2nd, 3rd, 4th failure that did not send
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
STALE_AFTER = timedelta(minutes=15)  # a row ``sending`` this long was interrupted
ERROR_MAX = 500


class NotSent(Exception):
    """Certainly not sent: retried later."""


class Failed(Exception):
    """Maybe sent, or refused for good: not retried."""


def local_zone(preferences: Preferences | None) -> ZoneInfo:
    from restons.services.accounts import resolve

    return ZoneInfo(resolve(preferences).time_zone)


def due_periods(row: Reminders, zone: ZoneInfo, now: datetime, can_mail: bool, can_ntfy: bool) -> list[tuple[str, str]]:
    """The (kind, period) of every message of ``row``'s user due at ``now``.

    A daily message is due from its local hour on each day; a weekly digest from its
    local hour on its weekday until the week ends. Only the current period is due:
    a worker that was stopped for three days sends today's digest, not three.
    The local hour is read in the user's zone on that very day, so 08:00 stays 08:00
    across a daylight-saving change.
    """
    local = now.astimezone(zone)
    today = local.date()
    at_hour_today = datetime.combine(today, time(row.hour), tzinfo=zone)
    found = []
    if can_mail and row.digest == Reminders.Digest.DAILY and now >= at_hour_today:
        found.append((Delivery.Kind.DIGEST, today.isoformat()))
    if can_mail and row.digest == Reminders.Digest.WEEKLY:
        monday = today - timedelta(days=today.weekday())
        due = datetime.combine(monday + timedelta(days=row.weekday), time(row.hour), tzinfo=zone)
        if now >= due:
            year, week, _day = today.isocalendar()
            found.append((Delivery.Kind.DIGEST, f"{year}-W{week:02d}"))
    if now >= at_hour_today:
        if can_ntfy and row.ntfy_topic:
            found.append((Delivery.Kind.NTFY, today.isoformat()))
        if row.webhook_url:
            found.append((Delivery.Kind.WEBHOOK, today.isoformat()))
    return found


def plan(now: datetime | None = None) -> int:
    """Insert the ``pending`` deliveries due at ``now`` that do not exist yet; returns how many rows it offered."""
    now = now or timezone.now()
    can_mail, can_ntfy = mail.configured(), bool(conf.get("RESTONS_NTFY_URL"))
    preferences = {p.owner_id: p for p in Preferences.objects.all()}
    rows = []
    wanted = Reminders.objects.exclude(digest=Reminders.Digest.OFF, ntfy_topic="", webhook_url="")
    for row in wanted.select_related("owner"):
        if row.digest != Reminders.Digest.OFF and not row.owner.email:
            can = False  # nowhere to send a digest
        else:
            can = can_mail
        for kind, period in due_periods(row, local_zone(preferences.get(row.owner_id)), now, can, can_ntfy):
            rows.append(Delivery(owner_id=row.owner_id, kind=kind, period=period, not_before=now))
    if rows:
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def recover_stale(now: datetime | None = None) -> int:
    """Rows left ``sending`` by a worker that died: ``failed``, never sent again (see the module's trade-off)."""
    now = now or timezone.now()
    return Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - STALE_AFTER).update(
        state=Delivery.State.FAILED, finished_at=now,
        last_error="interrupted while sending; not sent again, so that it is never sent twice")


def claim_one(worker: str, now: datetime | None = None, owner=None) -> Delivery | None:
    """Take one due ``pending`` delivery (``owner``'s only, when given) for ``worker`` and commit it as
    ``sending``; None when none is due."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(state=Delivery.State.PENDING, not_before__lte=now).order_by("not_before", "id")
        if owner is not None:
            due = due.filter(owner_id=owner.pk)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        row = due.first()
        if row is None:
            return None
        taken = Delivery.objects.filter(pk=row.pk, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1, worker=worker[:100])
        if not taken:
            return None
    row.refresh_from_db()
    return row


def _send_mail(message) -> None:
    """Send one mail, sorting failures into NotSent (before the server took it) and Failed."""
    connection_ = mail_connection()
    try:
        connection_.open()
    except smtplib.SMTPResponseException as exc:
        raise NotSent(f"SMTP {exc.smtp_code} {exc.smtp_error!r} while connecting") from None
    except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, TLS, login: nothing was sent
        raise NotSent(f"cannot reach the mail server: {exc}") from None
    try:
        connection_.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise NotSent(f"recipient refused for now: {exc.recipients}") from None
        raise Failed(f"recipient refused: {exc.recipients}") from None
    except smtplib.SMTPResponseException as exc:  # sender refused, DATA refused: the server said no
        if 400 <= exc.smtp_code < 500:
            raise NotSent(f"SMTP {exc.smtp_code} {exc.smtp_error!r}") from None
        raise Failed(f"SMTP {exc.smtp_code} {exc.smtp_error!r}") from None
    except (OSError, smtplib.SMTPException) as exc:  # cut off mid-way: maybe sent
        raise Failed(f"the connection broke while sending, maybe sent: {exc}") from None
    finally:
        try:
            connection_.close()
        except Exception:  # closing a broken connection may fail too; nothing to do about it
            pass


def mail_connection():
    from django.core.mail import get_connection

    return get_connection(fail_silently=False)


def _content(delivery: Delivery):
    """(message-or-None, summary, entries, day) for ``delivery``, built in its owner's zone and language."""
    from restons.services import digest
    from restons.services.today import today_list

    owner = delivery.owner
    if delivery.kind == Delivery.Kind.DIGEST:
        weekly = "W" in delivery.period
        day = None if weekly else date.fromisoformat(delivery.period)
        _content, message, summary = digest.build(owner, day, weekly=weekly, period=delivery.period)
        return message, summary, None, day
    from restons.services.accounts import settings_of

    with timezone.override(ZoneInfo(settings_of(owner).time_zone)), translation.override(digest.language_of(owner)):
        day = date.fromisoformat(delivery.period)
        entries = today_list(owner, day, language=translation.get_language())
        return None, push.title_of(len(entries)), entries, day


def deliver(delivery: Delivery, now: datetime | None = None) -> str:
    """Send a claimed delivery and record how it went; returns its new state."""
    from restons.services import digest

    from restons.services.reminders import reminders_of

    now = now or timezone.now()
    state, error, summary = Delivery.State.SENT, "", ""
    row = reminders_of(delivery.owner)
    wanted = {Delivery.Kind.DIGEST: row.digest != Reminders.Digest.OFF, Delivery.Kind.NTFY: bool(row.ntfy_topic),
              Delivery.Kind.WEBHOOK: bool(row.webhook_url)}
    if not wanted[delivery.kind]:  # turned off (unsubscribed) between planning and now
        from django.utils.translation import gettext as _

        with translation.override(digest.language_of(delivery.owner)):
            summary = _("turned off before it was sent")
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
            state=Delivery.State.SKIPPED, finished_at=now, summary=summary)
        return Delivery.State.SKIPPED
    try:
        message, summary, entries, day = _content(delivery)
        if delivery.kind == Delivery.Kind.DIGEST:
            if message is None:
                state = Delivery.State.SKIPPED
            else:
                _send_mail(message)
        elif not entries:
            state = Delivery.State.SKIPPED
        else:
            today_url = digest.absolute("/")
            with translation.override(digest.language_of(delivery.owner)):
                try:
                    if delivery.kind == Delivery.Kind.NTFY:
                        push.send_ntfy(row.ntfy_topic, entries, today_url)
                    else:
                        push.send_webhook(row.webhook_url, row.webhook_secret, day, entries, today_url)
                except push.NotSent as exc:
                    raise NotSent(str(exc)) from None
                except push.Uncertain as exc:
                    raise Failed(str(exc)) from None
    except NotSent as exc:
        error = str(exc)
        if delivery.attempts < MAX_ATTEMPTS:
            delay = BACKOFF_SECONDS[min(delivery.attempts, len(BACKOFF_SECONDS)) - 1]
            Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
                state=Delivery.State.PENDING, not_before=now + timedelta(seconds=delay), last_error=error[:ERROR_MAX])
            log.warning("%s for user %s, %s: not sent (%s); retried in %s s",
                        delivery.kind, delivery.owner_id, delivery.period, error, delay)
            return Delivery.State.PENDING
        state = Delivery.State.FAILED
    except Failed as exc:
        state, error = Delivery.State.FAILED, str(exc)
    except Exception as exc:  # a bug in building the message: never sent, but trying again would fail the same way
        log.exception("could not build %s for user %s", delivery.kind, delivery.owner_id)
        state, error = Delivery.State.FAILED, f"{type(exc).__name__}: {exc}"
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=state, finished_at=now, summary=summary[:200], last_error=error[:ERROR_MAX])
    if state == Delivery.State.FAILED:
        log.warning("%s for user %s, %s failed: %s", delivery.kind, delivery.owner_id, delivery.period, error)
    return state


def run_due(worker: str, now: datetime | None = None, owner=None) -> dict:
    """Plan, then claim and deliver row by row until nothing is due (``owner``'s only, when given);
    returns counts per final state."""
    recover_stale(now)
    plan(now)
    counts: dict[str, int] = {}
    while True:
        delivery = claim_one(worker, now, owner)
        if delivery is None:
            return counts
        state = deliver(delivery, now)
        counts[state] = counts.get(state, 0) + 1


def send_now(owner) -> str:
    """Send ``owner`` today's digest at once, outside the schedule and recorded nowhere; returns what happened.

    For trying the mail settings (``restons digest send --to-me --now``, Settings' "Send me today's
    digest now"). Raises UserError when mail is not configured, the account has no address, or
    the server refused.
    """
    from django.utils.translation import gettext as _

    from restons.services import digest
    from restons.services.errors import UserError

    if not mail.configured():
        raise UserError(_("This instance cannot send mail: its administrator sets RESTONS_EMAIL_URL."))
    if not owner.email:
        raise UserError(_("Your account has no email address."))
    _content, message, summary = digest.build(owner)
    if message is None:
        return _("Nothing to say today: no digest sent.")
    try:
        _send_mail(message)
    except (NotSent, Failed) as exc:
        raise UserError(_("The digest could not be sent: %(error)s") % {"error": str(exc)}) from None
    return _("Digest sent to %(email)s (%(summary)s).") % {"email": owner.email, "summary": summary}


def last_deliveries(owner) -> dict:
    """``owner``'s latest delivery of each kind (None when there was none), for Settings and ``restons status``."""
    from restons.services.access import owned

    return {kind: owned(Delivery, owner).filter(kind=kind).order_by("-created_at", "-id").first()
            for kind in Delivery.Kind.values}
