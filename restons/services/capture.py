"""Capture imports: messages and meetings through the capture rules into the database.

:func:`save_records` is the one entry every capture source uses (mbox,
Maildir, ICS, SMS, WhatsApp, Telegram, iMessage files through
:func:`run_capture`, and the IMAP and calendar syncs with their own records).

How it writes (issue 7, "no import blocks the app"):

1. **Read first.** Every record goes through :class:`~restons.capture.rules.Capture`
   with your identities (:func:`restons.services.me.me_of`) and the people you
   know (:class:`DatabasePeople`, one query per table). The pings it decides
   are drained every few thousand records and kept in batches: the first
   :data:`MEMORY_PINGS` in memory, the rest pickled to a temporary file (as tuples), so
   memory stays flat whatever the file's size (and most imports pickle
   nothing: a ping's round trip through pickle, as a tuple, costs about 5 µs). Nothing is
   written yet, so a file refused half-way (:class:`FileRefused`) or a source
   that cannot tell who you are (:class:`~restons.capture.me.NeedMe`) leaves
   the database as it was.
2. **Then write in short transactions** (:class:`~restons.services.prepared.Batches`:
   one per batch of at most :data:`WRITE_BATCH` pings on PostgreSQL; on SQLite,
   batches share one until it has held the lock half a second), with bulk
   statements: new people (one per
   address, with every identity the address carries), meeting occurrences
   upserted by key, conversations reconciled with the stored interactions of
   the same people, channels and directions
   (:func:`~restons.capture.conversations.reconcile`). The database's write
   lock is held for half a second at most, so logging in or pinging go on
   during an import of any size. On SQLite the stored conversations of the
   import's people are read once and kept from batch to batch (:class:`_Known`)
   as long as no other connection commits; rows go in with prepared
   ``executemany`` and ids taken first.
3. **Then the summaries**, once: :func:`~restons.services.interactions.refresh_summaries`
   for every person the file's pings are with (not per batch).
4. **Resumable.** Each batch is all or nothing and every write is idempotent
   (conversations by their span, meetings by key), so an import killed
   between (or during) batches and run again gives what one clean run gives;
   the summaries, refreshed at the end for everyone in the file whether this
   run wrote to them or not, are put right by that run too.

A stranger whose display name is exactly a known person's becomes a person of
their own with what they wrote, and a merge suggestion with the known person
(:func:`~restons.services.merges.suggest_duplicates`): accepting it moves their
pings to the person you know. Created with their pings, they are known on the
next import, which then finds every ping already stored.
"""

from __future__ import annotations

import bisect
import dataclasses
import operator
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import DurationField, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import limits
from restons.capture.conversations import GAP, Stored, reconcile
from restons.capture.me import NAME, NeedMe
from restons.capture.records import Meeting, Message
from restons.capture.rules import Capture, Ping, conversation_spans
from restons.identities import PHONE_KINDS, name_key
from restons.importers.records import FileRefused, ParseError
from restons.importers.textfiles import source_name
from restons.models import Identity, Interaction, Person
from restons.services import checkups, me as mine
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.interactions import FUTURE_TOLERANCE, refresh_summaries
from restons.services.merges import suggest_duplicates
from restons.services.prepared import Batches, allocate_ids, import_writes, others_mark, table, update_by_id
from restons.services.snapshot import QUERY_CHUNK

INTERACTION_COLUMNS = ("owner_id", "person_id", "at", "until", "direction", "channel", "summary", "source",
                       "source_key")
DRAIN = 5000  # records read between two drains of the rules
# Pings written in one transaction: 0.1–0.2 s on SQLite. Each commit writes every index page its rows changed to
# the log, and the source keys' index takes a batch's keys all over its pages: 2,000 rather than 1,000 pings a
# batch took 8 % off a 1 GB SMS backup's import (its commits 5.1 → 3.9 s of CPU).
WRITE_BATCH = 2000
MEMORY_PINGS = 30_000  # pings kept in memory between reading and writing (15–20 MB); the rest are spooled
ERRORS_MAX = 1000  # problems listed in the summary; the rest are counted in one last line
KNOWN_MAX = 2_000_000  # stored conversations kept between batches (SQLite, 24 bytes each); past it, each batch asks
IDENTITIES_MAX = 100_000  # addresses whose identities the writer keeps
SUMMARY_BATCH = 5000  # people whose summaries are refreshed in one transaction at the end of an import
NAME_MAX = Person._meta.get_field("name").max_length
IDENTITY_MAX = Identity._meta.get_field("value").max_length
IDENTITY_KINDS = {choice for choice, _label in Identity.Kind.choices}

FOLDERS = {"maildir", "ics", "whatsapp"}  # sources that also read a folder
PATH_ONLY = {"maildir", "ics", "imessage"}  # sources that need a real path (not an uploaded file object)


