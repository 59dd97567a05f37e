"""Dated things: events, milestones and your content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned
from restons.models.people import Person


class Event(Owned):
    """An upcoming happening with topics; people who follow a topic get a hook."""

    title = models.CharField(max_length=300)
    on = models.DateField()
    topics = models.JSONField(default=list)
    lead_days = models.PositiveIntegerField(default=7)

    class Meta:
        indexes = [models.Index(fields=["owner", "on"], name="event_owner_on")]


class Milestone(Owned):
    """Yours (``person`` is null) or a person's; one-off or yearly."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    on = models.DateField()
    yearly = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["owner", "person"], name="milestone_owner_person")]


class Content(Owned):
    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", _("newsletter")
        PODCAST = "podcast", _("podcast")
        POST = "post", _("post")
        TALK = "talk", _("talk")

    title = models.CharField(max_length=300)
    on = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POST)
    topics = models.JSONField(default=list)
    url = models.URLField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["owner", "on"], name="content_owner_on")]


class DismissedNotice(Owned):
    """You said this person's pings after this occurrence of your milestone were not about it.

    "Who noticed" then stops suggesting them for that occurrence (a yearly milestone asks again next year).
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="dismissed")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()  # the occurrence

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "milestone", "person", "on"], name="dismissed_notice_unique")
        ]
