"""Parse the values users type: durations, dates, date-times, channels.

Each parser returns a value or raises :class:`UserError` with a one-line reason.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from restons.limits import check_date, check_days
from restons.services.errors import UserError

# English units and French ones (jours, semaines, mois, ans): 10d or 10j, 2w or 2s or 2sem, 3m, 1y or 1a.
# Nine digits at most: a longer number is out of range anyway, and int() of thousands of digits fails.
DURATION_RE = re.compile(r"^\s*(\d{1,9})\s*(d|j|w|sem|s|m|y|a)\s*$", re.IGNORECASE)
DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
UNIT = {"d": "d", "j": "d", "w": "w", "s": "w", "sem": "w", "m": "m", "y": "y", "a": "y"}


def parse_duration(text: str) -> int:
    """``10d``, ``2w``, ``3m``, ``1y`` (or in French ``10j``, ``2s``/``2sem``, ``3m``, ``1a``) as a number of days.

    A month is 30 days, a year 365; UserError for anything else or beyond limits.DURATION_MAX_DAYS.
    """
    match = DURATION_RE.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise UserError(
            _("%(value)r is not a duration; use a number and a unit, e.g. 10d, 2w, 3m or 1y") % {"value": text}
        )
    return check_days(int(match.group(1)) * DAYS_PER_UNIT[UNIT[match.group(2).lower()]])


def format_duration(days: int | None) -> str:
    """The shortest exact spelling of ``days`` (``90`` → ``3m``), or an empty string."""
    if not days:
        return ""
    for unit in ("y", "m", "w"):
        if days % DAYS_PER_UNIT[unit] == 0:
            return f"{days // DAYS_PER_UNIT[unit]}{unit}"
    return f"{days}d"


def parse_date(text: str) -> date:
    """An ISO date between limits.DATE_MIN and DATE_MAX; UserError otherwise."""
    try:
        value = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise UserError(_("%(value)r is not a date; use the ISO form, e.g. 2026-11-25") % {"value": text}) from None
    return check_date(value)


def parse_datetime(text: str) -> datetime:
    """An ISO date or date-time; the local time zone when none is given.

    A bare date means noon that day, or now when that is earlier (today's date
    typed in the morning is not a moment in the future).
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise UserError(
            _("%(value)r is not a date and time; use the ISO form, e.g. 2026-11-25 or 2026-11-25T18:30")
            % {"value": text}
        ) from None
    check_date(value)
    if len(text.strip()) == 10:
        noon = timezone.make_aware(datetime.combine(value.date(), time(12, 0)))
        return min(noon, timezone.now()) if value.date() == timezone.localdate() else noon
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def choice(value: str, choices, what: str) -> str:
    """``value`` when it is one of ``choices`` (a TextChoices class), else a UserError listing them."""
    allowed = [c.value for c in choices]
    normalised = (value or "").strip().lower()
    if normalised not in allowed:
        raise UserError(
            _("unknown %(what)s %(value)r; use one of: %(allowed)s")
            % {"what": what, "value": value, "allowed": ", ".join(allowed)}
        )
    return normalised
