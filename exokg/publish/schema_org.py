"""schema.org JSON-LD embedded in pages, for search engines and dataset crawlers.

Crawlers read schema.org, not the SPAR, SKOS or VoID terms the graph is written in, so each kind of resource
is described again in the schema.org type they know: works as ``ScholarlyArticle``, claims as ``Claim``,
concepts as ``DefinedTerm``, the dataset as ``Dataset``, journals as ``Periodical``, people as ``Person``.
Everything comes from the graph at build time. Keys are sorted and lists have a fixed order, so the same
graph always gives the same bytes; a property with no value is left out rather than written empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from exokg.graph.iris import doi_iri, pmc_iri, pubmed_iri
from exokg.graph.namespaces import BIRO, CITO, EXO, FABIO, FRBR, PRISM, SCHEMA, VOID
from exokg.publish.dataset import describe
from exokg.publish.docs import TERM_TYPES
from exokg.publish.site import Site
from exokg.publish.view import EVERYTHING, GraphView

CONTEXT = "https://schema.org"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
IANA = "https://www.iana.org/assignments/media-types/"
ISSN_PREDICATES = (str(PRISM.issn), str(PRISM.eIssn), str(FABIO.hasISSN), str(FABIO.hasElectronicISSN),
                   str(SCHEMA.issn))
VERSION_PREDICATES = (DCAT + "version", OWL + "versionInfo", str(SCHEMA.version))
# Media types of dump files by extension, for a dump the graph names without a DCAT distribution.
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "nq": "application/n-quads", "trig": "application/trig", "rdf": "application/rdf+xml",
               "gz": "application/gzip"}

Node = dict[str, Any]


def embedded_jsonld(site: Site, page: str, path: str) -> Markup | None:
    """The schema.org description of a resource as a ``<script type="application/ld+json">`` body."""
    return script_body(describe_resource(site, page))


def script_body(data: Node | None) -> Markup | None:
    """JSON that cannot end the script element it sits in, nor open a comment or another element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` and the like mean the same
    characters: a title such as ``</script><script>…`` stays text.
    """
    if not data:
        return None
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Already safe for the script element; HTML escaping would turn quotes into entities JSON cannot read.
    return Markup(text)


def describe_resource(site: Site, iri: str) -> Node:
    """One resource in schema.org terms, with the ``@context``; the type follows the resource's first kind."""
    types = site.view.types(iri)
    for kind, make in _KINDS:
        if kind in types:
            return {"@context": CONTEXT, **make(site, iri)}
    return {"@context": CONTEXT, **_thing(site, iri)}


def website(site: Site) -> Node:
    """The home page: the site, about the dataset it publishes (described in full, as on its landing page)."""
    dataset = _dataset(site, site.iris.dataset())
    return {"@context": CONTEXT, **_clean({"@type": "WebSite", "@id": site.iris.base, "url": site.iris.base,
                                           "name": site.input.title, "description": site.input.description,
                                           "about": dataset})}


def collection_page(site: Site, path: str, name: str, description: str) -> Node:
    """An index page: a collection within the site, about the dataset."""
    url = site.iris.base + path
    return {"@context": CONTEXT, **_clean({
        "@type": "CollectionPage", "@id": url, "url": url, "name": name, "description": description,
        "isPartOf": {"@type": "WebSite", "@id": site.iris.base, "name": site.input.title},
        "about": {"@type": "Dataset", "@id": site.iris.dataset(), "name": site.input.title},
    })}


def _clean(node: Node) -> Node:
    """The node without empty properties (None, "", [] or {}), so no crawler reads a blank as a value."""
    return {k: v for k, v in node.items() if v is not None and v != "" and v != [] and v != {}}


def _ref(site: Site, iri: str, kind: str) -> Node:
    """A short reference to another resource: its IRI, type and label."""
    return {"@id": iri, "@type": kind, "name": site.view.label(iri)}


def _position(view: GraphView, node: str) -> int:
    try:
        return int(view.value(node, str(SCHEMA.position)) or 0)
    except ValueError:
        return 0


def _ordered(view: GraphView, subject: str, predicate: str) -> list[str]:
    """Parts listed with ``schema:position`` (authors, reference entries), in that order."""
    return sorted(view.values(subject, predicate), key=lambda n: (_position(view, n), n))


def _published(view: GraphView, work: str) -> str | None:
    return view.value(work, DCTERMS + "issued") or view.value(work, str(FABIO.hasPublicationYear))


def _work(site: Site, work: str) -> Node:
    view = site.view
    doi, pmid, pmcid = (view.value(work, str(p)) for p in (PRISM.doi, FABIO.hasPubMedId, FABIO.hasPubMedCentralId))
    identifiers = [{"@type": "PropertyValue", "propertyID": name, "value": value}
                   for name, value in (("DOI", doi), ("PMID", pmid), ("PMCID", pmcid)) if value]
    resolvers = [url for url in (doi_iri(doi) if doi else None, pubmed_iri(pmid) if pmid else None,
                                 pmc_iri(pmcid) if pmcid else None) if url]
    same = sorted({*view.values(work, OWL + "sameAs"), *view.values(work, str(SCHEMA.sameAs))} - set(resolvers))
    authors = []
    for entry in _ordered(view, work, str(EXO.authorship)):
        person = view.value(entry, str(EXO.agent))
        printed = view.value(entry, str(EXO.nameAsPrinted))
        if person:
            authors.append(_ref(site, person, "Person"))
        elif printed:
            authors.append({"@type": "Person", "name": printed})
    journal = view.value(work, DCTERMS + "isPartOf")
    cited = [c for entry in _ordered(view, work, str(FRBR.part)) for c in view.values(entry, str(BIRO.references))]
    cited += sorted(set(view.values(work, str(CITO.cites))) - set(cited))
    about = [*view.values(work, DCTERMS + "subject"),
             *(d for h in view.values(work, str(EXO.meshHeading)) for d in view.values(h, str(EXO.descriptor)))]
    sections = [(view.value(s, RDFS + "label"), view.value(s, str(EXO.text)) or "")
                for s in _ordered(view, work, str(EXO.abstractSection))]
    abstract = view.value(work, DCTERMS + "abstract") or " ".join(
        f"{label}: {text}" if label else text for label, text in sections if text)
    publisher = view.value(work, str(SCHEMA.publisher))
    return _clean({
        "@type": "ScholarlyArticle", "@id": work, "url": work,
        "name": view.label(work), "headline": view.value(work, DCTERMS + "title"),
        "author": authors,
        "datePublished": _published(view, work),
        "identifier": identifiers,
        "sameAs": resolvers + same,
        "isPartOf": _clean({**_ref(site, journal, "Periodical"), "issn": _issns(view, journal)}) if journal else None,
        "pagination": view.value(work, str(PRISM.pageRange)),
        "citation": [_ref(site, c, "CreativeWork") for c in dict.fromkeys(cited)],
        "about": [_term_ref(site, c) for c in dict.fromkeys(about)],
        "abstract": abstract,
        "publisher": {"@type": "Organization", "name": publisher} if publisher else None,
    })


def _issns(view: GraphView, journal: str) -> list[str]:
    return sorted({v for p in ISSN_PREDICATES for v in view.values(journal, p)})


def _term_ref(site: Site, concept: str) -> Node:
    return _clean({**_ref(site, concept, "DefinedTerm"), "inDefinedTermSet": _scheme(site, concept)})


def _scheme(site: Site, concept: str) -> Node | None:
    scheme = site.view.value(concept, SKOS + "inScheme") or site.view.value(concept, RDFS + "isDefinedBy")
    return _ref(site, scheme, "DefinedTermSet") if scheme else None


def _claim(site: Site, claim: str) -> Node:
    view = site.view
    works = sorted({w for assertion in view.subjects_with(str(EXO.asserts), claim)
                    for w in view.values(assertion, str(EXO.assertedIn))})
    when = {w: _date_key(view, w) for w in works}
    works.sort(key=lambda w: (when[w] or ("9999", ""), view.label(w).lower(), w))
    concepts = [c for p in (EXO.subject, EXO.object) for c in view.values(claim, str(p))]
    first = _first(when)
    return _clean({
        "@type": "Claim", "@id": claim, "url": claim,
        "name": view.label(claim), "text": view.label(claim),
        "appearance": [_ref(site, w, "CreativeWork") for w in works],
        "firstAppearance": _ref(site, first, "CreativeWork") if first else None,
        "about": [_term_ref(site, c) for c in dict.fromkeys(concepts)],
    })


def _date_key(view: GraphView, work: str) -> tuple[str, str] | None:
    """(year, full date or "") of a work, or None when its year is unknown."""
    issued = view.value(work, DCTERMS + "issued") or ""
    year = view.value(work, str(FABIO.hasPublicationYear)) or issued[:4]
    return (year, issued if len(issued) == 10 else "") if year else None


def _first(when: dict[str, tuple[str, str] | None]) -> str | None:
    """The work that stated the claim first, only when the dates settle it.

    A work of unknown date could be the earliest; among works of the earliest year, a full date must single
    one out (a work known only by its year could have appeared on any day of it).
    """
    known = {w: d for w, d in when.items() if d is not None}
    if not known or len(known) < len(when):
        return None
    earliest = min(year for year, _ in known.values())
    candidates = sorted((date, w) for w, (year, date) in known.items() if year == earliest)
    if len(candidates) == 1:
        return candidates[0][1]
    if any(not date for date, _ in candidates) or candidates[0][0] == candidates[1][0]:
        return None
    return candidates[0][1]


def _concept(site: Site, concept: str) -> Node:
    view = site.view
    return _clean({
        "@type": "DefinedTerm", "@id": concept, "url": concept,
        "name": view.value(concept, SKOS + "prefLabel") or view.label(concept),
        "alternateName": sorted(set(view.values(concept, SKOS + "altLabel"))),
        "description": view.value(concept, SKOS + "definition"),
        "termCode": view.value(concept, SKOS + "notation"),
        "inDefinedTermSet": _scheme(site, concept),
        "sameAs": sorted(set(view.values(concept, SKOS + "exactMatch"))),
    })


def _term_set(site: Site, scheme: str) -> Node:
    view = site.view
    return _clean({
        "@type": "DefinedTermSet", "@id": scheme, "url": scheme, "name": view.label(scheme),
        "description": view.value(scheme, DCTERMS + "description") or view.value(scheme, RDFS + "comment"),
        "license": view.value(scheme, DCTERMS + "license"),
        "version": view.value(scheme, OWL + "versionInfo"),
    })


def _vocabulary_term(site: Site, term: str) -> Node:
    view = site.view
    return _clean({
        "@type": "DefinedTerm", "@id": term, "url": term, "name": view.label(term),
        "description": view.value(term, RDFS + "comment") or view.value(term, SKOS + "definition"),
        "inDefinedTermSet": _scheme(site, term),
    })


def _dataset(site: Site, dataset: str) -> Node:
    """The dataset as Google's dataset search reads it, with its dumps as downloads.

    The dumps' DCAT description (media types, sizes) is made by :mod:`exokg.publish.dataset` and is not
    part of the graph, so it is read from there; the graph's own statements come first.
    """
    view = site.view
    described = None
    if dataset == site.iris.dataset():
        if view.reads is not None:  # the description counts the whole graph and reads the dumps' files
            view.reads.add(EVERYTHING)
        described = GraphView(describe(site).triples, site.iris.base)

    def value(predicate: str) -> str | None:
        found = view.value(dataset, predicate)
        return found if found is not None or described is None else described.value(dataset, predicate)

    downloads: dict[str, Node] = {}
    for node in described.values(dataset, DCAT + "distribution") if described else ():
        for url in described.values(node, DCAT + "downloadURL") if described else ():
            downloads[url] = _distribution(url, described, node)
    for url in view.values(dataset, str(VOID.dataDump)):
        downloads.setdefault(url, _distribution(url, None, None))
    issued = value(DCTERMS + "issued") or site.setting("build_date").isoformat()
    return _clean({
        "@type": "Dataset", "@id": dataset, "url": dataset,
        "name": value(DCTERMS + "title") or view.label(dataset),
        "description": value(DCTERMS + "description") or site.setting("description"),
        "license": value(DCTERMS + "license") or site.setting("licence"),
        "dateCreated": value(DCTERMS + "created") or issued,
        "datePublished": issued,
        "version": next((v for v in map(value, VERSION_PREDICATES) if v), None),
        "distribution": [downloads[url] for url in sorted(downloads)],
    })


def _distribution(url: str, described: GraphView | None, node: str | None) -> Node:
    def value(predicate: str) -> str | None:
        return described.value(node, predicate) if described and node else None

    media = (value(DCAT + "mediaType") or "").removeprefix(IANA)
    ext = url.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
    compressed = (value(DCAT + "compressFormat") or "").removeprefix(IANA)
    size = value(DCAT + "byteSize")
    return _clean({
        "@type": "DataDownload", "contentUrl": url, "name": value(DCTERMS + "title"),
        "encodingFormat": [f for f in dict.fromkeys((media or MEDIA_TYPES.get(ext), compressed or None)) if f],
        "contentSize": f"{size} B" if size else None,
    })


def _periodical(site: Site, journal: str) -> Node:
    return _clean({"@type": "Periodical", "@id": journal, "url": journal, "name": site.view.label(journal),
                   "issn": _issns(site.view, journal)})


def _person(site: Site, person: str) -> Node:
    view = site.view
    name = view.label(person)
    # The same person can be printed differently in different author lists (initials, accents).
    printed = {n for entry in view.subjects_with(str(EXO.agent), person)
               for n in view.values(entry, str(EXO.nameAsPrinted))}
    return _clean({"@type": "Person", "@id": person, "url": person, "name": name,
                   "alternateName": sorted(printed - {name})})


def _source_record(site: Site, record: str) -> Node:
    return _clean({"@type": "MediaObject", "@id": record, "url": record, "name": site.view.label(record),
                   "sha256": site.view.value(record, str(EXO.sha256))})


def _software(site: Site, software: str) -> Node:
    return _clean({"@type": "SoftwareApplication", "@id": software, "url": software,
                   "name": site.view.label(software),
                   "softwareVersion": site.view.value(software, str(SCHEMA.softwareVersion))})


def _thing(site: Site, iri: str) -> Node:
    view = site.view
    return _clean({"@type": "Thing", "@id": iri, "url": iri, "name": view.label(iri),
                   "description": view.value(iri, RDFS + "comment") or view.value(iri, DCTERMS + "description")})


# The first kind a resource has picks its schema.org type (a claim or concept is never a work, and so on).
_KINDS: tuple[tuple[str, Callable[[Site, str], Node]], ...] = (
    (str(FABIO.Expression), _work),
    (str(EXO.Claim), _claim),
    (SKOS + "Concept", _concept),
    (SKOS + "ConceptScheme", _term_set),
    (str(VOID.Dataset), _dataset),
    (DCAT + "Dataset", _dataset),
    (str(FABIO.Journal), _periodical),
    (FOAF + "Person", _person),
    (OWL + "Ontology", _term_set),
    *((kind, _vocabulary_term) for kind in sorted(TERM_TYPES)),
    (OWL + "NamedIndividual", _vocabulary_term),
    (str(EXO.SourceRecord), _source_record),
    (PROV + "SoftwareAgent", _software),
)
