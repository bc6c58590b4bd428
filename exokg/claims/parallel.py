"""Claims of many documents on several cores, for :func:`exokg.claims.extract.extract_corpus`.

Reading claims is pure Python and, at a few hundred articles and more, the larger part of reading a
corpus. Documents are independent of each other (``documents.py``), so they are shared out between this
process and worker processes, one per other core, each a fresh interpreter
(``python -m exokg.claims.worker``) that gets the scheme and its documents' sentences pickled on its
stdin and writes their claims pickled on its stdout. Fresh interpreters rather than ``fork`` or
multiprocessing's ``spawn``, for the reasons :mod:`exokg.serve.pool` gives: forking a process that runs
threads can hang the child, and ``spawn`` re-imports the caller's main script.

The shares are contiguous runs of documents, so the result is the same list whatever the number of
processes. A worker that cannot start or fails costs time, not the result: its share is read here.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from exokg.claims.concepts import ConceptScheme
from exokg.claims.documents import DocumentClaims, document_claims
from exokg.claims.sentences import Sentence

log = logging.getLogger("exokg")
# Text a worker should get at the least (about a hundred abstracts, a few seconds of reading): below it,
# starting an interpreter and importing the extractor (about 0.3 s) would eat what the core gives back.
MIN_SHARE_CHARS = 150_000
# The folder that holds the exokg package, so a worker imports the same exokg as this process.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def idle_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it) that other processes
    leave idle, counting this one's as idle: on a machine already busy, workers would only queue for the same
    cores and add their start-up to the wait."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not hasattr(os, "getloadavg"):
        return cores
    others = max(0.0, os.getloadavg()[0] - 1)  # the load average counts this process too
    return max(1, min(cores, round(cores - others)))


def processes_for(chars: int, cores: int | None = None) -> int:
    """How many worker processes are worth starting for documents of ``chars`` characters in all."""
    cores = idle_cores() if cores is None else cores
    return max(0, min(cores, chars // MIN_SHARE_CHARS) - 1)


def claims_in_processes(documents: Sequence[list[Sentence]], scheme: ConceptScheme,
                        processes: int) -> list[DocumentClaims]:
    """:func:`~exokg.claims.documents.document_claims` of every document, in order, read by this process
    and ``processes`` workers at once."""
    shares = _shares(documents, processes + 1)
    workers = [_Worker(pickle.dumps((scheme, [documents[i] for i in share]), protocol=pickle.HIGHEST_PROTOCOL))
               for share in shares[1:]]
    results: list[DocumentClaims] = [()] * len(documents)
    try:
        for i in shares[0]:
            results[i] = document_claims(documents[i], scheme)
        for worker, share in zip(workers, shares[1:], strict=True):
            claims = worker.result(len(share))
            if claims is None:
                log.warning("a claim extraction process failed (%s); its %d document(s) are read here instead",
                            worker.error, len(share))
                claims = [document_claims(documents[i], scheme) for i in share]
            for i, found in zip(share, claims, strict=True):
                results[i] = found
    finally:
        for worker in workers:
            worker.stop()
    log.debug("claims of %d document(s) read by %d process(es)", len(documents), len(shares))
    return results


def _shares(documents: Sequence[list[Sentence]], count: int) -> list[list[int]]:
    """``count`` contiguous runs of document indices with about as much text each (the first may be empty)."""
    sizes = [sum(len(s.text) for s in sentences) for sentences in documents]
    total = sum(sizes)
    shares: list[list[int]] = [[] for _ in range(count)]
    done = 0
    for i, size in enumerate(sizes):
        # The share a document falls in is where the middle of its text lies in the whole.
        shares[min(count - 1, (2 * done + size) * count // (2 * total or 1))].append(i)
        done += size
    return shares


class _Worker:
    """A worker process reading one share; the pipes are served by a thread, so this process works meanwhile."""

    def __init__(self, job: bytes) -> None:
        self.error = ""
        self._output: bytes | None = None
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "exokg.claims.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                env=env)
        except OSError as exc:
            self._process, self.error = None, f"cannot start {sys.executable}: {exc.strerror or exc}"
            return
        self._thread = threading.Thread(target=self._talk, args=(job,), daemon=True)
        self._thread.start()

    def _talk(self, job: bytes) -> None:
        assert self._process is not None
        try:
            self._output, _ = self._process.communicate(job)
        except OSError as exc:
            self.error = f"lost the pipe: {exc.strerror or exc}"

    def result(self, expected: int) -> list[DocumentClaims] | None:
        """The share's claims, or ``None`` (and :attr:`error` says why) when the worker did not give them."""
        if self._process is None:
            return None
        self._thread.join()
        if self._process.returncode != 0 or self._output is None:
            self.error = self.error or f"exit status {self._process.returncode}"
            return None
        try:
            claims = pickle.loads(self._output)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError) as exc:
            self.error = f"unreadable answer ({exc})"
            return None
        if not isinstance(claims, list) or len(claims) != expected:
            self.error = "an answer of the wrong length"
            return None
        return claims

    def stop(self) -> None:
        """End the process if it still runs (this process is leaving early)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
