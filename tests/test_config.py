"""Settings come from the environment with safe local defaults; unsafe ones are refused."""

from __future__ import annotations

import pytest

from upstream.config import PLACEHOLDER_SECRET, load_settings
from upstream.errors import ConfigurationError

pytestmark = pytest.mark.core


def test_development_defaults_to_sqlite_in_the_data_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings({"UPSTREAM_DATA_DIR": str(tmp_path)})
    assert settings.env == "development"
    assert settings.database_url == f"sqlite:///{tmp_path / 'upstream.sqlite3'}"


def test_production_refuses_the_placeholder_secret() -> None:
    with pytest.raises(ConfigurationError, match="UPSTREAM_SECRET_KEY"):
        load_settings({"UPSTREAM_ENV": "production", "UPSTREAM_SECRET_KEY": PLACEHOLDER_SECRET})


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ConfigurationError, match="40"):
        load_settings({"UPSTREAM_ENV": "production", "UPSTREAM_SECRET_KEY": "short"})


def test_production_refuses_debug_pages() -> None:
    with pytest.raises(ConfigurationError, match="UPSTREAM_DEBUG"):
        load_settings(
            {"UPSTREAM_ENV": "production", "UPSTREAM_SECRET_KEY": "x" * 50, "UPSTREAM_DEBUG": "1"}
        )


def test_production_accepts_a_real_secret() -> None:
    settings = load_settings({"UPSTREAM_ENV": "production", "UPSTREAM_SECRET_KEY": "s" * 50})
    assert settings.is_production


def test_an_unknown_environment_name_is_an_error_naming_the_setting() -> None:
    with pytest.raises(
        ConfigurationError, match="UPSTREAM_ENV: must be development, test or production"
    ):
        load_settings({"UPSTREAM_ENV": "staging"})
