"""People: the list (search, filters, sort, pages; add to a circle, archive or delete the ticked people),
adding a person, and removing the demo people."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from restons import labels, limits
from restons.engine.state import RECIPROCITIES, STATUSES
from restons.models import Affiliation, Checkup, Circle, Interaction, Person
from restons.parsing import parse_duration
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services import checkups, health
from restons.services.demo import demo_count, demo_people, remove_demo_people
from restons.services.people import (
    PersonInput, add_person, add_to_circle, archive_people, delete_people, search_people,
)
from restons.web import fields
from restons.web.shortcuts import back

PER_PAGE = 50
# Sort keys; rows without a value (never touched, untracked) go last whatever the order.
SORTS = {
    "due": gettext_lazy("next due"),
    "strength": gettext_lazy("strength"),
    "touch": gettext_lazy("last touch"),
    "name": gettext_lazy("name"),
}
COMMON_CADENCES = (
    ("2w", gettext_lazy("every 2 weeks")),
    ("1m", gettext_lazy("every month")),
    ("3m", gettext_lazy("every 3 months")),
    ("6m", gettext_lazy("every 6 months")),
    ("1y", gettext_lazy("every year")),
)


class CountedPaginator(Paginator):
    """A paginator told the count: counting the filtered checkups alone avoids the rows' joins."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property


def people(request):
    """The list: today's kept checkups, searched, filtered, sorted and paginated by the database."""
    params = request.GET
    query = params.get("q", "").strip()
    circle = params.get("circle", "").strip()
    status = params.get("status", "") if params.get("status", "") in STATUSES else ""
    reciprocity = params.get("reciprocity", "") if params.get("reciprocity", "") in RECIPROCITIES else ""
    sort = params.get("sort", "due") if params.get("sort", "due") in SORTS else "due"
    archived = params.get("archived") == "1"

    found = search_people(request.user, query).values("id") if query else None
    day = timezone.localdate()
    rows = health.checkups_of(request.user, day, circle, status, reciprocity, archived, found)
    # The page's checkup ids first, from the sort's index alone (the rows skipped before a far page are
    # never joined to their people), then those 50 rows by primary key (by person, SQLite would rather
    # walk the owner's index).
    ordered = rows.order_by(*health.ORDERS[sort]).values_list("id", flat=True)
    total = None if (query or circle or status or reciprocity or archived) else checkups.listed(request.user, day)
    page = CountedPaginator(ordered, PER_PAGE, rows.count() if total is None else total).get_page(params.get("page"))
    ids = list(page)
    found_rows = {row[0]: row[1:] for row in owned(Checkup, request.user).filter(id__in=ids)
                  .values_list("id", *health.CHECKUP_FIELDS)}
    in_order = [found_rows[pk] for pk in ids if pk in found_rows]
    shown = health.rows_of(request.user, in_order, person_ids=[row[0] for row in in_order])
    # Organisations only for the rows shown: one query, whatever the page size.
    orgs: dict[int, list[str]] = {}
    for person_id, name in (owned(Affiliation, request.user).filter(person_id__in=[r["id"] for r in shown])
                            .order_by("-started_on", "organisation__name").values_list("person_id", "organisation__name")):
        orgs.setdefault(person_id, []).append(name)
    for row in shown:
        row["next_due"] = date.fromisoformat(row["next_due"]) if row["next_due"] else None
        row["last_touch"] = datetime.fromisoformat(row["last_touch"]) if row["last_touch"] else None
        row["status_label"] = labels.STATUS[row["status"]]
        row["reciprocity_label"] = labels.RECIPROCITY[row["reciprocity"]]
        row["organisations"] = orgs.get(row["id"], [])

    return render(request, "restons/people/list.html", {
        "page": page, "rows": shown, "total": page.paginator.count, "query": query, "circle": circle,
        "status": status, "reciprocity": reciprocity, "sort": sort, "archived": archived, "sorts": SORTS,
        "circles": owned(Circle, request.user).order_by("name").values_list("name", flat=True),
        "statuses": labels.STATUS.items(), "reciprocities": labels.RECIPROCITY.items(),
        "filtered": bool(query or circle or status or reciprocity), "search_max": limits.SEARCH_MAX,
        "demo_count": demo_count(request.user),
    })


@require_POST
def bulk_circle(request):
    """Add the ticked people to a circle (plain form; the list reloads with a message)."""
    ids = [value for value in request.POST.getlist("person") if value.isdigit() and len(value) <= 18]
    name = request.POST.get("circle", "")
    try:
        added = add_to_circle(request.user, ids, name)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext(
            "%(count)d person added to %(circle)s.", "%(count)d people added to %(circle)s.", added,
        ) % {"count": added, "circle": " ".join(name.split())})
    return back(request, "people")


def _ticked(request) -> list[str]:
    return [value for value in request.POST.getlist("person") if value.isdigit() and len(value) <= 18]


@require_POST
def bulk_archive(request):
    """Archive the ticked people (``archived=0``: bring them back); the list reloads with a message."""
    archived = request.POST.get("archived", "1") != "0"
    try:
        changed = archive_people(request.user, _ticked(request), archived)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, (ngettext("%(count)d person archived.", "%(count)d people archived.", changed)
                                   if archived else
                                   ngettext("%(count)d person brought back.", "%(count)d people brought back.", changed))
                         % {"count": changed})
    return back(request, "people")


