"""Stats: the whole network at a glance — what ``restons stats`` prints, from the same service function.

The page renders :func:`restons.services.stats.stats`, the JSON of ``restons
stats --json``: a pledge still in its first-ping window has a null
``adherence`` and its progress; "who noticed" lists the people whose pings are
linked to your milestone, and the unconfirmed suggestions apart.
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import path

from restons import labels
from restons.models import Outcome
from restons.parsing import parse_date
from restons.services.pace import pace_report
from restons.services.stats import stats
from restons.web.shortcuts import first_of


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _bars(counts: dict, names: dict, total: int, filter_name: str) -> list[dict]:
    return [{"key": key, "label": names[key], "count": count, "percent": _share(count, total), "filter": filter_name}
            for key, count in counts.items()]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _pledge(entry: dict) -> dict:
    """One pledge of ``stats``: its share kept, or while its first-ping window is open, its progress."""
    adherence = entry["adherence"]
    return {**entry, "on": _date(entry["on"]), "percent": None if adherence is None else round(adherence * 100),
            "progress": labels.pledge_progress(entry)}


# Names of "maybe" per milestone on the page; the milestone's own page lists the rest to decide on.
MAYBE_SHOWN = 10


def _noticed(item: dict) -> dict:
    suggested, more = first_of(item["suggested"], MAYBE_SHOWN)
    return {**item, "on": _date(item["on"]), "suggested": suggested, "more": more}


def stats_page(request):
    day = parse_date(request.GET["date"]) if request.GET.get("date") else None
    data = stats(request.user, day)
    people = data["people"]
    outcome_names = dict(Outcome.Kind.choices)
    outcomes = [{"label": outcome_names.get(kind, kind), "count": n}
                for kind, n in data["outcomes"].items() if n]
    return render(request, "restons/stats/page.html", {
        "data": data, "people": people, "day": _date(data["date"]), "planning_ahead": day is not None,
        "statuses": _bars(data["status"], labels.STATUS, people, "status"),
        "reciprocities": _bars(data["reciprocity"], labels.RECIPROCITY, people, "reciprocity"),
        "ghosting": data["ghosting"],
        "pledges": [_pledge(entry) for entry in data["pledges"]],
        "outcomes": outcomes, "outcomes_total": sum(o["count"] for o in outcomes),
        "noticed": [_noticed(item) for item in data["noticed"]],
        "window_days": data["window_days"],
        "pace": _pace(request.user, day),
    })


def _pace(owner, day) -> dict:
    """The pace card (``stats/_pace.html``): the load against the pace, from ``restons pace``'s report."""
    from restons.web.views.pace import with_texts

    return with_texts(pace_report(owner, day, proposals=False))


urlpatterns = [
    path("stats/", stats_page, name="stats"),
]
