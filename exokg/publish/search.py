"""Client-side full-text search: an index of titles, abstracts, claims and concepts, and its page.

The site is static, so the search runs in the reader's browser: the build writes the searchable text of
every article, cited work, claim and concept as plain documents (``search/index.json``), and the search
page indexes them with MiniSearch when it opens. Raw documents rather than an index serialised at build
time keep the build free of Node and the file readable by anyone; the browser indexes the documents of a
thousand articles and the works they cite in one to two seconds. Browsers refuse ``fetch`` of local
files, so the same documents are also written as a script (``search/index.js``) that the page loads when
the site is opened from disk.
"""

from __future__ import annotations

import json
from typing import Any

from exokg.graph.namespaces import EXO, FABIO, SCHEMA
from exokg.publish.site import Site, page_file
from exokg.publish.vendor import ship_package

DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
INDEX_JSON = "search/index.json"
INDEX_SCRIPT = "search/index.js"
SEARCH_PAGE = "search.html"
# The library's browser build (UMD: defines the global ``MiniSearch``) and its licence, as the site ships them.
LIBRARY = "minisearch"
LIBRARY_FILES = (("dist/umd/index.js", "assets/vendor/minisearch/index.js"),
                 ("LICENSE.txt", "assets/vendor/minisearch/LICENSE.txt"))
# What the search page calls each kind of document.
KINDS = (("article", "Article"), ("claim", "Claim"), ("concept", "Concept"), ("work", "Cited work"))


def plan_search(site: Site) -> None:
    """The search index, the search page and the search library's files."""
    package = ship_package(LIBRARY, site.input.vendor_dirs, LIBRARY_FILES, site.add_file)
    documents = search_documents(site)
    data = {"documents": documents, "kinds": dict(KINDS)}
    text = index_json(data)
    site.add_file(INDEX_JSON, text.encode("utf-8"))
    site.add_file(INDEX_SCRIPT, f"window.exokgSearchIndex = {text};\n".encode())
    context = site.common(site.iris.base, SEARCH_PAGE, label="Search")
    context.update({
        "index_json": INDEX_JSON,
        "index_script": INDEX_SCRIPT,
        "library_js": LIBRARY_FILES[0][1],
        "library_licence": LIBRARY_FILES[1][1],
        "library_version": package.version,
        "documents": len(documents),
    })
    site.add_page(SEARCH_PAGE, "search.html", context)


def index_json(data: dict[str, Any]) -> str:
    """Deterministic JSON that is also safe anywhere in HTML or a script: ``<``, ``>`` and ``&`` escaped.

    The page never parses it as HTML, but a script file of it must not end a ``<script>`` element if
    someone inlines it, and U+2028/U+2029 are line ends to older JavaScript parsers.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def search_documents(site: Site) -> list[dict[str, str]]:
    """One document per article, cited work, claim and concept that has a page, in the order of their pages.

    Fields: ``kind``, ``url`` (the page, relative to the site root, where the search page is), ``title``,
    ``text`` (abstract, evidence sentences or definition), for works ``authors``, ``year``, ``journal`` and
    ``keywords``, for concepts ``labels`` (the other names). Empty fields are left out to keep the file small.
    """
    view = site.view
    documents = []
    for iri in view.pages():
        url = page_file(site.iris, iri)
        if url is None or url not in site.plan.files:
            continue
        types = view.types(iri)
        if str(EXO.Article) in types:
            document = _work(site, iri, "article")
        elif str(FABIO.Expression) in types:
            document = _work(site, iri, "work")
        elif str(EXO.Claim) in types:
            document = _claim(site, iri)
        elif SKOS + "Concept" in types:
            document = _concept(site, iri)
        else:
            continue
        document["url"] = url
        documents.append({key: value for key, value in document.items() if value})
    return sorted(documents, key=lambda d: d["url"])


def _work(site: Site, work: str, kind: str) -> dict[str, str]:
    view = site.view
    abstract = view.value(work, DCTERMS + "abstract")
    if not abstract:
        sections = sorted(view.values(work, str(EXO.abstractSection)), key=lambda s: _position(site, s))
        abstract = "\n".join(text for s in sections if (text := view.value(s, str(EXO.text))))
    authors = [view.value(entry, str(EXO.nameAsPrinted)) or ""
               for entry in sorted(view.values(work, str(EXO.authorship)), key=lambda e: _position(site, e))]
    journal = view.value(work, DCTERMS + "isPartOf")
    return {
        "kind": kind,
        "title": view.value(work, DCTERMS + "title") or view.label(work),
        "text": abstract or "",
        "authors": "; ".join(a for a in authors if a),
        "year": view.value(work, str(FABIO.hasPublicationYear)) or "",
        "journal": view.label(journal) if journal else "",
        "keywords": "; ".join(sorted(view.label(k) for k in view.values(work, DCTERMS + "subject"))),
    }


def _claim(site: Site, claim: str) -> dict[str, str]:
    view = site.view
    sentences: list[str] = []
    for assertion in view.subjects_with(str(EXO.asserts), claim):
        sentence = view.value(assertion, str(EXO.evidence))
        if sentence and sentence not in sentences:
            sentences.append(sentence)
    return {"kind": "claim", "title": view.label(claim), "text": "\n".join(sentences)}


def _concept(site: Site, concept: str) -> dict[str, str]:
    view = site.view
    return {"kind": "concept", "title": view.value(concept, SKOS + "prefLabel") or view.label(concept),
            "labels": "; ".join(sorted(set(view.values(concept, SKOS + "altLabel")))),
            "text": view.value(concept, SKOS + "definition") or ""}


def _position(site: Site, node: str) -> tuple[int, str]:
    value = site.view.value(node, str(SCHEMA.position)) or ""
    return (int(value) if value.isdigit() else 0, node)

