"""Duplicates: suggest likely ones, and merge two people into one with nothing lost.

Exact identity matches never need a suggestion (importers attach them to the
same person). Names only *suggest*: the same name with different identities,
or similar names at the same organisation. The user accepts or rejects.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from restons.identities import name_key
from restons.models import (
    Affiliation, DismissedNotice, Identity, Interaction, Interest, Membership, MergeSuggestion, Milestone, Outcome, Person,
    PledgePerson, SourceRecord,
)
from restons.services.access import get_owned, owned
from restons.services.errors import UserError
from restons.services.interactions import refresh_summaries

SIMILAR_NAME_SCORE = 88  # rapidfuzz token_sort_ratio, 0–100
SHORT_FORM_PREFIX = 3  # "Kate"/"Katherine", "Chris"/"Christopher": same surname, first names start alike


def _short_form_key(name: str) -> tuple[str, str] | None:
    """(surname, start of the first name): two people at one organisation with the same key are
    likely one person under a short and a long first name, which edit-distance scores miss
    (token_sort_ratio("Kate Smith", "Katherine Smith") is only 80)."""
    parts = name_key(name).replace(".", " ").split()
    if len(parts) < 2 or len(parts[0]) < SHORT_FORM_PREFIX:
        return None
    return parts[-1], parts[0][:SHORT_FORM_PREFIX]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def suggest_duplicates(owner, person_ids) -> int:
    """Create pending suggestions for ``person_ids`` against everyone else; returns how many are new.

    A pair already suggested (pending or rejected) is never suggested again.
    """
    new_ids = set(person_ids)
    if not new_ids:
        return 0
    names = dict(owned(Person, owner).filter(archived=False).values_list("id", "name"))
    by_key = defaultdict(list)
    for pid, name in names.items():
        by_key[name_key(name)].append(pid)
    found: dict[tuple[int, int], tuple[str, str, int]] = {}  # pair -> (reason, organisation, score)
    for pid in new_ids & names.keys():
        for other in by_key[name_key(names[pid])]:
            if other != pid:
                found.setdefault(_pair(pid, other), (MergeSuggestion.Reason.SAME_NAME, "", 100))
    # Similar names at the same organisation ("Kate Smith" and "Katherine Smith" at Acme).
    members = defaultdict(list)
    org_names = {}
    for pid, org_id, org_name in owned(Affiliation, owner).values_list("person_id", "organisation_id", "organisation__name"):
        if pid in names:
            members[org_id].append(pid)
            org_names[org_id] = org_name
    for org_id, people in members.items():
        fresh = [p for p in people if p in new_ids]
        if not fresh or len(people) < 2:
            continue
        reason = (MergeSuggestion.Reason.SIMILAR_AT_ORG, org_names[org_id][:300])
        choices = {p: names[p] for p in people}
        for pid in fresh:
            for _match, score, other in process.extract(
                names[pid], choices, scorer=fuzz.token_sort_ratio, processor=utils.default_process,
                score_cutoff=SIMILAR_NAME_SCORE, limit=None,
            ):
                if other != pid:
                    found.setdefault(_pair(pid, other), (*reason, round(score)))
        short_forms = defaultdict(list)
        for p in people:
            if key := _short_form_key(names[p]):
                short_forms[key].append(p)
        for pid in fresh:
            key = _short_form_key(names[pid])
            for other in short_forms[key] if key else ():
                if other != pid:
                    score = fuzz.token_sort_ratio(names[pid], names[other], processor=utils.default_process)
                    found.setdefault(_pair(pid, other), (*reason, round(score)))
    if not found:
        return 0
    known = set(
        owned(MergeSuggestion, owner)
        .filter(person_a_id__in={a for a, _b in found})
        .values_list("person_a_id", "person_b_id")
    )
    rows = [
        MergeSuggestion(owner=owner, person_a_id=a, person_b_id=b, reason=reason, organisation=org, score=score)
        for (a, b), (reason, org, score) in found.items()
        if (a, b) not in known
    ]
    MergeSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def pending_suggestions(owner) -> list[dict]:
    rows = (
        owned(MergeSuggestion, owner)
        .filter(status=MergeSuggestion.Status.PENDING)
        .select_related("person_a", "person_b")
        .order_by("-score", "id")
    )
    return [
        {"id": s.id, "reason": s.reason_text(), "reason_code": s.reason, "score": s.score,
         "people": [{"id": s.person_a.id, "name": s.person_a.name}, {"id": s.person_b.id, "name": s.person_b.name}]}
        for s in rows
    ]


def _move_unique(model, owner, keep: Person, drop: Person, fields: tuple[str, ...]) -> None:
    """Re-point ``drop``'s rows of ``model`` to ``keep``, dropping those ``keep`` already has."""
    have = set(owned(model, owner).filter(person=keep).values_list(*fields))
    for row in owned(model, owner).filter(person=drop):
        key = tuple(getattr(row, f) for f in fields)
        if key in have:
            row.delete()
        else:
            have.add(key)
            row.person = keep
            row.save(update_fields=["person"])


