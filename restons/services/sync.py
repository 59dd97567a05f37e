"""Reading mail and calendars where they live: IMAP accounts, calendar subscriptions, one-off ICS addresses.

An IMAP sync fetches the messages new since each folder's checkpoint
(UIDVALIDITY + last UID, :mod:`restons.importers.imap`), saves them with the
shared capture save (:func:`restons.services.capture.save_records`), and only
then stores the new checkpoints: a sync killed in between reads the same
messages again next time, and saving them again changes nothing (an
conversation is matched with the stored ones of the same person, channel and
direction, whatever source stored them). So the same message seen in an mbox
import and by IMAP is one interaction; :data:`MAIL_SOURCE` only says where a
ping came from.

A calendar address is fetched over HTTPS (``webcal://`` is HTTPS) with a
timeout and a size limit, and its occurrences saved under the ICS import's
source name, :data:`ICS_SOURCE`: an occurrence is stored once by its key
whichever calendar source brought it, so fetching the same feed twice, or
importing its file too, adds nothing.

Failures are one line (:class:`UserError`); a scheduled sync records them on
the account or subscription, where Settings and ``restons imap list`` show
them.
"""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from restons import conf
from restons.models import CalendarSubscription, ImapAccount
from restons.services import secrets
from restons.services.access import get_owned, owned
from restons.services.errors import UserError

MAIL_SOURCE = "imap"  # an mbox or Maildir import of the same messages finds their conversations stored
ICS_SOURCE = "ics"  # the same as `restons import ics`: an occurrence is one interaction, by its key
NAME_MAX = ImapAccount._meta.get_field("name").max_length
ICS_MAX_BYTES = 20 * 1024 * 1024
ICS_TIMEOUT = 30.0  # seconds, for the whole download
SAVE_EVERY = 5000  # IMAP messages held before they are saved and their checkpoints stored
ERROR_MAX = ImapAccount._meta.get_field("last_error").max_length


# --- shared ---------------------------------------------------------------------------------------

def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise UserError(_("a name is needed (e.g. work)"))
    if len(name) > NAME_MAX:
        raise UserError(_("the name is longer than %(max)s characters") % {"max": NAME_MAX})
    return name


def password_variable(name: str) -> str:
    """``RESTONS_IMAP_PASSWORD_<NAME>``: the name upper-cased, every other character than A–Z and 0–9 an underscore."""
    return "RESTONS_IMAP_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


def password_from_environment(name: str) -> str | None:
    return os.environ.get(password_variable(name)) or None


def _merge(total, summary):
    """Add ``summary``'s counts to ``total`` (an ImportSummary; None: a copy of ``summary``)."""
    if total is None:
        return summary
    for item in dataclasses.fields(summary):
        value, before = getattr(summary, item.name), getattr(total, item.name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)):
            setattr(total, item.name, before + value)
        elif isinstance(value, list):
            before.extend(value)
        elif isinstance(value, dict):
            for key, count in value.items():
                before[key] = before.get(key, 0) + count if isinstance(count, (int, float)) else count
    return total


def summary_json(summary) -> dict:
    return summary.as_json() if summary is not None else {}


def _record(model, pk: int, *, error: str = "", summary: dict | None = None, now: datetime | None = None,
            state: dict | None = None) -> None:
    now = now or timezone.now()
    values = {"last_attempt_at": now, "last_error": error[:ERROR_MAX]}
    if not error:
        values.update(last_sync_at=now, last_summary=summary or {})
    if state is not None:
        values["state"] = state
    model.objects.filter(pk=pk).update(**values)


def _save(owner, source: str, records: list, where: str):
    from restons.services.capture import save_records

    return save_records(owner, source, records, where=where)


# --- IMAP accounts --------------------------------------------------------------------------------

