"""A request and a response as plain values, so the same handling serves a socket and ``serve --get``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """``target`` is the request-target as sent (``/work/x?y``); header names are lower case."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Response:
    """A status, headers and a body: bytes, or a file streamed from disk (a dump may be large)."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    file: Path | None = None

    @classmethod
    def text(cls, status: int, message: str, *headers: tuple[str, str]) -> Response:
        return cls(status, (("Content-Type", TEXT), *headers), (message.rstrip("\n") + "\n").encode("utf-8"))

    @property
    def length(self) -> int:
        return self.file.stat().st_size if self.file is not None else len(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def read(self) -> bytes:
        return self.file.read_bytes() if self.file is not None else self.body
