"""Importing: one shared save for every parser (STYLE.md §5).

A parser streams records; :func:`run_import` saves them in batches inside one
transaction, matching people by identity first (then by the source's own key),
and reports ``created/updated/skipped/interactions/errors``. Running the same
import twice changes nothing: contacts are remembered as
:class:`SourceRecord` rows and interactions by ``(source, source_key)``.

Every value is checked on the way in (:meth:`Saver.vet`), whatever the
parser: dates outside ``limits.DATE_MIN..DATE_MAX`` and interactions in the
future are refused, free text longer than ``limits.TEXT_MAX`` and names longer
than their columns are cut, NUL characters are removed (PostgreSQL refuses
them) — each reported with where and why. A file that is not what its source
expects, or in which nothing could be imported, is refused whole with one line.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import io
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from restons import identities, limits
from restons.importers.records import ContactRecord, FileRefused, InteractionRecord, ParseError
from restons.importers.textfiles import source_name
from restons.models import Affiliation, Identity, Interaction, Milestone, Organisation, Person, SourceRecord
from restons.services import checkups
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.interactions import FUTURE_TOLERANCE, refresh_summaries
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
    # Capture sources (restons.services.capture): messages and meetings through the capture rules.
    "mbox": "restons.importers.mbox:parse",
    "maildir": "restons.importers.maildir:parse",
    "ics": "restons.importers.ics:parse",
    "sms-xml": "restons.importers.sms_xml:parse",
    "whatsapp": "restons.importers.whatsapp:parse",
    "telegram": "restons.importers.telegram:parse",
    "imessage": "restons.importers.imessage:parse",
}
CAPTURE_SOURCES = frozenset({"mbox", "maildir", "ics", "sms-xml", "whatsapp", "telegram", "imessage"})
# What each source expects, said when a file is refused.
EXPECTED = {
    "linkedin": gettext_lazy("a LinkedIn export (the .zip, Connections.csv, messages.csv or Invitations.csv)"),
    "vcard": gettext_lazy("a vCard file (.vcf)"),
    "google-csv": gettext_lazy("a Google Contacts CSV export"),
    "outlook-csv": gettext_lazy("an Outlook CSV export"),
    "mbox": gettext_lazy("an mbox file (a Gmail Takeout .mbox, a mail client's export)"),
    "maildir": gettext_lazy("a Maildir folder (with cur/ and new/, or Maildir++ subfolders)"),
    "ics": gettext_lazy("an iCalendar file (.ics) or a folder of them"),
    "sms-xml": gettext_lazy("an SMS Backup & Restore XML file"),
    "whatsapp": gettext_lazy("a WhatsApp chat export (.txt or .zip) or a folder of them"),
    "telegram": gettext_lazy("a Telegram JSON export (result.json)"),
    "imessage": gettext_lazy("an iMessage database (chat.db)"),
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
    # Capture sources (restons.services.capture): who only wrote to you, what is never a ping (count per
    # reason), and the identities of yours the source taught ({"kind", "value"}).
    strangers: int = 0
    ignored: dict[str, int] = field(default_factory=dict)
    learned: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def imported(self) -> bool:
        """True when the import changed something: a person created or updated, or an interaction logged."""
        return bool(self.created or self.updated or self.interactions)


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

    Rows and values the parser or the checks cannot take are reported in
    ``errors`` (``where``: file, line, field; ``why``) and the rest is
    imported. Raises UserError, one line naming the file, and writes nothing
    when the file is empty, is not what ``source`` expects, is damaged, or
    holds nothing that could be imported.

    Capture sources (mbox, maildir, ics, sms-xml, whatsapp, telegram,
    imessage) go through :func:`restons.services.capture.run_capture`:
    read first, then written in short transactions.
    """
    if source in CAPTURE_SOURCES:
        from restons.services.capture import run_capture

        return run_capture(owner, source, path, progress=progress, region=region, **options)
    parse = parser_for(source)
    name = source_name(path)
    summary = ImportSummary()
    path = _peekable(path)
    try:
        with transaction.atomic():
            if _is_empty(path):
                raise FileRefused(_("the file is empty; expected %(what)s") % {"what": _expected(source)})
            saver = Saver(owner, source, summary, region)
            batch: list = []
            for record in parse(path, **options):
                summary.records += 1
                if isinstance(record, ParseError):
                    saver.report(record.where, record.why)
                    continue
                record = saver.vet(record)
                if record is None:
                    continue
                batch.append(record)
                if len(batch) >= BATCH:
                    saver.save(batch)
                    batch = []
                    if progress:
                        progress(summary.records)
            saver.save(batch)
            if not (summary.created or summary.updated or summary.skipped or summary.interactions):
                raise FileRefused(_nothing_imported(summary, source))
            saver.finish()
            checkups.forget(owner.pk)  # bulk writes send no signals: everyone is checked again
            if progress:
                progress(summary.records)
    except FileRefused as refusal:
        raise UserError(_one_line(_("%(name)s: %(why)s") % {"name": name, "why": refusal})) from None
    except OSError as error:  # the file itself cannot be read (permissions, a device, a vanished upload)
        raise UserError(_one_line(_("%(name)s: %(why)s") % {"name": name, "why": error.strerror or error})) from None
    return summary


