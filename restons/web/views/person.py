"""A person's page: everything known about them, each field edited in place, pings and their history.

Every field is a fragment ``people/_<field>.html`` rooted at ``#field-<field>``:
GET ``edit/<field>/`` gives its form, POST saves it and gives it back for
display; without JavaScript the same URLs show the whole page with that form
open and redirect back after saving. Each ping of the timeline works the same
way (``pings/<id>/edit/``, ``pings/<id>/delete/``), within ``#activity``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from restons.labels import cadence_label
from restons import conf, formats, labels, limits
from restons.models import Channel, Direction, Identity, Outcome
from restons.parsing import choice, format_duration, parse_date, parse_datetime, parse_duration
from restons.services.about import about_choices, find_about
from restons.services.circles import circles_of
from restons.services.errors import UserError
from restons.services.health import TIMELINE_LENGTH, person_detail
from restons.services.interactions import delete_interaction, edit_interaction, get_interaction, log_ping
from restons.services.people import (
    PersonInput,
    delete_person,
    edit_person,
    leave_circle,
    remove_identity,
    remove_interest,
    remove_organisation,
    snooze,
)
from restons.web import figures
from restons.web.shortcuts import person_of
from restons.web.views.people import COMMON_CADENCES, confirm_deletion, split_values

FIELDS = ("name", "met", "notes", "cadence", "identities", "organisations", "interests", "circles")
# What else changes on the page when a field does (sent along as out-of-band swaps).
AFFECTS = {"cadence": ("status",), "circles": ("cadence", "status")}
IDENTITY_KINDS = (("email", Identity.Kind.EMAIL.label), ("phone", Identity.Kind.PHONE.label),
                  ("linkedin", Identity.Kind.LINKEDIN.label))
SNOOZES = ((7, gettext_lazy("a week")), (30, gettext_lazy("a month")), (91, gettext_lazy("three months")))
ARROWS = {"out": "→", "in": "←", "both": "↔"}

def _context(request, person, *, editing: str = "", error: str = "", error_in: str = "", full: bool = False) -> dict:
    """What the fragments need; ``full`` adds the page-only parts (chart, ping form).

    ``error`` is shown in the fragment named ``error_in`` (a field, "ping" or "status").
    """
    detail = person_detail(request.user, person)
    detail["next_due"] = date.fromisoformat(detail["next_due"]) if detail["next_due"] else None
    detail["last_touch"] = datetime.fromisoformat(detail["last_touch"]) if detail["last_touch"] else None
    detail["snoozed_until"] = date.fromisoformat(detail["snoozed_until"]) if detail["snoozed_until"] else None
    for key in ("on", "connected_on"):
        detail["met"][key] = date.fromisoformat(detail["met"][key]) if detail["met"][key] else None
    channels, directions, kinds = dict(Channel.choices), dict(Direction.choices), dict(Identity.Kind.choices)
    outcome_kinds = dict(Outcome.Kind.choices)
    for item in detail["timeline"]:
        item["at"] = datetime.fromisoformat(item["at"])
        item["arrow"] = ARROWS.get(item["direction"], "")
        item["direction_label"] = directions.get(item["direction"], item["direction"])
        item["channel_label"] = channels.get(item["channel"], item["channel"])
        item["source_label"] = labels.source_label(item["source"])
        until = datetime.fromisoformat(item["until"]) if item.get("until") else None
        item["until"] = until if until and until > item["at"] else None  # a conversation's span, a meeting's end
        item["same_day"] = bool(item["until"]) and item["until"].date() == item["at"].date()
    for item in detail["identities"]:
        item["label"] = kinds.get(item["kind"], item["kind"])
    for item in detail["outcomes"]:
        item["at"] = date.fromisoformat(item["at"])
        item["label"] = outcome_kinds.get(item["kind"], item["kind"])
    for item in detail["milestones"]:
        item["on"] = date.fromisoformat(item["on"])
    for item in detail["pledges"]:
        item["label"] = labels.leaving(item["org"], formats.day(item["on"]))
    for item in detail["organisations"]:
        for key in ("started_on", "ended_on"):
            item[key] = date.fromisoformat(item[key]) if item[key] else None
    context = {
        "person": person, "detail": detail, "editing": editing, "error": error, "error_in": error_in or editing,
        "values": request.POST if request.method == "POST" else {},
        "status_label": labels.STATUS[detail["status"]], "reciprocity_label": labels.RECIPROCITY[detail["reciprocity"]],
        "cadence_text": cadence_label(detail["cadence_days"]), "own_cadence": format_duration(person.cadence_days),
        "suggested_text": cadence_label(detail["suggested_cadence_days"]),
        "cadences": COMMON_CADENCES, "identity_kinds": IDENTITY_KINDS, "snoozes": SNOOZES,
        "today": timezone.localdate(), "window_days": conf.get("RESTONS_WINDOW_DAYS"),
        "timeline_length": TIMELINE_LENGTH,
        # Why an untracked person is: their circles have no cadence (or they are in none).
        "untracked_circles": circles_of(request.user, person) if detail["cadence_days"] is None else None,
    }
    if full:
        context.update(charts=figures.person_charts(detail["history"], person.name), channels=Channel.choices,
                       directions=Direction.choices, now=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                       about_choices=about_choices(request.user, timezone.localdate()))
    return context


def _page(request, person, *, status: int = 200, extra=None, **kwargs):
    context = _context(request, person, full=True, **kwargs)
    context.update(extra or {})
    return render(request, "restons/people/person.html", context, status=status)


def _fragment(request, person, name: str, *, also=(), extra=None, **kwargs):
    """One fragment, plus the others that changed with it as out-of-band swaps."""
    context = _context(request, person, full=name in ("ping", "activity") or "activity" in also, **kwargs)
    context.update(extra or {})
    context.update(main=f"restons/people/_{name}.html", also=[f"restons/people/_{other}.html" for other in also])
    return render(request, "restons/people/_update.html", context)


def person_page(request, person_id: int):
    return _page(request, person_of(request, person_id))


def _field_name(field: str) -> str:
    if field not in FIELDS:
        raise Http404(field)
    return field


@require_GET
def show_field(request, person_id: int, field: str):
    """A field for display (the "cancel" of an edit form)."""
    person = person_of(request, person_id)
    _field_name(field)
    if not request.htmx:
        return redirect("person", person_id=person.id)
    return _fragment(request, person, field)


def _input(field: str, post) -> PersonInput:
    """The PersonInput a field's form means; UserError for bad values."""
    if field == "name":
        return PersonInput(name=post.get("name", ""))
    if field == "met":
        on = post.get("met_on", "").strip()
        return PersonInput(met=post.get("met", "").strip(), met_on=parse_date(on) if on else None,
                           clear=() if on else ("met_on",))
    if field == "notes":
        return PersonInput(notes=post.get("notes", "").strip())
    if field == "cadence":
        every = post.get("every", "").strip()
        return PersonInput(cadence_days=parse_duration(every)) if every else PersonInput(clear=("cadence_days",))
    if field == "identities":
        kind, value = post.get("kind", ""), post.get("value", "").strip()
        if not value:
            raise UserError(_("Give an address, a number or a profile URL."))
        if kind == "email":
            return PersonInput(emails=[value])
        if kind == "phone":
            return PersonInput(phones=[value])
        if kind == "linkedin":
            return PersonInput(linkedin=value)
        raise UserError(_("unknown identity kind %(value)r") % {"value": kind})
    if field == "organisations":
        name = post.get("organisation", "").strip()
        if not name:
            raise UserError(_("An organisation needs a name."))
        return PersonInput(orgs=[name])
    items = split_values(post.get(field, ""))
    if not items:
        raise UserError(_("Give at least one, separated by commas."))
    return PersonInput(interests=items) if field == "interests" else PersonInput(circles=items)


