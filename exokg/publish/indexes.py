"""Index pages for readers: the home page, the lists of articles, claims, concepts, journals and authors,
the saved queries with their results on this build, and the not-found page.

Every list has a fixed default order with ties broken by IRI, so two builds give the same bytes. A table a
reader may want in another order marks its sortable columns (``data-sort`` on the header cell, with the
current order in ``aria-sort``) and gives each cell's sort key in ``data-value``; ``assets/sort.js`` sorts
on a click. Without the script every table is complete, in its default order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import BlankNode, NamedNode

from exokg.graph.iris import doi_iri, pubmed_iri
from exokg.graph.namespaces import EXO, FABIO, FRBR, PRISM, SCHEMA
from exokg.publish.schema_org import collection_page, script_body, website
from exokg.publish.site import RDF_TYPE, Site
from exokg.publish.view import GraphView, Value
from exokg.query import QueryResult, SavedQuery, plain

DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@dataclass(frozen=True)
class Index:
    path: str
    title: str
    summary: str


ARTICLES = Index("articles.html", "Articles", "Every article of the corpus, with its journal, claims and references.")
CLAIMS = Index("claims.html", "Claims",
               "Every claim the articles make, contested ones first, then by how many works assert it.")
CONCEPTS = Index("concepts.html", "Concepts",
                 "Every concept of the graph's vocabularies, by vocabulary, with the claims and articles about it.")
JOURNALS = Index("journals.html", "Journals", "Every journal an article or a cited work appeared in.")
AUTHORS = Index("authors.html", "Authors", "Every author of an article or a cited work.")
QUERIES = Index("queries.html", "Saved queries", "The project's SPARQL queries, each with its result on this build.")
INDEXES = (ARTICLES, CLAIMS, CONCEPTS, JOURNALS, AUTHORS, QUERIES)


def plan_indexes(site: Site) -> None:
    """The home page, one page per index, and the not-found page."""
    counts = {}
    for index, make in ((ARTICLES, _articles), (CLAIMS, _claims), (CONCEPTS, _concepts), (JOURNALS, _journals),
                        (AUTHORS, _authors), (QUERIES, _queries)):
        if index.path in site.plan.files:
            site.warn(f"{index.path}: a resource's page has the path of the {index.title.lower()} index; "
                      "the index replaces it")
        context = _index_context(site, index)
        context.update(make(site, index.path))
        counts[index.path] = context["count"]
        site.add_page(index.path, index.path, context)
    _home(site, counts)
    site.add_page("404.html", "404.html", site.common(site.iris.base, "404.html", label="Not found"))


def _index_context(site: Site, index: Index) -> dict[str, Any]:
    context = site.common(site.iris.base + index.path, index.path, label=index.title)
    context["summary"] = index.summary
    context["jsonld"] = script_body(collection_page(site, index.path, index.title, index.summary))
    return context


def _home(site: Site, counts: dict[str, int]) -> None:
    view = site.view
    context = site.common(site.iris.base, "index.html", label=site.input.title)
    context["description"] = site.input.description
    context["dataset"] = site.link(site.iris.dataset(), "index.html")
    context["indexes"] = [{"href": i.path, "title": i.title, "summary": i.summary, "count": counts[i.path]}
                          for i in INDEXES]
    context["counts"] = {
        "articles": counts[ARTICLES.path],
        "works": len(view.subjects_with(RDF_TYPE, str(FABIO.Expression))),
        "claims": counts[CLAIMS.path],
        "triples": len(site.input.triples),
    }
    context["build_date"] = site.input.build_date.isoformat()
    context["jsonld"] = script_body(website(site))
    site.add_page("index.html", "index.html", context)


def _subjects(view: GraphView, predicate: object, obj: str) -> list[str]:
    return view.subjects_with(str(predicate), obj)


def _year(view: GraphView, work: str) -> int | None:
    found = view.value(work, str(FABIO.hasPublicationYear)) or (view.value(work, DCTERMS + "issued") or "")[:4]
    return int(found) if found and found.isdigit() else None


def _authors_text(view: GraphView, work: str) -> str:
    """The first author as printed, and "et al." when there are more (a reader recognises a paper by it)."""
    entries = sorted(view.values(work, str(EXO.authorship)),
                     key=lambda e: (int(view.value(e, str(SCHEMA.position)) or 0), e))
    if not entries:
        return ""
    agent = view.value(entries[0], str(EXO.agent))
    first = view.value(entries[0], str(EXO.nameAsPrinted)) or (view.label(agent) if agent else "")
    more = len(entries) > 1 or view.value(work, str(EXO.authorListComplete)) == "false"
    return first + (" et al." if first and more else "")


def _claims_count(view: GraphView, work: str) -> int:
    """The distinct claims a work asserts (several sentences may state one claim)."""
    return len({c for a in _subjects(view, EXO.assertedIn, work) for c in view.values(a, str(EXO.asserts))})


def _articles(site: Site, path: str) -> dict[str, Any]:
    view = site.view
    rows: list[dict[str, Any]] = []
    for article in view.subjects_with(RDF_TYPE, str(EXO.Article)):
        journal = view.value(article, DCTERMS + "isPartOf")
        doi, pmid = view.value(article, str(PRISM.doi)), view.value(article, str(FABIO.hasPubMedId))
        link = site.link(article, path)
        rows.append({
            "work": link, "year": _year(view, article), "authors": _authors_text(view, article),
            "journal": site.link(journal, path) if journal else None,
            "claims": _claims_count(view, article),
            "references": len(view.values(article, str(FRBR.part))),
            "doi_url": doi_iri(doi) if doi else None, "pubmed_url": pubmed_iri(pmid) if pmid else None,
        })
    # Newest first; a work of unknown year goes last.
    rows.sort(key=lambda r: (r["year"] is None, -(r["year"] or 0), r["work"].text.casefold(), r["work"].iri))
    return {"articles": rows, "count": len(rows)}


def _claims(site: Site, path: str) -> dict[str, Any]:
    view = site.view

    def number(claim: str, predicate: object) -> int:
        found = view.value(claim, str(predicate))
        return int(found) if found and found.lstrip("-").isdigit() else 0

    def link(iri: str | None) -> Value | None:
        return site.link(iri, path) if iri else None

    rows: list[dict[str, Any]] = []
    for claim in view.subjects_with(RDF_TYPE, str(EXO.Claim)):
        relation = view.value(claim, str(EXO.relation))
        asserting, firm = number(claim, EXO.assertingArticles), number(claim, EXO.firmArticles)
        rows.append({
            "claim": site.link(claim, path),
            "subject": link(view.value(claim, str(EXO.subject))),
            "relation": view.label(relation) if relation else "",
            "object": link(view.value(claim, str(EXO.object))),
            "negated": view.value(claim, str(EXO.negated)) == "true",
            "asserting": asserting, "firm": firm, "hedged": number(claim, EXO.hedgedArticles),
            "hedged_only": asserting > 0 and firm == 0,
            "contested": view.value(claim, str(EXO.contested)) == "true",
            "negation": link(view.value(claim, str(EXO.negationOf))),
        })
    rows.sort(key=lambda r: (not r["contested"], -r["asserting"], r["claim"].text.casefold(), r["claim"].iri))
    return {"claims": rows, "count": len(rows), "contested": sum(r["contested"] for r in rows)}


def _concepts(site: Site, path: str) -> dict[str, Any]:
    view = site.view
    groups: dict[str, list[dict[str, Any]]] = {}
    for concept in view.subjects_with(RDF_TYPE, SKOS + "Concept"):
        claims = {*_subjects(view, EXO.subject, concept), *_subjects(view, EXO.object, concept)}
        headings = {*_subjects(view, EXO.descriptor, concept), *_subjects(view, EXO.meshQualifier, concept)}
        works = {*_subjects(view, DCTERMS + "subject", concept),
                 *(w for h in headings for w in _subjects(view, EXO.meshHeading, h))}
        row: dict[str, Any] = {"concept": site.link(concept, path),
               "alt_labels": sorted(set(view.values(concept, SKOS + "altLabel")), key=lambda a: (a.casefold(), a)),
               "claims": len(claims), "articles": len(works)}
        for scheme in view.values(concept, SKOS + "inScheme") or [""]:
            groups.setdefault(scheme, []).append(row)
    schemes: list[dict[str, Any]] = []
    for scheme, rows in groups.items():
        rows.sort(key=lambda r: (r["concept"].text.casefold(), r["concept"].iri))
        schemes.append({"scheme": site.link(scheme, path) if scheme else None, "concepts": rows,
                        "with_claims": sum(1 for r in rows if r["claims"])})
    # Named vocabularies by name; concepts in none at the end.
    schemes.sort(key=lambda s: (s["scheme"] is None, s["scheme"].text.casefold() if s["scheme"] else "",
                                s["scheme"].iri if s["scheme"] else ""))
    for number, group in enumerate(schemes, start=1):
        group["anchor"] = f"scheme-{number}"
    return {"schemes": schemes, "count": len(view.subjects_with(RDF_TYPE, SKOS + "Concept"))}


def _counted(site: Site, path: str, members: Iterable[str], predicate: str) -> list[dict[str, Any]]:
    """Journals or people, each with its articles and all its works (cited ones too), by name."""
    view = site.view
    articles = set(view.subjects_with(RDF_TYPE, str(EXO.Article)))
    rows: list[dict[str, Any]] = []
    for member in members:
        works = set(view.subjects_with(predicate, member))
        rows.append({"link": site.link(member, path), "articles": len(works & articles), "works": len(works)})
    rows.sort(key=lambda r: (r["link"].text.casefold(), r["link"].iri))
    return rows


def _journals(site: Site, path: str) -> dict[str, Any]:
    rows = _counted(site, path, site.view.subjects_with(RDF_TYPE, str(FABIO.Journal)), DCTERMS + "isPartOf")
    return {"rows": rows, "count": len(rows), "kind": "Journal"}


def _authors(site: Site, path: str) -> dict[str, Any]:
    rows = _counted(site, path, site.view.subjects_with(RDF_TYPE, FOAF_PERSON), DCTERMS + "creator")
    return {"rows": rows, "count": len(rows), "kind": "Author"}


def _queries(site: Site, path: str) -> dict[str, Any]:
    found = []
    anchors: set[str] = set()
    for query, result in site.input.queries:
        anchor = "query-" + (re.sub(r"[^a-z0-9_-]+", "-", query.name.lower()).strip("-") or "unnamed")
        while anchor in anchors:
            anchor += "-x"
        anchors.add(anchor)
        missing = [p.name for p in query.parameters if p.required and p.default is None]
        found.append({
            "name": query.name, "anchor": anchor, "summary": query.summary, "description": query.description,
            "tags": list(query.tags), "text": query.text,
            "parameters": [{"name": p.name, "kind": p.kind, "required": p.required, "default": p.default}
                           for p in query.parameters],
            "missing": missing, **_outcome(site, query, result, path, missing),
        })
    return {"queries": found, "count": len(found)}


def _outcome(site: Site, query: SavedQuery, result: QueryResult, path: str, missing: list[str]) -> dict[str, Any]:
    """What the page shows for a query's run on this build: rows, a yes/no answer, or why there is none.

    The build publishes a query it could not run (see ``exokg.pipeline.site_input``) with an empty
    result: no variables and no rows, which no SELECT query that ran gives.
    """
    if missing:
        return {"state": "needs-value", "answer": None, "result": None}
    if result.form == "ASK":
        return {"state": "answer", "answer": "yes" if result.boolean else "no", "result": None}
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        rows = [[_cell(site, term, path) for term in (t.subject, t.predicate, t.object)] for t in result.triples]
        return {"state": "table", "answer": None,
                "result": {"variables": ["subject", "predicate", "object"], "rows": rows, "unit": "triple"}}
    if not result.variables and not result.terms:
        return {"state": "failed", "answer": None, "result": None}
    terms = list(result.terms)
    code = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    if not _ORDER_BY.search(code):
        # The store's order of an unordered result is not part of SPARQL's answer; a fixed one is.
        terms.sort(key=lambda row: tuple("" if isinstance(t, BlankNode) else str(t) for t in row))
    return {"state": "table", "answer": None,
            "result": {"variables": list(result.variables), "unit": "row",
                       "rows": [[_cell(site, term, path) for term in row] for row in terms]}}


def _cell(site: Site, term: object, path: str) -> dict[str, Any]:
    """One value of a result: an IRI by its label, linked to its page when it has one."""
    if isinstance(term, NamedNode):
        link = site.link(term.value, path)
        return {"text": link.text, "href": link.href, "iri": term.value, "number": False}
    if isinstance(term, BlankNode):
        # A blank node's name differs from run to run; it says nothing to a reader.
        return {"text": "(blank node)", "href": None, "iri": None, "number": False}
    value = plain(term)
    if isinstance(value, bool):
        return {"text": "true" if value else "false", "href": None, "iri": None, "number": False}
    text = "" if value is None else str(value)
    return {"text": text, "href": None, "iri": None, "number": isinstance(value, int | float)}
