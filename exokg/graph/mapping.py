"""The graph stage: a resolved :class:`~exokg.works.Bibliography` becomes RDF triples.

Only this module decides which triples describe the model; it asks :mod:`exokg.graph.iris` for every IRI.
The model it writes is documented in docs/decisions/0003-bibliographic-model.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Triple
from rdflib import namespace as rdflib_namespace

from exokg import __version__
from exokg.graph import namespaces
from exokg.graph.iris import Iris, doi_iri, mesh_concept_iri, mesh_scheme_iri, pmc_iri, pubmed_iri
from exokg.graph.namespaces import Terms
from exokg.model import MeshHeading, Source
from exokg.works import Bibliography, Work, keyword_key

# The vocabularies as pyoxigraph nodes made once each (``RDF.type`` here is a NamedNode, not rdflib's URIRef).
DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD = (Terms(v) for v in (
    rdflib_namespace.DCAT, rdflib_namespace.DCTERMS, rdflib_namespace.FOAF, rdflib_namespace.OWL, rdflib_namespace.PROV,
    rdflib_namespace.RDF, rdflib_namespace.RDFS, rdflib_namespace.SKOS, rdflib_namespace.XSD))
BIRO, C4O, CITO, EXO, FABIO, FRBR, PRISM, SCHEMA, VOID = (Terms(v) for v in (
    namespaces.BIRO, namespaces.C4O, namespaces.CITO, namespaces.EXO, namespaces.FABIO, namespaces.FRBR,
    namespaces.PRISM, namespaces.SCHEMA, namespaces.VOID))
_RDF_TYPE = RDF.type.value

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


@dataclass(frozen=True)
class DatasetInfo:
    """The project-level facts the dataset description needs."""

    base_iri: str
    title: str
    description: str
    licence: str
    build_date: dt.date


def _typed(value: str, datatype: NamedNode) -> Literal:
    return Literal(value, datatype=datatype)


@lru_cache(maxsize=4096, typed=True)  # positions and counts: a few small numbers, written once per entry
def integer(value: int) -> Literal:
    return _typed(str(value), XSD.integer)


_TRUE, _FALSE = _typed("true", XSD.boolean), _typed("false", XSD.boolean)


def boolean(value: bool) -> Literal:
    return _TRUE if value else _FALSE


class Triples:
    """The triples being written, added with plain strings for IRIs."""

    def __init__(self) -> None:
        self.items: list[Triple] = []
        # A work's IRI is the subject of dozens of triples and a person's the object of many: one node each.
        self._nodes: dict[str, NamedNode] = {}
        self._described: set[str] = set()

    def first(self, iri: str) -> bool:
        """Whether ``iri`` is described here for the first time (and from now on, it is)."""
        if iri in self._described:
            return False
        self._described.add(iri)
        return True

    def node(self, iri: str) -> NamedNode:
        node = self._nodes.get(iri)
        if node is None:
            node = self._nodes[iri] = NamedNode(iri)
        return node

    def add(self, s: str, p: NamedNode, o: NamedNode | Literal | str) -> None:
        self.items.append(Triple(self.node(s), p, Literal(o) if isinstance(o, str) else o))

    def iri(self, s: str, p: NamedNode, o: str | NamedNode) -> None:
        self.items.append(Triple(self.node(s), p, self.node(o) if isinstance(o, str) else o))


def map_bibliography(
    bib: Bibliography,
    info: DatasetInfo,
    record_sources: Mapping[str, tuple[Source, ...]] | None = None,
    field_sources: Mapping[str, Mapping[str, str]] | None = None,
    *,
    ordered: bool = True,
) -> list[Triple]:
    """All triples of the graph, sorted so that every serialisation of them is deterministic.

    ``record_sources`` lists, per article (by its primary source name), every record merged into it;
    ``field_sources`` says which record gave each field when there were several. With ``ordered`` false
    the triples come unsorted, possibly repeated: for a caller that sorts them with others anyway.
    """
    iris = Iris(info.base_iri)
    out = Triples()
    software = iris.software(__version__)
    _dataset(out, iris, info, software)
    person_names = _preferred_names(iris.person, (n for w in bib.works for n in w.authors))
    journal_names = _preferred_names(iris.journal, (w.journal for w in bib.works if w.journal))
    stamp = _typed(f"{info.build_date.isoformat()}T00:00:00Z", XSD.dateTime)
    for work in bib.works:
        _work(out, iris, work, person_names, journal_names, software, stamp)
        if work.article is not None:
            name = work.article.source.key
            _sources(out, iris, iris.work(work.identity), (record_sources or {}).get(name, (work.article.source,)),
                     software, stamp, work.article.layout)
            _field_provenance(out, iris, iris.work(work.identity), (field_sources or {}).get(name, {}))
    _mesh(out, [w for w in bib.works if w.article is not None], iris)
    for citation in bib.citations:
        citing, cited = iris.work(citation.citing), iris.work(citation.cited)
        out.iri(citing, CITO.cites, cited)
        if citation.position is not None:
            entry = iris.fragment(citing, "ref", citation.position)
            out.iri(citing, FRBR.part, entry)
            out.iri(entry, RDF.type, BIRO.BibliographicReference)
            out.add(entry, RDFS.label, f"reference {citation.position}")
            out.add(entry, SCHEMA.position, integer(citation.position))
            out.iri(entry, BIRO.references, cited)
            if citation.text:
                out.add(entry, C4O.hasContent, citation.text)
    if bib.keywords:
        scheme = iris.keyword_scheme()
        out.iri(scheme, RDF.type, SKOS.ConceptScheme)
        out.add(scheme, SKOS.prefLabel, Literal("Author keywords", language="en"))
        out.add(scheme, RDFS.label, "Author keywords")
        for kw in bib.keywords:
            node = iris.keyword(kw.key)
            out.iri(node, RDF.type, SKOS.Concept)
            out.iri(node, SKOS.inScheme, scheme)
            out.add(node, SKOS.prefLabel, kw.label)
            out.add(node, RDFS.label, kw.label)
            for alt in kw.alt_labels:
                out.add(node, SKOS.altLabel, alt)
    return sort_triples(out.items) if ordered else out.items


def lexical(term: object) -> str:
    """The IRI, blank node id or literal text of a term (an RDF-star triple as its N-Triples form)."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def triple_order(t: Triple) -> tuple[str, int, str, str]:
    # rdf:type first within a subject keeps Turtle readable; the rest is plain lexical order.
    p = t.predicate.value
    return (str(t.subject), 0 if p == _RDF_TYPE else 1, p, str(t.object))


