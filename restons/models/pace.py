"""Days of use (the days the owner opened Today) and the pings counted for the pace."""

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


class DailyPace(Owned):
    """Your pings in the two pace windows of a day, counted once for the day.

    Both windows end yesterday or earlier, so nothing you log today changes them; counting
    them on a large history is the costly part of the pace, so it is done once (by
    ``restons serve``'s background loop after midnight, else at the first read). A ping
    backdated or imported today counts from tomorrow. Only the latest day is kept.
    """

    day = models.DateField()
    pings = models.PositiveIntegerField()  # the eight weeks ending yesterday
    pings_before = models.PositiveIntegerField()  # the eight weeks ending two weeks earlier

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="daily_pace_unique_day")]
