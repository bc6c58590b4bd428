"""Resource pages: one HTML page per resource under the base, with its description as Turtle, JSON-LD
and N-Triples beside it.
"""

from __future__ import annotations

from typing import Any

from exokg.graph import store
from exokg.graph.iris import doi_iri, pmc_iri, pubmed_iri
from exokg.graph.mapping import lexical
from exokg.graph.namespaces import BIRO, C4O, CITO, EXO, FABIO, FRBR, PRISM, SCHEMA, VOID
from exokg.publish.claims import claim_context, concept_context, work_claims
from exokg.publish.dataset import dataset_context
from exokg.publish.docs import TERM_TYPES, term_context
from exokg.publish.schema_org import embedded_jsonld
from exokg.publish.site import FORMATS, Site, page_file, web_href
from exokg.publish.view import Value, compact

DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


def plan_resources(site: Site) -> None:
    """A page and three RDF files for every resource under the base (the dataset and ontology terms too)."""
    view = site.view
    for page in view.pages():
        path = page_file(site.iris, page)
        if path is None or path.endswith(tuple(f".{ext}" for ext, _, _ in FORMATS)) or path == "index.html":
            continue
        stem = path[: -len(".html")]
        description = view.description(page)
        site.add_file(f"{stem}.ttl", store.turtle(description))
        site.add_file(f"{stem}.jsonld", store.jsonld(description))
        site.add_file(f"{stem}.nt", store.ntriples(description))
        site.add_page(path, _template(view.types(page)), page_context(site, page, path))


# The first kind a resource has picks its page template.
PAGE_KINDS = ((str(EXO.Article), "article.html"), (str(FABIO.Expression), "work.html"), (str(EXO.Claim), "claim.html"),
              (SKOS_CONCEPT, "concept.html"), (str(VOID.Dataset), "dataset.html"),
              *((t, "term.html") for t in TERM_TYPES))


def _template(types: list[str]) -> str:
    for kind, template in PAGE_KINDS:
        if kind in types:
            return template
    return "resource.html"


def page_context(site: Site, page: str, path: str) -> dict[str, Any]:
    """The template context of one resource page: its statements, and what its kind of page shows."""
    view = site.view
    context = site.common(page, path)
    rows = []
    for triple in view.by_page[page]:
        obj = view.as_value(triple.object)  # type: ignore[arg-type]
        if obj.iri:
            obj = site.link(obj.iri, path) if obj.iri.startswith(site.iris.base) else Value(
                obj.text, obj.iri, href=web_href(obj.iri))
        subject = lexical(triple.subject)
        rows.append({"subject": "#" + subject.split("#", 1)[1] if "#" in subject else "",
                     "predicate": compact(triple.predicate.value), "predicate_iri": web_href(triple.predicate.value),
                     "value": obj})
    context["statements"] = rows
    types = view.types(page)

    def link(iri: str) -> Value:
        return site.link(iri, path)

    if str(FABIO.Expression) in types:
        context.update(_work_context(site, page, path))
        context["claims"] = work_claims(view, page, link)
    if str(EXO.Claim) in types:
        context.update(claim_context(view, page, link))
    if SKOS_CONCEPT in types:
        context.update(concept_context(view, page, link))
    if str(VOID.Dataset) in types:
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
    for entry in sorted(view.values(work, str(EXO.authorship)),
                        key=lambda e: int(view.value(e, str(SCHEMA.position)) or 0)):
        person = view.value(entry, str(EXO.agent))
        authors.append({"name": view.value(entry, str(EXO.nameAsPrinted)) or "",
                        "href": site.link(person, path).href if person else None,
                        "affiliations": view.values(entry, str(EXO.affiliationAsPrinted))})
    references = []
    for entry in sorted(view.values(work, str(FRBR.part)), key=lambda e: int(view.value(e, str(SCHEMA.position)) or 0)):
        cited = view.value(entry, str(BIRO.references))
        if cited is None:
            continue
        references.append({"position": view.value(entry, str(SCHEMA.position)),
                           "text": view.value(entry, str(C4O.hasContent)),
                           **work_links(site, cited, path)})
    citing = []
    for other in view.subjects_with(str(CITO.cites), work):
        entries = [e for e in view.values(other, str(FRBR.part)) if view.value(e, str(BIRO.references)) == work]
        citing.append({**work_links(site, other, path),
                       "as_printed": [view.value(e, str(C4O.hasContent)) for e in entries
                                      if view.value(e, str(C4O.hasContent))]})
    sources = [site.link(s, path) for s in view.values(work, PROV_DERIVED)]
    abstract_sections = [
        {"label": view.value(s, RDFS_LABEL), "text": view.value(s, str(EXO.text))}
        for s in sorted(view.values(work, str(EXO.abstractSection)),
                        key=lambda s: int(view.value(s, str(SCHEMA.position)) or 0))
    ]
    return {
        "title": view.value(work, DCTERMS + "title"),
        "doi": doi, "doi_url": doi_iri(doi) if doi else None,
        "pmid": pmid, "pubmed_url": pubmed_iri(pmid) if pmid else None,
        "pmcid": pmcid, "pmc_url": pmc_iri(pmcid) if pmcid else None,
        "journal": site.link(journal, path) if journal else None,
        "year": view.value(work, str(FABIO.hasPublicationYear)),
        "date": view.value(work, str(EXO.publicationDateAsPrinted)),
        "volume": view.value(work, str(PRISM.volume)),
        "issue": view.value(work, str(PRISM.issueIdentifier)),
        "pages": view.value(work, str(PRISM.pageRange)),
        "publication_types": view.values(work, str(EXO.publicationType)),
        "publisher": view.value(work, str(SCHEMA.publisher)),
        "authors": authors,
        "authors_complete": view.value(work, str(EXO.authorListComplete)) != "false",
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
    doi, pmid = view.value(work, str(PRISM.doi)), view.value(work, str(FABIO.hasPubMedId))
    return {"work": site.link(work, path), "year": view.value(work, str(FABIO.hasPublicationYear)),
            "doi_url": doi_iri(doi) if doi else None, "pubmed_url": pubmed_iri(pmid) if pmid else None}
