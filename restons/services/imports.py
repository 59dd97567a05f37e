"""Importing: one shared save for every parser (STYLE.md §5).

A parser streams records; :func:`run_import` saves them in batches inside one
transaction, matching people by identity first (then by the source's own key),
and reports ``created/updated/skipped/interactions/errors``. Running the same
import twice changes nothing: contacts are remembered as
:class:`SourceRecord` rows and interactions by ``(source, source_key)``.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import os
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from restons import identities
from restons.importers.records import ContactRecord, InteractionRecord, ParseError
from restons.models import Affiliation, Identity, Interaction, Milestone, Organisation, Person, SourceRecord
from restons.services import checkups
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.interactions import refresh_summaries
from restons.services.merges import suggest_duplicates

BATCH = 1000

# The milestone titles parsers write, in the importing user's language.
KNOWN_TITLES = {"Birthday": gettext_lazy("Birthday"), "Anniversary": gettext_lazy("Anniversary")}

# Column sizes (PostgreSQL refuses a longer value; SQLite would store it).
NAME_MAX = Person._meta.get_field("name").max_length
ORG_MAX = Organisation._meta.get_field("name").max_length
TITLE_MAX = Affiliation._meta.get_field("title").max_length
MILESTONE_MAX = Milestone._meta.get_field("title").max_length
IDENTITY_MAX = Identity._meta.get_field("value").max_length

# SOURCE name -> "module:function"; imported on use so the CLI starts fast.
SOURCES = {
    "linkedin": "restons.importers.linkedin:parse",
    "vcard": "restons.importers.vcard:parse",
    "google-csv": "restons.importers.contacts_csv:parse_google",
    "outlook-csv": "restons.importers.contacts_csv:parse_outlook",
}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    interactions: int = 0
    errors: list[dict] = field(default_factory=list)
    suggestions: int = 0
    records: int = 0

    def as_json(self) -> dict:
        return asdict(self)


def parser_for(source: str) -> Callable:
    if source not in SOURCES:
        raise UserError(
            _("unknown import source %(source)r; use one of: %(allowed)s")
            % {"source": source, "allowed": ", ".join(SOURCES)}
        )
    module, function = SOURCES[source].split(":")
    return getattr(importlib.import_module(module), function)


def run_import(owner, source: str, path, *, progress: Callable[[int], None] | None = None,
               region: str | None = None, **options) -> ImportSummary:
    """Import ``path`` with the ``source`` parser; all or nothing.

    Rows the parser cannot read are reported in ``errors`` (with where and
    why) and the rest is imported. A file that cannot be read at all raises
    UserError and nothing is written.
    """
    parse = parser_for(source)
    summary = ImportSummary()
    path = _peekable(path)
    try:
        with transaction.atomic():
            saver = Saver(owner, source, summary, region)
            batch: list = []
            for record in parse(path, **options):
                summary.records += 1
                if isinstance(record, ParseError):
                    summary.errors.append({"where": record.where, "why": record.why})
                    continue
                record.source_key = _key(record.source_key)
                batch.append(record)
                if len(batch) >= BATCH:
                    saver.save(batch)
                    batch = []
                    if progress:
                        progress(summary.records)
            saver.save(batch)
            saver.finish()
            checkups.forget(owner.pk)  # bulk writes send no signals: everyone is checked again
            if progress:
                progress(summary.records)
    except UserError:
        raise
    except (OSError, ValueError, UnicodeError) as exc:
        # Unreadable or unsafe files (zip-slip, zip bombs, wrong format): one line, nothing written.
        raise UserError(_("%(path)s: %(why)s") % {"path": getattr(path, "name", path), "why": exc}) from None
    return summary


class _KeepOpen(io.BufferedReader):
    """A buffered view of the caller's open file that never closes it (the caller owns it)."""

    def close(self) -> None:
        pass


def _peekable(source):
    """Paths pass through; an open file without ``peek`` (Django's UploadedFile) is wrapped once.

    The text decoder wraps such a file in its own ``BufferedReader`` and, when that
    wrapper is collected, the caller's file is closed with it: a second pass over the
    file (LinkedIn's messages.csv is read twice) then failed with "I/O operation on
    closed file".
    """
    if isinstance(source, (str, os.PathLike)) or hasattr(source, "peek") or not hasattr(source, "readinto"):
        return source
    return _KeepOpen(source)


def _english_titles() -> dict[str, str]:
    """Every language's spelling of a known milestone title -> the parsers' English title."""
    from django.conf import settings
    from django.utils import translation

    spellings = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            spellings.update({str(title): english for english, title in KNOWN_TITLES.items()})
    return spellings


def _key(raw: str) -> str:
    """A source key that fits its column: long ones (some vCard UIDs) are hashed."""
    if len(raw) <= 500:
        return raw
    return "sha1:" + hashlib.sha1(raw.encode()).hexdigest()


def _merge_text(current: str, extra: str) -> str:
    extra = extra.strip()
    if not extra or extra in current:
        return current
    return f"{current}\n{extra}".strip()


def _owner_region(owner) -> str:
    from restons.services.accounts import settings_of

    return settings_of(owner).region


