"""``restons me add|show|remove``: your own identities, which decide the direction of captured messages."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from restons.cli.app import cli, command, console, json_option, print_json


@cli.group(name="me", invoke_without_command=True)
@json_option
@click.pass_context
def me(click_ctx, as_json) -> None:
    """You: your addresses and your name, which tell your messages from theirs in every import."""
    if click_ctx.invoked_subcommand is None:
        click_ctx.invoke(me_show, as_json=as_json)


def show(data: dict) -> None:
    from rich.markup import escape

    out = console()
    out.print(labels_line(_("Name"), escape(data["name"]) if data["name"] else _("(none; set it with --name)")))
    if not data["identities"]:
        out.print(_("No address of yours yet: 'restons me add you@example.org'."))
        return
    for identity in data["identities"]:
        out.print(f"  {identity['kind']}: {escape(identity['value'])}")


def labels_line(label: str, value: str) -> str:
    from restons import labels

    return labels.field(label, value)


@command(me, "show")
@json_option
def me_show(ctx, as_json):
    """Your name and identities (--json: name, identities of kind and value)."""
    from restons.services.me import show_me

    data = show_me(ctx.owner)
    print_json(data) if as_json else show(data)


@command(me, "add")
@click.argument("values", nargs=-1, metavar="VALUE...")
@click.option("--name", default=None, metavar="NAME", help="Your name, as chats (WhatsApp) show it.")
@json_option
def me_add(ctx, values, name, as_json):
    """Add addresses of yours: emails, phone numbers, LinkedIn URLs, @telegram handles, or kind:value
    (telegram:123456789). All or none: one that cannot be read adds nothing."""
    from restons.services.me import add_me

    data = add_me(ctx.owner, values, name=name)
    print_json(data) if as_json else show(data)


@command(me, "remove")
@click.argument("values", nargs=-1, required=True, metavar="VALUE...")
@json_option
def me_remove(ctx, values, as_json):
    """Remove addresses of yours (past imports keep what they found)."""
    from restons.services.me import remove_me

    data = remove_me(ctx.owner, values)
    print_json(data) if as_json else show(data)