class DatabasePeople:
    """:class:`~restons.capture.me.People` from the owner's rows: every identity, and names for ``named``.

    Loaded once (one query per table) before the import reads its file. WhatsApp
    numbers stored as kind ``whatsapp`` are found as ``phone`` too. ``named``
    also counts, when the strangers are matched at the end of the reading, the
    people this import will create (:meth:`expect`), so that a stranger's name
    is matched the same way whether the import runs once, or again after those
    people were stored: re-imports stay idempotent.
    """

    def __init__(self, owner):
        found: dict[tuple[str, str], int] = {}
        for kind, value, pid in owned(Identity, owner).values_list("kind", "value", "person_id").iterator(chunk_size=5000):
            if kind in PHONE_KINDS:
                found.setdefault(("phone", value), pid)
            found.setdefault((kind, value), pid)
        self._identities = found
        self._names: dict[str, set] = {}
        self._expected: dict[str, set] = {}  # name key -> the new people of this import so named
        self.expecting = False  # True while the strangers' names are matched (Capture.finish)
        self._expecting: set[tuple] = set()  # what expect() has counted already
        for pid, name in owned(Person, owner).filter(archived=False).values_list("id", "name").iterator(chunk_size=5000):
            key = name_key(name)
            if key:
                self._names.setdefault(key, set()).add(pid)

    def find(self, kind: str, value: str) -> Hashable | None:
        return self._identities.get((kind, value))

    def named(self, name: str) -> Hashable | None:
        """The one person whose whole name is ``name``: stored, or also to be created once :meth:`expecting`."""
        key = name_key(name) if name else ""
        refs = self._names.get(key, set()) | (self._expected.get(key, set()) if self.expecting else set())
        return next(iter(refs)) if len(refs) == 1 else None

    def expect(self, ping: Ping) -> None:
        """Count the person ``ping`` will create (a ping without a person) among the names."""
        address = ping.address
        seen = (address.kind, address.value, ping.name, address.name)
        if seen in self._expecting:
            return  # (an address's many pings make one person: its name is counted once)
        self._expecting.add(seen)
        key = name_key(_new_name(ping))
        if key:
            self._expected.setdefault(key, set()).add(("new", address.kind, address.value))


def _new_name(ping: Ping) -> str:
    """The name of the person made for ``ping``: its display name, else the address."""
    return _clean((ping.name or ping.address.name or ping.address.value).strip(), NAME_MAX) or "?"


def _one_line(text) -> str:
    from restons.services.imports import _one_line as one_line

    return one_line(text)


def _clean(text: str, limit: int) -> str:
    """``text`` without NULs or lone surrogates, cut to ``limit`` characters."""
    if text is not None and text.isascii() and len(text) <= limit and "\x00" not in text:
        return text  # (most summaries: what _no_nul would give, without importing it on every call)
    from restons.services.imports import _no_nul

    text = _no_nul(text or "")
    if len(text) <= limit:
        return text
    return limits.cut_text(text)[0] if limit == limits.TEXT_MAX else text[:limit]


