"""One identification run: when, on what input, with which rule sets and models, and what it
flagged. Built by the pipeline, read by the report; its own module so both import it downward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from upstream.identify.model import ModelResult
from upstream.identify.rules import RuleSet


@dataclass
class IdentifyRun:
    as_of: date
    as_of_dates: list[date]
    input_kind: str
    input_source: str
    rulesets: list[RuleSet]
    flags: dict[str, int]
    quality: pd.DataFrame | None
    models: list[ModelResult] = field(default_factory=list)
    out_dir: Path | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "as_of": str(self.as_of),
            "as_of_dates": [str(d) for d in self.as_of_dates],
            "input_kind": self.input_kind,
            "input_source": self.input_source,
            "rulesets": {r.id: r.version for r in self.rulesets},
            "flags": self.flags,
            "models": {
                m.config.id: {"status": m.status, "reasons": m.reasons, "metrics": m.metrics}
                for m in self.models
            },
        }
