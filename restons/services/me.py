"""You: your own identities and your name, which decide the direction of captured messages.

``restons me add/show/remove``, the "You" section of Settings and the API's
``/me`` read and change them here; :func:`me_of` gives the capture rules
their :class:`~restons.capture.me.Me`.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from restons import identities
from restons.capture.me import NAME, Me
from restons.models import MyIdentity, Preferences
from restons.services.access import owned
from restons.services.errors import UserError

KINDS = ("email", "phone", "telegram", "linkedin", "website")
VALUE_MAX = MyIdentity._meta.get_field("value").max_length
NAME_MAX = Preferences._meta.get_field("my_name").max_length
_EXPLICIT = re.compile(r"^(email|phone|whatsapp|telegram|linkedin|website):(?!//)(.+)$", re.IGNORECASE)


def _region(owner) -> str:
    from restons.services.accounts import settings_of

    return settings_of(owner).region


def parse_identity(owner, raw: str) -> tuple[str, str]:
    """``(kind, normalised value)`` of one of your identities as typed; raises UserError.

    The kind is guessed (an email, a phone number read in your phone region,
    a LinkedIn URL, ``@handle`` for Telegram) or given as ``kind:value``
    (``telegram:123456789``, ``website:example.org``).
    """
    text = (raw or "").strip()
    if not text:
        raise UserError(_("Give an address: an email, a phone number, a LinkedIn URL or kind:value."))
    explicit = _EXPLICIT.match(text)
    if explicit:
        kind, text = explicit.group(1).lower(), explicit.group(2).strip()
        kind = "phone" if kind == "whatsapp" else kind
    elif text.startswith("@") and len(text) > 1:
        kind = "telegram"
    else:
        kind = identities.guess_kind(text)
        if kind is None:
            raise UserError(
                _("%(value)r is not an email, a phone number or a LinkedIn URL; write it as kind:value "
                  "(kinds: %(kinds)s), or give your name with --name.") % {"value": text[:80], "kinds": ", ".join(KINDS)})
    try:
        value = identities.normalise(kind, text, _region(owner) if kind == "phone" else None)
    except identities.InvalidIdentity as exc:
        raise UserError(str(exc)) from None
    except ValueError:
        raise UserError(_("%(value)r is not a valid address.") % {"value": text[:80]}) from None
    if len(value) > VALUE_MAX:
        raise UserError(_("%(value)s… is longer than %(limit)s characters.") % {"value": value[:40], "limit": VALUE_MAX})
    return kind, value


def show_me(owner) -> dict:
    """``{"name": ..., "identities": [{"kind", "value"}, ...]}`` (the ``me show --json`` contract)."""
    preferences = owned(Preferences, owner).first()
    rows = owned(MyIdentity, owner).order_by("kind", "value").values_list("kind", "value")
    return {"name": preferences.my_name if preferences else "",
            "identities": [{"kind": kind, "value": value} for kind, value in rows]}


def me_of(owner) -> Me:
    """Your identities (and your name, as kind ``name``) for the capture rules."""
    pairs = list(owned(MyIdentity, owner).values_list("kind", "value"))
    name = owned(Preferences, owner).values_list("my_name", flat=True).first()
    if name:
        pairs.append((NAME, name))
    return Me(pairs)


def _set_name(owner, name: str) -> None:
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX:
        raise UserError(_("The name is longer than %(limit)s characters.") % {"limit": NAME_MAX})
    Preferences.objects.update_or_create(owner=owner, defaults={"my_name": name})


def add_me(owner, values=(), *, name: str | None = None) -> dict:
    """Add identities of yours (all or none: one bad value writes nothing) and set your name; returns :func:`show_me`."""
    pairs = list(dict.fromkeys(parse_identity(owner, value) for value in values))
    if not pairs and name is None:
        raise UserError(_("Give at least one address of yours, or --name."))
    with transaction.atomic():
        if name is not None:
            _set_name(owner, name)
        known = set(owned(MyIdentity, owner).values_list("kind", "value"))
        MyIdentity.objects.bulk_create(
            [MyIdentity(owner=owner, kind=kind, value=value) for kind, value in pairs if (kind, value) not in known])
    return show_me(owner)


def remove_me(owner, values=()) -> dict:
    """Remove identities of yours; one that is not yours is an error and nothing is removed."""
    pairs = [parse_identity(owner, value) for value in values]
    if not pairs:
        raise UserError(_("Give at least one address of yours to remove."))
    with transaction.atomic():
        rows = owned(MyIdentity, owner)
        for kind, value in pairs:
            if not rows.filter(kind=kind, value=value).exists():
                raise UserError(_("%(value)s is not one of your identities; see 'restons me show'.") % {"value": value})
        for kind, value in pairs:
            rows.filter(kind=kind, value=value).delete()
    return show_me(owner)


def remove_identity(owner, identity_id) -> None:
    """Remove one identity of yours by id (Settings); NotFound for anyone else's."""
    from restons.services.access import get_owned

    get_owned(MyIdentity, owner, pk=identity_id).delete()


def learn(owner, addresses, source: str) -> int:
    """Store identities an import learned are yours (kind ``name`` is your name); returns how many were new."""
    pairs = {(a.kind, a.value) for a in addresses if a.kind != NAME and a.value and len(a.value) <= VALUE_MAX}
    if not pairs:
        return 0
    known = set(owned(MyIdentity, owner).filter(value__in={v for _k, v in pairs}).values_list("kind", "value"))
    rows = [MyIdentity(owner=owner, kind=k, value=v, learned_from=source) for k, v in sorted(pairs - known)]
    MyIdentity.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
