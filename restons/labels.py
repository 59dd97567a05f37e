"""Translatable labels for the engine's and the model's codes, shared by the CLI and the web app."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from restons import formats

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

# Why an import left a message or a meeting out (the summary's ``ignored`` keys: restons.capture.records and rules).
IGNORED = {
    "list": _("mailing lists"),
    "bulk": _("bulk mail and promotions"),
    "auto": _("automatic replies and notifications"),
    "spam": _("spam"),
    "trash": _("in the trash"),
    "draft": _("drafts, never sent"),
    "unsent": _("texts never sent"),
    "system": _("system messages"),
    "reaction": _("reactions"),
    "missed-call": _("missed calls"),
    "rejected-call": _("rejected calls"),
    "blocked-call": _("blocked calls"),
    "zero-length-call": _("calls of zero seconds"),
    "no-reply": _("addresses nobody reads (no-reply)"),
    "channel": _("channels"),
    "bot": _("bots"),
    "group": _("group conversations and big meetings"),
    "self": _("to yourself"),
    "cancelled": _("cancelled meetings"),
    "declined": _("declined meetings"),
    "resource": _("rooms and equipment"),
    "unknown-number": _("hidden numbers"),
}

# Where a ping came from (Interaction.source), as the timeline says it; a ping logged by hand says nothing.
SOURCE = {
    "mbox": _("Mail"),
    "maildir": _("Mail"),
    "imap": _("Mail"),
    "ics": _("Calendar"),
    "sms-xml": _("SMS"),
    "whatsapp": _("WhatsApp"),
    "telegram": _("Telegram"),
    "imessage": _("iMessage"),
    "linkedin": _("LinkedIn"),
    "vcard": _("vCard"),
    "google-csv": _("Google Contacts"),
    "outlook-csv": _("Outlook"),
}


def source_label(source: str) -> str:
    """The name of an interaction's source for people ("Mail", "Calendar", ...); "" for a ping logged by hand."""
    if not source or source == "manual":
        return ""
    return str(SOURCE.get(source, source))


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


def outcome(kind: str) -> str:
    """An outcome kind's label ("referral-given" → "referral given"); an unknown code as it is."""
    from restons.models import Outcome

    return str(Outcome.Kind(kind).label) if kind in Outcome.Kind.values else kind


def content_kind(kind: str) -> str:
    """A content kind's label ("newsletter", « lettre d’information »); an unknown code as it is."""
    from restons.models import Content

    return str(Content.Kind(kind).label) if kind in Content.Kind.values else kind


def channel(code: str) -> str:
    """A channel's label ("text" → "text" / « SMS »); an unknown code as it is."""
    from restons.models import Channel

    return str(Channel(code).label) if code in Channel.values else code


def quarter(code: str) -> str:
    """A quarter code of the JSON ("2026-Q3") as people read it: "Q3 2026" / « T3 2026 »."""
    year, _sep, number = code.partition("-Q")
    return gettext("Q%(number)s %(year)s") % {"number": number, "year": year}


def short_quarter(number: int) -> str:
    """A quarter's number alone, under a chart's bar: "Q3" / « T3 »."""
    return gettext("Q%(number)s") % {"number": number}


# French elides "de" before a vowel (« Départ d’Agence Lumen », « Départ de Lumen »); a mute h
# cannot be told from an aspirated one, so h keeps "de".
_VOWELS = set("aàâäeéèêëiîïoôöuùûüyÿæœ")


def _elides(name: str) -> bool:
    return name[:1].lower() in _VOWELS


def leaving(org: str, on: str = "") -> str:
    """The title of a pledge: "Leaving Lumen Agency", with ``on`` (a date already written out) after a comma."""
    if on:
        if _elides(org):
            text = pgettext("organisation name starting with a vowel", "Leaving %(org)s, %(date)s")
        else:
            text = pgettext("organisation name starting with a consonant", "Leaving %(org)s, %(date)s")
        return text % {"org": org, "date": on}
    if _elides(org):
        return pgettext("organisation name starting with a vowel", "Leaving %(org)s") % {"org": org}
    return pgettext("organisation name starting with a consonant", "Leaving %(org)s") % {"org": org}


def field(label: str, value: str) -> str:
    """"Label: value", with the colon the language wants (French puts a space before it)."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


# The review's lists of people (restons.services.review.SECTIONS), as headings.
REVIEW_SECTIONS = {
    "stayed": _("Stayed in touch"),
    "you_carried": _("You carried"),
    "they_carried": _("They carried"),
    "went_quiet": _("Went quiet"),
    "came_back": _("Came back"),
    "new": _("New people"),
}
REVIEW_SECTION_HELP = {
    "stayed": _("Both ways, in each half of the period."),
    "you_carried": _("Only you reached out."),
    "they_carried": _("Only they reached out."),
    "went_quiet": _("In touch a year before, dormant now."),
    "came_back": _("Dormant a year before, and they wrote."),
    "new": _("Met or first in touch during the period."),
}


def why_text(why: dict, grew: bool) -> str:
    """One line saying what moved a relationship's strength most (``why`` from the review's ``grew``/``faded``)."""
    kind = why["kind"]
    if kind == "new":
        return _("New: first in touch on %(date)s") % {"date": formats.day(why["first_touch"])}
    if kind == "recency":
        if not why.get("last_touch"):
            return str(_("No contact in the last year"))
        when = formats.day(why["last_touch"])
        return (_("Most recently in touch on %(date)s") if grew else _("Last in touch on %(date)s")) % {"date": when}
    if kind == "frequency":
        after, before = why["in_after"] + why["out_after"], why["in_before"] + why["out_before"]
        return (ngettext("%(after)d ping over the year, against %(before)d the year before",
                         "%(after)d pings over the year, against %(before)d the year before", after)
                % {"after": after, "before": before})
    if kind == "reciprocity":
        numbers = {"in": why["in_after"], "out": why["out_after"], "in_before": why["in_before"],
                   "out_before": why["out_before"]}
        if grew:
            return _("More mutual: %(in)d from them and %(out)d from you (the year before: %(in_before)d and "
                     "%(out_before)d)") % numbers
        return _("More one-sided: %(in)d from them and %(out)d from you (the year before: %(in_before)d and "
                 "%(out_before)d)") % numbers
    if kind == "breadth":
        return (ngettext("%(after)d way of keeping in touch, against %(before)d the year before",
                         "%(after)d ways of keeping in touch, against %(before)d the year before", why["after"])
                % {"after": why["after"], "before": why["before"]})
    if kind == "outcomes":
        return (ngettext("%(after)d outcome logged, against %(before)d the year before",
                         "%(after)d outcomes logged, against %(before)d the year before", why["after"])
                % {"after": why["after"], "before": why["before"]})
    return str(_("Known for longer"))


def count(value: int) -> str:
    """A count in the active language's way: "19,404", "19 404" (the ``grouped`` template filter)."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


def more(n: int) -> str:
    """"and one more", "and 5,404 more" under a shortened list (as the pages say it); "" when nothing is left out."""
    return ngettext("and one more", "and %(n)s more", n) % {"n": count(n)} if n > 0 else ""


def decimal(value: float) -> str:
    """A rate in the active language's way: one decimal ("2.9", "2,9" in French), two below 1 ("0.07")."""
    from django.utils.formats import number_format

    places = 2 if abs(value) < 1 else 1
    return number_format(round(value, places), places, force_grouping=True)  # number_format cuts; round first


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