def edit_field(request, person_id: int, field: str):
    """GET: the field's form. POST: save it through ``edit_person`` and show the field."""
    person = person_of(request, person_id)
    _field_name(field)
    if request.method == "POST":
        try:
            edit_person(request.user, person, _input(field, request.POST))
        except UserError as exc:
            person.refresh_from_db()
            if request.htmx:  # 200 so that HTMX swaps the form back in, with the reason
                return _fragment(request, person, field, editing=field, error=str(exc))
            return _page(request, person, editing=field, error=str(exc), status=400)
        if not request.htmx:
            return redirect("person", person_id=person.id)
        return _fragment(request, person, field, also=AFFECTS.get(field, ()))
    if request.htmx:
        return _fragment(request, person, field, editing=field)
    return _page(request, person, editing=field)


@require_POST
def remove_item(request, person_id: int, field: str):
    """Take one identity, organisation, interest or circle off the person."""
    person = person_of(request, person_id)
    value = request.POST.get("value", "")
    if field == "interests":
        remove_interest(request.user, person, value)
    elif field == "circles":
        leave_circle(request.user, person, value)
    elif field == "organisations":
        remove_organisation(request.user, person, value)
    elif field == "identities":
        kind, _sep, address = value.partition(":")
        remove_identity(request.user, person, kind, address)
    else:
        raise Http404(field)
    if not request.htmx:
        return redirect("person", person_id=person.id)
    return _fragment(request, person, field, also=AFFECTS.get(field, ()))


@require_POST
def ping(request, person_id: int):
    """Log a ping in either direction, maybe about one of your milestones, content or events; the status,
    chart and timeline follow."""
    person = person_of(request, person_id)
    post = request.POST
    try:
        channel = choice(post.get("channel", "other"), Channel, "channel")
        direction = choice(post.get("direction", "out"), Direction, "direction")
        at = parse_datetime(post["at"]) if post.get("at", "").strip() else None
        about = find_about(request.user, post["about"]) if post.get("about", "").strip() else None
        log_ping(request.user, person, direction=direction, channel=channel, at=at, note=post.get("note", "").strip(),
                 about=about)
    except UserError as exc:
        if request.htmx:
            return _fragment(request, person, "ping", error=str(exc), error_in="ping")
        return _page(request, person, error=str(exc), error_in="ping", status=400)
    if not request.htmx:
        return redirect("person", person_id=person.id)
    return _fragment(request, person, "ping", also=("status", "activity"), extra={"logged": True})


