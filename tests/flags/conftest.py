from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def identify_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Identification run once over a 3,000-person synthetic city (truth-linked)."""
    from upstream.identify.pipeline import run_identification
    from upstream.synth import generate_city
    from upstream.synth.truth_linked import truth_linked_events

    city = tmp_path_factory.mktemp("flagcity")
    generate_city(people=3000, seed=11, out=city)
    out = tmp_path_factory.mktemp("identify")
    run_identification(truth_linked_events(city), out, truth_dir=city)
    return out


@pytest.fixture
def published(db: None, identify_workspace: Path) -> Path:
    from upstream.flags.publish import publish_workspace

    publish_workspace(identify_workspace)
    return identify_workspace
