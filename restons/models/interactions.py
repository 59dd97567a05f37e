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
    direction = models.CharField(max_length=4, choices=Direction.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.OTHER)
    summary = models.TextField(blank=True, default="")
    source = models.CharField(max_length=40, default="manual")
    # Unique per (owner, source) when not empty: re-importing the same item is a no-op.
    source_key = models.CharField(max_length=500, blank=True, default="")
    content = models.ForeignKey(
        "restons.Content", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source", "source_key"],
                condition=~models.Q(source_key=""),
                name="interaction_unique_source_key",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "person", "at"], name="interaction_owner_person_at"),
            models.Index(fields=["owner", "at"], name="interaction_owner_at"),
        ]
