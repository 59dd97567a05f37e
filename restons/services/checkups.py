"""Keep each person's :class:`~restons.models.Checkup` current.

A checkup is the engine's verdict on one person for one day: status,
reciprocity, strength, next due date and Today's band and score. :func:`ensure_current`
recomputes the checkups that are missing or from another day — everyone's on
the first call of a day, only those of whoever changed afterwards. Anything
that changes what the engine would say about a person deletes their checkup
(:func:`forget`); anything that changes it for everyone (an event, content,
your milestones, a circle's cadence, a pledge) deletes all of the owner's.

Writes through the ORM are caught by the signal handlers below; the few bulk
writes (imports, bulk add to a circle, the demo) call :func:`forget`
themselves, and so does ``refresh_summaries``, which every change of
interactions goes through (their summaries change the verdict).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from restons import conf
from restons.engine import cadence, health
from restons.engine.health import Activity
from restons.engine.today import entry_for
from restons.models import (
    Checkup, Circle, Content, Event, Interest, KeptReview, Membership, Milestone, Outcome, Person, Pledge,
    PledgePerson,
)
from restons.services.access import owned
from restons.services.snapshot import load_activity, load_people, load_world, with_content_sent

# Past this many stale people, load everyone rather than name thousands of ids in a query.
LOAD_ALL_ABOVE = 2000


def forget_reviews(owner_id: int) -> None:
    """Drop the owner's kept reviews (for changes that alter a review but no verdict, e.g. who noticed)."""
    KeptReview.objects.filter(owner_id=owner_id).delete()


def forget(owner_id: int, person_ids=None) -> None:
    """Drop the checkups of ``person_ids`` (all the owner's when None); the next read recomputes them.

    Whatever changes a checkup can change a review too, so the owner's kept reviews go as well.
    """
    forget_reviews(owner_id)
    rows = Checkup.objects.filter(owner_id=owner_id)
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return
        rows = rows.filter(person_id__in=ids)
    rows.delete()


def ensure_current(owner, day: date) -> int:
    """Recompute the checkups that are missing or not of ``day``; returns how many were computed."""
    window = conf.get("RESTONS_WINDOW_DAYS")
    if owned(Checkup, owner).filter(day=day, window_days=window).count() == owned(Person, owner).count():
        return 0  # one checkup per person, all of today: nothing stale (two index-only counts)
    stale = list(
        owned(Person, owner)
        .filter(Q(checkup__isnull=True) | ~Q(checkup__day=day) | ~Q(checkup__window_days=window))
        .values_list("id", flat=True)
    )
    if not stale:
        return 0
    wanted = set(stale)
    ids = None if len(stale) > LOAD_ALL_ABOVE else stale
    world, sent = load_world(owner, day)
    people = with_content_sent(load_people(owner, ids=ids, include_archived=True), sent)
    activity = load_activity(owner, day, window, ids=ids)
    rows = []
    for person in people:
        if person.id not in wanted:
            continue
        assessment = cadence.assess(person, day)
        counts = activity.get(person.id, Activity())
        entry = entry_for(person, world)
        rows.append(
            Checkup(
                owner=owner, person_id=person.id, day=day, window_days=window, status=assessment.status,
                reciprocity=health.reciprocity(person, day, window),
                strength=health.strength(person, counts, day, window), next_due=assessment.due,
                cadence_days=assessment.every, score=entry.score if entry else 0.0, band=entry.band if entry else 0,
                interactions_in=counts.interactions_in, interactions_out=counts.interactions_out,
                archived=person.archived,
            )
        )
    with transaction.atomic():
        old = owned(Checkup, owner)
        old = old.exclude(day=day, window_days=window) if ids is None else old.filter(person_id__in=stale)
        old.delete()
        _insert(rows)
    return len(rows)


def _insert(rows: list[Checkup]) -> None:
    """One prepared INSERT for all rows (bulk_create on SQLite splits 20,000 rows into 280 statements).

    Another process may have computed the same rows meanwhile: theirs are as good as ours, so a
    conflict on the person is skipped.
    """
    if not rows:
        return
    fields = [f for f in Checkup._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(Checkup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    person = connection.ops.quote_name(Checkup._meta.get_field("person").column)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT ({person}) DO NOTHING")
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# -- what makes a checkup stale ---------------------------------------------

# Rows that belong to one person. Interactions are not here: refresh_summaries forgets for them.
PERSON_MODELS = (Interest, Membership, Outcome, PledgePerson)
OWNER_MODELS = (Event, Content, Circle, Pledge)  # rows that can change the verdict on anyone


_local = threading.local()


@contextmanager
def deferred():
    """Within it, the signal handlers below forget nothing: the caller forgets what changed once, after.

    For writes of many rows that send signals (deleting people cascades to their interests, circles,
    outcomes…), where one DELETE of checkups per row would make the query count grow with the rows.
    """
    before = getattr(_local, "deferred", False)
    _local.deferred = True
    try:
        yield
    finally:
        _local.deferred = before


def _quiet(kwargs) -> bool:
    return kwargs.get("raw") or getattr(_local, "deferred", False)


def _person_changed(sender, instance, **kwargs):
    if _quiet(kwargs):
        return
    forget(instance.owner_id, [instance.person_id])


def _person_saved(sender, instance, created=False, **kwargs):
    if _quiet(kwargs) or created:
        return  # a new person has no checkup yet
    forget(instance.owner_id, [instance.pk])


def _person_deleted(sender, instance, **kwargs):
    if _quiet(kwargs):
        return  # deleting many: the caller drops the reviews once
    forget_reviews(instance.owner_id)  # their checkup went with them (cascade)


def _milestone_changed(sender, instance, **kwargs):
    if _quiet(kwargs):
        return
    # Theirs concern one person; yours can give any mutual friend a reason.
    forget(instance.owner_id, [instance.person_id] if instance.person_id else None)


def _everyone_changed(sender, instance, **kwargs):
    if _quiet(kwargs):
        return
    forget(instance.owner_id)


def connect() -> None:
    """Called once from the app config."""
    for model in PERSON_MODELS:
        post_save.connect(_person_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-save")
        post_delete.connect(_person_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-delete")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="checkup-Person-save")
    # Their checkup goes with them (cascade); this drops the kept reviews that name them.
    post_delete.connect(_person_deleted, sender=Person, dispatch_uid="checkup-Person-delete")
    post_save.connect(_milestone_changed, sender=Milestone, dispatch_uid="checkup-Milestone-save")
    post_delete.connect(_milestone_changed, sender=Milestone, dispatch_uid="checkup-Milestone-delete")
    for model in OWNER_MODELS:
        post_save.connect(_everyone_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-save")
        post_delete.connect(_everyone_changed, sender=model, dispatch_uid=f"checkup-{model.__name__}-delete")


def refresh_all() -> int:
    """Bring every user's checkups (and the day's count of their pings, for the pace) up to their today;
    returns how many checkups were computed.

    Each user's day starts at midnight in their own time zone (Settings), so
    each is computed under that zone.
    """
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from restons.models import Preferences
    from restons.services.accounts import resolve

    from restons.services.pace import window_pings

    preferences = {p.owner_id: p for p in Preferences.objects.all()}
    computed = 0
    for user in get_user_model().objects.order_by("id"):
        with timezone.override(ZoneInfo(resolve(preferences.get(user.pk)).time_zone)):
            computed += ensure_current(user, timezone.localdate())
            window_pings(user, timezone.localdate())  # the day's pace, counted once, off the first page view
    return computed
