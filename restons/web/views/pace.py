"""Pace: your cadences against your pace, the proposals with one-click accept, and the "back from holiday" plan.

The pages read :func:`restons.services.pace.pace_report` (the JSON of ``restons pace --json``)
and :func:`restons.services.today.today_page`; accepting calls ``apply_proposals``, the
function behind ``restons pace apply``. Nothing changes a cadence but that POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restons import labels
from restons.services.errors import UserError
from restons.services.pace import apply_proposals, pace_report
from restons.services.today import today_page


def with_texts(report: dict) -> dict:
    """``pace_report`` with what the templates print: each proposal's sentence, the pace line, the rates."""
    for proposal in report.get("proposals", ()):
        proposal["text"] = labels.proposal_text(proposal)
        proposal["saving_text"] = labels.decimal(proposal["saving"])
    # On the page, by kind; a long kind shows its first SHOWN and accepts the rest at once.
    report["groups"] = []
    for kind in ("untrack", "person", "circle"):
        of_kind = [p for p in report.get("proposals", ()) if p["kind"] == kind]
        if of_kind:
            report["groups"].append({"kind": kind, "shown": of_kind[:SHOWN], "more": len(of_kind) - SHOWN,
                                     "count": len(of_kind)})
    report["line"] = labels.pace_line(report["load"], report["pace"]["per_day"])
    per_open_day = report["pace"]["per_open_day"]
    report["rates"] = {
        "load": labels.decimal(report["load"]), "close_load": labels.decimal(report["close_load"]),
        "per_day": labels.decimal(report["pace"]["per_day"]), "target": labels.decimal(report["target"]),
        "per_open_day": None if per_open_day is None else labels.decimal(per_open_day),
        "load_after": labels.decimal(report.get("load_after", report["load"])),
    }
    return report


def pace_page(request):
    return render(request, "restons/pace/page.html", {"report": with_texts(pace_report(request.user))})


@require_POST
def pace_apply(request):
    """Accept one proposal (``proposal``), several, or all of today's (``all``)."""
    ids, kind = request.POST.getlist("proposal"), request.POST.get("kind") or None
    if not ids and not kind and not request.POST.get("all"):
        raise UserError(_("Choose a proposal to accept."))
    applied = apply_proposals(request.user, ids, kind=kind)  # NotFound (404) for one that is not today's
    done = [_("Done: %(change)s") % {"change": labels.proposal_text(p)} for p in applied]
    if not request.htmx:
        for text in done:
            messages.success(request, text)
        return redirect("pace")
    return render(request, "restons/pace/_proposals.html",
                  {"report": with_texts(pace_report(request.user)), "done": done})


def back(request):
    """Back from holiday: what piled up, how long catching up takes, and the next days' lists."""
    page = today_page(request.user, language=get_language(), opened=True, lists=PLAN_LISTS)
    catch_up = page["catch_up"]
    entries = page["entries"] if catch_up else []
    size = catch_up["per_day"] if catch_up else 1
    return render(request, "restons/today/back.html", {
        "catch_up": catch_up, "catch_up_text": labels.catch_up_text(catch_up) if catch_up else "",
        "plan": [entries[start:start + size] for start in range(0, len(entries), size)],
        "replies": sum(1 for e in entries if any(r["kind"] == "reply-owed" for r in e["reasons"])),
    })


PLAN_LISTS = 7  # the plan shows the next seven lists at most
SHOWN = 10  # proposals of one kind listed one by one; beyond, "and N more" and one button for all

urlpatterns = [
    path("pace/", pace_page, name="pace"),
    path("pace/apply/", pace_apply, name="pace-apply"),
    path("today/back/", back, name="today-back"),
]
