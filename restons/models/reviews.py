"""Computed reviews, kept until something they depend on changes.

A review reads a year of interactions or more; for an owner with a million of
them that takes seconds, and a past year's numbers do not change by
themselves. So ``restons.services.review`` keeps what it computed here, keyed
by the period and the settings that shape it, and ``checkups.forget`` — which
every change of user data goes through — drops the owner's kept reviews.
"""

from django.db import models

from restons.models.base import Owned


class KeptReview(Owned):
    key = models.CharField(max_length=200)  # period, window, time zone and version of the numbers
    current = models.BooleanField(default=False)  # the period ends today: useless from tomorrow
    computed_on = models.DateField()
    data = models.JSONField()  # the review's JSON, as ``restons review --json`` prints it

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="kept_review_unique_key")]
