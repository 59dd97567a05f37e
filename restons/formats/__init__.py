"""Dates as people read them, in the active language; the formats live in ``<language>/formats.py``.

Django reads these modules through ``FORMAT_MODULE_PATH``, so the ``date``
template filter and :func:`django.utils.formats.date_format` both take the
names below (``{{ day|date:"SHORT_DATE_FORMAT" }}``). French writes month
names in full: Django's French three-letter months are ambiguous ("Jui" is
June and July) and its abbreviations are not the usual ones.

Besides Django's own names, every language module defines:

- ``WEEKDAY_DATE_FORMAT``: an event's or a milestone's day ("Sat 20 Jun 2026", "samedi 20 juin 2026");
- ``WEEKDAY_MONTH_DAY_FORMAT``: a day in a sentence about the coming days ("Saturday 20 June");
- ``FULL_DATE_FORMAT``: a day written out in full, in a mail's title ("Saturday 20 June 2026").

JSON and the values forms send stay ISO 8601; only what people read goes through here.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

# Formats this project adds to Django's; each language module must define them all.
CUSTOM = ("WEEKDAY_DATE_FORMAT", "WEEKDAY_MONTH_DAY_FORMAT", "FULL_DATE_FORMAT")


def _value(value: date | datetime | str) -> date | datetime:
    """A date or a local datetime from a date, an aware datetime or an ISO string."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value


def day(value) -> str:
    """``14 June 2026`` / ``14 juin 2026``; an empty string for None."""
    return date_format(_value(value), "DATE_FORMAT") if value else ""


def short_day(value) -> str:
    """``14 Jun 2026`` / ``14 juin 2026``: for tables and lists; an empty string for None."""
    return date_format(_value(value), "SHORT_DATE_FORMAT") if value else ""


def weekday(value) -> str:
    """``Saturday 20 June`` / ``samedi 20 juin``: a day in the coming weeks."""
    return date_format(_value(value), "WEEKDAY_MONTH_DAY_FORMAT") if value else ""


def moment(value) -> str:
    """``14 Jun 2026, 18:30`` / ``14 juin 2026 à 18:30``, in the local time zone; empty for None."""
    return date_format(_value(value), "SHORT_DATETIME_FORMAT") if value else ""
