"""Circles: the list with each circle's cadence and size, one circle's page, and its members.

A circle without a cadence leaves its people untracked; the list says so and
offers the cadence right there. Members are added with the people picker
(server-side search, never the whole network in the page).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from restons.labels import cadence_label
from restons.models import Circle, Membership, Person
from restons.parsing import format_duration, parse_duration
from restons.services import circles
from restons.services.access import get_owned, owned
from restons.services.errors import NotFound, UserError
from restons.web import picker
from restons.web.shortcuts import person_of
from restons.web.views.people import COMMON_CADENCES


def _cadence_choices(current: int | None) -> list[tuple[str, str]]:
    choices = [("", _("no cadence"))] + [(value, str(label)) for value, label in COMMON_CADENCES]
    if current and format_duration(current) not in {value for value, _label in COMMON_CADENCES}:
        choices.insert(1, (format_duration(current), cadence_label(current)))
    return choices


class CircleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    every = forms.ChoiceField(label=gettext_lazy("Stay in touch"), required=False,
                              help_text=gettext_lazy("People in the circle without a cadence of their own follow it."))

    def __init__(self, *args, current_cadence: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["every"].choices = _cadence_choices(current_cadence)

    def clean_every(self) -> int | None:
        value = self.cleaned_data["every"]
        try:
            return parse_duration(value) if value else None
        except UserError as exc:
            raise forms.ValidationError(str(exc)) from None


def _save(form: CircleForm, action) -> Circle | None:
    """Run the service call on a valid form; its UserError becomes a form error."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except UserError as exc:
        form.add_error(None, str(exc))
        return None


def circle_list(request):
    """GET: every circle with its cadence and size. POST: create one."""
    form = CircleForm(request.POST or None, initial={"every": "3m"}, auto_id="id_new_%s")
    if request.method == "POST":
        made = _save(form, lambda data: circles.create_circle(request.user, data["name"], data["every"]))
        if made is not None:
            messages.success(request, _("Circle %(name)s created.") % {"name": made.name})
            return redirect("circle", pk=made.pk)
    rows = circles.circle_list(request.user)
    for row in rows:
        row["cadence"] = cadence_label(row["cadence_days"])
        row["choices"] = _cadence_choices(row["cadence_days"])
        row["every"] = format_duration(row["cadence_days"])
    return render(request, "restons/circles/list.html", {
        "circles": rows, "form": form, "untracked": sum(r["people"] for r in rows if not r["cadence_days"]),
    }, status=400 if form.errors else 200)


def _members_context(request, circle: Circle) -> dict:
    shown, total = circles.members(request.user, circle)
    exclude = owned(Membership, request.user).filter(circle=circle).values("person_id")
    params = request.GET if request.method == "GET" else {}
    # The picker keeps what the Find button (no JavaScript) sent; after adding, it starts empty.
    chosen = picker.picker(request.user, ticked=picker.ticked_ids(params.getlist("people")) if params else [],
                           query=params.get("q", ""), exclude=exclude)
    return {
        "circle": circle, "members": shown, "total": total, "picker": chosen,
        "pick_url": f"/circles/{circle.id}/pick/", "search_action": f"/circles/{circle.id}/#add-members",
        "picker_hint": _("Type a name to find people."), "adding": bool(params.get("q") or params.get("people")),
    }


def circle_page(request, pk: int):
    """GET: the circle, its members and the people picker. POST: rename it or change its cadence."""
    circle = get_owned(Circle, request.user, pk=pk)
    initial = {"name": circle.name, "every": format_duration(circle.cadence_days)}
    form = CircleForm(request.POST or None, initial=initial, current_cadence=circle.cadence_days)
    if request.method == "POST":
        saved = _save(form, lambda data: circles.update_circle(request.user, circle, data["name"], data["every"]))
        if saved is not None:
            messages.success(request, _("Circle saved."))
            if request.POST.get("next") == "list":  # the list's inline cadence form
                return redirect("circles")
            return redirect("circle", pk=circle.pk)
        circle.refresh_from_db()
    context = _members_context(request, circle)
    context.update(form=form, cadence=cadence_label(circle.cadence_days))
    return render(request, "restons/circles/circle.html", context, status=400 if form.errors else 200)


@require_POST
def circle_delete(request, pk: int):
    circle = get_owned(Circle, request.user, pk=pk)
    circles.delete_circle(request.user, circle)
    messages.success(request, _("Circle %(name)s deleted; its people stay.") % {"name": circle.name})
    return redirect("circles")


def _ticked_people(request) -> list[Person]:
    """The people ticked in the form; NotFound (404) when one is not the user's: nothing is written."""
    ids = set(picker.ticked_ids(request.POST.getlist("people")))
    people = list(owned(Person, request.user).filter(id__in=ids))
    if len(people) != len(ids):
        raise NotFound(_("No such person."))
    return people


def _members_answer(request, circle: Circle, message: str):
    if request.htmx:
        context = _members_context(request, circle)
        context["message"] = message
        return render(request, "restons/circles/_members.html", context)
    messages.success(request, message)
    return redirect("circle", pk=circle.pk)


@require_POST
def circle_add_people(request, pk: int):
    circle = get_owned(Circle, request.user, pk=pk)
    people = _ticked_people(request)
    if not people:
        raise UserError(_("Tick at least one person."))
    added = circles.add_members(request.user, circle, people)
    return _members_answer(request, circle, ngettext("One person added.", "%(n)d people added.", added) % {"n": added})


@require_POST
def circle_remove_person(request, pk: int, person_id: int):
    circle = get_owned(Circle, request.user, pk=pk)
    person = person_of(request, person_id)
    circles.remove_member(request.user, circle, person)
    return _members_answer(request, circle, _("%(name)s is out of the circle.") % {"name": person.name})


@require_GET
def circle_pick(request, pk: int):
    """The picker's list, refreshed as the user types (HTMX)."""
    circle = get_owned(Circle, request.user, pk=pk)
    return render(request, "restons/planning/_picker_list.html", _members_context(request, circle))


urlpatterns = [
    path("circles/", circle_list, name="circles"),
    path("circles/<int:pk>/", circle_page, name="circle"),
    path("circles/<int:pk>/delete/", circle_delete, name="circle-delete"),
    path("circles/<int:pk>/people/", circle_add_people, name="circle-add-people"),
    path("circles/<int:pk>/people/<int:person_id>/remove/", circle_remove_person, name="circle-remove-person"),
    path("circles/<int:pk>/pick/", circle_pick, name="circle-pick"),
]
