"""Translatable labels for the engine's and the model's codes, shared by the CLI and the web app."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

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


def outcome(kind: str) -> str:
    """An outcome kind's label ("referral-given" → "referral given"); an unknown code as it is."""
    from restons.models import Outcome

    return str(Outcome.Kind(kind).label) if kind in Outcome.Kind.values else kind


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