def sort_triples(triples: Iterable[Triple]) -> list[Triple]:
    """``sorted(set(triples), key=triple_order)``, computed faster: the graph stage sorts a million triples.

    Each triple's key is one string, the :func:`triple_order` parts joined by NUL, which sorts as the tuple
    does: no term written as N-Triples holds a NUL, so a shorter subject or predicate sorts first as in the
    tuple, and strings compare faster than tuples. The keys also remove duplicates, as two triples have the
    same key exactly when they are equal (the parts are their N-Triples terms).
    """
    keyed: dict[str, Triple] = {}
    for t in triples:
        s, p, o = t
        predicate = p.value
        keyed[f"{s}\0{0 if predicate == _RDF_TYPE else 1}{predicate}\0{o}"] = t
    return [keyed[k] for k in sorted(keyed)]


def _dataset(out: Triples, iris: Iris, info: DatasetInfo, software: str) -> None:
    ds = iris.dataset()
    out.iri(ds, RDF.type, VOID.Dataset)
    out.iri(ds, RDF.type, DCAT.Dataset)
    out.add(ds, RDFS.label, info.title)
    out.add(ds, DCTERMS.title, info.title)
    out.add(ds, DCTERMS.description, info.description)
    out.iri(ds, DCTERMS.license, info.licence)
    out.add(ds, DCTERMS.issued, _typed(info.build_date.isoformat(), XSD.date))
    out.add(ds, VOID.uriSpace, info.base_iri)
    out.iri(ds, PROV.wasAttributedTo, software)
    for ext in ("ttl", "nt", "nt.gz", "jsonld"):
        out.iri(ds, VOID.dataDump, iris.dump(ext))
    out.iri(software, RDF.type, PROV.SoftwareAgent)
    out.add(software, RDFS.label, f"exokg {__version__}")
    out.add(software, SCHEMA.softwareVersion, __version__)


