"""Choose people among thousands: the ticked ones, an organisation's people, and a server-side search.

The pledge and circle forms send ``people`` (ticked ids) with the rest of the
form. The picker never lists the whole network: it shows who is ticked, the
people of an organisation when asked to pre-select them, and at most
:data:`RESULTS` matches of what was typed — so the page stays small and its
query count constant whatever the number of people. With JavaScript the
search refreshes the picker in place (HTMX, the whole form included so the
ticks survive); without, its button reloads the page with a GET.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from restons.limits import SEARCH_MAX, is_id
from restons.models import Affiliation, Person
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.people import search_people

RESULTS = 20


def ticked_ids(values) -> list[int]:
    """The ids in ``values`` (a ``getlist("people")``); UserError (400) for anything that is not an id.

    Their number is bounded by Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000 fields: a 400 beyond).
    """
    if not all(is_id(value) for value in values):
        value = next(v for v in values if not is_id(v))
        raise UserError(_("%(value)r is not a person's id.") % {"value": value})
    return list(dict.fromkeys(int(value) for value in values))


def org_people(owner, org: str, exclude=None) -> list[Person]:
    """The people (not archived) with an affiliation to the organisation named ``org`` (any case)."""
    name = " ".join((org or "").split())
    if not name:
        return []
    rows = owned(Affiliation, owner).filter(organisation__name__iexact=name, person__archived=False)
    if exclude is not None:
        rows = rows.exclude(person_id__in=exclude)
    ids = rows.values("person_id")
    return list(owned(Person, owner).filter(id__in=ids).order_by("name", "id").only("id", "name"))


def picker(owner, *, ticked=(), query: str = "", org: str = "", exclude=None) -> dict:
    """What ``planning/_picker.html`` shows.

    ``ticked``: ids already ticked (another user's ids are dropped: the form's
    POST refuses them with a 404). ``org``: also tick that organisation's
    people. ``exclude``: a queryset of person ids that cannot be chosen
    (already members). Three queries at most.
    """
    query = (query or "").strip()[:SEARCH_MAX]
    chosen = []
    if ticked:
        rows = owned(Person, owner).filter(id__in=list(ticked))
        if exclude is not None:
            rows = rows.exclude(id__in=exclude)
        chosen = list(rows.order_by("name", "id").only("id", "name"))
    chosen_ids = {p.id for p in chosen}
    for person in org_people(owner, org, exclude):
        if person.id not in chosen_ids:
            chosen.append(person)
            chosen_ids.add(person.id)
    results, more = [], False
    if query:
        found = search_people(owner, query).filter(archived=False).exclude(id__in=chosen_ids)
        if exclude is not None:
            found = found.exclude(id__in=exclude)
        results = list(found.order_by("name", "id").only("id", "name")[: RESULTS + 1])
        more, results = len(results) > RESULTS, results[:RESULTS]
    return {"chosen": chosen, "results": results, "more": more, "query": query, "org": org}