class _Reader:
    """Phase 1: the records through the rules, the pings kept in batches (the later ones spooled to ``spool``)."""

    def __init__(self, owner, summary, spool, progress):
        self.summary = summary
        self.spool = spool
        self.progress = progress
        self.people = DatabasePeople(owner)
        self.capture = Capture(mine.me_of(owner), self.people)
        self.now = timezone.now()
        self.earliest = datetime.combine(limits.DATE_MIN, datetime.min.time(), UTC)
        self.latest = min(self.now + FUTURE_TOLERANCE, datetime.combine(limits.DATE_MAX, datetime.max.time(), UTC))
        self.batches = 0
        self.kept: list[list[Ping]] = []  # the first batches, in memory; those after MEMORY_PINGS are spooled
        self.kept_pings = 0
        self.spooled = 0
        self.waiting: list[Ping] = []  # pings drained but not in a batch yet: batches are cut at WRITE_BATCH
        self.read_ok = 0  # messages and meetings read (whatever they become)
        self.hidden_errors = 0
        self.learned = []

    def report(self, where: str, why: str) -> None:
        if len(self.summary.errors) < ERRORS_MAX:
            self.summary.errors.append({"where": _one_line(where), "why": _one_line(why)})
        else:
            self.hidden_errors += 1

    def vetted(self, record: Message | Meeting) -> bool:
        """True when the record's time can be a ping: within limits and not in the future."""
        moment = record.at if type(record) is Message else record.start
        if moment.tzinfo is UTC and self.earliest <= moment <= self.latest:
            return True  # (a UTC time: its date is within the limits when the time is)
        in_range = limits.DATE_MIN <= moment.date() <= limits.DATE_MAX
        if in_range and moment <= self.now + FUTURE_TOLERANCE:
            return True
        if len(self.summary.errors) >= ERRORS_MAX:  # only counted: not worth putting into words
            self.hidden_errors += 1
            return False
        if not in_range:
            self.report(record.where, _("%(date)s is out of range (%(min)s to %(max)s); it was left out.")
                        % {"date": moment.date().isoformat(), "min": limits.DATE_MIN.isoformat(),
                           "max": limits.DATE_MAX.isoformat()})
            return False
        self.report(record.where, _("%(when)s is in the future; a ping records something that already happened, "
                                    "so this one was left out.") % {"when": moment.isoformat(timespec="minutes")})
        return False

    def read(self, records: Iterable) -> None:
        summary, capture = self.summary, self.capture
        add, vetted = capture.add, self.vetted
        count, read_ok, drain_at = summary.records, 0, summary.records + DRAIN - summary.records % DRAIN
        for record in records:
            count += 1
            kind = type(record)
            if kind is Message or kind is Meeting or isinstance(record, (Message, Meeting)):
                read_ok += 1
                if vetted(record):
                    add(record)
            elif isinstance(record, ParseError):
                self.report(record.where, record.why)
            if count == drain_at:
                drain_at += DRAIN
                summary.records = count
                self.dump(capture.drain())
                if self.progress:
                    self.progress(count)
        summary.records = count
        self.read_ok += read_ok
        # Every new person is expected before finish() matches the strangers' names.
        self.dump(capture.drain())
        self.flush()  # (the pings finish() gives are batches of their own, as they always were)
        # Strangers whose name is a known person's: their spans, before finish() forgets them.
        inbound, inbound_groups = capture.inbound, capture.inbound_groups
        self.people.expecting = True
        result = capture.finish()
        pings = result.pings
        for suggestion in result.suggestions:
            ident = (suggestion.address.kind, suggestion.address.value)
            for group in sorted(inbound_groups.get(ident, ()), key=repr):
                for span in inbound.groups.get(group, ()):
                    ping = capture._conversation_ping(group, span)
                    ping.name = ping.name or suggestion.name
                    pings.append(ping)
        self.dump(pings)
        self.flush()
        summary.strangers = result.strangers
        summary.ignored = dict(sorted(result.ignored.items()))
        summary.learned = [{"kind": a.kind, "value": a.value} for a in result.learned]
        self.learned = result.learned
        if self.hidden_errors:
            summary.errors.append({"where": "…", "why": ngettext(
                "and %(count)s more problem", "and %(count)s more problems", self.hidden_errors)
                % {"count": self.hidden_errors}})

    def dump(self, pings: list[Ping]) -> None:
        """Cut ``pings`` into batches of WRITE_BATCH (:meth:`_batch`); what is left waits for the next drain's.

        (A drain of a chat gives a few hundred conversations: batches of a drain each would cost
        a transaction, its queries and a pause each. Any cut gives the same interactions.)
        """
        expect = self.people.expect
        for ping in pings:
            if ping.person is None:
                expect(ping)
        waiting = self.waiting
        waiting.extend(pings)
        while len(waiting) >= WRITE_BATCH:
            self._batch(waiting[:WRITE_BATCH])
            del waiting[:WRITE_BATCH]

    def flush(self) -> None:
        """Make the pings still waiting one last (shorter) batch."""
        if self.waiting:
            self._batch(self.waiting)
            self.waiting = []

    def _batch(self, pings: list[Ping]) -> None:
        """Keep one batch: in memory while the batches kept hold fewer than MEMORY_PINGS, else spooled (and
        every later one too, so that the batches stay in the order they were made)."""
        if not self.spooled and self.kept_pings + len(pings) <= MEMORY_PINGS:
            self.kept.append(pings)
            self.kept_pings += len(pings)
        else:  # as plain tuples: pickled and loaded in 3.7 µs a ping, against 13 µs for the dataclass
            pickle.dump([_ping_fields(ping) for ping in pings], self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.spooled += 1
        self.batches += 1

    def batches_in_order(self) -> Iterator[list[Ping]]:
        """Every batch, in the order they were made: those kept (each let go once given), then the spooled."""
        self.kept.reverse()  # (popped from the end: the first made first)
        while self.kept:
            yield self.kept.pop()
        self.kept_pings = 0
        self.spool.seek(0)
        for _number in range(self.spooled):
            yield [Ping(*fields) for fields in pickle.load(self.spool)]


_ping_fields = operator.attrgetter(*(field.name for field in dataclasses.fields(Ping)))  # Ping(*fields) again


def _identities(ping: Ping) -> list[tuple[str, str]]:
    """The identities a new person made from ``ping`` gets (a bare name makes none)."""
    return [(kind, value) for kind, value in ping.address.identities()
            if kind != NAME and kind in IDENTITY_KINDS and value and len(value) <= IDENTITY_MAX]


class _NewPerson:
    """A person a batch makes: the name now, the id once taken."""

    __slots__ = ("name", "pk")

    def __init__(self, name: str):
        self.name = name
        self.pk: int | None = None


class _Writer:
    """Phase 2: the batches of pings, each all or nothing."""

    def __init__(self, owner, source: str, summary):
        self.owner = owner
        self.source = source
        self.summary = summary
        self.now = timezone.now()
        self.made: dict[tuple[str, str], int] = {}  # identity -> person made by this import
        self.named: dict[str, int] = {}  # name key -> person made for a bare name by this import
        self.people: set[int] = set()  # everyone this import's pings are with: their summaries, at the end
        self.identities: dict[tuple, list] = {}  # an address -> the identities a person made from it gets
        self.known = _Known() if connection.vendor == "sqlite" else None
        self.longest: timedelta | None = None  # the longest stored conversation (asked when first needed)
        self.copies = connection.vendor == "postgresql"  # conversations written with COPY, keys asked only on a clash

    def learn(self, learned) -> None:
        with transaction.atomic():
            mine.learn(self.owner, learned, self.source)

    def write(self, pings: list[Ping]) -> None:
        """Write one batch (in its transaction: :meth:`Batches.batch`)."""
        created = self._people(pings)
        self.people.update(ping.person for ping in pings)
        self._meetings([p for p in pings if not p.grouped])
        self._conversations([p for p in pings if p.grouped])
        if created:
            # Someone new named like someone you know: a suggestion, in the same transaction.
            self.summary.suggestions += suggest_duplicates(self.owner, created)

    def finish(self, batches: Batches) -> None:
        """Refresh the summaries (last touch, ...) of everyone the import's pings are with, once.

        Every person of the file, not only those this run wrote to: a run killed between two batches
        left its people's summaries as they were, and running it again (which then writes nothing
        for them) puts them right.
        """
        people = sorted(self.people)
        for start in range(0, len(people), SUMMARY_BATCH):
            with batches.batch():
                refresh_summaries(self.owner, people[start:start + SUMMARY_BATCH])

    # -- people ------------------------------------------------------------

    def _holders(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        values = sorted({value for _kind, value in pairs})
        for start in range(0, len(values), QUERY_CHUNK):
            rows = owned(Identity, self.owner).filter(value__in=values[start:start + QUERY_CHUNK])
            for kind, value, pid in rows.values_list("kind", "value", "person_id"):
                found.setdefault(("phone" if kind in PHONE_KINDS else kind, value), pid)
        return found

    def _made_for(self, ref: tuple) -> int | None:
        """The person made for ``("new", kind, value)``, the name :meth:`DatabasePeople.expect` promised."""
        _new, kind, value = ref
        return self.named.get(name_key(value)) if kind == NAME else self.made.get((kind, value))

    def _people(self, pings: list[Ping]) -> set[int]:
        """Give every ping without a person one: found by identity (made earlier), else made now."""
        for ping in pings:
            if isinstance(ping.person, tuple):
                # Found by name, in a later batch, as someone an earlier batch of this import made.
                ping.person = self._made_for(ping.person)
        needed = []
        made, cache = self.made, self.identities
        for ping in pings:
            if ping.person is None:
                address = ping.address
                ident = (address.kind, address.value, address.others)
                idents = cache.get(ident)
                if idents is None:
                    idents = cache[ident] = _identities(ping)
                    if len(cache) > IDENTITIES_MAX:
                        cache.clear()
                # Made by an earlier batch of this import (most pings of a phone import: numbers
                # nobody knew when the file was read): no query.
                if idents and idents[0] in made:
                    ping.person = made[idents[0]]
                else:
                    needed.append((ping, idents))
        if not needed:
            return set()
        holders = self._holders({pair for _ping, idents in needed for pair in idents if pair not in self.made})
        fresh: list[_NewPerson] = []
        plans: list[tuple[Ping, _NewPerson | int]] = []
        pending: dict[tuple[str, str], _NewPerson] = {}
        pending_names: dict[str, _NewPerson] = {}
        for ping, idents in needed:
            pid = next((self.made.get(p) or holders.get(p) for p in idents if self.made.get(p) or holders.get(p)), None)
            if pid is None and ping.address.kind == NAME:
                pid = self.named.get(name_key(ping.address.value))
            if pid is not None:
                plans.append((ping, pid))
                continue
            person = next((pending[p] for p in idents if p in pending), None)
            if person is None and ping.address.kind == NAME:
                person = pending_names.get(name_key(ping.address.value))
            if person is None:
                person = _NewPerson(_new_name(ping))
                fresh.append(person)
                if ping.address.kind == NAME:
                    pending_names[name_key(ping.address.value)] = person
            for pair in idents:
                pending.setdefault(pair, person)
            plans.append((ping, person))
        # One prepared INSERT with ids taken first (no model instances: they cost more than the rows).
        for person, pk in zip(fresh, allocate_ids(Person, len(fresh))):
            person.pk = pk
        table(Person, ("id", "owner_id", "name", "created_at")).insert(
            (person.pk, self.owner.pk, person.name, self.now) for person in fresh)
        self.summary.created += len(fresh)
        rows = []
        for pair, person in pending.items():
            self.made[pair] = person.pk
            rows.append((self.owner.pk, person.pk, pair[0], pair[1]))
        table(Identity, ("owner_id", "person_id", "kind", "value"), ignore_conflicts=True).insert(rows)
        for key, person in pending_names.items():
            self.named[key] = person.pk
        for ping, who in plans:
            ping.person = who if isinstance(who, int) else who.pk
        return {person.pk for person in fresh}

    # -- meetings ------------------------------------------------------------

    def _meetings(self, pings: list[Ping]) -> set[int]:
        """Each occurrence with each attendee once, by key (the calendar imports and syncs share one source)."""
        if not pings:
            return set()
        # Found by key through the unique index, then read by id: asked by key alone, the database read every
        # interaction of the owner for each chunk of keys (0.37 s a chunk beside 300,000 messages).
        ids = sorted(set(self._taken([p.key for p in pings]).values()))
        stored: dict[str, tuple] = {}
        for start in range(0, len(ids), QUERY_CHUNK):
            rows = owned(Interaction, self.owner).filter(id__in=ids[start:start + QUERY_CHUNK])
            for row in rows.values_list("source_key", "id", "person_id", "at", "until", "summary", "channel"):
                stored.setdefault(row[0], row[1:])
        new, changed, touched = [], [], set()
        for ping in pings:
            summary = _clean(ping.summary, limits.TEXT_MAX)
            if ping.key in stored:
                pk, pid, at, until, old_summary, channel = stored[ping.key]
                if (at, until, old_summary, channel) != (ping.at, ping.until, summary, ping.channel):
                    changed.append(Interaction(pk=pk, at=ping.at, until=ping.until, summary=summary, channel=ping.channel))
                    touched.add(pid)
                continue
            stored[ping.key] = (None, ping.person, ping.at, ping.until, summary, ping.channel)
            new.append((self.owner.pk, ping.person, ping.at, ping.until, ping.direction, ping.channel, summary,
                        self.source, ping.key))
            touched.add(ping.person)
        _insert(INTERACTION_COLUMNS, new)
        if changed:
            update_by_id(Interaction, self.owner, ["at", "until", "summary", "channel"],
                    [(i.at, i.until, i.summary, i.channel, i.pk) for i in changed])
        self.summary.interactions += len(new)
        return touched

    # -- conversations ---------------------------------------------------------

    def _stored(self, spans) -> list[Stored]:
        """The stored conversations of the spans' people, channels and directions near the spans' times."""
        if self.known is not None:
            self.known.refresh()
            people = {group[0][1] for group, _span in spans}
            self.known.load(self.owner, people - self.known.people)
            if len(self.known) <= KNOWN_MAX:
                return self.known.near_spans(self.owner, spans)
            self.known = None  # too many to keep in memory: the database is asked for each batch
        low = min(span.first for _group, span in spans) - GAP
        high = max(span.last for _group, span in spans) + GAP
        people = sorted({group[0][1] for group, _span in spans})
        channels = {group[1] for group, _span in spans}
        directions = {group[2] for group, _span in spans}
        if self.longest is None:
            self.longest = owned(Interaction, self.owner).filter(until__isnull=False).aggregate(
                longest=Max(F("until") - F("at"), output_field=DurationField()))["longest"] or timedelta(0)
        stored = []
        for start in range(0, len(people), QUERY_CHUNK):
            # No stored conversation reaching ``low`` starts before ``low`` less the longest: the index on
            # (owner, person, at) is read over the batch's times only, not over each person's whole past.
            rows = owned(Interaction, self.owner).filter(
                person_id__in=people[start:start + QUERY_CHUNK], channel__in=channels, direction__in=directions,
                until__isnull=False, at__gte=low - self.longest, at__lte=high, until__gte=low)
            stored.extend(_stored_row(row) for row in rows.values_list(*_Known.COLUMNS))
        return stored

    def _taken(self, keys: list[str]) -> dict[str, int]:
        """The ``keys`` this source already stored (an interaction you edited, say), with their rows' ids.

        SQLite is asked with the unique index's own condition (``source_key <> ''``, written out,
        not a parameter): it uses a partial index only then, and otherwise scanned every
        interaction of the owner for each chunk of keys. PostgreSQL is asked for each key with
        its own probe of that index (a lateral join): given the keys as one list, a table without
        statistics yet (a new database, or autovacuum off) was read whole for each chunk, the
        keys a filter over every key the owner's source had stored.
        """
        taken: dict[str, int] = {}
        if not keys:
            return taken
        quote = connection.ops.quote_name
        table_name, owner, source, key = (quote(name) for name in (
            Interaction._meta.db_table, "owner_id", "source", "source_key"))
        postgresql = connection.vendor == "postgresql"
        size = len(keys) if postgresql else QUERY_CHUNK  # (PostgreSQL: one array, however long)
        with connection.cursor() as cursor:
            for start in range(0, len(keys), size):
                chunk = keys[start:start + size]
                if postgresql:
                    cursor.execute(
                        f"SELECT asked.key, found.id FROM unnest(%s::text[]) AS asked(key) CROSS JOIN LATERAL "
                        f"(SELECT {quote('id')} AS id FROM {table_name} WHERE {owner} = %s AND {source} = %s "
                        f"AND {key} = asked.key AND NOT ({key} = '') LIMIT 1) AS found",
                        [chunk, self.owner.pk, self.source])
                else:
                    cursor.execute(
                        f"SELECT {key}, {quote('id')} FROM {table_name} WHERE {owner} = %s AND {source} = %s "
                        f"AND {key} IN ({', '.join(['%s'] * len(chunk))}) AND NOT ({key} = '')",
                        [self.owner.pk, self.source, *chunk])
                taken.update(cursor.fetchall())
        return taken

    def _conversations(self, pings: list[Ping]) -> set[int]:
        if not pings:
            return set()
        spans = conversation_spans(pings)
        stored = self._stored(spans)
        plan = reconcile(spans, stored)
        touched = {group[0][1] for group, _span in plan.create + plan.update}
        # A key stored under another span (an interaction you edited) is left as it is. SQLite: the insert
        # itself finds it (ON CONFLICT DO NOTHING). PostgreSQL: the rows are copied in at once, and only when
        # the copy meets a stored key are the keys asked for (COPY has no ON CONFLICT).
        keys = [span.key for _group, span in plan.create]
        taken = self._taken(keys) if self.known is None and not self.copies else {}
        new, made = self._new_rows(plan.create, taken)
        for start in range(0, len(plan.delete), QUERY_CHUNK):
            owned(Interaction, self.owner).filter(id__in=plan.delete[start:start + QUERY_CHUNK]).delete()
        updates = [(span.first, span.last, _clean(span.summary, limits.TEXT_MAX), span.stored)
                   for _group, span in plan.update]
        if self.known is not None:
            # The rows' ids are taken first, so that the next batch knows them without asking.
            ids = allocate_ids(Interaction, len(new))
            written = _insert(("id", *INTERACTION_COLUMNS), [(pk, *row) for pk, row in zip(ids, new)],
                              keep_stored=True)
            made = [((group[0][1], group[1], group[2]), span.first, span.last, pk)
                    for (group, span, _summary), pk in zip(made, ids)]
            if written < len(made):  # some keys were stored already: only the rows written are known
                made = _only_written(self.owner, made)
            count = len(made)
        elif self.copies:
            try:
                with transaction.atomic():  # (a savepoint: a stored key undoes the copy alone)
                    count = _insert(INTERACTION_COLUMNS, new)
            except IntegrityError:
                new, _made = self._new_rows(plan.create, self._taken(keys))
                count = _insert(INTERACTION_COLUMNS, new)
        else:
            count = _insert(INTERACTION_COLUMNS, new)
        if updates:
            update_by_id(Interaction, self.owner, ["at", "until", "summary"], updates)
        if self.longest is not None:  # (kept up to date with this import's own conversations)
            for _group, span in plan.create + plan.update:
                if span.last - span.first > self.longest:
                    self.longest = span.last - span.first
        if self.known is not None:
            self.known.written(made, [span for _group, span in plan.update], plan.delete,
                               {item.ref: item for item in stored})
        self.summary.interactions += count
        return touched

    def _new_rows(self, create: list, taken) -> tuple[list[tuple], list[tuple]]:
        """The rows of the spans to create, and (group, span, summary) of each, leaving out keys ``taken``
        and a key met twice. In person and time order: each row's entries in the interaction indexes then
        land next to the previous row's, on pages the database has just read."""
        new, made, seen = [], [], set(taken)
        for group, span in sorted(create, key=_person_then_time):
            if span.key in seen:
                continue
            seen.add(span.key)
            summary = _clean(span.summary, limits.TEXT_MAX)
            new.append((self.owner.pk, group[0][1], span.first, span.last, group[2], group[1], summary, self.source,
                        span.key))
            made.append((group, span, summary))
        return new, made


def _person_then_time(item) -> tuple:
    group, span = item
    return group[0][1], span.first


def _only_written(owner, made: list[tuple]) -> list[tuple]:
    """Of ``made`` (group, at, until, id), those whose row is in the database: the others' keys were stored."""
    ids = [item[3] for item in made]
    found: set[int] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), QUERY_CHUNK):
            chunk = ids[start:start + QUERY_CHUNK]
            cursor.execute(f"SELECT {_quoted(['id'])} FROM {_quoted([_INTERACTIONS])} WHERE {_quoted(['owner_id'])} = %s "
                           f"AND {_quoted(['id'])} IN ({', '.join(['%s'] * len(chunk))})", [owner.pk, *chunk])
            found.update(row[0] for row in cursor.fetchall())
    return [item for item in made if item[3] in found]


