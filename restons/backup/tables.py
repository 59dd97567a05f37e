"""What a backup holds: every owned model of the ``restons`` app, found by introspection.

A model is *owned* when it has an ``owner`` field pointing to the user model.
Each owned model is either exported (all its fields but the secret ones) or
listed in :data:`EXCLUDED` with the reason; ``tables()`` raises
:class:`BackupDesignError` for a model it cannot export faithfully (a foreign
key to something that is not exported, a plain many-to-many), and a test
fails when a new owned model is neither exported nor excluded — so a table
added later cannot silently stay out of backups.

Foreign keys are written as the referenced row's id in the same backup;
restoring gives new ids and remaps every reference. :func:`content_digest`
hashes each table with every reference replaced by the content of the row it
points to, so two instances holding the same data compare equal whatever
their ids.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db import models

# Owned models a backup leaves out, and why (the document's header repeats the reasons).
# An entry may name a model another branch is adding: it takes effect when that model lands.
EXCLUDED: dict[str, str] = {
    "restons.checkup": "derived: each person's health of the day, recomputed from the rest after a restore",
    "restons.checkupstate": "derived: whether the checkups are current and who recomputes them, rebuilt on the next read",
    "restons.apitoken": "secret: API tokens are not carried over; create new ones after restoring",
    "restons.keptreview": "derived: the year in review's numbers, computed again when asked",
    "restons.delivery": "operational: the worker's record of reminders already sent",
    "restons.dailypace": "derived: the day's count of your pings for the pace, counted again from the interactions",
    "restons.importjob": "operational: the Import page's background jobs; what they imported is in the other tables",
    "restons.imapaccount": "secret: mail accounts hold a password; add them again after restoring (restons imap add)",
    "restons.calendarsubscription": "secret: a private calendar address is a password; subscribe again after restoring",
}

# Fields that are secrets: left out of the backup, restored as their default (empty).
# Label "app.model.field"; whoever adds an encrypted password or a token adds it here.
SECRET_FIELDS: frozenset[str] = frozenset({
    # The calendar feed's address (key and secret) and where push messages go: made again in Settings.
    "restons.reminders.feed_key",
    "restons.reminders.feed_secret",
    "restons.reminders.ntfy_topic",
    "restons.reminders.webhook_url",
    "restons.reminders.webhook_secret",
})

# Fields whose names look like secrets but are not (a test checks every other such name is a secret).
NOT_SECRET_FIELDS: frozenset[str] = frozenset({
    "restons.interaction.source_key",  # the id of an imported message, for idempotent re-imports
    "restons.sourcerecord.key",  # the id of an imported contact
})
SECRET_LIKE = re.compile(r"password|secret|token|key|credential|cipher", re.IGNORECASE)


class BackupDesignError(Exception):
    """An owned model that backups cannot carry as it is: export it properly or list it in EXCLUDED."""


@dataclass(frozen=True)
class Table:
    """One exported model: its label in the document, the fields written, and what its references point to."""

    model: type[models.Model]
    label: str  # "restons.person"
    fields: tuple[models.Field, ...]  # written, in this order, after "id"; the owner and secrets are not
    references: tuple[tuple[str, str], ...]  # (field name, label of the referenced table)
    secrets: tuple[str, ...]  # field names left out
    one_per_owner: bool  # the owner field is one-to-one (Settings): a restore replaces the row

    @property
    def writes_id(self) -> bool:
        return not self.one_per_owner


def owned_models() -> list[type[models.Model]]:
    """Every model of the ``restons`` app with an ``owner`` pointing to the user model."""
    found = []
    for model in apps.get_app_config("restons").get_models():
        try:
            owner = model._meta.get_field("owner")
        except Exception:
            continue
        if owner.is_relation and owner.related_model is apps.get_model(settings.AUTH_USER_MODEL):
            found.append(model)
    return found


@cache
def tables() -> tuple[Table, ...]:
    """The exported tables, each after the tables it references (so a restore can stream in one pass)."""
    owned = {model._meta.label_lower: model for model in owned_models()}
    exported = {label: model for label, model in owned.items() if label not in EXCLUDED}
    made: dict[str, Table] = {}
    for label, model in exported.items():
        made[label] = _table(label, model, exported)
    ordered: list[Table] = []
    placed: set[str] = set()

    def place(label: str, path: tuple[str, ...]) -> None:
        if label in placed:
            return
        if label in path:
            raise BackupDesignError(f"{' -> '.join(path + (label,))}: circular references are not supported")
        for _name, target in made[label].references:
            if target != label:
                place(target, path + (label,))
        placed.add(label)
        ordered.append(made[label])

    for label in sorted(made):
        place(label, ())
    return tuple(ordered)


def _table(label: str, model, exported: dict) -> Table:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    fields, references, secrets = [], [], []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations
        if field.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created or through._meta.label_lower not in exported:
                raise BackupDesignError(f"{label}.{field.name}: a many-to-many needs an owned, exported through model")
            continue  # its rows are exported with the through model
        if not field.concrete or field.primary_key or field.name == "owner":
            continue
        name = f"{label}.{field.name}"
        if name in SECRET_FIELDS:
            if not (field.null or field.has_default()):
                raise BackupDesignError(f"{name}: a secret field must be nullable or have a default to restore without it")
            secrets.append(field.name)
            continue
        if field.is_relation:
            target = field.related_model._meta.label_lower
            if field.related_model is user_model:
                raise BackupDesignError(f"{name}: a reference to a user other than the owner cannot be restored")
            if target not in exported:
                raise BackupDesignError(f"{name}: it references {target}, which is not exported")
            references.append((field.name, target))
        fields.append(field)
    one_per_owner = model._meta.get_field("owner").one_to_one
    return Table(model, label, tuple(fields), tuple(references), tuple(secrets), one_per_owner)


def left_out() -> dict:
    """What the document's header says is not in it, and why (only tables and fields that exist)."""
    owned = {model._meta.label_lower for model in owned_models()}
    fields = {f"{table.label}.{name}" for table in tables() for name in table.secrets}
    return {
        "tables": {label: why for label, why in sorted(EXCLUDED.items()) if label in owned},
        "fields": sorted(fields),
        "note": "Secrets (passwords, API tokens) are never written to a backup: enter them again after restoring.",
    }


