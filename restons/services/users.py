"""The instance's accounts: admins, invitations, disabling, deleting, password-reset links.

The first account is the instance's admin; an admin invites others and manages
accounts (here, behind ``restons user …`` and the Users page). An admin never
reads another user's data: these functions touch accounts, not what they own.
The instance always keeps at least one active admin.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restons.identities import InvalidIdentity, normalise_email
from restons.models import Invitation, Preferences
from restons.services.errors import UserError

INVITATION_DAYS = 7  # an invitation link works once, for a week
EMAIL_MAX = 254


def _address(email: str) -> str:
    if len(email or "") > EMAIL_MAX:
        raise UserError(_("An email address has at most %(max)s characters.") % {"max": EMAIL_MAX})
    try:
        return normalise_email(email or "")
    except InvalidIdentity as exc:
        raise UserError(str(exc)) from None


def find_user(email: str):
    """The account whose email is ``email`` (any case); UserError naming it when there is none."""
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise UserError(_("No user %(email)s on this instance.") % {"email": email})
    return user


def is_admin(user) -> bool:
    return Preferences.objects.filter(owner_id=user.pk, is_admin=True).exists()


def _set_admin(user, value: bool) -> None:
    Preferences.objects.update_or_create(owner=user, defaults={"is_admin": value})


def _other_active_admins(user) -> bool:
    return Preferences.objects.filter(is_admin=True, owner__is_active=True).exclude(owner_id=user.pk).exists()


def must_add_second_factor(user) -> bool:
    """True when RESTONS_REQUIRE_2FA asks ``user`` for two factors and they have none yet."""
    from restons import conf

    policy = conf.get("RESTONS_REQUIRE_2FA")
    if policy == "off" or (policy == "admins" and not is_admin(user)):
        return False
    from allauth.mfa.utils import is_mfa_enabled

    return not is_mfa_enabled(user)


# -- creating accounts ----------------------------------------------------------------


def _free_username(address: str) -> str:
    """The email itself (the convention), or a unique variant when an old account kept that name."""
    users = get_user_model().objects
    name = address
    while users.filter(username=name).exists():
        name = f"{address}#{secrets.token_hex(3)}"
    return name


def _validated_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise UserError(" ".join(exc.messages)) from None


def create_account(email: str, password: str | None, *, admin: bool = False, verified: bool = False, user=None):
    """A new account (or ``user``, the CLI's nameless one, taking this email), with its email address
    recorded for django-allauth and its role. ``password`` None: no usable password until a reset.

    Raises UserError for a bad email, one already used, or a weak password. Call inside a transaction.
    """
    from allauth.account.models import EmailAddress

    address = _address(email)
    users = get_user_model().objects
    taken = users.filter(email__iexact=address)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists() or EmailAddress.objects.filter(email__iexact=address).exclude(
            user_id=getattr(user, "pk", None)).exists():
        raise UserError(_("There is already an account for %(email)s.") % {"email": address})
    user = user or users.model()
    user.email = address
    user.username = address if user.username == address else _free_username(address)
    user.is_superuser = user.is_staff = False
    if password is None:
        user.set_unusable_password()
    else:
        _validated_password(password, user)
        user.set_password(password)
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=address, primary=True, verified=verified)
    _set_admin(user, admin)
    return user


def add_user(email: str, password: str | None, *, admin: bool = False):
    """``restons user add``: an account at once (the admin hands over the password, or a reset link).
    The instance's first account is its admin, whatever ``admin`` says."""
    from restons.services.accounts import needs_owner

    with transaction.atomic():
        return create_account(email, password, admin=admin or needs_owner())


# -- invitations ------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    from django.urls import reverse

    return reverse("invitation", kwargs={"token": token})


def invitation_link(token: str) -> str:
    from restons.mail import base_url

    return base_url() + invitation_path(token)


@dataclass(frozen=True)
class Invited:
    email: str
    link: str
    expires_at: datetime
    mailed: bool


def invite(email: str, *, by=None, admin: bool = False, language: str = "") -> Invited:
    """Make an invitation link for ``email`` (replacing any earlier one), and mail it when the instance
    has mail. Raises UserError for a bad address or one that already has an account."""
    from restons import mail

    address = _address(email)
    if get_user_model().objects.filter(email__iexact=address).exists():
        raise UserError(_("There is already an account for %(email)s.") % {"email": address})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(email=address, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            email=address, token_hash=_hash(token), as_admin=admin, invited_by=by,
            created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS))
    link = invitation_link(token)
    mailed = False
    if mail.configured():
        from django.utils import translation

        with translation.override(language or None):
            who = by.email if by is not None else _("The admin")
            mailed = mail.send(address, _("You are invited to Restons"), _(
                "%(who)s invites you to their Restons instance.\n\nCreate your account here (the link works once, "
                "until %(date)s):\n%(link)s\n") % {"who": who, "link": link,
                                                   "date": invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")})
        Invitation.objects.filter(pk=invitation.pk).update(mailed=mailed)
    return Invited(email=address, link=link, expires_at=invitation.expires_at, mailed=mailed)


def open_invitation(token: str) -> Invitation:
    """The pending invitation behind ``token``; UserError when it is unknown, used or expired."""
    invitation = Invitation.objects.filter(token_hash=_hash(token or "")).first()
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise UserError(_("This invitation link is not valid: it was used already, or it expired. "
                          "Ask for a new one."))
    return invitation


def accept_invitation(token: str, password: str):
    """Create the invited account with ``password``; the link works only once.

    An invitation that arrived by mail proves the address: it is recorded as verified.
    Raises UserError (nothing written) for a used or expired link or a weak password.
    """
    with transaction.atomic():
        invitation = open_invitation(token)
        # Lock the row so that two clicks on the same link make one account.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise UserError(_("This invitation link is not valid: it was used already, or it expired. "
                              "Ask for a new one."))
        user = create_account(invitation.email, password, admin=invitation.as_admin, verified=invitation.mailed)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


