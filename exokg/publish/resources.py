"""Resource pages: one HTML page per resource under the base, with its description as Turtle, JSON-LD
and N-Triples beside it.
"""

from __future__ import annotations

import functools
import sys
from collections import defaultdict
from typing import Any, NamedTuple

from exokg.graph import store
from exokg.graph.iris import doi_iri, pmc_iri, pubmed_iri
from exokg.graph.mapping import lexical
from exokg.graph.namespaces import BIRO, C4O, CITO, EXO, FABIO, FRBR, PRISM, SCHEMA, VOID
from exokg.publish.claims import claim_context, concept_context, work_claims
from exokg.publish.dataset import dataset_context
from exokg.publish.docs import TERM_TYPES, term_context
from exokg.publish.links import page_links
from exokg.publish.parallel import pages_in_processes
from exokg.publish.schema_org import embedded_jsonld
from exokg.publish.site import FORMATS, Site, page_file, web_href
from exokg.publish.view import Value, compact

DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
# rdflib namespace attributes are looked up on every access: the terms a page reads, as plain strings once.
BIRO_REFERENCES = str(BIRO.references)
CITO_CITES = str(CITO.cites)
EXO_ABSTRACT_SECTION = str(EXO.abstractSection)
EXO_AFFILIATION_AS_PRINTED = str(EXO.affiliationAsPrinted)
EXO_AGENT = str(EXO.agent)
EXO_ARTICLE = str(EXO.Article)
EXO_AUTHORSHIP = str(EXO.authorship)
EXO_AUTHOR_LIST_COMPLETE = str(EXO.authorListComplete)
EXO_CLAIM = str(EXO.Claim)
EXO_NAME_AS_PRINTED = str(EXO.nameAsPrinted)
EXO_PUBLICATION_DATE_AS_PRINTED = str(EXO.publicationDateAsPrinted)
EXO_PUBLICATION_TYPE = str(EXO.publicationType)
EXO_TEXT = str(EXO.text)
FABIO_EXPRESSION = str(FABIO.Expression)
FABIO_HAS_PUBLICATION_YEAR = str(FABIO.hasPublicationYear)
FABIO_HAS_PUB_MED_ID = str(FABIO.hasPubMedId)
FRBR_PART = str(FRBR.part)
PRISM_DOI = str(PRISM.doi)
PRISM_ISSUE_IDENTIFIER = str(PRISM.issueIdentifier)
PRISM_PAGE_RANGE = str(PRISM.pageRange)
PRISM_VOLUME = str(PRISM.volume)
SCHEMA_POSITION = str(SCHEMA.position)
SCHEMA_PUBLISHER = str(SCHEMA.publisher)
VOID_DATASET = str(VOID.Dataset)


def plan_resources(site: Site) -> None:
    """A page and three RDF files for every resource under the base (the dataset and ontology terms too).

    With :attr:`Site.workers`, worker processes make some of them at the same time (:mod:`.parallel`).
    """
    pages = resource_pages(site)
    site.resource_paths = frozenset(path for _, path in pages)
    if site.workers is not None and pages_in_processes(
            site, pages, plan_resource, site.workers,
            first=[i for i, (page, _) in enumerate(pages) if needs_whole_site(site, page)]):
        return
    for page, path in pages:
        plan_resource(site, page, path)


def resource_pages(site: Site) -> list[tuple[str, str]]:
    """The resources that get a page, with the page's path, in IRI order."""
    found = []
    for page in site.view.pages():
        path = page_file(site.iris, page)
        if path is None or path.endswith(tuple(f".{ext}" for ext, _, _ in FORMATS)) or path == "index.html":
            continue
        found.append((page, path))
    return found


