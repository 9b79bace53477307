"""Domain errors: each says what went wrong and where.

The CLI edge turns them into a one-line message and a non-zero exit; the web edge into a page
or a JSON error. Keep this module free of third-party imports so every layer can use it.
"""

from __future__ import annotations


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
