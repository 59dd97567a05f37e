"""Restons settings: every one is a ``RESTONS_*`` environment variable.

Each setting is declared once in :data:`SETTINGS` with its parser and default,
and documented under its own heading in ``docs/configuration.md`` (a test
fails when one is missing there). Read a value with :func:`get`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


class ConfigError(ValueError):
    """A ``RESTONS_*`` variable holds a value that cannot be used."""


def _str(value: str) -> str:
    return value.strip()


def _int(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"expected a whole number, got {value!r}") from None
        if number < minimum:
            raise ConfigError(f"expected a number of at least {minimum}, got {number}")
        return number

    return parse


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"expected true or false, got {value!r}")


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _language(value: str) -> str:
    lowered = value.strip().lower()[:2]
    if lowered not in {"en", "fr"}:
        raise ConfigError(f"expected 'en' or 'fr', got {value!r}")
    return lowered


def _time_zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown IANA time zone {value!r} (e.g. Europe/Paris)") from None
    return value


def _region(value: str) -> str:
    import phonenumbers

    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"unknown phone region {value!r} (use a two-letter code such as FR or US)")
    return region


def _email_url(value: str) -> str:
    from restons.mail import parse_url

    parse_url(value)  # raises ConfigError naming what is wrong
    return value.strip()


def _http_url(value: str) -> str:
    from urllib.parse import urlsplit

    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"expected an http:// or https:// address, got {value!r}")
    return value


def _http_url_or_empty(value: str) -> str:
    return _http_url(value) if value.strip() else ""


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        lowered = value.strip().lower()
        if lowered not in allowed:
            raise ConfigError(f"expected one of {', '.join(allowed)}, got {value!r}")
        return lowered

    return parse


def _networks(value: str) -> list:
    """Addresses or networks (``10.0.0.1``, ``172.16.0.0/12``, ``::1``), comma-separated."""
    import ipaddress

    networks = []
    for item in _list(value):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"{item!r} is not an IP address or network (e.g. 10.0.0.1 or 172.16.0.0/12)") from None
    return networks


def _default_home() -> str:
    import platformdirs

    return platformdirs.user_data_dir("restons", appauthor=False)


def _default_time_zone() -> str:
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # a machine with no zone configured at all
        return "UTC"


def _default_region() -> str:
    """The country of RESTONS_TIME_ZONE, else the language's (``fr`` → FR), else US."""
    from restons.regions import default_region

    return default_region(get("RESTONS_TIME_ZONE"), get("RESTONS_LANGUAGE"))


def _default_language() -> str:
    lang = (os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or "")[:2]
    return "fr" if lang.lower() == "fr" else "en"


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    default: Callable[[], Any]
    doc: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("RESTONS_HOME", _str, _default_home, "The data directory."),
        Setting("RESTONS_DATABASE_URL", _str, lambda: "", "The database; SQLite in the data directory when empty."),
        Setting("RESTONS_LANGUAGE", _language, _default_language, "Language of the CLI and drafts: en or fr."),
        Setting("RESTONS_TIME_ZONE", _time_zone, _default_time_zone, "IANA time zone for dates and times."),
        Setting("RESTONS_DEFAULT_REGION", _region, _default_region, "Region for phone numbers written without +."),
        Setting("RESTONS_TODAY_LIMIT", _int(1), lambda: 5, "How many people Today shows at most."),
        Setting("RESTONS_USER", _str, lambda: "", "Which user the CLI acts as."),
        Setting("RESTONS_WINDOW_DAYS", _int(1), lambda: 365, "The health window, in days."),
        Setting("RESTONS_SECRET_KEY", _str, lambda: "", "Secret key for signing; generated in the data directory when empty."),
        Setting("RESTONS_DEBUG", _bool, lambda: False, "Django debug mode; never in production."),
        Setting("RESTONS_ALLOWED_HOSTS", _list, lambda: ["127.0.0.1", "localhost", "[::1]"],
                "Host names the web app answers to."),
        Setting("RESTONS_HTTPS", _bool, lambda: False, "Served over HTTPS: secure cookies, HSTS, redirect."),
        Setting("RESTONS_MAX_UPLOAD_MB", _int(1), lambda: 200, "Largest import file accepted, in megabytes."),
        Setting("RESTONS_BASE_URL", _http_url, lambda: "http://127.0.0.1:8000",
                "The web app's address as users reach it: links in mail, the calendar feed's URL."),
        Setting("RESTONS_EMAIL_URL", _email_url, lambda: "", "The mail server: smtp://, smtps:// or console:."),
        Setting("RESTONS_EMAIL_FROM", _str, lambda: "Restons <restons@localhost>", "The From address of mail."),
        Setting("RESTONS_NTFY_URL", _http_url_or_empty, lambda: "", "The ntfy server for push notifications."),
        Setting("RESTONS_WORKER_INTERVAL", _int(10), lambda: 60, "Seconds between two rounds of the worker."),
        Setting("RESTONS_SYNC_MINUTES", _int(0), lambda: 0,
                "Minutes between two syncs of each mail account and calendar subscription by the worker; 0: off."),


        Setting("RESTONS_SIGNUP", _choice("closed", "open"), lambda: "closed",
                "Whether anyone may create an account (open) or only invited people (closed)."),
        Setting("RESTONS_REQUIRE_2FA", _choice("off", "admins", "all"), lambda: "off",
                "Who must turn on two-factor authentication: nobody, admins, or everyone."),
        Setting("RESTONS_TRUSTED_PROXIES", _networks, lambda: [],
                "Reverse proxies whose X-Forwarded-For header is believed."),
        Setting("RESTONS_API_RATE", _int(1), lambda: 600, "API requests a minute per token."),
    ]
}


def get(name: str) -> Any:
    """Return the parsed value of setting ``name`` (its default when unset or empty).

    Raises :class:`ConfigError` naming the variable when its value is invalid.
    """
    setting = SETTINGS[name]
    raw = os.environ.get(name, "")
    if raw.strip() == "":
        return setting.default()
    try:
        return setting.parse(raw)
    except ConfigError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def is_set(name: str) -> bool:
    """True when the environment gives ``name`` a value (not only its default)."""
    return os.environ.get(name, "").strip() != ""


def home() -> Path:
    """The data directory, created on first use."""
    path = Path(get("RESTONS_HOME")).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path
