"""Appraisal pages: a data directory of the test's own, and appraisals run in the request
(APPRAISALS_IN_BACKGROUND=False), so a test sees the finished run without waiting on a thread
that cannot see its transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role


@pytest.fixture(autouse=True)
def own_data_dir(settings: Any, tmp_path: Path) -> Path:
    here = tmp_path / "data"
    here.mkdir()
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=here)
    settings.APPRAISALS_IN_BACKGROUND = False
    return here


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def error_summary(response: Any) -> list[str]:
    """The messages in the GOV.UK error summary, as listed."""
    return [a.text.strip() for a in page(response).select(".govuk-error-summary__list a")]


@pytest.fixture
def sign_in(db: None) -> Callable[..., Client]:
    def signed_in(role: Role = Role.COMMISSIONER, username: str = "") -> Client:
        user = create_user(role=role, username=username)
        client = Client(REMOTE_ADDR="203.0.113.9")
        assert client.login(username=user.username, password=DEFAULT_PASSWORD)
        return client

    return signed_in


@pytest.fixture
def commissioner(sign_in: Callable[..., Client]) -> Client:
    return sign_in(Role.COMMISSIONER, "cara")
