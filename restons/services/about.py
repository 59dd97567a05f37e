"""What a ping is about — one of your milestones, a piece of your content or an event — and what that tells.

A ping linked to your milestone says who noticed it; linked to your content, who engaged
with it (or whom you sent it to). Inbound pings in the 30 days after your milestone that
are linked to nothing are only *suggestions*: you confirm one (it gets linked) or dismiss it.
Everything here runs a fixed number of queries, whatever the number of pings.
"""

from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restons.engine import noticed as engine
from restons.engine.calendar import last_occurrence
from restons.engine.state import MilestoneInfo
from restons.models import Content, DismissedNotice, Event, Interaction, Milestone, Person
from restons.services import checkups
from restons.services.access import check_owned, owned
from restons.services.errors import UserError
from restons.services.snapshot import QUERY_CHUNK, as_datetime, fast_rows, local_today

KINDS = ("milestone", "content", "event")
CANDIDATES_SHOWN = 5
TITLE_MAX = 300  # the longest title an item can have
INBOUND = ("in", "both")


def kind_of(item) -> str:
    return {Milestone: "milestone", Content: "content", Event: "event"}[type(item)]


def token(item) -> str:
    """The unambiguous way to name ``item`` in ``--about``: ``event:#12``."""
    return f"{kind_of(item)}:#{item.pk}"


def _kind_names() -> dict:
    return {"milestone": _("milestone"), "content": _("content"), "event": _("event")}


def describe(item) -> str:
    """``milestone “Ten years” (2026-05-01, milestone:#3)``: one candidate in an error line;
    a person's milestone says whose (``milestone “Birthday” of Camille Martin (…)``)."""
    values = {"kind": _kind_names()[kind_of(item)], "title": item.title, "date": item.on.isoformat(),
              "token": token(item)}
    if getattr(item, "person_id", None):
        return _("%(kind)s “%(title)s” of %(name)s (%(date)s, %(token)s)") % {**values, "name": item.person.name}
    return _("%(kind)s “%(title)s” (%(date)s, %(token)s)") % values


def _sources(owner, kinds, theirs: bool = False) -> list:
    """The querysets --about looks in: your milestones (people's too when ``theirs``), your content, your events."""
    milestones = owned(Milestone, owner)
    sources = {
        "milestone": milestones.select_related("person") if theirs else milestones.filter(person__isnull=True),
        "content": owned(Content, owner),
        "event": owned(Event, owner),
    }
    return [sources[kind] for kind in kinds]


def find_about(owner, text: str, kinds=KINDS, theirs: bool = False, exact: bool = False):
    """The milestone (yours), content or event ``text`` names; UserError listing the candidates otherwise.

    ``text`` is a title (case does not matter; a unique beginning is enough), optionally prefixed
    by a kind (``event:Cup final``), or ``KIND:#ID`` as the candidates list shows them. A ping is
    never about a person's milestone; ``theirs`` finds those too (to remove one). ``exact`` (to remove
    one): only the whole title or the id names it; a beginning lists what it could be instead.
    """
    query = " ".join((text or "").split())
    if not query:
        raise UserError(_("Say what the ping is about: a title of your milestones, content or events."))
    if len(query) > TITLE_MAX:
        raise UserError(_("That title is %(length)s characters long; titles have at most %(max)s")
                        % {"length": len(query), "max": TITLE_MAX})
    prefix, colon, rest = query.partition(":")
    if colon and prefix.strip().lower() in kinds:
        kinds, query = (prefix.strip().lower(),), rest.strip()
        if query.startswith("#") and query[1:].isdigit() and len(query) <= 20:
            (rows,) = _sources(owner, kinds, theirs)
            match = rows.filter(pk=int(query[1:])).first()
            if match is None:
                raise UserError(_("You have no %(kind)s #%(id)s.") % {"kind": _kind_names()[kinds[0]], "id": query[1:]})
            return match
    for lookup in ("title__iexact", "title__istartswith", "title__icontains"):
        found = []
        for rows in _sources(owner, kinds, theirs):
            found += list(rows.filter(**{lookup: query}).order_by("-on", "-id")[: CANDIDATES_SHOWN + 1])
        if len(found) == 1 and (lookup == "title__iexact" or not exact):
            return found[0]
        if found:
            shown = "; ".join(describe(item) for item in found[:CANDIDATES_SHOWN])
            more = "…" if len(found) > CANDIDATES_SHOWN else ""
            raise UserError(_("“%(query)s” could be: %(candidates)s%(more)s; give one of these")
                            % {"query": query, "candidates": shown, "more": more})
    plural = {"milestone": _("milestones"), "content": _("content"), "event": _("events")}
    raise UserError(_("None of your %(kinds)s is called “%(query)s”.")
                    % {"kinds": _("milestones, content or events") if len(kinds) > 1 else plural[kinds[0]],
                       "query": query})


