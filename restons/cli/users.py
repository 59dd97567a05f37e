"""``restons user …``: the instance's accounts, for whoever runs the machine (no web needed).

These commands manage accounts, not anyone's data: they do not act as a user
(``--user`` does not apply) and never show what an account holds.
"""

from __future__ import annotations

import sys

import click
from django.utils.translation import gettext as _

from restons.cli import render
from restons.cli.app import cli, command, json_option, print_json


@cli.group()
def user() -> None:
    """List, add, invite, disable and delete accounts; make admins; password-reset links."""


@command(user, "list", acts=False)
@json_option
def user_list(ctx, as_json):
    """Every account: email, admin, two factors on, last login, disabled."""
    from restons.services.users import list_users

    accounts = list_users()
    if as_json:
        print_json([account.as_json() for account in accounts])
        return
    if not accounts:
        click.echo(_("No account yet: the web app's welcome page makes the first one, or restons user add EMAIL."))
        return
    render.users(accounts)


@command(user, "add", acts=False)
@click.argument("email")
@click.option("--admin", is_flag=True, help="Make the account an admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
def user_add(ctx, email, admin, password_stdin):
    """Create the account EMAIL now; without --password-stdin, print a one-time link to choose its password."""
    from restons.services.users import add_user, password_reset_link

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    created = add_user(email, password, admin=admin)
    from restons.services.users import is_admin

    if is_admin(created):
        click.echo(_("Added %(email)s, an admin.") % {"email": created.email})
    else:
        click.echo(_("Added %(email)s.") % {"email": created.email})
    if password is None:
        click.echo(_("They choose their password with this one-time link (valid 3 days):"))
        click.echo(password_reset_link(created.email))


@command(user, "invite", acts=False)
@click.argument("email")
@click.option("--admin", is_flag=True, help="The account will be an admin.")
def user_invite(ctx, email, admin):
    """Print an invitation link for EMAIL (it works once, for 7 days); mail it too when mail is set up."""
    from restons.services.users import INVITATION_DAYS, invite

    invited = invite(email, admin=admin)
    if invited.mailed:
        click.echo(_("Invitation mailed to %(email)s. The link, valid %(days)s days:")
                   % {"email": invited.email, "days": INVITATION_DAYS})
    else:
        click.echo(_("Give %(email)s this link (valid %(days)s days, once):")
                   % {"email": invited.email, "days": INVITATION_DAYS})
    click.echo(invited.link)


@command(user, "disable", acts=False)
@click.argument("email")
def user_disable(ctx, email):
    """Stop EMAIL from logging in (their sessions end; their data stays)."""
    from restons.services.users import set_disabled

    changed = set_disabled(email, True)
    click.echo(_("%(email)s is disabled: they cannot log in.") % {"email": changed.email})


@command(user, "enable", acts=False)
@click.argument("email")
def user_enable(ctx, email):
    """Let a disabled account log in again."""
    from restons.services.users import set_disabled

    changed = set_disabled(email, False)
    click.echo(_("%(email)s can log in again.") % {"email": changed.email})


@command(user, "make-admin", acts=False)
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Make EMAIL a normal user again.")
def user_make_admin(ctx, email, revoke):
    """Make EMAIL an admin (who manages accounts, never sees others' data), or not with --revoke."""
    from restons.services.users import set_admin

    changed = set_admin(email, not revoke)
    if revoke:
        click.echo(_("%(email)s is no longer an admin.") % {"email": changed.email})
    else:
        click.echo(_("%(email)s is an admin.") % {"email": changed.email})


@command(user, "delete", acts=False)
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed without a terminal).")
def user_delete(ctx, email, yes):
    """Delete the account EMAIL and everything it holds: people, pings, plans, settings."""
    from restons.services.errors import UserError
    from restons.services.users import delete_user, find_user

    target = find_user(email)
    if not yes:
        if not sys.stdin.isatty():
            raise UserError(_("Deleting %(email)s and everything it holds cannot be undone; add --yes to confirm.")
                            % {"email": target.email})
        if not click.confirm(_("Delete %(email)s and everything it holds?") % {"email": target.email},
                             default=False):
            click.echo(_("Nothing deleted."))
            return
    deleted = delete_user(target.email)
    click.echo(_("Deleted %(email)s and everything it held.") % {"email": deleted})


@command(user, "reset-password", acts=False)
@click.argument("email")
def user_reset_password(ctx, email):
    """Print a one-time link with which EMAIL chooses a new password (valid 3 days, until used)."""
    from restons.services.users import password_reset_link

    click.echo(password_reset_link(email))
