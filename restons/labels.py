"""Translatable labels for the engine's and the model's codes, shared by the CLI and the web app."""

from django.utils.translation import gettext_lazy as _

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
