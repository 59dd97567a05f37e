"""What a user chose for reminders: the digest, the calendar feed's secret, ntfy and the webhook.

The CLI (``restons digest show|set``) and Settings call these functions; each
validates everything first and writes nothing on bad input.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from restons import conf, mail
from restons.models import Reminders
from restons.services.errors import UserError

FEED_KEY_BYTES = 12  # 16 characters: finds the row
FEED_SECRET_BYTES = 32  # 43 characters: proves the right to read it
NTFY_TOPIC_MAX = 64


def reminders_of(owner) -> Reminders:
    """``owner``'s row, unsaved with the defaults (digest off) when they never chose anything."""
    found = Reminders.objects.filter(owner_id=owner.pk).first()
    return found or Reminders(owner=owner)


def _weekday(value) -> int:
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    text = str(value).strip().lower()
    if text in names:
        return names.index(text)
    if text[:3] in [n[:3] for n in names] and len(text) >= 3:
        return [n[:3] for n in names].index(text[:3])
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    raise UserError(_("Unknown weekday %(value)r: say monday … sunday (or 0 for Monday … 6 for Sunday).")
                    % {"value": str(value)[:40]})


def _hour(value) -> int:
    text = str(value).strip()
    if ":" in text:  # "08:00"
        hours, _sep, minutes = text.partition(":")
        if minutes not in ("00", "0", ""):
            text = "x"
        else:
            text = hours
    if text.isdigit() and 0 <= int(text) <= 23:
        return int(text)
    raise UserError(_("The hour must be a whole hour from 0 to 23 (e.g. 8 or 08:00), not %(value)r.")
                    % {"value": str(value)[:40]})


def set_digest(owner, *, frequency: str | None = None, weekday=None, hour=None) -> Reminders:
    """Change the digest: ``frequency`` off, daily or weekly; ``weekday`` (weekly); ``hour`` (local).

    Values left None keep what was chosen. Raises UserError (nothing stored) for anything else.
    """
    row = reminders_of(owner)
    if frequency is not None:
        if frequency not in Reminders.Digest.values:
            raise UserError(_("Unknown digest frequency %(value)r: say off, daily or weekly.")
                            % {"value": str(frequency)[:40]})
        row.digest = frequency
    if weekday not in (None, ""):
        row.weekday = _weekday(weekday)
    if hour not in (None, ""):
        row.hour = _hour(hour)
    row.save()
    return row


def unsubscribe(owner) -> bool:
    """Turn the digest off (the one-click unsubscribe); True when it was on."""
    updated = Reminders.objects.filter(owner_id=owner.pk).exclude(digest=Reminders.Digest.OFF).update(
        digest=Reminders.Digest.OFF)
    return bool(updated)


# -- the calendar feed ---------------------------------------------------------

def feed_path(row: Reminders) -> str:
    """The feed's path (``/feed/KEY/SECRET.ics``), "" while it has no secret yet."""
    if not row.feed_key:
        return ""
    return f"/feed/{row.feed_key}/{row.feed_secret}.ics"


def feed_url(row: Reminders) -> str:
    path = feed_path(row)
    return conf.get("RESTONS_BASE_URL") + path if path else ""


def regenerate_feed(owner) -> Reminders:
    """A new secret URL for the feed; the old one answers 404 from now on."""
    with transaction.atomic():
        row = reminders_of(owner)
        row.feed_key = secrets.token_urlsafe(FEED_KEY_BYTES)
        row.feed_secret = secrets.token_urlsafe(FEED_SECRET_BYTES)
        row.feed_etag = ""
        row.feed_modified = None
        row.save()
    return row


def disable_feed(owner) -> None:
    Reminders.objects.filter(owner_id=owner.pk).update(feed_key=None, feed_secret="", feed_etag="",
                                                        feed_modified=None)


def feed_owner(key: str, secret: str) -> Reminders | None:
    """The row whose feed is ``key``/``secret``; None for anything else (the view answers 404).

    The secret is compared in constant time, so a wrong one teaches nothing about the right one.
    """
    if not key or not secret or len(key) > 24 or len(secret) > 64:
        return None
    row = Reminders.objects.select_related("owner").filter(feed_key=key).first()
    if row is None or not row.feed_secret:
        hmac.compare_digest(secret.encode(), b"x" * len(secret.encode()))  # the same work, key or not
        return None
    return row if hmac.compare_digest(secret.encode(), row.feed_secret.encode()) else None


# -- push ----------------------------------------------------------------------

def set_push(owner, *, ntfy_topic: str | None = None, webhook_url: str | None = None,
             new_webhook_secret: bool = False) -> Reminders:
    """Change the ntfy topic and the webhook; "" turns each off. A new webhook gets a new secret.

    Raises UserError for a topic ntfy would refuse or a webhook that is not http(s).
    """
    row = reminders_of(owner)
    if ntfy_topic is not None:
        topic = ntfy_topic.strip()
        if topic and not (len(topic) <= NTFY_TOPIC_MAX and all(c.isalnum() or c in "-_" for c in topic)
                          and topic.isascii()):
            raise UserError(_("An ntfy topic is up to 64 letters, digits, - or _ (e.g. restons-k3x9q)."))
        row.ntfy_topic = topic
    if webhook_url is not None:
        url = webhook_url.strip()
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500):
            raise UserError(_("The webhook must be an http:// or https:// address."))
        if url != row.webhook_url:
            new_webhook_secret = bool(url)
        row.webhook_url = url
        if not url:
            row.webhook_secret = ""
    if new_webhook_secret and row.webhook_url:
        row.webhook_secret = secrets.token_urlsafe(32)
    row.save()
    return row


def suggested_topic() -> str:
    """A topic nobody will guess: on a public ntfy server, the topic is the only password."""
    return "restons-" + secrets.token_urlsafe(12).replace("_", "x").replace("-", "y").lower()


@dataclass(frozen=True)
class Availability:
    mail: bool
    ntfy: bool


def availability() -> Availability:
    """What this instance can do: send mail (RESTONS_EMAIL_URL), push through ntfy (RESTONS_NTFY_URL)."""
    return Availability(mail=mail.configured(), ntfy=bool(conf.get("RESTONS_NTFY_URL")))