def _imap_account(row: ImapAccount, password: str | None = None, timeout: float | None = None):
    from restons.importers.imap import TIMEOUT, Account

    return Account(
        name=row.name, host=row.host, user=row.user,
        password=password if password is not None else secrets.decrypt(row.password_encrypted, row.name),
        port=row.port, security=row.security, folders=tuple(row.folders or ()), timeout=timeout or TIMEOUT,
    )


def add_account(owner, name: str, *, host: str, user: str, password: str, port: int | None = None,
                security: str = "tls", folders=(), check=True) -> ImapAccount:
    """Log in (and find the folders) first; store the account only when that works. One line otherwise."""
    from restons.importers.imap import SECURITY, choose_folders, connect, _close

    name = _check_name(name)
    host, user = (host or "").strip(), (user or "").strip()
    if not host:
        raise UserError(_("%(name)s: the server is missing (--host)") % {"name": name})
    if not user:
        raise UserError(_("%(name)s: the user name is missing (--user)") % {"name": name})
    if not password:
        raise UserError(_("%(name)s: the password is missing") % {"name": name})
    if security not in SECURITY:
        raise UserError(_("unknown connection security %(value)r; use tls, starttls or plain") % {"value": security})
    if port is not None and not 1 <= port <= 65535:
        raise UserError(_("%(port)s is not a port number (1 to 65535)") % {"port": port})
    folders = [f.strip() for f in folders if f and f.strip()]
    if owned(ImapAccount, owner).filter(name=name).exists():
        raise UserError(_("there is already a mail account named “%(name)s”; remove it first to change it")
                        % {"name": name})
    row = ImapAccount(owner=owner, name=name, host=host, user=user, port=port, security=security, folders=folders)
    if check:
        client = connect(_imap_account(row, password=password))
        try:
            gmail = client.has_capability("X-GM-EXT-1")
            choose_folders(client, tuple(folders), gmail)
        finally:
            _close(client)
    row.password_encrypted = secrets.encrypt(password)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise UserError(_("there is already a mail account named “%(name)s”; remove it first to change it")
                        % {"name": name}) from None
    return row


def list_accounts(owner) -> list[ImapAccount]:
    return list(owned(ImapAccount, owner).order_by("name"))


def find_account(owner, name: str) -> ImapAccount:
    try:
        return owned(ImapAccount, owner).get(name=name)
    except ImapAccount.DoesNotExist:
        raise UserError(_("no mail account named “%(name)s” (see 'restons imap list')") % {"name": name}) from None


def remove_account(owner, account: ImapAccount) -> None:
    owned(ImapAccount, owner).filter(pk=account.pk).delete()


def account_json(row: ImapAccount) -> dict:
    """The documented JSON of an account: never the password, encrypted or not."""
    def iso(moment):
        return moment.isoformat() if moment else None

    return {
        "id": row.pk, "name": row.name, "host": row.host, "port": row.port, "security": row.security,
        "user": row.user, "folders": list(row.folders or []),
        "last_sync_at": iso(row.last_sync_at), "last_attempt_at": iso(row.last_attempt_at),
        "last_result": row.last_result, "last_error": row.last_error or None, "last_summary": row.last_summary or {},
        "state": {folder: dict(value) for folder, value in (row.state or {}).items()},
    }


@dataclasses.dataclass
class SyncResult:
    name: str
    fetched: int = 0  # records read from the server (messages, and lines that could not be read)
    summary: object = None  # ImportSummary, None when nothing new came
    error: str = ""

    def as_json(self) -> dict:
        return {"name": self.name, "fetched": self.fetched, "ok": not self.error, "error": self.error or None,
                "summary": summary_json(self.summary)}


