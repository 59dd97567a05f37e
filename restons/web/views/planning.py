"""Plans (events, milestones, your content, outcomes) and pledges: "let's stay in touch".

Each of the four plan kinds is described once by a :class:`Plan` (its form, how the form
maps onto the service functions, what the hub shows of it); the views are shared. Every
form works as a plain POST + redirect; the hub's inline forms and delete buttons use HTMX
to swap one section or remove one row without a reload.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from restons import labels
from restons.labels import cadence_label, pledge_progress
from restons.engine.calendar import next_occurrence
from restons.models import Content, Event, Milestone, Organisation, Outcome, Person, Pledge, PledgePerson
from restons.parsing import format_duration, parse_duration
from restons.services import about, planning
from restons.services.access import get_owned, owned
from restons.services.errors import NotFound, UserError
from restons.services.people import find_person
from restons.services.stats import pledge_report
from restons.web import fields, picker
from restons.web.shortcuts import first_of, person_of

EVENT_DAYS = 60
MILESTONE_DAYS = 30
RECENT = 8
PEOPLE_SUGGESTED = 300  # names offered in the person field's <datalist>
ORGANISATIONS_SUGGESTED = 200  # names offered in the pledge's organisation field


def _topics(text: str) -> list[str]:
    return [t for t in (text or "").split(",") if t.strip()]


def _attempt(form: forms.Form, action, field: str | None = None):
    """Run a service call; its UserError becomes a form error (NotFound stays a 404)."""
    try:
        return action()
    except NotFound:
        raise
    except UserError as exc:
        form.add_error(field, str(exc))
        return None


def _person_from(request, form: forms.Form, text: str, current: Person | None) -> Person | None:
    """The person typed in a form: unchanged text keeps the current one (names may repeat)."""
    text = (text or "").strip()
    if current is not None and text in (current.name, str(current.id)):
        return current
    return _attempt(form, lambda: find_person(request.user, text), "person")


# ---------------------------------------------------------------------------------------- forms


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    on = fields.DateField(label=gettext_lazy("Date"))
    topics = forms.CharField(label=gettext_lazy("Topics"), required=False,
                             help_text=gettext_lazy("Comma-separated, e.g. football, public relations"))
    lead_days = forms.IntegerField(label=gettext_lazy("Suggest pings this many days before"), min_value=0,
                                   max_value=365, initial=7)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    on = fields.DateField(label=gettext_lazy("Date"))
    person = forms.CharField(label=gettext_lazy("Whose"), required=False,
                             help_text=gettext_lazy("A name, email or phone number; leave empty for your own milestone"),
                             widget=forms.TextInput(attrs={"list": "people-names", "autocomplete": "off"}))
    yearly = forms.BooleanField(label=gettext_lazy("Every year"), required=False)


class ContentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    on = fields.DateField(label=gettext_lazy("Date"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Content.Kind.choices, initial=Content.Kind.NEWSLETTER)
    topics = forms.CharField(label=gettext_lazy("Topics"), required=False,
                             help_text=gettext_lazy("Comma-separated, e.g. football, public relations"))
    url = forms.CharField(label=gettext_lazy("Web address"), required=False, max_length=200,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))


class OutcomeForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Person"),
                             help_text=gettext_lazy("A name, email or phone number"),
                             widget=forms.TextInput(attrs={"list": "people-names", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=gettext_lazy("What it brought"), choices=Outcome.Kind.choices)
    at = fields.DateField(label=gettext_lazy("Date"))
    note = fields.TextField(label=gettext_lazy("Note"), required=False)


# ------------------------------------------------------------------------------ the four kinds


class Plan:
    """One kind of plan: its form, its service calls, and its section of the hub."""

    slug: str
    model: type
    form_class: type[forms.Form]
    item_template: str
    has_page = False  # a page of its own, listing the pings about it
    new_title = edit_title = all_title = heading = empty = add_label = ""

    def initial(self, obj) -> dict:
        raise NotImplementedError

    def save(self, request, form: forms.Form, obj):
        """Create (``obj`` None) or update from the valid ``form``; None when it got an error."""
        raise NotImplementedError

    def hub_items(self, owner, today: date) -> list:
        raise NotImplementedError

    def all_items(self, owner):
        """Everything, newest first: a query the "All …" page reads a page of."""
        return owned(self.model, owner).order_by("-on", "-id")

    def blank_form(self, request) -> forms.Form:
        return self.form_class(initial=self.initial(None), auto_id=f"id_{self.slug}_%s")


class EventPlan(Plan):
    slug, model, form_class = "events", Event, EventForm
    has_page = True
    item_template = "restons/planning/_event.html"
    new_title, edit_title, all_title = gettext_lazy("New event"), gettext_lazy("Edit event"), gettext_lazy("All events")
    heading = gettext_lazy("Upcoming events")
    empty = gettext_lazy("No event in the next 60 days.")
    add_label = gettext_lazy("Add an event")

    def initial(self, obj):
        if obj is None:
            return {"lead_days": 7}
        return {"title": obj.title, "on": obj.on, "topics": ", ".join(obj.topics), "lead_days": obj.lead_days}

    def save(self, request, form, obj):
        data = form.cleaned_data
        if obj is None:
            return _attempt(form, lambda: planning.add_event(request.user, data["title"], data["on"],
                                                             _topics(data["topics"]), data["lead_days"]))
        return _attempt(form, lambda: planning.update_event(request.user, obj, data["title"], data["on"],
                                                            _topics(data["topics"]), data["lead_days"]))

    def hub_items(self, owner, today):
        return list(owned(Event, owner).filter(on__gte=today, on__lte=today + timedelta(days=EVENT_DAYS))
                    .order_by("on", "id"))


class MilestonePlan(Plan):
    slug, model, form_class = "milestones", Milestone, MilestoneForm
    has_page = True
    item_template = "restons/planning/_milestone.html"
    new_title, edit_title = gettext_lazy("New milestone"), gettext_lazy("Edit milestone")
    all_title = gettext_lazy("All milestones")
    heading = gettext_lazy("Upcoming milestones")
    empty = gettext_lazy("No milestone in the next 30 days.")
    add_label = gettext_lazy("Add a milestone")

    def initial(self, obj):
        if obj is None:
            return {}
        return {"title": obj.title, "on": obj.on, "yearly": obj.yearly, "person": obj.person.name if obj.person else ""}

    def save(self, request, form, obj):
        data = form.cleaned_data
        person = None
        if data["person"].strip():
            person = _person_from(request, form, data["person"], obj.person if obj else None)
            if person is None:
                return None
        if obj is None:
            return _attempt(form, lambda: planning.add_milestone(request.user, data["title"], data["on"], person,
                                                                 data["yearly"]))
        return _attempt(form, lambda: planning.update_milestone(request.user, obj, data["title"], data["on"], person,
                                                                data["yearly"]))

    def hub_items(self, owner, today):
        """Yours and theirs in the next 30 days, yearly ones projected onto this year (or next)."""
        horizon = today + timedelta(days=MILESTONE_DAYS)
        # Everyone's birthdays are yearly milestones (thousands): their dates are read first, and only the
        # few in the next 30 days are loaded whole.
        coming = {}
        for pk, on, yearly, archived in (owned(Milestone, owner).exclude(yearly=False, on__lt=today)
                                         .exclude(on__gt=horizon).values_list("id", "on", "yearly", "person__archived")):
            when = next_occurrence(on, yearly, today)
            if when is not None and when <= horizon and not archived:
                coming[pk] = when
        upcoming = list(owned(Milestone, owner).select_related("person").filter(pk__in=list(coming)))
        for milestone in upcoming:
            milestone.next_on = coming[milestone.pk]
        return sorted(upcoming, key=lambda m: (m.next_on, m.id))

    def all_items(self, owner):
        return owned(Milestone, owner).select_related("person").order_by("-on", "-id")


class ContentPlan(Plan):
    slug, model, form_class = "content", Content, ContentForm
    has_page = True
    item_template = "restons/planning/_content.html"
    new_title, edit_title = gettext_lazy("New content"), gettext_lazy("Edit content")
    all_title = gettext_lazy("All your content")
    heading = gettext_lazy("Your recent content")
    empty = gettext_lazy("Nothing published yet: add a newsletter issue, an episode or a post.")
    add_label = gettext_lazy("Add content")

    def initial(self, obj):
        if obj is None:
            return {"kind": Content.Kind.NEWSLETTER, "on": timezone.localdate()}
        return {"title": obj.title, "on": obj.on, "kind": obj.kind, "topics": ", ".join(obj.topics), "url": obj.url}

    def save(self, request, form, obj):
        data = form.cleaned_data
        args = (data["title"], data["on"], data["kind"], _topics(data["topics"]), data["url"])
        if obj is None:
            return _attempt(form, lambda: planning.add_content(request.user, *args))
        return _attempt(form, lambda: planning.update_content(request.user, obj, *args))

    def hub_items(self, owner, today):
        return list(owned(Content, owner).order_by("-on", "-id")[:RECENT])


class OutcomePlan(Plan):
    slug, model, form_class = "outcomes", Outcome, OutcomeForm
    item_template = "restons/planning/_outcome.html"
    new_title, edit_title = gettext_lazy("New outcome"), gettext_lazy("Edit outcome")
    all_title = gettext_lazy("What staying in touch brought")
    heading = gettext_lazy("Recent outcomes")
    empty = gettext_lazy("No outcome yet: log a referral, a client, an introduction or a friendship.")
    add_label = gettext_lazy("Log an outcome")

    def initial(self, obj):
        if obj is None:
            return {"at": timezone.localdate()}
        return {"person": obj.person.name, "kind": obj.kind, "at": obj.at, "note": obj.note}

    def save(self, request, form, obj):
        data = form.cleaned_data
        person = _person_from(request, form, data["person"], obj.person if obj else None)
        if person is None:
            return None
        if obj is None:
            return _attempt(form, lambda: planning.add_outcome(request.user, person, data["kind"], data["at"],
                                                               data["note"]))
        return _attempt(form, lambda: planning.update_outcome(request.user, obj, person, data["kind"], data["at"],
                                                              data["note"]))

    def hub_items(self, owner, today):
        return list(owned(Outcome, owner).select_related("person").order_by("-at", "-id")[:RECENT])

    def all_items(self, owner):
        return list(owned(Outcome, owner).select_related("person").order_by("-at", "-id"))


PLANS = {plan.slug: plan for plan in (EventPlan(), MilestonePlan(), ContentPlan(), OutcomePlan())}


def _people_names(owner) -> list[str]:
    """Names for the person field's suggestions: the most recently touched people first."""
    return list(owned(Person, owner).filter(archived=False)
                .order_by("-last_touch_at", "name").values_list("name", flat=True)[:PEOPLE_SUGGESTED])


