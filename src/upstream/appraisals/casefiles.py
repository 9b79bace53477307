"""Case files in the service: checked exactly as `upstream appraise` checks them, and written
back as TOML a person can read.

A case built in the browser is a case file from the start: the form's answers are the TOML
tables themselves (`tomllib` shapes), so checking them is writing them out and reading them back
with the economics core's own parser (`economics.casefile.parse_case`, what `read_case` runs on a
file's text). The messages people see are the CLI's, word for word.

Two things the command line allows are refused in the service, because they name files on the
server: an `overrides_file` (give `[[unit_cost_override]]` tables instead), and a portfolio
option naming a file that is not another case saved here (options name saved cases by file
name, `slug.toml`).
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from upstream.economics import casefile
from upstream.economics.casefile import Case
from upstream.errors import InputError

# Big enough for any case people write (the largest example is 4 kB); small enough that a
# wrong file (a spreadsheet, a photo) is refused before it is read.
MAX_BYTES = 200_000
BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
PATH_PART = re.compile(r"\.|\[(\d+)\]")


@dataclass(frozen=True)
class Problem:
    """Why a case file cannot be used, as the CLI says it."""

    where: str  # "case.toml: intervention.outcome[0].success"
    message: str  # "must be between 0 and 1, got 1.4"
    file: str  # "case.toml"

    @property
    def path(self) -> str:
        """The field inside the file ("intervention.outcome[0].success"); "" for the file."""
        prefix = f"{self.file}: "
        return self.where.removeprefix(prefix) if self.where.startswith(prefix) else ""

    @property
    def line(self) -> str:
        """The whole message as `upstream appraise` prints it."""
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Checked:
    case: Case | None
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check(text: str, file: str, saved: Mapping[str, str] | None = None) -> Checked:
    """Read a case file's text as the CLI would read `file`; `saved` maps the file names of
    the cases saved here to their latest TOML, for a portfolio's options."""
    saved = saved or {}
    try:
        _refuse_server_files(text, file, saved)
        return Checked(_parse(text, file, saved), None)
    except InputError as error:
        return Checked(None, Problem(error.where or "", error.message, file))


def _parse(text: str, file: str, saved: Mapping[str, str]) -> Case:
    wanted = option_files(text)
    if not wanted:
        return casefile.parse_case(text, name=file, folder=None)
    with tempfile.TemporaryDirectory(prefix="upstream-case-") as folder:
        for name in wanted:
            (Path(folder) / name).write_text(saved[name], encoding="utf-8")
        try:
            return casefile.parse_case(text, name=file, folder=Path(folder))
        except InputError as error:  # say the file names as people gave them
            where = (error.where or "").replace(f"{folder}/", "")
            raise InputError(error.message.replace(f"{folder}/", ""), where=where) from None


def _loaded(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}  # the parser says so, in its own words


def option_files(text: str) -> list[str]:
    """The case files a portfolio's options name (strings only; the parser checks the rest)."""
    options = _loaded(text).get("portfolio", {})
    listed = options.get("option", []) if isinstance(options, dict) else []
    if not isinstance(listed, list):
        return []
    names = (o.get("case") for o in listed if isinstance(o, dict))
    return list(dict.fromkeys(n for n in names if isinstance(n, str)))


def _refuse_server_files(text: str, file: str, saved: Mapping[str, str]) -> None:
    data = _loaded(text)
    settings = data.get("case", {})
    if isinstance(settings, dict) and "overrides_file" in settings:
        raise InputError(
            "names a file on the server, which the service does not read; give each local "
            "unit cost as a [[unit_cost_override]] table in the case file instead",
            where=f"{file}: case.overrides_file",
        )
    options = (
        data.get("portfolio", {}).get("option", [])
        if isinstance(data.get("portfolio"), dict)
        else []
    )
    for i, option in enumerate(options if isinstance(options, list) else []):
        name = option.get("case") if isinstance(option, dict) else None
        if isinstance(name, str) and name not in saved:
            known = ", ".join(sorted(saved)) or "none yet"
            raise InputError(
                f"names {name!r}, which is not a case saved here; an option names another "
                f"saved intervention case by its file name (saved: {known})",
                where=f"{file}: portfolio.option[{i}].case",
            )


def read_upload(content: bytes, file: str) -> tuple[str, Problem | None]:
    """An uploaded file's text, or why it cannot be read (too big, not UTF-8)."""
    if len(content) > MAX_BYTES:
        return "", Problem(
            file, f"is {len(content):,} bytes; a case file is at most {MAX_BYTES:,}", file
        )
    try:
        return content.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        byte = content[error.start]
        message = f"not UTF-8 text: byte 0x{byte:02x} on line {line}; save the file as UTF-8"
        return "", Problem(file, message, file)


def loads(text: str) -> dict[str, Any]:
    """A checked case file's tables (a version's TOML is always checked when saved)."""
    return tomllib.loads(text)


# --- writing TOML ------------------------------------------------------------------------------


def dumps(data: Mapping[str, Any], header: str = "") -> str:
    """A case file people can read: each table under its own header, every array of tables as
    [[blocks]], small tables such as a cohort or a range inline, in the order they were given."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join([*lines, *_table("", data)]).strip("\n") + "\n"


def _table(name: str, table: Mapping[str, Any]) -> list[str]:
    """A table's own values under its header, then its tables, then its arrays of tables."""
    lines = [f"[{name}]"] if name else []
    tables: list[str] = []
    blocks: list[str] = []
    for key, value in table.items():
        full = f"{name}.{_key(key)}" if name else _key(key)
        if not name and isinstance(value, Mapping):
            tables += ["", *_table(full, value)]
        elif _is_blocks(value):
            for item in value:
                blocks += ["", f"[[{full}]]", *_pairs(item)]
        else:
            lines.append(f"{_key(key)} = {toml_value(value)}")
    return lines + tables + blocks


def _is_blocks(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _pairs(table: Mapping[str, Any]) -> list[str]:
    return [f"{_key(k)} = {toml_value(v)}" for k, v in table.items()]


def _key(key: str) -> str:
    return key if BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """One value as TOML writes it (tables and lists inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            repr(value)
            if math.isfinite(value)
            else ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
        )
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} in a case file")


# --- paths inside a case file -----------------------------------------------------------------


def split_path(path: str) -> list[str | int]:
    """ "intervention.outcome[0].success.3-5" -> ["intervention", "outcome", 0, "success", "3-5"]."""
    parts: list[str | int] = []
    for piece in re.split(r"\.", path):
        match = re.match(r"^(.*?)((?:\[\d+\])*)$", piece)
        assert match is not None
        if match.group(1):
            parts.append(match.group(1))
        parts += [int(i) for i in re.findall(r"\[(\d+)\]", match.group(2))]
    return parts


def within(path: str, prefix: str) -> bool:
    """Whether a field's path is the prefix's field or inside it."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))