def plan_resource(site: Site, page: str, path: str) -> list[str]:
    """One resource's page and files planned; their paths, the page last. The page's link targets are read
    as it is made, into :attr:`Site.known_links`.

    With :attr:`Site.reuse`, a page whose inputs are those of a page of the previous build is that page's
    files, linked (:mod:`exokg.publish.reuse`), and a page made anew is kept for the next build. Unless it
    reads the whole site, a page whose reads of the graph are unchanged is not even worked out.
    """
    stem = path[: -len(".html")]
    made = [f"{stem}.{ext}" for ext, _, _ in FORMATS]
    files = [*made, path]
    reuse, view = site.reuse, site.view
    # A page that reads the whole site is worked out every time; any other is known by what it read.
    by_reads = reuse is not None and reuse.on and not needs_whole_site(site, page)
    known = reuse.unchanged(site, path) if by_reads and reuse is not None else None
    if reuse is not None and known is not None and (links := reuse.take(known, files)) is not None:
        return _taken(site, made, path, links)
    warned = len(site.plan.warnings)
    if by_reads:
        view.reads = set()
    try:
        description = view.description(page)
        template = _template(view.types(page))
        context = page_context(site, page, path)
    finally:
        reads, view.reads = view.reads, None
    ntriples = store.ntriples(description)
    key = reuse.key(path, template, ntriples, context) if reuse is not None else None
    # The page under a key just looked for is not there as it was kept: it is made.
    taken = reuse.take(key, files) if reuse is not None and key is not None and key != known else None
    if taken is not None:
        _taken(site, made, path, taken)
    else:
        site.add_file(made[0], store.turtle(description))
        site.add_file(made[1], store.jsonld(description))
        site.add_file(made[2], ntriples)
        html = site.add_page(path, template, context)
        # Read here, where the page is text already, rather than read back by the link check; one string object
        # for each target that repeats across pages (the same folders, the same targets).
        links = site.known_links[path] = [sys.intern(target) for target in page_links(html)]
        if reuse is not None and key is not None:
            reuse.keep(key, files, links)
    # A page that warned is worked out again, to warn again.
    if reuse is not None and key is not None and reads is not None and len(site.plan.warnings) == warned:
        reuse.keep_reads(site, path, reads, key)
    return files


def _taken(site: Site, made: list[str], path: str, links: list[str]) -> list[str]:
    """The page and files a page's reuse took, in the plan; their paths, the page last."""
    for file in made:
        site.known_links.pop(file, None)
    site.known_links[path] = links
    site.plan.pages += 1
    return [*made, path]


def needs_whole_site(site: Site, page: str) -> bool:
    """Whether a resource's page reads more than the graph: the dataset's (the dumps) and the vocabulary
    terms' (the documentation sections). Only the process that plans the whole site makes these."""
    types = site.view.types(page)
    return VOID_DATASET in types or any(t in TERM_TYPES for t in types)


# The first kind a resource has picks its page template.
PAGE_KINDS = ((EXO_ARTICLE, "article.html"), (FABIO_EXPRESSION, "work.html"), (EXO_CLAIM, "claim.html"),
              (SKOS_CONCEPT, "concept.html"), (VOID_DATASET, "dataset.html"),
              *((t, "term.html") for t in TERM_TYPES))


def _template(types: list[str]) -> str:
    for kind, template in PAGE_KINDS:
        if kind in types:
            return template
    return "resource.html"


class Statement(NamedTuple):
    """A row of a page's table of statements (``_statements.html``)."""

    subject: str  # the part of the page the triple is about (``#author-1``), or empty for the resource itself
    predicate: str
    predicate_iri: str | None
    value: Value


@functools.lru_cache(maxsize=4096)
def _predicate_cell(predicate: str) -> tuple[str, str | None]:
    # A page prints the same few dozen predicates hundreds of times.
    return compact(predicate), web_href(predicate)


def page_context(site: Site, page: str, path: str) -> dict[str, Any]:
    """The template context of one resource page: its statements, and what its kind of page shows."""
    view = site.view
    context = site.common(page, path)
    rows = []
    for triple in view.statements(page):
        obj = view.as_value(triple.object)  # type: ignore[arg-type]
        if obj.iri:
            obj = site.link(obj.iri, path) if obj.iri.startswith(site.iris.base) else Value(
                obj.text, obj.iri, href=web_href(obj.iri))
        subject = lexical(triple.subject)
        rows.append(Statement("#" + subject.split("#", 1)[1] if "#" in subject else "",
                              *_predicate_cell(triple.predicate.value), obj))
    context["statements"] = rows
    types = view.types(page)

    def link(iri: str) -> Value:
        return site.link(iri, path)

    if FABIO_EXPRESSION in types:
        context.update(_work_context(site, page, path))
        context["claims"] = work_claims(view, page, link)
    if EXO_CLAIM in types:
        context.update(claim_context(view, page, link))
    if SKOS_CONCEPT in types:
        context.update(concept_context(view, page, link))
    if VOID_DATASET in types:
        context.update(dataset_context(site, page, path))
    if any(t in TERM_TYPES for t in types):
        context.update(term_context(site, page, path))
    context["jsonld"] = embedded_jsonld(site, page, path)
    return context