# A section of the hub shows this many items; "See all" lists the rest (at 20,000 people, the next 30 days
# hold hundreds of birthdays).
HUB_ITEMS = 20


def _section(request, plan: Plan, form: forms.Form | None = None) -> dict:
    items = plan.hub_items(request.user, timezone.localdate())
    items, more = first_of(items, HUB_ITEMS)
    return {"plan": plan, "items": items, "more": more,
            "form": form or plan.blank_form(request)}


# ------------------------------------------------------------------------------- plan views


def hub(request):
    sections = [_section(request, plan) for plan in PLANS.values()]
    return render(request, "restons/planning/hub.html", {
        "sections": sections, "people_names": _people_names(request.user), "today": timezone.localdate(),
    })


# "All …" pages show this many a page (everyone's birthday is a milestone: 20,000 people, 20,000 rows).
PLAN_PAGE = 50


def plan_list(request, plan: Plan):
    context = {"plan": plan, "items": plan.all_items(request.user), "today": timezone.localdate()}
    if plan.slug != "outcomes":  # (outcomes are logged by hand, and shown by kind: one page)
        page = Paginator(context["items"], PLAN_PAGE).get_page(request.GET.get("page"))
        context.update(page=page, items=page.object_list)
    if plan.slug == "outcomes":
        by_kind = {kind: [] for kind in Outcome.Kind}
        for outcome in context["items"]:
            by_kind[Outcome.Kind(outcome.kind)].append(outcome)
        context["groups"] = [(kind.label, items) for kind, items in by_kind.items() if items]
        return render(request, "restons/planning/outcomes.html", context)
    return render(request, "restons/planning/list.html", context)


