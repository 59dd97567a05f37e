"""Ownership, enforced in one place.

Every read of user data starts from :func:`owned`, which scopes a model's
rows to their owner; :func:`get_owned` fetches one object or raises
:class:`NotFound` (a 404 on the web), whether it does not exist or belongs to
someone else — the two are indistinguishable on purpose.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from restons.services.errors import NotFound

M = TypeVar("M", bound=models.Model)


def owned(model: type[M], owner) -> models.QuerySet[M]:
    """All rows of ``model`` that belong to ``owner``."""
    return model._default_manager.filter(owner_id=owner.pk)


def get_owned(model: type[M], owner, **lookup) -> M:
    """The one row of ``model`` owned by ``owner`` matching ``lookup``; raises NotFound.

    A value that cannot be a database id (20 digits, say) is bad input: UserError (a 400 on
    the web), never a database error.
    """
    from restons.limits import check_id

    for key in ("pk", "id"):
        if key in lookup:
            check_id(lookup[key])
    try:
        return owned(model, owner).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("No such %(thing)s.") % {"thing": model._meta.verbose_name}) from None


def check_owned(owner, *objects) -> None:
    """NotFound unless every object given (None is skipped) belongs to ``owner``.

    For service functions that receive model instances: a caller cannot act on
    another user's object by mistake.
    """
    for obj in objects:
        if obj is not None and obj.owner_id != owner.pk:
            raise NotFound(_("No such %(thing)s.") % {"thing": obj._meta.verbose_name})
