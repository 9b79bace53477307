"""One settings object, read from environment variables with safe local defaults.

No import-time side effects: call :func:`load_settings` when you need the values. Every setting
is data with a default and a help line (see :data:`SETTINGS`), and `docs/settings.md` documents
each one; a test fails if a setting is undocumented.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from upstream.errors import ConfigurationError

PLACEHOLDER_SECRET = "dev-only-insecure-secret-key-change-me"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "UPSTREAM_ENV",
        "development",
        "development, test or production; production refuses unsafe settings",
    ),
    Setting(
        "UPSTREAM_SECRET_KEY",
        PLACEHOLDER_SECRET,
        "Django secret key; must be set to a real secret outside development and test",
    ),
    Setting(
        "UPSTREAM_DATABASE_URL",
        "",
        "operational database URL (sqlite:///path or postgres://...); default is SQLite in UPSTREAM_DATA_DIR",
    ),
    Setting(
        "UPSTREAM_TEST_DATABASE_URL",
        "",
        "PostgreSQL URL for the postgres test pass; tests that need it are skipped when empty",
    ),
    Setting(
        "UPSTREAM_DATA_DIR",
        "var",
        "where the synthetic city, the insight workspace and the SQLite database live",
    ),
    Setting(
        "UPSTREAM_ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1]",
        "comma-separated host names the web app answers to",
    ),
    Setting("UPSTREAM_DEBUG", "", "set to 1 to show Django debug pages (development only)"),
    Setting(
        "UPSTREAM_CHROMIUM", "/usr/bin/chromium", "the Chromium binary the browser tests drive"
    ),
    Setting(
        "UPSTREAM_DEMO_PASSWORD",
        "",
        "password for the demo accounts made by `upstream demo-accounts`; a random one is printed when empty",
    ),
)


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    data_dir: Path
    allowed_hosts: tuple[str, ...]
    debug: bool

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def _value(environ: Mapping[str, str], name: str) -> str:
    default = next(s.default for s in SETTINGS if s.name == name)
    return environ.get(name, "") or default


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings; refuse placeholder secrets and debug outside development and test."""
    env_vars = os.environ if environ is None else environ
    env = _value(env_vars, "UPSTREAM_ENV")
    if env not in {"development", "test", "production"}:
        raise ConfigurationError(
            f"must be development, test or production, not {env!r}", where="UPSTREAM_ENV"
        )
    data_dir = Path(_value(env_vars, "UPSTREAM_DATA_DIR")).resolve()
    settings = Settings(
        env=env,
        secret_key=_value(env_vars, "UPSTREAM_SECRET_KEY"),
        database_url=_value(env_vars, "UPSTREAM_DATABASE_URL")
        or f"sqlite:///{data_dir / 'upstream.sqlite3'}",
        data_dir=data_dir,
        allowed_hosts=tuple(
            h.strip() for h in _value(env_vars, "UPSTREAM_ALLOWED_HOSTS").split(",") if h.strip()
        ),
        debug=_value(env_vars, "UPSTREAM_DEBUG") == "1",
    )
    _refuse_unsafe(settings)
    return settings


def _refuse_unsafe(settings: Settings) -> None:
    if not settings.is_production:
        return
    if settings.secret_key == PLACEHOLDER_SECRET or len(settings.secret_key) < 40:
        raise ConfigurationError(
            "set a real secret (40+ characters) outside development", where="UPSTREAM_SECRET_KEY"
        )
    if settings.debug:
        raise ConfigurationError("debug pages are refused in production", where="UPSTREAM_DEBUG")
