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

import contextlib
import functools
import gc
import hashlib
import importlib
import inspect
import io
import os
import re
import sys
import threading
from operator import itemgetter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from restons import identities, limits
from restons.capture.records import Message
from restons.importers.records import ContactRecord, FileRefused, InteractionRecord, ParseError, Unchanged
from restons.importers.textfiles import source_name
from restons.models import Affiliation, Identity, Interaction, Milestone, Organisation, Person, SourceRecord
from restons.services import checkups
from restons.services.prepared import allocate_ids, import_writes, others_mark, table
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.interactions import FUTURE_TOLERANCE, refresh_summaries
from restons.services.merges import suggest_duplicates

# Records per write transaction: SQLite's write lock is held for one batch at a time (a few
# hundred milliseconds), never for the whole import.
BATCH = 2000
# Above this many records, an import reads the owner's people, identities and import records once
# instead of asking for each batch's (a query with 2,000 parameters costs more than reading them all).
BULK = 2000

# The milestone titles parsers write, in the importing user's language.
KNOWN_TITLES = {"Birthday": gettext_lazy("Birthday"), "Anniversary": gettext_lazy("Anniversary")}

# Phone numbers remembered per import (raw form -> E.164), at most this many.
PHONE_CACHE = 100_000

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
    """Import ``path`` with the ``source`` parser: parse and check everything, then write in short batches.

    Rows and values the parser or the checks cannot take are reported in
    ``errors`` (``where``: file, line, field; ``why``) and the rest is
    imported. Raises UserError, one line naming the file, and writes nothing
    when the file is empty, is not what ``source`` expects, is damaged, or
    holds nothing that could be imported: the whole file is read and checked
    before the first write.

    The writes then go in batches of :data:`BATCH` records, in short
    transactions (:class:`~restons.services.prepared.Batches`), so that the
    database's write lock is never held for long (on SQLite every other
    writer, a login included, waits for it). Each batch is
    idempotent (contacts by their :class:`SourceRecord`, interactions by
    ``(source, source_key)``), so an import stopped between batches (kill -9,
    a crash) and run again ends exactly as one clean run would.

    Capture sources (mbox, maildir, ics, sms-xml, whatsapp, telegram,
    imessage) go through :func:`restons.services.capture.run_capture`:
    read first, then written in short transactions.
    """
    if source in CAPTURE_SOURCES:
        from restons.services.capture import run_capture

        return run_capture(owner, source, path, progress=progress, region=region, **options)
    with fewer_collections():  # what follows allocates a few objects per field of every record
        return _import_contacts(owner, source, path, progress, region, options)


def _import_contacts(owner, source: str, path, progress, region, options) -> ImportSummary:
    """:func:`run_import` of a contact source (vCard, LinkedIn, address-book CSV)."""
    parse = parser_for(source)
    name = source_name(path)
    summary = ImportSummary()
    path = _peekable(path)
    try:
        if _is_empty(path):
            raise FileRefused(_("the file is empty; expected %(what)s") % {"what": _expected(source)})
        saver = Saver(owner, source, summary, region)
        since = others_mark()  # (someone who writes while the file is read is paused for from the first batch)
        records: list = []
        messages: list[Message] = []  # LinkedIn messages: the capture rules, once the contacts are in
        if "unchanged" in inspect.signature(parse).parameters:  # vCard: cards saved before exactly so are not parsed
            options = {**options, "unchanged": saver.unchanged_card}
        stream = parse(path, **options)
        if source == "linkedin":
            from restons.capture.linkedin import messages as as_messages

            stream = as_messages(_vetted(saver, stream))
        for record in stream:
            summary.records += 1
            if progress and summary.records % BATCH == 0:
                progress(summary.records)  # records read: the file is read whole before the first write
            if isinstance(record, ParseError):
                saver.report(record.where, record.why)
                continue
            if isinstance(record, Unchanged):  # counted by Saver.unchanged_card
                continue
            if isinstance(record, Message):
                messages.append(record)
                continue
            record = saver.check(record)
            if record is not None:
                records.append(record)
        if not records and not messages and not saver.unchanged:
            raise FileRefused(_nothing_imported(summary, source))
        saver.bulk = len(records) > BULK
        # Each batch is let go once written: the suggestions that follow the last one do not share
        # the memory with the whole file's records.
        batches = [records[start:start + BATCH] for start in range(0, len(records), BATCH)]
        del records
        with import_writes(since) as writes:
            for number in range(len(batches)):
                batch, batches[number] = batches[number], None
                with writes.batch():
                    saver.save(batch)
                    del batch
                    if number == len(batches) - 1 and not messages:
                        # With the last batch, in its transaction: once every record is written, so is this,
                        # and a run that finds nothing new knows that the one before it ended.
                        saver.finish()
        if messages:
            # Their own short transactions (restons.services.capture), after the contacts they may name.
            captured = _capture(owner, source, messages, name, summary, progress)
            with transaction.atomic():
                saver.finish()
            summary.suggestions += captured.suggestions
        if progress:
            progress(summary.records)
    except FileRefused as refusal:
        raise UserError(_one_line(_("%(name)s: %(why)s") % {"name": name, "why": refusal})) from None
    except OSError as error:  # the file itself cannot be read (permissions, a device, a vanished upload)
        raise UserError(_one_line(_("%(name)s: %(why)s") % {"name": name, "why": error.strerror or error})) from None
    return summary


