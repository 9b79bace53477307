"""The example case files, appraised into the data directory for the web app (a demo step).

I/O lives here and in `report/`, never in the engine modules.
"""

from __future__ import annotations

from pathlib import Path

from upstream.economics.appraise import appraise
from upstream.economics.casefile import read_case
from upstream.economics.report import write_all

# The checkout's examples/cases folder (the package is installed editable from the checkout).
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "cases"


def reports_dir(data_dir: Path) -> Path:
    return data_dir / "reports"


def appraise_examples(city_dir: Path, data_dir: Path) -> None:
    """Demo pipeline step: appraise every example case into $UPSTREAM_DATA_DIR/reports/NAME/."""
    cases = sorted(EXAMPLES.glob("*.toml"))
    for case_file in cases:
        write_all(appraise(read_case(case_file)), reports_dir(data_dir) / case_file.stem)
    print(f"  appraised {len(cases)} example cases into {reports_dir(data_dir)}")
