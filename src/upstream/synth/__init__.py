"""The synthetic city: people, places, households over time, agency extracts and the truth."""

from __future__ import annotations

from typing import Any


def generate_city(**kwargs: Any) -> dict[str, object]:
    """See upstream.synth.city.generate_city (imported lazily to keep the CLI quick)."""
    from upstream.synth.city import generate_city as _generate

    return _generate(**kwargs)
