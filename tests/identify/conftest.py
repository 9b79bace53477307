from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-person synthetic city, made once per test session."""
    from upstream.synth import generate_city

    out = tmp_path_factory.mktemp("idcity")
    generate_city(people=3000, seed=11, out=out)
    return out