# -- values as JSON and back ---------------------------------------------------------------------


def to_json(field: models.Field, value):
    """A stored value as JSON: dates and times in ISO 8601 (UTC for instants), bytes in base64."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# -- the content digest ------------------------------------------------------------------------


def content_digest(owner) -> dict[str, str]:
    """For each exported table, a SHA-256 of its rows' content, ids replaced by what they reference.

    Two users (or two instances) holding the same data get the same digests
    whatever their ids: each row hashes its own values plus the hash of every
    row it references; a table hashes the sorted hashes of its rows.
    """
    hashes: dict[str, dict[int, str]] = {}
    targets = {target for table in tables() for _name, target in table.references}
    digests = {}
    for table in tables():
        references = dict(table.references)
        names = [f.name for f in table.fields]
        columns = ["pk"] + [f.attname for f in table.fields]
        mine: dict[int, str] = {}
        row_hashes = []
        rows = table.model._default_manager.filter(owner_id=owner.pk).values_list(*columns).order_by("pk")
        for pk, *values in rows.iterator(chunk_size=2000):
            content = {}
            for name, field, value in zip(names, table.fields, values):
                if name in references:
                    value = hashes[references[name]][value] if value is not None else None
                else:
                    value = to_json(field, value)
                content[name] = value
            row_hash = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            row_hashes.append(row_hash)
            if table.label in targets:
                mine[pk] = row_hash
        hashes[table.label] = mine
        digests[table.label] = hashlib.sha256("\n".join(sorted(row_hashes)).encode()).hexdigest()
    return digests
