"""Outcomes: what a relationship brought, and pledges: "let's stay in touch"."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned
from restons.models.people import Organisation, Person


class Outcome(Owned):
    class Kind(models.TextChoices):
        REFERRAL_GIVEN = "referral-given", _("referral given")
        REFERRAL_RECEIVED = "referral-received", _("referral received")
        CLIENT = "client", _("client")
        JOB_LEAD = "job-lead", _("job lead")
        INTRO = "intro", _("introduction")
        MEETUP = "meetup", _("meetup")
        COLLABORATION = "collaboration", _("collaboration")
        FRIENDSHIP = "friendship", _("friendship")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateField()
    note = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["owner", "person"], name="outcome_owner_person")]


class Pledge(Owned):
    """Made when leaving an organisation: these people, a first ping, then a cadence."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pledges")
    on = models.DateField()
    first_window_days = models.PositiveIntegerField(default=14)
    cadence_days = models.PositiveIntegerField(default=90)
    ended_on = models.DateField(null=True, blank=True)
    people = models.ManyToManyField(Person, through="PledgePerson", related_name="pledges")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "organisation", "on"], name="pledge_unique")]


class PledgePerson(Owned):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="pledged")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pledged")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "pledge", "person"], name="pledge_person_unique")]
