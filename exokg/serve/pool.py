"""Query processes the endpoint can kill: the query timeout.

Oxigraph evaluates a query in Rust and offers no way to cancel it from Python, so a thread running a
runaway query would run on after its request gave up. Each query runs instead in one of a few worker
processes (:mod:`exokg.serve.worker`) that opened the graph themselves (the store read-only, which many
processes may share); a query that outlives the timeout has its process killed and a fresh one takes its
place. See docs/decisions/0006-serving-and-endpoint.md for the figures.

Workers are fresh interpreters (``python -m exokg.serve.worker``) talking over their stdin and stdout:
forking a server that already runs threads can copy a lock another thread holds and hang the child, and
multiprocessing's ``spawn`` re-imports the caller's main script, which breaks any script that embeds the
server without an ``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from exokg.errors import ExokgError
from exokg.serve.worker import GraphSource, Reply

log = logging.getLogger("exokg")
# The folder that holds the exokg package, so a worker imports the same exokg as the server.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class Limits:
    """What one query may take: seconds of evaluation, rows (or triples) of answer, bytes of query text."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_query_bytes: int = 1_000_000
    workers: int = 2
    # How long a new worker may take to open the graph (loading a large dump into memory is slow).
    startup: float = 120.0


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    send: Connection  # to the worker's stdin
    receive: Connection  # from its stdout
    started: float = field(default_factory=time.monotonic)

    def stop(self) -> None:
        self.send.close()
        self.receive.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


class QueryPool:
    """At most ``limits.workers`` query processes, started when first needed and shared by all threads."""

    def __init__(self, source: GraphSource, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self._idle: list[_Worker] = []
        self._running = 0  # workers started, idle or busy
        self._changed = threading.Condition()
        self._closed = False
        self.killed = 0  # workers killed for running past the timeout, for the server's log and tests

    def run(self, query: str, accept: str | None) -> Reply:
        """The answer to one query; 503 when it runs past the timeout or no worker frees up in time."""
        waited_until = time.monotonic() + self.limits.timeout
        try:
            taken = self._take(waited_until)
        except StartFailed as exc:
            return Reply.text(500, str(exc))
        if taken is None:
            return Reply.text(503, f"the endpoint is busy: all {self.limits.workers} query processes stayed "
                                   f"busy for {self.limits.timeout:g} s; try again shortly")
        try:
            taken.send.send((query, accept, self.limits.max_rows))
            if taken.receive.poll(self.limits.timeout):
                reply: Reply = taken.receive.recv()
                self._give_back(taken)
                return reply
        except (EOFError, OSError) as exc:
            self._discard(taken)
            return Reply.text(500, f"the query process ended unexpectedly ({exc or type(exc).__name__}); "
                                   "it has been replaced")
        self._discard(taken)
        with self._changed:
            self.killed += 1
        return Reply.text(503, f"the query ran longer than {self.limits.timeout:g} s, this endpoint's limit, "
                               "and was stopped: narrow it down (a LIMIT, more specific patterns) and try again")

    def warm_up(self) -> None:
        """Start one worker now, so the first query does not wait for it and a bad graph shows at once."""
        taken = self._take(time.monotonic() + self.limits.startup)
        if taken is not None:
            self._give_back(taken)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._changed.notify_all()
        for each in idle:
            each.stop()

    def _take(self, deadline: float) -> _Worker | None:
        with self._changed:
            while True:
                if self._closed:
                    raise StartFailed("the server is stopping")
                if self._idle:
                    return self._idle.pop()
                if self._running < self.limits.workers:
                    self._running += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
        try:
            return self._start()
        except BaseException:
            with self._changed:
                self._running -= 1
                self._changed.notify()
            raise

    def _start(self) -> _Worker:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        process = subprocess.Popen([sys.executable, "-m", "exokg.serve.worker"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, env=env)
        assert process.stdin is not None and process.stdout is not None
        # The connections own duplicates of the pipe ends; the Popen's own file objects are closed at once.
        started = _Worker(process, Connection(os.dup(process.stdin.fileno()), readable=False),
                          Connection(os.dup(process.stdout.fileno()), writable=False))
        process.stdin.close()
        process.stdout.close()
        try:
            started.send.send(self.source)
            ready = started.receive.poll(self.limits.startup)
            status, message = started.receive.recv() if ready else ("failed", f"no answer in {self.limits.startup:g} s")
        except (EOFError, OSError) as exc:
            status, message = "failed", f"the process ended while opening the graph ({exc or type(exc).__name__})"
        if status != "ready":
            started.stop()
            raise StartFailed(f"a query process could not start: {message}")
        log.debug("query process %s ready (%s)", process.pid, self.source.describe())
        return started

    def _give_back(self, taken: _Worker) -> None:
        with self._changed:
            if self._closed:
                self._running -= 1
                taken.stop()
            else:
                self._idle.append(taken)
            self._changed.notify()

    def _discard(self, taken: _Worker) -> None:
        taken.stop()
        with self._changed:
            self._running -= 1
            self._changed.notify()


class StartFailed(ExokgError):
    """A query process could not open the graph (a missing or damaged store, an unreadable dump)."""
