"""Stats: the whole network at a glance — what ``restons stats`` prints, from the same service function.

The page reads :func:`restons.services.stats.stats` as its JSON contract and
tolerates fields that are absent or null: a pledge's ``adherence`` is null
while its first-ping window is open (with a ``pending`` count and the days
left), and "who noticed" may tell confirmed people from suggested ones.
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import path

from restons import labels
from restons.models import Outcome
from restons.parsing import parse_date
from restons.services.stats import stats


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _bars(counts: dict, names: dict, total: int, filter_name: str) -> list[dict]:
    return [{"key": key, "label": names.get(key, key), "count": count or 0, "percent": _share(count or 0, total),
             "filter": filter_name} for key, count in (counts or {}).items()]


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _first(entry: dict, *keys):
    """The first of ``keys`` found in ``entry`` or in its ``first_pings`` object, else None."""
    nested = entry.get("first_pings") if isinstance(entry.get("first_pings"), dict) else {}
    for key in keys:
        for source in (entry, nested):
            if source.get(key) is not None:
                return source[key]
    return None


def _pledge(entry: dict) -> dict:
    adherence = entry.get("adherence")
    return {
        "id": entry.get("id"), "org": entry.get("org", ""), "on": _date(entry.get("on")),
        "people": entry.get("people") or 0,
        "percent": round(adherence * 100) if isinstance(adherence, (int, float)) else None,
        "pending": _first(entry, "pending"), "days_left": _first(entry, "days_left"),
    }


def _person(item) -> dict:
    """A person named in "who noticed": a {id, name} object, or a ping with ``person_id`` or ``person``."""
    if not isinstance(item, dict):
        return {"id": None, "name": str(item)}
    person = item.get("person") if isinstance(item.get("person"), dict) else {}
    pid = item.get("person_id") or person.get("id") or (item.get("id") if "name" in item else None)
    return {"id": pid, "name": item.get("name") or person.get("name") or ""}


def _noticed(item: dict) -> dict:
    confirmed = item.get("confirmed")
    if confirmed is None:
        confirmed = item.get("people") or []
    return {"title": item.get("title", ""), "on": _date(item.get("on")),
            "confirmed": [_person(p) for p in confirmed], "suggested": [_person(p) for p in item.get("suggested") or []]}


def stats_page(request):
    day = parse_date(request.GET["date"]) if request.GET.get("date") else None
    data = stats(request.user, day)
    people = data.get("people") or 0
    outcome_names = dict(Outcome.Kind.choices)
    outcomes = [{"label": outcome_names.get(kind, kind), "count": n}
                for kind, n in (data.get("outcomes") or {}).items() if n]
    return render(request, "restons/stats/page.html", {
        "data": data, "people": people, "day": _date(data.get("date")), "planning_ahead": day is not None,
        "statuses": _bars(data.get("status"), labels.STATUS, people, "status"),
        "reciprocities": _bars(data.get("reciprocity"), labels.RECIPROCITY, people, "reciprocity"),
        "ghosting": data.get("ghosting") or 0,
        "pledges": [_pledge(entry) for entry in data.get("pledges") or []],
        "outcomes": outcomes, "outcomes_total": sum(o["count"] for o in outcomes),
        "noticed": [_noticed(item) for item in data.get("noticed") or []],
        "window_days": data.get("window_days"),
    })


urlpatterns = [
    path("stats/", stats_page, name="stats"),
]
