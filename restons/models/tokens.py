"""Personal access tokens for the API: named, scoped, stored hashed, revocable."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned


class ApiToken(Owned):
    """A token a script sends as ``Authorization: Bearer <token>``.

    Only the SHA-256 of the token is stored (the token is shown once, when
    made); a 256-bit random token needs no slow hash. ``digest`` is the one
    index that does not start with the owner: a request names no owner until
    its token is found.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read")
        READ_WRITE = "read-write", _("read and write")

    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)  # the token's first characters, to recognise it in lists
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], condition=models.Q(revoked_at__isnull=True),
                                    name="api_token_unique_active_name"),
        ]
        indexes = [models.Index(fields=["owner", "created_at"], name="api_token_owner_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
