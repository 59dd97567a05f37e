"""People, their identities, organisations, interests and circles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned


class Circle(Owned):
    """A named group with a default cadence ("Agency alumni", "Friends")."""

    name = models.CharField(max_length=200)
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="circle_unique_name")]

    def __str__(self) -> str:
        return self.name


class Organisation(Owned):
    name = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="organisation_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(Owned):
    """Someone you know.

    ``last_touch_at`` and its siblings summarise the person's interactions;
    they are kept current by :func:`restons.services.interactions.refresh_summaries`
    whenever interactions change, so the engine never scans all interactions
    (the same idea as healthchecks' stored ``alert_after``).
    """

    name = models.CharField(max_length=300)
    met_how = models.TextField(blank=True, default="")
    met_on = models.DateField(null=True, blank=True)
    met_where = models.CharField(max_length=300, blank=True, default="")
    connected_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    last_touch_at = models.DateTimeField(null=True, blank=True)
    last_in_at = models.DateTimeField(null=True, blank=True)
    last_out_at = models.DateTimeField(null=True, blank=True)
    last_only_in_at = models.DateTimeField(null=True, blank=True)
    first_touch_at = models.DateTimeField(null=True, blank=True)
    out_streak = models.PositiveIntegerField(default=0)

    circles = models.ManyToManyField(Circle, through="Membership", related_name="people")

    class Meta:
        indexes = [
            models.Index(fields=["owner", "name"], name="person_owner_name"),
            models.Index(fields=["owner", "archived"], name="person_owner_archived"),
        ]

    def __str__(self) -> str:
        return self.name


class Identity(Owned):
    """One normalised address of a person; unique per owner."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("email")
        PHONE = "phone", _("phone")
        LINKEDIN = "linkedin", _("LinkedIn")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        WEBSITE = "website", _("website")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "value"], name="identity_unique_value")]
        indexes = [models.Index(fields=["owner", "person"], name="identity_owner_person")]

    def __str__(self) -> str:
        return self.value


class Affiliation(Owned):
    """A person at an organisation, with dates when known."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    title = models.CharField(max_length=300, blank=True, default="")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "person", "organisation"], name="affiliation_unique")
        ]


class Interest(Owned):
    """A topic a person follows; ``topic`` is normalised (see restons.topics)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    topic = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "person", "topic"], name="interest_unique")]
        indexes = [models.Index(fields=["owner", "topic"], name="interest_owner_topic")]


class Membership(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "person", "circle"], name="membership_unique")]
