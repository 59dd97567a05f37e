"""``restons interaction list``, ``edit`` and ``delete``: the pings you logged or imported, corrected or forgotten."""

from __future__ import annotations

import json

import click
from django.utils.translation import gettext as _

from restons.cli import render
from restons.cli.app import as_date, cli, command, json_option
from restons.parsing import parse_datetime


@cli.group()
def interaction() -> None:
    """List, correct and delete interactions (pings)."""


@command(interaction, "list")
@click.option("--person", "who", metavar="PERSON", help="Only the interactions with PERSON.")
@click.option("--since", metavar="DATE", help="From this local date on (included).")
@click.option("--until", metavar="DATE", help="Up to this local date (included).")
@click.option("--source", metavar="SOURCE", help="Only from this source: manual, linkedin, vcard, demo…")
@json_option
def interaction_list(ctx, who, since, until, source, as_json):
    """Interactions, oldest first, with the ids that edit and delete take."""
    from restons.services.interactions import list_interactions
    from restons.services.people import find_person

    target = find_person(ctx.owner, who) if who is not None else None
    rows = list_interactions(ctx.owner, person=target, since=as_date(since), until=as_date(until), source=source)
    if as_json:
        _stream_json(rows)
    else:
        render.interactions(list(rows))


def _stream_json(rows) -> None:
    """The documented JSON list, written as it is read: a million interactions need not fit in memory."""
    written = False
    click.echo("[", nl=False)
    for row in rows:
        click.echo(("," if written else "") + "\n  " + json.dumps(row, ensure_ascii=False), nl=False)
        written = True
    click.echo("\n]" if written else "]")


@command(interaction, "edit")
@click.argument("interaction_id", metavar="ID")
@click.option("--at", "at", metavar="DATETIME", help="When it happened (ISO; local time zone if none).")
@click.option("--via", "channel", metavar="CHANNEL",
              help="text, email, call, video, meeting, linkedin, social, newsletter, letter or other.")
@click.option("--note", metavar="TEXT", help="A new summary ('' empties it).")
@click.option("--from-them", "from_them", is_flag=True, help="They reached out to you.")
@click.option("--together", is_flag=True, help="You met or talked together.")
@click.option("--from-me", "from_me", is_flag=True, help="You reached out.")
def interaction_edit(ctx, interaction_id, at, channel, note, from_them, together, from_me):
    """Correct interaction ID: only what you give changes."""
    from restons.services.errors import UserError
    from restons.services.interactions import edit_interaction

    if from_them + together + from_me > 1:
        raise UserError(_("Choose one of --from-them, --together or --from-me."))
    direction = "in" if from_them else "both" if together else "out" if from_me else None
    if at is None and channel is None and note is None and direction is None:
        raise UserError(_("Nothing to change; give --at, --via, --note, --from-them, --together or --from-me."))
    moment = parse_datetime(at) if at is not None else None
    changed = edit_interaction(ctx.owner, _id(interaction_id), at=moment, channel=channel, note=note,
                               direction=direction)
    click.echo(_("Updated ping %(id)s: %(when)s with %(name)s.") % _described(changed))


@command(interaction, "delete")
@click.argument("interaction_id", metavar="ID")
def interaction_delete(ctx, interaction_id):
    """Delete interaction ID; the person's next due date follows."""
    from restons.services.interactions import delete_interaction

    gone = delete_interaction(ctx.owner, _id(interaction_id))
    click.echo(_("Deleted ping %(id)s: %(when)s with %(name)s.") % _described(gone))


def _id(text: str) -> str:
    """``12`` or ``#12``, as lists write ids."""
    return text.strip().removeprefix("#")


def _described(interaction) -> dict:
    from django.utils import timezone

    return {"when": timezone.localtime(interaction.at).strftime("%Y-%m-%d %H:%M"), "name": interaction.person.name,
            "id": interaction.pk}
