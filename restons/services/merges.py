"""Duplicates: suggest likely ones, and merge two people into one with nothing lost.

Exact identity matches never need a suggestion (importers attach them to the
same person). Names only *suggest*: the same name with different identities,
or similar names at the same organisation. The user accepts or rejects.

Suggesting stays bounded whatever the address book holds (docs/duplicates.md):
people are compared only within a block (the same name key; the members of
one organisation), similar names are scored with one ``rapidfuzz.process.cdist``
per organisation, each block gives at most :data:`MAX_PER_BLOCK` suggestions
and each person at most :data:`MAX_PER_PERSON`, and placeholder names
("LinkedIn Member", "Unknown", a bare number or address) count as no name.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils import timezone
from rapidfuzz import fuzz, utils

from restons.identities import name_key
from restons.models import (
    Affiliation, DismissedNotice, Identity, Interaction, Interest, Membership, MergeSuggestion, Milestone, Organisation,
    Outcome, Person, PledgePerson, SourceRecord,
)
from restons.services.access import get_owned, owned
from restons.services.errors import UserError
from restons.services.prepared import table
from restons.services.interactions import refresh_summaries

SIMILAR_NAME_SCORE = 88  # rapidfuzz token_sort_ratio, 0–100
SHORT_FORM_PREFIX = 3  # "Kate"/"Katherine", "Chris"/"Christopher": same surname, first names start alike
# At most this many new suggestions come from one block (one name, or one organisation): 300 people
# called "Jean Martin" are 300 people, not 44,850 pairs to review.
MAX_PER_BLOCK = 50
# At most this many suggestions (pending or rejected, old ones included) name one person.
MAX_PER_PERSON = 5
# An organisation whose new members times all members exceeds this many name comparisons is split by
# the initial of the surname (a typo in that letter is then missed); one cdist never exceeds it.
MAX_CELLS = 4_000_000

# Names that name nobody: what exports write when they do not know (compared by name key).
PLACEHOLDER_NAMES = frozenset({
    "", "linkedin member", "membre linkedin", "linkedin-mitglied", "miembro de linkedin", "unknown", "inconnu",
    "inconnue", "unbekannt", "desconocido", "anonymous", "anonyme", "no name", "noname", "sans nom", "(no name)",
    "unknown contact", "contact", "user", "utilisateur", "n/a", "na", "none", "null", "-", "?",
})
_NO_LETTER = re.compile(r"^[\W\d_]*$")
_ADDRESS = re.compile(r"^\S+@\S+$|^(?:https?://|www\.)\S+$", re.IGNORECASE)


def is_placeholder(name: str, key: str | None = None) -> bool:
    """True when ``name`` names nobody: empty, a placeholder ("LinkedIn Member", "Unknown"), no letter at
    all (a phone number, "???"), or an email or web address used as the name. ``key``: its name key if known."""
    key = name_key(name or "") if key is None else key
    return key in PLACEHOLDER_NAMES or bool(_NO_LETTER.match(key)) or bool(_ADDRESS.match(key))


@functools.lru_cache(maxsize=65536)
def _named_key(name: str) -> str | None:
    """``name``'s key, or None for a placeholder. (An import suggests batch after batch, each time over
    everyone the owner has: their names are keyed once.)"""
    key = name_key(name)
    return None if is_placeholder(name, key) else key


def _short_form_key(name: str, key: str | None = None) -> tuple[str, str] | None:
    """(surname, start of the first name): two people at one organisation with the same key are
    likely one person under a short and a long first name, which edit-distance scores miss
    (token_sort_ratio("Kate Smith", "Katherine Smith") is only 80)."""
    parts = (name_key(name) if key is None else key).replace(".", " ").split()
    if len(parts) < 2 or len(parts[0]) < SHORT_FORM_PREFIX:
        return None
    return parts[-1], parts[0][:SHORT_FORM_PREFIX]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class _Found:
    """Suggested pairs within the caps per block and per person. Pairs already suggested (pending or
    rejected) count towards both caps, so running again never adds more to a full block."""

    def __init__(self, known: set[tuple[int, int]]):
        self.known = known
        self.pairs: dict[tuple[int, int], tuple[str, str, int]] = {}  # pair -> (reason, organisation, score)
        self.per_person: dict[int, int] = defaultdict(int)
        self.partners: dict[int, set[int]] = defaultdict(set)
        for a, b in known:
            self.per_person[a] += 1
            self.per_person[b] += 1
            self.partners[a].add(b)
            self.partners[b].add(a)

    def block(self, candidates, members: list[int], reason: str, organisation: str = "") -> None:
        """Add the block's ``candidates`` ((score, a, b), best first) until the block's cap."""
        inside = set(members)
        added = sum(len(self.partners[p] & inside) for p in members if p in self.partners) // 2
        for score, a, b in candidates:
            if added >= MAX_PER_BLOCK:
                return
            pair = _pair(a, b)
            if pair in self.pairs or pair in self.known:
                continue
            if self.per_person[a] >= MAX_PER_PERSON or self.per_person[b] >= MAX_PER_PERSON:
                continue
            self.pairs[pair] = (reason, organisation, round(score))
            self.per_person[a] += 1
            self.per_person[b] += 1
            added += 1


def suggest_duplicates(owner, person_ids) -> int:
    """Create pending suggestions for ``person_ids`` against everyone else; returns how many are new.

    A pair already suggested (pending or rejected) is never suggested again. People with a
    placeholder name (:func:`is_placeholder`) are never suggested on their name.
    """
    new_ids = set(person_ids)
    if not new_ids:
        return 0
    names, keys = {}, {}
    for pid, name in _select(owner, f"SELECT id, name FROM {_table(Person)} WHERE owner_id = %s AND NOT archived"):
        key = _named_key(name)
        if key is not None:
            names[pid], keys[pid] = name, key
    fresh_ids = new_ids & names.keys()
    if not fresh_ids:
        return 0
    # Every pair already suggested: the caps keep them few (at most MAX_PER_PERSON / 2 per person).
    found = _Found(set(_select(owner, f"SELECT person_a_id, person_b_id FROM {_table(MergeSuggestion)} "
                                      f"WHERE owner_id = %s")))

    # The same name: one block per name key that holds someone new.
    by_key = defaultdict(list)
    for pid, key in keys.items():
        by_key[key].append(pid)
    for key in sorted({keys[pid] for pid in fresh_ids}):
        people = sorted(by_key[key])
        if len(people) < 2:
            continue
        fresh = [p for p in people if p in fresh_ids]
        found.block(((100, p, o) for p in fresh for o in people if o != p), people, MergeSuggestion.Reason.SAME_NAME)

    # Similar names at the same organisation ("Kate Smith" and "Katherine Smith" at Acme): one block
    # per organisation that holds someone new, scored with one cdist.
    members = defaultdict(set)
    org_names = {}
    for pid, org_id, org_name in _select(
            owner, f"SELECT a.person_id, a.organisation_id, o.name FROM {_table(Affiliation)} a "
                   f"JOIN {_table(Organisation)} o ON o.id = a.organisation_id WHERE a.owner_id = %s"):
        if pid in names:
            members[org_id].add(pid)
            org_names[org_id] = org_name
    for org_id in sorted(members):
        people = sorted(members[org_id])
        fresh = [p for p in people if p in fresh_ids]
        if not fresh or len(people) < 2:
            continue
        if len(fresh) * len(people) > MAX_CELLS:
            parts = defaultdict(list)
            for p in people:
                parts[keys[p].rsplit(" ", 1)[-1][:1]].append(p)
            blocks = list(parts.values())
        else:
            blocks = [people]
        for block in blocks:
            fresh = [p for p in block if p in fresh_ids]
            if fresh and len(block) > 1:
                found.block(_similar(fresh, block, names, keys), block, MergeSuggestion.Reason.SIMILAR_AT_ORG,
                            org_names[org_id][:300])
    if not found.pairs:
        return 0
    # One prepared statement, no model instances (an import of a mailbox can suggest thousands).
    now = timezone.now()
    return table(MergeSuggestion, ("owner_id", "person_a_id", "person_b_id", "reason", "organisation", "score",
                                   "created_at"), ignore_conflicts=True).insert(
        (owner.pk, a, b, reason, org, score, now) for (a, b), (reason, org, score) in found.pairs.items())


def _similar(fresh: list[int], people: list[int], names: dict[int, str],
             keys: dict[int, str]) -> list[tuple[float, int, int]]:
    """(score, new person, other) of the similar names in one organisation, best first."""
    from rapidfuzz.process import cdist

    candidates: dict[tuple[int, int], float] = {}
    # token_sort_ratio is fuzz.ratio of the processed names with their words sorted: sorted once per
    # person here, not once per pair inside cdist.
    sorted_names = {p: _sorted_words(names[p]) for p in people}
    choices = [sorted_names[p] for p in people]
    step = max(1, MAX_CELLS // len(people))  # rows per cdist, so that one never exceeds MAX_CELLS cells
    for start in range(0, len(fresh), step):
        rows_of = fresh[start:start + step]
        scores = cdist([sorted_names[p] for p in rows_of], choices, scorer=fuzz.ratio,
                       score_cutoff=SIMILAR_NAME_SCORE, dtype="uint8", workers=1)
        rows, columns = scores.nonzero()
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            if rows_of[row] != people[column]:
                candidates.setdefault(_pair(rows_of[row], people[column]), float(scores[row, column]))
    short_forms = defaultdict(list)
    for p in people:
        if key := _short_form_key(names[p], keys[p]):
            short_forms[key].append(p)
    for pid in fresh:
        key = _short_form_key(names[pid], keys[pid])
        others = short_forms[key] if key else ()
        if len(others) > MAX_PER_BLOCK:  # a common surname and first syllable: no signal
            continue
        for other in others:
            if other != pid and _pair(pid, other) not in candidates:
                candidates[_pair(pid, other)] = fuzz.ratio(sorted_names[pid], sorted_names[other])
    return sorted(((score, a, b) for (a, b), score in candidates.items()), key=lambda c: (-c[0], c[1], c[2]))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _select(owner, sql: str) -> list[tuple]:
    """Rows of ``sql`` (one ``%s``: the owner's id) as plain tuples: the ORM's per-row work was a good
    part of suggesting after a large import, which reads every person and affiliation."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner.pk])
        return cursor.fetchall()


def _sorted_words(name: str) -> str:
    """What ``fuzz.token_sort_ratio(…, processor=utils.default_process)`` compares of ``name``."""
    return " ".join(sorted(utils.default_process(name).split()))


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