def plan_new(request, plan: Plan):
    """GET: the form (``?person=ID`` fills in the person). POST: create, then back to the hub.

    An HTMX POST (the hub's inline form) gets the hub section back, with the new row or the errors.
    """
    if request.method == "POST":
        form = plan.form_class(request.POST, auto_id=f"id_{plan.slug}_%s")
        made = plan.save(request, form, None) if form.is_valid() else None
        if request.htmx:
            context = _section(request, plan, None if made else form)
            context["added"] = made
            return render(request, "restons/planning/_section.html", context)
        if made is not None:
            messages.success(request, _("Saved."))
            return redirect("plans")
    else:
        initial = plan.initial(None)
        if "person" in plan.form_class.base_fields and request.GET.get("person"):
            initial["person"] = person_of(request, request.GET["person"]).name
        form = plan.form_class(initial=initial, auto_id=f"id_{plan.slug}_%s")
    return render(request, "restons/planning/edit.html", {
        "plan": plan, "form": form, "title": plan.new_title, "people_names": _people_names(request.user),
    })


def plan_edit(request, plan: Plan, pk: int):
    obj = get_owned(plan.model, request.user, pk=pk)
    if request.method == "POST":
        form = plan.form_class(request.POST, auto_id=f"id_{plan.slug}_%s")
        if form.is_valid() and plan.save(request, form, obj) is not None:
            messages.success(request, _("Saved."))
            return redirect("plans")
    else:
        form = plan.form_class(initial=plan.initial(obj), auto_id=f"id_{plan.slug}_%s")
    return render(request, "restons/planning/edit.html", {
        "plan": plan, "form": form, "obj": obj, "title": plan.edit_title,
        "people_names": _people_names(request.user),
    })