def sync_account(owner, account: ImapAccount, *, timeout: float | None = None, progress=None,
                 now: datetime | None = None) -> SyncResult:
    """Fetch what is new since the stored checkpoints, save it, then store the checkpoints.

    Raises UserError (one line) when the server cannot be reached or refuses; the
    failure is recorded on the account either way.
    """
    from restons.importers.imap import Checkpoint, FolderState, fetch

    if account.owner_id != owner.pk:
        raise UserError(_("no mail account named “%(name)s” (see 'restons imap list')") % {"name": account.name})
    result = SyncResult(account.name)
    state = {folder: FolderState(int(value["uidvalidity"]), int(value["last_uid"]))
             for folder, value in (account.state or {}).items()}
    stored = {folder: dict(value) for folder, value in (account.state or {}).items()}
    held: list = []
    pending: dict = {}
    where = _("mail account %(name)s") % {"name": account.name}

    def flush():
        nonlocal held, pending
        if held:
            result.summary = _merge(result.summary, _save(owner, MAIL_SOURCE, held, where))
        if pending:
            stored.update(pending)
            # The checkpoints after the rows: a crash in between reads these messages again, harmlessly.
            ImapAccount.objects.filter(pk=account.pk).update(state=stored)
        held, pending = [], {}

    try:
        for item in fetch(_imap_account(account, timeout=timeout), state):
            if isinstance(item, Checkpoint):
                pending[item.folder] = {"uidvalidity": item.state.uidvalidity, "last_uid": item.state.last_uid}
                if len(held) >= SAVE_EVERY:
                    flush()
                continue
            held.append(item)
            result.fetched += 1
            if progress:
                progress(result.fetched)
        flush()
    except UserError as exc:
        result.error = str(exc)
        _record(ImapAccount, account.pk, error=result.error, now=now)
        raise
    except Exception as exc:  # noqa: BLE001 — recorded on the account, then raised for the caller to report
        result.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
        _record(ImapAccount, account.pk, error=result.error, now=now)
        raise
    _record(ImapAccount, account.pk, summary={"fetched": result.fetched, **summary_json(result.summary)}, now=now)
    account.refresh_from_db()
    return result


# --- calendars ------------------------------------------------------------------------------------

def normalise_url(url: str) -> str:
    """``webcal://`` is HTTPS; anything else than http(s) is refused (one line)."""
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        parts = parts._replace(scheme="https")
    elif scheme not in ("http", "https"):
        raise UserError(_("%(url)s is not a calendar address: expected https://, http:// or webcal://")
                        % {"url": url_hint(url) or url[:60]})
    if not parts.hostname:
        raise UserError(_("%(url)s is not a calendar address: the server is missing") % {"url": url[:60]})
    return urllib.parse.urlunsplit(parts)


