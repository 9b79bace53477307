"""CSV cells a spreadsheet will not run as formulas.

A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheets skip before reading the next character) is read by Excel, LibreOffice and Google
Sheets as a formula, so a name or a search typed as `=HYPERLINK(...)` would run when a data
protection officer opens a download. OWASP's advice (CSV Injection,
https://owasp.org/www-community/attacks/CSV_Injection) is to prefix such cells with a single
quote, which spreadsheets show as text; the csv module already quotes the cell and doubles any
quotes inside it.

Here, at the top of the package with nothing but the standard library, so every layer that
writes CSV (casework and governance downloads, flags, the pure economics reports) can use it
without importing another feature's modules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as "-12.50" (money is written as a string) cannot be a formula, and a
# quote in front would stop a spreadsheet adding it up.
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    """The value, with a single quote in front if it is text a spreadsheet would run."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a row made safe (for csv.DictWriter)."""
    return {key: safe_cell(value) for key, value in row.items()}