def _work(
    out: Triples,
    iris: Iris,
    work: Work,
    person_names: dict[str, str],
    journal_names: dict[str, str],
    software: str,
    stamp: Literal,
) -> None:
    w = iris.work(work.identity)
    out.iri(w, RDF.type, FABIO.Expression)
    out.add(w, RDFS.label, work.title or _fallback_label(work))
    if work.title:
        out.add(w, DCTERMS.title, work.title)
    if work.citation:
        out.add(w, DCTERMS.bibliographicCitation, work.citation)
    if work.doi:
        out.add(w, PRISM.doi, work.doi)
        out.iri(w, OWL.sameAs, doi_iri(work.doi))
    if work.pmid:
        out.add(w, FABIO.hasPubMedId, work.pmid)
        out.iri(w, SCHEMA.sameAs, pubmed_iri(work.pmid))
    if work.pmcid:
        out.add(w, FABIO.hasPubMedCentralId, work.pmcid)
        out.iri(w, SCHEMA.sameAs, pmc_iri(work.pmcid))
    if work.year:
        out.add(w, FABIO.hasPublicationYear, _typed(f"{work.year:04d}", XSD.gYear))
    if work.match_key and not (work.doi or work.pmid or work.pmcid):
        out.add(w, EXO.matchKey, work.match_key)
    for field, predicate in ((work.volume, PRISM.volume), (work.issue, PRISM.issueIdentifier),
                             (work.pages, PRISM.pageRange)):
        if field:
            out.add(w, predicate, field)
    if work.journal:
        journal = iris.journal(work.journal)
        out.iri(w, DCTERMS.isPartOf, journal)
        if out.first(journal):  # a journal or person is the same few triples at every mention
            out.iri(journal, RDF.type, FABIO.Journal)
            name = journal_names[journal]
            out.add(journal, DCTERMS.title, name)
            out.add(journal, RDFS.label, name)
    if work.authors:
        out.add(w, EXO.authorListComplete, boolean(work.authors_complete))
    affiliations = work.article.authors if work.article else ()
    for number, name in enumerate(work.authors, start=1):
        person = iris.person(name)
        entry = iris.fragment(w, "author", number)
        out.iri(w, EXO.authorship, entry)
        out.iri(w, DCTERMS.creator, person)
        out.iri(entry, RDF.type, EXO.Authorship)
        out.add(entry, RDFS.label, f"author {number}: {name}")
        out.add(entry, SCHEMA.position, integer(number))
        out.iri(entry, EXO.agent, person)
        out.add(entry, EXO.nameAsPrinted, name)
        if number <= len(affiliations):
            for affiliation in affiliations[number - 1].affiliations:
                out.add(entry, EXO.affiliationAsPrinted, affiliation)
        if out.first(person):
            out.iri(person, RDF.type, FOAF.Person)
            out.add(person, FOAF.name, person_names[person])
            out.add(person, RDFS.label, person_names[person])
    for source in work.mentioned_in:
        out.iri(w, PROV.wasDerivedFrom, iris.source(source))
    if work.article is not None:
        _article(out, iris, w, work)


