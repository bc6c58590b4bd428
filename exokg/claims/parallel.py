"""Claims of many documents on several cores, for :func:`exokg.claims.extract.extract_corpus`.

Reading claims is pure Python and, at a few hundred articles and more, the larger part of reading a
corpus. Documents are independent of each other (``documents.py``), so they are shared out between this
process and worker processes, one per other core, each a fresh interpreter
(``python -m exokg.claims.worker``) that gets the scheme and its documents' sentences pickled on its
stdin and writes their claims pickled on its stdout (:mod:`exokg.processes` says why fresh interpreters).

The shares are contiguous runs of documents, so the result is the same list whatever the number of
processes. A worker that cannot start or fails costs time, not the result: its share is read here.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence

from exokg.claims.concepts import ConceptScheme
from exokg.claims.documents import DocumentClaims, document_claims
from exokg.claims.sentences import Sentence
from exokg.processes import Worker, idle_cores

log = logging.getLogger("exokg")
# Text a worker should get at the least (about a hundred abstracts, a few seconds of reading): below it,
# starting an interpreter and importing the extractor (about 0.3 s) would eat what the core gives back.
MIN_SHARE_CHARS = 150_000


def processes_for(chars: int, cores: int | None = None) -> int:
    """How many worker processes are worth starting for documents of ``chars`` characters in all."""
    if chars < 2 * MIN_SHARE_CHARS:
        return 0  # not enough for a worker however many cores are idle: not worth measuring them
    cores = idle_cores() if cores is None else cores
    return max(0, min(cores, chars // MIN_SHARE_CHARS) - 1)


def claims_in_processes(documents: Sequence[list[Sentence]], scheme: ConceptScheme,
                        processes: int) -> list[DocumentClaims]:
    """:func:`~exokg.claims.documents.document_claims` of every document, in order, read by this process
    and ``processes`` workers at once."""
    shares = _shares(documents, processes + 1)
    workers = [Worker("exokg.claims.worker",
                      pickle.dumps((scheme, [documents[i] for i in share]), protocol=pickle.HIGHEST_PROTOCOL))
               for share in shares[1:]]
    results: list[DocumentClaims] = [()] * len(documents)
    try:
        for i in shares[0]:
            results[i] = document_claims(documents[i], scheme)
        for worker, share in zip(workers, shares[1:], strict=True):
            answer = worker.result()
            if isinstance(answer, list) and len(answer) == len(share):
                claims: list[DocumentClaims] = answer
            else:
                worker.error = worker.error or "an answer of the wrong length"
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
