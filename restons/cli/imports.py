"""``restons import`` and ``restons merge``."""

from __future__ import annotations

import sys

import click
from django.utils.translation import gettext as _

from restons.cli import render
from restons.cli.app import cli, command, json_option, print_json
from restons.services.errors import UserError


@command(name="import")
@click.argument("source", metavar="SOURCE")
@click.argument("path", type=click.Path(exists=True))
@click.option("--me", "owner_profile_url", default="", metavar="URL",
              help="linkedin: your own profile URL, to tell sent messages from received ones.")
@click.option("--region", default=None, metavar="CC", help="Phone region for numbers without +, e.g. FR.")
@click.option("--sent", is_flag=True, help="mbox: the file holds mail you sent (a mail client's Sent folder).")
@click.option("--groups", is_flag=True, help="telegram: read group chats too.")
@json_option
def import_(ctx, source, path, owner_profile_url, region, sent, groups, as_json):
    """Import PATH, an export of SOURCE.

    Contacts: linkedin, vcard, google-csv, outlook-csv. Messages and meetings (the capture rules):
    mbox, maildir (a folder), ics (a file or a folder), sms-xml, whatsapp (a file, a .zip or a folder),
    telegram, imessage. Idempotent (the same file twice changes nothing); an interrupted import leaves
    nothing half-written and can be run again.
    """
    import os

    from restons.services.imports import CAPTURE_SOURCES, run_import

    if os.path.isdir(path) and source not in ("maildir", "ics", "whatsapp"):
        raise UserError(_("%(path)s is a folder; %(source)s imports a file") % {"path": path, "source": source})
    options = {"owner_profile_url": owner_profile_url} if source == "linkedin" and owner_profile_url else {}
    if sent and source == "mbox":
        options["outgoing"] = True
    if groups and source == "telegram":
        options["groups"] = True
    if source in CAPTURE_SOURCES:
        path = os.path.abspath(path)
    if region:
        from restons.identities import normalise_region

        region = normalise_region(region)
    if as_json or not sys.stderr.isatty():
        summary = run_import(ctx.owner, source, path, region=region, **options)
    else:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True,
                      console=render.error_console()) as bar:
            task = bar.add_task(_("Importing %(path)s…") % {"path": path})
            summary = run_import(
                ctx.owner, source, path, region=region,
                progress=lambda n: bar.update(task, description=_("%(count)s records read") % {"count": n}),
                **options,
            )
    print_json(summary.as_json()) if as_json else render.import_summary(summary.as_json())


@cli.group(invoke_without_command=True)
@json_option
@click.pass_context
def merge(click_ctx, as_json):
    """Likely duplicates: list them, then accept or reject each."""
    if click_ctx.invoked_subcommand is None:
        from restons.services.merges import pending_suggestions

        rows = pending_suggestions(click_ctx.obj.owner)
        print_json(rows) if as_json else render.suggestions(rows)


@command(merge, "accept")
@click.argument("suggestion_id", type=int, metavar="ID")
def merge_accept(ctx, suggestion_id):
    """Merge the two people of suggestion ID: every identity and interaction of both is kept."""
    from restons.services.merges import decide

    kept = decide(ctx.owner, suggestion_id, accept=True)
    click.echo(_("Merged into %(name)s (#%(id)s).") % {"name": kept.name, "id": kept.id})


@command(merge, "reject")
@click.argument("suggestion_id", type=int, metavar="ID")
def merge_reject(ctx, suggestion_id):
    """They are different people: never suggest this pair again."""
    from restons.services.merges import decide

    decide(ctx.owner, suggestion_id, accept=False)
    click.echo(_("Suggestion %(id)s rejected.") % {"id": suggestion_id})


@command(merge, "people")
@click.argument("keep", metavar="PERSON")
@click.argument("drop", metavar="DUPLICATE")
def merge_people(ctx, keep, drop):
    """Merge DUPLICATE into PERSON by hand."""
    from restons.services.merges import merge_people as merge_two
    from restons.services.people import find_person

    kept = merge_two(ctx.owner, find_person(ctx.owner, keep), find_person(ctx.owner, drop))
    click.echo(_("Merged into %(name)s (#%(id)s).") % {"name": kept.name, "id": kept.id})