def url_hint(url: str) -> str:
    """The server and the file name, never the rest: a private address's path and query are its password."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.rstrip("/").rsplit("/", 1)[-1] if parts.path.strip("/") else ""
    host = parts.hostname or ""
    return f"{host}/…/{name}" if name and "/" in parts.path.strip("/") else f"{host}/{name}"


def _owner_hint(url: str) -> str:
    """Google's private address names the calendar's owner in its path (…/ical/you%40gmail.com/private-…/basic.ics)."""
    for piece in urllib.parse.urlsplit(url).path.split("/"):
        piece = urllib.parse.unquote(piece)
        if "@" in piece:
            return piece
    return ""


class _NoRedirectToOtherSchemes(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_calendar(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> bytes:
    """The calendar at ``url``: refused (one line) past ``max_bytes`` or ``timeout`` seconds in all."""
    url = normalise_url(url)
    timeout = ICS_TIMEOUT if timeout is None else timeout
    max_bytes = ICS_MAX_BYTES if max_bytes is None else max_bytes
    hint = url_hint(url)
    limit_mb = max(1, max_bytes // (1024 * 1024))
    too_big = _("%(url)s: the calendar is larger than %(limit)s MB; refused") % {"url": hint, "limit": limit_mb}
    timed_out = _("%(url)s: no complete answer within %(seconds)s seconds; try again later") % {
        "url": hint, "seconds": int(timeout) if timeout >= 1 else timeout}
    request = urllib.request.Request(url, headers={"User-Agent": "Restons calendar sync",
                                                   "Accept": "text/calendar, */*;q=0.5"})
    opener = urllib.request.build_opener(_NoRedirectToOtherSchemes)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise UserError(too_big)
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise UserError(timed_out)
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise UserError(too_big)
                chunks.append(chunk)
            return b"".join(chunks)
    except UserError:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404, 410):
            raise UserError(_("%(url)s: the server answered %(code)s %(reason)s; check the address (a private "
                              "address changes when it is reset)") % {"url": hint, "code": exc.code,
                                                                       "reason": exc.reason}) from None
        raise UserError(_("%(url)s: the server answered %(code)s %(reason)s; try again later")
                        % {"url": hint, "code": exc.code, "reason": exc.reason}) from None
    except (TimeoutError, socket.timeout):
        raise UserError(timed_out) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise UserError(timed_out) from None
        why = getattr(exc.reason, "strerror", None) or str(exc.reason)
        raise UserError(_("%(url)s: cannot connect (%(why)s)") % {"url": hint, "why": why}) from None
    except OSError as exc:
        raise UserError(_("%(url)s: cannot read the calendar (%(why)s)")
                        % {"url": hint, "why": exc.strerror or exc}) from None


def sync_url(owner, url: str, *, where: str | None = None, now: datetime | None = None,
             timeout: float | None = None, max_bytes: int | None = None):
    """Fetch ``url`` and save its past occurrences; returns ``(fetched, ImportSummary or None)``."""
    from restons.importers.ics import parse_bytes
    from restons.services.accounts import settings_of

    url = normalise_url(url)
    data = fetch_calendar(url, timeout=timeout, max_bytes=max_bytes)
    where = where or url_hint(url)
    zone = ZoneInfo(settings_of(owner).time_zone)
    records = list(parse_bytes(data, where, now=now or timezone.now(), tz=zone, owner_hint=_owner_hint(url)))
    if not records:
        return 0, None
    return len(records), _save(owner, ICS_SOURCE, records, where)


def add_subscription(owner, name: str, url: str, *, check: bool = True) -> CalendarSubscription:
    """Subscribe to a calendar address; it is fetched once first (and must be a calendar)."""
    name = _check_name(name)
    url = normalise_url(url)
    if owned(CalendarSubscription, owner).filter(name=name).exists():
        raise UserError(_("there is already a calendar named “%(name)s”; remove it first to change it")
                        % {"name": name})
    if check:
        data = fetch_calendar(url)
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper().startswith(b"BEGIN:VCALENDAR"):
            raise UserError(_("%(url)s: not a calendar (no BEGIN:VCALENDAR); use the address of the calendar "
                              "in iCal format") % {"url": url_hint(url)})
    try:
        with transaction.atomic():
            return CalendarSubscription.objects.create(owner=owner, name=name, url_encrypted=secrets.encrypt(url),
                                                       url_hint=url_hint(url)[:300])
    except IntegrityError:
        raise UserError(_("there is already a calendar named “%(name)s”; remove it first to change it")
                        % {"name": name}) from None


def list_subscriptions(owner) -> list[CalendarSubscription]:
    return list(owned(CalendarSubscription, owner).order_by("name"))


def find_subscription(owner, name: str) -> CalendarSubscription:
    try:
        return owned(CalendarSubscription, owner).get(name=name)
    except CalendarSubscription.DoesNotExist:
        raise UserError(_("no calendar named “%(name)s” (see 'restons calendar list')") % {"name": name}) from None


def remove_subscription(owner, subscription: CalendarSubscription) -> None:
    owned(CalendarSubscription, owner).filter(pk=subscription.pk).delete()


def subscription_json(row: CalendarSubscription) -> dict:
    """Never the address itself: only its server and file name."""
    def iso(moment):
        return moment.isoformat() if moment else None

    return {"id": row.pk, "name": row.name, "url": row.url_hint, "last_sync_at": iso(row.last_sync_at),
            "last_attempt_at": iso(row.last_attempt_at), "last_result": row.last_result,
            "last_error": row.last_error or None, "last_summary": row.last_summary or {}}


def sync_subscription(owner, subscription: CalendarSubscription, *, timeout: float | None = None,
                      now: datetime | None = None) -> SyncResult:
    if subscription.owner_id != owner.pk:
        raise UserError(_("no calendar named “%(name)s” (see 'restons calendar list')") % {"name": subscription.name})
    result = SyncResult(subscription.name)
    try:
        url = secrets.decrypt(subscription.url_encrypted, subscription.name)
        result.fetched, result.summary = sync_url(owner, url, where=subscription.name, now=now, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 — recorded, then raised for the caller to report
        result.error = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}".splitlines()[0]
        _record(CalendarSubscription, subscription.pk, error=result.error, now=now)
        raise
    _record(CalendarSubscription, subscription.pk,
            summary={"fetched": result.fetched, **summary_json(result.summary)}, now=now)
    subscription.refresh_from_db()
    return result


# --- the schedule ---------------------------------------------------------------------------------

def interval() -> timedelta | None:
    """``RESTONS_SYNC_MINUTES`` as a duration; None when scheduled syncs are off (the default)."""
    minutes = conf.get("RESTONS_SYNC_MINUTES")
    return timedelta(minutes=minutes) if minutes else None


def is_due(last_attempt_at: datetime | None, every: timedelta | None, now: datetime) -> bool:
    """Due when syncs are on and the last attempt (successful or not) is ``every`` old, or never was."""
    if every is None:
        return False
    return last_attempt_at is None or last_attempt_at <= now - every


def _claim(model, pk: int, every: timedelta, now: datetime) -> bool:
    """Take a due source for this worker: the due check and the claim are one UPDATE, so two workers never both run it."""
    return bool(model.objects.filter(pk=pk).filter(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - every)).update(last_attempt_at=now))


def run_due(now: datetime | None = None, *, log=None) -> dict:
    """Sync every due account and subscription of every user; a failure is recorded, never raised.

    Returns ``{"synced": n, "failed": n}``.
    """
    from restons.services.accounts import activate

    counts = {"synced": 0, "failed": 0}
    every = interval()
    if every is None:
        return counts
    now = now or timezone.now()
    for model, sync in ((ImapAccount, sync_account), (CalendarSubscription, sync_subscription)):
        due = model.objects.filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - every))
        for row in due.select_related("owner").order_by("last_attempt_at", "pk"):
            if not _claim(model, row.pk, every, now):
                continue
            try:
                activate(row.owner)
                sync(row.owner, row, now=now)
                counts["synced"] += 1
            except Exception as exc:  # noqa: BLE001 — recorded on the row by sync_*; the worker goes on
                counts["failed"] += 1
                if log is not None:
                    log.warning("sync of %s %s failed: %s", model._meta.model_name, row.pk, one_line(exc),
                                exc_info=not isinstance(exc, UserError))
            finally:
                timezone.deactivate()  # the next user's sync, and the worker's next step, start from the default
    return counts


def sync_all(owner, *, timeout: float | None = None) -> list[SyncResult]:
    """Every account and subscription of ``owner``, now; failures are in the results, not raised."""
    results = []
    for row in list_accounts(owner):
        try:
            results.append(sync_account(owner, row, timeout=timeout))
        except Exception as exc:  # noqa: BLE001
            results.append(SyncResult(row.name, error=one_line(exc)))
    for row in list_subscriptions(owner):
        try:
            results.append(sync_subscription(owner, row, timeout=timeout))
        except Exception as exc:  # noqa: BLE001
            results.append(SyncResult(row.name, error=one_line(exc)))
    return results


def one_line(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}".splitlines()[0]


def get_account(owner, pk) -> ImapAccount:
    return get_owned(ImapAccount, owner, pk=pk)


def get_subscription(owner, pk) -> CalendarSubscription:
    return get_owned(CalendarSubscription, owner, pk=pk)