def about_choices(owner, today: date, days: int = 60) -> list[tuple[str, str]]:
    """(value, label) for the web's "about" suggestions: your items from ``days`` ago to ``days`` ahead.

    A value is the title when no other item has it, else the item's token, so that
    :func:`find_about` resolves every value to its item.
    """
    start, end = today - timedelta(days=days), today + timedelta(days=days)
    items = []
    for rows in _sources(owner, KINDS):
        items += [(item, item.on) for item in rows.filter(on__gte=start, on__lte=end).order_by("-on", "-id")[:50]]
    for milestone in owned(Milestone, owner).filter(person__isnull=True, yearly=True, on__lt=start):
        when = last_occurrence(milestone.on, True, end)
        if when is not None and start <= when:  # this year's anniversary of an old milestone
            items.append((milestone, when))
    titles = [item.title.lower() for item, _when in items]
    names = _kind_names()
    return [
        (item.title if titles.count(item.title.lower()) == 1 else token(item),
         f"{names[kind_of(item)]} · {when.isoformat()}")
        for item, when in sorted(items, key=lambda pair: (abs((pair[1] - today).days), pair[0].title))
    ]


# -- who noticed your milestones ------------------------------------------------------------


def _pings(rows, tz) -> list[engine.Ping]:
    return [engine.Ping(iid, pid, name, as_datetime(at).astimezone(tz).date(), summary, about)
            for iid, pid, name, at, summary, about in rows]


PING_FIELDS = ("id", "person_id", "person__name", "at", "summary", "milestone_id")


def _noticed(owner, occurrences) -> tuple[list[engine.Noticed], dict[int, datetime]]:
    """The engine's verdict on ``occurrences`` (four queries), and the time of every ping it names."""
    if not occurrences:
        return [], {}
    tz = timezone.get_current_timezone()
    ids = [milestone.id for milestone, _when in occurrences]
    pings = owned(Interaction, owner)
    linked = fast_rows(pings.filter(milestone_id__in=ids, direction__in=INBOUND).values_list(*PING_FIELDS))
    inbound = _first_inbound(owner, occurrences, tz)
    dismissed = set(owned(DismissedNotice, owner).filter(milestone_id__in=ids)
                    .values_list("milestone_id", "person_id", "on"))
    times = {row[0]: as_datetime(row[3]) for row in inbound}
    return engine.noticed(occurrences, _pings(linked, tz), _pings(inbound, tz), dismissed), times


def _first_inbound(owner, occurrences, tz) -> list[tuple]:
    """Each person's first unlinked inbound ping (by local day, then id) in each occurrence's notice window,
    as PING_FIELDS rows: the engine suggests nobody with any other.

    The windows of a busy owner hold tens of thousands of pings (a month of mail): they are read as
    (id, person, time) only, their local day found among the window's midnights, and only the pings
    chosen are read whole.
    """
    unlinked = owned(Interaction, owner).filter(direction="in", milestone__isnull=True, content__isnull=True,
                                                 event__isnull=True)
    chosen: set[int] = set()
    for _milestone, when in occurrences:  # only the 30 days after each one, not everything in between
        midnights = [datetime.combine(when + timedelta(days=n), datetime.min.time(), tzinfo=tz)
                     for n in range(engine.NOTICE_DAYS + 2)]
        rows = fast_rows(unlinked.filter(at__gte=midnights[0], at__lt=midnights[-1]).values_list("id", "person_id", "at"))
        # The midnights in the form the database gives its times (SQLite: UTC as text, which sorts as the
        # times do, or naive UTC), so that each ping's day is a bisection, not a conversion.
        bounds = _like(rows[0][2], midnights) if rows else midnights
        first: dict[int, tuple[int, int]] = {}
        for pk, person, at in rows:
            key = (bisect.bisect_right(bounds, at), pk)
            if key < first.get(person, (len(bounds), 0)):
                first[person] = key
        chosen.update(pk for _day, pk in first.values())
    ordered = sorted(chosen)
    found = []
    for start in range(0, len(ordered), QUERY_CHUNK):
        found += fast_rows(owned(Interaction, owner).filter(id__in=ordered[start:start + QUERY_CHUNK])
                           .values_list(*PING_FIELDS))
    return found


