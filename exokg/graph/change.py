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
    removed, added = differing(before, text)
    del before
    if len(removed) + len(added) > SHARE * max(text.count(b"\n"), 1) \
            or any(b"_:" in line for changed in (removed, added) for line in changed):
        return None
    return Change(digest, current, tuple(removed), tuple(added))


# Bytes compared at once while the two graphs agree.
_BLOCK = 1 << 20
# Bytes of each text searched first for a line both hold again, after a line that differs.
_WINDOW = 1 << 12


def differing(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines of the text ``before`` that ``after`` lacks and those it adds (each sorted, without their line
    ends), for two texts of ``\\n``-ended lines without repeated lines.

    Two graphs' N-Triples are in the same order (:func:`exokg.graph.mapping.triple_order`) and mostly alike, so
    the texts are walked side by side: a block of bytes at a time while they agree (compared in C, neither text
    split or copied), and where they do not, from the start of that line up to the nearest line both hold
    again, found in windows that grow. Any alignment of equal lines gives the same answer once a line both left
    and added is taken out of both (it moved), so the order is only what makes this quick and small. Two texts
    of 2,488,000 lines (388 MB each) six lines apart: 0.10 s and 18 MB beside the texts, against 1.5 s and
    1.0 GB with both split into lists of lines and walked a block of lines at a time, and 6.5 s as set
    differences of every line (3,000 articles' dumps).
    """
    if before and not before.endswith(b"\n"):
        before += b"\n"
    if after and not after.endswith(b"\n"):
        after += b"\n"
    view = memoryview(after)
    removed: list[bytes] = []
    added: list[bytes] = []
    # Line starts where the texts were last found to hold the same line; since then they agree up to i and j.
    i = j = 0
    while i < len(before) and j < len(after):
        k = min(_BLOCK, len(before) - i, len(after) - j)
        if before.startswith(view[j : j + k], i):
            i, j = i + k, j + k
            continue
        agree, differ = 0, k  # the texts agree for ``agree`` bytes from i and j, and not for ``differ``
        while differ - agree > 1:
            middle = (agree + differ) // 2
            if before.startswith(view[j : j + middle], i):
                agree = middle
            else:
                differ = middle
        # Back to the start of the line the texts first differ in: the same number of bytes on both sides, as
        # they agree from the last line start they shared.
        back = i + agree - (before.rfind(b"\n", 0, i + agree) + 1)
        i, j = _resync(before, after, i + agree - back, j + agree - back, removed, added)
    removed += _lines(before, i, len(before))
    added += _lines(after, j, len(after))
    moved = set(removed).intersection(added)
    if moved:
        removed = [line for line in removed if line not in moved]
        added = [line for line in added if line not in moved]
    return sorted(removed), sorted(added)


def _resync(before: bytes, after: bytes, i: int, j: int, removed: list[bytes], added: list[bytes]) -> tuple[int, int]:
    """From lines that differ at ``before[i]`` and ``after[j]``, the next line starts where the two hold the same
    line (the nearest found in the first window that has one), with the lines passed over noted as removed and
    added."""
    window = _WINDOW
    while True:
        mine, theirs = _lines(before, i, i + window), _lines(after, j, j + window)
        ahead = {line: n for n, line in enumerate(mine)}
        best: tuple[int, int, int] | None = None
        for m, line in enumerate(theirs):
            n = ahead.get(line)
            if n is not None and (best is None or n + m < best[0]):
                best = (n + m, n, m)
        if best is not None:
            _, n, m = best
            removed += mine[:n]
            added += theirs[:m]
            return i + sum(len(line) + 1 for line in mine[:n]), j + sum(len(line) + 1 for line in theirs[:m])
        if i + window >= len(before) and j + window >= len(after):
            removed += mine
            added += theirs
            return len(before), len(after)
        window *= 4


def _lines(text: bytes, start: int, end: int) -> list[bytes]:
    """The whole lines of ``text[start:end]`` (``start`` a line start), without their line ends."""
    lines = text[start:end].split(b"\n")
    lines.pop()  # what follows the last line end: a line cut short by ``end``, or nothing
    return lines