def _insert(columns: tuple[str, ...], rows: list[tuple], *, keep_stored: bool = False) -> int:
    """Insert interactions, ``columns`` per row, with :func:`~restons.services.prepared.table`'s statement.

    Its datetimes are adapted here, the way Django's SQLite backend does (naive, in the
    connection's zone, as text), in a fifth of the time the backend's general adapter takes;
    PostgreSQL's driver takes them as they are. With ``keep_stored`` (SQLite), a row whose
    source key is stored already is left out, and the rows written are counted.
    """
    if not rows:
        return 0
    statement = table(Interaction, columns, ignore_conflicts=keep_stored)
    if connection.vendor != "sqlite":
        # PostgreSQL: COPY from a hundred rows on (no ON CONFLICT: a stored key fails it, see _conversations);
        # executemany sent each row as a statement of its own, that the server parsed and planned again.
        return statement.insert(rows)
    defaults = statement.defaults
    zone = connection.timezone
    at, until = columns.index("at"), columns.index("until")

    def text(moment):
        if moment is None or moment.utcoffset() is None:
            return None if moment is None else str(moment)
        if moment.tzinfo is zone:  # (the parsers' UTC times, on the UTC connection: no conversion)
            if zone is UTC:  # str() of the naive time, without making it: the text less "+00:00"
                return moment.isoformat(" ")[:-6]
            return str(moment.replace(tzinfo=None))
        return str(moment.astimezone(zone).replace(tzinfo=None))

    prepared = []
    for row in rows:
        row = list(row)
        first, last = row[at], row[until]
        row[at] = text(first)
        row[until] = row[at] if last is first else text(last)  # (a lone message: one time)
        prepared.append((*row, *defaults))
    with connection.cursor() as cursor:
        cursor.executemany(statement.sql, prepared)
        return cursor.rowcount if keep_stored else len(prepared)


