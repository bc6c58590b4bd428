"""Saved HTML pages: Highwire Press ``citation_*`` meta tags first, the page's text for the rest.

PubMed, PMC and most publishers describe the article in ``<meta name="citation_*">`` tags. When a
page has them, they give the metadata (layout ``html-meta``) and the page's text fills what they
leave out (abstract, reference list ...). Without them the HTML is turned into text and the text
layouts read it as if the page had been copied from a browser.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from exokg.model import Article, Author, Reference, Source
from exokg.sources.citation_details import iso_to_citation_date, parse_date
from exokg.sources.generic import NOT_RECOGNISED
from exokg.sources.html_text import HtmlPage, looks_like_html, read_html
from exokg.sources.identifiers import clean_doi, clean_pmcid
from exokg.sources.inline_labels import inline_sections
from exokg.sources.normalise import normalise_range, normalise_text, squash
from exokg.sources.references import parse_reference
from exokg.sources.sections import split_keywords

if TYPE_CHECKING:
    from exokg.sources.registry import LayoutRegistry

NO_META = "saved HTML page without citation_* meta tags: read from its text"
_REFERENCE_FIELD = re.compile(r"(citation_[a-z_]+)\s*=\s*([^;]*)")
_EMPTY: tuple[object, ...] = (None, (), "")


def _authors(page: HtmlPage) -> tuple[Author, ...]:
    """``citation_author`` tags with the institution and ORCID tags that follow each one."""
    authors: list[tuple[str, list[str], str | None]] = []
    for name, content in page.meta:
        value = squash(content)
        if name == "citation_author" and value:
            authors.append((value, [], None))
        elif authors and value and name in ("citation_author_institution", "citation_author_affiliation"):
            authors[-1][1].append(value)
        elif authors and value and name == "citation_author_orcid":
            orcid = re.search(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", value)
            authors[-1] = (authors[-1][0], authors[-1][1], orcid.group() if orcid else None)
    if not authors:
        # Some sites put every author in one tag: citation_authors="Long R; Wang S".
        listed = [name for content in page.values("citation_authors") for name in content.split(";")]
        listed = listed or page.values("dc.creator", "dc.contributor")
        return tuple(Author(squash(name)) for name in listed if name.strip())
    return tuple(Author(name, tuple(dict.fromkeys(affs)), orcid) for name, affs, orcid in authors)


def _meta_reference(content: str) -> Reference:
    """A ``citation_reference`` tag: ``citation_title=...; citation_author=...`` or a plain citation."""
    pairs = _REFERENCE_FIELD.findall(content)
    if not pairs:
        return parse_reference(content)
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        if value.strip():
            values.setdefault(key, []).append(squash(value))

    def one(*keys: str) -> str | None:
        return next((values[k][0] for k in keys if k in values), None)

    year = parse_date(one("citation_year", "citation_publication_date", "citation_date") or "")
    first, last = one("citation_firstpage"), one("citation_lastpage")
    return Reference(
        text=squash(content),
        title=one("citation_title", "citation_article_title"),
        authors=tuple(values.get("citation_author", [])),
        journal=one("citation_journal_title", "citation_journal_abbrev"),
        year=year[1] if year else None,
        volume=one("citation_volume"),
        issue=one("citation_issue"),
        pages=normalise_range(f"{first}-{last}") if first and last else first,
        doi=clean_doi(one("citation_doi") or ""),
        pmid=one("citation_pmid"),
        pmcid=clean_pmcid(one("citation_pmcid") or "") if one("citation_pmcid") else None,
    )


def article_from_meta(page: HtmlPage, source: Source, layout: str) -> Article:
    """The article the ``citation_*`` (and Dublin Core) tags describe."""
    date = page.first(
        "citation_publication_date", "citation_date", "citation_cover_date", "dc.date", "prism.publicationdate"
    )
    online = page.first("citation_online_date")
    printed = iso_to_citation_date(date) if date else None
    found_year = parse_date(printed or page.first("citation_year") or "")
    first, last = page.first("citation_firstpage"), page.first("citation_lastpage")
    abstract_html = page.first("citation_abstract", "dc.description")
    abstract = squash(read_html(abstract_html).text) if abstract_html and "<" in abstract_html else abstract_html
    keywords = tuple(
        dict.fromkeys(k for content in page.values("citation_keywords", "keywords") for k in split_keywords(content))
    )
    doi = clean_doi(page.first("citation_doi", "prism.doi", "dc.identifier") or "")
    pmid = page.first("citation_pmid")
    pmcid = page.first("citation_pmcid")
    article_type = page.first("citation_article_type")
    return Article(
        source=source,
        layout=layout,
        title=squash(page.first("citation_title", "dc.title") or "") or None,
        pmid=pmid if pmid and pmid.isdigit() else None,
        doi=doi,
        pmcid=clean_pmcid(pmcid) if pmcid else None,
        journal=page.first("citation_journal_title", "citation_journal_abbrev", "prism.publicationname"),
        publisher=page.first("citation_publisher", "dc.publisher"),
        year=found_year[1] if found_year else None,
        publication_date=printed,
        epub_date=iso_to_citation_date(online) if online else None,
        volume=page.first("citation_volume", "prism.volume"),
        issue=page.first("citation_issue", "prism.number"),
        pages=normalise_range(f"{first}-{last}") if first and last else first,
        publication_types=(article_type,) if article_type else (),
        authors=_authors(page),
        affiliations=tuple(dict.fromkeys(a for author in _authors(page) for a in author.affiliations)),
        abstract=abstract or None,
        abstract_sections=inline_sections(abstract),
        keywords=keywords,
        references=tuple(_meta_reference(c) for c in page.values("citation_reference") if c.strip()),
    )


def fill_gaps(primary: Article, secondary: Article) -> Article:
    """``primary`` with its empty fields taken from ``secondary`` (the page text's reading)."""
    changes: dict[str, object] = {}
    for spec in dataclasses.fields(Article):
        if spec.name in ("source", "layout", "warnings", "authors_complete", "abstract_sections"):
            continue
        if getattr(primary, spec.name) in _EMPTY and getattr(secondary, spec.name) not in _EMPTY:
            changes[spec.name] = getattr(secondary, spec.name)
    if "authors" in changes:
        changes["authors_complete"] = secondary.authors_complete
    if "abstract" in changes:
        changes["abstract_sections"] = secondary.abstract_sections
    return dataclasses.replace(primary, **changes)  # type: ignore[arg-type]


class HtmlPageLayout:
    """Any saved HTML page; the text layouts of ``registry`` read its text."""

    name = "html-meta"

    def __init__(self, registry: LayoutRegistry) -> None:
        self._registry = registry

    def detect(self, text: str) -> bool:
        return looks_like_html(text)

    def parse(self, text: str, source: Source) -> Article:
        page = read_html(text)
        body = normalise_text(page.text)
        from_text = self._registry.parse(body, source, skip=(self.name,))
        if not any(name.startswith("citation_") for name, _ in page.meta):
            return dataclasses.replace(from_text, warnings=(*from_text.warnings, NO_META))
        from_meta = article_from_meta(page, source, self.name)
        # The printed reference list keeps each entry's text as the reader saw it: prefer it.
        if from_text.references:
            from_meta = dataclasses.replace(from_meta, references=())
        merged = fill_gaps(from_meta, from_text)
        kept = tuple(w for w in from_text.warnings if w != NOT_RECOGNISED)
        return dataclasses.replace(merged, warnings=kept)