def _article(out: Triples, iris: Iris, w: str, work: Work) -> None:
    article = work.article
    assert article is not None
    out.iri(w, RDF.type, EXO.Article)
    if any(t.lower() == "review" for t in article.publication_types):
        out.iri(w, RDF.type, FABIO.ReviewArticle)
    for ptype in article.publication_types:
        out.add(w, EXO.publicationType, ptype)
    if article.abstract:
        out.add(w, DCTERMS.abstract, article.abstract)
    for number, section in enumerate(article.abstract_sections, start=1):
        node = iris.fragment(w, "abstract", number)
        out.iri(w, EXO.abstractSection, node)
        out.iri(node, RDF.type, EXO.AbstractSection)
        out.add(node, SCHEMA.position, integer(number))
        out.add(node, RDFS.label, section.label or f"section {number}")
        out.add(node, EXO.text, section.text)
    if article.publication_date:
        out.add(w, EXO.publicationDateAsPrinted, article.publication_date)
        issued = typed_date(article.publication_date)
        if issued is not None:
            out.add(w, DCTERMS.issued, issued)
    if article.publisher:
        out.add(w, SCHEMA.publisher, article.publisher)
    if article.citation_count is not None:
        out.add(w, EXO.statedCitationCount, integer(article.citation_count))
    for label in article.keywords:
        out.iri(w, DCTERMS.subject, iris.keyword(keyword_key(label)))



def _sources(out: Triples, iris: Iris, w: str, sources: tuple[Source, ...], software: str, stamp: Literal,
             layout: str) -> None:
    """Every record an article was read from: a source record, and the activity that parsed it."""
    for number, record in enumerate(sources):
        source = source_record(out, iris, record, layout if number == 0 else None)
        activity = f"{source}#parse"
        out.iri(w, PROV.wasDerivedFrom, source)
        out.iri(w, PROV.wasGeneratedBy, activity)
        out.iri(activity, RDF.type, PROV.Activity)
        out.add(activity, RDFS.label, f"parsing {record.name}")
        out.iri(activity, PROV.used, source)
        out.iri(activity, PROV.wasAssociatedWith, software)
        out.add(activity, PROV.endedAtTime, stamp)


def source_record(out: Triples, iris: Iris, source: Source, layout: str | None) -> str:
    """A file records were read from: its name, content hash and, when known, the layout read in it."""
    iri = iris.source(source.name)
    out.iri(iri, RDF.type, PROV.Entity)
    out.iri(iri, RDF.type, EXO.SourceRecord)
    out.add(iri, RDFS.label, source.name)
    out.add(iri, EXO.sha256, source.sha256)
    if layout:
        out.add(iri, EXO.layout, layout)
    if source.retrieval is not None:
        fetched = source.retrieval
        activity = f"{iri}#retrieval"
        out.iri(iri, PROV.wasGeneratedBy, activity)
        out.iri(activity, RDF.type, PROV.Activity)
        out.iri(activity, RDF.type, EXO.Retrieval)
        out.add(activity, RDFS.label, f"retrieving {source.name} from {fetched.service}")
        out.add(activity, EXO.service, fetched.service)
        out.iri(activity, PROV.used, fetched.url)
        out.add(activity, PROV.endedAtTime, _typed(fetched.retrieved, XSD.dateTime))
    return iri


def _field_provenance(out: Triples, iris: Iris, w: str, origin: Mapping[str, str]) -> None:
    """Which record gave each field of an article merged from several (PROV-O: a derived entity per field)."""
    for field, source in sorted(origin.items()):
        node = f"{w}#field-{field.replace('_', '-')}"
        out.iri(w, EXO.fieldProvenance, node)
        out.iri(node, RDF.type, PROV.Entity)
        out.add(node, RDFS.label, f"the {field.replace('_', ' ')} of this article")
        out.add(node, EXO.field, field)
        out.iri(node, PROV.wasDerivedFrom, iris.source(source))