def plan_page(request, plan: Plan, pk: int):
    """One event, milestone or piece of content, with the pings about it.

    Content: who engaged (their messages about it) and whom you sent it to. Your milestone:
    who noticed it, and the messages of the 30 days after it to confirm or dismiss.
    """
    obj = get_owned(plan.model, request.user, pk=pk)
    return render(request, "restons/planning/item.html", _item_context(request, plan, obj))


SUGGESTIONS_SHOWN = 30  # "who noticed" suggestions on a milestone's page; a decision brings the next one in


def _item_context(request, plan: Plan, obj) -> dict:
    pings = about.pings_about(request.user, obj)
    for ping in pings:
        ping["at"] = datetime.fromisoformat(ping["at"])
    context = {
        "plan": plan, "obj": obj, "today": timezone.localdate(),
        "from_them": [p for p in pings if p["direction"] != "out"], "from_you": [p for p in pings if p["direction"] == "out"],
    }
    if isinstance(obj, Milestone) and obj.person_id is None:
        report = about.milestone_noticed(request.user, obj, timezone.localdate())
        if report is not None:
            report["on"] = date.fromisoformat(report["on"])
            # A busy month brings messages from thousands: the first ones to decide on, and how many more.
            report["suggested"], report["more"] = first_of(report["suggested"], SUGGESTIONS_SHOWN)
            for suggestion in report["suggested"]:
                suggestion["at"] = datetime.fromisoformat(suggestion["at"])
        context["noticed"] = report
    return context


