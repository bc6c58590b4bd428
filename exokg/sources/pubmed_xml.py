"""Saved efetch XML (``PubmedArticleSet``): one :class:`~exokg.model.Article` per ``PubmedArticle``.

Each record's fields come from fixed places, never from a search of the whole record, because a
record also holds other works' identifiers: every ``CommentsCorrections`` and every ``Reference`` of
the ``ReferenceList`` carries its own PMID, DOI or PMCID. So the article's PMID is
``MedlineCitation/PMID`` only, and its DOI and PMCID come from ``PubmedData/ArticleIdList`` (the DOI
also from ``Article/ELocationID``).

The XML is parsed with the standard library. A document type declaration other than PubMed's own
(which names an external DTD that is never fetched) is refused before parsing, so no entity can be
declared and expanded.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from xml.parsers.expat import ErrorString

from exokg.errors import UnreadablePage
from exokg.model import AbstractSection, Article, Author, MeshHeading, MeshQualifier, Reference, Source
from exokg.sources.citation_details import YEAR, leading_block, publication_date
from exokg.sources.identifiers import clean_doi, clean_pmcid
from exokg.sources.normalise import normalise_range, squash
from exokg.sources.pubmed_xml_text import flat_text
from exokg.sources.references import parse_reference

LAYOUT = "pubmed-xml"
ROOT = "PubmedArticleSet"

_HEAD_BYTES = 64 * 1024
# PubMed's own declaration: <!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN"
# "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">, with no internal subset.
_PUBMED_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+PubmedArticleSet\s+PUBLIC\s+\"-//NLM//DTD PubMedArticle[^\"<>\[\]]*\"(?:\s+\"[^\"<>\[\]]*\")?\s*>"
)
_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
_DOCTYPE_NAME = re.compile(rf"<!DOCTYPE\s+({_NAME.pattern})")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])", re.IGNORECASE)
# NLM's short form of a citation, ``Eur Respir J. 2016 Aug;48(2):370-9``: journal, date, numbers; no authors.
_JOURNAL_FIRST = re.compile(rf"(?P<journal>[^.]{{1,150}}?)\.\s+(?P<rest>{YEAR}\b.*)")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class _Prolog:
    """What comes before the root element: the root's name and the DOCTYPE declaration, if any.

    When the declaration has an internal subset, the scan stops there and ``root`` is its declared name.
    """

    root: str
    doctype: str | None


def _head_text(raw: bytes) -> str:
    head = raw[:_HEAD_BYTES]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head[: len(head) // 2 * 2].decode(encoding, errors="replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")


def _prolog(raw: bytes) -> _Prolog | None:
    """The prolog of an XML document; ``None`` when the file does not start like one."""
    text = _head_text(raw)
    pos, doctype = 0, None
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos) or text.startswith("<!--", pos):
            end = text.find("?>" if text.startswith("<?", pos) else "-->", pos)
            if end < 0:
                return None
            pos = text.index(">", end) + 1
        elif text.startswith("<!DOCTYPE", pos):
            subset, close = text.find("[", pos), text.find(">", pos)
            if close < 0:
                return None
            # With an internal subset the declaration is refused whole; where it ends does not matter,
            # and the root element must carry the declared name.
            if 0 <= subset < close:
                name = _DOCTYPE_NAME.match(text, pos)
                return _Prolog(name.group(1) if name else "", text[pos : subset + 1])
            doctype = text[pos : close + 1]
            pos = close + 1
        elif text.startswith("<", pos):
            name = _NAME.match(text, pos + 1)
            return _Prolog(name.group(), doctype) if name else None
        else:
            return None


def is_pubmed_xml(raw: bytes) -> bool:
    """Whether the file is an XML document whose root element is ``PubmedArticleSet``.

    Only the start of the file is looked at, so a page that quotes or mentions such XML is not one.
    """
    prolog = _prolog(raw)
    return prolog is not None and prolog.root == ROOT


def parse_pubmed_xml(raw: bytes, source: Source) -> tuple[Article, ...]:
    """Every ``PubmedArticle`` of the file, in file order; :class:`UnreadablePage` when there is none."""
    prolog = _prolog(raw)
    if prolog is None or prolog.root != ROOT:
        # Only a prolog read through to the root element is known to declare nothing.
        raise UnreadablePage(source.name, f"not an efetch {ROOT} XML file (its start is not one's prolog)")
    if prolog.doctype is not None and not _PUBMED_DOCTYPE.fullmatch(squash(prolog.doctype)):
        raise UnreadablePage(
            source.name,
            f"refused XML: its document type declaration ({squash(prolog.doctype)[:80]}) is not PubMed's, and "
            "declarations could expand entities; save the efetch result unchanged",
        )
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, column = exc.position
        # expat counts columns from 0; editors count them from 1.
        raise UnreadablePage(
            source.name, f"not well-formed XML at line {line}, column {column + 1} ({ErrorString(exc.code)})"
        ) from exc
    if root.tag != ROOT:  # a namespaced root
        raise UnreadablePage(source.name, f"the XML's root element is {root.tag}, not {ROOT}")
    records = root.findall("PubmedArticle")
    if not records:
        books = len(root.findall("PubmedBookArticle"))
        unread = f" ({books} PubmedBookArticle records are not read)" if books else ""
        raise UnreadablePage(source.name, f"no PubmedArticle records{unread}")
    articles = tuple(article for article in (read_record(r, source) for r in records) if _has_content(article))
    if not articles:
        raise UnreadablePage(source.name, "no PubmedArticle record has a title, an abstract or an identifier")
    return articles


def _has_content(article: Article) -> bool:
    return bool(article.title or article.abstract or article.pmid or article.doi or article.pmcid)


def read_record(record: ET.Element, source: Source) -> Article:
    """One ``PubmedArticle`` element as an :class:`Article`."""
    citation = _child(record, "MedlineCitation")
    article = _child(citation, "Article")
    journal = _child(article, "Journal")
    issue = _child(journal, "JournalIssue")
    ids = _article_ids(record.findall("PubmedData/ArticleIdList/ArticleId"))
    elocation_dois = [e.text or "" for e in article.findall("ELocationID") if e.get("EIdType") == "doi"]
    dois = [d for d in map(clean_doi, [ids.get("doi", ""), *elocation_dois]) if d]
    printed, year = _pub_date(_child(issue, "PubDate"))
    epub = next((_date(d) for d in article.findall("ArticleDate") if d.get("DateType") == "Electronic"), None)
    authors, complete = _authors(article.findall("AuthorList"))
    abstract, sections = _abstract(article.findall("Abstract/AbstractText"))
    return Article(
        source=source,
        layout=LAYOUT,
        title=_title(article),
        pmid=_text(citation.find("PMID")),
        doi=dois[0] if dois else None,
        pmcid=clean_pmcid(ids["pmc"]) if "pmc" in ids else None,
        journal=_text(journal.find("Title")),
        journal_abbreviation=_text(journal.find("ISOAbbreviation")),
        issn=_text(journal.find("ISSN")) or _text(citation.find("MedlineJournalInfo/ISSNLinking")),
        year=year if year is not None else (int(epub[:4]) if epub else None),
        publication_date=publication_date(printed, epub),
        epub_date=epub,
        volume=_text(issue.find("Volume")),
        issue=_text(issue.find("Issue")),
        pages=_pages(_child(article, "Pagination")),
        publication_types=_unique(flat_text(t) for t in article.findall("PublicationTypeList/PublicationType")),
        authors=authors,
        authors_complete=complete,
        affiliations=_unique(affiliation for author in authors for affiliation in author.affiliations),
        abstract=abstract,
        abstract_sections=sections,
        keywords=_unique(flat_text(k) for k in citation.findall("KeywordList/Keyword")),
        references=_references(record),
        mesh=tuple(_mesh(heading) for heading in citation.findall("MeshHeadingList/MeshHeading")),
    )


def _title(article: ET.Element) -> str | None:
    """``ArticleTitle`` (else ``VernacularTitle``) without the period NLM ends every title with."""
    title = flat_text(article.find("ArticleTitle")) or flat_text(article.find("VernacularTitle"))
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip() or None
    return title


_EMPTY = ET.Element("missing")


def _child(parent: ET.Element, tag: str) -> ET.Element:
    """The child ``tag`` of ``parent``, or an empty element, so a missing branch reads as no values."""
    found = parent.find(tag)
    return found if found is not None else _EMPTY


def _text(element: ET.Element | None) -> str | None:
    return (squash(element.text or "") or None) if element is not None else None


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _article_ids(elements: Iterable[ET.Element]) -> dict[str, str]:
    """``IdType`` -> the first identifier of that type (``pubmed``, ``doi``, ``pmc``, ``pii``, …)."""
    found: dict[str, str] = {}
    for element in elements:
        value, kind = squash(element.text or ""), element.get("IdType", "")
        if value and kind and kind not in found:
            found[kind] = value
    return found


# --- dates and pages ----------------------------------------------------------------------------


def _month(value: str) -> str:
    """``04``, ``4``, ``Apr`` or ``April`` as ``Apr``; anything else as printed."""
    value = value.strip()
    if value.isdigit():
        return _MONTHS[int(value) - 1] if 1 <= int(value) <= 12 else value
    return value[:3].title() if value[:3].title() in _MONTHS else value


def _date(element: ET.Element) -> str | None:
    """``Year``/``Month``/``Day`` (or ``Season``) as a citation prints them: ``2019 Aug 14``."""
    year = _text(element.find("Year"))
    if year is None:
        return None
    month = _text(element.find("Month"))
    day = _text(element.find("Day"))
    season = _text(element.find("Season"))
    parts = [year, _month(month) if month else season]
    if month and day:
        parts.append(str(int(day)) if day.isdigit() else day)
    return " ".join(part for part in parts if part)


def _pub_date(element: ET.Element) -> tuple[str | None, int | None]:
    """The ``PubDate`` as printed, and its year; a ``MedlineDate`` (``1998 Dec-1999 Jan``) as given."""
    printed = _date(element) or _text(element.find("MedlineDate"))
    found = re.search(rf"\b{YEAR}\b", printed) if printed else None
    return printed, int(found.group()) if found else None


def _pages(pagination: ET.Element) -> str | None:
    printed = _text(pagination.find("MedlinePgn"))
    if printed is None:
        start, end = _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
        printed = f"{start}-{end}" if start and end else start
    return normalise_range(printed) if printed else None


# --- authors, abstract, MeSH --------------------------------------------------------------------


def _orcid(raw: str) -> str | None:
    found = _ORCID.search(re.sub(r"\s", "", raw))
    return "-".join(found.groups()).upper() if found else None


def _author(element: ET.Element) -> Author | None:
    collective = flat_text(element.find("CollectiveName"))
    if collective:
        name = collective
    else:
        given = _text(element.find("ForeName")) or _text(element.find("Initials"))
        parts = [given, _text(element.find("LastName")), _text(element.find("Suffix"))]
        name = " ".join(part for part in parts if part)
    if not name:
        return None
    orcids = [_orcid(i.text or "") for i in element.findall("Identifier") if i.get("Source") == "ORCID"]
    affiliations = _unique(flat_text(a) for a in element.findall("AffiliationInfo/Affiliation"))
    return Author(name, affiliations, next((o for o in orcids if o), None))


def _authors(lists: list[ET.Element]) -> tuple[tuple[Author, ...], bool]:
    """The authors (not editors) the record lists as valid, and whether the list is complete."""
    authors: list[Author] = []
    complete = True
    for author_list in lists:
        if author_list.get("Type", "authors") != "authors":
            continue
        complete = complete and author_list.get("CompleteYN", "Y") != "N"
        for element in author_list.findall("Author"):
            # ValidYN="N" marks a name printed wrongly and corrected in the list; PubMed does not show it.
            author = _author(element) if element.get("ValidYN", "Y") != "N" else None
            if author is not None:
                authors.append(author)
    return tuple(authors), complete


def _abstract(parts: list[ET.Element]) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """The abstract text and, when its parts are labelled, its sections (``Label: text`` lines)."""
    sections = [(squash(p.get("Label", "")) or None, text) for p in parts if (text := flat_text(p))]
    if not sections:
        return None, ()
    if all(label is None for label, _ in sections):
        return "\n".join(text for _, text in sections), ()
    abstract = "\n".join(f"{label}: {text}" if label else text for label, text in sections)
    return abstract, tuple(AbstractSection(label, text) for label, text in sections)


def _mesh(heading: ET.Element) -> MeshHeading:
    descriptor = _child(heading, "DescriptorName")
    qualifiers = tuple(
        MeshQualifier(flat_text(q) or "", q.get("UI"), q.get("MajorTopicYN") == "Y")
        for q in heading.findall("QualifierName")
    )
    major = descriptor.get("MajorTopicYN") == "Y"
    return MeshHeading(flat_text(descriptor) or "", descriptor.get("UI"), major, qualifiers)


# --- references ---------------------------------------------------------------------------------


def _references(record: ET.Element) -> tuple[Reference, ...]:
    """The ``ReferenceList`` entries; records without one list what they cite as ``CommentsCorrections``."""
    listed: list[Reference] = []
    for reference_list in record.findall("PubmedData/ReferenceList"):
        for entry in reference_list.iter("Reference"):  # nested ReferenceLists included
            text = flat_text(entry.find("Citation"))
            if text:
                listed.append(_with_ids(_citation(text), _article_ids(entry.findall("ArticleIdList/ArticleId"))))
    if listed:
        return tuple(listed)
    cites: list[Reference] = []
    for entry in record.findall("MedlineCitation/CommentsCorrectionsList/CommentsCorrections"):
        text = flat_text(entry.find("RefSource"))
        if entry.get("RefType") == "Cites" and text:
            pmid = _text(entry.find("PMID"))
            cites.append(_with_ids(_citation(text), {"pubmed": pmid} if pmid else {}))
    return tuple(cites)


def _citation(text: str) -> Reference:
    """A citation as :func:`parse_reference` reads it, NLM's short form read as journal and numbers.

    In the short form the journal abbreviation would otherwise pass for an author (``Eur Respir J``)
    or a title.
    """
    parsed = parse_reference(text)
    short = _JOURNAL_FIRST.fullmatch(text)
    block = leading_block(short.group("rest")) if short else None
    if short is None or block is None or not block.has_numbers:
        return parsed
    return replace(parsed, title=None, authors=(), authors_complete=True, journal=short.group("journal").strip())


def _with_ids(reference: Reference, ids: dict[str, str]) -> Reference:
    """The parsed entry with the identifiers the XML gives for it, which win over any found in its text."""
    doi = clean_doi(ids["doi"]) if "doi" in ids else None
    pmcid = clean_pmcid(ids["pmc"]) if "pmc" in ids else None
    pmid = ids["pubmed"] if ids.get("pubmed", "").isdigit() else None
    return replace(reference, doi=doi or reference.doi, pmid=pmid or reference.pmid, pmcid=pmcid or reference.pmcid)
