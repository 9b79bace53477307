"""Where things are in a rule file: the line of each table header, so a problem can say
`triage-v1.toml:57: rule homeless-tonight: …` and the reader goes straight there.

`tomllib` gives values without positions, so the headers (`[teams."Housing options"]`,
`[[rule]]`) are found in the text; each header's key is read back with `tomllib` itself, so
quoting and spacing in a header never confuse it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*(\]\]?)\s*(#.*)?$")


@dataclass(frozen=True)
class Header:
    key: tuple[str, ...]
    is_array: bool
    line: int


def headers(text: str) -> list[Header]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADER.match(line)
        if match and (match.group(1) == "[[") == (match.group(3) == "]]"):
            key = _key_of(match.group(2))
            if key:
                found.append(Header(key, match.group(1) == "[[", number))
    return found


def _key_of(inner: str) -> tuple[str, ...]:
    try:
        table = tomllib.loads(f"[{inner}]\n")
    except tomllib.TOMLDecodeError:
        return ()
    key: list[str] = []
    while isinstance(table, dict) and len(table) == 1:
        name, table = next(iter(table.items()))
        key.append(name)
    return tuple(key)


class Lines:
    """Line numbers of a file's tables (0 when a table was written inline, without a header)."""

    def __init__(self, text: str) -> None:
        self._headers = headers(text)

    def table(self, *key: str) -> int:
        return next((h.line for h in self._headers if h.key == key and not h.is_array), 0)

    def array_item(self, name: str, index: int) -> int:
        items = [h.line for h in self._headers if h.key == (name,) and h.is_array]
        return items[index] if index < len(items) else 0
