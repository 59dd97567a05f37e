"""Days of use: the days the owner opened Today, which the pace and catching up are measured on."""

from django.db import models

from restons.models.base import Owned


class Opening(Owned):
    """The owner opened Today (the page or ``restons today``) on this local day.

    ``overdue`` is how many people were overdue at the first opening of the day: catching up
    after days away compares it with the count when you left (docs/engine.md, Pace).
    """

    day = models.DateField()
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="opening_unique_day")]
