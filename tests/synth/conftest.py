"""A small synthetic city shared by the synth tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.synth import generate_city

PEOPLE = 5_000


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("city") / "city"
    return out, generate_city(people=PEOPLE, seed=7, out=out)


@pytest.fixture(scope="session")
def big_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """Large enough for shares (toxic trio, pyramid) to settle near their parameters."""
    out = tmp_path_factory.mktemp("big") / "city"
    return out, generate_city(people=40_000, seed=11, out=out)
