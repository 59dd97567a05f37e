"""Django settings, built from the ``RESTONS_*`` environment (see restons.conf)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from restons import bootstrap

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
                # (Each connection first waits 50 ms, then says it waits, so that an
                # import pauses for it: restons.services.prepared.on_connect.)
                # A 16 MB page cache (SQLite's default is 2 MB): an import's inserts land all over
                # the interaction indexes, and with the default each page missed is a read from the
                # kernel (half the CPU of writing 80,000 text messages was those reads).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                                "PRAGMA cache_size=-16000;",
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
    # First, so that its templates (restons/templates/account/, mfa/, allauth/) restyle django-allauth's.
    "restons.apps.RestonsConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # the sessions list (django-allauth) says "3 hours ago"
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "ninja",  # the API's interactive docs page and its static files
]
if not bootstrap.web:  # a command that serves no page (restons.cli.app)
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("ninja", "django_htmx")]

MIDDLEWARE = [
    "restons.web.client.TrustedProxyMiddleware",  # forwarded headers count only from RESTONS_TRUSTED_PROXIES
    "django.middleware.security.SecurityMiddleware",
    "restons.web.security.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
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
    "allauth.account.middleware.AccountMiddleware",  # login stages, re-authentication before sensitive actions
    "restons.web.security.RequireTwoFactorMiddleware",  # RESTONS_REQUIRE_2FA
    "restons.web.middleware.ServiceErrorMiddleware",
    "restons.web.middleware.LastVerdictsMiddleware",  # pages never wait for a long recomputation
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
                "restons.web.context.accounts",
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
# Dates as each language writes them ("14 juin 2026"): restons/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["restons.formats"]

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "account_login"

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
    "allauth.account.auth_backends.AuthenticationBackend",  # log in by email, any case
    "django.contrib.auth.backends.ModelBackend",
]

# Accounts, two factors and sessions: django-allauth (README: why). docs/security.md says what each does.
ACCOUNT_ADAPTER = "restons.web.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"  # verified by a link when the instance sends mail
ACCOUNT_EMAIL_NOTIFICATIONS = True  # a mail after a password, email or two-factor change
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # seconds a password (or code) counts for sensitive actions
ACCOUNT_RATE_LIMITS = {
    # The key is the client address *and* the email typed (restons.web.adapter): a stranger's failures
    # from one address never lock out the owner logging in from another.
    "login_failed": "10/m/ip,5/15m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Restons"
# allauth refuses two factors on an unverified address, lest someone who signed up with another's address
# lock its owner out. Without open sign-up every account is the welcome page's or an admin's doing, and an
# instance without mail could verify nobody: two factors would be out of reach for everyone.
MFA_ALLOW_UNVERIFIED_EMAIL = conf.get("RESTONS_SIGNUP") != "open"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not conf.get("RESTONS_HTTPS")  # http://localhost while trying it out
USERSESSIONS_TRACK_ACTIVITY = False  # sessions are recorded at login; tracking would write on every request

# Rate limits (allauth) live in the cache: the database's, so that several web processes share them
# and a restart forgets nothing. The table is created with the database (restons.bootstrap).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "restons_cache"},
}

# Uploads: large imports stream to a temporary file; the import view checks RESTONS_MAX_UPLOAD_MB.
MAX_UPLOAD_BYTES = conf.get("RESTONS_MAX_UPLOAD_MB") * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (restons.web.client).
TRUSTED_PROXIES = conf.get("RESTONS_TRUSTED_PROXIES")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "restons.web.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if conf.get("RESTONS_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Mail: RESTONS_EMAIL_URL and RESTONS_EMAIL_FROM (restons.mail), EMAIL_BACKEND and friends.
from restons import mail as _mail  # noqa: E402

globals().update(_mail.django_settings())

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
