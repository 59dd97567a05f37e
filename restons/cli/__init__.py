"""The ``restons`` command line: a thin layer over restons.services.

Every command parses its arguments, calls one service function and prints
the result as a table (or the documented JSON with ``--json``). Bad input
exits with status 1 and one line on standard error; nothing is written.
"""

from __future__ import annotations

import sys

import click

from restons.cli.app import cli


def main(argv: list[str] | None = None) -> None:
    """The console-script entry point."""
    # Import the command modules so they register on the group.
    from restons.cli import imports, people, planning, system  # noqa: F401

    try:
        cli.main(args=argv, prog_name="restons", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)
