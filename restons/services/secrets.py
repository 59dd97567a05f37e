"""Secrets kept in the database, encrypted: IMAP passwords and private calendar addresses.

They are encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from the
maintained ``cryptography`` library) under a key derived with HKDF-SHA256 from
the instance's secret key — ``RESTONS_SECRET_KEY``, or the ``secret_key``
file in the data directory — which is never in the database. A copy of the
database alone (a dump, a stolen disk image of the database server) does not
reveal them; whoever holds both the database and the secret key does, since
the worker must log in unattended.

Changing the secret key makes the stored secrets unreadable: :func:`decrypt`
then says to add the account again.
"""

from __future__ import annotations

import base64
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from restons.services.errors import UserError

_INFO = b"restons stored secrets v1"


class SecretUnreadable(UserError):
    """The stored secret was encrypted under another secret key."""


@cache
def _fernet(secret_key: str):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(value.encode()).decode("ascii")


def decrypt(token: str, what: str) -> str:
    """The stored value; ``what`` names it in the one-line error when the secret key changed."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise SecretUnreadable(
            _("%(what)s: the stored secret cannot be read (the instance's secret key changed); "
              "remove it and add it again") % {"what": what}) from None
