"""Interactions: one touch between you and a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned
from restons.models.people import Person


class Direction(models.TextChoices):
    OUT = "out", _("you reached out")
    IN = "in", _("they reached out")
    BOTH = "both", _("together")


class Channel(models.TextChoices):
    TEXT = "text", _("text")
    EMAIL = "email", _("email")
    CALL = "call", _("call")
    VIDEO = "video", _("video")
    MEETING = "meeting", _("meeting")
    LINKEDIN = "linkedin", _("LinkedIn")
    SOCIAL = "social", _("social")
    NEWSLETTER = "newsletter", _("newsletter")
    LETTER = "letter", _("letter")
    OTHER = "other", _("other")


class Interaction(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interactions")
    at = models.DateTimeField()
    # A captured conversation's last message (``at`` is its first); None for a single ping.
    until = models.DateTimeField(null=True, blank=True)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.OTHER)
    summary = models.TextField(blank=True, default="")
    source = models.CharField(max_length=40, default="manual")
    # Unique per (owner, source) when not empty: re-importing the same item is a no-op.
    source_key = models.CharField(max_length=500, blank=True, default="")
    # What the ping was about, if anything: one piece of your content (a reader's reply, or you
    # sending it), one of your milestones (who noticed it) or an event. At most one of the three.
    content = models.ForeignKey(
        "restons.Content", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions", db_index=False
    )
    milestone = models.ForeignKey(
        "restons.Milestone", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions", db_index=False
    )
    event = models.ForeignKey(
        "restons.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions", db_index=False
    )

    @property
    def about(self):
        """The content, milestone or event this ping is about, or None."""
        return self.content or self.milestone or self.event

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content__isnull=True, milestone__isnull=True)
                | models.Q(content__isnull=True, event__isnull=True)
                | models.Q(milestone__isnull=True, event__isnull=True),
                name="interaction_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["owner", "source", "source_key"],
                condition=~models.Q(source_key=""),
                name="interaction_unique_source_key",
            )
        ]
        indexes = [
            # A person's pings in order (``at``, then ``id``: the timeline, the charts) and what their activity
            # counts (services.snapshot.load_activity), read from the index alone. ``id`` before the counted
            # columns, or SQLite, to keep that order, walks the owner's pings by date instead.
            models.Index(fields=["owner", "person", "at", "id", "direction", "channel"],
                         name="interaction_person_activity"),
            # Pings by time (Stats, the week's digest) and yours among them, counted from the index alone (the
            # pace's windows on a new day: 70 days of pings, without reading each row for its direction).
            models.Index(fields=["owner", "at", "direction"], name="interaction_owner_at"),
            # The few pings about a piece of content, a milestone or an event: partial indexes, so that the
            # many others (every captured message) cost no entry, and led by the link, so that SQLite
            # without statistics (a user's database is never analysed) takes them rather than scan the owner's.
            models.Index(fields=["content", "owner", "person"], condition=models.Q(content__isnull=False),
                         name="interaction_content"),
            models.Index(fields=["milestone", "owner"], condition=models.Q(milestone__isnull=False),
                         name="interaction_milestone"),
            models.Index(fields=["event", "owner"], condition=models.Q(event__isnull=False), name="interaction_event"),
        ]