def _stored_row(row) -> Stored:
    pk, pid, channel, direction, at, until, key, summary = row
    return Stored(ref=pk, who=("person", pid), channel=channel, direction=direction, at=at, until=until, key=key,
                  summary=summary)


class _Known:
    """Where the stored conversations of the people an import has met are, kept between batches (SQLite).

    Asking the database, for each batch, for the stored conversations near the batch's
    times scans every earlier interaction of its people (the index is on their start):
    an import's writes grew with what it had already written. Instead each person's
    conversations are read once, the first time a batch meets them, as three numbers
    each (start, end, id: 24 bytes, so that memory stays flat), and each batch's own
    writes are applied here; the few near a batch are then read by id. It holds only
    while nobody else writes: SQLite's ``PRAGMA data_version`` changes when another
    connection commits, and then everything kept is forgotten and read again (a batch
    holds the write lock from its start, so nothing changes during one).
    """

    COLUMNS = ("id", "person_id", "channel", "direction", "at", "until", "source_key", "summary")

    def __init__(self):
        self.version = None
        self.people: set[int] = set()
        self.groups: dict[tuple, _Spans] = {}  # (person id, channel, direction) -> its stored spans
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def refresh(self) -> None:
        """Forget everything when another connection committed since the last batch (or this one is new)."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            # The counter is the connection's own: a new connection (after a reconnect) starts afresh.
            version = (connection.connection, cursor.fetchone()[0])
        if self.version is None or version[0] is not self.version[0] or version[1] != self.version[1]:
            self.version = version
            self.people, self.groups, self.size = set(), {}, 0

    def load(self, owner, people: set[int]) -> None:
        ordered = sorted(people)
        # One plain statement per chunk, its times naive UTC as the driver gives them: the ORM's
        # query building and its per-value conversions cost more than the rows (a re-import of an
        # mbox reads every stored conversation of its people here).
        add = self._add_micro
        with connection.cursor() as cursor:
            for start in range(0, len(ordered), QUERY_CHUNK):
                chunk = ordered[start:start + QUERY_CHUNK]
                cursor.execute(f"SELECT {_quoted(self.COLUMNS[:6])} FROM {_quoted([_INTERACTIONS])} "
                               f"WHERE {_quoted(['owner_id'])} = %s AND {_quoted(['until'])} IS NOT NULL "
                               f"AND {_quoted(['person_id'])} IN ({', '.join(['%s'] * len(chunk))})",
                               [owner.pk, *chunk])
                while rows := cursor.fetchmany(5000):  # (a person may have many: memory stays flat)
                    for pk, pid, channel, direction, at, until in rows:
                        add((pid, channel, direction), _micro_of(at), _micro_of(until), pk)
        self.people |= people

    def _add_micro(self, group: tuple, at: int, until: int, ref: int) -> None:
        spans = self.groups.get(group)
        if spans is None:
            spans = self.groups[group] = _Spans()
        spans.add(at, until, ref)
        self.size += 1

    def _add(self, group: tuple, at, until, ref: int) -> None:
        self._add_micro(group, _micro(at), _micro(until), ref)

    def _remove(self, item: Stored) -> None:
        spans = self.groups.get((item.who[1], item.channel, item.direction))
        if spans is not None and spans.remove(item.ref, _micro(item.at)):
            self.size -= 1

    def near_spans(self, owner, spans) -> list[Stored]:
        """The stored conversations within GAP of one of ``spans`` (``(group, span)``) in its group, read by id.

        (Only those: the batch's whole time range would also bring every stored conversation of its
        people in that range, read for nothing, which was most of an mbox batch's reading. Each
        group's kept spans are asked once, over the group's range, then sifted here.)
        """
        gap = GAP_MICRO
        groups = self.groups
        by_group: dict[tuple, list] = {}
        for group, span in spans:
            key = (group[0][1], group[1], group[2])
            if key in groups:
                items = by_group.get(key)
                if items is None:
                    by_group[key] = [span]
                else:
                    items.append(span)
        refs: set[int] = set()
        for key, items in by_group.items():
            if len(items) == 1:
                refs.update(groups[key].near(_micro(items[0].first) - gap, _micro(items[0].last) + gap))
                continue
            found = groups[key].near_items(_micro(min(span.first for span in items)) - gap,
                                           _micro(max(span.last for span in items)) + gap)
            if not found:
                continue
            windows = sorted((_micro(span.first) - gap, _micro(span.last) + gap) for span in items)
            lows, highs = [], []  # the windows' union: disjoint, sorted
            for low, high in windows:
                if highs and low <= highs[-1]:
                    if high > highs[-1]:
                        highs[-1] = high
                else:
                    lows.append(low)
                    highs.append(high)
            for at, until, ref in found:
                index = bisect.bisect_right(lows, until) - 1
                if index >= 0 and highs[index] >= at:
                    refs.add(ref)
        return self._read(owner, sorted(refs))

    def _read(self, owner, refs: list[int]) -> list[Stored]:
        found = []
        with connection.cursor() as cursor:  # (as load does: a plain statement, the times made aware here)
            for start in range(0, len(refs), QUERY_CHUNK):
                chunk = refs[start:start + QUERY_CHUNK]
                cursor.execute(f"SELECT {_quoted(self.COLUMNS)} FROM {_quoted([_INTERACTIONS])} "
                               f"WHERE {_quoted(['owner_id'])} = %s AND {_quoted(['id'])} IN "
                               f"({', '.join(['%s'] * len(chunk))})", [owner.pk, *chunk])
                for pk, pid, channel, direction, at, until, key, summary in cursor.fetchall():
                    found.append(Stored(ref=pk, who=("person", pid), channel=channel, direction=direction,
                                        at=_utc_of(at), until=_utc_of(until), key=key, summary=summary))
        return found

    def written(self, made, updated, deleted, stored: dict) -> None:
        """Apply a batch's writes: ``made`` (group, at, until, id), updated spans, deleted ids; ``stored`` by id."""
        for ref in deleted:
            if ref in stored:
                self._remove(stored[ref])
        for span in updated:
            old = stored.get(span.stored)
            if old is not None:
                self._remove(old)
                self._add((old.who[1], old.channel, old.direction), span.first, span.last, old.ref)
        for group, at, until, ref in made:
            self._add(group, at, until, ref)


