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
    held, lines = set(before.splitlines()), set(text.splitlines())
    digest = hashlib.sha256(before).hexdigest()
    del before
    removed, added = sorted(held - lines), sorted(lines - held)
    if len(removed) + len(added) > SHARE * max(len(lines), 1) \
            or any(b"_:" in line for changed in (removed, added) for line in changed):
        return None
    return Change(digest, current, tuple(removed), tuple(added))
