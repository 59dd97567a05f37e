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
    if url.startswith(("postgres://", "postgresql://")) and not _postgres_driver():
        raise conf.ConfigError(
            "RESTONS_DATABASE_URL names PostgreSQL, but its driver is not installed: "
            "pip install 'restons[postgres]'"
        )
    return dj_database_url.parse(url, conn_max_age=60)


def _postgres_driver() -> bool:
    """Whether Django's PostgreSQL backend will find a driver (psycopg 3, or psycopg2)."""
    import importlib

    for name in ("psycopg", "psycopg2"):
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return True
    return False


SECRET_KEY = _secret_key()
DEBUG = conf.get("RESTONS_DEBUG")
ALLOWED_HOSTS = conf.get("RESTONS_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "ninja",  # the API's interactive docs page and its static files
    "restons.apps.RestonsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page needs a login unless marked otherwise
    "restons.web.middleware.UserLanguageMiddleware",
    "restons.web.middleware.UserTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "restons.web.middleware.ServiceErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "restons.web.urls"
WSGI_APPLICATION = "restons.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = conf.get("RESTONS_TIME_ZONE")
USE_I18N = True
LANGUAGE_CODE = conf.get("RESTONS_LANGUAGE")
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

# Argon2 first (winner of the Password Hashing Competition); PBKDF2 reads older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: 5 failures lock a user+address for 15 minutes
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "restons/account/locked.html"
AXES_VERBOSE = False

# Uploads: large imports stream to a temporary file; the import view checks RESTONS_MAX_UPLOAD_MB.
MAX_UPLOAD_BYTES = conf.get("RESTONS_MAX_UPLOAD_MB") * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "restons.web.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if conf.get("RESTONS_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