class Saver:
    """Saves batches of records for one import; keeps caches across batches."""

    def __init__(self, owner, source: str, summary: ImportSummary, region: str | None):
        self.owner = owner
        self.source = source
        self.summary = summary
        # Numbers without + are read in the import's region, else the owner's (Settings).
        self.region = region or _owner_region(owner)
        self.touched: set[int] = set()  # people whose interactions changed
        self.created: set[int] = set()  # people this import created
        self.affiliated: set[int] = set()  # existing people who gained an organisation
        self.named_strangers: dict[str, Person] = {}  # name key -> person made for a name-only message
        self.organisations = {
            name.casefold(): oid for oid, name in owned(Organisation, owner).values_list("id", "name")
        }
        self.now = timezone.now()

    # -- shared helpers --------------------------------------------------

    def _normalised(self, where: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Normalised (kind, value) pairs; an invalid one is reported and left out."""
        result = []
        for kind, raw in pairs:
            if not raw or not raw.strip():
                continue
            try:
                if kind in ("phone", "whatsapp"):
                    value = identities.normalise_phone(raw, self.region)
                else:
                    value = identities.normalise(kind, raw)
            except identities.InvalidIdentity as exc:
                self.summary.errors.append({"where": where, "why": str(exc)})
                continue
            if len(value) > IDENTITY_MAX:
                self.summary.errors.append({
                    "where": where,
                    "why": _("%(value)s… is longer than %(limit)s characters; it was left out.")
                    % {"value": value[:40], "limit": IDENTITY_MAX},
                })
                continue
            if (kind, value) not in result:
                result.append((kind, value))
        return result

    def _owners_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        values = {value for _kind, value in pairs}
        if not values:
            return {}
        return {
            (kind, value): pid
            for kind, value, pid in owned(Identity, self.owner)
            .filter(value__in=values)
            .values_list("kind", "value", "person_id")
        }

    def _organisation(self, name: str) -> int:
        name = name.strip()[:ORG_MAX]
        key = name.casefold()
        if key not in self.organisations:
            self.organisations[key] = Organisation.objects.create(owner=self.owner, name=name).id
        return self.organisations[key]

    def _new_person(self, name: str, **fields) -> Person:
        return Person(owner=self.owner, name=name.strip()[:NAME_MAX], created_at=self.now, **fields)

    # -- batches ---------------------------------------------------------

    def save(self, records: list) -> None:
        contacts = [r for r in records if isinstance(r, ContactRecord)]
        if contacts:
            self.save_contacts(contacts)
        messages = [r for r in records if isinstance(r, InteractionRecord)]
        if messages:
            self.save_interactions(messages)

    def save_contacts(self, records: list[ContactRecord]) -> None:
        prepared = []
        for record in records:
            pairs = [("email", e) for e in record.emails] + [("phone", p) for p in record.phones]
            pairs += [("linkedin", record.linkedin)] + [("website", w) for w in record.websites]
            prepared.append((record, self._normalised(record.where, pairs)))
        by_key = dict(
            owned(SourceRecord, self.owner)
            .filter(source=self.source, key__in=[r.source_key for r, _p in prepared])
            .values_list("key", "person_id")
        )
        holders = self._owners_of(pair for _r, pairs in prepared for pair in pairs)
        existing = owned(Person, self.owner).in_bulk(set(by_key.values()) | set(holders.values()))
        affiliations = set(
            owned(Affiliation, self.owner).filter(person_id__in=existing).values_list("person_id", "organisation_id")
        )
        milestones = set(owned(Milestone, self.owner).filter(person_id__in=existing).values_list("person_id", "title", "on"))
        english = _english_titles()
        milestones |= {(pid, english[title], on) for pid, title, on in list(milestones) if title in english}

        plans = []  # (record, pairs, person or None)
        new_by_identity: dict[tuple[str, str], Person] = {}
        new_by_key: dict[str, Person] = {}
        for record, pairs in prepared:
            person = existing.get(by_key.get(record.source_key))
            if person is None:
                for pair in pairs:
                    if pair in holders:
                        person = existing.get(holders[pair])
                        break
            # The same contact twice in one batch: by identity, or by the source's own key
            # (as a later batch would find it through its SourceRecord).
            if person is None:
                person = next((new_by_identity[p] for p in pairs if p in new_by_identity), None)
            if person is None:
                person = new_by_key.get(record.source_key)
            if person is None:
                person = self._new_person(
                    record.name, connected_on=record.connected_on, met_how=record.met_how, notes=record.notes
                )
                new_by_key[record.source_key] = person
            for pair in pairs:
                if person.pk is None:
                    new_by_identity.setdefault(pair, person)
            plans.append((record, pairs, person))

        fresh = list({id(p): p for _r, _p, p in plans if p.pk is None}.values())
        Person.objects.bulk_create(fresh)
        self.created.update(p.pk for p in fresh)
        self.summary.created += len(fresh)

        new_identities, new_affiliations, new_milestones, new_sources = [], [], [], []
        changed_people: dict[int, Person] = {}
        seen_sources = set(by_key)
        for record, pairs, person in plans:
            is_new = person.pk in self.created
            changed = False
            for pair in pairs:
                if pair not in holders:
                    holders[pair] = person.pk
                    new_identities.append(Identity(owner=self.owner, person=person, kind=pair[0], value=pair[1]))
                    changed = True
            for org, title in record.organisations:
                if not org.strip():  # a position without a company: no nameless organisation
                    continue
                org_id = self._organisation(org)
                if (person.pk, org_id) not in affiliations:
                    affiliations.add((person.pk, org_id))
                    new_affiliations.append(
                        Affiliation(owner=self.owner, person=person, organisation_id=org_id,
                                    title=title.strip()[:TITLE_MAX])
                    )
                    changed = True
                    if not is_new:
                        self.affiliated.add(person.pk)
            for milestone in record.milestones:
                title = milestone.title[:MILESTONE_MAX]
                key = (person.pk, title, milestone.on)
                if key not in milestones:
                    milestones.add(key)
                    # Stored in the reader's language; the English key above still finds it next time.
                    title = str(KNOWN_TITLES.get(title, title))
                    new_milestones.append(
                        Milestone(owner=self.owner, person=person, title=title, on=milestone.on,
                                  yearly=milestone.yearly)
                    )
                    changed = True
            # Also for a person this import created from an earlier record: a second card of
            # the same contact must not lose its notes or dates.
            if self._fill_blanks(person, record):
                changed = True
                changed_people[person.pk] = person
            if record.source_key not in seen_sources:
                seen_sources.add(record.source_key)
                new_sources.append(SourceRecord(owner=self.owner, source=self.source, key=record.source_key, person=person))
            if not is_new:
                if changed:
                    self.summary.updated += 1
                else:
                    self.summary.skipped += 1
        Identity.objects.bulk_create(new_identities)
        Affiliation.objects.bulk_create(new_affiliations)
        Milestone.objects.bulk_create(new_milestones)
        SourceRecord.objects.bulk_create(new_sources)
        if changed_people:
            Person.objects.bulk_update(list(changed_people.values()), ["connected_on", "met_how", "notes", "name"])

    @staticmethod
    def _fill_blanks(person: Person, record: ContactRecord) -> bool:
        """Add what the record knows and the person lacks; True when something changed."""
        before = (person.connected_on, person.met_how, person.notes)
        if record.connected_on and (person.connected_on is None or record.connected_on < person.connected_on):
            person.connected_on = record.connected_on
        if record.met_how and not person.met_how:
            person.met_how = record.met_how
        person.notes = _merge_text(person.notes, record.notes)
        return before != (person.connected_on, person.met_how, person.notes)

    def save_interactions(self, records: list[InteractionRecord]) -> None:
        known = set(
            owned(Interaction, self.owner)
            .filter(source=self.source, source_key__in=[r.source_key for r in records])
            .values_list("source_key", flat=True)
        )
        prepared = []
        for record in records:
            if record.source_key in known:
                self.summary.skipped += 1
                continue
            known.add(record.source_key)
            prepared.append((record, self._normalised(record.where, record.identities)))
        holders = self._owners_of(pair for _r, pairs in prepared for pair in pairs)
        # Someone you exchanged with but never imported as a contact becomes a person.
        strangers: dict[tuple[str, str], Person] = {}
        plans = []
        for record, pairs in prepared:
            person_id = next((holders[p] for p in pairs if p in holders), None)
            person = None
            if person_id is None:
                person = next((strangers[p] for p in pairs if p in strangers), None)
                if person is None and not pairs and record.name:
                    # Old exports name people without any address: one person per name, not per message.
                    person = self.named_strangers.get(identities.name_key(record.name))
                if person is None:
                    if not pairs and not record.name:
                        self.summary.errors.append({"where": record.where, "why": _("No one to attach this message to.")})
                        continue
                    person = self._new_person(record.name or pairs[0][1])
                    for pair in pairs:
                        strangers[pair] = person
                    if not pairs:
                        self.named_strangers[identities.name_key(record.name)] = person
            plans.append((record, pairs, person_id, person))
        # Only people not saved yet: a name-only stranger may come from an earlier batch.
        fresh = list({id(p): p for *_rest, p in plans if p is not None and p.pk is None}.values())
        Person.objects.bulk_create(fresh)
        self.created.update(p.pk for p in fresh)
        self.summary.created += len(fresh)
        Identity.objects.bulk_create(
            [Identity(owner=self.owner, person=person, kind=k, value=v) for (k, v), person in strangers.items()]
        )
        rows = []
        for record, _pairs, person_id, person in plans:
            pid = person_id if person_id is not None else person.pk
            self.touched.add(pid)
            rows.append(
                Interaction(owner=self.owner, person_id=pid, at=record.at, direction=record.direction,
                            channel=record.channel, summary=record.summary[:500], source=self.source,
                            source_key=record.source_key)
            )
        Interaction.objects.bulk_create(rows)
        self.summary.interactions += len(rows)

    def finish(self) -> None:
        if self.touched:
            refresh_summaries(self.owner, self.touched)
        if self.created or self.affiliated:
            self.summary.suggestions = suggest_duplicates(self.owner, self.created | self.affiliated)
