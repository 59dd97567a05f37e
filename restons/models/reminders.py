"""Reminders that reach the user: the digest, the calendar feed, push, and the deliveries that carry them.

:class:`Reminders` is what a user chose (Settings, ``restons digest set``);
:class:`Delivery` is one message for one (user, kind, period), unique
together, which is how the worker sends each at most once; :class:`WorkerBeat`
and :class:`WorkerLease` say when a worker last ran and guard SQLite's single worker.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned


class Reminders(models.Model):
    """One user's reminder choices. Secrets: ``feed_secret``, ``webhook_secret`` (and ``ntfy_topic``,
    which anyone who knows it can read on a public ntfy server)."""

    class Digest(models.TextChoices):
        OFF = "off", _("off")
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.OFF)
    weekday = models.PositiveSmallIntegerField(default=0)  # 0 = Monday, for the weekly digest
    hour = models.PositiveSmallIntegerField(default=8)  # local hour, in the user's time zone
    # The calendar feed: /feed/<key>/<secret>.ics; the key finds the row, the secret is compared in constant time.
    feed_key = models.CharField(max_length=24, unique=True, null=True, blank=True)
    feed_secret = models.CharField(max_length=64, blank=True, default="")
    feed_etag = models.CharField(max_length=64, blank=True, default="")  # of the last feed served
    feed_modified = models.DateTimeField(null=True, blank=True)  # when the feed's content last changed
    ntfy_topic = models.CharField(max_length=64, blank=True, default="")
    webhook_url = models.URLField(max_length=500, blank=True, default="")
    webhook_secret = models.CharField(max_length=64, blank=True, default="")
    changed_at = models.DateTimeField(auto_now=True)

    @property
    def wants_anything(self) -> bool:
        return self.digest != self.Digest.OFF or bool(self.ntfy_topic) or bool(self.webhook_url)


class Delivery(Owned):
    """One message of one kind for one period of one user: sent at most once.

    ``period`` is the user's local date for a daily message (``2026-03-29``) and the ISO
    week for a weekly one (``2026-W13``). The row is created ``pending``; a worker claims
    it by moving it to ``sending`` and commits that *before* it sends, so a worker killed
    between sending and recording leaves it ``sending`` and nobody sends it again.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", _("digest")
        NTFY = "ntfy", _("ntfy")
        WEBHOOK = "webhook", _("webhook")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("nothing to say")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    period = models.CharField(max_length=10)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField()  # when it may be (re)tried
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=200, blank=True, default="")  # "3 people, 1 reply owed"
    last_error = models.CharField(max_length=500, blank=True, default="")
    worker = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "period"], name="delivery_unique")]
        indexes = [
            models.Index(fields=["owner", "kind", "created_at"], name="delivery_owner_kind"),
            # The worker's claim looks across owners; on a distributed database each shard has its own copy.
            models.Index(fields=["state", "not_before"], name="delivery_state_due"),
        ]


class WorkerBeat(models.Model):
    """The last round of one worker process (``host:pid``): what ``restons status`` reports."""

    name = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField()
    last_run_at = models.DateTimeField()
    rounds = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)  # messages sent since it started
    interval_seconds = models.PositiveIntegerField(default=60)


class WorkerLease(models.Model):
    """On SQLite, one worker at a time: who holds the lease and until when (renewed every round)."""

    name = models.CharField(max_length=32, unique=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()