@require_POST
def archive(request, person_id: int):
    person = person_of(request, person_id)
    edit_person(request.user, person, PersonInput(archived=request.POST.get("archived") == "1"))
    if not request.htmx:
        return redirect("person", person_id=person.id)
    return _fragment(request, person, "status")


@require_POST
def snooze_person(request, person_id: int):
    """Snooze for a number of days or until a date; ``end`` wakes the person up again."""
    person = person_of(request, person_id)
    post = request.POST
    try:
        if post.get("end"):
            edit_person(request.user, person, PersonInput(clear=("snoozed_until",)))
        else:
            if post.get("until", "").strip():
                until = parse_date(post["until"])
            else:
                days = post.get("days", "")
                if not days.isdigit() or len(days) > 9:
                    raise UserError(_("Choose how long to snooze."))
                until = timezone.localdate() + timedelta(days=limits.check_days(int(days)))
            snooze(request.user, person, until)
    except UserError as exc:
        if request.htmx:
            return _fragment(request, person, "status", error=str(exc), error_in="status")
        return _page(request, person, error=str(exc), error_in="status", status=400)
    if not request.htmx:
        return redirect("person", person_id=person.id)
    return _fragment(request, person, "status")


def _ping_of(request, person, interaction_id: int):
    """One of ``person``'s interactions; 404 for another person's or another user's."""
    interaction = get_interaction(request.user, interaction_id)
    if interaction.person_id != person.id:
        raise Http404("not this person's ping")
    return interaction


def _timeline(request, person, *, status: int = 200, **extra):
    """The timeline with one ping open (its form, or the question before deleting it)."""
    error = extra.pop("error", "")
    if request.htmx:  # 200 even for an error, so that HTMX swaps the form back in with the reason
        return _fragment(request, person, "activity", extra=extra, error=error, error_in="timeline")
    return _page(request, person, status=status, extra=extra, error=error, error_in="timeline")


def _after_ping_change(request, person):
    if not request.htmx:
        return redirect(reverse("person", kwargs={"person_id": person.id}) + "#activity")
    return _fragment(request, person, "activity", also=("status",))


def edit_ping(request, person_id: int, interaction_id: int):
    """GET: the ping's form in the timeline. POST: save it; the status, chart and timeline follow."""
    person = person_of(request, person_id)
    interaction = _ping_of(request, person, interaction_id)
    if request.method == "POST":
        post = request.POST
        try:
            at = post.get("at", "").strip()
            edit_interaction(request.user, interaction.pk, at=parse_datetime(at) if at else None,
                             direction=post.get("direction"), channel=post.get("channel"),
                             note=post.get("note", "").strip())
        except UserError as exc:
            return _timeline(request, person, status=400, ping_editing=interaction.pk, error=str(exc))
        return _after_ping_change(request, person)
    return _timeline(request, person, ping_editing=interaction.pk)


def delete_ping(request, person_id: int, interaction_id: int):
    """GET: ask in the timeline whether to delete the ping. POST: delete it; the status, chart and timeline follow."""
    person = person_of(request, person_id)
    interaction = _ping_of(request, person, interaction_id)
    if request.method == "POST":
        delete_interaction(request.user, interaction.pk)
        return _after_ping_change(request, person)
    return _timeline(request, person, ping_deleting=interaction.pk)


def delete(request, person_id: int):
    """GET: what deleting the person takes with them, and a button. POST: forget them."""
    person = person_of(request, person_id)
    if request.method == "POST":
        delete_person(request.user, person)
        messages.success(request, _("%(name)s is deleted, with everything about them.") % {"name": person.name})
        return redirect("people")
    return confirm_deletion(request, [person.id], action=reverse("person-delete", kwargs={"person_id": person.id}),
                            cancel=reverse("person", kwargs={"person_id": person.id}))


urlpatterns = [
    path("people/<int:person_id>/", person_page, name="person"),
    path("people/<int:person_id>/field/<str:field>/", show_field, name="person-field"),
    path("people/<int:person_id>/edit/<str:field>/", edit_field, name="person-edit"),
    path("people/<int:person_id>/remove/<str:field>/", remove_item, name="person-remove"),
    path("people/<int:person_id>/ping/", ping, name="person-ping"),
    path("people/<int:person_id>/archive/", archive, name="person-archive"),
    path("people/<int:person_id>/snooze/", snooze_person, name="person-snooze"),
    path("people/<int:person_id>/delete/", delete, name="person-delete"),
    path("people/<int:person_id>/pings/<int:interaction_id>/edit/", edit_ping, name="person-ping-edit"),
    path("people/<int:person_id>/pings/<int:interaction_id>/delete/", delete_ping, name="person-ping-delete"),
]