@require_POST
def noticed_decide(request, pk: int, person_id: int, decision: str):
    """Confirm (link the ping) or dismiss one suggestion of "who noticed" your milestone."""
    milestone = get_owned(Milestone, request.user, pk=pk, person__isnull=True)
    person = person_of(request, person_id)
    if decision == "confirm":
        about.confirm_noticed(request.user, milestone, person)
    else:
        about.dismiss_noticed(request.user, milestone, person)
    if request.htmx:  # the section, and the messages about it (a confirmed one is now among them)
        context = {**_item_context(request, PLANS["milestones"], milestone), "oob": True}
        return render(request, "restons/planning/_noticed_update.html", context)
    return redirect("plans-milestones-page", pk=milestone.pk)


@require_POST
def plan_delete(request, plan: Plan, pk: int):
    obj = get_owned(plan.model, request.user, pk=pk)
    planning.delete(request.user, obj)
    if request.htmx:
        return HttpResponse("")  # the row disappears
    messages.success(request, _("Deleted."))
    return redirect("plans")


# ------------------------------------------------------------------------------------ pledges

CADENCES = ("2w", "1m", "3m", "6m", "1y")


def _cadence_choices(current: int | None) -> list[tuple[str, str]]:
    choices = [(value, cadence_label(parse_duration(value))) for value in CADENCES]
    if current and current not in {parse_duration(value) for value in CADENCES}:
        choices.insert(0, (format_duration(current), cadence_label(current)))
    return choices


