"""The last resort for pages no layout recognises: labels, identifier patterns and a title heuristic.

It reads labelled fields (``Journal:``, ``Authors:``, ``Журнал:``), headed sections (``Abstract``,
``Keywords``, ``References``), a citation line (``Stem Cell Res Ther. 2021; 12: 345.``) and the
identifiers of the front matter only, so a DOI from the reference list never becomes the article's.
A title is guessed from the front matter only when something else says the page is an article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from exokg.model import Article, Source
from exokg.sources.authors import (
    ListedName,
    attach_affiliations,
    is_placeholder,
    looks_like_affiliation,
    parse_author_line,
    split_affiliation,
    split_author_field,
)
from exokg.sources.citation_details import YEAR, parse_date, publication_date
from exokg.sources.citation_lines import find_citation_line, read_citation_line
from exokg.sources.identifiers import clean_doi, clean_pmcid, find_dois, find_labelled_dois, find_pmcids, find_pmids
from exokg.sources.labels import Kind, read_field
from exokg.sources.normalise import normalise_range
from exokg.sources.page_parts import read_parts
from exokg.sources.sections import Segment, front_matter, match_heading, segment_lines, segments, split_keywords

NOT_RECOGNISED = "layout not recognised: read with the generic strategy (labels, identifiers, title heuristic)"

_PUBLISHED_ONLINE = re.compile(rf"\b(?:Published online|Epub)\s*:?\s+(?!ahead)(?P<date>{YEAR}[^.;,]*)", re.IGNORECASE)
_CHROME = re.compile(
    r"skip to|official website|government|cookie|javascript|browser|sign in|log ?in\b|subscribe|\bmenu\b"
    r"|navigation|\bsearch\b|download|\bshare\b|permissions|how you know|https?://|www\.|\.gov\b|all rights"
    r"|open access|full text|\bpdf\b|\bprint\b|e-?mail|twitter|facebook|copyright|©|license|received|accepted"
    r"|corresponding author|author information|author links|article notes|disclaimer|overlay|get rights",
    re.IGNORECASE,
)
# "Submission received: ... / Published: 21 January 2020" prints the date inside a longer line.
_PUBLISHED_IN_LINE = re.compile(
    rf"\bPublished:\s*(?P<date>\d{{1,2}}\s+[A-Z][a-z]+\.?\s+{YEAR}|{YEAR}\s+[A-Z][a-z]{{2}}\s+\d{{1,2}})"
)
_REFERENCE_SHAPED = re.compile(rf"^\s*(?:\[\d+\]|\d{{1,3}}\.)\s+.*\b{YEAR}\b")
_MAX_TITLE_WORDS = 60
# Lists whose identifiers belong to other works.
_OTHERS = frozenset({Kind.REFERENCES, Kind.CITED_BY, Kind.OTHER_WORKS})


@dataclass
class _Fields:
    """Labelled fields, first value wins (a page may repeat a label in a footer)."""

    values: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        if value and not is_placeholder(value):
            self.values.setdefault(name, value)

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def _own_lines(lines: Sequence[str], segs: Sequence[Segment]) -> list[str]:
    """Every line outside reference, citing and related-work lists."""
    kept: list[str] = []
    for seg in segs:
        if seg.heading is not None:
            kept.append(lines[seg.line])
        if seg.kind not in _OTHERS:
            kept.extend(lines[seg.start : seg.end])
    return kept


def _title_candidates(front: Sequence[str]) -> str | None:
    """The front-matter line most like a title: followed by authors, repeated, title-sized."""
    texts = [line.strip() for line in front]
    non_empty = [i for i, text in enumerate(texts) if text]
    best: tuple[int, int, str] | None = None
    for rank, index in enumerate(non_empty):
        text = texts[index]
        count = len(text.split())
        if not 3 <= count <= _MAX_TITLE_WORDS or _CHROME.search(text) or read_field(text) or match_heading(text):
            continue
        if parse_author_line(text) or read_citation_line(texts, index) or _REFERENCE_SHAPED.match(text):
            continue
        if find_dois(text) or find_pmids(text) or looks_like_affiliation(text):
            continue
        score = 1 if 4 <= count <= 40 else 0
        # Authors follow a title, sometimes after a line of site furniture ("Author links open ...").
        following = [texts[i] for i in non_empty[rank + 1 : rank + 4]]
        for distance, line in enumerate(following):
            if parse_author_line(line) or (read_field(line) or ("",))[0] == "authors":
                score += 3 - distance
                break
        score += 2 if texts.count(text) > 1 else 0
        score -= 2 if re.search(r"[.!?]\s+\S", text) else 0  # several sentences: prose, not a title
        if best is None or (score, -index) > (best[0], best[1]):
            best = (score, -index, text)
    return best[2] if best and best[0] > 0 else None


def _without_closing_period(title: str | None) -> str | None:
    """A labelled ``Title: Exosomes.`` keeps no closing period; an ellipsis stays."""
    if title and title.endswith(".") and not title.endswith(".."):
        return title[:-1].rstrip() or None
    return title


class GenericLayout:
    """Any page: what labels, headings and identifier patterns show."""

    name = "generic"

    def detect(self, text: str) -> bool:
        return True

    def parse(self, text: str, source: Source) -> Article:
        lines = text.split("\n")
        segs = segments(lines)
        front = front_matter(lines, segs)
        own = _own_lines(lines, segs)
        fields = _Fields()
        for line in own:
            found = read_field(line)
            if found:
                fields.add(*found)
        front_text = "\n".join(line for line in front if not _REFERENCE_SHAPED.match(line))

        doi = self._doi(fields, front_text, own)
        pmid_field = fields.get("pmid")
        pmid = pmid_field if pmid_field and pmid_field.isdigit() else next(iter(find_pmids(front_text)), None)
        pmcid = clean_pmcid(fields.get("pmcid") or "") or next(iter(find_pmcids(front_text)), None)

        citation = find_citation_line(front)
        published = next((m.group("date") for m in map(_PUBLISHED_IN_LINE.search, front) if m), None)
        date_field = fields.get("date") or published
        printed_date = date_field or (citation.date if citation else None) or fields.get("year")
        year_source = date_field or fields.get("year") or (citation.date if citation else None)
        found_year = parse_date(year_source) if year_source else None
        year = found_year[1] if found_year else None
        online = next((m.group("date").strip() for m in map(_PUBLISHED_ONLINE.search, front) if m), None)
        epub = fields.get("epub") or online

        authors, complete = self._authors(fields, lines, segs)
        affiliations = self._affiliations(lines, segs, front)
        parts = read_parts(lines, segs, allow_weak_abstract=False)
        keywords = parts.keywords or (split_keywords(fields.get("keywords") or "") if fields.get("keywords") else ())
        journal = fields.get("journal") or (citation.journal if citation else None)

        is_article = bool(doi or pmid or pmcid or parts.abstract or journal or authors or keywords or parts.references)
        abstract = parts.abstract
        if not abstract and is_article:
            weak = read_parts(lines, segs, allow_weak_abstract=True)
            abstract, sections = weak.abstract, weak.abstract_sections
        else:
            sections = parts.abstract_sections
        title = fields.get("title") or (_title_candidates(front) if is_article else None)
        if not authors and title:
            authors, complete = self._authors_after_title(front, title)
        citations = fields.get("citations")
        return Article(
            source=source,
            layout=self.name,
            title=_without_closing_period(title),
            pmid=pmid,
            doi=doi,
            pmcid=pmcid,
            journal=journal,
            publisher=fields.get("publisher"),
            year=year,
            publication_date=publication_date(printed_date, epub),
            epub_date=epub,
            volume=fields.get("volume") or (citation.volume if citation else None),
            issue=fields.get("issue") or (citation.issue if citation else None),
            pages=normalise_range(fields.get("pages") or "") or (citation.pages if citation else None),
            publication_types=tuple(filter(None, [fields.get("publication_type")])),
            authors=attach_affiliations(authors, affiliations) if authors else (),
            authors_complete=complete,
            affiliations=tuple(dict.fromkeys(affiliations.values())),
            abstract=abstract,
            abstract_sections=sections,
            keywords=keywords,
            references=parts.references,
            cited_by=parts.cited_by,
            citation_count=int(citations) if citations and citations.isdigit() else None,
            warnings=(NOT_RECOGNISED,),
        )

    @staticmethod
    def _doi(fields: _Fields, front_text: str, own: Sequence[str]) -> str | None:
        labelled = clean_doi(fields.get("doi") or "")
        if labelled:
            return labelled
        in_front = find_labelled_dois(front_text) or find_dois(front_text)
        if in_front:
            return in_front[0]
        # A page starting mid-document may still print its DOI on a line of its own further down.
        for line in own:
            if re.match(r"^\s*(?:doi\b|https?://(?:dx\.)?doi\.org/)", line, re.IGNORECASE):
                found = find_labelled_dois(line)
                if found:
                    return found[0]
        return None

    @staticmethod
    def _authors(fields: _Fields, lines: Sequence[str], segs: Sequence[Segment]) -> tuple[list[ListedName], bool]:
        value = fields.get("authors")
        if value:
            names, complete = split_author_field(value)
            return [ListedName(name, ()) for name in names], complete
        listed: list[ListedName] = []
        complete = True
        for part in segment_lines(lines, segs, Kind.AUTHORS):
            for line in part:
                text = line.strip()
                if not text or is_placeholder(text):
                    continue
                parsed = parse_author_line(text)
                if parsed:
                    listed.extend(parsed[0])
                    complete = complete and parsed[1]
                else:
                    names, whole = split_author_field(text)
                    listed.extend(ListedName(name, ()) for name in names)
                    complete = complete and whole
        return listed, complete

    @staticmethod
    def _authors_after_title(front: Sequence[str], title: str) -> tuple[list[ListedName], bool]:
        texts = [line.strip() for line in front]
        if title not in texts:
            return [], True
        following = [t for t in texts[texts.index(title) + 1 :] if t][:3]
        for line in following:
            parsed = parse_author_line(line)
            if parsed:
                return parsed
        return [], True

    @staticmethod
    def _affiliations(lines: Sequence[str], segs: Sequence[Segment], front: Sequence[str]) -> dict[str, str]:
        """Affiliations under their heading, or marked (``1 Department of ...``) in the front matter."""
        found: dict[str, str] = {}
        under_heading = [line for part in segment_lines(lines, segs, Kind.AFFILIATIONS) for line in part]
        for line in under_heading:
            marker, text = split_affiliation(line)
            if looks_like_affiliation(text):
                found.setdefault(marker or str(len(found) + 1), text)
        for line in front:
            marker, text = split_affiliation(line)
            if marker and looks_like_affiliation(text) and not _CHROME.search(text):
                found.setdefault(marker, text)
        return found
