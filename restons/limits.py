"""The bounds every value must keep, checked at every entrance (forms, CLI, importers, API).

A stored value outside them would break a page later (a date in year 9999
overflows date arithmetic, a 30 MB note makes a 31 MB page), so each
entrance refuses it with one line, or, for importers, cuts a long text and
reports the cut. docs/configuration.md § "Limits" lists them for users.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _

from restons.services.errors import UserError

# Dates a user or a file may give: birthdays of the oldest people alive, plans a lifetime ahead.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
# The longest cadence, snooze or pledge window: ten years.
DURATION_MAX_DAYS = 3650
# Every free text: notes of people, pings, outcomes, how-we-met.
TEXT_MAX = 10_000
# A search box, or a person typed as PERSON (a name, an address, an id).
SEARCH_MAX = 200
# The most people a user may ask Today to show (RESTONS_TODAY_LIMIT itself is the instance's choice).
TODAY_LIMIT_MAX = 50
# A name or a title: a person's, a circle's, an organisation's, an event's (the database columns' size).
NAME_MAX = 300
# A topic or an interest, and a circle's name.
TOPIC_MAX = 200
# Database ids are 64-bit signed integers; anything longer is not an id.
ID_MAX = 2**63 - 1


def _naming(what: str, message: str) -> str:
    """``message`` after ``what`` and a colon, as the language writes it ("The date: …", « La date : … »)."""
    from restons.labels import field

    return field(what, message) if what else message


def check_date(value: date | None, what: str = "") -> date | None:
    """``value`` when it lies between DATE_MIN and DATE_MAX (None passes), else UserError naming it."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise UserError(_naming(what, _("%(value)s is out of range; use a date between %(min)s and %(max)s") % {
            "value": day.isoformat(), "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}))
    return value


def check_days(days: int | None, what: str = "") -> int | None:
    """A duration in days between 1 and DURATION_MAX_DAYS (None passes), else UserError."""
    if days is None:
        return None
    if not 1 <= days <= DURATION_MAX_DAYS:
        raise UserError(_naming(what, _("%(days)s days is out of range; use at most %(max)s days (10 years)") % {
            "days": days, "max": DURATION_MAX_DAYS}))
    return days


def check_text(text: str | None, what: str = "", limit: int = TEXT_MAX) -> str | None:
    """``text`` when it is at most ``limit`` characters (None passes), else UserError (forms and CLI refuse)."""
    if text is not None and len(text) > limit:
        raise UserError(
            _("%(what)s is %(length)s characters long; the limit is %(max)s")
            % {"what": what or _("This text"), "length": len(text), "max": limit}
        )
    return text


def check_search(text: str, what: str = "") -> str:
    """A search or a PERSON of at most SEARCH_MAX characters, else UserError."""
    return check_text(text, what or _("The search"), SEARCH_MAX)


def cut_text(text: str) -> tuple[str, bool]:
    """``text`` cut to TEXT_MAX characters, and whether it was cut (importers report the cut)."""
    if len(text) <= TEXT_MAX:
        return text, False
    return text[: TEXT_MAX - 1] + "…", True


def check_id(value):
    """``value`` when it can be a database id, else UserError: "… is not an id" (a 400, not a 404)."""
    if not is_id(value):
        raise UserError(_("%(value)s is not an id; an id is a whole number such as 12") % {"value": str(value)[:30]})
    return value


def is_id(value) -> bool:
    """True for an int or a string of digits that fits a database id."""
    text = str(value)
    return text.isdigit() and len(text) <= 19 and 0 < int(text) <= ID_MAX
