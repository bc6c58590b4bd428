"""The publish stage, first half: every file of the site planned in memory, every internal link checked.

Nothing is written here; :mod:`exokg.publish.write` writes a checked plan. Templates receive plain data
(text, relative links), never RDF terms.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from pyoxigraph import Triple

from exokg.graph import store
from exokg.graph.iris import Iris, doi_iri, pmc_iri, pubmed_iri
from exokg.graph.mapping import lexical
from exokg.graph.namespaces import BIRO, C4O, CITO, EXO, FABIO, FRBR, PRISM, SCHEMA
from exokg.publish.claims import claim_context, concept_context, work_claims
from exokg.publish.view import GraphView, Value, compact

DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
FORMATS = (("ttl", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
           ("nt", "application/n-triples", "N-Triples"))

Render = Callable[[str, dict[str, Any]], str]


@dataclass
class SitePlan:
    """The site as bytes by relative path, and the problems found while planning it."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: int = 0
    warnings: list[str] = field(default_factory=list)


def page_file(iris: Iris, iri: str) -> str | None:
    """Site-relative file of the HTML page of a resource under the base (``work/doi-x.html``)."""
    local = iris.local_path(iri)
    if local is None:
        return None
    if local == "" or local.endswith("/"):
        return local + "index.html"
    if re.search(r"\.(ttl|nt|jsonld|html|gz|trig|nq)$", local):
        return local  # a file the site publishes as it is (a dump), not a resource page
    return local + ".html"


def plan_site(
    triples: Sequence[Triple],
    iris: Iris,
    render: Render,
    site_title: str,
    assets: dict[str, bytes],
    vocabulary: Sequence[Triple] = (),
) -> SitePlan:
    """Every file of the site: a page and three RDF files per resource, the index, dumps and assets.

    ``vocabulary`` (the ontology) gets pages for its terms under the base, but stays out of the dumps.
    """
    view = GraphView([*triples, *vocabulary], iris.base)
    plan = SitePlan(files=dict(assets))
    for page in view.pages():
        path = page_file(iris, page)
        if path is None or path.endswith(tuple(f".{ext}" for ext, _, _ in FORMATS)):
            continue
        stem = path[: -len(".html")]
        description = view.description(page)
        representations = {"ttl": store.turtle(description), "jsonld": store.jsonld(description),
                           "nt": store.ntriples(description)}
        for ext, content in representations.items():
            plan.files[f"{stem}.{ext}"] = content
        context = _page_context(view, iris, page, path, site_title)
        template = _template(view.types(page))
        plan.files[path] = render(template, context).encode("utf-8")
        plan.pages += 1
    index_context = _common(view, iris, iris.base, "index.html", site_title)
    index_context["articles"] = [_article_summary(view, iris, a, "index.html")
                                 for a in sorted(view.subjects_with(_rdf_type(), str(EXO.Article)),
                                                 key=lambda a: (view.label(a).lower(), a))]
    index_context["dataset"] = _link(view, iris, iris.dataset(), "index.html")
    index_context["counts"] = {
        "articles": len(index_context["articles"]),
        "works": len(view.subjects_with(_rdf_type(), str(FABIO.Expression))),
        "triples": len(triples),
    }
    plan.files["index.html"] = render("index.html", index_context).encode("utf-8")
    plan.files["404.html"] = render("404.html", _common(view, iris, iris.base, "404.html", site_title)).encode()
    plan.files["dump.ttl"] = store.turtle(triples)
    plan.files["dump.nt"] = store.ntriples(triples)
    plan.files["dump.jsonld"] = store.jsonld(triples)
    plan.pages += 2
    plan.warnings.extend(check_links(plan.files))
    return plan


def _template(types: list[str]) -> str:
    for kind, template in ((EXO.Article, "article.html"), (FABIO.Expression, "work.html"),
                           (EXO.Claim, "claim.html"), (SKOS_CONCEPT, "concept.html")):
        if str(kind) in types:
            return template
    return "resource.html"


def _rdf_type() -> str:
    return "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _href(from_path: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def _link(view: GraphView, iris: Iris, iri: str, from_path: str) -> Value:
    # Only a resource the graph describes has a page; anything else links to its IRI as it is.
    target = page_file(iris, iri) if iri.split("#", 1)[0] in view.by_page else None
    href = _href(from_path, target) if target else iri
    return Value(view.label(iri), iri, href=href)


