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
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes serving requests (more than one: Gunicorn, on Linux and macOS).")
@click.option("--no-worker", is_flag=True, help="Do not run the scheduler here ('restons worker' runs it).")
def serve(ctx, host, port, threads, workers, no_worker):
    """Serve the web app with Waitress, a production-grade WSGI server, and run the scheduler beside it.

    With --workers N (N > 1), Gunicorn serves with N processes (each with --threads threads), so
    requests use every core; the scheduler then runs once, in one 'restons worker' process beside them.
    """
    if workers > 1:
        return _serve_processes(host, port, threads, workers, no_worker)
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


def _serve_processes(host: str, port: int, threads: int, workers: int, no_worker: bool) -> None:
    """Gunicorn with ``workers`` forked processes of ``threads`` threads, and one scheduler process.

    Each Python process has its own GIL, so N processes use N cores. The scheduler is not run per
    process: one ``restons worker`` subprocess runs it (stopped with the server).
    """
    import os
    import subprocess
    import sys

    if sys.platform == "win32":
        raise click.UsageError(_("--workers needs Gunicorn, which runs on Linux and macOS; on Windows, "
                                 "serve with one process (Waitress) and its --threads."))
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from restons.web.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", None)
            self.cfg.set("loglevel", "warning")
            self.cfg.set("graceful_timeout", 10)

        def load(self):
            return application

    scheduler = None
    if not no_worker:
        scheduler = subprocess.Popen([sys.executable, "-m", "restons", "worker"], env=os.environ.copy(),
                                     stdout=subprocess.DEVNULL)
    connections.close_all()  # no connection shared with the forked processes
    click.echo(_("Restons is running at http://%(host)s:%(port)s/ (Ctrl+C to stop).") % {"host": host, "port": port})
    try:
        Server().run()
    finally:
        if scheduler is not None:
            scheduler.terminate()
            scheduler.wait(10)
