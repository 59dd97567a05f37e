"""``restons imap add|list|remove``, ``restons calendar add|list|remove`` and ``restons sync``."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from restons.cli import render
from restons.cli.app import cli, command, console, fail, json_option, print_json


def _when(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _result(row) -> str:
    if row.last_result == "never":
        return _("never synced")
    if row.last_result == "failed":
        return _("failed: %(error)s") % {"error": row.last_error}
    return _("ok")


# --- restons imap ---------------------------------------------------------------------------------

@cli.group()
def imap() -> None:
    """Mail accounts read over IMAP by 'restons sync imap' (headers only, never bodies)."""


@command(imap, "add")
@click.argument("name")
@click.option("--host", required=True, metavar="HOST", help="The IMAP server, e.g. imap.gmail.com.")
@click.option("--user", "login", required=True, metavar="USER", help="The login, usually your address.")
@click.option("--port", type=int, default=None, metavar="PORT", help="Default: 993 (TLS), 143 (STARTTLS).")
@click.option("--security", type=click.Choice(["tls", "starttls", "plain"]), default="tls", show_default=True,
              help="plain is only allowed to this machine (127.0.0.1).")
@click.option("--folder", "folders", multiple=True, metavar="FOLDER",
              help="A folder to read (repeatable). Default: Sent and INBOX, or Gmail's All Mail.")
def imap_add(ctx, name, host, login, port, security, folders):
    """Add the mail account NAME: logs in first, and stores nothing if that fails.

    The password is read from RESTONS_IMAP_PASSWORD_<NAME> when set, else asked for (hidden).
    """
    from restons.services import sync

    password = sync.password_from_environment(name)
    if password is None:
        password = click.prompt(_("Password for %(user)s on %(host)s") % {"user": login, "host": host},
                                hide_input=True, default="", show_default=False, err=True)
    row = sync.add_account(ctx.owner, name, host=host, user=login, password=password, port=port,
                           security=security, folders=folders)
    click.echo(_("Mail account “%(name)s” added; fetch its mail with 'restons sync imap --account %(name)s'.")
               % {"name": row.name})


@command(imap, "list")
@json_option
def imap_list(ctx, as_json):
    """Your mail accounts: server, folders, last sync and its result (never the password)."""
    from restons.services import sync

    rows = sync.list_accounts(ctx.owner)
    if as_json:
        print_json([sync.account_json(row) for row in rows])
        return
    out = console()
    if not rows:
        out.print(_("No mail accounts. Add one with 'restons imap add NAME --host HOST --user USER'."))
        return
    from rich.table import Table

    table = Table(title_justify="left")
    for column in (_("Name"), _("Server"), _("User"), _("Folders"), _("Last sync"), _("Result")):
        table.add_column(column)
    for row in rows:
        server = f"{row.host}:{row.port}" if row.port else row.host
        table.add_row(row.name, f"{server} ({row.security})", row.user,
                      ", ".join(row.folders) or _("Sent and INBOX"), _when(row.last_attempt_at), _result(row))
    out.print(table)


@command(imap, "remove")
@click.argument("name")
def imap_remove(ctx, name):
    """Forget the mail account NAME and its password (what it imported stays)."""
    from restons.services import sync

    sync.remove_account(ctx.owner, sync.find_account(ctx.owner, name))
    click.echo(_("Mail account “%(name)s” removed.") % {"name": name})


# --- restons calendar -----------------------------------------------------------------------------

@cli.group()
def calendar() -> None:
    """Calendar subscriptions (private ICS addresses) read by 'restons sync ics'."""


@command(calendar, "add")
@click.argument("name")
@click.argument("url")
def calendar_add(ctx, name, url):
    """Subscribe to the calendar at URL (https:// or webcal://) under NAME; it is fetched once to check it."""
    from restons.services import sync

    row = sync.add_subscription(ctx.owner, name, url)
    click.echo(_("Calendar “%(name)s” added (%(url)s); fetch it with 'restons sync ics --calendar %(name)s'.")
               % {"name": row.name, "url": row.url_hint})


@command(calendar, "list")
@json_option
def calendar_list(ctx, as_json):
    """Your calendar subscriptions: server and file name (never the private address), last sync and its result."""
    from restons.services import sync

    rows = sync.list_subscriptions(ctx.owner)
    if as_json:
        print_json([sync.subscription_json(row) for row in rows])
        return
    out = console()
    if not rows:
        out.print(_("No calendar subscriptions. Add one with 'restons calendar add NAME URL'."))
        return
    from rich.table import Table

    table = Table(title_justify="left")
    for column in (_("Name"), _("Address"), _("Last sync"), _("Result")):
        table.add_column(column)
    for row in rows:
        table.add_row(row.name, row.url_hint, _when(row.last_attempt_at), _result(row))
    out.print(table)


@command(calendar, "remove")
@click.argument("name")
def calendar_remove(ctx, name):
    """Forget the calendar subscription NAME (the meetings it imported stay)."""
    from restons.services import sync

    sync.remove_subscription(ctx.owner, sync.find_subscription(ctx.owner, name))
    click.echo(_("Calendar “%(name)s” removed.") % {"name": name})


# --- restons sync ---------------------------------------------------------------------------------

@cli.group(name="sync")
def sync_group() -> None:
    """Fetch what is new from your mail accounts and calendars."""


def _report(results, as_json: bool) -> None:
    if as_json:
        print_json([result.as_json() for result in results])
    else:
        for result in results:
            if result.error:
                click.echo(f"{result.name}: {result.error}", err=True)
                continue
            click.echo(_("%(name)s: %(count)s new records read.") % {"name": result.name, "count": result.fetched})
            if result.summary is not None:
                render.import_summary(result.summary.as_json())
    if any(result.error for result in results):
        raise SystemExit(1)


def _with_progress(row, as_json: bool, run):
    """``run(progress)`` with a spinner and a count of the messages read, on a terminal."""
    import sys

    if as_json or not sys.stderr.isatty():
        return run(None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True,
                  console=render.error_console()) as bar:
        task = bar.add_task(_("Syncing %(name)s…") % {"name": row.name})
        return run(lambda n: bar.update(task, description=_("%(name)s: %(count)s messages read")
                                        % {"name": row.name, "count": n}))


@command(sync_group, "imap")
@click.option("--account", "name", default=None, metavar="NAME", help="Only this account (default: all of them).")
@json_option
def sync_imap(ctx, name, as_json):
    """Fetch the mail new since the last sync of each account (or of NAME) and import it."""
    from restons.services import sync

    rows = [sync.find_account(ctx.owner, name)] if name else sync.list_accounts(ctx.owner)
    if not rows:
        fail(_("no mail account yet; add one with 'restons imap add NAME --host HOST --user USER'"))
    results = []
    for row in rows:
        try:
            results.append(_with_progress(row, as_json, lambda progress: sync.sync_account(
                ctx.owner, row, progress=progress)))
        except Exception as exc:  # noqa: BLE001 — recorded on the account; the other accounts still sync
            results.append(sync.SyncResult(row.name, error=sync.one_line(exc)))
    if len(rows) == 1 and results[0].error and not as_json:
        fail(results[0].error)
    _report(results, as_json)


@command(sync_group, "ics")
@click.argument("url", required=False)
@click.option("--calendar", "name", default=None, metavar="NAME", help="Only this subscription.")
@json_option
def sync_ics(ctx, url, name, as_json):
    """Fetch the calendar at URL once, or every subscription (or NAME), and import its past meetings."""
    from restons.services import sync

    if url and name:
        fail(_("give either a URL or --calendar NAME, not both"))
    if url:
        fetched, summary = sync.sync_url(ctx.owner, url)
        _report([sync.SyncResult(sync.url_hint(sync.normalise_url(url)), fetched, summary)], as_json)
        return
    rows = [sync.find_subscription(ctx.owner, name)] if name else sync.list_subscriptions(ctx.owner)
    if not rows:
        fail(_("no calendar subscription yet; give a URL, or add one with 'restons calendar add NAME URL'"))
    results = []
    for row in rows:
        try:
            results.append(sync.sync_subscription(ctx.owner, row))
        except Exception as exc:  # noqa: BLE001 — recorded on the subscription; the others still sync
            results.append(sync.SyncResult(row.name, error=sync.one_line(exc)))
    if len(rows) == 1 and results[0].error and not as_json:
        fail(results[0].error)
    _report(results, as_json)