class _Spans:
    """One group's stored conversations as parallel arrays sorted by start (microseconds), and the longest's length."""

    __slots__ = ("ats", "untils", "refs", "longest")

    def __init__(self):
        self.ats, self.untils, self.refs = array("q"), array("q"), array("q")
        self.longest = 0

    def add(self, at: int, until: int, ref: int) -> None:
        if not self.ats or self.ats[-1] <= at:  # a file read in time order: after the others
            self.ats.append(at)
            self.untils.append(until)
            self.refs.append(ref)
        else:
            index = bisect.bisect_right(self.ats, at)
            self.ats.insert(index, at)
            self.untils.insert(index, until)
            self.refs.insert(index, ref)
        if until - at > self.longest:
            self.longest = until - at

    def remove(self, ref: int, at: int) -> bool:
        index = bisect.bisect_left(self.ats, at)
        while index < len(self.ats) and self.ats[index] == at:
            if self.refs[index] == ref:
                del self.ats[index], self.untils[index], self.refs[index]
                return True
            index += 1
        return False

    def near(self, low: int, high: int) -> list[int]:
        """The ids of those :meth:`near_items` finds."""
        return [ref for _at, _until, ref in self.near_items(low, high)]

    def near_items(self, low: int, high: int) -> list[tuple[int, int, int]]:
        """(start, end, id) of those with ``at <= high`` and ``until >= low``: none starts before ``low`` minus
        the longest."""
        stop = bisect.bisect_right(self.ats, high)
        begin = bisect.bisect_left(self.ats, low - self.longest)
        ats, untils, refs = self.ats, self.untils, self.refs
        return [(ats[index], untils[index], refs[index]) for index in range(begin, stop) if untils[index] >= low]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
