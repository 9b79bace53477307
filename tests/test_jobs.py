"""The floor for jobs: the demo's steps are callables, and a run migrates once."""

from __future__ import annotations

import pytest

from upstream.jobs import database
from upstream.jobs.demo import PIPELINE

pytestmark = pytest.mark.core


def test_every_demo_step_is_a_callable_not_a_name_to_import() -> None:
    assert PIPELINE, "the demo has steps"
    for step in PIPELINE:
        assert callable(step.run), step.name
        assert not isinstance(step.run, str), step.name


def test_a_run_migrates_the_operational_database_once_however_many_steps_ask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    migrations: list[str] = []

    def call_command(name: str, *args: object, **options: object) -> None:
        migrations.append(name)

    monkeypatch.setattr("django.core.management.call_command", call_command)
    monkeypatch.setattr(database, "_migrated", set())
    for _step in range(3):
        database.operational_database()
    assert migrations == ["migrate"]
