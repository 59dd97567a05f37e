"""Per-user preferences."""

from django.conf import settings
from django.db import models


class Preferences(models.Model):
    """What a user chose in Settings; the language follows the browser until they choose."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)
