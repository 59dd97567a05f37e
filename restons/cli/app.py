"""The command group, its shared options, and how errors and output reach the terminal."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date

import click

from restons.parsing import parse_date, parse_datetime, parse_duration


class Context:
    """What every command needs: the owner it acts as and how to print.

    Resolving the owner applies their Settings: their time zone becomes the
    current one (what "today" is, how ``--at`` times are read); their phone
    region and Today size are read by the services from the owner.
    """

    def __init__(self, user_email: str):
        self.user_email = user_email
        self._owner = None

    @property
    def owner(self):
        if self._owner is None:
            from restons.services.accounts import activate
            from restons.services.owners import cli_owner

            owner = cli_owner(self.user_email)
            activate(owner)
            self._owner = owner
        return self._owner


def fail(message: str) -> None:
    """Print one line to standard error and exit 1."""
    click.echo(f"restons: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--user", "user_email", envvar="RESTONS_USER", default="", metavar="EMAIL",
              help="Act as this user (on an instance with several users).")
@click.version_option(package_name="restons", prog_name="restons")
@click.pass_context
def cli(ctx: click.Context, user_email: str) -> None:
    """Restons: let's stay in touch, for real."""
    from restons.conf import ConfigError

    try:
        from restons import bootstrap

        # Only `serve` answers web requests: other commands leave out the web-only apps (no models),
        # whose start-up (the API's pydantic schemas) cost more than most commands.
        bootstrap.setup(web=ctx.invoked_subcommand == "serve")
        bootstrap.ensure_database()
    except ConfigError as exc:
        fail(str(exc))
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    ctx.obj = Context(user_email)


def command(group=cli, name: str | None = None, acts: bool = True):
    """Register a command whose UserError and ConfigError become one-line failures.

    A command that ``acts`` for a user resolves that user first, so that their
    time zone applies to everything the command parses (``--at``, ``--until``).
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            from restons.conf import ConfigError
            from restons.services.errors import UserError

            try:
                if acts:
                    args[0].owner
                return func(*args, **kwargs)
            except (UserError, ConfigError) as exc:
                fail(str(exc))

        return group.command(name=name)(click.pass_obj(wrapper))

    return decorate


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print the documented JSON instead of a table.")(func)


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def console():
    from rich.console import Console

    # Piped output is not cut to 80 columns: it is read by people in files and pagers.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# Converters from click strings to values; None stays None.
def as_date(value: str | None) -> date | None:
    return parse_date(value) if value else None


def as_datetime(value: str | None):
    return parse_datetime(value) if value else None


def as_days(value: str | None) -> int | None:
    return parse_duration(value) if value else None
