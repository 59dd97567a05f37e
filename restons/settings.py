"""Django settings, built from the ``RESTONS_*`` environment (see restons.conf)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from restons import conf

BASE_DIR = Path(__file__).resolve().parent
HOME = conf.home()


def _secret_key() -> str:
    configured = conf.get("RESTONS_SECRET_KEY")
    if configured:
        return configured
    path = HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _database() -> dict:
    url = conf.get("RESTONS_DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "restons.sqlite3"),
            "OPTIONS": {
                # WAL lets readers and one writer work side by side; IMMEDIATE
                # takes the write lock at BEGIN so two writers wait (busy
                # timeout) instead of failing half-way with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise conf.ConfigError(
            f"RESTONS_DATABASE_URL: unsupported database {url.split(':', 1)[0]!r}; use postgresql://… or leave it empty for SQLite"
        )
    return dj_database_url.parse(url, conn_max_age=60)


SECRET_KEY = _secret_key()
DEBUG = conf.get("RESTONS_DEBUG")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "restons.apps.RestonsConfig",
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = conf.get("RESTONS_TIME_ZONE")
USE_I18N = True
LANGUAGE_CODE = conf.get("RESTONS_LANGUAGE")
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
