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
