"""Each person's health on a day, as the engine computed it, kept until something about them changes.

The engine is pure and fast enough for one person; for 20,000 it is not fast
enough on every page view. So its results are kept here (the way healthchecks
keeps ``alert_after``): Today and People read these rows with one query, and
``restons.services.checkups`` recomputes the rows of whoever changed, or of
everyone once a day.
"""

from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.db import models

from restons.models.base import Owned
from restons.models.people import Person


FAR = "9999-12-31"  # the due key of people with no due date: after every date
TOUCH_NEVER = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)  # the touch key of people never touched: before every ping


class Checkup(Owned):
    # No index of the owner alone: every index below starts with it. A new day rewrites thousands of
    # rows, each changing an indexed column (no update is HOT), so every index costs on every row written.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="checkup")
    day = models.DateField()  # the day it was computed for
    valid_until = models.DateField(default="0001-01-01")  # the first day its verdict may differ (engine.until): recomputed then
    name = models.CharField(max_length=300, default="")  # the person's, for the People page's index
    due_key = models.DateField(default=FAR)  # next_due, never NULL (FAR when untracked): the index sorts by it
    touch_key = models.DateTimeField(default=TOUCH_NEVER)  # the person's last touch, never NULL: sorts "last touch"
    window_days = models.PositiveIntegerField()  # RESTONS_WINDOW_DAYS when computed: a change recomputes
    status = models.CharField(max_length=12)
    reciprocity = models.CharField(max_length=12)
    strength = models.PositiveSmallIntegerField()
    next_due = models.DateField(null=True, blank=True)
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(default=0)  # Today's priority; 0 when there is no reason to ping (or snoozed)
    band = models.PositiveSmallIntegerField(default=0)  # Today's band (engine.today.band): ranked before the score
    # The score's parts (engine.today.priority_parts): a due or overdue person's score grows every day with
    # the urgency alone, so a new day rescores them from these instead of asking the engine again.
    hooks = models.FloatField(default=0)
    worth = models.FloatField(default=0)
    # What the strength needs besides the day (engine.health.strength): it falls with recency and grows with
    # tenure, so a new day recomputes it from these on ``strength_until`` (engine.until.strength_step).
    touched = models.DateField(null=True)  # the last touch's local day
    since = models.DateField(null=True)  # the tenure's start: known since, or the first touch
    channels = models.PositiveSmallIntegerField(default=0)  # distinct channels over the window
    outcomes = models.PositiveSmallIntegerField(default=0)
    strength_until = models.DateField(null=True)  # the first day the strength may change by time alone
    # The day the oldest interaction counted leaves the window (engine.until.counts_until): a new day
    # recounts the window and the strength then, without the engine.
    counts_until = models.DateField(null=True)
    interactions_in = models.PositiveIntegerField(default=0)
    interactions_out = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)  # the person's, kept here so that lists count without a join

    class Meta:
        indexes = [
            models.Index(fields=["owner", "band", "score"], name="checkup_owner_rank"),
            models.Index(fields=["owner", "archived", "status"], name="checkup_owner_archived"),
            models.Index(fields=["owner", "archived", "due_key", "name", "person"], name="checkup_owner_due"),
            models.Index(fields=["owner", "archived", "name", "person"], name="checkup_owner_name"),
            models.Index(fields=["owner", "archived", "-strength", "name", "person"], name="checkup_owner_strength"),
            models.Index(fields=["owner", "archived", "-touch_key", "name", "person"], name="checkup_owner_touch"),
            models.Index(fields=["owner", "valid_until"], name="checkup_owner_until"),
            # A new day's rescoring (services.checkups._rescore): the due and overdue, whose score grows,
            # and the strengths whose rounding step has come — each an index range, not a scan of everyone.
            models.Index(fields=["owner", "status", "valid_until"], name="checkup_owner_status_until"),
            models.Index(fields=["owner", "strength_until"], name="checkup_owner_strength_step"),
            models.Index(fields=["owner", "counts_until"], name="checkup_owner_counts_until"),
        ]


class CheckupState(models.Model):
    """One row per owner: whether their checkups are current, and the claim on recomputing them.

    ``day``/``window_days``: every checkup holds on that day (none missing, none past its
    ``valid_until``), so a page reads one row instead of counting checkups. ``dirty``: a change
    dropped some checkups since. ``claimed_at``: a recomputation is running (a request seeing it
    serves the last verdicts and says it is updating). ``load``/``close_load``: the pace's load over
    the current checkups (``services.pace.load_of``), kept here so that Today does not sum them.
    """

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(null=True)
    window_days = models.PositiveIntegerField(default=0)
    dirty = models.BooleanField(default=True)
    claimed_at = models.DateTimeField(null=True)
    load = models.FloatField(default=0)
    close_load = models.FloatField(default=0)
    listed = models.PositiveIntegerField(default=0)  # the checkups of people not archived, while current: People's total
