"""The flags tests publish the test city's truth-linked identification (tests/city.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def published(db: None, identify_workspace: Path) -> Path:
    from upstream.flags.publish import publish_workspace

    publish_workspace(identify_workspace)
    return identify_workspace
