"""The small linked city from tests/insight, shared so publish tests read a real workspace."""

from tests.insight.conftest import linked_city, small_city

__all__ = ["linked_city", "small_city"]
