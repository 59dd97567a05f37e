"""Outgoing mail: ``RESTONS_EMAIL_URL`` and ``RESTONS_EMAIL_FROM`` turned into Django's email settings.

Everything that sends mail (the digest, password resets) goes through
Django's email backend, configured here once from one URL:

- ``smtp://USER:PASSWORD@HOST:587`` — SMTP with STARTTLS (the usual submission port);
  ``?starttls=off`` for a relay on the same machine that offers no TLS;
- ``smtps://USER:PASSWORD@HOST:465`` — SMTP over TLS from the first byte;
- ``console:`` — print each message on standard output, to try things out;
- empty — no mail: :func:`configured` says False, and nothing tries to send.

:func:`configured` is the one question "can this instance send mail?".
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from restons import conf

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
DUMMY = "django.core.mail.backends.dummy.EmailBackend"
TIMEOUT_SECONDS = 20  # a mail server that does not answer must not hold the worker for ever


def parse_url(url: str) -> dict:
    """Django's ``EMAIL_*`` settings for a ``RESTONS_EMAIL_URL`` value.

    Raises :class:`restons.conf.ConfigError` for a scheme or option it does not know.
    """
    url = (url or "").strip()
    if not url:
        return {"EMAIL_BACKEND": DUMMY}
    if url.split(":", 1)[0].lower() == "console":
        return {"EMAIL_BACKEND": CONSOLE}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise conf.ConfigError(f"RESTONS_EMAIL_URL: unknown scheme {scheme!r}; use smtp://, smtps:// or console:")
    if not parts.hostname:
        raise conf.ConfigError("RESTONS_EMAIL_URL: no host, e.g. smtp://user:password@mail.example.org:587")
    options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
    unknown = set(options) - {"starttls"}
    if unknown:
        raise conf.ConfigError(f"RESTONS_EMAIL_URL: unknown option {sorted(unknown)[0]!r} (only starttls=off)")
    if options.get("starttls", "on") not in ("on", "off"):
        raise conf.ConfigError("RESTONS_EMAIL_URL: starttls is on or off")
    try:
        port = parts.port
    except ValueError:
        raise conf.ConfigError("RESTONS_EMAIL_URL: the port is not a number") from None
    secure = scheme == "smtps"
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if secure else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": secure,
        "EMAIL_USE_TLS": not secure and options.get("starttls", "on") == "on",
        "EMAIL_TIMEOUT": TIMEOUT_SECONDS,
    }


def django_settings() -> dict:
    """The ``EMAIL_*`` and ``DEFAULT_FROM_EMAIL`` settings of this instance (read by restons.settings)."""
    values = parse_url(conf.get("RESTONS_EMAIL_URL"))
    values["DEFAULT_FROM_EMAIL"] = sender()
    values["SERVER_EMAIL"] = values["DEFAULT_FROM_EMAIL"]
    return values


def sender() -> str:
    """The From address: ``RESTONS_EMAIL_FROM``, else ``Restons <restons@localhost>``."""
    return conf.get("RESTONS_EMAIL_FROM")


def configured() -> bool:
    """Whether this instance can send mail: ``RESTONS_EMAIL_URL`` names a server or ``console:``.

    The one question every feature that mails asks (digest, password reset): when False,
    offer no mail at all rather than failing later.
    """
    return conf.is_set("RESTONS_EMAIL_URL")


def base_url() -> str:
    """The web app's address as users reach it (``RESTONS_BASE_URL``), for links mailed or printed."""
    return conf.get("RESTONS_BASE_URL")


def send(to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; False (and nothing sent) when the instance has no mail."""
    if not configured():
        return False
    from django.core.mail import send_mail

    send_mail(subject, body, None, [to])
    return True
