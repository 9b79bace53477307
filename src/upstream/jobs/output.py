"""Where jobs print: a console made when something is printed, not when a module is imported,
so it measures the terminal (or `COLUMNS`) as it is then, not as it was at start-up."""

from __future__ import annotations

from typing import Any

from rich.console import Console


def console(**options: Any) -> Console:
    return Console(**options)
