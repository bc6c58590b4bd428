"""PubMed abstract pages, saved or copied as text.

The header reads, top to bottom: publication-type badge (``Review``), journal button (often lost
in a copy), the citation line ``. 2024 Feb 14:25:355-366.``, ``doi: ... Epub ...``, the title, the
authors with affiliation markers, ``Affiliations``, the ``PMID: ... PMCID: ... DOI: ...`` line.
A sticky mini-header repeats the title and ``First Author et al. Journal. Date.``. Then come the
abstract, keywords and lists: Similar articles (not this article's), Cited by, References,
Publication types. Only the header may give the article's own identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exokg.model import Article, Source
from exokg.sources.authors import (
    ListedName,
    attach_affiliations,
    looks_like_affiliation,
    parse_author_line,
    split_affiliation,
    split_author_field,
)
from exokg.sources.citation_details import YEAR, SourceBlock, leading_block, parse_date, publication_date
from exokg.sources.identifiers import find_labelled_dois, find_pmcids, find_pmids
from exokg.sources.labels import Kind
from exokg.sources.page_parts import read_parts
from exokg.sources.references import looks_like_journal
from exokg.sources.sections import Segment, front_matter, match_heading, segment_lines, segments

_SIGNS = re.compile(
    rf"^PubMed Disclaimer$|^LinkOut - more resources$|pubmed\.ncbi\.nlm\.nih\.gov|^Access keys NCBI Homepage"
    rf"|^\.\s+{YEAR}\b",
    re.MULTILINE,
)
_CITATION_LINE = re.compile(rf"^\s*(?P<journal>[^.]{{0,150}}?)\s*\.\s*(?P<rest>{YEAR}\b.*)$")
_HEADER_TAIL = re.compile(r"^\s*(?:doi:|Epub\b|eCollection\b|Online ahead of print|Print\b)", re.IGNORECASE)
_EPUB = re.compile(rf"\bEpub\s+(?!ahead)({YEAR}[^.;]*)")
_ET_AL = re.compile(r"\s+et\.?\s*al\.?$")
_BADGE = re.compile(r"^\s*(?:free (?:pmc )?article|free full text|full text links?|no abstract available)\.?\s*$", re.I)
# The header ends at the abstract (or at the first list when there is none); "Full text links" and
# "Similar articles" boxes may sit inside it and are not part of it.
_FRONT_ENDS = frozenset(
    {Kind.ABSTRACT, Kind.KEYWORDS, Kind.REFERENCES, Kind.CITED_BY, Kind.PUBLICATION_TYPES, Kind.BODY}
)
_NOT_FRONT = frozenset({Kind.OTHER_WORKS, Kind.BACK})

# The publication types PubMed prints as a badge above the citation (NLM publication type names).
# fmt: off
PUBLICATION_TYPES = frozenset(t.casefold() for t in (
    "Review", "Systematic Review", "Meta-Analysis", "Clinical Trial", "Randomized Controlled Trial",
    "Controlled Clinical Trial", "Clinical Trial, Phase I", "Clinical Trial, Phase II", "Clinical Trial, Phase III",
    "Clinical Trial, Phase IV", "Clinical Trial Protocol", "Case Reports", "Comparative Study", "Editorial",
    "Letter", "Comment", "Observational Study", "Multicenter Study", "Practice Guideline", "Guideline",
    "Consensus Development Conference", "Published Erratum", "Retracted Publication", "Retraction of Publication",
    "Preprint", "News", "Historical Article", "Evaluation Study", "Validation Study", "Journal Article",
    "Video-Audio Media", "Congress", "Lecture", "Biography", "Interview", "Dataset", "Technical Report",
    "Twin Study", "Expression of Concern", "English Abstract", "Equivalence Trial", "Pragmatic Clinical Trial",
    "Adaptive Clinical Trial",
))
# fmt: on


def _non_empty(lines: Sequence[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def _previous_non_empty(lines: Sequence[str], index: int) -> str:
    for earlier in range(index - 1, -1, -1):
        if lines[earlier].strip():
            return lines[earlier].strip()
    return ""


def _sticky(line: str) -> tuple[str, bool, str, str | None] | None:
    """``(first author, complete, journal, date)`` from ``Ruili Long et al. Regen Ther. 2024 Feb.``."""
    parts = [p.strip() for p in line.strip().rstrip(". ").split(". ")]
    date = parts.pop() if len(parts) >= 3 and parts[-1][:1].isdigit() and parse_date(parts[-1]) else None
    if len(parts) < 2 or not looks_like_journal(parts[-1]):
        return None
    journal = parts.pop()
    who = ". ".join(parts)
    et_al = _ET_AL.search(who)
    return (who[: et_al.start()] if et_al else who), et_al is None, journal, date


@dataclass(frozen=True)
class _Header:
    """What the header above the title says."""

    block: SourceBlock | None = None
    inline_journal: str | None = None
    journal_button: str | None = None
    publication_types: tuple[str, ...] = ()
    epub: str | None = None
    own_doi: str | None = None
    title_at: int | None = None


def _read_header(front: Sequence[str]) -> _Header:
    found = next(
        (
            (index, match, block)
            for index, match in enumerate(map(_CITATION_LINE.match, front))
            if match and (block := leading_block(match.group("rest")))
        ),
        None,
    )
    if found is None:
        return _Header()
    cite_at, match, block = found
    badges = [front[i].strip() for i in range(max(0, cite_at - 3), cite_at)]
    types = tuple(badge for badge in badges if badge.casefold() in PUBLICATION_TYPES)
    # The journal button sits right above the citation line (PubMed's "Regen Ther" dropdown).
    above = _previous_non_empty(front, cite_at)
    button = above if above.casefold() not in PUBLICATION_TYPES and looks_like_journal(above) else None
    tail_end = cite_at + 1
    while tail_end < len(front) and (not front[tail_end].strip() or _HEADER_TAIL.match(front[tail_end])):
        tail_end += 1
    cite_text = " ".join(front[cite_at:tail_end])
    epub = _EPUB.search(cite_text)
    dois = find_labelled_dois(cite_text)
    return _Header(
        block=block,
        inline_journal=match.group("journal").strip() or None,
        journal_button=button,
        publication_types=types,
        epub=epub.group(1).strip() if epub else None,
        own_doi=dois[0] if dois else None,
        title_at=_non_empty(front, tail_end),
    )


def _title(front: Sequence[str], title_at: int | None) -> str | None:
    while title_at is not None and _BADGE.match(front[title_at]):
        title_at = _non_empty(front, title_at + 1)
    if title_at is not None:
        return None if match_heading(front[title_at]) else front[title_at].strip()
    # Without the citation line the title is still the line the sticky header repeats.
    seen: set[str] = set()
    for line in front:
        text = line.strip()
        if len(text.split()) >= 3 and match_heading(text) is None:
            if text in seen:
                return text
            seen.add(text)
    return None


def _sticky_header(front: Sequence[str], title: str | None) -> tuple[str, bool, str, str | None] | None:
    for index, line in enumerate(front):
        repeated_title = title is not None and _previous_non_empty(front, index) == title
        if (" et al" in line or repeated_title) and not _CITATION_LINE.match(line):
            sticky = _sticky(line)
            if sticky:
                return sticky
    return None


def _affiliations(lines: Sequence[str], segs: Sequence[Segment], title: str | None) -> dict[str, str]:
    """The expanded affiliation list; the sticky header (title, badge) shares the segment."""
    found: dict[str, str] = {}
    for part in segment_lines(lines, segs, Kind.AFFILIATIONS):
        for line in part:
            marker, text = split_affiliation(line)
            if line.strip() != title and looks_like_affiliation(text):
                found[marker or str(len(found) + 1)] = text
    return found


class PubMedLayout:
    """A PubMed abstract page (``https://pubmed.ncbi.nlm.nih.gov/<pmid>/``) as text."""

    name = "pubmed"

    def detect(self, text: str) -> bool:
        return bool(_SIGNS.search(text))

    def parse(self, text: str, source: Source) -> Article:
        lines = text.split("\n")
        segs = segments(lines)
        front = front_matter(lines, segs, stop=_FRONT_ENDS, skip=_NOT_FRONT)
        header = _read_header(front)
        warnings = [] if header.block else ["PubMed page without its citation line: journal and date are missing"]

        title = _title(front, header.title_at)
        # The sticky header may follow a "Comment in" box, which the front leaves out: read all lines.
        sticky = _sticky_header(front_matter(lines, segs, stop=_FRONT_ENDS, skip=frozenset()), title)
        listed: list[ListedName] = []
        complete = True
        after_title = _non_empty(front, header.title_at + 1) if header.title_at is not None else None
        if after_title is not None and match_heading(front[after_title]) is None:
            listed, complete = parse_author_line(front[after_title]) or ([], True)
        if not listed and sticky:
            # "Ruili Long et al." or, for a short list, "Ruili Long, Shuanglin Wang".
            names, whole = split_author_field(sticky[0])
            listed, complete = [ListedName(name, ()) for name in names], sticky[1] and whole
        affiliations = _affiliations(lines, segs, title)

        front_text = "\n".join(front)
        dois = [header.own_doi] if header.own_doi else find_labelled_dois(front_text)
        pmids = find_pmids(front_text)
        pmcids = find_pmcids(front_text)
        block = header.block
        printed_date = block.date if block else (sticky[3] if sticky else None)
        found_date = parse_date(printed_date) if printed_date else None
        types = [*header.publication_types]
        types.extend(t.strip() for part in segment_lines(lines, segs, Kind.PUBLICATION_TYPES) for t in part)
        parts = read_parts(lines, segs)
        return Article(
            source=source,
            layout=self.name,
            title=title,
            pmid=pmids[0] if pmids else None,
            doi=dois[0] if dois else None,
            pmcid=pmcids[0] if pmcids else None,
            journal=(sticky[2] if sticky else None) or header.journal_button or header.inline_journal,
            year=found_date[1] if found_date else None,
            publication_date=publication_date(printed_date, header.epub),
            epub_date=header.epub,
            volume=block.volume if block else None,
            issue=block.issue if block else None,
            pages=block.pages if block else None,
            publication_types=tuple(dict.fromkeys(t for t in types if t)),
            authors=attach_affiliations(listed, affiliations),
            authors_complete=complete,
            affiliations=tuple(dict.fromkeys(affiliations.values())),
            abstract=parts.abstract,
            abstract_sections=parts.abstract_sections,
            keywords=parts.keywords,
            references=parts.references,
            cited_by=parts.cited_by,
            warnings=tuple(warnings),
        )