# -- managing accounts ----------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    admin: bool
    two_factor: bool
    last_login: datetime | None
    disabled: bool

    def as_json(self) -> dict:
        return {"email": self.email, "admin": self.admin, "two_factor": self.two_factor,
                "last_login": self.last_login.isoformat() if self.last_login else None, "disabled": self.disabled}


def list_users() -> list[Account]:
    """Every account, oldest first (one query)."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    users = get_user_model().objects.annotate(
        admin=Exists(Preferences.objects.filter(owner=OuterRef("pk"), is_admin=True)),
        two_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk")).exclude(
            type=Authenticator.Type.RECOVERY_CODES)),
    ).order_by("id")
    return [Account(id=u.pk, email=u.email, admin=u.admin, two_factor=u.two_factor, last_login=u.last_login,
                    disabled=not u.is_active) for u in users]


def _end_sessions(user) -> None:
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()


def set_disabled(email: str, disabled: bool = True):
    """Disable an account (it cannot log in; its sessions end; its data stays) or enable it again."""
    with transaction.atomic():
        user = find_user(email)
        if disabled and is_admin(user) and not _other_active_admins(user):
            raise UserError(_("%(email)s is the only admin: make another admin first.") % {"email": user.email})
        user.is_active = not disabled
        user.save(update_fields=["is_active"])
    if disabled:
        _end_sessions(user)
    return user


def set_admin(email: str, admin: bool = True):
    """Make an account an admin, or a normal user again (never the last active admin)."""
    with transaction.atomic():
        user = find_user(email)
        if not admin and is_admin(user) and not _other_active_admins(user):
            raise UserError(_("%(email)s is the only admin: make another admin first.") % {"email": user.email})
        _set_admin(user, admin)
    return user


def delete_user(email: str) -> str:
    """Delete an account and everything it owns (people, pings, plans…); returns the email.

    The last admin can be deleted only when no other account remains (the instance starts afresh).
    """
    with transaction.atomic():
        user = find_user(email)
        others = get_user_model().objects.exclude(pk=user.pk).exists()
        if others and is_admin(user) and not _other_active_admins(user):
            raise UserError(_("%(email)s is the only admin: make another admin first.") % {"email": user.email})
        _end_sessions(user)
        address = user.email
        user.delete()
    return address


def password_reset_link(email: str) -> str:
    """A one-time link that lets the account choose a new password (works until the password changes,
    for at most PASSWORD_RESET_TIMEOUT, three days)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    from restons.mail import base_url

    user = find_user(email)
    if not user.is_active:
        raise UserError(_("%(email)s is disabled: enable it first (restons user enable).") % {"email": user.email})
    key = default_token_generator.make_token(user)
    return base_url() + reverse("account_reset_password_from_key",
                                kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
