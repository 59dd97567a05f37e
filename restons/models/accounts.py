"""Per-user preferences: what a user chose in Settings.

An empty value (or None) means "the instance's default", the ``RESTONS_*``
setting; :func:`restons.services.accounts.settings_of` resolves them.
"""

from django.conf import settings
from django.db import models


class Preferences(models.Model):
    """What a user chose in Settings; the language follows the browser until they choose."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)
    time_zone = models.CharField(max_length=64, blank=True, default="")  # IANA name; "" = RESTONS_TIME_ZONE
    phone_region = models.CharField(max_length=3, blank=True, default="")  # "FR"; "" = from the time zone
    today_limit = models.PositiveSmallIntegerField(null=True, blank=True)  # None = RESTONS_TODAY_LIMIT
