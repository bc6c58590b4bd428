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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from exokg.errors import InputError
from exokg.model import AbstractSection, Article, Author, MeshHeading, MeshQualifier, Reference, Source
from exokg.sources.citation_details import iso_to_citation_date, parse_date, publication_date
from exokg.sources.identifiers import clean_doi, clean_pmcid
from exokg.sources.inline_labels import inline_sections, split_inline
from exokg.sources.normalise import normalise_range, squash

LAYOUT = "europepmc"
_API = "Europe PMC"

_HEADING = re.compile(r"<h[1-6]\b[^<>]*>(.*?)</h[1-6]\s*>", re.IGNORECASE | re.DOTALL)
# Only tags HTML abstracts use: a bare "<" in the text ("p < .001", "<1 year") is text.
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6])\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|sup|sub|sc|span|a|font|small|big|tt|strike|s|del|ins|mark|abbr|cite|code)\b[^<>]*>",
    re.IGNORECASE,
)
_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?$", re.IGNORECASE)
_ISSN = re.compile(r"\d{4}-\d{3}[\dX]")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_YEAR = re.compile(r"^\s*(\d{4})")
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
    text = _INLINE_TAG.sub("", _BLOCK_TAG.sub("\n", markup))
    return [line for line in (squash(html.unescape(line)) for line in text.split("\n")) if line]