class CadenceMixin:
    """The ``every`` field: a select of common cadences (plus the current one), parsed as a DURATION."""

    def __init__(self, *args, current_cadence: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["every"].widget = forms.Select(choices=_cadence_choices(current_cadence))

    def clean_every(self):
        try:
            return parse_duration(self.cleaned_data["every"])
        except UserError as exc:
            raise forms.ValidationError(str(exc)) from None


class PledgeForm(CadenceMixin, forms.Form):
    # Naming the organisation ticks its people (HTMX; without JavaScript, the Find button does it).
    org = forms.CharField(label=gettext_lazy("Organisation"), max_length=300, widget=forms.TextInput(attrs={
        "list": "organisation-names", "autocomplete": "off", "hx-get": "/pledges/pick/", "hx-trigger": "change",
        "hx-include": "closest form", "hx-target": "next .picker-list", "hx-swap": "outerHTML",
        "hx-vals": '{"preselect": "1"}'}))
    on = fields.DateField(label=gettext_lazy("Leaving date"))
    every = forms.CharField(label=gettext_lazy("Stay in touch"))


class PledgeEditForm(CadenceMixin, forms.Form):
    on = fields.DateField(label=gettext_lazy("Leaving date"))
    every = forms.CharField(label=gettext_lazy("Stay in touch"))
    ended_on = fields.DateField(label=gettext_lazy("Ended on"), required=False,
                                help_text=gettext_lazy("Leave empty while the pledge lasts."))


def _picked_people(request) -> list[Person]:
    """The people ticked in the form; NotFound (404) when one is not the user's, UserError (400) for a value
    that is no id: nothing is written."""
    ids = set(picker.ticked_ids(request.POST.getlist("people")))
    people = list(owned(Person, request.user).filter(id__in=ids).order_by("name", "id"))
    if len(people) != len(ids):
        raise NotFound(_("No such person."))
    return people


def _organisation_names(owner) -> list[str]:
    """Organisations for the pledge form's suggestions: those with the most people first."""
    return list(owned(Organisation, owner).annotate(n=Count("affiliations")).order_by("-n", "name")
                .values_list("name", flat=True)[:ORGANISATIONS_SUGGESTED])


def _picker_context(request, params, *, pledge: Pledge | None = None, ticked=None, preselect: bool = False) -> dict:
    """The people picker of the new-pledge form (``pledge`` None) or of a pledge's "Add people"."""
    exclude = None
    if pledge is not None:
        exclude = owned(PledgePerson, request.user).filter(pledge=pledge).values("person_id")
    chosen = picker.picker(
        request.user, ticked=picker.ticked_ids(params.getlist("people")) if ticked is None else ticked,
        query=params.get("q", ""), org=params.get("org", "") if preselect else "", exclude=exclude)
    base = f"/pledges/{pledge.id}/" if pledge else "/pledges/"
    return {"picker": chosen, "pick_url": f"{base}pick/", "search_action": f"{base}#add-people" if pledge else base,
            "picker_hint": _("Type a name to find people.") if pledge else
            _("Name the organisation to tick its people, or find people by name.")}


@require_GET
def pledge_pick(request, pk: int | None = None):
    """The picker's list, refreshed as the user types or names the organisation (HTMX)."""
    item = get_owned(Pledge, request.user, pk=pk) if pk is not None else None
    context = _picker_context(request, request.GET, pledge=item, preselect=request.GET.get("preselect") == "1")
    return render(request, "restons/planning/_picker_list.html", context)


def _with_percentages(entry: dict) -> dict:
    """``percent`` (None while the first-ping window is open, with ``progress`` saying how far you got)."""
    entry["percent"] = round(entry["adherence"] * 100) if entry["adherence"] is not None else None
    entry["progress"] = pledge_progress(entry)
    for quarter in entry["quarters"]:
        quarter["label"] = labels.quarter(quarter["quarter"])
        quarter["percent"] = round(100 * quarter["kept"] / quarter["people"]) if quarter["people"] else 100
    entry["cadence"] = cadence_label(entry["cadence_days"])
    entry["on_date"] = date.fromisoformat(entry["on"])
    entry["first_ping_date"] = date.fromisoformat(entry["first_ping_by"])
    return entry


def pledges(request):
    """The pledges and the new-pledge form.

    A GET may carry the form's fields (the Find button without JavaScript, or a
    link such as ``?org=Acme``, which ticks Acme's people).
    """
    today = timezone.localdate()
    params = request.GET
    initial = {"on": today, "every": "3m"}
    initial.update({key: params[key] for key in ("org", "on", "every") if params.get(key)})
    form = PledgeForm(request.POST or None, initial=initial)
    picked = []
    if request.method == "POST":
        params = request.POST
        picked = _picked_people(request)
        if form.is_valid():
            data = form.cleaned_data
            made = _attempt(form, lambda: planning.leave(request.user, data["org"], data["on"], picked, data["every"]))
            if made is not None:
                messages.success(request, _("Pledge saved. The first pings will show on Today."))
                return redirect("pledge", pk=made.pk)
    report = [_with_percentages(entry) for entry in pledge_report(request.user, today)]
    ended = dict(owned(Pledge, request.user).values_list("id", "ended_on"))
    for entry in report:
        entry["ended_on"] = ended.get(entry["id"])
    arriving = request.method == "GET" and "people" not in params and "q" not in params
    context = _picker_context(request, params, ticked=[p.id for p in picked] if picked else None,
                              preselect=arriving)
    return render(request, "restons/planning/pledges.html", {
        "report": report, "form": form, "organisation_names": _organisation_names(request.user), **context,
    })


def pledge(request, pk: int):
    item = get_owned(Pledge, request.user, pk=pk)
    initial = {"on": item.on, "every": format_duration(item.cadence_days), "ended_on": item.ended_on}
    form = PledgeEditForm(request.POST or None, initial=initial, current_cadence=item.cadence_days)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(form, lambda: planning.update_pledge(request.user, item, data["on"], data["every"],
                                                         data["ended_on"])) is not None:
            messages.success(request, _("Pledge saved."))
            return redirect("pledge", pk=item.pk)
        item.refresh_from_db()
    return render(request, "restons/planning/pledge.html", _pledge_context(request, item, form))


def _pledge_context(request, item: Pledge, form: forms.Form | None = None) -> dict:
    report = next(e for e in pledge_report(request.user, timezone.localdate()) if e["id"] == item.id)
    members = list(owned(PledgePerson, request.user).filter(pledge=item).select_related("person")
                   .order_by("person__name", "person_id"))
    # "Add people" keeps what the Find button (no JavaScript) sent; after adding, it starts empty.
    params = request.GET if request.method == "GET" else {}
    context = _picker_context(request, request.GET, pledge=item, ticked=None if params else [])
    return {
        "pledge": item, "leaving": labels.leaving(item.organisation.name), "entry": _with_percentages(report), "form": form, "members": [m.person for m in members],
        "today": timezone.localdate(), "adding": bool(params.get("q") or params.get("people")), **context,
    }


@require_POST
def pledge_add_people(request, pk: int):
    item = get_owned(Pledge, request.user, pk=pk)
    added = planning.add_pledged(request.user, item, _picked_people(request))
    if request.htmx:
        return render(request, "restons/planning/_pledge_people.html", {**_pledge_context(request, item), "oob": True})
    messages.success(request, ngettext("One person added.", "%(n)d people added.", added) % {"n": added})
    return redirect("pledge", pk=item.pk)


@require_POST
def pledge_remove_person(request, pk: int, person_id: int):
    item = get_owned(Pledge, request.user, pk=pk)
    person = person_of(request, person_id)
    planning.remove_pledged(request.user, item, person)
    if request.htmx:
        return render(request, "restons/planning/_pledge_people.html", {**_pledge_context(request, item), "oob": True})
    return redirect("pledge", pk=item.pk)


@require_POST
def pledge_end(request, pk: int):
    item = get_owned(Pledge, request.user, pk=pk)
    planning.end_pledge(request.user, item)
    messages.success(request, _("Pledge ended: it no longer counts from tomorrow."))
    return redirect("pledge", pk=item.pk)


@require_POST
def pledge_delete(request, pk: int):
    item = get_owned(Pledge, request.user, pk=pk)
    planning.delete(request.user, item)
    messages.success(request, _("Pledge deleted."))
    return redirect("pledges")


def _plan_routes() -> list:
    routes = []
    for slug, plan in PLANS.items():
        routes += [
            path(f"plans/{slug}/", plan_list, {"plan": plan}, name=f"plans-{slug}"),
            path(f"plans/{slug}/new/", plan_new, {"plan": plan}, name=f"plans-{slug}-new"),
            path(f"plans/{slug}/<int:pk>/edit/", plan_edit, {"plan": plan}, name=f"plans-{slug}-edit"),
            path(f"plans/{slug}/<int:pk>/delete/", plan_delete, {"plan": plan}, name=f"plans-{slug}-delete"),
        ]
        if plan.has_page:
            routes.append(path(f"plans/{slug}/<int:pk>/", plan_page, {"plan": plan}, name=f"plans-{slug}-page"))
    return routes


urlpatterns = [
    path("plans/", hub, name="plans"),
    *_plan_routes(),
    path("plans/milestones/<int:pk>/noticed/<int:person_id>/confirm/", noticed_decide, {"decision": "confirm"},
         name="noticed-confirm"),
    path("plans/milestones/<int:pk>/noticed/<int:person_id>/dismiss/", noticed_decide, {"decision": "dismiss"},
         name="noticed-dismiss"),
    path("pledges/", pledges, name="pledges"),
    path("pledges/pick/", pledge_pick, name="pledges-pick"),
    path("pledges/<int:pk>/pick/", pledge_pick, name="pledge-pick"),
    path("pledges/<int:pk>/", pledge, name="pledge"),
    path("pledges/<int:pk>/people/", pledge_add_people, name="pledge-add-people"),
    path("pledges/<int:pk>/people/<int:person_id>/remove/", pledge_remove_person, name="pledge-remove-person"),
    path("pledges/<int:pk>/end/", pledge_end, name="pledge-end"),
    path("pledges/<int:pk>/delete/", pledge_delete, name="pledge-delete"),
]
