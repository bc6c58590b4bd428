"""The small error tree. Library code raises these; only the CLI maps them to exit codes."""

from __future__ import annotations


class ExokgError(Exception):
    """Base of every error exokg reports to a user: a message to act on and an exit code."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ConfigError(ExokgError):
    """The project configuration or the command line is wrong (exit 2)."""

    exit_code = 2


class InputError(ExokgError):
    """An input file could not be read or understood (exit 3)."""

    exit_code = 3


class UnreadablePage(InputError):
    """A saved page is empty, binary or not an article; ``source`` names the file."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ShapesError(ExokgError):
    """The SHACL shapes themselves are broken (a project error, not a data error)."""

    exit_code = 2


class QueryError(ExokgError):
    """A saved query is missing, malformed or was given wrong parameters."""

    exit_code = 2


class NonConformingData(ExokgError):
    """The graph does not conform to the shapes (exit 1)."""

    exit_code = 1
