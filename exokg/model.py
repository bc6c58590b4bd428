"""The plain data model between the outside world and RDF.

Parsers return :class:`Article`; later stages read it; only the graph stage turns it into triples.
Everything here is frozen and made of tuples, so records can be hashed, compared and shared safely.
Fields a source does not show are ``None`` or empty: a record never guesses.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Author:
    """A person as listed on the page, in the order of the list."""

    name: str
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None


@dataclass(frozen=True)
class AbstractSection:
    """One labelled part of a structured abstract (``label`` is ``None`` for an unlabelled part)."""

    label: str | None
    text: str


@dataclass(frozen=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True)
class MeshHeading:
    """A MeSH heading of a PubMed record: the descriptor, its unique ID (``D059630``) and qualifiers."""

    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "descriptor": self.descriptor,
            "ui": self.ui,
            "major": self.major,
            "qualifiers": [{"name": q.name, "ui": q.ui, "major": q.major} for q in self.qualifiers],
        }


@dataclass(frozen=True)
class Reference:
    """A work as one entry of a reference list or a citing-articles list shows it."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    authors_complete: bool = True
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "title": self.title,
            "authors": list(self.authors),
            "authors_complete": self.authors_complete,
            "journal": self.journal,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
        }


@dataclass(frozen=True)
class Retrieval:
    """How a fetched file came: the service, the request's URL (without the caller's key or address) and
    when the response was retrieved (ISO 8601, UTC)."""

    service: str
    url: str
    retrieved: str


@dataclass(frozen=True)
class Source:
    """Where a record came from: a saved file (``path`` relative to the corpus), its content hash and,
    for a file fetched from an API, the request that fetched it."""

    name: str
    sha256: str
    retrieval: Retrieval | None = None
    record: int | None = None  # which record of a file holding several (1-based); None for a one-record file

    @property
    def key(self) -> str:
        """The name of this record among all records read: the file name, with ``#n`` for the n-th of several."""
        return self.name if self.record is None else f"{self.name}#{self.record}"


@dataclass(frozen=True)
class Article:
    """One article as a source describes it."""

    source: Source
    layout: str
    title: str | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    journal: str | None = None
    journal_abbreviation: str | None = None
    issn: str | None = None
    publisher: str | None = None
    year: int | None = None
    publication_date: str | None = None
    epub_date: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publication_types: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    authors_complete: bool = True
    affiliations: tuple[str, ...] = ()
    abstract: str | None = None
    abstract_sections: tuple[AbstractSection, ...] = ()
    keywords: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    cited_by: tuple[Reference, ...] = ()
    citation_count: int | None = None
    mesh: tuple[MeshHeading, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        """The record as ``exokg parse --json`` prints it."""
        return {
            "source": self.source.key,
            "layout": self.layout,
            "pmid": self.pmid,
            "doi": self.doi,
            "pmcid": self.pmcid,
            "title": self.title,
            "journal": self.journal,
            "journal_abbreviation": self.journal_abbreviation,
            "issn": self.issn,
            "publisher": self.publisher,
            "year": self.year,
            "publication_date": self.publication_date,
            "epub_date": self.epub_date,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "publication_types": list(self.publication_types),
            "authors": [a.name for a in self.authors],
            "authors_complete": self.authors_complete,
            "affiliations": list(self.affiliations),
            "keywords": list(self.keywords),
            "abstract": self.abstract,
            "abstract_sections": [{"label": s.label, "text": s.text} for s in self.abstract_sections],
            "citation_count": self.citation_count,
            "mesh": [m.to_json() for m in self.mesh],
            "references": [r.to_json() for r in self.references],
            "cited_by": [r.to_json() for r in self.cited_by],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Corpus:
    """What the sources stage hands on: the articles read, and the inputs that could not be read."""

    articles: tuple[Article, ...]
    failures: tuple[InputFailure, ...] = ()


@dataclass(frozen=True)
class InputFailure:
    """An input that could not be read at all, and why, in words a user can act on."""

    source: str
    reason: str


# Claims (issue 3). A claim is a proposition (subject, relation, object, negated); an assertion is one
# article stating it in one sentence. The extractor returns assertions; the graph stage groups them.

RELATIONS = (
    "increases",
    "decreases",
    "treats",
    "protects_against",
    "causes",
    "mediates",
    "contains",
    "has_property",
    "is_a",
)
HEDGE_LEVELS = ("asserted", "probable", "possible", "hypothesised")


@dataclass(frozen=True)
class ConceptRef:
    """A concept a claim is about: a scheme concept (``curated``) or a term minted from the text.

    ``key`` is the concept's local name in the scheme (``msc-exosome``) or, for a minted term, the slug
    of its normalised words; ``label`` is its preferred label; ``text`` the words as the sentence has them.
    ``broader`` is the key of the scheme concept a minted term narrows (``low immunogenicity`` ->
    ``immunogenicity``), so claims about it stay findable from that concept.
    """

    key: str
    label: str
    text: str
    curated: bool = True
    broader: str | None = None


@dataclass(frozen=True)
class Assertion:
    """One sentence of one source asserting one claim, with everything needed to check it.

    ``start``/``end`` are character offsets of ``evidence`` in the source field the ``section`` names
    (the title, the abstract, or the printed reference/citing-article title); ``evidence`` is
    ``field[start:end]`` exactly. ``asserted_by`` is the source record the sentence belongs to: the
    article itself, or the reference / citing-article entry whose title it is (``reference:3``,
    ``cited_by:2``, or ``article``).
    """

    subject: ConceptRef
    relation: str
    object: ConceptRef
    negated: bool
    hedge_level: str
    hedge_cues: tuple[str, ...]
    evidence: str
    start: int
    end: int
    section: str
    asserted_by: str = "article"
    qualifiers: tuple[tuple[str, str], ...] = ()
    method: str = "exokg-rules"

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject.label,
            "relation": self.relation,
            "object": self.object.label,
            "subject_key": self.subject.key,
            "object_key": self.object.key,
            "negated": self.negated,
            "hedged": self.hedge_level != "asserted",
            "hedge_level": self.hedge_level,
            "hedge_cues": list(self.hedge_cues),
            "evidence": self.evidence,
            "evidence_start": self.start,
            "evidence_end": self.end,
            "section": self.section,
            "asserted_by": self.asserted_by,
            "qualifiers": [{"kind": k, "value": v} for k, v in self.qualifiers],
            "method": self.method,
        }


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A block in which Python's cyclic garbage collector does not run.

    Reading a corpus makes these records, their claims and their triples by the million, none of them in
    reference cycles, and every collection of the oldest generation walks all that are alive: at a thousand
    articles that was a fifth of the time. Reference counting still frees everything as usual; cycles made
    meanwhile wait for the next collection after the block. Nested blocks leave the collector as found.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """A block in which the objects alive on entry are left out of Python's cyclic garbage collection.

    Publishing reads a view of the graph (millions of dicts, lists and triples) while it makes pages by
    the thousand, and each collection of the oldest generation would walk the whole view again: at a
    thousand articles that was an eighth of the site's time, and it grows with the graph. Unlike
    :func:`collector_paused`, the collector still runs on what the block makes, so the cycles pages leave
    behind (template contexts) are collected. On leaving, the frozen objects are collectable again; in
    nested blocks the outermost one freezes and thaws.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()

