"""Translatable labels for the engine's and the model's codes, shared by the CLI and the web app."""

from datetime import date

from django.utils.formats import date_format
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
        return _("New: first in touch on %(date)s") % {"date": date_format(date.fromisoformat(why["first_touch"]), "j F Y")}
    if kind == "recency":
        if not why.get("last_touch"):
            return str(_("No contact in the last year"))
        when = date_format(date.fromisoformat(why["last_touch"]), "j F Y")
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
