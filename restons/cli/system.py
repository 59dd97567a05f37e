"""``init`` and ``demo``."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from restons.cli.app import command


@command(name="init")
def init(ctx):
    """Create the data directory and the database (every command also does this on first use)."""
    from django.conf import settings

    owner = ctx.owner
    database = settings.DATABASES["default"]
    where = database["NAME"] if database["ENGINE"].endswith("sqlite3") else f"{database.get('HOST') or 'localhost'}/{database['NAME']}"
    click.echo(_("Restons is ready: data in %(home)s, database %(db)s, acting as %(user)s.")
               % {"home": settings.HOME, "db": where, "user": owner.email})


@command(name="demo")
@click.option("--seed", default=7, show_default=True, help="Random seed for the invented data.")
def demo(ctx, seed):
    """Fill an empty instance with invented people and a few years of pings."""
    from restons.services.demo import fill_demo

    summary = fill_demo(ctx.owner, seed=seed)
    click.echo(_("Demo data added: %(people)s people and %(interactions)s interactions. Try 'restons today'.")
               % summary)


@command(name="serve", acts=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@click.option("--no-worker", is_flag=True, help="Do not run the scheduler here ('restons worker' runs it).")
def serve(ctx, host, port, threads, no_worker):
    """Serve the web app with Waitress, a production-grade WSGI server, and run the scheduler beside it."""
    import threading

    import waitress

    from restons.services import worker
    from restons.web.wsgi import application

    # The scheduler (checkups after each user's midnight, digests, pushes) and the Import page's
    # jobs run in threads of this process: a single machine needs nothing else.
    stop = threading.Event()
    if not no_worker:
        worker.start(stop)

    from django.conf import settings

    click.echo(_("Restons is running at http://%(host)s:%(port)s/ (Ctrl+C to stop).") % {"host": host, "port": port})
    # With RESTONS_TRUSTED_PROXIES, forwarded headers reach Django, whose first middleware
    # (restons.web.client) drops them unless they come from a trusted proxy; without, Waitress drops them all.
    try:
        waitress.serve(application, host=host, port=port, threads=threads, ident="Restons",
                       clear_untrusted_proxy_headers=not settings.TRUSTED_PROXIES, _quiet=True)
    finally:
        stop.set()