def _work_context(site: Site, work: str, path: str) -> dict[str, Any]:
    view = site.view
    doi, pmid, pmcid = (view.value(work, str(p)) for p in (PRISM.doi, FABIO.hasPubMedId, FABIO.hasPubMedCentralId))
    journal = view.value(work, DCTERMS + "isPartOf")
    authors = []
    for entry in sorted(view.values(work, EXO_AUTHORSHIP),
                        key=lambda e: int(view.value(e, SCHEMA_POSITION) or 0)):
        person = view.value(entry, EXO_AGENT)
        authors.append({"name": view.value(entry, EXO_NAME_AS_PRINTED) or "",
                        "href": site.link(person, path).href if person else None,
                        "affiliations": view.values(entry, EXO_AFFILIATION_AS_PRINTED)})
    references = []
    for entry in sorted(view.values(work, FRBR_PART), key=lambda e: int(view.value(e, SCHEMA_POSITION) or 0)):
        cited = view.value(entry, BIRO_REFERENCES)
        if cited is None:
            continue
        references.append({"position": view.value(entry, SCHEMA_POSITION),
                           "text": view.value(entry, str(C4O.hasContent)),
                           **work_links(site, cited, path)})
    citing = []
    # The reference entries that cite the work, by the article they are part of: a work cited by many articles
    # would otherwise have each citing article's whole reference list read for it.
    entries_of: dict[str, list[str]] = defaultdict(list)
    for entry in view.subjects_with(BIRO_REFERENCES, work):
        if view.value(entry, BIRO_REFERENCES) == work:
            for article in view.subjects_with(FRBR_PART, entry):
                entries_of[article].append(entry)
    for other in view.subjects_with(CITO_CITES, work):
        found = entries_of.get(other, [])
        # In the order of the article's reference list, as the page lists them.
        entries = found if len(found) < 2 else [e for e in view.values(other, FRBR_PART) if e in found]
        citing.append({**work_links(site, other, path),
                       "as_printed": [view.value(e, str(C4O.hasContent)) for e in entries
                                      if view.value(e, str(C4O.hasContent))]})
    sources = [site.link(s, path) for s in view.values(work, PROV_DERIVED)]
    abstract_sections = [
        {"label": view.value(s, RDFS_LABEL), "text": view.value(s, EXO_TEXT)}
        for s in sorted(view.values(work, EXO_ABSTRACT_SECTION),
                        key=lambda s: int(view.value(s, SCHEMA_POSITION) or 0))
    ]
    return {
        "title": view.value(work, DCTERMS + "title"),
        "doi": doi, "doi_url": doi_iri(doi) if doi else None,
        "pmid": pmid, "pubmed_url": pubmed_iri(pmid) if pmid else None,
        "pmcid": pmcid, "pmc_url": pmc_iri(pmcid) if pmcid else None,
        "journal": site.link(journal, path) if journal else None,
        "year": view.value(work, FABIO_HAS_PUBLICATION_YEAR),
        "date": view.value(work, EXO_PUBLICATION_DATE_AS_PRINTED),
        "volume": view.value(work, PRISM_VOLUME),
        "issue": view.value(work, PRISM_ISSUE_IDENTIFIER),
        "pages": view.value(work, PRISM_PAGE_RANGE),
        "publication_types": view.values(work, EXO_PUBLICATION_TYPE),
        "publisher": view.value(work, SCHEMA_PUBLISHER),
        "authors": authors,
        "authors_complete": view.value(work, EXO_AUTHOR_LIST_COMPLETE) != "false",
        "abstract": view.value(work, DCTERMS + "abstract"),
        "abstract_sections": abstract_sections,
        "keywords": [site.link(k, path) for k in view.values(work, DCTERMS + "subject")],
        "references": references,
        "cited_by": sorted(citing, key=lambda c: (c["work"].text.lower(), c["work"].iri or "")),
        "sources": sources,
    }


def work_links(site: Site, work: str, path: str) -> dict[str, Any]:
    """A work as a list entry: a link to its page, its year, DOI and PubMed links."""
    view = site.view
    doi, pmid = view.value(work, PRISM_DOI), view.value(work, FABIO_HAS_PUB_MED_ID)
    return {"work": site.link(work, path), "year": view.value(work, FABIO_HAS_PUBLICATION_YEAR),
            "doi_url": doi_iri(doi) if doi else None, "pubmed_url": pubmed_iri(pmid) if pmid else None}