def _like(value, moments: list[datetime]) -> list:
    """Aware ``moments`` in the form of ``value``, a time as the database gave it: aware, naive UTC, or text."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return moments
    naive = [moment.astimezone(UTC).replace(tzinfo=None) for moment in moments]
    return [str(moment) for moment in naive] if isinstance(value, str) else naive


def _as_dict(result: engine.Noticed, times: dict[int, datetime]) -> dict:
    return {
        "id": result.milestone_id,
        "title": result.title,
        "on": result.on.isoformat(),
        "people": [{"id": pid, "name": name} for pid, name in result.people],
        "suggested": [
            {"id": p.person_id, "name": p.name, "interaction": p.id,
             "at": timezone.localtime(times[p.id]).isoformat(), "summary": p.summary}
            for p in result.suggested
        ],
    }


def _mine(owner) -> list[MilestoneInfo]:
    return [MilestoneInfo(title, on, yearly, mid) for mid, title, on, yearly in
            owned(Milestone, owner).filter(person__isnull=True).values_list("id", "title", "on", "yearly")]


def noticed_report(owner, day: date, window: int) -> list[dict]:
    """``stats``' ``noticed``: for each of your milestones in the window, who noticed it and whom to confirm."""
    results, times = _noticed(owner, engine.occurrences_in_window(_mine(owner), day, window))
    return [_as_dict(result, times) for result in results]


def milestone_noticed(owner, milestone: Milestone, day: date | None = None) -> dict | None:
    """Who noticed ``milestone`` (yours) at its latest occurrence; None before its first one."""
    check_owned(owner, milestone)
    if milestone.person_id is not None:
        raise UserError(_("“%(title)s” is not one of your milestones; who noticed is about yours.")
                        % {"title": milestone.title})
    when = last_occurrence(milestone.on, milestone.yearly, day or local_today())
    if when is None:
        return None
    info = MilestoneInfo(milestone.title, milestone.on, milestone.yearly, milestone.id)
    (result,), times = _noticed(owner, [(info, when)])
    return _as_dict(result, times)


def _suggestion(owner, milestone: Milestone, person: Person, day: date | None) -> tuple[dict, dict]:
    check_owned(owner, milestone, person)
    report = milestone_noticed(owner, milestone, day)
    if report is None:
        raise UserError(_("“%(title)s” has not happened yet.") % {"title": milestone.title})
    suggestion = next((s for s in report["suggested"] if s["id"] == person.id), None)
    if suggestion is not None:
        return report, suggestion
    if any(p["id"] == person.id for p in report["people"]):
        raise UserError(_("%(name)s is already among those who noticed “%(title)s”.")
                        % {"name": person.name, "title": milestone.title})
    raise UserError(_("Nothing from %(name)s to confirm for “%(title)s”: no message in the %(days)s days after %(date)s.")
                    % {"name": person.name, "title": milestone.title, "days": engine.NOTICE_DAYS,
                       "date": report["on"]})


def confirm_noticed(owner, milestone: Milestone, person: Person, day: date | None = None) -> int:
    """Link the suggested ping of ``person`` to ``milestone``; returns the interaction's id.

    UserError when there is no suggestion for them (they are already counted, or nothing came in).
    Linking to a milestone changes no due date or Today reason, only who noticed: the kept reviews go.
    """
    _report, suggestion = _suggestion(owner, milestone, person, day)
    with transaction.atomic():
        updated = owned(Interaction, owner).filter(
            pk=suggestion["interaction"], milestone__isnull=True, content__isnull=True, event__isnull=True,
        ).update(milestone=milestone)
        if not updated:  # linked meanwhile by another request
            raise UserError(_("That ping is already linked to something else."))
        checkups.forget_reviews(owner.pk)
    return suggestion["interaction"]


def dismiss_noticed(owner, milestone: Milestone, person: Person, day: date | None = None) -> None:
    """Stop suggesting ``person`` for the latest occurrence of ``milestone``."""
    report, _suggestion_ = _suggestion(owner, milestone, person, day)
    DismissedNotice.objects.get_or_create(owner=owner, milestone=milestone, person=person,
                                          on=date.fromisoformat(report["on"]))
    checkups.forget_reviews(owner.pk)


# -- the pings about one item ----------------------------------------------------------------


def pings_about(owner, item) -> list[dict]:
    """Every ping about ``item`` (your milestone, content or event), latest first (one query).

    Each: ``interaction``, ``person`` (``id``, ``name``), ``at``, ``direction``, ``summary``.
    """
    check_owned(owner, item)
    rows = (owned(Interaction, owner).filter(**{kind_of(item): item})
            .order_by("-at", "-id").values_list("id", "person_id", "person__name", "at", "direction", "summary"))
    return [
        {"interaction": iid, "person": {"id": pid, "name": name}, "at": timezone.localtime(at).isoformat(),
         "direction": direction, "summary": summary}
        for iid, pid, name, at, direction, summary in rows
    ]