# Python's cyclic garbage collector runs after every 700 new container objects: during an import that
# is hundreds of collections, each walking what the caches and the batches hold (0.5 s of a
# 10,000-card vCard import on a loaded machine, 0.1 s with the threshold below; the memory is the same,
# since what an import drops is freed by reference counting, not by the collector).
GC_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def fewer_collections():
    """Collect cyclic garbage less often while an import runs (the first generation's threshold raised
    to :data:`GC_THRESHOLD`); the threshold is given back when the last running import ends."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            if _gc_saved[0] and _gc_saved[0] < GC_THRESHOLD:  # 0: collection is off, left as it is
                gc.set_threshold(GC_THRESHOLD, *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)


def _vetted(saver: Saver, records):
    """The parser's records, its interactions checked (:meth:`Saver.vet`: each problem reported at its field)."""
    for record in records:
        if isinstance(record, InteractionRecord):
            kept = saver.vet(record)
            if kept is None:
                saver.summary.records += 1  # read, and reported
                continue
        yield record


def _capture(owner, source: str, messages: list, name: str, summary: ImportSummary, progress):
    """Save a contact source's messages through the capture rules (:func:`restons.services.capture.save_records`).

    LinkedIn's ``messages.csv`` and invitations: conversations, the group rule,
    strangers, as for every chat. Its counts join ``summary`` (its suggestions
    are for the caller to add, after its own). Written after the contacts, in
    the capture path's own short transactions: a run stopped half-way and run
    again ends as one clean run would (conversations reconcile by span).
    """
    from restons.services.capture import save_records

    captured = save_records(owner, source, messages, where=name,
                            progress=(lambda _n: progress(summary.records)) if progress else None)
    summary.created += captured.created
    summary.interactions += captured.interactions
    summary.errors.extend(captured.errors)
    summary.strangers += captured.strangers
    for reason, count in captured.ignored.items():
        summary.ignored[reason] = summary.ignored.get(reason, 0) + count
    summary.learned.extend(captured.learned)
    return captured


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


def _with_english(milestones: set[tuple]) -> set[tuple]:
    """``(person, title, on)`` keys, plus the parsers' English title of each known title in another language."""
    english = _english_titles()
    return milestones | {(pid, english[title], on) for pid, title, on in milestones if title in english}


def _no_nul(text: str) -> str:
    """``text`` without NUL characters (PostgreSQL refuses them) or lone surrogates (no database stores them)."""
    if text.isascii():
        return text.replace("\x00", "") if "\x00" in text else text
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _merge_text(current: str, extra: str) -> str:
    if extra == current:
        return current
    extra = extra.strip()
    if not extra or extra in current:
        return current
    return f"{current}\n{extra}".strip()


