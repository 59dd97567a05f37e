"""The private calendar feed (ICS): due pings, birthdays and milestones, pledge checkpoints.

Built with ``icalendar`` for calendar apps that subscribe to a URL (Google
Calendar, Apple Calendar, Thunderbird): every event is all-day
(``DTSTART;VALUE=DATE`` and ``DTEND`` the next day), transparent (it blocks no
time), and has a UID that depends only on what it is about — a person's due
ping is ``due-<person id>@restons`` whatever its date — so a calendar moves the
event when the date changes instead of adding a second one.

The feed's ETag is a hash of its events; ``Last-Modified`` (and every event's
``DTSTAMP``) is when that hash last changed, kept on the user's Reminders row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from restons import labels
from restons.models import Checkup, Reminders
from restons.services import checkups, digest
from restons.services.access import owned
from restons.services.accounts import settings_of

HORIZON_DAYS = 30  # due pings over the next 30 days
CHECKPOINT_DAYS = 120  # pledge checkpoints: the first-ping deadline and the quarter's end
DUE_STATUSES = ("on-track", "due", "overdue")  # dormant and untracked people have no due ping to show


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    on: date
    summary: str
    description: str
    url: str = ""


def _uid(kind: str, ident) -> str:
    return f"{kind}-{ident}@restons"


def feed_events(owner, day: date) -> list[FeedEvent]:
    """The feed's events on ``day``, in the active language and time zone."""
    events = []
    checkups.ensure_current(owner, day)
    horizon = day + timedelta(days=HORIZON_DAYS)
    due = (owned(Checkup, owner).filter(archived=False, status__in=DUE_STATUSES,
                                        next_due__isnull=False, next_due__lte=horizon)
           .select_related("person").order_by("next_due", "person_id"))
    for row in due:
        person = row.person
        on = max(row.next_due, day)
        if person.snoozed_until and person.snoozed_until >= on:
            on = person.snoozed_until + timedelta(days=1)
        if on > horizon:
            continue
        parts = [labels.cadence_label(row.cadence_days).capitalize()]
        if row.next_due < day:
            parts.append(_("due since %(date)s") % {"date": date_format(row.next_due, "j F Y")})
        if person.last_touch_at:
            parts.append(_("last in touch on %(date)s") % {
                "date": date_format(timezone.localtime(person.last_touch_at).date(), "j F Y")})
        else:
            parts.append(_("never in touch yet"))
        events.append(FeedEvent(_uid("due", person.id), on, _("Ping %(name)s") % {"name": person.name},
                                pgettext("list separator", "; ").join(p for p in parts if p) + ".", digest.absolute(f"/people/{person.id}/")))
    for milestone in digest.upcoming_milestones(owner, day, days=366):
        person = milestone["person"]
        summary = (_("%(name)s: %(title)s") % {"name": person["name"], "title": milestone["title"]} if person
                   else _("You: %(title)s") % {"title": milestone["title"]})
        description = (_("A good day to send %(name)s a word.") % {"name": person["name"]} if person
                       else _("Your milestone: who will notice?"))
        url = digest.absolute(f"/people/{person['id']}/") if person else digest.absolute("/plans/")
        # The next occurrence only, under the milestone's UID: next year the calendar moves it.
        events.append(FeedEvent(_uid("milestone", milestone["id"]), milestone["on"], summary, description, url))
    for checkpoint in digest.pledge_checkpoints(owner, day, CHECKPOINT_DAYS):
        kind = "pledge-first" if checkpoint["kind"] == "first-pings" else f"pledge-{checkpoint['on'].isoformat()}"
        events.append(FeedEvent(_uid(kind, checkpoint["id"]), checkpoint["on"],
                                _("Pledge: %(org)s") % {"org": checkpoint["org"]},
                                digest.checkpoint_text(checkpoint) + ".",
                                digest.absolute(f"/pledges/{checkpoint['id']}/")))
    return events


def fingerprint(events: list[FeedEvent], language: str) -> str:
    data = [[e.uid, e.on.isoformat(), e.summary, e.description, e.url] for e in events]
    return hashlib.sha256(json.dumps([language, data], ensure_ascii=False).encode()).hexdigest()[:32]


def render(events: list[FeedEvent], stamp: datetime, name: str) -> bytes:
    """The VCALENDAR text of ``events``; ``stamp`` (UTC) is every event's DTSTAMP."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Restons//Restons//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", timedelta(hours=1))
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    modified: datetime


def build(row: Reminders, now: datetime | None = None) -> Feed:
    """The feed of ``row``'s owner, in their time zone and language; records when its content changed."""
    owner = row.owner
    now = now or timezone.now()
    language = digest.language_of(owner)
    with timezone.override(ZoneInfo(settings_of(owner).time_zone)), translation.override(language):
        events = feed_events(owner, timezone.localdate(now))
        etag = fingerprint(events, language)
        if etag != row.feed_etag or row.feed_modified is None:
            modified = now.replace(microsecond=0)
            Reminders.objects.filter(pk=row.pk).update(feed_etag=etag, feed_modified=modified)
            row.feed_etag, row.feed_modified = etag, modified
        return Feed(render(events, row.feed_modified.astimezone(ZoneInfo("UTC")), "Restons"), etag,
                    row.feed_modified)
