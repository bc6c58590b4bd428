"""Labels printed inside one paragraph of a structured abstract: ``Background: ... Methods: ... Results: ...``.

A label counts only where a sentence could start (at the start of the text, or after ``.``, ``!`` or ``?``
and a space), is one of the abstract labels of :data:`~exokg.sources.labels.ABSTRACT_LABELS` (any case), and
is followed by a colon. Labels must come in the order structured abstracts use (background before methods
before results before conclusions, each once); the first one out of order ends the splitting, and its words
stay text. Fewer than two labels in all is no structure: ``The results: ...`` inside a sentence, or one
``Conclusion:`` in a plain abstract, splits nothing.
"""

from __future__ import annotations

import re

from exokg.model import AbstractSection
from exokg.sources.labels import ABSTRACT_LABELS, ANY_TIME_RANK

_LABEL = re.compile(
    r"(?:^|(?<=[.!?])\s+)("
    + "|".join(re.escape(label) for label in sorted(ABSTRACT_LABELS, key=len, reverse=True))
    + r")\s*:\s*",
    re.IGNORECASE,
)


def split_inline(text: str, label: str | None = None) -> list[tuple[str | None, str]]:
    """``text`` as ``(label, body)`` parts; the part before the first inline label keeps ``label``.

    Every body is a slice of ``text`` (trimmed), so offsets into the text stay valid. Without at least two
    labels in all (``label`` counts as one) the text comes back whole.
    """
    highest = ABSTRACT_LABELS.get(label.casefold(), -1) if label else -1
    seen = {label.casefold()} if label else set()
    cuts: list[tuple[int, int, str]] = []  # (label start, body start, label as printed)
    for match in _LABEL.finditer(text):
        printed = match.group(1)
        key = printed.casefold()
        rank = ABSTRACT_LABELS[key]
        if key in seen or (rank < ANY_TIME_RANK and rank < highest):
            break
        seen.add(key)
        highest = max(highest, rank if rank < ANY_TIME_RANK else highest)
        cuts.append((match.start(1), match.end(), printed))
    if len(cuts) + (1 if label else 0) < 2:
        return [(label, text.strip())]
    parts: list[tuple[str | None, str]] = []
    head = text[: cuts[0][0]].strip()
    if head:
        parts.append((label, head))
    for n, (_, body_start, printed) in enumerate(cuts):
        end = cuts[n + 1][0] if n + 1 < len(cuts) else len(text)
        body = text[body_start:end].strip()
        if body:
            parts.append((printed, body))
    return parts


def inline_sections(text: str | None) -> tuple[AbstractSection, ...]:
    """The labelled parts of a one-paragraph structured abstract, or ``()`` when it has no inline labels."""
    if not text:
        return ()
    parts = split_inline(text)
    if all(label is None for label, _ in parts):
        return ()
    return tuple(AbstractSection(label, body) for label, body in parts)
