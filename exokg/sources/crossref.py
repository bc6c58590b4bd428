"""Crossref REST responses (``api.crossref.org``) as :class:`~exokg.model.Article` records: pure parsing.

``/works/{doi}`` answers ``{"status": "ok", "message-type": "work", "message": {...}}``; ``/works?query=``
answers ``message-type`` ``work-list`` with ``items``, ``total-results`` and, when ``cursor=*`` was
sent, ``next-cursor``. A work gives its title and container title as lists, dates as ``date-parts``
(``[[2012, 3]]``, or ``[[null]]`` when unknown), the abstract as a JATS XML string, authors with
``given``/``family``, an ORCID URL and ``affiliation[].name``, and, when the publisher deposited them
and made them open, ``reference[]`` entries: a ``DOI``, an ``unstructured`` citation string, or
structured fields (``article-title``, ``journal-title``, the first ``author``, ``year``, ``volume``,
``first-page``), in any mix. ``reference`` is absent when none were deposited (``reference-count`` 0).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from exokg.model import AbstractSection, Article, Author, Reference, Source
from exokg.sources.api_json import (
    JsonObject,
    abstract_from_parts,
    citation_text,
    first_issn,
    normalise_orcid,
    title_text,
    unique,
    year_of,
)
from exokg.sources.citation_details import iso_to_citation_date
from exokg.sources.identifiers import clean_doi
from exokg.sources.labels import Kind, heading_key, heading_kind
from exokg.sources.normalise import normalise_range, squash
from exokg.sources.references import parse_reference

LAYOUT = "crossref"
_API = "Crossref"

# The date a work keeps is the most precise of these; on a tie, the first listed.
_DATE_FIELDS = ("published-print", "published-online", "issued", "published")
_STRUCTURED = ("article-title", "journal-title", "author", "year", "volume", "first-page")

_TITLE = re.compile(r"<(?:jats:)?title\b[^<>]*>(.*?)</(?:jats:)?title\s*>", re.DOTALL)
_BLOCK = re.compile(r"</?(?:jats:)?(?:p|sec|list|list-item|def-list|disp-quote|caption|fig|table-wrap|break)\b[^<>]*>")
# JATS escapes "<" in text, so anything tag-shaped is markup (jats:italic, mml:math, sub, i ...).
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")


@dataclass(frozen=True)
class WorksPage:
    """One page of a ``/works`` query; ``next_cursor`` is ``None`` when no cursor was asked for."""

    total_results: int
    items_per_page: int | None
    next_cursor: str | None
    articles: tuple[Article, ...]


def parse_work(doc: object, source: Source) -> Article:
    """A ``/works/{doi}`` response as one article (``layout="crossref"``)."""
    root = _envelope(doc, source, "work", "work response")
    return _work(root.required_child("message"), source)


def parse_works_page(doc: object, source: Source) -> WorksPage:
    """A ``/works?query=...`` response as one page of articles."""
    root = _envelope(doc, source, "work-list", "works response")
    message = root.required_child("message")
    return WorksPage(
        total_results=message.required_integer("total-results"),
        items_per_page=message.integer("items-per-page"),
        next_cursor=message.text("next-cursor"),
        articles=tuple(_work(item, source) for item in message.children("items", required=True)),
    )


def _envelope(doc: object, source: Source, message_type: str, what: str) -> JsonObject:
    root = JsonObject.root(doc, source, f"{_API} {what}")
    status = root.text("status")
    if status != "ok":
        raise root.error("status", f"is {status!r}, not 'ok'")
    found = root.text("message-type")
    if found != message_type:
        raise root.error("message-type", f"is {found!r}, not {message_type!r}")
    return root


def _work(work: JsonObject, source: Source) -> Article:
    dates = {name: _date_parts(work, name) for name in _DATE_FIELDS}
    best = max((parts for parts in dates.values() if parts), key=len, default=None)
    online = dates["published-online"]
    authors = _authors(work)
    abstract, sections = _abstract(work.text("abstract", squashed=False))
    return Article(
        source=source,
        layout=LAYOUT,
        title=_first(work.texts("title")),
        doi=clean_doi(work.text("DOI") or ""),
        journal=_first(work.texts("container-title")),
        journal_abbreviation=_first(work.texts("short-container-title")),
        issn=first_issn(work.texts("ISSN")),
        publisher=work.text("publisher"),
        year=best[0] if best else None,
        publication_date=_printed(best) if best else None,
        epub_date=_printed(online) if online else None,
        volume=work.text("volume"),
        issue=work.text("issue"),
        pages=_pages(work.text("page") or work.text("article-number")),
        publication_types=unique([work.text("type")]),
        authors=authors,
        affiliations=unique(a for author in authors for a in author.affiliations),
        abstract=abstract,
        abstract_sections=sections,
        keywords=unique(_plain(s) for s in work.texts("subject")),
        references=tuple(r for entry in work.children("reference") if (r := _reference(entry)) is not None),
        citation_count=work.integer("is-referenced-by-count"),
        warnings=_updates(work),
    )


def _date_parts(work: JsonObject, name: str) -> tuple[int, ...]:
    """``[[2012, 3]]`` as ``(2012, 3)``; unknown parts (``[[null]]``) end the date."""
    holder = work.child(name)
    if holder is None:
        return ()
    raw = holder.data.get("date-parts")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise holder.error("date-parts", "is not a list of lists")
    parts: list[int] = []
    for value in raw[0] if raw else []:
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            break
        parts.append(value)
    return tuple(parts[:3]) if parts and parts[0] >= 1000 else ()


def _printed(parts: tuple[int, ...]) -> str:
    """``(2010, 3, 24)`` as ``2010 Mar 24``, the form citation lines print."""
    return iso_to_citation_date("-".join(str(p) for p in parts))


def _authors(work: JsonObject) -> tuple[Author, ...]:
    """Authors in list order, those marked ``sequence: first`` before the ``additional`` ones."""
    people: list[tuple[bool, Author]] = []
    for entry in work.children("author"):
        name = squash(" ".join(p for p in (entry.text("given"), entry.text("family")) if p)) or entry.text("name")
        if not name:
            continue
        orcid = normalise_orcid(entry.text("ORCID") or "")
        affiliations = unique(place.text("name") for place in entry.children("affiliation"))
        people.append((entry.text("sequence") != "first", Author(name, affiliations, orcid)))
    return tuple(author for _, author in sorted(people, key=lambda pair: pair[0]))


def _abstract(markup: str | None) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """A JATS abstract: ``<jats:title>`` labels the part after it; a title "Abstract" is no label."""
    if not markup or not markup.strip():
        return None, ()
    pieces = _TITLE.split(markup)  # [before, title, body, title, body, ...]
    parts: list[tuple[str | None, list[str]]] = [(None, _paragraphs(pieces[0]))]
    for at in range(1, len(pieces), 2):
        label = (_plain(pieces[at]) or "").rstrip(" :.") or None
        if label and heading_kind(heading_key(label)) is Kind.ABSTRACT:
            label = None
        parts.append((label, _paragraphs(pieces[at + 1])))
    return abstract_from_parts(parts)


def _paragraphs(markup: str) -> list[str]:
    text = _TAG.sub("", _BLOCK.sub("\n", markup))
    return [line for line in (squash(html.unescape(line)) for line in text.split("\n")) if line]


def _plain(value: str | None) -> str | None:
    return (squash(html.unescape(_TAG.sub("", value))) or None) if value else None


def _first(values: tuple[str, ...]) -> str | None:
    return next((text for value in values if (text := _plain(value))), None)


def _pages(value: str | None) -> str | None:
    return (normalise_range(value) or None) if value else None


def _reference(entry: JsonObject) -> Reference | None:
    """One deposited reference, or ``None`` when it says nothing (only a ``key`` and ``year`` 0).

    Structured fields are taken as deposited (``author`` is the first author only, so the list is never
    complete); ``text`` is the ``unstructured`` citation, or one built from the fields with
    :func:`~exokg.sources.europepmc.citation_text`. An entry with ``unstructured`` text only is read
    with :func:`~exokg.sources.references.parse_reference`; its title, authors and journal are kept
    only when the parser found the author list or the journal, since a style it does not read
    (``Surname, I. & Surname, I. Title. Journal (2013).``) leaves the whole entry in the title.
    """
    doi = clean_doi(entry.text("DOI") or "")
    unstructured = entry.text("unstructured")
    if unstructured and not any(entry.data.get(key) for key in _STRUCTURED):
        parsed = parse_reference(unstructured)
        if not parsed.authors and parsed.journal is None:
            parsed = replace(parsed, title=None, authors=(), authors_complete=True)
        return replace(parsed, doi=doi or parsed.doi)
    author = entry.text("author")
    title = title_text(entry.text("article-title"))
    journal = entry.text("journal-title")
    year = year_of(entry.text("year"))
    volume, pages = entry.text("volume"), _pages(entry.text("first-page"))
    authors = (author,) if author else ()
    text = unstructured or citation_text(author, title, journal, year, volume, None, pages, doi=doi)
    if not text:
        return None
    return Reference(
        text=text,
        title=title,
        authors=authors,
        authors_complete=not authors,
        journal=journal,
        year=year,
        volume=volume,
        pages=pages,
        doi=doi,
    )


def _updates(work: JsonObject) -> tuple[str, ...]:
    """Notices the publisher registered against this work (corrections, retractions), as warnings."""
    notices = []
    for update in work.children("updated-by"):
        kind = (update.text("label") or update.text("type") or "update").lower()
        doi = clean_doi(update.text("DOI") or "")
        parts = _date_parts(update, "updated")
        notice = " ".join(p for p in (doi, f"({_printed(parts)})" if parts else None) if p)
        notices.append(f"Crossref lists a {kind} for this work" + (f": {notice}" if notice else ""))
    return tuple(notices)
