"""How django-allauth fits Restons: who may sign up, the client's address, throttling keys, mail.

- Sign-up is open only with ``RESTONS_SIGNUP=open`` (and never before the
  instance has its first account: the welcome page makes that one, its admin).
- The client's address is :func:`restons.web.client.client_ip`, which believes
  ``X-Forwarded-For`` only from ``RESTONS_TRUSTED_PROXIES``.
- Failed logins are counted per *address and email*: a stranger's failures
  from one address never lock out the owner logging in from another
  (``ACCOUNT_RATE_LIMITS`` in settings); each address is also limited on its own.
- No mail is attempted when the instance has none (:func:`restons.mail.configured`).
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter

from restons.web.client import client_ip

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        from restons import conf
        from restons.services.accounts import needs_owner

        return conf.get("RESTONS_SIGNUP") == "open" and not needs_owner()

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        login = (credentials.get("email") or credentials.get("username") or "").lower()
        return f"{client_ip(request)}:{login}"

    def populate_username(self, request, user) -> None:
        from restons.services.users import _free_username

        if not user.username:
            user.username = _free_username(user.email.lower())

    def save_user(self, request, user, form, commit=True):
        """Open sign-up: a normal user (never an admin, never Django staff), with their email on record."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from restons.models import Preferences

            Preferences.objects.get_or_create(owner=user)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from restons.mail import configured as mail_configured

        if not mail_configured():
            log.info("No mail configured: %s to %s not sent", template_prefix, email)
            return
        super().send_mail(template_prefix, email, context)
