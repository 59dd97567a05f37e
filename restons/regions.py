"""Which phone region a time zone or a language implies, and the time zones a user can choose.

A phone number typed without ``+`` is read in a region (``06 12 34 56 78`` is
``+33 6 12 34 56 78`` in France). Nobody should have to know the word
"region": a user in ``Europe/Paris`` means France. The country of each time
zone comes from the IANA database's own ``zone.tab`` (shipped with the system
time zone data, or with the ``tzdata`` package where there is none), so every
zone a user can pick has its country; :data:`COMMON` covers the usual zones if
that file cannot be found. A zone with no country (``UTC``) falls back on the
language: :data:`LANGUAGE_REGIONS`.
"""

from __future__ import annotations

import functools
from pathlib import Path

# The language's most likely region when the time zone names no country.
LANGUAGE_REGIONS = {"fr": "FR", "en": "US"}
FALLBACK_REGION = "US"
# Countries of the time zone database that phonenumbers has no region for. Kept here so that resolving a
# user's settings (every CLI command, every request) need not import phonenumbers (20 ms);
# tests/services/test_settings.py checks it against phonenumbers' SUPPORTED_REGIONS.
NO_PHONE_REGION = frozenset({"AQ", "GS", "PN", "TF", "UM"})

# Used only when no zone.tab is readable (a stripped-down system with only compiled zones).
COMMON = {
    "Europe/Paris": "FR", "Europe/Brussels": "BE", "Europe/Zurich": "CH", "Europe/Luxembourg": "LU",
    "Europe/Monaco": "MC", "Europe/London": "GB", "Europe/Dublin": "IE", "Europe/Berlin": "DE",
    "Europe/Vienna": "AT", "Europe/Amsterdam": "NL", "Europe/Madrid": "ES", "Europe/Lisbon": "PT",
    "Europe/Rome": "IT", "Europe/Stockholm": "SE", "Europe/Oslo": "NO", "Europe/Copenhagen": "DK",
    "Europe/Helsinki": "FI", "Europe/Warsaw": "PL", "Europe/Prague": "CZ", "Europe/Athens": "GR",
    "America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Phoenix": "US",
    "America/Los_Angeles": "US", "America/Anchorage": "US", "Pacific/Honolulu": "US",
    "America/Toronto": "CA", "America/Vancouver": "CA", "America/Mexico_City": "MX",
    "America/Sao_Paulo": "BR", "America/Argentina/Buenos_Aires": "AR", "Africa/Casablanca": "MA",
    "Africa/Algiers": "DZ", "Africa/Tunis": "TN", "Africa/Dakar": "SN", "Africa/Abidjan": "CI",
    "Indian/Reunion": "RE", "America/Martinique": "MQ", "America/Guadeloupe": "GP", "Pacific/Noumea": "NC",
    "Asia/Tokyo": "JP", "Asia/Shanghai": "CN", "Asia/Kolkata": "IN", "Asia/Singapore": "SG",
    "Australia/Sydney": "AU", "Pacific/Auckland": "NZ",
}


def _zone_tab_paths():
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        yield Path(folder) / "zone.tab"
    try:
        from importlib.resources import files

        yield files("tzdata.zoneinfo") / "zone.tab"
    except (ImportError, ModuleNotFoundError):  # no tzdata package: the system's data is used
        return


@functools.cache
def zone_countries() -> dict[str, str]:
    """Each IANA time zone with its country code (``Europe/Paris`` → ``FR``)."""
    for path in _zone_tab_paths():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        table = {}
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) >= 3:
                table[fields[2].strip()] = fields[0].strip().upper()
        if table:
            return table
    return dict(COMMON)


def country_of(time_zone: str | None) -> str | None:
    """The phone region of ``time_zone``'s country, or None (``UTC``, an unknown name)."""
    code = zone_countries().get(time_zone or "")
    return code if code is not None and code not in NO_PHONE_REGION else None


def default_region(time_zone: str | None, language: str | None) -> str:
    """The region a time zone implies, else the language's, else ``US``."""
    return country_of(time_zone) or LANGUAGE_REGIONS.get((language or "")[:2], FALLBACK_REGION)


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The zones offered in Settings: one per place (no legacy aliases), plus ``UTC``, sorted."""
    import zoneinfo

    available = zoneinfo.available_timezones()
    zones = {zone for zone in zone_countries() if zone in available} or set(available)
    return tuple(sorted(zones | {"UTC"}))


def regions() -> list[tuple[str, int]]:
    """Every phone region with its country calling code, sorted by region (``("FR", 33)``)."""
    import phonenumbers

    return sorted((region, phonenumbers.country_code_for_region(region))
                  for region in phonenumbers.SUPPORTED_REGIONS)
