"""Reason texts and drafts, in the active language (French or English).

Call these inside ``django.utils.translation.override(language)``. Drafts
are never sent: the user sends them through their own channel.
"""

from __future__ import annotations

from datetime import date

from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import formats
from restons.engine.reasons import draft_hooks
from restons.engine.state import Reason

NOTE_MAX = 60  # characters of their note quoted in a draft; longer ones are cut at a word


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


def _day(value: date | None) -> str:
    return formats.day(value)


def _short_day(value: date) -> str:
    return formats.weekday(value)


def _dated(d: dict, dated: str, today: str, tomorrow: str) -> str:
    """``dated`` with the day ("… on Friday 20 March"), or the sentence saying "today" or "tomorrow" when the
    reason's day is that (``in``: days from the day the reasons are for; Today can be planned ahead)."""
    soon = {0: today, 1: tomorrow}.get(d.get("in"))
    return soon % d if soon else dated % {**d, "date": _short_day(d["on"])}


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
    if reason.kind == "event" and len(d.get("items", ())) > 1:
        return _("%(events)s; they follow %(topics)s") % {
            "events": _and([_dated(e, _("%(title)s on %(date)s"), _("%(title)s today"), _("%(title)s tomorrow"))
                            for e in d["items"]]),
            "topics": _topics(d["items"]),
        }
    if reason.kind == "event":
        return _dated(d, _("%(title)s is on %(date)s; they follow %(topic)s"),
                      _("%(title)s is today; they follow %(topic)s"), _("%(title)s is tomorrow; they follow %(topic)s"))
    if reason.kind == "milestone":
        if d["mine"]:
            return _("Your news: %(title)s (%(date)s); they might like to hear it") % {
                "title": d["title"], "date": _short_day(d["on"]),
            }
        return _dated(d, _("%(title)s on %(date)s"), _("%(title)s today"), _("%(title)s tomorrow"))
    if reason.kind == "pledge":
        days = d.get("in")  # (from the day the reasons are for to the window's last day)
        if days is not None and days < 0:
            sentence = _("You promised to stay in touch when you left %(org)s; the first ping was due on %(date)s")
        else:
            sentence = {0: _("You promised to stay in touch when you left %(org)s; first ping by today"),
                        1: _("You promised to stay in touch when you left %(org)s; first ping by tomorrow")}.get(
                days, _("You promised to stay in touch when you left %(org)s; first ping by %(date)s"))
        return sentence % {"org": d["org"], "date": _day(d["by"])}
    if reason.kind == "content" and len(d.get("items", ())) > 1:
        return _("You published %(titles)s; they follow %(topics)s") % {
            "titles": _and([_("“%(title)s”") % {"title": c["title"]} for c in d["items"]]),
            "topics": _topics(d["items"]),
        }
    if reason.kind == "content":
        return _("You published “%(title)s”; they follow %(topic)s") % {"title": d["title"], "topic": d["topic"]}
    if reason.kind == "reconnect":
        return _("You used to be in touch both ways; last time on %(date)s") % {"date": _day(d["last_touch"])}
    raise ValueError(f"unknown reason kind {reason.kind!r}")


def _and(items: list[str]) -> str:
    """"a, b and c" in the active language."""
    return str(get_text_list(items, _("and")))


def _topics(items) -> str:
    return _and(sorted({item["topic"] for item in items}))


def clip(note: str) -> str:
    """A note on one line, at most NOTE_MAX characters, cut at a word with "…"."""
    text = " ".join((note or "").split())
    if len(text) <= NOTE_MAX:
        return text
    cut = text[: NOTE_MAX - 1]
    if text[len(cut)] != " " and " " in cut:  # do not end on half a word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _opening(reply: Reason) -> str:
    note = clip(reply.data.get("note", ""))
    if note:
        return _("thank you for your message “%(note)s”, and sorry for the slow reply!") % {"note": note}
    return _("thank you for your message, and sorry for the slow reply!")


def _birthday_titles() -> set[str]:
    """The titles imports and the demo give a birthday ("Birthday", « Anniversaire »), in either language.

    Written "Birthday is coming up" the draft would read as a form letter; it says "your birthday".
    """
    from django.utils.translation import override

    titles = set()
    for language in ("en", "fr"):
        with override(language):
            titles.add(_("Birthday").casefold())
    return titles


def _body(hook: Reason) -> str:
    """The sentences a hook gives a draft, starting in lower case where the language allows."""
    d = hook.data
    if hook.kind == "event":
        return _dated(d, _("%(title)s is on %(date)s. Are you going? It made me think of you."),
                      _("%(title)s is today. Are you going? It made me think of you."),
                      _("%(title)s is tomorrow. Are you going? It made me think of you."))
    if hook.kind == "milestone" and d["mine"]:
        return _("some news from me: %(title)s. How are things with you?") % {"title": d["title"]}
    if hook.kind == "milestone" and d["title"].casefold() in _birthday_titles():
        return _dated(d, _("your birthday is coming up on %(date)s. Happy birthday in advance!"),
                      _("happy birthday! I hope you have a lovely day."),
                      _("your birthday is tomorrow. Happy birthday in advance!"))
    if hook.kind == "milestone":
        return _dated(d, _("%(title)s is coming up on %(date)s. Thinking of you!"),
                      _("%(title)s is today. Thinking of you!"), _("%(title)s is tomorrow. Thinking of you!"))
    if hook.kind == "pledge":
        return _("as promised when I left %(org)s: let's stay in touch! How are things going?") % {"org": d["org"]}
    if hook.kind == "content":
        return _("I just published “%(title)s” and thought of you, as you follow %(topic)s.") % {
            "title": d["title"], "topic": d["topic"],
        }
    if hook.kind == "reconnect":
        return _("it has been far too long! I would love to catch up. How are you?")
    raise ValueError(f"no draft for reason kind {hook.kind!r}")


def draft(name: str, reasons: list[Reason] | tuple[Reason, ...]) -> str:
    """A short message in the active language, using the first name.

    Built on the most specific hook (``reasons.draft_hooks``): a reply owed opens it, with
    the note of their message when there is one; the next hook gives the body. With no
    hook at all, "it has been a while" (since their last message, when it ended the
    conversation and has a note).
    """
    reply, hook = draft_hooks(reasons)
    parts = [_opening(reply)] if reply else []
    if hook is not None:
        parts.append(_body(hook))
    elif reply is not None:
        parts.append(_("How are you?"))
    else:
        note = clip(next((r.data.get("note", "") for r in reasons if r.kind in ("overdue", "due")), ""))
        if note:
            parts.append(_("it has been a while! How are things since your message “%(note)s”?") % {"note": note})
        else:
            parts.append(_("it has been a while! How are you doing?"))
    text = " ".join([parts[0]] + [capfirst(part) for part in parts[1:]])
    # Translators: the greeting of every draft; %(text)s is the rest of the message.
    return _("Hi %(name)s, %(text)s") % {"name": first_name(name), "text": text}
