"""Django settings for Upstream's web app, read from `upstream.config` (environment variables).

Safe local defaults (SQLite in the data directory); placeholder secrets are refused outside
development and test by `load_settings`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from upstream.config import load_settings

_settings = load_settings()
BASE_DIR = Path(__file__).resolve().parent
# The checkout root, where `npm install` puts node_modules; overridable for installed copies.
PROJECT_ROOT = Path(os.environ.get("UPSTREAM_PROJECT_ROOT", Path(__file__).resolve().parents[3]))
NODE_MODULES = PROJECT_ROOT / "node_modules"

SECRET_KEY = _settings.secret_key
DEBUG = _settings.debug
ALLOWED_HOSTS = list(_settings.allowed_hosts) + (
    ["testserver"] if not _settings.is_production else []
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "upstream.accounts",
    "upstream.edge",
    "upstream.directory",
    "upstream.web",
    "upstream.people",
    "upstream.governance",
    "upstream.casework",
    "upstream.frontdoor",
    "upstream.conversations",
    "upstream.oversight",
    "upstream.flags",
    "upstream.appraisals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "upstream.edge.inputs.nul_free_input",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "upstream.governance.throttle.sign_in_throttle",
    "upstream.edge.errors.ErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "upstream.web.middleware.security_headers",
]

ROOT_URLCONF = "upstream.web.urls"
WSGI_APPLICATION = "upstream.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "upstream.web.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(_settings.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many people at once on the SQLite default (issue 10, item 12). Write-ahead logging lets
    # pages read while one audit write commits, instead of every write waiting for every
    # reader (https://sqlite.org/wal.html); IMMEDIATE takes the write lock when a transaction
    # begins, so a transaction that has read never has to upgrade its lock, which SQLite refuses
    # at once ("database is locked") rather than waiting (https://sqlite.org/lang_transaction.html);
    # and a writer waits up to 20 s for the lock (Python's default is 5 s), well past the
    # longest burst of audit writes 20 users without pauses make. synchronous=FULL (SQLite's
    # default) is kept, so a committed audit entry survives a power cut.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "start"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if _settings.env == "test":
    # Hashing a password the production way takes ~0.3 s by design; tests make hundreds of
    # users, so they use a fast hasher. Never outside UPSTREAM_ENV=test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# GOV.UK Frontend's compiled CSS asks for fonts and images at /assets/…, so static files are
# served from /assets/ with both frameworks' asset folders at the root of it.
STATIC_URL = "/assets/"
STATICFILES_DIRS = [
    NODE_MODULES / "govuk-frontend/dist/govuk/assets",
    NODE_MODULES / "@ministryofjustice/frontend/moj/assets",
    ("govuk", NODE_MODULES / "govuk-frontend/dist/govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice/frontend/moj"),
    BASE_DIR / "static",
]
STATIC_ROOT = _settings.data_dir / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Sessions and cookies: short-lived, HTTP-only, same-site; secure cookies and HSTS in production.
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "upstream.edge.errors.csrf_failure"  # a GOV.UK page, not Django's bare one
SESSION_COOKIE_SECURE = _settings.is_production
CSRF_COOKIE_SECURE = _settings.is_production
SECURE_SSL_REDIRECT = _settings.is_production
SECURE_HSTS_SECONDS = 31536000 if _settings.is_production else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in throttling (governance/throttle.py, which gives the OWASP sources for each value;
# docs/settings.md). Within the window: this many failures for one username from one address
# lock that pair; this many from one address, whatever the usernames, lock the address; and
# while this many fail across the whole service, an address that has failed at all is refused.
LOGIN_THROTTLE_FAILURES = 5
LOGIN_THROTTLE_ADDRESS_FAILURES = 20
LOGIN_THROTTLE_GLOBAL_FAILURES = 100
LOGIN_THROTTLE_MINUTES = 15

UPSTREAM = _settings
