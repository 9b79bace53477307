"""The main job's publish step. Imports Django only after setting it up (the step is loaded by
name before Django is configured)."""

from __future__ import annotations

from pathlib import Path


def publish_step(city_dir: Path, data_dir: Path) -> None:
    """Pipeline step for `upstream demo`: set Django up, migrate, publish the latest run."""
    from upstream.web.commands import migrate, setup_django

    setup_django()
    migrate()
    from upstream.people.publish import publish

    publish(data_dir, progress=lambda line: print(f"  {line}"))
