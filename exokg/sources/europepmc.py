"""Europe PMC REST responses (``format=json``) as :class:`~exokg.model.Article` and
:class:`~exokg.model.Reference` records: pure parsing, no HTTP.

``/search`` answers with ``hitCount``, ``nextCursorMark`` (absent when there is no next page) and
``resultList.result[]`` in one of two shapes: ``resultType=lite`` gives flat fields (``journalTitle``,
``journalVolume``, ``authorString``, ``pubType`` as a ``;``-joined string); ``resultType=core`` nests the
journal in ``journalInfo``, lists ``authorList.author[]`` with ORCIDs and affiliations, and adds the
abstract (HTML: ``<h4>Label</h4>`` headings, ``<i>``, ``<sub>``, and unescaped ``<`` in ``p < .001``),
keywords and MeSH headings (names only: Europe PMC gives no MeSH UIs). ``/{source}/{id}/references`` and
``/citations`` give ``referenceList.reference[]`` / ``citationList.citation[]`` entries with an ``id``
whose ``source`` says what it is (``MED`` a PMID, ``PMC`` a PMCID, ``PPR`` a preprint). Europe PMC
writes a one-item list as a bare object at times (``authorId``), so every list read here takes either.
Titles lose the closing period MEDLINE gives every title, as in the PubMed parsers.

The generic readers at the bottom (:class:`JsonObject`, :func:`citation_text`, :func:`abstract_from_parts`)
serve the Crossref parser as well.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from exokg.model import AbstractSection, Article, Author, MeshHeading, MeshQualifier, Reference, Source
from exokg.sources.api_json import (
    BLOCK_TAG,
    INLINE_TAG,
    JsonObject,
    abstract_from_parts,
    citation_text,
    first_issn,
    markup_text,
    normalise_orcid,
    split_author_string,
    title_text,
    unique,
    year_of,
)
from exokg.sources.citation_details import iso_to_citation_date, parse_date, publication_date
from exokg.sources.identifiers import clean_doi, clean_pmcid
from exokg.sources.normalise import normalise_range, squash

LAYOUT = "europepmc"
_API = "Europe PMC"

_HEADING = re.compile(r"<h[1-6]\b[^<>]*>(.*?)</h[1-6]\s*>", re.IGNORECASE | re.DOTALL)
# Only tags HTML abstracts use: a bare "<" in the text ("p < .001", "<1 year") is text.
# Europe PMC fills the issue with "Forthcoming" for articles not yet in an issue: no issue at all.
_NO_ISSUE = frozenset({"forthcoming"})


@dataclass(frozen=True)
class SearchPage:
    """One page of ``/search`` results; ``next_cursor_mark`` is ``None`` on the last page."""

    hit_count: int
    next_cursor_mark: str | None
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class ReferencePage:
    """One page of a ``/references`` or ``/citations`` list.

    ``offset`` and ``page_size`` are the ``request`` echo as sent back. The echo has no page number, and
    its ``offSet`` is 1 on page 1 of a references list but 0 on page 1 of a citations list, so ``page``
    is ``offset // page_size + 1``, which reads both as page 1; a client should count pages itself.
    """

    hit_count: int
    page: int | None
    page_size: int | None
    offset: int | None
    references: tuple[Reference, ...]


def parse_search(doc: object, source: Source) -> SearchPage:
    """A ``/search`` response (``resultType`` lite or core, mixed freely) as articles."""
    root = JsonObject.root(doc, source, f"{_API} search response")
    results = root.required_child("resultList")
    return SearchPage(
        hit_count=root.required_integer("hitCount"),
        next_cursor_mark=root.text("nextCursorMark"),
        articles=tuple(_article(record, source) for record in results.children("result", required=True)),
    )


def parse_references(doc: object, source: Source) -> ReferencePage:
    """A ``/{source}/{id}/references`` response: the works the article cites, in its order."""
    return _reference_page(doc, source, "references", "referenceList", "reference")


def parse_citations(doc: object, source: Source) -> ReferencePage:
    """A ``/{source}/{id}/citations`` response: works that cite the article (preprints included)."""
    return _reference_page(doc, source, "citations", "citationList", "citation")


def _reference_page(doc: object, source: Source, what: str, list_key: str, item_key: str) -> ReferencePage:
    root = JsonObject.root(doc, source, f"{_API} {what} response")
    request = root.child("request")
    offset = request.integer("offSet") if request else None
    page_size = request.integer("pageSize") if request else None
    page = offset // page_size + 1 if offset is not None and page_size else None
    listing = root.child(list_key)
    entries = listing.children(item_key) if listing else []
    return ReferencePage(
        hit_count=root.required_integer("hitCount"),
        page=page,
        page_size=page_size,
        offset=offset,
        references=tuple(_reference(entry) for entry in entries),
    )


def _reference(entry: JsonObject) -> Reference:
    """One reference or citing work; ``text`` is built by :func:`citation_text` from its fields, with the
    ``authorString`` as printed (``Carfi A, Landi F; Gemelli Study Group``)."""
    kind = (entry.text("source") or "").upper()
    ident = entry.text("id")
    pmid = ident if kind == "MED" and ident and ident.isdigit() else None
    pmcid = clean_pmcid(ident) if kind == "PMC" and ident else None
    author_string = entry.text("authorString")
    authors, complete = split_author_string(author_string)
    title = title_text(entry.text("title"))
    journal = entry.text("journalAbbreviation") or entry.text("journalTitle")
    year = year_of(entry.text("pubYear"))
    volume, issue = entry.text("volume"), _issue(entry.text("issue"))
    pages = _pages(entry.text("pageInfo"))
    doi = clean_doi(entry.text("doi") or "")
    return Reference(
        text=citation_text(
            (author_string or "").removesuffix("."),
            title,
            journal,
            year,
            volume,
            issue,
            pages,
            doi=doi,
            pmid=pmid,
            pmcid=pmcid,
        ),
        title=title,
        authors=authors,
        authors_complete=complete,
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        pages=pages,
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
    )


def _article(record: JsonObject, source: Source) -> Article:
    info = record.child("journalInfo")
    if info is not None:  # resultType=core
        journal = info.child("journal")
        journal_title = journal.text("title") if journal else None
        abbreviation = (journal.text("isoabbreviation") or journal.text("medlineAbbreviation")) if journal else None
        issns: tuple[str | None, ...] = (journal.text("issn"), journal.text("essn")) if journal else ()
        volume, issue = info.text("volume"), info.text("issue")
        printed = info.text("dateOfPublication")
        if not printed or not parse_date(printed):
            iso = info.text("printPublicationDate") or record.text("firstPublicationDate")
            printed = iso_to_citation_date(iso) if iso else None
        types = record.child("pubTypeList")
        publication_types = types.texts("pubType") if types else ()
    else:  # resultType=lite
        journal_title, abbreviation = record.text("journalTitle"), None
        issns = tuple((record.text("journalIssn") or "").split(";"))
        volume, issue = record.text("journalVolume"), record.text("issue")
        first = record.text("firstPublicationDate")
        printed = iso_to_citation_date(first) if first else None
        publication_types = tuple(t.strip() for t in (record.text("pubType") or "").split(";"))
    epub_iso = record.text("electronicPublicationDate")
    epub = iso_to_citation_date(epub_iso) if epub_iso else None
    date = publication_date(printed, epub)
    found = parse_date(date) if date else None
    authors, complete = _authors(record)
    abstract, sections = _abstract(record.text("abstractText", squashed=False))
    keywords = record.child("keywordList")
    affiliations = unique(a for author in authors for a in author.affiliations)
    own_affiliation = record.text("affiliation")
    return Article(
        source=source,
        layout=LAYOUT,
        title=title_text(record.text("title")),
        pmid=_digits(record.text("pmid")),
        doi=clean_doi(record.text("doi") or ""),
        pmcid=clean_pmcid(record.text("pmcid") or ""),
        journal=journal_title,
        journal_abbreviation=abbreviation,
        issn=first_issn(issns),
        year=year_of(record.text("pubYear")) or (found[1] if found else None),
        publication_date=date,
        epub_date=epub,
        volume=volume,
        issue=_issue(issue),
        pages=_pages(record.text("pageInfo")),
        publication_types=unique(t for t in publication_types if t),
        authors=authors,
        authors_complete=complete,
        affiliations=affiliations or ((own_affiliation,) if own_affiliation else ()),
        abstract=abstract,
        abstract_sections=sections,
        keywords=unique(markup_text(k) for k in keywords.texts("keyword")) if keywords else (),
        citation_count=record.integer("citedByCount"),
        mesh=_mesh(record),
    )


def _authors(record: JsonObject) -> tuple[tuple[Author, ...], bool]:
    listing = record.child("authorList")
    if listing is None:
        names, complete = split_author_string(record.text("authorString"))
        return tuple(Author(name) for name in names), complete
    authors = []
    for entry in listing.children("author"):
        name = entry.text("fullName") or entry.text("collectiveName")
        if not name:
            continue
        orcid = next(
            (
                normalise_orcid(ident.text("value") or "")
                for ident in entry.children("authorId")
                if (ident.text("type") or "").upper() == "ORCID"
            ),
            None,
        )
        details = entry.child("authorAffiliationDetailsList")
        places = details.children("authorAffiliation") if details else []
        affiliations = unique(place.text("affiliation") for place in places)
        authors.append(Author(name, affiliations, orcid))
    return tuple(authors), True


def _mesh(record: JsonObject) -> tuple[MeshHeading, ...]:
    listing = record.child("meshHeadingList")
    if listing is None:
        return ()
    headings = []
    for entry in listing.children("meshHeading"):
        descriptor = entry.text("descriptorName")
        if not descriptor:
            continue
        qualifiers = entry.child("meshQualifierList")
        headings.append(
            MeshHeading(
                descriptor=descriptor,
                major=entry.text("majorTopic_YN") == "Y",
                qualifiers=tuple(
                    MeshQualifier(name=name, major=q.text("majorTopic_YN") == "Y")
                    for q in (qualifiers.children("meshQualifier") if qualifiers else [])
                    if (name := q.text("qualifierName"))
                ),
            )
        )
    return tuple(headings)


def _abstract(markup: str | None) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """Text and sections of an HTML abstract; ``<h4>`` headings label the parts that follow them."""
    if not markup or not markup.strip():
        return None, ()
    pieces = _HEADING.split(markup)  # [before, label, body, label, body, ...]
    parts: list[tuple[str | None, list[str]]] = [(None, _paragraphs(pieces[0]))]
    for at in range(1, len(pieces), 2):
        label = (markup_text(pieces[at]) or "").rstrip(" :.") or None
        parts.append((label, _paragraphs(pieces[at + 1])))
    return abstract_from_parts(parts)


def _paragraphs(markup: str) -> list[str]:
    text = INLINE_TAG.sub("", BLOCK_TAG.sub("\n", markup))
    return [line for line in (squash(html.unescape(line)) for line in text.split("\n")) if line]


def _issue(value: str | None) -> str | None:
    return None if value is None or value.casefold() in _NO_ISSUE else value


def _pages(value: str | None) -> str | None:
    return (normalise_range(value) or None) if value else None


def _digits(value: str | None) -> str | None:
    return value if value and value.isdigit() else None


# Readers shared with the Crossref parser.


