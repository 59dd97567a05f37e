"""The figures of the Review, Person and Pledges pages: the services' numbers drawn by restons.charts, in words of the active language."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import charts, labels
from restons.charts import Bar, Part, Point
from restons.models import Channel

LABELLED_MONTHS = 24  # up to two years, every month is named under its column; beyond, only the years


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _month_slots(months: list[date]) -> list[tuple[str, str]]:
    """(label, group) under each month: the month's initial and the year, or the year alone on long spans.

    Initials fit a phone's columns and read the same in English and French (J F M A M J J A S O N D).
    """
    if len(months) <= LABELLED_MONTHS:
        return [(date_format(m, "F")[:1].upper(), str(m.year)) for m in months]
    return [(str(m.year) if m.month == 1 or i == 0 else "", "") for i, m in enumerate(months)]


def pings_per_month(months: list[dict], *, chart_id: str, title: str) -> str:
    """Theirs above the axis, yours below, one column per month (``in``/``out`` as the services count them)."""
    days = [_month(m["month"]) for m in months]
    slots = _month_slots(days)
    bars = [
        Bar(m["in"], m["out"], _("%(month)s: %(inbound)s from them, %(outbound)s from you")
            % {"month": date_format(day, "YEAR_MONTH_FORMAT"), "inbound": _n(m["in"]), "outbound": _n(m["out"])}, label, group)
        for m, day, (label, group) in zip(months, days, slots)
    ]
    inbound, outbound = sum(m["in"] for m in months), sum(m["out"] for m in months)
    desc = _("Above the line, pings from them (%(inbound)s in all); below it, pings from you (%(outbound)s in all). "
             "A meeting or a call together counts on both sides.") % {"inbound": _n(inbound), "outbound": _n(outbound)}
    busiest = max(months, key=lambda m: (m["in"] + m["out"], m["month"]), default=None)
    if busiest and busiest["in"] + busiest["out"]:
        desc += " " + _("The busiest month: %(month)s.") % {"month": date_format(_month(busiest["month"]), "YEAR_MONTH_FORMAT")}
    return charts.mirror_bars(bars, chart_id=chart_id, title=title, desc=desc, count=_n)


def strength_curve(points: list[dict], *, chart_id: str, title: str) -> str:
    """Strength (0–100) at the end of each month."""
    days = [date.fromisoformat(p["on"]) for p in points]
    slots = _month_slots([d.replace(day=1) for d in days])
    line = [Point(p["strength"], _("%(date)s: strength %(strength)s") % {"date": date_format(day, "DATE_FORMAT"),
                                                                        "strength": p["strength"]}, label, group)
            for p, day, (label, group) in zip(points, days, slots)]
    desc = _("Strength from 0 to 100 at the end of each month.")
    if points:
        desc += " " + _("From %(first)s on %(start)s to %(last)s on %(end)s; highest %(top)s.") % {
            "first": points[0]["strength"], "start": date_format(days[0], "DATE_FORMAT"), "last": points[-1]["strength"],
            "end": date_format(days[-1], "DATE_FORMAT"), "top": max(p["strength"] for p in points)}
    return charts.line(line, chart_id=chart_id, title=title, desc=desc)


def first_move(counts: dict, *, chart_id: str) -> str:
    """Who opened the conversations: you, them, or a meeting together."""
    parts = [Part(counts["you"], _("you"), charts.OUT_COLOUR), Part(counts["them"], _("them"), charts.IN_COLOUR),
             Part(counts["together"], _("together"), charts.TOGETHER_COLOUR)]
    desc = _("Of %(total)s conversations, you opened %(you)s, they opened %(them)s, and %(together)s began with a "
             "meeting or a call together.") % {"total": _n(sum(counts.values())), "you": _n(counts["you"]),
                                                "them": _n(counts["them"]), "together": _n(counts["together"])}
    return charts.split_bar(parts, chart_id=chart_id, title=_("Who reached out first"), desc=desc, count=_n)


def channels(totals: dict, *, chart_id: str) -> str:
    """Per channel: pings from them and from you over the period."""
    names = dict(Channel.choices)
    rows = [(str(names.get(channel, channel)), sides["in"], sides["out"],
             _("%(channel)s: %(inbound)s from them, %(outbound)s from you")
             % {"channel": names.get(channel, channel), "inbound": _n(sides["in"]), "outbound": _n(sides["out"])})
            for channel, sides in totals.items()]
    desc = "; ".join(row[3] for row in rows) or _("No pings.")
    return charts.paired_bars(rows, chart_id=chart_id, title=_("Pings by channel"), desc=desc, count=_n)


def adherence(quarters: list[dict], *, chart_id: str, title: str) -> str:
    """Pledge adherence per quarter, as a line in percent; a quarter still pending leaves a gap.

    A quarter's value is its ``share`` (0 to 1, None while it cannot be judged) when the service
    gives one, else ``kept`` / ``people`` (1 when the pledge names nobody).
    """
    points = []
    for q in quarters:
        share = _share(q)
        year, number = q["quarter"].split("-Q")
        name = labels.quarter(q["quarter"])  # "Q3 2026" / « T3 2026 »
        tip = (_("%(quarter)s: %(kept)s of %(people)s kept") % {"quarter": name, "kept": q["kept"],
                                                                 "people": q["people"]}
               if share is not None else _("%(quarter)s: too early to tell") % {"quarter": name})
        points.append(Point(share, tip, labels.short_quarter(int(number)), year))
    kept = [p.value for p in points if p.value is not None]
    desc = (ngettext("Adherence over %(count)s quarter: %(values)s.", "Adherence over %(count)s quarters: %(values)s.",
                     len(points)) % {"count": len(points), "values": ", ".join(percent(v) for v in kept)}
            if kept else _("Too early to tell."))
    return charts.line(points, chart_id=chart_id, title=title, desc=desc, suffix="%", height=120)


def _share(quarter: dict) -> float | None:
    if "share" in quarter:
        return None if quarter["share"] is None else 100 * quarter["share"]
    if not quarter["people"]:
        return 100.0
    return 100 * quarter["kept"] / quarter["people"]


def percent(value: float) -> str:
    return _("%(percent)s%%") % {"percent": round(value)}


def person_charts(history: dict, name: str) -> dict:
    """The Person page's two charts: pings per month over the years, and the strength curve."""
    months = history["months"]
    first, last = _month(months[0]["month"]), _month(months[-1]["month"])
    span = {"name": name, "start": date_format(first, "YEAR_MONTH_FORMAT"), "end": date_format(last, "YEAR_MONTH_FORMAT")}
    return {
        "pings": pings_per_month(months, chart_id="person-pings",
                                 title=_("Pings with %(name)s per month, %(start)s to %(end)s") % span),
        "strength": strength_curve(history["strength"], chart_id="person-strength",
                                   title=_("Strength of your relationship with %(name)s, %(start)s to %(end)s") % span),
    }
