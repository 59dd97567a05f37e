"""Today: the engine's list, and logging, snoozing or skipping from it without a reload."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restons import labels
from restons.models import Channel, Person
from restons.parsing import choice, parse_date
from restons.services.access import owned
from restons.services.demo import fill_demo
from restons.services.health import next_due_of
from restons.services.interactions import log_ping, undo_ping, undoable
from restons.services.people import snooze
from restons.services.today import today_list, today_page
from restons.web.shortcuts import back, person_of

SNOOZE_DAYS = 7


def _links(entry: dict) -> dict:
    """mailto:/sms: links that open the draft in the user's own apps, where an identity allows."""
    ids = entry["identities"]
    body = quote(entry["draft"])
    links = {}
    if "email" in ids:
        links["email"] = f"mailto:{ids['email']}?body={body}"
    phone = ids.get("phone") or ids.get("whatsapp")
    if phone:
        links["sms"] = f"sms:{phone}?body={body}"
    return links


def _dressed(entries: list[dict], day) -> list[dict]:
    """What the cards show beside the service's entries: the draft's links, and the due date, "due since" once
    it has passed on ``day`` (a "next due" in May reads wrong in December)."""
    for entry in entries:
        entry["links"] = _links(entry)
        entry["next_due_date"] = parse_date(entry["next_due"]) if entry["next_due"] else None
        entry["due_passed"] = entry["next_due_date"] is not None and entry["next_due_date"] < day
    return entries


def _entries(request, day=None) -> list[dict]:
    return _dressed(today_list(request.user, day, language=get_language()), day or timezone.localdate())


def today(request):
    day = parse_date(request.GET["date"]) if request.GET.get("date") else None
    # Looking at today (not planning ahead) makes it a day of use: the pace and catching up count it.
    page = today_page(request.user, day, language=get_language(), opened=day is None)
    entries = _dressed(page["entries"], day or timezone.localdate())
    # Without JavaScript, "I pinged them" comes back here with ?undo=ID: offer the Undo while it is possible.
    undo = undoable(request.user, request.GET["undo"]) if request.GET.get("undo") else None
    return render(request, "restons/today/page.html", {
        "entries": entries, "day": day or timezone.localdate(), "planning_ahead": day is not None,
        "channels": Channel.choices,
        "empty_instance": not entries and not owned(Person, request.user).exists(),
        "undo": undo, "undo_next_due": next_due_of(request.user, undo.person) if undo else None,
        "updating": page.get("updating", False),
        **_pace_context(page),
    })


def _pace_context(page: dict) -> dict:
    """Catching up after days away, and the pace line (today only), for ``today/_pace.html``."""
    pace, catch_up = page["pace"], page["catch_up"]
    return {"catch_up": catch_up, "catch_up_text": labels.catch_up_text(catch_up) if catch_up else "", "pace": pace,
            "pace_line": labels.pace_line(pace["load"], pace["per_day"]) if pace and pace["load"] else ""}


@require_POST
def demo(request):
    """Fill an empty instance with invented people, to see Restons at work before importing anything."""
    summary = fill_demo(request.user)  # UserError (400) when there are people already
    messages.success(request, _("Demo data added: %(people)s invented people and %(interactions)s pings.") % summary)
    return redirect("today")


@require_POST
def ping(request, person_id: int):
    person = person_of(request, person_id)
    channel = choice(request.POST.get("channel", "other"), Channel, "channel")
    logged = log_ping(request.user, person, direction="out", channel=channel, note=request.POST.get("note", ""))
    if not request.htmx:
        return _with_undo(back(request, "today"), logged.pk)
    return render(request, "restons/today/_done.html",
                  {"person": person, "action": "pinged", "next_due": next_due_of(request.user, person), "undo": logged})


def _with_undo(response, interaction_id: int):
    """The redirect back to Today (planning ahead or not), carrying the ping that can be undone."""
    parts = urlsplit(response["Location"])
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "undo"] + [("undo", str(interaction_id))]
    response["Location"] = urlunsplit(parts._replace(query=urlencode(query)))
    return response


@require_POST
def undo(request, interaction_id: int):
    """Take back the ping just logged from Today: its entry comes back as it was."""
    person = undo_ping(request.user, interaction_id).person  # 404 for another's, 400 when too late
    if not request.htmx:
        messages.success(request, _("The ping with %(name)s is undone.") % {"name": person.name})
        return redirect("today")
    entry = next((e for e in _entries(request) if e["person"]["id"] == person.id), None)
    if entry is None:  # no longer among today's few (someone else moved up meanwhile)
        return render(request, "restons/today/_done.html", {"person": person, "action": "undone"})
    return render(request, "restons/today/_entry.html", {"entry": entry, "channels": Channel.choices})


@require_POST
def snooze_person(request, person_id: int):
    person = person_of(request, person_id)
    until = timezone.localdate() + timedelta(days=SNOOZE_DAYS)
    snooze(request.user, person, until)
    if not request.htmx:
        return back(request, "today")
    return render(request, "restons/today/_done.html", {"person": person, "action": "snoozed", "until": until})


@require_POST
def skip(request, person_id: int):
    """Not today: hidden until tomorrow."""
    person = person_of(request, person_id)
    snooze(request.user, person, timezone.localdate())
    if not request.htmx:
        return back(request, "today")
    return render(request, "restons/today/_done.html", {"person": person, "action": "skipped"})


urlpatterns = [
    path("", today, name="today"),
    path("demo/", demo, name="demo"),
    path("today/<int:person_id>/ping/", ping, name="today-ping"),
    path("today/<int:person_id>/snooze/", snooze_person, name="today-snooze"),
    path("today/<int:person_id>/skip/", skip, name="today-skip"),
    path("today/undo/<int:interaction_id>/", undo, name="today-undo"),
]
