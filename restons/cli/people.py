"""``restons person …``, ``ping`` and ``snooze``."""

from __future__ import annotations

from datetime import timedelta

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import formats
from restons.cli import render
from restons.cli.app import as_date, as_datetime, as_days, cli, command, json_option, print_json


@cli.group()
def person() -> None:
    """Add, show, list and edit the people you know."""


def person_options(func):
    """The options ``person add`` and ``person edit`` share."""
    options = [
        click.option("--email", "emails", multiple=True, metavar="E", help="An email address (repeatable)."),
        click.option("--phone", "phones", multiple=True, metavar="P", help="A phone number (repeatable)."),
        click.option("--linkedin", metavar="URL", help="LinkedIn profile URL."),
        click.option("--org", "orgs", multiple=True, metavar="ORG", help="An organisation they are or were at."),
        click.option("--met", metavar="TEXT", help="How you met."),
        click.option("--met-on", metavar="DATE", help="When you met (YYYY-MM-DD)."),
        click.option("--interest", "interests", multiple=True, metavar="TOPIC", help="A topic they follow (repeatable)."),
        click.option("--circle", "circles", multiple=True, metavar="NAME", help="A circle to add them to (repeatable)."),
        click.option("--every", metavar="DURATION", help="Their own cadence: 10d, 2w, 3m, 1y."),
        click.option("--note", "notes", metavar="TEXT", help="Notes about them."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _input(name, emails, phones, linkedin, orgs, met, met_on, interests, circles, every, notes, archived=None):
    from restons.services.people import PersonInput

    return PersonInput(
        name=name, emails=list(emails), phones=list(phones), linkedin=linkedin, orgs=list(orgs), met=met,
        met_on=as_date(met_on), interests=list(interests), circles=list(circles), cadence_days=as_days(every),
        notes=notes, archived=archived,
    )


@command(person, "add")
@click.argument("name")
@person_options
def person_add(ctx, name, **options):
    """Add NAME, with identities, how you met, interests, circles and a cadence."""
    from restons.services.people import add_person

    created = add_person(ctx.owner, _input(name, **options))
    click.echo(_("Added %(name)s (#%(id)s).") % {"name": created.name, "id": created.id})


@command(person, "edit")
@click.argument("who", metavar="PERSON")
@click.option("--name", help="A new name.")
@person_options
@click.option("--archive/--unarchive", default=None, help="Archive (hide everywhere) or bring back.")
def person_edit(ctx, who, name, archive, **options):
    """Change PERSON; identities, organisations, interests and circles are added to theirs."""
    from restons.services.people import edit_person, find_person

    changed = edit_person(ctx.owner, find_person(ctx.owner, who), _input(name, archived=archive, **options))
    click.echo(_("Updated %(name)s (#%(id)s).") % {"name": changed.name, "id": changed.id})


@command(person, "delete")
@click.argument("who", metavar="PERSON")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed without a terminal).")
def person_delete(ctx, who, yes):
    """Forget PERSON and everything about them: identities, pings, milestones, outcomes, pledge places."""
    import sys

    from restons.models import Interaction
    from restons.services.access import owned
    from restons.services.errors import UserError
    from restons.services.people import delete_person, find_person

    target = find_person(ctx.owner, who)
    if not yes:
        if not sys.stdin.isatty():
            raise UserError(_("Deleting %(name)s (#%(id)s) cannot be undone; add --yes to confirm.")
                            % {"name": target.name, "id": target.id})
        pings = owned(Interaction, ctx.owner).filter(person=target).count()
        question = ngettext(
            "Delete %(name)s (#%(id)s), with %(count)s ping and everything else about them?",
            "Delete %(name)s (#%(id)s), with %(count)s pings and everything else about them?", pings,
        ) % {"name": target.name, "id": target.id, "count": pings}
        if not click.confirm(question, default=False):
            click.echo(_("Nothing deleted."))
            return
    delete_person(ctx.owner, target)
    click.echo(_("Deleted %(name)s (#%(id)s) and everything about them.") % {"name": target.name, "id": target.id})


@command(person, "show")
@click.argument("who", metavar="PERSON")
@click.option("--date", "day", metavar="DATE", help="Evaluate as if today were DATE.")
@json_option
def person_show(ctx, who, day, as_json):
    """Everything about PERSON: health, strength, identities, timeline."""
    from restons.services.health import person_detail
    from restons.services.people import find_person

    from restons.services.snapshot import local_today

    day = as_date(day) or local_today()
    detail = person_detail(ctx.owner, find_person(ctx.owner, who), day)
    print_json(detail) if as_json else render.person(detail, day)


@command(person, "list")
@click.option("--circle", default="", metavar="NAME", help="Only people in this circle.")
@click.option("--status", default="", metavar="S", help="on-track, due, overdue, dormant or untracked.")
@click.option("--reciprocity", default="", metavar="R", help="mutual, you-carry, they-carry or silent.")
@click.option("--archived", is_flag=True, help="Include archived people.")
@click.option("--date", "day", metavar="DATE", help="Evaluate as if today were DATE.")
@json_option
def person_list(ctx, circle, status, reciprocity, archived, day, as_json):
    """The people you know, with their health."""
    from restons.services.health import person_list as people

    rows = people(ctx.owner, as_date(day), circle, status, reciprocity, archived)
    print_json(rows) if as_json else render.people(rows)


@command(name="ping")
@click.argument("who", metavar="PERSON")
@click.option("--via", "channel", default="other", metavar="CHANNEL",
              help="text, email, call, video, meeting, linkedin, social, newsletter, letter or other.")
@click.option("--from-them", "from_them", is_flag=True, help="They reached out to you.")
@click.option("--together", is_flag=True, help="You met or talked together.")
@click.option("--at", "at", metavar="DATETIME", help="When (ISO; local time zone if none). Default: now.")
@click.option("--note", default="", metavar="TEXT", help="A short summary.")
@click.option("--about", "about", metavar="TITLE",
              help="One of your milestones, content or events the ping is about (a title, or KIND:TITLE).")
def ping(ctx, who, channel, from_them, together, at, note, about):
    """Log a ping with PERSON (by default, you reached out now)."""
    from restons.models import Channel
    from restons.parsing import choice
    from restons.services.about import find_about
    from restons.services.errors import UserError
    from restons.services.health import next_due_of
    from restons.services.interactions import log_ping
    from restons.services.people import find_person

    if from_them and together:
        raise UserError(_("Choose --from-them or --together, not both."))
    direction = "in" if from_them else "both" if together else "out"
    channel = choice(channel, Channel, _("channel"))
    moment = as_datetime(at)
    target = find_person(ctx.owner, who)
    topic = find_about(ctx.owner, about) if about is not None else None
    log_ping(ctx.owner, target, direction=direction, channel=channel, at=moment, note=note, about=topic)
    due = next_due_of(ctx.owner, target)
    if due:
        click.echo(_("Logged a ping with %(name)s; next due on %(date)s.") % {"name": target.name, "date": formats.day(due)})
    else:
        click.echo(_("Logged a ping with %(name)s.") % {"name": target.name})


@command(name="snooze")
@click.argument("who", metavar="PERSON")
@click.option("--until", metavar="DATE", help="Hide from Today up to this date.")
@click.option("--for", "duration", metavar="DURATION", help="Hide from Today for this long: 10d, 2w, 3m.")
def snooze(ctx, who, until, duration):
    """Hide PERSON from Today for a while."""
    from django.utils import timezone

    from restons.services.errors import UserError
    from restons.services.people import find_person, snooze as snooze_person

    if bool(until) == bool(duration):
        raise UserError(_("Give either --until DATE or --for DURATION."))
    day = as_date(until) if until else timezone.localdate() + timedelta(days=as_days(duration))
    target = snooze_person(ctx.owner, find_person(ctx.owner, who), day)
    click.echo(_("%(name)s is snoozed until %(date)s.") % {"name": target.name, "date": formats.day(day)})