def _owner_region(owner) -> str:
    from restons.services.accounts import settings_of

    return settings_of(owner).region


class _Refused:
    """Why a value was refused, remembered (a fresh exception is raised each time)."""

    __slots__ = ("why",)

    def __init__(self, why: str):
        self.why = why


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
        self.named_strangers: dict[str, int] = {}  # name key (as a source key) -> person known only by name
        self.reached: set[int] = set()  # existing people the import's contacts matched
        self.bulk = False  # set for a large import: read the owner's people once (see _cached)
        self.cache: dict = {}
        self.organisations: dict[str, int] | None = None  # name casefolded -> id, loaded when first needed
        self.now = timezone.now()
        self.phones: dict[str, str | _Refused] = {}  # raw phone -> E.164 or why not (_phone)
        # The source's stored records as this import began: key -> (person id, digest); read on the first contact.
        self.stored: dict[str, tuple[int, str]] | None = None
        self.by_digest: dict[str, str] | None = None  # digest -> key, of the stored records that have one
        self.titles: dict[str, str] = {}  # a parser's milestone title -> in the user's language (_title)
        self.unchanged = 0  # contacts found stored with the same digest: neither normalised nor compared
        self.seen: set[str] = set()  # source keys of this file's contacts
        self.repeated: set[str] = set()  # keys that several contacts of this file share: no digest kept

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
        fit, no_nul = self._fit, _no_nul
        record.name = fit(record, "name", record.name.strip(), NAME_MAX)
        if not record.name:
            self.report(record.where, _("This contact has no name; it was skipped."))
            return None
        if record.notes:
            record.notes = fit(record, "notes", record.notes)
        if record.met_how:
            record.met_how = fit(record, "met_how", record.met_how)
        if record.linkedin:
            record.linkedin = no_nul(record.linkedin)
        if record.emails:
            record.emails = [no_nul(e) for e in record.emails]
        if record.phones:
            record.phones = [no_nul(p) for p in record.phones]
        if record.websites:
            record.websites = [no_nul(w) for w in record.websites]
        if record.organisations:
            record.organisations = [
                (fit(record, "organisations", org.strip(), ORG_MAX), fit(record, "title", title.strip(), TITLE_MAX))
                for org, title in record.organisations
            ]
        day = record.connected_on
        if day and not limits.DATE_MIN <= day <= limits.DATE_MAX:
            self._in_range(self._where(record, "connected_on"), day)  # reports it
            record.connected_on = None
        if record.milestones:
            kept = []
            for milestone in record.milestones:
                if self._in_range(milestone.where or self._where(record, "milestones"), milestone.on):
                    milestone.title = fit(record, "milestones", milestone.title, MILESTONE_MAX)
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
            if len(raw) > 2 * IDENTITY_MAX:  # not worth normalising: too long whatever it is
                self.report(self._where(record, raw), _("%(value)s… is longer than %(limit)s characters; it was left out.")
                            % {"value": raw.strip()[:40], "limit": IDENTITY_MAX})
                continue
            try:
                if kind in ("phone", "whatsapp"):
                    value = self._phone(raw)
                else:
                    value = identities.normalise(kind, raw)
            except identities.InvalidIdentity as exc:
                self.report(self._where(record, raw), str(exc))
                continue
            except ValueError:  # urlsplit refuses some broken URLs ("http://[::1") before a reason is given
                self.report(self._where(record, raw), _("%(value)r is not a valid address; it was left out.")
                            % {"value": raw.strip()[:60]})
                continue
            if len(value) > IDENTITY_MAX:
                self.report(self._where(record, raw), _("%(value)s… is longer than %(limit)s characters; it was left out.")
                            % {"value": value[:40], "limit": IDENTITY_MAX})
                continue
            if (kind, value) not in result:
                result.append((kind, value))
        return result

    def _phone(self, raw: str) -> str:
        """identities.normalise_phone in the import's region, once per written form (phonenumbers is slow:
        an address book holds the same office number on many cards). Raises InvalidIdentity likewise."""
        known = self.phones.get(raw)
        if known is None:
            try:
                known = identities.normalise_phone(raw, self.region)
            except identities.InvalidIdentity as error:
                known = _Refused(str(error))
            if len(self.phones) < PHONE_CACHE:
                self.phones[raw] = known
        if isinstance(known, _Refused):
            raise identities.InvalidIdentity(known.why)
        return known

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
        """Create, in one prepared write, the organisations these records name that the owner does not have yet."""
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
        ids = allocate_ids(Organisation, len(missing))
        table(Organisation, ("id", "owner_id", "name")).insert(
            (oid, self.owner.pk, name) for oid, name in zip(ids, missing.values(), strict=True))
        self.organisations.update(zip(missing, ids, strict=True))

    def _new_person(self, name: str, **fields) -> _Person:
        return _Person(None, name.strip()[:NAME_MAX], fields.get("connected_on"), fields.get("met_how", ""),
                       fields.get("notes", ""))

    def _insert_people(self, people: list[_Person]) -> None:
        """Give ``people`` (new, without an id) their ids and write them; they count as created."""
        for person, pid in zip(people, allocate_ids(Person, len(people)), strict=True):
            person.pk = pid
        self.created.update(p.pk for p in people)
        self.summary.created += len(people)

    def _write_people(self, people: list[_Person]) -> None:
        table(Person, ("id", "owner_id", "name", "connected_on", "met_how", "notes", "created_at")).insert(
            (p.pk, self.owner.pk, p.name, p.connected_on, p.met_how, p.notes, self.now) for p in people)

    # -- checks before any write ------------------------------------------

    def check(self, record):
        """``record`` vetted (:meth:`vet`) with its identities normalised into ``record.pairs``, or None
        when nothing of it can be kept. Every problem is reported here, before anything is written."""
        errors = len(self.summary.errors)
        record = self.vet(record)
        if record is None:
            return None
        if isinstance(record, InteractionRecord):
            record.pairs = self._normalised(record, record.identities)
            if not record.pairs and not record.name:
                self.report(record.where, _("No one to attach this message to."))
                return None
            record.identities, record.wheres = [], {}  # kept in memory until written: only what the writes use
            return record
        key = record.source_key
        self._seen(key)
        digest = _printed_digest(record.fingerprint, self.region) if record.fingerprint else _digest(record, self.region)
        known = self._stored().get(key)
        if known is not None and known[1] == digest and errors == len(self.summary.errors):
            # Saved from this very record before (and nothing of it was refused then: a refusal keeps no
            # digest, so it is reported again): nothing to normalise, compare or write.
            self.unchanged += 1
            self.summary.skipped += 1
            self.reached.add(known[0])
            return None
        pairs = [("email", e) for e in record.emails] + [("phone", p) for p in record.phones]
        pairs += [("linkedin", record.linkedin)] + [("website", w) for w in record.websites]
        # The whole file waits in memory before the writes: keep only what they use, in slots.
        contact = _Contact(record, self._normalised(record, pairs))
        # A record with a problem reported keeps no digest: the next run reads it whole and reports it again.
        contact.digest = digest if errors == len(self.summary.errors) else ""
        return contact

    def _seen(self, key: str) -> None:
        if key in self.seen:
            self.repeated.add(key)
        self.seen.add(key)

    def _stored(self) -> dict[str, tuple[int, str]]:
        """The source's stored records as this import began: key -> (person id, digest), read once."""
        if self.stored is None:
            self.stored = {key: (pid, digest) for key, pid, digest in _select(
                SourceRecord, "key, person_id, digest", "AND source = %s", [self.owner.pk, self.source])}
        return self.stored

    def unchanged_card(self, fingerprint: str) -> bool:
        """True when a record read from text of this fingerprint was saved before exactly so (and nothing of
        it was refused): counted as skipped without being parsed, checked or compared."""
        if self.by_digest is None:
            self.by_digest = {digest: key for key, (_pid, digest) in self._stored().items() if digest}
        key = self.by_digest.get(_printed_digest(fingerprint, self.region))
        if key is None:
            return False
        self._seen(key)
        self.unchanged += 1
        self.summary.skipped += 1
        self.reached.add(self.stored[key][0])
        return True

    # -- batches ---------------------------------------------------------

    def save(self, records: list) -> None:
        contacts = [r for r in records if isinstance(r, _Contact)]
        if contacts:
            self.save_contacts(contacts)
        messages = [r for r in records if isinstance(r, InteractionRecord)]
        if messages:
            self.save_interactions(messages)

    def save_contacts(self, records: list[ContactRecord]) -> None:
        """Write one batch of checked contacts (:meth:`check`) with prepared multi-row writes."""
        prepared = [(record, record.pairs) for record in records]
        if self.bulk:  # a large import: everything of the owner's it compares against, read once
            by_key, holders = self._cached_sources(), self._cached_holders()
            existing, affiliations, milestones = self._people_of(prepared, by_key, holders)
        else:
            by_key = dict(
                owned(SourceRecord, self.owner)
                .filter(source=self.source, key__in=[r.source_key for r, _p in prepared])
                .values_list("key", "person_id")
            )
            holders = self._owners_of(pair for _r, pairs in prepared for pair in pairs)
            existing = {
                row[0]: _Person(*row)
                for row in owned(Person, self.owner).filter(id__in=set(by_key.values()) | set(holders.values()))
                .values_list("id", "name", "connected_on", "met_how", "notes")
            }
            affiliations = set(owned(Affiliation, self.owner).filter(person_id__in=existing)
                               .values_list("person_id", "organisation_id"))
            milestones = _with_english(set(owned(Milestone, self.owner).filter(person_id__in=existing)
                                           .values_list("person_id", "title", "on")))

        plans = []  # (record, pairs, person)
        new_by_identity: dict[tuple[str, str], _Person] = {}
        new_by_key: dict[str, _Person] = {}
        fresh: list[_Person] = []
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
                fresh.append(person)
            for pair in pairs:
                if person.pk is None:
                    new_by_identity.setdefault(pair, person)
            plans.append((record, pairs, person))

        self._insert_people(fresh)
        self._add_organisations(record for record, _pairs, _person in plans)
        new_identities, new_affiliations, new_milestones, new_sources = [], [], [], []
        new_digests = []
        changed_people: dict[int, _Person] = {}
        owner_id = self.owner.pk
        stored = self.stored if self.stored is not None else {}
        for record, pairs, person in plans:
            errors = len(self.summary.errors)
            is_new = person.pk in self.created
            changed = False
            for pair in pairs:
                if pair not in holders:
                    holders[pair] = person.pk
                    new_identities.append((owner_id, person.pk, pair[0], pair[1]))
                    changed = True
            for org, title in record.organisations:
                if not org.strip():  # a position without a company: no nameless organisation
                    continue
                org_id = self.organisations[org.strip().casefold()]
                if (person.pk, org_id) not in affiliations:
                    affiliations.add((person.pk, org_id))
                    new_affiliations.append((owner_id, person.pk, org_id, title))
                    changed = True
                    if not is_new:
                        self.affiliated.add(person.pk)
            for milestone in record.milestones:
                title = milestone.title
                key = (person.pk, title, milestone.on)
                if key not in milestones:
                    milestones.add(key)
                    # Stored in the reader's language; the English key above still finds it next time.
                    title = self._title(title)
                    new_milestones.append((owner_id, person.pk, title, milestone.on, milestone.yearly))
                    changed = True
            # Also for a person this import created from an earlier record: a second card of
            # the same contact must not lose its notes or dates.
            if self._fill_blanks(person, record):
                changed = True
                if person.pk in existing:
                    changed_people[person.pk] = person
            digest = record.digest
            if errors != len(self.summary.errors) or record.source_key in self.repeated:
                digest = ""  # compared whole next time: a problem is reported again, several records merged again
            if record.source_key not in by_key:
                by_key[record.source_key] = person.pk
                new_sources.append((owner_id, self.source, record.source_key, person.pk, digest))
                stored[record.source_key] = (person.pk, digest)
            else:
                known = stored.get(record.source_key)
                if known is None or known[1] != digest:
                    new_digests.append((digest, owner_id, self.source, record.source_key))
                    stored[record.source_key] = (by_key[record.source_key], digest)
            if not is_new:
                self.reached.add(person.pk)
                if changed:
                    self.summary.updated += 1
                else:
                    self.summary.skipped += 1
        self._write_people(fresh)  # with what later records of the batch added
        # In the order of their unique index: SQLite then adds to it page after page, not all over it.
        new_identities.sort(key=itemgetter(2, 3))
        new_sources.sort(key=itemgetter(2))
        table(Identity, ("owner_id", "person_id", "kind", "value")).insert(new_identities)
        table(Affiliation, ("owner_id", "person_id", "organisation_id", "title")).insert(new_affiliations)
        table(Milestone, ("owner_id", "person_id", "title", "on", "yearly")).insert(new_milestones)
        table(SourceRecord, ("owner_id", "source", "key", "person_id", "digest")).insert(new_sources)
        if new_digests:
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {connection.ops.quote_name(SourceRecord._meta.db_table)} SET digest = %s "
                                   f"WHERE owner_id = %s AND source = %s AND key = %s", new_digests)
        if changed_people:
            _update_people(owner_id, changed_people.values())
        if self.bulk:
            self._remember(fresh)

    def _title(self, title: str) -> str:
        """A parser's milestone title in the importing user's language (translated once per import)."""
        known = self.titles.get(title)
        if known is None:
            known = self.titles[title] = str(KNOWN_TITLES.get(title, title))
        return known

    # -- what a large import reads once ----------------------------------

    def _cached(self, name: str, load):
        if name not in self.cache:
            self.cache[name] = load()
        return self.cache[name]

    # These read with plain SQL: the ORM's per-row work was most of a re-import's reading.

    def _cached_sources(self) -> dict[str, int]:
        if self.stored is not None:  # read as the checks began, before this import's first write
            return self._cached("sources", lambda: {key: pid for key, (pid, _digest) in self.stored.items()})
        return self._cached("sources", lambda: dict(_select(
            SourceRecord, "key, person_id", "AND source = %s", [self.owner.pk, self.source])))

    def _cached_holders(self) -> dict[tuple[str, str], int]:
        return self._cached("holders", lambda: {
            (sys.intern(kind), value): pid  # a handful of kinds, each once in memory
            for kind, value, pid in _select(Identity, "kind, value, person_id", "", [self.owner.pk])})

    def _people_of(self, prepared, by_key: dict[str, int], holders: dict[tuple[str, str], int]):
        """(people, affiliations, milestones) of everyone ``prepared`` may match, read once per person
        (only those: a vCard file matched against 30,000 connections needs a few thousand of them)."""
        cache = self.cache
        if "read" not in cache:
            cache["read"], cache["people"], cache["affiliations"], cache["milestones"] = set(), {}, set(), set()
        read, people = cache["read"], cache["people"]
        wanted = set()
        for record, pairs in prepared:
            pid = by_key.get(record.source_key)
            if pid is not None:
                wanted.add(pid)
            for pair in pairs:
                pid = holders.get(pair)
                if pid is not None:
                    wanted.add(pid)
        wanted -= read
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            people.update((pid, _Person(pid, name, _as_date(connected_on), met_how, notes))
                          for pid, name, connected_on, met_how, notes
                          in _select(Person, "id, name, connected_on, met_how, notes", f"AND id IN ({marks})",
                                     [self.owner.pk, *chunk]))
            cache["affiliations"].update(_select(Affiliation, "person_id, organisation_id",
                                                 f"AND person_id IN ({marks})", [self.owner.pk, *chunk]))
            cache["milestones"].update(_with_english({
                (pid, title, _as_date(on)) for pid, title, on
                in _select(Milestone, 'person_id, title, "on"', f"AND person_id IN ({marks})", [self.owner.pk, *chunk])}))
        read.update(wanted)
        return people, cache["affiliations"], cache["milestones"]

    def _remember(self, fresh: list[_Person]) -> None:
        """People this import created, for the next batches' matches (see :meth:`_people_of`)."""
        if "read" in self.cache:
            self.cache["people"].update((p.pk, p) for p in fresh)
            self.cache["read"].update(p.pk for p in fresh)

    def _fill_blanks(self, person: _Person, record: ContactRecord) -> bool:
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
        """Write one batch of checked interactions (:meth:`check`) with prepared multi-row writes."""
        known = dict(
            owned(Interaction, self.owner)
            .filter(source=self.source, source_key__in=[r.source_key for r in records])
            .values_list("source_key", "person_id")
        )
        # People whose interactions an earlier, interrupted run wrote: their summaries are refreshed too.
        self.touched.update(known.values())
        prepared = []
        for record in records:
            if record.source_key in known:
                self.summary.skipped += 1
                continue
            known[record.source_key] = None
            prepared.append((record, record.pairs))
        if self.bulk:
            holders = self._cached_holders()
        else:
            holders = self._owners_of(pair for _r, pairs in prepared for pair in pairs)
        # Old exports name people without any address: one person per name, not per message, kept
        # as a SourceRecord ("message-name:<name key>") so that a later batch or run finds them too.
        wanted = {identities.name_key(r.name) for r, pairs in prepared if not pairs and r.name}
        wanted -= self.named_strangers.keys()
        if wanted:
            self.named_strangers.update(
                (key.removeprefix(NAMED_STRANGER), pid) for key, pid in owned(SourceRecord, self.owner)
                .filter(source=self.source, key__in=[NAMED_STRANGER + _key(k) for k in wanted])
                .values_list("key", "person_id")
            )
        # Someone you exchanged with but never imported as a contact becomes a person.
        strangers: dict[tuple[str, str], _Person] = {}
        named: dict[str, _Person] = {}
        fresh: list[_Person] = []
        plans = []
        for record, pairs in prepared:
            person_id = next((holders[p] for p in pairs if p in holders), None)
            person = None
            if person_id is None:
                person = next((strangers[p] for p in pairs if p in strangers), None)
                if person is None and not pairs:
                    key = identities.name_key(record.name)
                    person_id = self.named_strangers.get(_key(key))
                    person = named.get(key) if person_id is None else None
                if person is None and person_id is None:
                    person = self._new_person(record.name or pairs[0][1])
                    fresh.append(person)
                    for pair in pairs:
                        strangers[pair] = person
                    if not pairs:
                        named[identities.name_key(record.name)] = person
            plans.append((record, person_id, person))
        self._insert_people(fresh)
        self._write_people(fresh)
        owner_id = self.owner.pk
        table(Identity, ("owner_id", "person_id", "kind", "value")).insert(
            (owner_id, person.pk, k, v) for (k, v), person in strangers.items())
        if self.bulk:
            holders.update((pair, person.pk) for pair, person in strangers.items())
            self._remember(fresh)
        table(SourceRecord, ("owner_id", "source", "key", "person_id")).insert(
            (owner_id, self.source, NAMED_STRANGER + _key(key), person.pk) for key, person in named.items())
        self.named_strangers.update((_key(key), person.pk) for key, person in named.items())
        rows = []
        for record, person_id, person in plans:
            pid = person_id if person_id is not None else person.pk
            self.touched.add(pid)
            rows.append((owner_id, pid, record.at, record.direction, record.channel, record.summary, self.source,
                         record.source_key))
        table(Interaction, ("owner_id", "person_id", "at", "direction", "channel", "summary", "source",
                             "source_key")).insert(rows)
        self.summary.interactions += len(rows)

    def finish(self) -> None:
        """Summaries, duplicate suggestions and checkups of what this import wrote; nothing when it wrote
        nothing (the same file again: the run that wrote it finished all this in its last transaction)."""
        self.cache.clear()  # what the batches compared against: not needed any more, and large
        if not (self.summary.created or self.summary.updated or self.summary.interactions or self.affiliated):
            return
        checkups.forget(self.owner.pk)  # bulk writes send no signals: everyone is checked again
        if self.touched:
            refresh_summaries(self.owner, self.touched)
        # Everyone this import reached, not only whom this run created: a run that follows an
        # interrupted one must suggest what one clean run would have (already suggested pairs are skipped).
        reached = self.created | self.affiliated | self.reached
        if reached:
            self.summary.suggestions = suggest_duplicates(self.owner, reached)