def _common(view: GraphView, iris: Iris, page: str, path: str, site_title: str) -> dict[str, Any]:
    stem = path[: -len(".html")]
    return {
        "site_title": site_title,
        "iri": page,
        "root": _href(path, "index.html").removesuffix("index.html"),
        "label": view.label(page),
        "types": [compact(t) for t in view.types(page)],
        "alternates": [{"href": _href(path, f"{stem}.{ext}"), "type": media, "name": name}
                       for ext, media, name in FORMATS] if path not in ("index.html", "404.html") else [],
        "dumps": [{"href": _href(path, f"dump.{ext}"), "name": name} for ext, name in
                  (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"))],
    }


def _page_context(view: GraphView, iris: Iris, page: str, path: str, site_title: str) -> dict[str, Any]:
    context = _common(view, iris, page, path, site_title)
    rows = []
    for triple in view.by_page[page]:
        obj = view.as_value(triple.object)  # type: ignore[arg-type]
        if obj.iri:
            obj = _link(view, iris, obj.iri, path) if obj.iri.startswith(iris.base) else Value(
                obj.text, obj.iri, href=obj.iri)
        subject = lexical(triple.subject)
        rows.append({"subject": "#" + subject.split("#", 1)[1] if "#" in subject else "",
                     "predicate": compact(triple.predicate.value), "predicate_iri": triple.predicate.value,
                     "value": obj})
    context["statements"] = rows
    types = view.types(page)

    def link(iri: str) -> Value:
        return _link(view, iris, iri, path)

    if str(FABIO.Expression) in types:
        context.update(_work_context(view, iris, page, path))
        context["claims"] = work_claims(view, page, link)
    if str(EXO.Claim) in types:
        context.update(claim_context(view, page, link))
    if SKOS_CONCEPT in types:
        context.update(concept_context(view, page, link))
    return context


def _work_context(view: GraphView, iris: Iris, work: str, path: str) -> dict[str, Any]:
    doi, pmid, pmcid = (view.value(work, str(p)) for p in (PRISM.doi, FABIO.hasPubMedId, FABIO.hasPubMedCentralId))
    journal = view.value(work, DCTERMS + "isPartOf")
    authors = []
    for entry in sorted(view.values(work, str(EXO.authorship)),
                        key=lambda e: int(view.value(e, str(SCHEMA.position)) or 0)):
        person = view.value(entry, str(EXO.agent))
        authors.append({"name": view.value(entry, str(EXO.nameAsPrinted)) or "",
                        "href": _link(view, iris, person, path).href if person else None,
                        "affiliations": view.values(entry, str(EXO.affiliationAsPrinted))})
    references = []
    for entry in sorted(view.values(work, str(FRBR.part)), key=lambda e: int(view.value(e, str(SCHEMA.position)) or 0)):
        cited = view.value(entry, str(BIRO.references))
        if cited is None:
            continue
        references.append({"position": view.value(entry, str(SCHEMA.position)),
                           "text": view.value(entry, str(C4O.hasContent)),
                           **_work_links(view, iris, cited, path)})
    citing = []
    for other in view.subjects_with(str(CITO.cites), work):
        entries = [e for e in view.values(other, str(FRBR.part)) if view.value(e, str(BIRO.references)) == work]
        citing.append({**_work_links(view, iris, other, path),
                       "as_printed": [view.value(e, str(C4O.hasContent)) for e in entries
                                      if view.value(e, str(C4O.hasContent))]})
    sources = [_link(view, iris, s, path) for s in view.values(work, "http://www.w3.org/ns/prov#wasDerivedFrom")]
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
        "journal": _link(view, iris, journal, path) if journal else None,
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
        "keywords": [_link(view, iris, k, path) for k in view.values(work, DCTERMS + "subject")],
        "references": references,
        "cited_by": sorted(citing, key=lambda c: (c["work"].text.lower(), c["work"].iri or "")),
        "sources": sources,
    }


def _work_links(view: GraphView, iris: Iris, work: str, path: str) -> dict[str, Any]:
    doi, pmid = view.value(work, str(PRISM.doi)), view.value(work, str(FABIO.hasPubMedId))
    return {"work": _link(view, iris, work, path), "year": view.value(work, str(FABIO.hasPublicationYear)),
            "doi_url": doi_iri(doi) if doi else None, "pubmed_url": pubmed_iri(pmid) if pmid else None}


def _article_summary(view: GraphView, iris: Iris, article: str, path: str) -> dict[str, Any]:
    journal = view.value(article, DCTERMS + "isPartOf")
    return {**_work_links(view, iris, article, path),
            "journal": view.label(journal) if journal else None,
            "references": len(view.values(article, str(FRBR.part)))}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def check_links(files: dict[str, bytes]) -> list[str]:
    """Every relative link of every HTML file must name a planned file: the dangling ones, as warnings."""
    problems = []
    for path in sorted(p for p in files if p.endswith(".html")):
        parser = _Links()
        parser.feed(files[path].decode("utf-8"))
        for target in parser.targets:
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", target, re.I):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.split("#")[0]))
            if resolved not in files:
                problems.append(f"{path}: link to {target} does not resolve to a file of the site")
    return problems