GAP_MICRO = GAP // MICROSECOND


_NAIVE_EPOCH = datetime(1970, 1, 1)
_INTERACTIONS = Interaction._meta.db_table


def _quoted(names) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _utc_of(value) -> datetime | None:
    """A time as SQLite's driver gives it (naive UTC, as Django writes it; text if undeclared) made aware."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _micro_of(value) -> int:
    """A time as SQLite's driver gives it (see _utc_of) as microseconds since 1970 (see _micro)."""
    if isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return (moment - _NAIVE_EPOCH) // MICROSECOND
        return _micro(moment)
    return _micro(_utc_of(value))


def _micro(moment: datetime) -> int:
    """An aware datetime as whole microseconds since 1970 (exact, and ordered as the datetimes are)."""
    return (moment - EPOCH) // MICROSECOND


def save_records(owner, source: str, records: Iterable, *, where: str,
                 progress: Callable[[int], None] | None = None):
    """Save the messages and meetings of one capture import; returns its :class:`ImportSummary`.

    ``records`` yields :class:`~restons.capture.records.Message`,
    :class:`~restons.capture.records.Meeting` and
    :class:`~restons.importers.records.ParseError` (reported in ``errors``);
    ``where`` names the import in a refusal (the file's name). ``source`` is
    stored on each new interaction (``mbox``, ``imap``, ``ics``, ...).
    ``progress`` is called with the number of records read so far.

    Raises UserError, one line, with nothing written, for a file refused
    half-way, a source that cannot tell which messages are yours
    (:class:`~restons.capture.me.NeedMe`), or a file in which nothing could
    be read. See the module docstring for how the writes are cut.
    """
    from restons.services.imports import ImportSummary, _nothing_imported, fewer_collections

    summary = ImportSummary()
    # (Each record and ping is a few objects: with the collector's usual threshold it ran hundreds of times an
    # import, walking the pings kept in memory each time: 12–16 % of a chat's or a mailbox's import.)
    with fewer_collections(), tempfile.TemporaryFile(prefix="restons-capture-") as spool:
        reader = _Reader(owner, summary, spool, progress)
        since = others_mark()  # (someone who writes while the file is read is paused for from the first batch)
        try:
            reader.read(records)
            if not reader.read_ok and summary.errors:
                raise FileRefused(_nothing_imported(summary, source))
        except (FileRefused, NeedMe) as refusal:  # said with the file's name, as every refusal is
            why = _one_line(refusal)
            raise UserError(why if where and why.startswith(where) else _one_line(f"{where}: {why}")) from None
        except OSError as error:
            raise UserError(_one_line(f"{where}: {error.strerror or error}")) from None
        writer = _Writer(owner, source, summary)
        if reader.learned:
            writer.learn(reader.learned)
        with import_writes(since) as batches:
            for batch in reader.batches_in_order():
                with batches.batch():
                    writer.write(batch)
                if progress:
                    progress(summary.records)
            writer.finish(batches)
    checkups.forget(owner.pk)
    return summary


