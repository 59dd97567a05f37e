"""``today``, ``stats`` and the things you add around people: circles, events, milestones, content, outcomes, pledges."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restons import formats, labels
from restons.cli import render
from restons.cli.app import as_date, as_days, cli, command, json_option, print_json


@command(name="today")
@click.option("--date", "day", metavar="DATE", help="Plan as if today were DATE.")
@click.option("--limit", type=click.IntRange(min=1), help="How many people at most (default RESTONS_TODAY_LIMIT).")
@json_option
def today(ctx, day, limit, as_json):
    """Whom to ping today, why, and a draft."""
    from restons.services.today import today_page

    page = today_page(ctx.owner, as_date(day), limit, opened=True)
    print_json(page["entries"]) if as_json else render.today(page["entries"], page["catch_up"], page["pace"])


@command(name="stats")
@click.option("--date", "day", metavar="DATE", help="Evaluate as if today were DATE.")
@json_option
def stats(ctx, day, as_json):
    """Health of your whole network, pledges, outcomes and who noticed your milestones."""
    from restons.services.stats import stats as network_stats

    data = network_stats(ctx.owner, as_date(day))
    print_json(data) if as_json else render.stats(data)


@cli.group()
def circle() -> None:
    """Circles: named groups with a default cadence."""


@command(circle, "add")
@click.argument("name")
@click.option("--every", metavar="DURATION", help="The circle's cadence: 10d, 2w, 3m, 1y.")
def circle_add(ctx, name, every):
    """Add circle NAME (or set its cadence)."""
    from restons.services.planning import add_circle

    made = add_circle(ctx.owner, name, as_days(every))
    click.echo(_("Circle %(name)s is ready.") % {"name": made.name})


@command(circle, "list")
@json_option
def circle_list(ctx, as_json):
    """Your circles with their cadence and how many people are in them."""
    from restons.services.circles import circle_list as circles

    rows = circles(ctx.owner)
    print_json(rows) if as_json else render.circles(rows)


@command(circle, "remove")
@click.argument("name")
def circle_remove(ctx, name):
    """Delete circle NAME; its people stay, out of it (those it gave a cadence become untracked)."""
    from restons.services.circles import delete_circle, find_circle

    gone = find_circle(ctx.owner, name)
    delete_circle(ctx.owner, gone)
    click.echo(_("Circle %(name)s deleted; its people stay.") % {"name": gone.name})


@cli.group()
def event() -> None:
    """Events: upcoming happenings with topics."""


@command(event, "add")
@click.argument("title")
@click.option("--on", "on", required=True, metavar="DATE", help="When it happens.")
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="A topic (repeatable).")
def event_add(ctx, title, on, topics):
    """Add event TITLE; people who follow one of its topics get a hook the week before."""
    from restons.services.planning import add_event

    made = add_event(ctx.owner, title, as_date(on), topics)
    click.echo(_("Added event %(title)s on %(date)s.") % {"title": made.title, "date": formats.day(made.on)})


@command(event, "list")
@click.option("--all", "past", is_flag=True, help="Past events too.")
@json_option
def event_list(ctx, past, as_json):
    """Upcoming events (from today on), soonest first, with the id 'event remove' takes."""
    from restons.services.planning import event_list as events

    rows = events(ctx.owner, past)
    print_json(rows) if as_json else render.events(rows, past)


@command(event, "remove")
@click.argument("title", metavar="EVENT")
def event_remove(ctx, title):
    """Delete EVENT (its whole title, or event:#ID as 'event list' shows it); pings about it stay."""
    gone = _remove(ctx.owner, title, "event")
    click.echo(_("Removed event “%(title)s” (%(date)s).") % {"title": gone.title, "date": formats.day(gone.on)})


def _remove(owner, text: str, kind: str, theirs: bool = False):
    """Find the event, milestone or content ``text`` names (its whole title or its id), delete it as the Plans page
    does, and return it."""
    from restons.services.about import find_about
    from restons.services.planning import delete

    item = find_about(owner, text, kinds=(kind,), theirs=theirs, exact=True)  # (never deleted by a beginning)
    delete(owner, item)
    return item


@cli.group()
def milestone() -> None:
    """Milestones: yours and theirs, one-off or yearly."""


@command(milestone, "add")
@click.argument("title")
@click.option("--on", "on", required=True, metavar="DATE", help="When.")
@click.option("--mine", is_flag=True, help="Your milestone.")
@click.option("--person", "who", metavar="PERSON", help="Their milestone.")
@click.option("--yearly", is_flag=True, help="Every year on that date (a birthday, an anniversary).")
def milestone_add(ctx, title, on, mine, who, yearly):
    """Add milestone TITLE, yours (--mine) or a person's (--person)."""
    from restons.services.errors import UserError
    from restons.services.people import find_person
    from restons.services.planning import add_milestone

    if mine == bool(who):
        raise UserError(_("Give either --mine or --person PERSON."))
    target = find_person(ctx.owner, who) if who else None
    made = add_milestone(ctx.owner, title, as_date(on), target, yearly)
    click.echo(_("Added milestone %(title)s on %(date)s.") % {"title": made.title, "date": formats.day(made.on)})


@command(milestone, "list")
@click.option("--mine", is_flag=True, help="Only yours.")
@click.option("--person", "who", metavar="PERSON", help="Only this person's.")
@json_option
def milestone_list(ctx, mine, who, as_json):
    """Milestones, yours and people's, the latest date first, with the id 'milestone remove' takes."""
    from restons.services.errors import UserError
    from restons.services.people import find_person
    from restons.services.planning import milestone_list as milestones

    if mine and who:
        raise UserError(_("Give --mine or --person PERSON, not both."))
    rows = milestones(ctx.owner, find_person(ctx.owner, who) if who else None, mine)
    print_json(rows) if as_json else render.milestones(rows)


@command(milestone, "remove")
@click.argument("title", metavar="MILESTONE")
def milestone_remove(ctx, title):
    """Delete MILESTONE, yours or a person's (its whole title, or milestone:#ID as 'milestone list' shows it)."""
    gone = _remove(ctx.owner, title, "milestone", theirs=True)
    click.echo(_("Removed milestone “%(title)s” (%(date)s).") % {"title": gone.title, "date": formats.day(gone.on)})


@cli.group()
def content() -> None:
    """Content you publish: newsletter issues, podcast episodes, posts, talks."""


@command(content, "add")
@click.argument("title")
@click.option("--on", "on", required=True, metavar="DATE", help="When it was published.")
@click.option("--kind", default="post", metavar="KIND", help="newsletter, podcast, post or talk.")
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="A topic (repeatable).")
@click.option("--url", default="", metavar="URL", help="Where it lives.")
def content_add(ctx, title, on, kind, topics, url):
    """Add content TITLE; people who follow its topics get a hook for two weeks."""
    from restons.services.planning import add_content

    made = add_content(ctx.owner, title, as_date(on), kind, topics, url)
    click.echo(_("Added %(title)s.") % {"title": made.title})