@require_POST
def bulk_delete(request):
    """The ticked people: first the question (what goes with them), then, with ``confirm``, their deletion."""
    ids = _ticked(request)
    if not request.POST.get("confirm"):
        if not owned(Person, request.user).filter(id__in=ids).exists():
            messages.error(request, _("Select at least one person."))
            return back(request, "people")
        return confirm_deletion(request, ids, action=reverse("people-delete"), cancel=_next(request), bulk=True)
    try:
        deleted = delete_people(request.user, ids)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext("%(count)d person deleted, with everything about them.",
                                           "%(count)d people deleted, with everything about them.", deleted)
                         % {"count": deleted})
    return back(request, "people")


def remove_demo(request):
    """GET: the demo people and what goes with them, and a button. POST: delete exactly them."""
    if request.method == "POST":
        removed = remove_demo_people(request.user)  # UserError (400) when there are none
        messages.success(request, ngettext("%(count)d demo person removed.", "%(count)d demo people removed.", removed)
                         % {"count": removed})
        return redirect("people")
    ids = list(demo_people(request.user).values_list("id", flat=True))
    if not ids:
        messages.info(request, _("There are no demo people to remove."))
        return redirect("people")
    return confirm_deletion(request, ids, action=reverse("people-demo-remove"), cancel=reverse("people"), demo=True)


def _next(request) -> str:
    """Where the list was (its filters and page), to go back to; only a path on this site."""
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else reverse("people")


SHOWN_NAMES = 30


def confirm_deletion(request, person_ids, *, action: str, cancel: str, bulk: bool = False, demo: bool = False):
    """The page that asks before deleting people: who, how many pings go with them, and the button.

    ``bulk``: the form carries the people's ids (the person's page and the demo need none).
    """
    people = owned(Person, request.user).filter(id__in=person_ids).order_by("name", "id")
    total = people.count()
    names = list(people.values_list("name", flat=True)[:SHOWN_NAMES])
    pings = owned(Interaction, request.user).filter(person__in=people).count()
    return render(request, "restons/people/delete.html", {
        "names": names, "more": total - len(names), "total": total, "pings": pings, "action": action,
        "cancel": cancel, "ids": list(people.values_list("id", flat=True)) if bulk else [], "demo": demo,
    })


def split_values(text: str) -> list[str]:
    """Comma-, semicolon- or line-separated values, trimmed, empty ones dropped."""
    return [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


class PersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    emails = forms.CharField(label=gettext_lazy("Email addresses"), required=False,
                             help_text=gettext_lazy("Separate several with commas."))
    phones = forms.CharField(label=gettext_lazy("Phone numbers"), required=False,
                             help_text=gettext_lazy("Separate several with commas."))
    linkedin = forms.CharField(label=gettext_lazy("LinkedIn profile"), required=False,
                               widget=forms.TextInput(attrs={"placeholder": "https://www.linkedin.com/in/…"}))
    org = forms.CharField(label=gettext_lazy("Organisation"), required=False, max_length=300)
    met = fields.TextField(label=gettext_lazy("How we met"), required=False)
    met_on = fields.DateField(label=gettext_lazy("Met on"), required=False)
    interests = forms.CharField(label=gettext_lazy("Interests"), required=False,
                                help_text=gettext_lazy("Comma-separated, e.g. football, jazz, open source."))
    circles = forms.CharField(label=gettext_lazy("Circles"), required=False,
                              help_text=gettext_lazy("Comma-separated, e.g. Friends, Agency alumni."))
    every = forms.CharField(label=gettext_lazy("Cadence"), required=False,
                            help_text=gettext_lazy("How often to be in touch: 10d, 2w, 3m, 1y. Empty: the circle's."),
                            widget=forms.TextInput(attrs={"list": "cadences", "placeholder": "3m"}))
    notes = fields.TextField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_every(self):
        text = self.cleaned_data["every"].strip()
        try:
            return parse_duration(text) if text else None
        except UserError as exc:
            raise forms.ValidationError(str(exc)) from None

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            name=data["name"], emails=split_values(data["emails"]), phones=split_values(data["phones"]),
            linkedin=data["linkedin"].strip() or None, orgs=[data["org"].strip()] if data["org"].strip() else [],
            met=data["met"].strip(), met_on=data["met_on"], interests=split_values(data["interests"]),
            circles=split_values(data["circles"]), cadence_days=data["every"], notes=data["notes"].strip(),
        )


def new_person(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = add_person(request.user, form.person_input())
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            return redirect("person", person_id=person.id)
    return render(request, "restons/people/new.html", {"form": form, "cadences": COMMON_CADENCES},
                  status=400 if form.errors else 200)


urlpatterns = [
    path("people/", people, name="people"),
    path("people/new/", new_person, name="person-new"),
    path("people/circle/", bulk_circle, name="people-circle"),
    path("people/archive/", bulk_archive, name="people-archive"),
    path("people/delete/", bulk_delete, name="people-delete"),
    path("people/demo/remove/", remove_demo, name="people-demo-remove"),
]
