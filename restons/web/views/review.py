"""Looking back: the Review (a year, or the last 12 months), its standalone copy, and this month's drift.

The Review page and ``restons review --html`` render the same body
(``review/_body.html``); the standalone copy is one HTML file with its
stylesheet and charts inline, no script and no link to anything outside it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from restons import formats, labels
from restons.labels import why_text
from restons.models import Channel, Outcome
from restons.services.drift import drift
from restons.services.errors import UserError
from restons.services.review import SECTIONS, first_year, review
from restons.web import figures
from restons.web.shortcuts import first_of

SHOWN = 12  # names shown per list on the page; the count is always the whole
STYLESHEET = Path(__file__).resolve().parent.parent.parent / "static" / "restons" / "app.css"


def title_of(period: dict) -> str:
    """"2025", "2026 so far", or "The last 12 months"."""
    if period["kind"] == "year":
        if period["end"] != f"{period['year']}-12-31":
            return _("%(year)s so far") % {"year": period["year"]}
        return str(period["year"])
    return _("The last 12 months")


def context_of(data: dict, *, standalone: bool = False) -> dict:
    """What ``review/_body.html`` needs: the numbers, their charts and their words."""
    period = data["period"]
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    key = str(period["year"]) if period["kind"] == "year" else "last-12-months"
    sections = []
    for name in SECTIONS:
        section = data[name]
        for person in section["people"]:
            when = person.get("last_touch") or person.get("silent_since") or person.get("since")
            person["date"] = date.fromisoformat(when) if when else None
        sections.append({"name": name, "title": labels.REVIEW_SECTIONS[name], "help": labels.REVIEW_SECTION_HELP[name],
                         "count": section["count"], "people": section["people"][:SHOWN],
                         "more": section["count"] - min(SHOWN, len(section["people"]))})
    for entry in data["grew"]:
        entry["why_text"] = why_text(entry["why"], grew=True)
    for entry in data["faded"]:
        entry["why_text"] = why_text(entry["why"], grew=False)
    kinds = dict(Outcome.Kind.choices)
    for item in data["outcomes"]["items"]:
        item["label"] = kinds.get(item["kind"], item["kind"])
        item["date"] = date.fromisoformat(item["at"])
        item["known"] = date.fromisoformat(item["known_since"]) if item["known_since"] else None
    brought = [(kinds.get(kind, kind), n) for kind, n in data["outcomes"]["counts"].items() if n]
    pledges = []
    for n, entry in enumerate(data["pledges"]):
        adherence = entry.get("adherence")
        pledges.append({**entry, "on_date": date.fromisoformat(entry["on"]),
                        "leaving": labels.leaving(entry["org"], formats.day(entry["on"])),
                        "progress": labels.pledge_progress(entry),
                        "percent": figures.percent(100 * adherence) if adherence is not None else None,
                        "chart": figures.adherence(entry["quarters"], chart_id=f"pledge-{n}",
                                                   title=_("Adherence per quarter, %(org)s") % {"org": entry["org"]})
                        if entry["quarters"] else ""})
    milestones = []
    for item in data["milestones"]:
        shown = item["people"][:SHOWN]
        milestones.append({**item, "date": date.fromisoformat(item["on"]), "people": shown,
                           "more": item.get("people_count", len(item["people"])) - len(shown),
                           "suggested": item.get("suggested", [])[:SHOWN]})
    # The most answered first: a weekly newsletter makes fifty items a year.
    content = sorted(data["content"], key=lambda c: (-c.get("engaged_count", len(c["engaged"])), c["on"]))[:SHOWN]
    content = [{**item, "date": date.fromisoformat(item["on"]), "engaged": item["engaged"][:SHOWN],
                "more": item.get("engaged_count", len(item["engaged"])) - min(SHOWN, len(item["engaged"]))}
               for item in sorted(content, key=lambda c: c["on"])]
    outcomes_total = sum(data["outcomes"]["counts"].values())
    totals = data["totals"]
    return {
        "review": data, "key": key, "standalone": standalone, "title": title_of(period), "start": start, "end": end,
        "sections": sections, "brought": brought, "pledges": pledges, "milestones": milestones,
        "content": content, "content_more": len(data["content"]) - len(content),
        "outcomes": data["outcomes"]["items"][:SHOWN], "outcomes_total": outcomes_total,
        "outcomes_more": outcomes_total - min(SHOWN, len(data["outcomes"]["items"])),
        "channel_names": dict(Channel.choices),
        "months_chart": figures.pings_per_month(
            data["months"], chart_id="review-months",
            title=_("Pings per month, %(period)s") % {"period": title_of(period)}),
        "first_move_chart": figures.first_move(data["first_move"], chart_id="review-first"),
        "channels_chart": figures.channels(data["channels"], chart_id="review-channels") if data["channels"] else "",
        "conversations": sum(data["first_move"].values()),
        "pings": totals["in"] + totals["out"] - totals["together"],
    }


def standalone_html(data: dict) -> str:
    """The review as one self-contained HTML page: inline stylesheet and charts, no script, no outside link."""
    context = context_of(data, standalone=True)
    context.update(css=STYLESHEET.read_text(encoding="utf-8"), language=get_language(),
                   generated=date_format(timezone.localdate(), "j F Y"))
    return render_to_string("restons/review/standalone.html", context)


def _review(request, year: int | None) -> dict:
    try:
        return review(request.user, year)
    except UserError:
        raise Http404(_("No review for that year.")) from None


@require_GET
def review_page(request, year: int | None = None):
    data = _review(request, year)
    today = timezone.localdate()
    first = first_year(request.user) or today.year
    context = context_of(data)
    context.update(years=list(range(today.year, first - 1, -1)), year=year)
    return render(request, "restons/review/page.html", context)


@require_GET
def review_download(request, year: int | None = None):
    data = _review(request, year)
    response = HttpResponse(standalone_html(data), content_type="text/html; charset=utf-8")
    name = f"restons-review-{data['period']['year'] or 'last-12-months'}.html"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# People shown per list on the Drifting page, strongest first (`restons drift --json` has them all): at 20,000
# people a month brings a thousand.
DRIFT_SHOWN = 50


@require_GET
def drift_page(request):
    data = drift(request.user)
    for kind in ("overdue", "dormant"):
        data[kind]["people"], data[kind]["more"] = first_of(data[kind]["people"], DRIFT_SHOWN)
        for row in data[kind]["people"]:
            row["since_date"] = date.fromisoformat(row["since"])
            row["last_date"] = date.fromisoformat(row["last_touch"]) if row["last_touch"] else None
            row["cadence"] = labels.cadence_label(row["cadence_days"])
    return render(request, "restons/review/drift.html", {"drift": data})


urlpatterns = [
    path("review/", review_page, name="review"),
    path("review/<int:year>/", review_page, name="review-year"),
    path("review/download/", review_download, name="review-download"),
    path("review/<int:year>/download/", review_download, name="review-year-download"),
    path("people/drift/", drift_page, name="people-drift"),
]
