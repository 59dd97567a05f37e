"""Each person's health on a day, as the engine computed it, kept until something about them changes.

The engine is pure and fast enough for one person; for 20,000 it is not fast
enough on every page view. So its results are kept here (the way healthchecks
keeps ``alert_after``): Today and People read these rows with one query, and
``restons.services.checkups`` recomputes the rows of whoever changed, or of
everyone once a day.
"""

from django.db import models

from restons.models.base import Owned
from restons.models.people import Person


class Checkup(Owned):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="checkup")
    day = models.DateField()
    window_days = models.PositiveIntegerField()  # RESTONS_WINDOW_DAYS when computed: a change recomputes
    status = models.CharField(max_length=12)
    reciprocity = models.CharField(max_length=12)
    strength = models.PositiveSmallIntegerField()
    next_due = models.DateField(null=True, blank=True)
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(default=0)  # Today's priority; 0 when there is no reason to ping (or snoozed)
    band = models.PositiveSmallIntegerField(default=0)  # Today's band (engine.today.band): ranked before the score
    interactions_in = models.PositiveIntegerField(default=0)
    interactions_out = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)  # the person's, kept here so that lists count without a join

    class Meta:
        indexes = [
            models.Index(fields=["owner", "day", "band", "score"], name="checkup_owner_day_rank"),
            models.Index(fields=["owner", "day", "archived", "status"], name="checkup_owner_day_archived"),
        ]
