"""The SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) on top of the query pool.

A query comes as the ``query`` parameter of a GET or a form-encoded POST, or as the body of a POST of
``application/sparql-query``. The endpoint is read-only: an update (the ``update`` parameter, an
``application/sparql-update`` body, or an update sent as a query) gets 403. The graph is one default
graph, so ``default-graph-uri`` and ``named-graph-uri`` are refused with a message rather than answered
with an empty dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, serialize

from exokg.serve.messages import Request, Response
from exokg.serve.negotiation import choose
from exokg.serve.worker import GRAPH_OFFERS, GRAPH_TYPES

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"
CORS = (("Access-Control-Allow-Origin", "*"),)
PREFLIGHT = (*CORS, ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
             ("Access-Control-Allow-Headers", "Accept, Content-Type"), ("Access-Control-Max-Age", "600"))

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
_FORMAT_NAMES = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "RDF_XML")


@dataclass(frozen=True)
class Query:
    text: str


def read_query(request: Request, url_query: str) -> Query | Response | None:
    """The query of a protocol request, an error response, or None when a GET carries no query."""
    try:
        params = parse_qs(url_query, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return Response.text(400, "the URL's query string is not valid UTF-8 percent-encoding", *CORS)
    body_query: str | None = None
    if request.method == "POST":
        media = (request.header("content-type") or "").split(";", 1)[0].strip().lower()
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return Response.text(400, "the request body is not UTF-8", *CORS)
        if media == FORM:
            try:
                form = parse_qs(text, keep_blank_values=True, errors="strict")
            except (UnicodeDecodeError, ValueError):
                return Response.text(400, "the form body is not valid UTF-8 percent-encoding", *CORS)
            for name, values in form.items():
                params.setdefault(name, []).extend(values)
        elif media == SPARQL_QUERY:
            body_query = text
        elif media == SPARQL_UPDATE:
            return Response.text(403, READ_ONLY, *CORS)
        else:
            return Response.text(415, f"a POST to the endpoint needs the Content-Type {FORM} (with a 'query' "
                                      f"field) or {SPARQL_QUERY} (the query as the body), not {media or 'none'}",
                                 *CORS)
    if "update" in params:
        return Response.text(403, READ_ONLY, *CORS)
    given = [name for name in ("default-graph-uri", "named-graph-uri") if name in params]
    if given:
        return Response.text(400, f"{' and '.join(given)} cannot be used here: the endpoint holds one graph, the "
                                  "default graph, which every query reads; send the query without them", *CORS)
    queries = params.get("query", [])
    if body_query is not None:
        queries = [*queries, body_query]
    if len(queries) > 1:
        return Response.text(400, "give the query once: more than one 'query' was sent", *CORS)
    if not queries:
        if request.method == "POST":
            return Response.text(400, "the POST has no 'query' field", *CORS)
        return None
    if not queries[0].strip():
        return Response.text(400, "the query is empty", *CORS)
    return Query(queries[0])


def service_description(endpoint: str, dataset: str, accept: str | None) -> Response | None:
    """The SPARQL Service Description of the endpoint, or None when the client takes none of its types."""
    key = choose(accept, [o for o in GRAPH_OFFERS if o[1] != "rdf"])
    if key is None:
        return None
    service = NamedNode(endpoint)
    default = BlankNode("defaultDataset")
    graph = BlankNode("defaultGraph")
    triples = [
        Triple(service, NamedNode(RDF_TYPE), NamedNode(SD + "Service")),
        Triple(service, NamedNode(SD + "endpoint"), service),
        Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Query")),
        *(Triple(service, NamedNode(SD + "resultFormat"), NamedNode(FORMATS + name)) for name in _FORMAT_NAMES),
        Triple(service, NamedNode(SD + "defaultDataset"), default),
        Triple(default, NamedNode(RDF_TYPE), NamedNode(SD + "Dataset")),
        Triple(default, NamedNode(SD + "defaultGraph"), graph),
        Triple(default, NamedNode(SEE_ALSO), NamedNode(dataset)),
        Triple(graph, NamedNode(RDF_TYPE), NamedNode(SD + "Graph")),
    ]
    formats = {"ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD, "nt": RdfFormat.N_TRIPLES}
    prefixes = {"sd": SD, "formats": FORMATS} if key != "nt" else None
    body = serialize(triples, format=formats[key], prefixes=prefixes) if prefixes \
        else serialize(triples, format=formats[key])
    return Response(200, (("Content-Type", f"{GRAPH_TYPES[key]}; charset=utf-8"), ("Vary", "Accept"), *CORS),
                    body or b"")
