"""Accounts: the first owner of a new instance, and per-user preferences (restons.services.users: the others).

A user's preferences (Settings) win over the instance's ``RESTONS_*``
defaults for that user, in every interface: :func:`settings_of` resolves
them, :func:`activate` makes the user's time zone the current one (the web
app does it on every request, the CLI for the user it acts as, the
background loop for each user in turn).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from restons.models import Preferences
from restons.services.errors import UserError


def needs_owner() -> bool:
    """True until the instance has an admin or someone can log in: a new instance asks for its owner account."""
    if Preferences.objects.filter(is_admin=True).exists():
        return False
    return not any(user.has_usable_password() for user in get_user_model().objects.all()[:50])


def create_owner(email: str, password: str):
    """The instance's first account, its admin.

    When the command line already created its nameless user (and maybe data),
    that user becomes the account, so nothing made before is lost.
    Raises UserError for a bad email or a weak password.
    """
    from restons.services.users import create_account

    users = get_user_model().objects
    with transaction.atomic():
        if not needs_owner():
            raise UserError(_("This instance already has an account; log in instead."))
        existing = list(users.order_by("id")[:2])
        return create_account(email, password, admin=True, user=existing[0] if len(existing) == 1 else None)


def set_language(owner, language: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise UserError(_("Unknown language %(value)r.") % {"value": language})
    Preferences.objects.update_or_create(owner=owner, defaults={"language": language})


@dataclass(frozen=True)
class UserSettings:
    """A user's effective settings, and which of them they chose ("" or None: the instance's default)."""

    language: str  # the chosen language, "" while it follows the browser (web) or RESTONS_LANGUAGE (CLI)
    time_zone: str
    region: str
    today_limit: int
    chosen_time_zone: str = ""
    chosen_region: str = ""
    chosen_today_limit: int | None = None
    automatic_region: str = ""  # the region when none is chosen (from the time zone, the instance, the language)


def resolve(preferences: Preferences | None) -> UserSettings:
    """The effective settings for a Preferences row (None: a user who never chose anything).

    Phone region: the one chosen; else the country of the time zone the user
    chose; else ``RESTONS_DEFAULT_REGION`` when it is set; else the country of
    the instance's time zone; else the language's region (fr → FR, en → US).
    """
    from django.conf import settings

    from restons import conf
    from restons.regions import country_of, default_region

    language = preferences.language if preferences else ""
    chosen_zone = preferences.time_zone if preferences else ""
    chosen_region = preferences.phone_region if preferences else ""
    chosen_limit = preferences.today_limit if preferences else None
    time_zone = chosen_zone or settings.TIME_ZONE
    automatic = country_of(chosen_zone)
    if not automatic:
        automatic = (conf.get("RESTONS_DEFAULT_REGION") if conf.is_set("RESTONS_DEFAULT_REGION")
                     else default_region(time_zone, language or conf.get("RESTONS_LANGUAGE")))
    return UserSettings(
        language=language, time_zone=time_zone, region=chosen_region or automatic, automatic_region=automatic,
        today_limit=chosen_limit or conf.get("RESTONS_TODAY_LIMIT"),
        chosen_time_zone=chosen_zone, chosen_region=chosen_region, chosen_today_limit=chosen_limit,
    )


def settings_of(owner) -> UserSettings:
    """``owner``'s effective settings (one query)."""
    from restons.services.access import owned

    return resolve(owned(Preferences, owner).first())


def activate(owner) -> UserSettings:
    """Make ``owner``'s time zone the current one (dates, "today", times without a zone); returns their settings."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    chosen = settings_of(owner)
    timezone.activate(ZoneInfo(chosen.time_zone))
    return chosen


def _time_zone(value: str) -> str:
    from restons.regions import time_zones

    value = (value or "").strip()
    if value and value not in time_zones():
        raise UserError(_("Unknown time zone %(value)r; choose one from the list, e.g. Europe/Paris.")
                        % {"value": value})
    return value


def _today_limit(value) -> int | None:
    from restons.limits import TODAY_LIMIT_MAX

    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= TODAY_LIMIT_MAX:
        raise UserError(_("Today's size must be a number from 1 to %(max)s.") % {"max": TODAY_LIMIT_MAX})
    return number


def save_settings(owner, *, language: str, time_zone: str = "", region: str = "", today_limit=None) -> UserSettings:
    """Store what the user chose in Settings; empty values mean "the instance's default".

    Raises UserError (and stores nothing) for an unknown language, time zone or
    region, or a Today size outside 1..TODAY_LIMIT_MAX. A new time zone moves
    where every day starts, so the kept verdicts are recomputed.
    """
    from django.conf import settings

    from restons.identities import normalise_region
    from restons.services import checkups

    if language not in dict(settings.LANGUAGES):
        raise UserError(_("Unknown language %(value)r.") % {"value": language})
    values = {
        "language": language,
        "time_zone": _time_zone(time_zone),
        "phone_region": normalise_region(region) if (region or "").strip() else "",
        "today_limit": _today_limit(today_limit),
    }
    with transaction.atomic():
        before = settings_of(owner).time_zone
        preferences, _created = Preferences.objects.update_or_create(owner=owner, defaults=values)
        chosen = resolve(preferences)
        if chosen.time_zone != before:
            checkups.forget(owner.pk)
    return chosen
