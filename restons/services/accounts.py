"""Accounts: the first owner of a new instance, and per-user preferences."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from restons.identities import InvalidIdentity, normalise_email
from restons.models import Preferences
from restons.services.errors import UserError


def needs_owner() -> bool:
    """True until someone can log in: a new instance asks to create its owner account."""
    return not any(user.has_usable_password() for user in get_user_model().objects.all()[:50])


def create_owner(email: str, password: str):
    """The instance's first account.

    When the command line already created its nameless user (and maybe data),
    that user becomes the account, so nothing made before is lost.
    Raises UserError for a bad email or a weak password.
    """
    try:
        address = normalise_email(email)
    except InvalidIdentity as exc:
        raise UserError(str(exc)) from None
    users = get_user_model().objects
    with transaction.atomic():
        if not needs_owner():
            raise UserError(_("This instance already has an account; log in instead."))
        existing = list(users.order_by("id")[:2])
        user = existing[0] if len(existing) == 1 else users.model()
        user.username = user.email = address
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise UserError(" ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
    return user


def set_language(owner, language: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise UserError(_("Unknown language %(value)r.") % {"value": language})
    Preferences.objects.update_or_create(owner=owner, defaults={"language": language})
