"""Personal access tokens: make one (shown once), list them, revoke one, and find the token of a request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restons.models import ApiToken
from restons.parsing import choice
from restons.services.access import get_owned, owned
from restons.services.errors import NotFound, UserError

PREFIX = "rst_"
NAME_MAX = ApiToken._meta.get_field("name").max_length
# "Last used" is written at most this often per token, so a busy script does not write on every call.
LAST_USED_PRECISION = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(owner, name: str, scope: str = ApiToken.Scope.READ) -> tuple[ApiToken, str]:
    """A new token named ``name``; returns it and its secret, which is never shown again.

    Raises UserError for an empty or too long name, a name already used by an
    active token of the owner, or an unknown scope.
    """
    clean = " ".join((name or "").split())
    if not clean:
        raise UserError(_("A token needs a name, e.g. “backup script”."))
    if len(clean) > NAME_MAX:
        raise UserError(_("A token's name has at most %(max)s characters.") % {"max": NAME_MAX})
    scope = choice(scope, ApiToken.Scope, _("scope"))
    secret = PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(owner=owner, name=clean, scope=scope, digest=digest(secret),
                                            prefix=secret[: len(PREFIX) + 6])
    except IntegrityError:
        raise UserError(_("You already have a token named “%(name)s”; revoke it or choose another name.")
                        % {"name": clean}) from None
    return token, secret


def list_tokens(owner, include_revoked: bool = False):
    """The owner's tokens, newest first."""
    tokens = owned(ApiToken, owner).order_by("-created_at", "-id")
    return tokens if include_revoked else tokens.filter(revoked_at__isnull=True)


def find_token(owner, which: str) -> ApiToken:
    """The owner's active token with this id (``12`` or ``#12``) or name; NotFound otherwise."""
    text = (which or "").strip()
    active = owned(ApiToken, owner).filter(revoked_at__isnull=True)
    number = text.removeprefix("#")
    if number.isdigit():
        try:
            return get_owned(ApiToken, owner, id=number, revoked_at__isnull=True)
        except NotFound:
            pass
    found = active.filter(name__iexact=" ".join(text.split())).first()
    if found is None:
        raise NotFound(_("No active token %(which)r; see 'restons token list'.") % {"which": which})
    return found


def revoke_token(owner, token: ApiToken) -> ApiToken:
    """Revoke ``token`` now: requests that send it get 401 from then on."""
    if token.owner_id != owner.pk:
        raise NotFound(_("No active token %(which)r; see 'restons token list'.") % {"which": token.pk})
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is (its owner loaded), or None; notes when it was used."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (ApiToken.objects.select_related("owner")
             .filter(digest=digest(secret), revoked_at__isnull=True, owner__is_active=True).first())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
