"""SPARQL in the reader's browser: the query page, Oxigraph's WebAssembly build and the cookbook.

The site is static, so the queries run in the browser: the page loads Oxigraph's browser build (the
``oxigraph`` npm package: an ES module and its WebAssembly binary) and the site's N-Triples dump into an
in-memory store, and runs the saved queries of ``queries/*.rq`` or any query a reader types. Each saved
query is bound here, at build time, exactly as ``exokg query NAME`` binds it (its parameters' defaults in
a ``VALUES`` block), so the browser runs the same text and gives the same rows as the command.

Measured in headless Chromium on a busy two-core machine, the store loads 7,000 triples in 0.3 s, 210,000
in 1.4 s, 700,000 in 2.9 s and 1.4 million in about 8 s (the download and the WebAssembly's start add 0.3 to
0.8 s), holding the dump's bytes and the store in memory. The page loads a graph up to
:data:`AUTOLOAD_TRIPLES` as soon as it opens; a larger one only when a query first runs, so that opening
the page does not cost every visitor the download and the wait.
"""

from __future__ import annotations

import contextlib
from typing import Any

from exokg.errors import QueryError
from exokg.publish.dataset import DUMP_NT, describe, human_size
from exokg.publish.search import index_json
from exokg.publish.site import Site
from exokg.publish.vendor import ship_package
from exokg.query import SavedQuery, bind

SPARQL_PAGE = "sparql.html"
# The saved queries as the page offers them (a file, not an inline script: the site's only inline scripts
# are JSON-LD).
COOKBOOK_JSON = "sparql/cookbook.json"
# The N-Triples dump, and the same bytes gzipped (a tenth of the download where the browser can unpack it).
DUMP = DUMP_NT
DUMP_GZ = "dump.nt.gz"
# The library's browser build (an ES module that compiles the WebAssembly binary) and the package's README,
# which states its licence (MIT or Apache-2.0): the package ships no separate licence file.
LIBRARY = "oxigraph"
LIBRARY_FILES = (("web.js", "assets/vendor/oxigraph/web.js"),
                 ("web_bg.wasm", "assets/vendor/oxigraph/web_bg.wasm"),
                 ("README.md", "assets/vendor/oxigraph/README.md"))
# Graphs up to this size load when the page opens: about 3 s (see above).
AUTOLOAD_TRIPLES = 500_000
# What the page offers when the project has no saved queries: the classes of the graph and their sizes.
FALLBACK_QUERY = """SELECT ?class (COUNT(?s) AS ?instances)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances) ?class
"""


def plan_sparql(site: Site) -> None:
    """The browser query page and the files of the SPARQL library it runs."""
    package = ship_package(LIBRARY, site.input.vendor_dirs, LIBRARY_FILES, site.add_file)
    cookbook = [cookbook_entry(query) for query, _ in site.input.queries]
    site.add_file(COOKBOOK_JSON, index_json({"queries": cookbook}).encode("utf-8") + b"\n")
    described = describe(site)  # made once, the dumps with it
    dumps, triples = described.dumps, described.stats.triples
    context = site.common(site.iris.base, SPARQL_PAGE, label="SPARQL")
    context.update({
        "cookbook": cookbook,
        "first": cookbook[0] if cookbook else {"name": "", "description": "", "needs": [], "text": FALLBACK_QUERY},
        "cookbook_json": COOKBOOK_JSON,
        "base_iri": site.iris.base,
        "library_js": LIBRARY_FILES[0][1],
        "library_wasm": LIBRARY_FILES[1][1],
        "library_licence": LIBRARY_FILES[2][1],
        "library_version": package.version,
        "wasm_size": human_size(len(site.plan.files[LIBRARY_FILES[1][1]])),
        "dump": DUMP,
        "dump_gz": DUMP_GZ,
        "dump_size": human_size(dumps[DUMP].size),
        "dump_gz_size": human_size(dumps[DUMP_GZ].size),
        "triples_text": f"{triples:,}",
        "autoload": triples <= AUTOLOAD_TRIPLES,
    })
    site.add_page(SPARQL_PAGE, "sparql.html", context)


def cookbook_entry(query: SavedQuery) -> dict[str, Any]:
    """A saved query as the page offers it: bound to its defaults, or as written with the values it needs.

    ``needs`` lists the required parameters without a default (``concept (iri)``): such a query cannot run
    until a reader puts values in its text, so the page says which and how ``exokg query`` takes them.
    """
    needs = [f"{p.name} ({p.kind})" for p in query.parameters if p.required and p.default is None]
    text = query.text
    if not needs:
        # A query bind refuses fails in exokg query as well, and the build logged why: the text as written.
        with contextlib.suppress(QueryError):
            text = bind(query, {})
    return {"name": query.name, "summary": query.summary, "description": query.description, "form": query.form,
            "text": text, "needs": needs,
            "command": f"exokg query {query.name}" + "".join(f" --param {p.name}=…" for p in query.parameters
                                                             if p.required and p.default is None)}