# --- prepared writes ---------------------------------------------------------------

# The SourceRecord key prefix of a person known only by name in messages (no address).
NAMED_STRANGER = "message-name:"


_NO_WHERES: dict[str, str] = {}


class _Contact:
    """A checked contact as it waits for its batch: what the writes use of its ContactRecord.

    A whole file's contacts are kept until the writes (the file is checked whole first): a
    ContactRecord with its lists and dict took about three times the memory.
    """

    __slots__ = ("where", "wheres", "source_key", "name", "pairs", "organisations", "connected_on", "met_how",
                 "notes", "milestones", "digest")

    def __init__(self, record: ContactRecord, pairs: list[tuple[str, str]]):
        self.where, self.source_key, self.name = record.where, record.source_key, record.name
        self.pairs = tuple(pairs)
        self.organisations = tuple(record.organisations)
        self.connected_on, self.met_how, self.notes = record.connected_on, record.met_how, record.notes
        self.milestones = tuple(record.milestones)
        notes_at = record.wheres.get("notes") if record.notes else None
        self.wheres = {"notes": notes_at} if notes_at else _NO_WHERES
        self.digest = ""


class _Person:
    """What an import reads and writes of a person: far lighter than a model instance."""

    __slots__ = ("pk", "name", "connected_on", "met_how", "notes")

    def __init__(self, pk, name, connected_on, met_how, notes):
        self.pk, self.name, self.connected_on, self.met_how, self.notes = pk, name, connected_on, met_how, notes


