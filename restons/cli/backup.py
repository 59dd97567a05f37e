"""``restons export json|vcard|csv`` and ``restons restore``: your data out, and back in."""

from __future__ import annotations

import sys

import click
from django.utils.translation import gettext as _

from restons.cli.app import cli, command

@cli.group()
def export() -> None:
    """Your data out: a backup that restores (json), address-book cards (vcard), spreadsheets (csv)."""


@command(export, "json")
@click.argument("path", required=False, metavar="[PATH]")
def export_json(ctx, path):
    """Everything you own as one versioned JSON document (a zip when PATH ends in .zip; standard output without PATH)."""
    from restons.backup.dump import export_json as write_file, write_backup

    if path is None or path == "-":
        write_backup(ctx.owner, sys.stdout)
        return
    _checked(lambda: write_file(ctx.owner, path))
    click.echo(_("Wrote the backup to %(path)s; secrets (passwords, API tokens) are left out.") % {"path": path})


@command(export, "vcard")
@click.argument("path", required=False, metavar="[PATH]")
def export_vcard(ctx, path):
    """Everyone as vCard 4.0, for Apple Contacts, Google Contacts or Outlook (standard output without PATH)."""
    from restons.exports.vcard import write_vcards

    if path is None or path == "-":
        write_vcards(ctx.owner, sys.stdout)
        return

    def write():
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write_vcards(ctx.owner, out)

    count = _checked(write)
    click.echo(_("Wrote %(count)s cards to %(path)s.") % {"count": count, "path": path})


@command(export, "csv")
@click.argument("path", metavar="PATH")
def export_csv(ctx, path):
    """One CSV file per table, for spreadsheets: a zip when PATH ends in .zip, else a folder."""
    from restons.exports.spreadsheet import export_csv as write

    _checked(lambda: write(ctx.owner, path))
    click.echo(_("Wrote the tables to %(path)s; secrets (passwords, API tokens) are left out.") % {"path": path})


@command(name="restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False), metavar="PATH")
def restore(ctx, path):
    """Restore a backup (from 'restons export json') into an empty user: all of it, or nothing."""
    from restons.backup.load import restore as load

    counts = load(ctx.owner, path)
    people, pings = counts.get("restons.person", 0), counts.get("restons.interaction", 0)
    others = sum(counts.values()) - people - pings
    click.echo(_("Restored %(people)s people, %(pings)s interactions and %(others)s other rows for %(user)s.")
               % {"people": people, "pings": pings, "others": others, "user": ctx.owner.email})


def _checked(write):
    """Run ``write``; a file that cannot be written is one line, not a traceback."""
    from restons.services.errors import UserError

    try:
        return write()
    except OSError as exc:
        raise UserError(_("cannot write %(path)s: %(why)s") % {"path": exc.filename or "", "why": exc.strerror or exc}) from None