@command(content, "list")
@json_option
def content_list(ctx, as_json):
    """Your content, the latest first, with kind, topics and the id 'content remove' takes."""
    from restons.services.planning import content_list as published

    rows = published(ctx.owner)
    print_json(rows) if as_json else render.content(rows)


@command(content, "remove")
@click.argument("title", metavar="CONTENT")
def content_remove(ctx, title):
    """Delete CONTENT (its whole title, or content:#ID as 'content list' shows it); pings about it stay."""
    gone = _remove(ctx.owner, title, "content")
    click.echo(_("Removed “%(title)s” (%(date)s).") % {"title": gone.title, "date": formats.day(gone.on)})


@cli.group()
def outcome() -> None:
    """Outcomes: what a relationship brought."""


@command(outcome, "add")
@click.argument("who", metavar="PERSON")
@click.option("--kind", required=True, metavar="KIND",
              help="referral-given, referral-received, client, job-lead, intro, meetup, collaboration or friendship.")
@click.option("--at", "at", metavar="DATE", help="When (default today).")
@click.option("--note", default="", metavar="TEXT", help="What happened.")
def outcome_add(ctx, who, kind, at, note):
    """Log what staying in touch with PERSON brought."""
    from restons.services.people import find_person
    from restons.services.planning import add_outcome

    target = find_person(ctx.owner, who)
    made = add_outcome(ctx.owner, target, kind, as_date(at), note)
    click.echo(_("Logged an outcome with %(name)s: %(kind)s.") % {"kind": labels.outcome(made.kind), "name": target.name})


