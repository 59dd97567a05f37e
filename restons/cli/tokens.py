"""``restons token create|list|revoke``: personal access tokens for the API."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from restons.cli.app import cli, command, console, json_option, print_json


@cli.group()
def token() -> None:
    """Personal access tokens for the API (/api/v1/)."""


def token_json(item) -> dict:
    def iso(moment):
        return moment.isoformat() if moment else None

    return {"id": item.pk, "name": item.name, "prefix": item.prefix, "scope": item.scope,
            "created_at": iso(item.created_at), "last_used_at": iso(item.last_used_at),
            "revoked_at": iso(item.revoked_at)}


@command(token, "create")
@click.argument("name")
@click.option("--scope", default="read", show_default=True, metavar="SCOPE",
              help="read (GET only) or read-write.")
def token_create(ctx, name, scope):
    """Make a token named NAME; it is printed once, keep it somewhere safe."""
    from restons.services.tokens import create_token

    made, secret = create_token(ctx.owner, name, scope)
    click.echo(secret)
    click.echo(_("Token “%(name)s” (%(scope)s) made; it is shown only this once. Send it as "
                 "'Authorization: Bearer TOKEN'.") % {"name": made.name, "scope": made.scope}, err=True)


@command(token, "list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@json_option
def token_list(ctx, include_revoked, as_json):
    """Your tokens: name, scope, when made and last used."""
    from django.utils import timezone

    from restons.services.tokens import list_tokens

    tokens = list(list_tokens(ctx.owner, include_revoked))
    if as_json:
        print_json([token_json(t) for t in tokens])
        return
    out = console()
    if not tokens:
        out.print(_("No tokens. Make one with 'restons token create NAME'."))
        return
    from rich.table import Table

    table = Table(title_justify="left")
    for column in ("#", _("Name"), _("Scope"), _("Starts with"), _("Made"), _("Last used"), _("Revoked")):
        table.add_column(column)

    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"

    for item in tokens:
        table.add_row(str(item.pk), item.name, item.scope, item.prefix + "…", when(item.created_at),
                      when(item.last_used_at), when(item.revoked_at))
    out.print(table)


@command(token, "revoke")
@click.argument("which", metavar="TOKEN")
def token_revoke(ctx, which):
    """Revoke TOKEN (its #id or name): requests that send it are refused from now on."""
    from restons.services.tokens import find_token, revoke_token

    gone = revoke_token(ctx.owner, find_token(ctx.owner, which))
    click.echo(_("Token “%(name)s” revoked.") % {"name": gone.name})