def _mesh(out: Triples, articles: list[Work], iris: Iris) -> None:
    """MeSH headings: each descriptor and qualifier a concept mapped to its MeSH IRI; each heading a part."""
    # Europe PMC names headings without their IDs; a name another record gives with its ID takes that ID.
    ids: dict[str, str] = {}
    for work in articles:
        for heading in work.article.mesh if work.article else ():
            for name, ui in ((heading.descriptor, heading.ui), *((q.name, q.ui) for q in heading.qualifiers)):
                if ui:
                    ids.setdefault(name.lower(), ui)
    concepts: dict[str, tuple[str, str | None]] = {}

    def concept(name: str, ui: str | None) -> str:
        ui = ui or ids.get(name.lower())
        iri = mesh_concept_iri(ui, name)
        concepts.setdefault(iri, (name, ui))
        return iri

    for work in articles:
        headings: tuple[MeshHeading, ...] = work.article.mesh if work.article else ()
        w = iris.work(work.identity)
        for number, heading in enumerate(headings, start=1):
            node = iris.fragment(w, "mesh", number)
            descriptor = concept(heading.descriptor, heading.ui)
            out.iri(w, EXO.meshHeading, node)
            out.iri(node, RDF.type, EXO.MeshHeading)
            label = " / ".join([heading.descriptor, *(q.name for q in heading.qualifiers)])
            out.add(node, RDFS.label, f"MeSH: {label}")
            out.iri(node, EXO.descriptor, descriptor)
            out.add(node, EXO.majorTopic, boolean(heading.major))
            for qualifier in heading.qualifiers:
                out.iri(node, EXO.meshQualifier, concept(qualifier.name, qualifier.ui))
    if concepts:
        scheme = mesh_scheme_iri()
        out.iri(scheme, RDF.type, SKOS.ConceptScheme)
        out.add(scheme, RDFS.label, "Medical Subject Headings (MeSH) used in the corpus")
        out.add(scheme, SKOS.prefLabel, Literal("Medical Subject Headings (MeSH) used in the corpus", language="en"))
        for iri, (name, ui) in concepts.items():
            out.iri(iri, RDF.type, SKOS.Concept)
            out.iri(iri, SKOS.inScheme, scheme)
            out.add(iri, SKOS.prefLabel, name)
            out.add(iri, RDFS.label, name)
            if ui:
                out.iri(iri, SKOS.exactMatch, f"http://id.nlm.nih.gov/mesh/{ui}")


def _fallback_label(work: Work) -> str:
    first = work.authors[0] if work.authors else "Unknown author"
    return f"{first} ({work.year})" if work.year else first


def _preferred_names(mint: Callable[[str], str], names: Iterable[str]) -> dict[str, str]:
    """For each minted IRI, the printed form used most (ties: alphabetically first), for stable labels."""
    by_iri: dict[str, Counter[str]] = defaultdict(Counter)
    for name in names:
        by_iri[mint(name)][name] += 1
    return {iri: sorted(c, key=lambda n: (-c[n], n))[0] for iri, c in by_iri.items()}


def typed_date(printed: str) -> Literal | None:
    """``2024 Feb 14`` -> xsd:date, ``2015 Apr`` -> xsd:gYearMonth, ``2019`` -> xsd:gYear; None if unclear."""
    month: int | None
    day: int | None
    match = re.fullmatch(r"\s*(\d{4})(?:[ -]([A-Za-z]{3})[a-z]*\.?(?:[ -](\d{1,2}))?)?\s*", printed)
    if not match:
        match_iso = re.fullmatch(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?\s*", printed)
        if not match_iso:
            return None
        year, month = int(match_iso[1]), int(match_iso[2])
        day = int(match_iso[3]) if match_iso[3] else None
    else:
        year = int(match[1])
        if match[2] and match[2].lower() not in _MONTHS:
            return None
        month = _MONTHS[match[2].lower()] if match[2] else None
        day = int(match[3]) if match[3] else None
    try:
        if month and day:
            return _typed(dt.date(year, month, day).isoformat(), XSD.date)
        if month:
            dt.date(year, month, 1)
            return _typed(f"{year:04d}-{month:02d}", XSD.gYearMonth)
    except ValueError:
        return None
    return _typed(f"{year:04d}", XSD.gYear)