@command(outcome, "list")
@click.option("--person", "who", metavar="PERSON", help="Only this person's.")
@json_option
def outcome_list(ctx, who, as_json):
    """What staying in touch brought, the latest first, with the id 'outcome remove' takes."""
    from restons.services.people import find_person
    from restons.services.planning import outcome_list as outcomes

    rows = outcomes(ctx.owner, find_person(ctx.owner, who) if who else None)
    print_json(rows) if as_json else render.outcomes(rows)


@command(outcome, "remove")
@click.argument("outcome_id", metavar="ID")
def outcome_remove(ctx, outcome_id):
    """Delete outcome ID (12 or #12, as 'outcome list' shows it)."""
    from restons.models import Outcome
    from restons.services.access import get_owned
    from restons.services.planning import delete

    gone = get_owned(Outcome, ctx.owner, pk=outcome_id.strip().removeprefix("#"))
    said = (_("Removed the outcome with %(name)s: %(kind)s (%(date)s).")
            % {"name": gone.person.name, "kind": labels.outcome(gone.kind), "date": formats.day(gone.at)})
    delete(ctx.owner, gone)
    click.echo(said)


@command(name="leave")
@click.argument("org")
@click.option("--on", "on", metavar="DATE", help="The day you leave (default today).")
@click.option("--person", "people", multiple=True, metavar="PERSON", help="Someone to stay in touch with (repeatable).")
@click.option("--every", metavar="DURATION", help="The cadence you promise (default 3m).")
def leave(ctx, org, on, people, every):
    """The pledge: you leave ORG and promise to stay in touch with these people."""
    from restons.services.people import find_person
    from restons.services.planning import leave as make_pledge

    targets = [find_person(ctx.owner, who) for who in people]
    pledge = make_pledge(ctx.owner, org, as_date(on), targets, as_days(every))
    count = pledge.pledged.count()
    click.echo(
        ngettext("Pledge for %(org)s on %(date)s: %(count)s person, first ping within %(window)s days.",
                 "Pledge for %(org)s on %(date)s: %(count)s people, first ping within %(window)s days.", count)
        % {"org": pledge.organisation.name, "date": formats.day(pledge.on), "count": count,
           "window": pledge.first_window_days}
    )


@cli.group()
def noticed() -> None:
    """Who noticed your milestones: confirm or dismiss the suggestions 'stats' lists."""


@command(noticed, "list")
@click.argument("title", metavar="MILESTONE")
@json_option
def noticed_list(ctx, title, as_json):
    """Who noticed MILESTONE, and everyone who wrote to you in the 30 days after, to confirm or dismiss."""
    from restons.services.about import find_about, milestone_noticed
    from restons.services.errors import UserError

    milestone = find_about(ctx.owner, title, kinds=("milestone",))
    item = milestone_noticed(ctx.owner, milestone)
    if item is None:
        raise UserError(_("“%(title)s” has not happened yet.") % {"title": milestone.title})
    print_json(item) if as_json else render.noticed(item)


@command(noticed, "confirm")
@click.argument("title", metavar="MILESTONE")
@click.argument("who", metavar="PERSON")
def noticed_confirm(ctx, title, who):
    """PERSON's message after MILESTONE was about it: link it, and count them among who noticed."""
    from restons.services.about import confirm_noticed, find_about
    from restons.services.people import find_person

    milestone = find_about(ctx.owner, title, kinds=("milestone",))
    target = find_person(ctx.owner, who)
    confirm_noticed(ctx.owner, milestone, target)
    click.echo(_("%(name)s noticed “%(title)s”.") % {"name": target.name, "title": milestone.title})


@command(noticed, "dismiss")
@click.argument("title", metavar="MILESTONE")
@click.argument("who", metavar="PERSON")
def noticed_dismiss(ctx, title, who):
    """PERSON's messages after MILESTONE were not about it: stop suggesting them."""
    from restons.services.about import dismiss_noticed, find_about
    from restons.services.people import find_person

    milestone = find_about(ctx.owner, title, kinds=("milestone",))
    target = find_person(ctx.owner, who)
    dismiss_noticed(ctx.owner, milestone, target)
    click.echo(_("%(name)s is no longer suggested for “%(title)s”.") % {"name": target.name, "title": milestone.title})
