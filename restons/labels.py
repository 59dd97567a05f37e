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
