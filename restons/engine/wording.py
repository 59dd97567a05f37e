"""Reason texts and drafts, in the active language (French or English).

Call these inside ``django.utils.translation.override(language)``. Drafts
are never sent: the user sends them through their own channel.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import formats
from restons.engine.state import Reason


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


def _day(value: date | None) -> str:
    return formats.day(value)


def _short_day(value: date) -> str:
    return formats.weekday(value)


def reason_text(reason: Reason) -> str:
    d = reason.data
    if reason.kind == "overdue" and d["last_touch"] is None:
        return ngettext(
            "%(days)d day overdue; never in touch yet", "%(days)d days overdue; never in touch yet", d["days"]
        ) % {"days": d["days"]}
    if reason.kind == "overdue":
        return ngettext(
            "%(days)d day overdue; last in touch on %(last)s",
            "%(days)d days overdue; last in touch on %(last)s",
            d["days"],
        ) % {"days": d["days"], "last": _day(d["last_touch"])}
    if reason.kind == "due":
        if d["last_touch"] is None:
            return _("Time for a first ping")
        return _("Due: last in touch on %(last)s") % {"last": _day(d["last_touch"])}
    if reason.kind == "reply-owed":
        return ngettext(
            "They reached out %(days)d day ago and are waiting for your reply",
            "They reached out %(days)d days ago and are waiting for your reply",
            d["days"],
        ) % {"days": d["days"]}
    if reason.kind == "event":
        return _("%(title)s is on %(date)s; they follow %(topic)s") % {
            "title": d["title"], "date": _short_day(d["on"]), "topic": d["topic"],
        }
    if reason.kind == "milestone":
        if d["mine"]:
            return _("Your news: %(title)s (%(date)s); they might like to hear it") % {
                "title": d["title"], "date": _short_day(d["on"]),
            }
        return _("%(title)s on %(date)s") % {"title": d["title"], "date": _short_day(d["on"])}
    if reason.kind == "pledge":
        return _("You promised to stay in touch when you left %(org)s; first ping by %(date)s") % {
            "org": d["org"], "date": _day(d["by"]),
        }
    if reason.kind == "content":
        return _("You published “%(title)s”; they follow %(topic)s") % {"title": d["title"], "topic": d["topic"]}
    if reason.kind == "reconnect":
        return _("You used to be in touch both ways; last time on %(date)s") % {"date": _day(d["last_touch"])}
    raise ValueError(f"unknown reason kind {reason.kind!r}")


def draft(name: str, reasons: list[Reason] | tuple[Reason, ...]) -> str:
    """A short message built on the most pressing reason, using the first name."""
    who = first_name(name)
    top = reasons[0] if reasons else Reason("due", {"last_touch": None})
    d = top.data
    if top.kind == "reply-owed":
        return _("Hi %(name)s, thank you for your message, and sorry for the slow reply! How are you?") % {"name": who}
    if top.kind == "event":
        return _("Hi %(name)s, %(title)s is on %(date)s. Are you going? It made me think of you.") % {
            "name": who, "title": d["title"], "date": _short_day(d["on"]),
        }
    if top.kind == "milestone" and d["mine"]:
        return _("Hi %(name)s, some news from me: %(title)s. How are things with you?") % {
            "name": who, "title": d["title"],
        }
    if top.kind == "milestone":
        return _("Hi %(name)s, %(title)s is coming up on %(date)s. Thinking of you!") % {
            "name": who, "title": d["title"], "date": _short_day(d["on"]),
        }
    if top.kind == "pledge":
        return _("Hi %(name)s, as promised when I left %(org)s: let's stay in touch! How are things going?") % {
            "name": who, "org": d["org"],
        }
    if top.kind == "content":
        return _("Hi %(name)s, I just published “%(title)s” and thought of you, as you follow %(topic)s.") % {
            "name": who, "title": d["title"], "topic": d["topic"],
        }
    if top.kind == "reconnect":
        return _("Hi %(name)s, it has been far too long! I would love to catch up. How are you?") % {"name": who}
    return _("Hi %(name)s, it has been a while! How are you doing?") % {"name": who}
