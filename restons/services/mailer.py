"""Whether this instance can send mail, and its address for links in mail and on the terminal.

Mail goes through Django's email backend, whatever is configured (tests use
locmem). :func:`mail_configured` is the one place that decides "no mail here"
(the mail settings, when they come, decide it there): then
password resets and invitations are links the admin hands over (``restons user
reset-password``, ``restons user invite``) and nothing tries to reach a mail
server that is not there.
"""

from __future__ import annotations

from django.conf import settings

from restons import conf

_DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def mail_configured() -> bool:
    """True unless mail would go to Django's default: SMTP on localhost that nobody set up.

    Any other backend (console, file, locmem in tests) or SMTP host counts as configured.
    """
    backend = getattr(settings, "EMAIL_BACKEND", _DJANGO_SMTP)
    if backend != _DJANGO_SMTP:
        return True
    return getattr(settings, "EMAIL_HOST", "localhost") not in ("", "localhost", "127.0.0.1", "::1")


def base_url() -> str:
    """The web app's address as users reach it, without a trailing slash (for links printed or mailed).

    The first allowed host over HTTPS (``RESTONS_HTTPS``), else ``http://127.0.0.1:8000``
    (``restons serve``'s default).
    """
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "") and not host.startswith(".")]
    if conf.get("RESTONS_HTTPS") and hosts:
        return f"https://{hosts[0]}"
    return "http://127.0.0.1:8000"


def send(to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; False (and nothing sent) when the instance has no mail."""
    if not mail_configured():
        return False
    from django.core.mail import send_mail

    send_mail(subject, body, None, [to])
    return True
