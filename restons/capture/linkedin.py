"""LinkedIn ``messages.csv`` under the capture rules: the LinkedIn parser's records as messages.

:func:`restons.importers.linkedin.parse` yields one
:class:`~restons.importers.records.InteractionRecord` per message and other
person (a message you sent to three people is three records, all with the
same ``where``, its CSV line). :func:`messages` turns them back into one
:class:`~restons.capture.records.Message` per line, so that LinkedIn follows
the same rules as every other chat: conversations (messages within 12 hours
in one direction are one interaction), the group rule (more than 5 others),
strangers (someone new who only wrote to you is counted, not created). The
direction is the parser's (your profile URL, else the ``SENT`` folder); the
identity is the profile URL, or the name when an old export has no URLs.
Contacts (``Connections.csv``) and parse errors pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from restons.capture.me import NAME
from restons.capture.records import Address, Message
from restons.importers.records import ContactRecord, InteractionRecord, ParseError

CHANNEL = "linkedin"


def _address(record: InteractionRecord) -> Address:
    url = next((value for kind, value in record.identities if kind == "linkedin" and value), "")
    return Address("linkedin", url, record.name) if url else Address(NAME, record.name, record.name)


def _message(group: list[InteractionRecord]) -> Message:
    first = group[0]
    outgoing = first.direction == "out"
    addresses = tuple(dict.fromkeys(_address(record) for record in group))
    return Message(
        where=first.where, source_key=first.source_key, at=first.at, channel=CHANNEL,
        sender=None if outgoing else addresses[0], recipients=addresses if outgoing else (),
        summary=first.summary, outgoing=outgoing)


def messages(records: Iterable[ContactRecord | InteractionRecord | ParseError]
             ) -> Iterator[Message | ContactRecord | ParseError]:
    """The records of a LinkedIn import, its messages (and invitations) made capture messages."""
    group: list[InteractionRecord] = []
    for record in records:
        if isinstance(record, InteractionRecord) and record.channel == CHANNEL:
            if group and (record.where != group[0].where or record.direction != group[0].direction):
                yield _message(group)
                group = []
            group.append(record)
            continue
        if group:
            yield _message(group)
            group = []
        yield record
    if group:
        yield _message(group)
