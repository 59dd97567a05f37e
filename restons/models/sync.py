"""Where mail and meetings are read from on a schedule: IMAP accounts and calendar subscriptions.

Both hold a secret — the IMAP password, the private calendar address (whoever
has it reads the calendar) — stored encrypted with a key derived from the
instance's secret key, which is kept outside the database
(:mod:`restons.services.secrets`). Neither table is in backups or exports
(``restons.backup.tables.EXCLUDED``): add them again after a restore.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned


class Synced(Owned):
    """What both sources share: a name, and how the last sync went."""

    name = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker claims a source by setting last_attempt_at (see services.sync.claim_due).
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)  # the last sync that succeeded
    last_error = models.CharField(max_length=500, blank=True, default="")  # empty when the last attempt succeeded
    last_summary = models.JSONField(default=dict, blank=True)  # counts of the last successful sync

    class Meta:
        abstract = True

    @property
    def last_result(self) -> str:
        if self.last_attempt_at is None:
            return "never"
        return "failed" if self.last_error else "ok"

    def __str__(self) -> str:
        return self.name


class ImapAccount(Synced):
    class Security(models.TextChoices):
        TLS = "tls", _("TLS")
        STARTTLS = "starttls", _("STARTTLS")
        PLAIN = "plain", _("unencrypted (this machine only)")

    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(null=True, blank=True)  # empty: 993 for TLS, 143 otherwise
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.TLS)
    user = models.CharField(max_length=255)
    folders = models.JSONField(default=list, blank=True)  # empty: Sent and INBOX (Gmail: All Mail)
    password_encrypted = models.TextField()  # Fernet token; never printed, never exported
    # {folder: {"uidvalidity": int, "last_uid": int}}, stored only after the folder's messages are saved.
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("mail account")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="imap_account_unique_name")]


class CalendarSubscription(Synced):
    url_encrypted = models.TextField()  # a private calendar address is a password: Fernet token
    url_hint = models.CharField(max_length=300)  # host and file name, shown instead of the address

    class Meta:
        verbose_name = _("calendar subscription")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="calendar_subscription_unique_name")]
