"""A page as headed segments, and the parts every layout reads the same way: abstract and keywords.

A page is a list of lines. A heading is a line that is a known heading word (``References``,
``Аннотация``, ``2. Results``), or a label with its value (``Keywords: a; b``). Everything from one
heading to the next is its segment; the lines before the first heading are the front matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exokg.model import AbstractSection
from exokg.sources.inline_labels import inline_sections, split_inline
from exokg.sources.labels import (
    ABSTRACT_LABELS,
    ANY_TIME_RANK,
    INLINE_KINDS,
    WEAK_HEADINGS,
    Kind,
    heading_key,
    heading_kind,
)
from exokg.sources.normalise import squash

_INLINE_LABEL = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*(\S.*)$")
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b|crown copyright)", re.IGNORECASE)
_NO_ABSTRACT = re.compile(r"^\s*(?:no abstract(?: is)? available|abstract not available)\.?\s*$", re.IGNORECASE)
_MIN_ABSTRACT_WORDS = 8

# Kinds that end the front matter (title, authors, citation line) of a page.
AFTER_FRONT = frozenset(
    {Kind.ABSTRACT, Kind.KEYWORDS, Kind.BODY, Kind.REFERENCES, Kind.CITED_BY, Kind.BACK, Kind.PUBLICATION_TYPES}
)


@dataclass(frozen=True)
class Heading:
    """A heading line: what it opens, its key and any value printed after a colon on the same line."""

    kind: Kind
    key: str
    inline: str


@dataclass(frozen=True)
class Segment:
    """Lines ``start:end`` under the heading at ``line`` (``heading`` is ``None`` for front matter)."""

    heading: Heading | None
    line: int
    start: int
    end: int

    @property
    def kind(self) -> Kind | None:
        return self.heading.kind if self.heading else None


def match_heading(line: str) -> Heading | None:
    """The heading ``line`` is, if it is one."""
    text = line.strip()
    if not text:
        return None
    if len(text) <= 80:
        key = heading_key(text)
        kind = heading_kind(key)
        if kind is not None:
            return Heading(kind, key, "")
    labelled = _INLINE_LABEL.match(text)
    if labelled:
        key = heading_key(labelled.group(1))
        kind = heading_kind(key)
        if kind in INLINE_KINDS:
            return Heading(kind, key, labelled.group(2).strip())
    return None


def segments(lines: Sequence[str]) -> list[Segment]:
    """The front matter, then one segment per heading, in page order."""
    found: list[Segment] = []
    heading: Heading | None = None
    line_no, start = -1, 0
    for index, line in enumerate(lines):
        next_heading = match_heading(line)
        if next_heading is None:
            continue
        found.append(Segment(heading, line_no, start, index))
        heading, line_no, start = next_heading, index, index + 1
    found.append(Segment(heading, line_no, start, len(lines)))
    return found


def front_matter(
    lines: Sequence[str],
    segs: Sequence[Segment],
    *,
    stop: frozenset[Kind] = AFTER_FRONT,
    skip: frozenset[Kind] = frozenset({Kind.OTHER_WORKS}),
) -> list[str]:
    """Lines before the first segment of a ``stop`` kind, leaving out the content of ``skip`` kinds.

    ``skip`` keeps other works' identifiers (comments, errata, similar articles) out of the front.
    """
    kept: list[str] = []
    for seg in segs:
        if seg.kind in stop:
            break
        if seg.heading is not None:
            kept.append(lines[seg.line])
        if seg.kind not in skip:
            kept.extend(lines[seg.start : seg.end])
    return kept


def segment_lines(lines: Sequence[str], segs: Sequence[Segment], kind: Kind) -> list[list[str]]:
    """The lines of every segment of ``kind`` (with any inline value as the first line)."""
    out: list[list[str]] = []
    for seg in segs:
        if seg.heading is not None and seg.heading.kind is kind:
            first = [seg.heading.inline] if seg.heading.inline else []
            out.append(first + list(lines[seg.start : seg.end]))
    return out


@dataclass(frozen=True)
class Abstract:
    text: str
    sections: tuple[AbstractSection, ...]


def _abstract_label(line: str) -> tuple[str, str, str] | None:
    """``(label as printed, key, text after it)`` when ``line`` opens a part of a structured abstract."""
    text = line.strip()
    key = heading_key(text)
    if key in ABSTRACT_LABELS and len(text) <= 60:
        return text.rstrip(" :."), key, ""
    labelled = _INLINE_LABEL.match(text)
    if labelled:
        key = heading_key(labelled.group(1))
        label = labelled.group(1)
        # An all-capitals label (OBJECTIVE:) of a structured abstract; not an acronym opening a sentence (HIV:).
        shouting = label.isupper() and len(label) >= 4 and len(label.split()) <= 4 and not any(map(str.isdigit, label))
        if key in ABSTRACT_LABELS or shouting:
            return labelled.group(1).strip(), key, labelled.group(2).strip()
    return None


def _read_abstract(lines: Sequence[str], seg: Segment, heading: Heading) -> Abstract | None:
    """The abstract under ``heading``: until a heading that is not one of its own labels."""
    parts: list[tuple[str | None, list[str]]] = [(None, [])]  # (label, paragraphs)
    paragraph: list[str] = [heading.inline] if heading.inline else []
    seen: set[str] = set()
    highest = -1

    def close_paragraph() -> None:
        if paragraph:
            parts[-1][1].append(squash(" ".join(paragraph)))
            paragraph.clear()

    for line in lines[seg.line + 1 :]:
        if not line.strip():
            close_paragraph()
            continue
        if _NO_ABSTRACT.match(line):
            return None
        label = _abstract_label(line)
        next_heading = match_heading(line)
        if next_heading is not None and (label is None or label[1] not in ABSTRACT_LABELS):
            break
        structured = len(parts) > 1
        nothing_yet = not structured and not parts[0][1] and not paragraph
        if label and (structured or nothing_yet):
            printed, key, rest = label
            rank = ABSTRACT_LABELS.get(key, ANY_TIME_RANK)
            if key in seen or (rank < ANY_TIME_RANK and rank < highest):
                break
            close_paragraph()
            seen.add(key)
            highest = max(highest, rank if rank < ANY_TIME_RANK else highest)
            parts.append((printed, []))
            if rest:
                paragraph.append(rest)
            continue
        if next_heading is not None or _COPYRIGHT.match(line):
            break
        paragraph.append(line.strip())
    close_paragraph()

    sections = [(label, " ".join(paras)) for label, paras in parts if paras]
    if not sections:
        return None
    if all(label is None for label, _ in sections):
        text = "\n".join(paras for _, paragraphs in parts for paras in paragraphs)
        return Abstract(text, inline_sections(text))  # "Background: ... Methods: ..." in one paragraph
    text = "\n".join(f"{label}: {body}" if label else body for label, body in sections)
    split = [part for label, body in sections for part in split_inline(body, label)]
    return Abstract(text, tuple(AbstractSection(label, body) for label, body in split))


def find_abstract(lines: Sequence[str], segs: Sequence[Segment], *, allow_weak: bool = True) -> Abstract | None:
    """The first abstract with some substance; a page's table of contents may say "Abstract" too."""
    candidates = [s for s in segs if s.kind is Kind.ABSTRACT and s.heading is not None]
    strong = [s for s in candidates if s.heading is not None and s.heading.key not in WEAK_HEADINGS]
    weak = [s for s in candidates if s.heading is not None and s.heading.key in WEAK_HEADINGS]
    fallback: Abstract | None = None
    for seg in strong + (weak if allow_weak else []):
        found = _read_abstract(lines, seg, seg.heading) if seg.heading is not None else None
        if found is None:
            continue
        if len(found.text.split()) >= _MIN_ABSTRACT_WORDS:
            return found
        fallback = fallback or found
    return fallback


def split_keywords(value: str) -> tuple[str, ...]:
    """``"Exosomes; Extracellular vesicles; Preconditioning."`` as its keywords, final period removed."""
    value = squash(value)
    separator = ";" if ";" in value else "," if "," in value else None
    items = value.split(separator) if separator else [value]
    cleaned = [item.strip().rstrip(".").strip() for item in items]
    return tuple(dict.fromkeys(item for item in cleaned if item))


def find_keywords(lines: Sequence[str], segs: Sequence[Segment]) -> tuple[str, ...]:
    """Keywords from the first keywords heading: its inline value, else the lines under it."""
    for seg in segs:
        if seg.kind is not Kind.KEYWORDS or seg.heading is None:
            continue
        taken = [seg.heading.inline] if seg.heading.inline else []
        for line in lines[seg.start : seg.end]:
            if not line.strip():
                if taken:
                    break
                continue
            taken.append(line.strip())
        if not taken:
            continue
        if len(taken) > 1 and not any(";" in t or "," in t for t in taken):
            # One keyword a line, as some pages list them.
            return tuple(dict.fromkeys(t.rstrip(".").strip() for t in taken if t.rstrip(".").strip()))
        return split_keywords(" ".join(taken))
    return ()
