"""Which user an entry point acts as."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from restons.services.errors import UserError

DEFAULT_OWNER_EMAIL = "me@restons.local"


def cli_owner(email: str = ""):
    """The user the CLI acts as.

    With ``email`` (``--user`` or ``RESTONS_USER``), that user. Without, the
    instance's only user, created on first use; an instance with several users
    needs ``email``.
    """
    users = get_user_model().objects
    if email:
        user = users.filter(email__iexact=email.strip()).first()
        if user is None:
            raise UserError(_("No user %(email)s on this instance.") % {"email": email})
        return user
    with transaction.atomic():
        found = list(users.order_by("id")[:2])
        if len(found) > 1:
            raise UserError(
                _("This instance has several users; choose one with --user EMAIL or RESTONS_USER.")
            )
        if found:
            return found[0]
        user = users.create(username=DEFAULT_OWNER_EMAIL, email=DEFAULT_OWNER_EMAIL)
        user.set_unusable_password()
        user.save()
        return user
