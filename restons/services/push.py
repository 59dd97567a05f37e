"""Push: "3 people to ping today" through ntfy, or as a signed JSON POST to the user's webhook.

Both use the standard library's ``urllib.request`` with a timeout. Failures are
sorted for the worker (:mod:`restons.services.deliveries`): :class:`NotSent`
when the message certainly did not arrive (connection refused, the server
answered 429 or 5xx), which is retried later; :class:`Uncertain` when it may
have (a timeout after sending), or the server refused it for good (4xx), which
is not retried.

The webhook's body is signed with HMAC-SHA256 under the user's webhook secret;
the signature is in ``X-Restons-Signature: sha256=<hex>``, computed over the
exact bytes of the body (which carry their own ``sent_at`` to refuse replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import urllib.error
import urllib.request
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import conf

TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Restons-Signature"


class NotSent(Exception):
    """Certainly not delivered: try again later."""


class Uncertain(Exception):
    """Maybe delivered, or refused for good: do not try again."""


def title_of(count: int) -> str:
    return ngettext("%(n)d person to ping today", "%(n)d people to ping today", count) % {"n": count}


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"User-Agent": "Restons", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise NotSent(f"HTTP {exc.code} from {url}") from None
        raise Uncertain(f"HTTP {exc.code} from {url}: refused") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (ConnectionRefusedError, socket.gaierror)) or "refused" in str(reason).lower():
            raise NotSent(f"{url}: {reason}") from None
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise Uncertain(f"{url}: no answer within {TIMEOUT_SECONDS} s") from None
        raise NotSent(f"{url}: {reason}") from None
    except (TimeoutError, socket.timeout):
        raise Uncertain(f"{url}: no answer within {TIMEOUT_SECONDS} s") from None
    except ConnectionError as exc:
        raise Uncertain(f"{url}: {exc}") from None


def send_ntfy(topic: str, entries: list[dict], today_url: str) -> None:
    """Publish "N people to ping today" (and their names) on ``topic`` of ``RESTONS_NTFY_URL``."""
    server = conf.get("RESTONS_NTFY_URL")
    if not server or not topic:
        raise Uncertain(_("ntfy is not configured"))
    names = ", ".join(e["person"]["name"] for e in entries)
    # ntfy's JSON publishing (a POST to the server's root) keeps accents intact, unlike its HTTP headers.
    payload = {"topic": topic, "title": title_of(len(entries)), "message": names, "click": today_url,
               "tags": ["wave"]}
    _post(f"{server}/", json.dumps(payload, ensure_ascii=False).encode("utf-8"),
          {"Content-Type": "application/json"})


def webhook_body(day: date, entries: list[dict], today_url: str) -> bytes:
    payload = {
        "event": "today",
        "date": day.isoformat(),
        "sent_at": timezone.now().isoformat(),
        "count": len(entries),
        "title": title_of(len(entries)),
        "url": today_url,
        "people": [{"id": e["person"]["id"], "name": e["person"]["name"],
                    "reasons": e["reasons"], "draft": e["draft"]} for e in entries],
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(url: str, secret: str, day: date, entries: list[dict], today_url: str) -> None:
    """POST the day's list as JSON to ``url``, signed with ``secret``."""
    body = webhook_body(day, entries, today_url)
    _post(url, body, {"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body)})
