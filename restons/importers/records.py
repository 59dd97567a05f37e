"""What a parser yields: plain records that know nothing of the database.

A parser is a function ``parse(path_or_file, **options) -> Iterator[Record]``
that streams its input and yields :class:`ContactRecord`,
:class:`InteractionRecord` or :class:`ParseError` (a bad row or field does
not stop the import; it is reported with where it was and why).

A ``where`` names the file, the line and, for a field, the field:
``"Connections.csv line 12"``, ``"Connections.csv line 12, Connected On"``,
``"contacts.vcf line 40, EMAIL"``. A record's ``wheres`` says where each of its
values was read (keys: an attribute name — ``"name"``, ``"notes"``,
``"met_how"``, ``"connected_on"``, ``"organisations"``, ``"title"``, ``"at"``,
``"summary"`` — or an identity's raw value), so that the shared save can point
at the field when it refuses or cuts a value; ``record.where`` is the fallback.

A file that is not what the source expects (binary, empty, a CSV without the
source's headers, a corrupt archive) raises :class:`FileRefused`: the whole
import is refused with that one line and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


class FileRefused(ValueError):
    """The file is not what its source expects, or cannot be read through: refuse it whole.

    The message is one line that names the file (and the member, in an
    archive) and says what was expected.
    """


@dataclass
class MilestoneRecord:
    title: str
    on: date  # for a birthday without a year, any leap year (2000) with yearly=True
    yearly: bool = False
    where: str = field(default="", compare=False)  # file, line and field it was read from


@dataclass
class ContactRecord:
    where: str  # "Connections.csv line 12", "contacts.vcf card 3"
    source_key: str  # stable across re-exports of the same contact
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin: str = ""
    websites: list[str] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)  # (organisation, title)
    connected_on: date | None = None
    met_how: str = ""
    notes: str = ""
    milestones: list[MilestoneRecord] = field(default_factory=list)
    # value or attribute -> file, line and field; where a value was read is no part of what it is
    wheres: dict[str, str] = field(default_factory=dict, compare=False)
    # A digest of what the parser read this record from (a vCard: the card's lines), when it gives one and
    # nothing of it was reported; the same text read again gives the same record.
    fingerprint: str = field(default="", compare=False)


@dataclass
class Unchanged:
    """A record the parser read but did not parse: the saver knew its fingerprint (a vCard's ``unchanged``)."""

    where: str


@dataclass
class InteractionRecord:
    where: str
    source_key: str  # unique within the source: re-import is a no-op
    at: datetime  # timezone-aware
    direction: str  # "in", "out" or "both"
    channel: str  # one of restons.models.Channel
    name: str = ""  # the other person's display name, when known
    identities: list[tuple[str, str]] = field(default_factory=list)  # (kind, raw value) of the other person
    summary: str = ""
    wheres: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class ParseError:
    where: str
    why: str


Record = ContactRecord | InteractionRecord | ParseError