# Changed whenever what a contact's digest covers, or how its identities are normalised, changes:
# every stored record is then compared whole once more.
DIGEST_VERSION = "1"


def _digest(record: ContactRecord, region: str) -> str:
    """What :meth:`Saver.save_contacts` uses of a checked contact record (and the phone region that reads
    its numbers), as 32 hexadecimal digits: equal digests, the same record."""
    on = record.connected_on
    text = "\x1e".join((
        DIGEST_VERSION, region or "", record.name, "\x1f".join(record.emails), "\x1f".join(record.phones),
        record.linkedin, "\x1f".join(record.websites),
        "\x1f".join(f"{org}\x1d{title}" for org, title in record.organisations),
        on.isoformat() if on else "", record.met_how, record.notes,
        "\x1f".join(f"{m.title}\x1d{m.on.isoformat()}\x1d{int(m.yearly)}" for m in record.milestones),
    ))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _printed_digest(fingerprint: str, region: str) -> str:
    """The digest kept for a record the parser gave a ``fingerprint`` of (what it was read from)."""
    text = f"{DIGEST_VERSION}\x1e{region or ''}\x1e{fingerprint}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _select(model, columns: str, where: str, params: list) -> list[tuple]:
    """``SELECT columns FROM model's table WHERE owner_id = %s <where>``: plain tuples, as the database gives them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)} "
                       f"WHERE owner_id = %s {where}", params)
        return cursor.fetchall()


def _as_date(value):
    """A date column's value as a date (SQLite gives its text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _update_people(owner_id: int, people: Iterable[_Person]) -> None:
    adapt = connection.ops.adapt_datefield_value
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Person._meta.db_table)} SET connected_on = %s, met_how = %s, notes = %s "
            f"WHERE id = %s AND owner_id = %s",
            [(adapt(p.connected_on) if p.connected_on else None, p.met_how, p.notes, p.pk, owner_id) for p in people],
        )
