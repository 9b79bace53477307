"""Typed access to a parsed TOML table, with errors that name the file and field.

`case.toml: intervention.attrition: must be between 0 and 1, got 1.4`
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from upstream.economics.montecarlo import Uncertain
from upstream.errors import InputError

REQUIRED: Any = object()
_MISSING: Any = REQUIRED


class Fields:
    def __init__(self, data: Mapping[str, Any], path: str, file: str) -> None:
        self.data, self.path, self.file = data, path, file

    def where(self, key: str) -> str:
        return f"{self.file}: {self.path}.{key}" if self.path else f"{self.file}: {key}"

    def fail(self, key: str, message: str) -> InputError:
        return InputError(message, where=self.where(key))

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self.fail(key, "is required")
        return default

    def only(self, allowed: Iterable[str]) -> None:
        """Reject unknown keys, so a typo is an error rather than a silently ignored setting."""
        known = set(allowed)
        for key in self.data:
            if key not in known:
                raise self.fail(
                    key, f"is not a recognised field (expected one of: {', '.join(sorted(known))})"
                )

    def number(
        self, key: str, default: Any = _MISSING, lo: float | None = None, hi: float | None = None
    ) -> float:
        value = self.raw(key, default)
        return self.check_number(key, value, lo, hi)

    def check_number(self, key: str, value: Any, lo: float | None, hi: float | None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, got {value!r}")
        if lo is not None and hi is not None and not lo <= value <= hi:
            raise self.fail(
                key, f"must be between {_shown(lo)} and {_shown(hi)}, got {_shown(value)}"
            )
        if lo is not None and value < lo:
            raise self.fail(key, f"must be at least {_shown(lo)}, got {_shown(value)}")
        if hi is not None and value > hi:
            raise self.fail(key, f"must be at most {_shown(hi)}, got {_shown(value)}")
        return float(value)

    def share(self, key: str, default: Any = _MISSING) -> float:
        return self.number(key, default, 0.0, 1.0)

    def integer(self, key: str, default: Any = _MISSING, lo: int = 0, hi: int = 10_000) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, got {value!r}")
        self.check_number(key, value, lo, hi)
        return value

    def text(self, key: str, default: Any = _MISSING, choices: Iterable[str] | None = None) -> str:
        value = self.raw(key, default)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, got {value!r}")
        options = tuple(choices or ())
        if options and value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}, got {value!r}")
        return value

    def numbers(
        self, key: str, default: Any = _MISSING, lo: float | None = 0.0
    ) -> tuple[float, ...]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of numbers, got {value!r}")
        return tuple(self.check_number(f"{key}[{i}]", v, lo, None) for i, v in enumerate(value))

    def table(self, key: str, default: Any = _MISSING) -> Fields:
        value = self.raw(key, default)
        if not isinstance(value, Mapping):
            raise self.fail(key, f"must be a table, got {value!r}")
        return Fields(value, f"{self.path}.{key}" if self.path else key, self.file)

    def tables(self, key: str, default: Any = _MISSING) -> list[Fields]:
        value = self.raw(key, default)
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(key, "must be a list of tables ([[...]] in TOML)")
        prefix = f"{self.path}.{key}" if self.path else key
        return [Fields(v, f"{prefix}[{i}]", self.file) for i, v in enumerate(value)]

    def uncertain(
        self,
        key: str,
        default: Any,
        lo: float | None,
        hi: float | None,
        path: str,
        sink: dict[str, Uncertain],
    ) -> float:
        """A number, or {low, central, high, distribution}: returns the central value and records the range."""
        value = self.raw(key, default)
        if not isinstance(value, Mapping):
            return self.check_number(key, value, lo, hi)
        spec = Fields(value, f"{self.path}.{key}" if self.path else key, self.file)
        spec.only(("low", "central", "high", "distribution"))
        u = Uncertain(
            spec.number("low", lo=lo, hi=hi),
            spec.number("central", lo=lo, hi=hi),
            spec.number("high", lo=lo, hi=hi),
            spec.text("distribution", "triangular"),
            floor=lo,
            ceiling=hi,
        )
        u.check(self.where(key))
        sink[path] = u
        return u.central


def _shown(number: float) -> str:
    """1,000,001 rather than 1e+06 (which hides the value that was wrong); 0.25 as it is."""
    if float(number).is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:g}"
