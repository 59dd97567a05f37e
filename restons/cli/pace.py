"""``restons pace``: what your cadences ask against what you manage, and the changes you may accept."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from restons.cli import render
from restons.cli.app import as_date, cli, command, fail, json_option, print_json


@cli.group(invoke_without_command=True)
@click.option("--date", "day", metavar="DATE", help="Evaluate as if today were DATE.")
@json_option
@click.pass_context
def pace(click_ctx, day, as_json):
    """Your pace against what your cadences ask; proposals when they do not fit."""
    if click_ctx.invoked_subcommand is None:
        from restons.conf import ConfigError
        from restons.services.errors import UserError
        from restons.services.pace import pace_report

        try:
            report = pace_report(click_ctx.obj.owner, as_date(day))
        except (UserError, ConfigError) as exc:
            fail(str(exc))
        print_json(report) if as_json else render.pace(report)


@command(pace, "apply")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--kind", type=click.Choice(["untrack", "person", "circle"]), help="All of today's proposals of one kind.")
def pace_apply(ctx, ids, kind):
    """Accept today's proposals: all of them, those named by ID (see 'restons pace'), or all of one --kind."""
    from restons.services.pace import apply_proposals

    for proposal in apply_proposals(ctx.owner, ids, kind=kind):
        click.echo(_("Done: %(change)s") % {"change": render.proposal_text(proposal)})