def _options(owner, source: str, region: str | None, options: dict) -> dict:
    """The parser's options: your phone region and time zone, the time now, your name in chats."""
    from restons.services.accounts import settings_of

    chosen = settings_of(owner)
    region = region or chosen.region
    zone = ZoneInfo(chosen.time_zone)
    extra: dict = {}
    if source in ("sms-xml", "whatsapp", "telegram", "imessage"):
        extra["region"] = region
    if source in ("whatsapp", "telegram", "ics"):
        extra["tz"] = zone
    if source == "ics":
        extra["now"] = timezone.now()
    if source == "whatsapp":
        name = mine.show_me(owner)["name"]
        extra["me_names"] = [name] if name else []
    extra.update(options)
    return extra


def run_capture(owner, source: str, path, *, progress: Callable[[int], None] | None = None,
                region: str | None = None, **options):
    """Import ``path`` (a file, or a folder for Maildir, ICS and WhatsApp) with a capture source's parser."""
    from restons.services.imports import parser_for

    parse = parser_for(source)
    name = source_name(path)
    if isinstance(path, (str, os.PathLike)):
        if not os.path.exists(path):
            raise UserError(_("%(name)s: no such file or folder") % {"name": name})
        if os.path.isdir(path) and source not in FOLDERS:
            raise UserError(_("%(name)s is a folder; %(source)s imports a file") % {"name": name, "source": source})
        if os.path.isfile(path) and source == "maildir":
            raise UserError(_("%(name)s is a file; a Maildir is a folder (with cur/ and new/)") % {"name": name})
        if os.path.isfile(path) and os.path.getsize(path) == 0:
            from restons.services.imports import _expected

            raise UserError(_("%(name)s: the file is empty; expected %(what)s") % {"name": name, "what": _expected(source)})
    elif source in PATH_ONLY:
        raise UserError(_("%(source)s reads a file or folder on this machine; save the upload first")
                        % {"source": source})
    try:
        records = parse(path, **_options(owner, source, region, options))
    except FileRefused as refusal:
        raise UserError(_one_line(refusal)) from None
    return save_records(owner, source, records, where=name, progress=progress)