def _fill_titles(owner, keep: Person, drop: Person) -> None:
    """Where both worked at one organisation and only ``drop`` knows the title, keep it."""
    titles = dict(
        owned(Affiliation, owner).filter(person=drop).exclude(title="").values_list("organisation_id", "title")
    )
    for affiliation in owned(Affiliation, owner).filter(person=keep, title="", organisation_id__in=titles):
        affiliation.title = titles[affiliation.organisation_id]
        affiliation.save(update_fields=["title"])


def merge_people(owner, keep: Person, drop: Person) -> Person:
    """Fold ``drop`` into ``keep``: every identity, interaction, interest, circle, organisation,
    milestone, outcome, pledge and import record of both is kept; ``drop`` is deleted."""
    if keep.pk == drop.pk:
        raise UserError(_("A person cannot be merged with themselves."))
    with transaction.atomic():
        for model in (Identity, Interaction, Outcome, SourceRecord):
            owned(model, owner).filter(person=drop).update(person=keep)
        # The same birthday imported from two address books is one milestone, not two.
        _move_unique(Milestone, owner, keep, drop, ("title", "on", "yearly"))
        _move_unique(Interest, owner, keep, drop, ("topic",))
        _move_unique(Membership, owner, keep, drop, ("circle_id",))
        _fill_titles(owner, keep, drop)
        _move_unique(Affiliation, owner, keep, drop, ("organisation_id",))
        _move_unique(PledgePerson, owner, keep, drop, ("pledge_id",))
        _move_unique(DismissedNotice, owner, keep, drop, ("milestone_id", "on"))
        for attr in ("met_how", "met_on", "met_where", "cadence_days"):
            if not getattr(keep, attr) and getattr(drop, attr):
                setattr(keep, attr, getattr(drop, attr))
        dates = [d for d in (keep.connected_on, drop.connected_on) if d]
        keep.connected_on = min(dates) if dates else None
        if drop.notes and drop.notes not in keep.notes:
            keep.notes = f"{keep.notes}\n{drop.notes}".strip()
        keep.created_at = min(keep.created_at, drop.created_at)
        keep.save()
        # Suggestions about drop now concern keep, unless keep already has that pair.
        for suggestion in owned(MergeSuggestion, owner).filter(Q(person_a=drop) | Q(person_b=drop)):
            other = suggestion.person_b_id if suggestion.person_a_id == drop.pk else suggestion.person_a_id
            if other == keep.pk:
                continue
            a, b = _pair(keep.pk, other)
            try:
                with transaction.atomic():
                    owned(MergeSuggestion, owner).filter(pk=suggestion.pk).update(person_a_id=a, person_b_id=b)
            except IntegrityError:
                # keep and other already have a suggestion. If the user said drop is not other,
                # keep is not other either: the rejection must survive, or the pair comes back.
                if suggestion.status == MergeSuggestion.Status.REJECTED:
                    owned(MergeSuggestion, owner).filter(person_a_id=a, person_b_id=b).update(
                        status=MergeSuggestion.Status.REJECTED
                    )
                suggestion.delete()
        drop.delete()
        refresh_summaries(owner, [keep.pk])
    return keep


def decide(owner, suggestion_id: int, accept: bool) -> Person | None:
    """Accept (merge, keeping the older person) or reject a pending suggestion.

    Accepting leaves no suggestion row behind: the duplicate is deleted, and its suggestions with it.
    """
    suggestion = get_owned(MergeSuggestion, owner, pk=suggestion_id, status=MergeSuggestion.Status.PENDING)
    if not accept:
        suggestion.status = MergeSuggestion.Status.REJECTED
        suggestion.save(update_fields=["status"])
        return None
    return merge_people(owner, suggestion.person_a, suggestion.person_b)
