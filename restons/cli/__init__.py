"""The ``restons`` command line: a thin layer over restons.services.

Every command parses its arguments, calls one service function and prints
the result as a table (or the documented JSON with ``--json``). Bad input
exits with status 1 and one line on standard error; nothing is written.
"""

from __future__ import annotations

import sys

import click

from restons.cli.app import cli


def commands() -> click.Group:
    """The ``restons`` group with every command registered (each module adds its own)."""
    from restons.cli import (  # noqa: F401
        backup, imports, interactions, me, pace, people, planning, reminders, review, sync, system, tokens,
        users,
    )

    return cli


def main(argv: list[str] | None = None) -> None:
    """The console-script entry point."""
    try:
        result = commands().main(args=argv, prog_name="restons", standalone_mode=False)
    except click.UsageError as exc:
        # One line, like every other error, with where to look for help.
        where = exc.ctx.command_path if exc.ctx is not None else "restons"
        click.echo(f"restons: {exc.format_message()} (see '{where} --help')", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"restons: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)
