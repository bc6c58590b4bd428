"""Which side of a containment sentence holds the other: ``X is enriched in Y`` or ``Y is enriched in X``.

A concept is a *vesicle* (a secreted product, composite or resolved), a *cell*, *cargo* (a molecule, or a
microRNA the text names) or nothing in particular. ``X is packaged into / carried by Y`` always points into Y.
A locative cue (``enriched in``, ``detected in``) points into the words after it when they name a vesicle (or,
for a quantity word like ``enriched`` or ``abundant``, a cell) and its own subject names neither; it points out
of its subject (``exosomes are enriched in miR-21``) when the subject is the vesicle or cell and ``enriched``
is the word; otherwise the sentence says where something was seen, not what contains what.
"""

from __future__ import annotations

from exokg.claims.concepts import CELL_CATEGORY, VESICLE_CATEGORY, ConceptScheme
from exokg.claims.resolution import Resolved
from exokg.claims.tokens import word_set

_QUANTITY = word_set("enriched concentrated accumulated abundant")
_ENRICHED = word_set("enriched concentrated")
HOLDERS = frozenset({"vesicle", "cell"})


def kind_of(scheme: ConceptScheme, r: Resolved) -> str:
    """``vesicle``, ``cell``, ``cargo`` or ``""``."""
    if r.parts is not None:
        return "vesicle"
    if not r.ref.curated:
        return "cargo" if r.ref.key.startswith(("mir-", "let-")) else ""
    return {VESICLE_CATEGORY: "vesicle", CELL_CATEGORY: "cell", "molecule": "cargo"}.get(scheme.category(r.ref.key), "")


def points_inward(frame: str, word: str, own: set[str], hosts: set[str]) -> bool | None:
    """For a containment cue: ``True`` if the words after it contain its subject, ``False`` if its subject contains
    them, ``None`` if the sentence makes no containment claim. ``own``/``hosts`` are the kinds of either side."""
    if frame == "contained":
        return True
    holders = HOLDERS if word in _QUANTITY else frozenset({"vesicle"})
    if hosts & holders and not own & HOLDERS:
        return True
    if word in _ENRICHED and own & HOLDERS and "vesicle" not in hosts:
        return False
    return None


__all__ = ["HOLDERS", "kind_of", "points_inward"]
