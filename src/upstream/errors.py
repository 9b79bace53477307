"""Domain errors: each says what went wrong and where.

The CLI edge turns them into a one-line message and a non-zero exit; the web edge into a page
or a JSON error. Keep this module free of third-party imports so every layer can use it.

It also reads and makes the files and folders a user names on the command line, because every
way that can fail (a folder where a file was meant, a file that is not UTF-8, a place that
cannot be written) must become one of these errors naming the path, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class UpstreamError(Exception):
    """Base class for errors a user can act on."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.one_line())

    def one_line(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(UpstreamError):
    """A file, argument or field the user gave us is not usable."""


class ConfigurationError(UpstreamError):
    """A setting is missing or unsafe."""


# What a request can be refused with. Views and services raise these; the web edge
# (`upstream.edge`) turns each into a GOV.UK page or a JSON problem, so no view catches them.


class Denied(UpstreamError):  # noqa: N818 (an outcome, named as the page says it)
    """Refused, and the refusal audited by whoever raised it. `person_id` is set when recording
    a reason would open the record (the refusal page then offers the form)."""

    def __init__(self, message: str, person_id: str = "") -> None:
        super().__init__(message)
        self.person_id = person_id


class NotFound(UpstreamError):  # noqa: N818
    """Nothing has this ID (a person, a household, a flag, a table): the message says which."""


class Moved(UpstreamError):  # noqa: N818
    """The person ID was merged or split into another (a person's lineage): follow it."""

    def __init__(self, person_id: str) -> None:
        super().__init__(f"This person's ID is now {person_id}")
        self.person_id = person_id


class InvalidFields(InputError):  # noqa: N818
    """Several fields that cannot be used, each with its message (a download's search)."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in fields.items()))
        self.fields = fields


class AuditUnavailableError(UpstreamError):
    """The audit log cannot take an entry, so nothing that must be audited can happen."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message}; run `upstream audit verify`", where="audit log")


def read_user_text(path: Path, *, what: str = "file") -> str:
    """The text of a UTF-8 file the user named; `what` names it in errors ("case file")."""
    if path.is_dir():
        raise InputError(f"is a folder; give a {what}", where=str(path))
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} not found", where=str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(not_utf8(error), where=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read the {what}: {reason(error)}", where=str(path)) from None


def not_utf8(error: UnicodeDecodeError) -> str:
    """Which byte on which line is not UTF-8, e.g. "not UTF-8 text: byte 0xe9 on line 3"."""
    line = error.object.count(b"\n", 0, error.start) + 1
    byte = error.object[error.start]
    return f"not UTF-8 text: byte 0x{byte:02x} on line {line}; save the file as UTF-8"


def make_user_folder(path: Path, *, what: str = "folder") -> None:
    """Make (or keep) a folder the user named for output; refuse a file or an unwritable place."""
    if path.exists() and not path.is_dir():
        raise InputError(f"is a file; give a folder for the {what}", where=str(path))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot make the {what} here: {reason(error)}", where=str(path)) from None


def reason(error: OSError) -> str:
    """The operating system's words for an OSError, without the errno and path ("Permission
    denied"), lower-cased to sit inside a sentence."""
    words = error.strerror or str(error) or type(error).__name__
    return words[:1].lower() + words[1:]


JSON_PATHS = ("/api/", "/directory/api/")


def wants_json(path: str, format_param: str = "") -> bool:
    """Whether a web request's answer, an error included, is JSON: the APIs, `.json` downloads
    and `?format=json` twins. Plain strings, so every layer's web edge can ask."""
    return path.startswith(JSON_PATHS) or path.endswith(".json") or format_param == "json"
