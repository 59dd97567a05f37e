"""Translatable labels for the engine's and the model's codes, shared by the CLI and the web app."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

STATUS = {
    "on-track": _("on track"),
    "due": _("due"),
    "overdue": _("overdue"),
    "dormant": _("dormant"),
    "untracked": _("untracked"),
}

RECIPROCITY = {
    "mutual": _("mutual"),
    "you-carry": _("you carry it"),
    "they-carry": _("they carry it"),
    "silent": _("silent"),
}

REASON = {
    "overdue": _("overdue"),
    "due": _("due"),
    "reply-owed": _("reply owed"),
    "event": _("event"),
    "milestone": _("milestone"),
    "pledge": _("pledge"),
    "content": _("content"),
    "reconnect": _("reconnect"),
}


def cadence_label(days: int | None) -> str:
    """``90`` → "every 3 months", in the exact unit a person would say; None → ""."""
    if not days:
        return ""
    if days % 365 == 0:
        n = days // 365
        return ngettext("every year", "every %(n)d years", n) % {"n": n}
    if days % 30 == 0:
        n = days // 30
        return ngettext("every month", "every %(n)d months", n) % {"n": n}
    if days % 7 == 0:
        n = days // 7
        return ngettext("every week", "every %(n)d weeks", n) % {"n": n}
    return ngettext("every day", "every %(n)d days", days) % {"n": days}


def pledge_progress(entry: dict) -> str:
    """A pledge still in its first-ping window (``adherence`` None): "in progress: 2 of 5 pinged, 9 days left".

    ``entry`` is one item of ``stats``' ``pledges``; "" once the window closed.
    """
    if entry.get("adherence") is not None or entry.get("pinged") is None:
        return ""
    days = entry["days_left"]
    left = _("last day") if days == 0 else ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    return _("in progress: %(pinged)d of %(people)d pinged, %(left)s") % {
        "pinged": entry["pinged"], "people": entry["people"], "left": left,
    }


def decimal(value: float) -> str:
    """A rate in the active language's way: one decimal ("2.9", "2,9" in French), two below 1 ("0.07")."""
    from django.utils.formats import number_format

    places = 2 if abs(value) < 1 else 1
    return number_format(round(value, places), places)  # number_format cuts; round first


def pace_line(load: float, per_day: float) -> str:
    """"Your cadences ask for 4.1 pings a day; you manage 2.9." (``restons pace``, Today, Stats)."""
    return _("Your cadences ask for %(load)s pings a day; you manage %(pace)s.") % {
        "load": decimal(load), "pace": decimal(per_day),
    }


def proposal_text(proposal: dict) -> str:
    """One pace proposal (an item of ``restons pace --json``'s ``proposals``) in a sentence."""
    name, streak = proposal["target"]["name"], proposal["streak"]
    if proposal["kind"] == "circle":
        return ngettext(
            "“%(name)s” %(to)s instead of %(from)s (%(people)d person)",
            "“%(name)s” %(to)s instead of %(from)s (%(people)d people)",
            proposal["people"],
        ) % {"name": name, "to": cadence_label(proposal["to_days"]), "from": cadence_label(proposal["from_days"]),
             "people": proposal["people"]}
    if proposal["kind"] == "person":
        return ngettext(
            "%(name)s %(to)s instead of %(from)s: no answer to your last %(streak)d ping",
            "%(name)s %(to)s instead of %(from)s: no answer to your last %(streak)d pings",
            streak,
        ) % {"name": name, "to": cadence_label(proposal["to_days"]), "from": cadence_label(proposal["from_days"]),
             "streak": streak}
    return ngettext(
        "Stop tracking %(name)s: never wrote to you, no answer to your last %(streak)d ping",
        "Stop tracking %(name)s: never wrote to you, no answer to your last %(streak)d pings",
        streak,
    ) % {"name": name, "streak": streak}


def catch_up_text(catch_up: dict) -> str:
    """"Back after 14 days away: 23 people are overdue, 9 were when you left. …" (Today, ``restons today``)."""
    away = ngettext("Back after %(days)d day away:", "Back after %(days)d days away:", catch_up["away_days"]) % {
        "days": catch_up["away_days"]}
    overdue = ngettext("%(overdue)d person is overdue, %(before)d when you left.",
                       "%(overdue)d people are overdue, %(before)d when you left.", catch_up["overdue"]) % catch_up
    days = ngettext("At your pace, catching up takes about %(days)d day;",
                    "At your pace, catching up takes about %(days)d days;", catch_up["days"]) % catch_up
    shown = ngettext("Today shows %(per_day)d person a day, replies owed first.",
                     "Today shows %(per_day)d people a day, replies owed first.", catch_up["per_day"]) % catch_up
    return " ".join((away, overdue, days, shown))
