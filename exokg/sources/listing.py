"""Article-listing sites: a breadcrumb, the title, an overview of colon-less fields, then lists.

::

    » Articles » PMID: 30992990
    Exosomes from Mesenchymal Stem/stromal Cells: a New Therapeutic Paradigm
    Overview
    Journal Biomark Res
    Publisher Biomed Central
    Date 2019 Apr 18
    PMID 30992990
    Citations 189
    Authors / Affiliations / Abstract / Citing Articles / References

The article's identifiers come from the overview (or the breadcrumb) only: the DOIs on such a page
usually belong to the cited and citing works.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from exokg.model import Article, Source
from exokg.sources.authors import (
    ListedName,
    attach_affiliations,
    is_placeholder,
    parse_author_line,
    split_affiliation,
    split_author_field,
)
from exokg.sources.citation_details import parse_date
from exokg.sources.identifiers import clean_doi, clean_pmcid, find_pmcids, find_pmids
from exokg.sources.labels import Kind, read_field
from exokg.sources.page_parts import read_parts
from exokg.sources.sections import front_matter, match_heading, segment_lines, segments

_MIN_FIELDS = 3
_DETECT_WINDOW = 60
_BREADCRUMB = re.compile(r"[»\u203a]|\s>\s|^\s*home\b", re.IGNORECASE)
_OVERVIEW = re.compile(r"^\s*(?:overview|details|article details|article information|summary)\s*$", re.IGNORECASE)


def _overview_fields(front: Sequence[str]) -> tuple[dict[str, str], int | None]:
    """Colon-less fields of the front matter and the index of the first one."""
    fields: dict[str, str] = {}
    first: int | None = None
    for index, line in enumerate(front):
        found = read_field(line, colon_required=False)
        if found and not is_placeholder(found[1]):
            fields.setdefault(*found)
            first = index if first is None else first
    return fields, first


def _title(front: Sequence[str], first_field: int | None) -> str | None:
    """The last paragraph above the overview that is not a breadcrumb or the overview's heading."""
    paragraphs: list[list[str]] = [[]]
    for line in front[: first_field if first_field is not None else len(front)]:
        text = line.strip()
        if not text:
            paragraphs.append([])
        elif not (_BREADCRUMB.search(text) or _OVERVIEW.match(text) or match_heading(text)):
            paragraphs[-1].append(text)
    candidates = [" ".join(p) for p in paragraphs if p]
    return candidates[-1] if candidates else None


class ListingLayout:
    """An article page of a listing site with an overview of colon-less labelled fields."""

    name = "listing"

    def detect(self, text: str) -> bool:
        # Three or more colon-less "Label value" lines near the top: the overview table of such sites.
        head = text.split("\n")[:_DETECT_WINDOW]
        colonless = [
            found for line in head if read_field(line) is None and (found := read_field(line, colon_required=False))
        ]
        return len({name for name, _ in colonless}) >= _MIN_FIELDS

    def parse(self, text: str, source: Source) -> Article:
        lines = text.split("\n")
        segs = segments(lines)
        front = front_matter(lines, segs)
        fields, first_field = _overview_fields(front)
        crumbs = "\n".join(line for line in front[: first_field or 0] if _BREADCRUMB.search(line))

        pmid = fields.get("pmid") if (fields.get("pmid") or "").isdigit() else None
        pmid = pmid or next(iter(find_pmids(crumbs)), None)
        pmcid = clean_pmcid(fields.get("pmcid") or "") or next(iter(find_pmcids(crumbs)), None)
        date = fields.get("date")
        found_date = parse_date(date or fields.get("year") or "")
        citations = fields.get("citations", "").replace(",", "")

        listed: list[ListedName] = []
        complete = True
        for part in segment_lines(lines, segs, Kind.AUTHORS):
            for line in part:
                if not line.strip() or is_placeholder(line):
                    continue
                parsed = parse_author_line(line)
                names, whole = ([n.name for n in parsed[0]], parsed[1]) if parsed else split_author_field(line)
                listed.extend(ListedName(name, ()) for name in names)
                complete = complete and whole
        affiliations: dict[str, str] = {}
        for part in segment_lines(lines, segs, Kind.AFFILIATIONS):
            for line in part:
                marker, value = split_affiliation(line)
                if value and not is_placeholder(value):
                    affiliations.setdefault(marker or str(len(affiliations) + 1), value)

        parts = read_parts(lines, segs)
        return Article(
            source=source,
            layout=self.name,
            title=_title(front, first_field),
            pmid=pmid,
            doi=clean_doi(fields.get("doi") or ""),
            pmcid=pmcid,
            journal=fields.get("journal"),
            publisher=fields.get("publisher"),
            year=found_date[1] if found_date else None,
            publication_date=date,
            volume=fields.get("volume"),
            issue=fields.get("issue"),
            pages=fields.get("pages"),
            authors=attach_affiliations(listed, affiliations),
            authors_complete=complete,
            affiliations=tuple(dict.fromkeys(affiliations.values())),
            abstract=parts.abstract,
            abstract_sections=parts.abstract_sections,
            keywords=parts.keywords,
            references=parts.references,
            cited_by=parts.cited_by,
            citation_count=int(citations) if citations.isdigit() else None,
        )
