"""How a build's graph differs from the graph the previous build published.

Both graphs are N-Triples, one triple a line (:func:`exokg.graph.store.ntriples`): this build's made from its
triples, the previous one the site's dump in place. The lines one has and the other lacks are the change that
the on-disk store (:func:`exokg.graph.store.write_store`) and the validation
(:mod:`exokg.validate.incremental`) follow, instead of taking the whole graph again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

# Beyond this share of the graph's triples changed, doing the work again is as quick as following the change.
SHARE = 0.2


@dataclass(frozen=True)
class Change:
    """The N-Triples lines (sorted) that one graph has and the other lacks, between two graphs named by the
    SHA-256 of their N-Triples."""

    previous: str
    current: str
    removed: tuple[bytes, ...]
    added: tuple[bytes, ...]

    def __len__(self) -> int:
        return len(self.removed) + len(self.added)

    def removed_triples(self) -> list[Triple]:
        return _triples(self.removed)

    def added_triples(self) -> list[Triple]:
        return _triples(self.added)


def _triples(lines: tuple[bytes, ...]) -> list[Triple]:
    return [quad.triple for quad in parse(b"\n".join(lines), format=RdfFormat.N_TRIPLES)]


def graph_change(text: bytes, current: str, previous: Path) -> Change | None:
    """How ``text`` (N-Triples whose SHA-256 is ``current``) differs from the N-Triples file ``previous``.
    ``None`` when that file cannot be read, when more than :data:`SHARE` of the lines differ, or when a changed
    line holds a blank node (a blank node's label is the writer's own, so its line names no triple a store or a
    report kept)."""
    try:
        before = previous.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(before).hexdigest()
    held, lines = before.splitlines(), text.splitlines()
    del before
    removed, added = differing(held, lines)
    if len(removed) + len(added) > SHARE * max(len(lines), 1) \
            or any(b"_:" in line for changed in (removed, added) for line in changed):
        return None
    return Change(digest, current, tuple(removed), tuple(added))


# Lines compared at once while the two graphs agree: one list comparison in C for that many lines.
_BLOCK = 4096


def differing(before: list[bytes], after: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The lines of ``before`` that ``after`` lacks and those it adds (each sorted), for two lists without
    repeated lines.

    Two graphs' N-Triples are in the same order (:func:`exokg.graph.mapping.triple_order`) and mostly alike, so
    the lists are walked side by side: a block of lines at a time while they agree, and where they do not, up to
    the nearest line both hold again, found in windows that grow. Any alignment of equal lines gives the same
    answer once a line both left and added is taken out of both (it moved), so the order is only what makes
    this quick: against sets of every line, 0.7 s instead of 2.1 s for 834,000 lines a side, 2.1 s instead of
    6.5 s for 2,488,000.
    """
    removed: list[bytes] = []
    added: list[bytes] = []
    i = j = 0
    while i < len(before) and j < len(after):
        k = min(_BLOCK, len(before) - i, len(after) - j)
        if before[i : i + k] == after[j : j + k]:
            i, j = i + k, j + k
            continue
        agree, differ = 0, k  # before[i:i+agree] == after[j:j+agree], and not so for differ
        while differ - agree > 1:
            middle = (agree + differ) // 2
            if before[i : i + middle] == after[j : j + middle]:
                agree = middle
            else:
                differ = middle
        i, j = i + agree, j + agree
        i, j = _resync(before, after, i, j, removed, added)
    removed += before[i:]
    added += after[j:]
    moved = set(removed).intersection(added)
    if moved:
        removed = [line for line in removed if line not in moved]
        added = [line for line in added if line not in moved]
    return sorted(removed), sorted(added)


def _resync(before: list[bytes], after: list[bytes], i: int, j: int, removed: list[bytes],
            added: list[bytes]) -> tuple[int, int]:
    """From ``before[i] != after[j]``, the next positions where the two hold the same line (the nearest one
    found in the first window that has any), with the lines passed over noted as removed and added."""
    window = 16
    while True:
        ahead = {line: n for n, line in enumerate(before[i : i + window])}
        best: tuple[int, int, int] | None = None
        for m, line in enumerate(after[j : j + window]):
            n = ahead.get(line)
            if n is not None and (best is None or n + m < best[0]):
                best = (n + m, n, m)
        if best is not None:
            _, n, m = best
            removed += before[i : i + n]
            added += after[j : j + m]
            return i + n, j + m
        if i + window >= len(before) and j + window >= len(after):
            removed += before[i:]
            added += after[j:]
            return len(before), len(after)
        window *= 4