def markup_text(value: str | None) -> str | None:
    """A title or keyword without its inline HTML, entities unescaped, whitespace squashed."""
    if value is None:
        return None
    return squash(html.unescape(_INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", value)))) or None


def _issue(value: str | None) -> str | None:
    return None if value is None or value.casefold() in _NO_ISSUE else value


def _pages(value: str | None) -> str | None:
    return (normalise_range(value) or None) if value else None


def _digits(value: str | None) -> str | None:
    return value if value and value.isdigit() else None


# Readers shared with the Crossref parser.


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty values in order, without repeats."""
    return tuple(dict.fromkeys(v for v in values if v))


def year_of(value: str | None) -> int | None:
    """The year a field starts with (``2011``, ``2011a``); ``0`` or ``n.d.`` is no year."""
    match = _YEAR.match(value or "")
    year = int(match.group(1)) if match else 0
    return year if year >= 1000 else None


def first_issn(values: Iterable[str | None]) -> str | None:
    """The first ISSN-shaped value, with an upper-case check digit (``1474-547X``)."""
    for value in values:
        issn = squash(value or "").upper()
        if _ISSN.fullmatch(issn):
            return issn
    return None


def normalise_orcid(value: str) -> str | None:
    """``https://orcid.org/0000-0001-7542-0286`` or the bare id as ``0000-0001-7542-0286``."""
    match = _ORCID.search(value.upper())
    return match.group() if match else None


def split_author_string(value: str | None) -> tuple[tuple[str, ...], bool]:
    """``"Carfi A, Landi F; Gemelli Study Group."`` as names, and whether the list is complete."""
    text = squash(value or "").removesuffix(".")
    et_al = _ET_AL.search(text)
    if et_al:
        text = text[: et_al.start()]
    names = unique(name.strip() for name in re.split(r"\s*[,;]\s+", text))
    return names, et_al is None


def title_text(value: str | None) -> str | None:
    """A title without inline markup and without the one closing period MEDLINE ends every title with
    (the PubMed XML parser and the reference-entry parser drop it too); ``...`` and ``?`` stay."""
    title = markup_text(value)
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title or None


def citation_text(
    authors: str | None,
    title: str | None,
    journal: str | None,
    year: int | None,
    volume: str | None,
    issue: str | None,
    pages: str | None,
    *,
    doi: str | None = None,
    pmid: str | None = None,
    pmcid: str | None = None,
) -> str:
    """A Vancouver-style entry from structured fields, in the form the reference parser reads back:

    ``Sharfstein JM, Becker SJ. Diagnostic Testing. JAMA. 2020;323(15):1437-1438. doi: 10.x/y. PMID: 1.``
    Missing fields are left out with their punctuation; nothing is added that the fields do not say.
    """
    numbers = (volume or "") + (f"({issue})" if issue else "")
    if year:
        block = str(year) + (f";{numbers}" if numbers else "") + (f":{pages}" if pages else "")
    else:
        block = numbers + (f":{pages}" if numbers and pages else pages or "")
    parts = [
        authors or "",
        title or "",
        journal or "",
        block,
        f"doi: {doi}" if doi else "",
        f"PMID: {pmid}" if pmid else "",
        f"PMCID: {pmcid}" if pmcid else "",
    ]
    return " ".join(part if part[-1] in ".?!" else part + "." for part in parts if part)


def abstract_from_parts(
    parts: Iterable[tuple[str | None, list[str]]],
) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """Abstract text and sections from ``(label, paragraphs)`` parts, as the page parsers give them.

    Without labels the paragraphs are the text (one per line) and inline labels (``BACKGROUND: ...``)
    make the sections; with labels each part is one ``Label: text`` line and one section (split further
    where the part holds inline labels of its own).
    """
    kept = [(label, paragraphs) for label, paragraphs in parts if paragraphs]
    if not kept:
        return None, ()
    if all(label is None for label, _ in kept):
        text = "\n".join(p for _, paragraphs in kept for p in paragraphs)
        return text, inline_sections(text)
    joined = [(label, " ".join(paragraphs)) for label, paragraphs in kept]
    text = "\n".join(f"{label}: {body}" if label else body for label, body in joined)
    split = [part for label, body in joined for part in split_inline(body, label)]
    return text, tuple(AbstractSection(label, body) for label, body in split)


@dataclass(frozen=True)
class JsonObject:
    """One object of a decoded JSON response, read field by field with the types a parser needs.

    A field of the wrong type raises :class:`~exokg.errors.InputError` naming the saved response, the
    API and the field's path (``resultList.result[3].authorList``), so a changed or truncated response is
    reported instead of surfacing as a ``KeyError``. Absent and ``null`` fields read as ``None`` or empty.
    """

    data: Mapping[str, Any]
    path: str
    origin: str

    @classmethod
    def root(cls, doc: object, source: Source, what: str) -> JsonObject:
        origin = f"{source.name}: {what}"
        if not isinstance(doc, dict):
            raise InputError(f"{origin} is not a JSON object (found {_kind(doc)})", hint=_HINT)
        return cls(doc, "", origin)

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> InputError:
        return InputError(f"{self.origin}: field `{self._at(key)}` {problem}", hint=_HINT)

    def _object(self, value: object, path: str) -> JsonObject:
        if not isinstance(value, dict):
            raise InputError(f"{self.origin}: field `{path}` is not an object (found {_kind(value)})", hint=_HINT)
        return JsonObject(value, path, self.origin)

    def child(self, key: str) -> JsonObject | None:
        value = self.data.get(key)
        return None if value is None else self._object(value, self._at(key))

    def required_child(self, key: str) -> JsonObject:
        if self.data.get(key) is None:
            raise self.error(key, "is missing")
        return self._object(self.data[key], self._at(key))

    def children(self, key: str, *, required: bool = False) -> list[JsonObject]:
        """A list of objects; a bare object counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, "is missing")
            return []
        if isinstance(value, dict):
            return [self._object(value, self._at(key))]
        if not isinstance(value, list):
            raise self.error(key, f"is not a list (found {_kind(value)})")
        return [self._object(item, f"{self._at(key)}[{n}]") for n, item in enumerate(value)]

    def text(self, key: str, *, squashed: bool = True) -> str | None:
        """A string (numbers are read as their digits); empty is ``None``."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"is not a string (found {_kind(value)})")
        text = str(value)
        return (squash(text) if squashed else text.strip()) or None

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of strings; a bare string counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            raise self.error(key, "is not a list of strings")
        return unique(squash(item) for item in items)

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"is not a whole number (found {_kind(value)})")
        return value

    def required_integer(self, key: str) -> int:
        value = self.integer(key)
        if value is None:
            raise self.error(key, "is missing")
        return value


_HINT = "the response was not the JSON this API documents; save it whole (format=json) and try again"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)
