"""You: your own identities, which decide the direction of every captured message (PRODUCT.md § 5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned


class MyIdentity(Owned):
    """One of your own addresses (email, phone in E.164, Telegram id, LinkedIn URL, ...); unique per owner.

    Added with ``restons me add`` or in Settings, and learned by imports from a
    source that states who you are (Gmail's ``Sent`` label, a calendar's owner).
    The name chats show for you is :attr:`Preferences.my_name`.
    """

    kind = models.CharField(max_length=20)
    value = models.CharField(max_length=500)
    learned_from = models.CharField(max_length=40, blank=True, default="")  # the import source, "" when added by you
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity of yours")
        verbose_name_plural = _("identities of yours")
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "value"], name="my_identity_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