def _expected(source: str) -> str:
    return str(EXPECTED.get(source, source))


def _nothing_imported(summary: ImportSummary, source: str) -> str:
    """Why an import that found nothing to keep is refused: the first problem, when there was one."""
    if not summary.errors:
        return _("nothing in it could be imported; expected %(what)s") % {"what": _expected(source)}
    first = summary.errors[0]
    return ngettext(
        "nothing in it could be imported; one problem: %(where)s: %(why)s",
        "nothing in it could be imported; %(count)s problems, the first: %(where)s: %(why)s",
        len(summary.errors),
    ) % {"count": len(summary.errors), "where": first["where"], "why": first["why"]}


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    """``text`` with every line break (as str.splitlines sees them) made a space; no-break spaces stay."""
    return _LINE_BREAKS.sub(" ", str(text))


def _is_empty(source) -> bool:
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source) == 0
    if hasattr(source, "peek"):
        return not source.peek(1)
    return False


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


@functools.cache
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
    """A source key that fits its column: long ones (some vCard UIDs) are hashed, NULs removed."""
    raw = _no_nul(raw)
    if len(raw) <= 500:
        return raw
    return "sha1:" + hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _no_nul(text: str) -> str:
    """``text`` without NUL characters (PostgreSQL refuses them) or lone surrogates (no database stores them)."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


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
        self.organisations: dict[str, int] | None = None  # name casefolded -> id, loaded when first needed
        self.now = timezone.now()

    # -- checks of values ------------------------------------------------

    def report(self, where: str, why: str) -> None:
        """One line in the summary's errors: where (file, line, field) and why."""
        self.summary.errors.append({"where": _one_line(where), "why": _one_line(why)})

    def vet(self, record):
        """``record`` with its values within the limits, or None when it cannot be kept; each change reported."""
        record.source_key = _key(record.source_key)
        if isinstance(record, InteractionRecord):
            return self._vet_interaction(record)
        return self._vet_contact(record)

    def _where(self, record, key: str) -> str:
        return record.wheres.get(key) or record.where

    def _in_range(self, where: str, day) -> bool:
        """True when ``day`` lies in limits.DATE_MIN..DATE_MAX; otherwise reported at ``where``."""
        plain = day.date() if isinstance(day, datetime) else day
        if limits.DATE_MIN <= plain <= limits.DATE_MAX:
            return True
        self.report(where, _("%(date)s is out of range (%(min)s to %(max)s); it was left out.")
                    % {"date": plain.isoformat(), "min": limits.DATE_MIN.isoformat(),
                       "max": limits.DATE_MAX.isoformat()})
        return False

    def _fit(self, record, key: str, text: str, limit: int = limits.TEXT_MAX) -> str:
        """``text`` cleaned and cut to ``limit`` characters; a cut is reported under ``key``."""
        text = _no_nul(text)
        if len(text) <= limit:
            return text
        self.report(self._where(record, key),
                    _("This text is %(length)s characters long; it was cut to the first %(limit)s.")
                    % {"length": len(text), "limit": limit})
        if limit == limits.TEXT_MAX:
            return limits.cut_text(text)[0]
        return text[:limit]

    def _vet_contact(self, record: ContactRecord) -> ContactRecord | None:
        record.name = self._fit(record, "name", record.name.strip(), NAME_MAX)
        if not record.name:
            self.report(record.where, _("This contact has no name; it was skipped."))
            return None
        record.notes = self._fit(record, "notes", record.notes)
        record.met_how = self._fit(record, "met_how", record.met_how)
        record.linkedin = _no_nul(record.linkedin)
        record.emails = [_no_nul(e) for e in record.emails]
        record.phones = [_no_nul(p) for p in record.phones]
        record.websites = [_no_nul(w) for w in record.websites]
        record.organisations = [
            (self._fit(record, "organisations", org.strip(), ORG_MAX),
             self._fit(record, "title", title.strip(), TITLE_MAX))
            for org, title in record.organisations
        ]
        if record.connected_on and not self._in_range(self._where(record, "connected_on"), record.connected_on):
            record.connected_on = None
        kept = []
        for milestone in record.milestones:
            if self._in_range(milestone.where or self._where(record, "milestones"), milestone.on):
                milestone.title = self._fit(record, "milestones", milestone.title, MILESTONE_MAX)
                kept.append(milestone)
        record.milestones = kept
        return record

    def _vet_interaction(self, record: InteractionRecord) -> InteractionRecord | None:
        if not self._in_range(self._where(record, "at"), record.at):
            return None
        if record.at > self.now + FUTURE_TOLERANCE:
            self.report(self._where(record, "at"),
                        _("%(when)s is in the future; a ping records something that already happened, "
                          "so this one was left out.") % {"when": record.at.isoformat(timespec="minutes")})
            return None
        record.summary = self._fit(record, "summary", record.summary)
        record.name = self._fit(record, "name", record.name.strip(), NAME_MAX)
        record.identities = [(kind, _no_nul(value)) for kind, value in record.identities]
        return record

    # -- shared helpers --------------------------------------------------

    def _normalised(self, record, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Normalised (kind, value) pairs; an invalid one is reported (where it was read) and left out."""
        result = []
        for kind, raw in pairs:
            if not raw or not raw.strip():
                continue
            where = self._where(record, raw)
            if len(raw) > 2 * IDENTITY_MAX:  # not worth normalising: too long whatever it is
                self.report(where, _("%(value)s… is longer than %(limit)s characters; it was left out.")
                            % {"value": raw.strip()[:40], "limit": IDENTITY_MAX})
                continue
            try:
                if kind in ("phone", "whatsapp"):
                    value = identities.normalise_phone(raw, self.region)
                else:
                    value = identities.normalise(kind, raw)
            except identities.InvalidIdentity as exc:
                self.report(where, str(exc))
                continue
            except ValueError:  # urlsplit refuses some broken URLs ("http://[::1") before a reason is given
                self.report(where, _("%(value)r is not a valid address; it was left out.")
                            % {"value": raw.strip()[:60]})
                continue
            if len(value) > IDENTITY_MAX:
                self.report(where, _("%(value)s… is longer than %(limit)s characters; it was left out.")
                            % {"value": value[:40], "limit": IDENTITY_MAX})
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

    def _add_organisations(self, records: Iterable[ContactRecord]) -> None:
        """Create, in one query, the organisations these records name that the owner does not have yet."""
        names = list(dict.fromkeys(
            org.strip() for record in records for org, _title in record.organisations if org.strip()))
        if not names:
            return
        if self.organisations is None:
            self.organisations = {
                name.casefold(): oid for oid, name in owned(Organisation, self.owner).values_list("id", "name")
            }
        missing: dict[str, str] = {}
        for name in names:
            if name.casefold() not in self.organisations:
                missing.setdefault(name.casefold(), name)
        created = Organisation.objects.bulk_create([Organisation(owner=self.owner, name=n) for n in missing.values()])
        self.organisations.update({org.name.casefold(): org.id for org in created})

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
            prepared.append((record, self._normalised(record, pairs)))
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

        self._add_organisations(record for record, _pairs, _person in plans)
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
                org_id = self.organisations[org.strip().casefold()]
                if (person.pk, org_id) not in affiliations:
                    affiliations.add((person.pk, org_id))
                    new_affiliations.append(
                        Affiliation(owner=self.owner, person=person, organisation_id=org_id, title=title)
                    )
                    changed = True
                    if not is_new:
                        self.affiliated.add(person.pk)
            for milestone in record.milestones:
                title = milestone.title
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

    def _fill_blanks(self, person: Person, record: ContactRecord) -> bool:
        """Add what the record knows and the person lacks; True when something changed.

        Notes gathered from several records stay within limits.TEXT_MAX (the cut is reported).
        """
        before = (person.connected_on, person.met_how, person.notes)
        if record.connected_on and (person.connected_on is None or record.connected_on < person.connected_on):
            person.connected_on = record.connected_on
        if record.met_how and not person.met_how:
            person.met_how = record.met_how
        merged = _merge_text(person.notes, record.notes)
        if merged != person.notes:
            person.notes = self._fit(record, "notes", merged)
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
            prepared.append((record, self._normalised(record, record.identities)))
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
                        self.report(record.where, _("No one to attach this message to."))
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
                            channel=record.channel, summary=record.summary, source=self.source,
                            source_key=record.source_key)
            )
        Interaction.objects.bulk_create(rows)
        self.summary.interactions += len(rows)

    def finish(self) -> None:
        if self.touched:
            refresh_summaries(self.owner, self.touched)
        if self.created or self.affiliated:
            self.summary.suggestions = suggest_duplicates(self.owner, self.created | self.affiliated)
