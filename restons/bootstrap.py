"""Start Django for the command line, and create or upgrade the database on first use."""

from __future__ import annotations

import os
from pathlib import Path

_ready = False
# Whether the web apps are loaded: True unless a command that serves no page says otherwise
# (restons.settings leaves out django-ninja and django-htmx then: they have no models).
web = True


def setup(web: bool = True) -> None:
    """Configure Django once (settings from the ``RESTONS_*`` environment); ``web=False``: no web-only apps."""
    global _ready
    if _ready:
        return
    globals()["web"] = web
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
    import django

    django.setup()
    _ready = True


def latest_migration() -> str:
    folder = Path(__file__).parent / "migrations"
    return max(p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))


def ensure_database() -> bool:
    """Apply migrations (and create the cache table) when the database lacks restons' newest
    migration; True when it did.

    One cheap query on every start instead of loading the migration graph.
    """
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM django_migrations WHERE app = %s AND name = %s", ["restons", latest_migration()]
            )
            if cursor.fetchone():
                return False
    except DatabaseError:
        pass  # no migrations table yet: a new database
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # the rate limits' cache (settings.CACHES)
    return True
