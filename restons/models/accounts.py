"""Per-user preferences, the instance's admin role, and invitations.

An empty preference (or None) means "the instance's default", the ``RESTONS_*``
setting; :func:`restons.services.accounts.settings_of` resolves them.
"""

from django.conf import settings
from django.db import models


class Preferences(models.Model):
    """What a user chose in Settings; the language follows the browser until they choose.

    ``is_admin`` is not a preference: it is the user's role on the instance, set
    for the first account and by an admin (``restons user make-admin``). An admin
    manages accounts; it never sees another user's data, and it is not Django's
    superuser.
    """

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)
    time_zone = models.CharField(max_length=64, blank=True, default="")  # IANA name; "" = RESTONS_TIME_ZONE
    phone_region = models.CharField(max_length=3, blank=True, default="")  # "FR"; "" = from the time zone
    today_limit = models.PositiveSmallIntegerField(null=True, blank=True)  # None = RESTONS_TODAY_LIMIT
    is_admin = models.BooleanField(default=False)
    my_name = models.CharField(max_length=300, blank=True, default="")  # your name, as chats show it (capture)


class Invitation(models.Model):
    """A link an admin gives someone to create their account; it works once, until it expires.

    Only a hash of the link's secret is stored: a copy of the database opens no account.
    """

    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    as_admin = models.BooleanField(default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    mailed = models.BooleanField(default=False)  # sent by mail: opening it proves the address

    class Meta:
        indexes = [models.Index(fields=["email"])]
