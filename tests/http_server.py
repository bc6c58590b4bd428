"""A real HTTP server on 127.0.0.1 (a free port) that replays scripted responses, and a fake clock.

Script a path with a queue of :class:`Reply` objects; each request to that path takes the next one,
and the last one repeats. A reply can wait before answering (to pass a client's read timeout) or
stop after ``cut_at`` bytes of its body and close the connection (a truncated transfer). Every
request is recorded in ``server.seen``. Unscripted paths get a 404 with an explanation.

Use the :func:`serve` context manager, or the :func:`local_server` fixture (import it into a
``conftest.py`` to share it)::

    with serve() as server:
        server.script("/works/x", Reply(500), Reply(200, body=b"{}"))
        requests.get(server.url + "/works/x")

:class:`FakeClock` stands in for :class:`exokg.sources.http.SystemClock`: ``sleep`` only records
the delay and moves the clock on, so rate-limit and backoff tests run at once and assert on delays.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass(frozen=True)
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before sending anything
    cut_at: int | None = None  # send only this many body bytes, then close the connection

    @classmethod
    def json(cls, value: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(value).encode(), {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def file(cls, path: Path, content_type: str, status: int = 200) -> Reply:
        """A recorded body, served as it was stored."""
        return cls(status, path.read_bytes(), {"Content-Type": content_type})


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw_path: str


class LocalServer:
    """The scripted server; ``url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self) -> None:
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), name="local-http", daemon=True)

    def script(self, path: str, *replies: Reply) -> None:
        """Answer requests to ``path`` (query ignored) with ``replies`` in order; the last one repeats."""
        if not replies:
            raise ValueError("script at least one reply")
        with self._lock:
            self._scripts[path] = list(replies)

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if seen.path == path]

    def next_reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            queue = self._scripts.get(seen.path)
            if not queue:
                return Reply(404, f"not scripted: {seen.path}".encode(), {"Content-Type": "text/plain"})
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            seen = Seen(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True), headers, self.path)
            reply = server.next_reply(seen)
            if reply.delay:
                time.sleep(reply.delay)
            with contextlib.suppress(OSError):  # the client may have given up already
                self._send(reply)

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if reply.cut_at is None:
                self.wfile.write(reply.body)
            else:
                self.wfile.write(reply.body[: reply.cut_at])
                self.wfile.flush()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # quiet: pytest shows what matters
            pass

    return Handler


@contextlib.contextmanager
def serve() -> Iterator[LocalServer]:
    """A started :class:`LocalServer`, stopped on exit."""
    server = LocalServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A scripted local HTTP server for one test."""
    with serve() as server:
        yield server


class FakeClock:
    """A clock that moves only when slept on; ``sleeps`` lists every requested delay in order."""

    def __init__(self, start: float = 1000.0, wall: float = 1_780_000_000.0) -> None:
        self.now = start
        self._offset = wall - start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now + self._offset

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
