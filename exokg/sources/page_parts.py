"""The parts every layout reads the same way once it has found its headings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exokg.model import AbstractSection, Reference
from exokg.sources.labels import Kind
from exokg.sources.reference_lists import parse_citing_list, parse_reference_list
from exokg.sources.sections import Segment, find_abstract, find_keywords, segment_lines


@dataclass(frozen=True)
class PageParts:
    """Abstract, keywords, reference list and citing-articles list of one page."""

    abstract: str | None
    abstract_sections: tuple[AbstractSection, ...]
    keywords: tuple[str, ...]
    references: tuple[Reference, ...]
    cited_by: tuple[Reference, ...]


def read_parts(lines: Sequence[str], segs: Sequence[Segment], *, allow_weak_abstract: bool = True) -> PageParts:
    """Read the common parts; several lists of one kind (a list split by an ad) are concatenated."""
    abstract = find_abstract(lines, segs, allow_weak=allow_weak_abstract)
    references = tuple(
        ref for part in segment_lines(lines, segs, Kind.REFERENCES) for ref in parse_reference_list(part)
    )
    cited_by = tuple(ref for part in segment_lines(lines, segs, Kind.CITED_BY) for ref in parse_citing_list(part))
    return PageParts(
        abstract=abstract.text if abstract else None,
        abstract_sections=abstract.sections if abstract else (),
        keywords=find_keywords(lines, segs),
        references=references,
        cited_by=cited_by,
    )
