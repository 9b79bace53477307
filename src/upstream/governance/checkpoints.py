"""Anchors for the audit chain, kept outside the database.

The hash chain finds any entry changed, reordered or removed from the middle, but someone who
can write to the database can cut entries from the end and move the chain head back with them.
An anchor, the sequence and hash of the head written down somewhere they cannot reach, finds
that: the chain must still contain that entry with that hash.

`upstream audit checkpoint --out FILE` appends one anchor a line:

    SEQUENCE:HASH WRITTEN-AT

and `upstream audit verify --checkpoint FILE` (or `--expect-head SEQUENCE:HASH`) checks the
chain against the last line. Plain text, so it can be mailed, printed, or sent to a log.
No Django here: only the file format.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from upstream.errors import InputError

HASH = re.compile(r"[0-9a-f]{64}")
ANCHOR = re.compile(r"(?:(\d+):)?([0-9a-f]{64})")


@dataclass(frozen=True)
class Anchor:
    """An entry's sequence and hash, written down at `at`. No sequence: a bare head hash."""

    sequence: int | None
    hash: str
    at: str = ""

    def line(self) -> str:
        return f"{self.sequence}:{self.hash} {self.at}".rstrip() + "\n"


def parse_anchor(text: str, where: str = "--expect-head") -> Anchor:
    """`SEQUENCE:HASH` (or a bare HASH, as older checks printed it), then anything after a space
    as when it was written."""
    token, _, at = text.strip().partition(" ")
    match = ANCHOR.fullmatch(token.lower())
    if match is None:
        raise InputError(
            f"expected SEQUENCE:HASH (the entry number, a colon, 64 hex digits), not {token!r}",
            where=where,
        )
    sequence = int(match[1]) if match[1] is not None else None
    return Anchor(sequence, match[2], at.strip())


def last_anchor(path: Path) -> Anchor | None:
    """The last anchor in a checkpoint file; None if the file is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no checkpoint file here", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the checkpoint file ({error})", where=str(path)) from None
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        return None
    number, line = lines[-1]
    return parse_anchor(line, where=f"{path}:{number}")


def append_anchor(path: Path, sequence: int, head_hash: str) -> Anchor:
    """Append the head as a line, flushed to disk before returning."""
    anchor = Anchor(sequence, head_hash, datetime.now(UTC).isoformat(timespec="seconds"))
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(anchor.line())
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise InputError(
            f"cannot write the checkpoint ({error.strerror})", where=str(path)
        ) from None
    return anchor
