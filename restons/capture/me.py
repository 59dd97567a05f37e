"""You: the identities that decide direction, and the people Restons already knows.

:class:`Me` holds your own identities (emails, phones, handles, the names
chats show for you); a source that states who you are teaches it more
(:meth:`Me.learn`). :class:`People` is how the rules ask whether an identity
belongs to a known person; :class:`KnownPeople` is the plain in-memory
answer (the database layer fills it with one query per identity kind).
"""

from __future__ import annotations

import functools

from collections.abc import Hashable, Iterable, Mapping
from typing import Protocol

from django.utils.translation import gettext as _

from restons.capture.records import Address
from restons.identities import name_key
from restons.services.errors import UserError

NAME = "name"  # the kind of an identity that is only a display name (chat exports)


class NeedMe(UserError):
    """The source cannot tell which messages are yours, and no identity of yours is known."""

    def __init__(self, kind: str = "email"):
        super().__init__(
            _("Restons does not know who you are in this file: run `restons me add %(example)s` "
              "with your own address, then import again.")
            % {"example": {"email": "you@example.org", "phone": "+33612345678",
                           NAME: '--name "Alex Martin"'}.get(kind, "YOUR-ID")}
        )
        self.kind = kind


@functools.lru_cache(maxsize=8192)
def _name_key(value: str) -> str:
    return name_key(value)  # chats repeat the same few names on every line


def _value(kind: str, value: str) -> str:
    return _name_key(value) if kind == NAME else value


class Me:
    """Your identities as ``(kind, normalised value)``; names compare accent- and case-blind."""

    def __init__(self, identities: Iterable[tuple[str, str]] = ()):
        self._by_kind: dict[str, set[str]] = {}
        for kind, value in identities:
            self._by_kind.setdefault(kind, set()).add(_value(kind, value))

    def has(self, address: Address | None) -> bool:
        """True when the address, or any of its other identities, is yours."""
        if address is None:
            return False
        values = self._by_kind.get(address.kind)
        if values and _value(address.kind, address.value) in values:
            return True
        if not address.others:
            return False  # the common case, without making a generator
        return any(_value(kind, value) in self._by_kind.get(kind, ()) for kind, value in address.others)

    def has_email(self, email: str) -> bool:
        return bool(email) and email in self._by_kind.get("email", ())

    def knows(self, kind: str) -> bool:
        """True when at least one identity of ``kind`` is yours."""
        return bool(self._by_kind.get(kind))

    def learn(self, address: Address) -> bool:
        """Add an identity a source states is yours; True when it was new."""
        values = self._by_kind.setdefault(address.kind, set())
        value = _value(address.kind, address.value)
        if value in values:
            return False
        values.add(value)
        return True

    def identities(self) -> list[tuple[str, str]]:
        return sorted((kind, value) for kind, values in self._by_kind.items() for value in values)


class People(Protocol):
    """What the rules ask about the people you already have."""

    def find(self, kind: str, value: str) -> Hashable | None:
        """The known person (any hashable reference, e.g. an id) with this identity, or None."""

    def named(self, name: str) -> Hashable | None:
        """The one known person whose name equals ``name`` (accent- and case-blind), or None."""


class KnownPeople:
    """:class:`People` from plain mappings: ``{(kind, value): ref}`` and ``{ref: name}``.

    A name two people share names nobody: a merge suggestion needs one candidate.
    """

    def __init__(self, identities: Mapping[tuple[str, str], Hashable] | None = None,
                 names: Mapping[Hashable, str] | None = None):
        self._identities = dict(identities or {})
        self._names: dict[str, Hashable | None] = {}
        for ref, name in (names or {}).items():
            key = name_key(name)
            if key:
                self._names[key] = None if key in self._names and self._names[key] != ref else ref

    def find(self, kind: str, value: str) -> Hashable | None:
        return self._identities.get((kind, value))

    def named(self, name: str) -> Hashable | None:
        return self._names.get(name_key(name)) if name else None
