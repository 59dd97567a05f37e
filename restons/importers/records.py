"""What a parser yields: plain records that know nothing of the database.

A parser is a function ``parse(path_or_file, **options) -> Iterator[Record]``
that streams its input and yields :class:`ContactRecord`,
:class:`InteractionRecord` or :class:`ParseError` (a bad row does not stop the
import; it is reported with where it was and why). A file that is not what
the source expects raises :class:`FileRefused`: the whole import is refused
with that one line and nothing is written.
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


@dataclass
class ParseError:
    where: str
    why: str


Record = ContactRecord | InteractionRecord | ParseError
