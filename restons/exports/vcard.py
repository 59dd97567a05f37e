"""vCard 4.0 (RFC 6350) of everyone you know, for address books (Apple Contacts, Google Contacts, Outlook).

One card per person: FN and N, emails, phones (E.164), LinkedIn and web
addresses, WhatsApp and Telegram handles, the current organisation and title,
the birthday and anniversary (``--MMDD`` when the year is unknown), circles as
CATEGORIES and notes (with how you met). People are read a thousand at a time,
so memory stays flat whatever the network's size.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

from restons.importers.textfiles import NO_YEAR
from restons.models import Affiliation, Identity, Membership, Milestone, Person
from restons.services.access import owned

BATCH = 1000
# Titles of the yearly milestones that are a birthday or a wedding anniversary (as importers store them).
BIRTHDAY_TITLES = {"birthday", "anniversaire", "bday"}
ANNIVERSARY_TITLES = {"anniversary", "anniversaire de mariage", "wedding anniversary"}
UID_NAMESPACE = uuid.UUID("1b6a3c52-3f2e-4c55-9d2e-6f0d3b7a9e10")


def escape(text: str) -> str:
    """A TEXT value with RFC 6350's escapes (backslash, comma, semicolon, newline)."""
    return (text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 75 octets (continuations start with a space), never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N: the last word is taken as the family name — address books only sort by it."""
    words = name.split()
    if len(words) < 2:
        return "", name
    return words[-1], " ".join(words[:-1])


def _day(on, yearly: bool) -> str:
    """``19850415``, or ``--0415`` for a yearly date stored without its year (importers use year 2000)."""
    if yearly and on.year == NO_YEAR:
        return f"--{on.month:02d}{on.day:02d}"
    return on.strftime("%Y%m%d")


def card(owner_id: int, person, identities, organisation, milestones, circles) -> str:
    """One person's vCard 4.0, CRLF line endings."""
    family, given = split_name(person.name)
    lines = ["BEGIN:VCARD", "VERSION:4.0",
             f"UID:urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'{owner_id}:{person.pk}')}",
             f"FN:{escape(person.name)}", f"N:{escape(family)};{escape(given)};;;"]
    for kind, value in identities:
        if kind == "email":
            lines.append(f"EMAIL:{escape(value)}")
        elif kind == "phone":
            # A text value (allowed by RFC 6350 and what address books import best), already E.164.
            lines.append(f"TEL;TYPE=cell:{value}")
        elif kind == "linkedin":
            lines.append(f"URL;TYPE=linkedin:{value}")
        elif kind == "website":
            lines.append(f"URL:{value}")
        elif kind in ("whatsapp", "telegram"):
            lines.append(f"IMPP:{kind}:{value}")
    if organisation:
        name, title = organisation
        lines.append(f"ORG:{escape(name)}")
        if title:
            lines.append(f"TITLE:{escape(title)}")
    for title, on, yearly in milestones:
        kind = title.strip().casefold()
        if kind in BIRTHDAY_TITLES and not any(line.startswith("BDAY") for line in lines):
            lines.append(f"BDAY:{_day(on, yearly)}")
        elif kind in ANNIVERSARY_TITLES and not any(line.startswith("ANNIVERSARY") for line in lines):
            lines.append(f"ANNIVERSARY:{_day(on, yearly)}")
    if circles:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in circles))
    notes = [person.notes.strip()] if person.notes.strip() else []
    if person.met_how.strip():
        how = person.met_how.strip() + (f" ({person.met_on.isoformat()})" if person.met_on else "")
        notes.append(_("How we met: %(how)s") % {"how": how})
    if notes:
        lines.append(f"NOTE:{escape(chr(10).join(notes))}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def cards(owner) -> Iterator[str]:
    """Every person's card, by name; a fixed number of queries per thousand people."""
    people = owned(Person, owner).order_by("name", "id").only("id", "name", "notes", "met_how", "met_on")
    last = None
    while True:
        page = people.filter(id__in=_page_ids(owner, last))
        batch = list(page)
        if not batch:
            return
        ids = [p.pk for p in batch]
        identities, organisations, milestones, circles = defaultdict(list), {}, defaultdict(list), defaultdict(list)
        for person_id, kind, value in owned(Identity, owner).filter(person_id__in=ids).order_by("id").values_list(
                "person_id", "kind", "value"):
            identities[person_id].append((kind, value))
        for person_id, name, title in (owned(Affiliation, owner).filter(person_id__in=ids, ended_on__isnull=True)
                                       .order_by("-started_on", "id").values_list("person_id", "organisation__name", "title")):
            organisations.setdefault(person_id, (name, title))
        for person_id, title, on, yearly in owned(Milestone, owner).filter(person_id__in=ids).order_by("on", "id").values_list(
                "person_id", "title", "on", "yearly"):
            milestones[person_id].append((title, on, yearly))
        for person_id, name in owned(Membership, owner).filter(person_id__in=ids).order_by("circle__name").values_list(
                "person_id", "circle__name"):
            circles[person_id].append(name)
        for person in batch:
            yield card(owner.pk, person, identities[person.pk], organisations.get(person.pk), milestones[person.pk],
                       circles[person.pk])
        last = (batch[-1].name, batch[-1].pk)


def _page_ids(owner, after):
    """The ids of the next BATCH people by (name, id) after ``after`` (keyset paging: no OFFSET scan)."""
    from django.db.models import Q

    people = owned(Person, owner)
    if after is not None:
        name, pk = after
        people = people.filter(Q(name__gt=name) | Q(name=name, id__gt=pk))
    return list(people.order_by("name", "id").values_list("id", flat=True)[:BATCH])


def write_vcards(owner, out: IO[str]) -> int:
    """Write every card to the text stream ``out``; returns how many."""
    count = 0
    for text in cards(owner):
        out.write(text)
        count += 1
    return count
