"""One SPARQL query in, one HTTP reply out: the part of the endpoint that runs in a query process.

Oxigraph cannot stop a query from Python once it is evaluating, so the endpoint runs each query in a
process of its own that it can kill (:mod:`exokg.serve.pool`). This module is what such a process
imports; it stays light (pyoxigraph and the standard library) so a replacement starts quickly.

Everything here is also a plain function (:func:`evaluate`), tested and usable without a process.
"""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse_query_results,
    serialize,
)

from exokg.serve.negotiation import choose

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
TEXT = "text/plain; charset=utf-8"

# (media type, key) in the order the endpoint prefers them; the later entries of each list are aliases
# that clients send (SPARQLWrapper asks for application/json, Turtle clients for application/x-turtle).
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RESULT_OFFERS = (
    *((media, key) for key, media in RESULT_TYPES.items()),
    ("application/json", "json"), ("text/javascript", "json"), ("application/javascript", "json"),
    ("application/xml", "xml"), ("text/xml", "xml"),
)
GRAPH_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
GRAPH_OFFERS = (
    *((media, key) for key, media in GRAPH_TYPES.items()),
    ("application/x-turtle", "ttl"), ("application/turtle", "ttl"),
    # Turtle is a subset of N3: a client that reads N3 reads it.
    ("text/n3", "ttl"), ("text/rdf+n3", "ttl"), ("application/n3", "ttl"),
    ("application/json", "jsonld"), ("application/x-json+ld", "jsonld"),
)
_RESULT_FORMATS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                   "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
_GRAPH_FORMATS = {"ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD, "nt": RdfFormat.N_TRIPLES,
                  "rdf": RdfFormat.RDF_XML}
_UPDATE_RE = re.compile(
    r"^\s*(?:(?:#[^\n]*\n|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as the worker gives it: status, content type and body (picklable)."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str) -> Reply:
        return cls(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"))


@dataclass(frozen=True)
class GraphSource:
    """Where a query process finds the graph: the build's on-disk store, or an N-Triples dump.

    ``prefixes`` are written in Turtle answers; they come from the parent so this module need not
    import the project's vocabulary (and rdflib with it).
    """

    kind: str  # "store" or "dump"
    path: str
    prefixes: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        return f"the store {self.path}" if self.kind == "store" else f"the dump {self.path}"


def open_graph(source: GraphSource) -> Store:
    """The store read-only (many processes may open it at once), or the dump loaded into memory."""
    if source.kind == "store":
        return Store.read_only(source.path)
    store = Store()
    store.bulk_load(path=source.path, format=RdfFormat.N_TRIPLES)
    return store


def evaluate(store: Store, query: str, accept: str | None, max_rows: int,
             prefixes: Mapping[str, str] | None = None) -> Reply:
    """Run ``query`` and serialise the answer in the type the Accept header prefers.

    SELECT and ASK answer in the SPARQL results formats, CONSTRUCT and DESCRIBE in RDF ones. An answer of
    more than ``max_rows`` rows (or triples) is refused whole with 413: a silently truncated answer would
    give wrong counts, while the message tells how to page through it with LIMIT and OFFSET.
    """
    try:
        answer = store.query(query)
    except SyntaxError as exc:
        if _UPDATE_RE.match(query):
            return Reply.text(403, "this endpoint is read-only: SPARQL updates are refused "
                                   "(the query is an update, sent as a query)")
        return Reply.text(400, f"the query is not valid SPARQL: {exc}")
    except (OSError, ValueError) as exc:
        return Reply.text(500, f"the store could not run the query: {exc}")
    try:
        if isinstance(answer, QuerySolutions):
            return _solutions(answer, accept, max_rows)
        if isinstance(answer, QueryBoolean):
            return _boolean(bool(answer), accept)
        return _triples(answer, accept, max_rows, prefixes or {})
    except (OSError, ValueError, SyntaxError) as exc:
        return Reply.text(500, f"the query failed while it ran: {exc}")


def _not_acceptable(accept: str | None, offers: Iterable[str], what: str) -> Reply:
    listed = ", ".join(offers)
    return Reply.text(406, f"the answer to this {what} query can be given as {listed}; "
                           f"the Accept header ({accept}) takes none of them")


def _too_large(max_rows: int, what: str) -> Reply:
    return Reply.text(413, f"the answer has more than {max_rows:,} {what}, the most this endpoint returns "
                           f"at once: add LIMIT {max_rows} and page through it with OFFSET")


def _solutions(answer: QuerySolutions, accept: str | None, max_rows: int) -> Reply:
    key = choose(accept, RESULT_OFFERS)
    if key is None:
        return _not_acceptable(accept, RESULT_TYPES.values(), "SELECT")
    variables = [v.value for v in answer.variables]
    rows = list(islice(answer, max_rows + 1))
    if len(rows) > max_rows:
        return _too_large(max_rows, "rows")
    bindings = [{name: _term_json(term) for name, term in zip(variables, row, strict=True) if term is not None}
                for row in rows]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return _results(document, key)


def _boolean(value: bool, accept: str | None) -> Reply:
    key = choose(accept, RESULT_OFFERS)
    if key is None:
        return _not_acceptable(accept, RESULT_TYPES.values(), "ASK")
    # CSV and TSV define no boolean form; Oxigraph writes the bare word (true or false), as other stores do.
    return _results({"head": {}, "boolean": value}, key)


def _results(document: dict[str, Any], key: str) -> Reply:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key != "json":
        # The JSON above is the one the endpoint writes itself (it needed the rows counted); Oxigraph's
        # own writers turn it into XML, CSV or TSV, escaping each format as its standard says.
        body = parse_query_results(body, format=QueryResultsFormat.JSON).serialize(
            format=_RESULT_FORMATS[key]) or b""
    return Reply(200, f"{RESULT_TYPES[key]}; charset=utf-8", body)


def _triples(answer: Iterable[Triple], accept: str | None, max_rows: int, prefixes: Mapping[str, str]) -> Reply:
    key = choose(accept, GRAPH_OFFERS)
    if key is None:
        return _not_acceptable(accept, GRAPH_TYPES.values(), "CONSTRUCT or DESCRIBE")
    triples = list(islice(answer, max_rows + 1))
    if len(triples) > max_rows:
        return _too_large(max_rows, "triples")
    # Turtle and JSON-LD are easier to read with the project's prefixes; the other formats have none.
    with_prefixes = dict(prefixes) if key in ("ttl", "jsonld", "rdf") else None
    body = serialize(triples, format=_GRAPH_FORMATS[key], prefixes=with_prefixes) if with_prefixes \
        else serialize(triples, format=_GRAPH_FORMATS[key])
    return Reply(200, f"{GRAPH_TYPES[key]}; charset=utf-8", body or b"")


def _term_json(term: Any) -> dict[str, Any]:
    """A term in the SPARQL 1.1 results JSON format (RDF-star triples as ``"type": "triple"``)."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING, RDF_DIR_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    raise ValueError(f"unexpected term in a solution: {term!r}")


def serve_jobs(receive: Connection, send: Connection) -> None:
    """A query process: read the graph's source, open it, say so, then answer ``(query, accept, max_rows)``
    jobs in turn.

    It ends when the parent closes its end of the pipe (or dies), so no process outlives the server.
    """
    try:
        source: GraphSource = receive.recv()
    except (EOFError, OSError):
        return
    try:
        store = open_graph(source)
    except (OSError, SyntaxError, ValueError) as exc:
        send.send(("failed", f"cannot open {source.describe()}: {exc}"))
        return
    send.send(("ready", ""))
    while True:
        try:
            job: Sequence[Any] = receive.recv()
        except (EOFError, OSError):
            return
        query, accept, max_rows = job
        try:
            send.send(evaluate(store, query, accept, max_rows, source.prefixes))
        except OSError:
            return


def main() -> None:
    """``python -m exokg.serve.worker``: jobs on stdin, replies on stdout (anything printed goes to stderr)."""
    # Ctrl-C in a terminal reaches the whole process group: the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    receive = Connection(os.dup(0), writable=False)
    send = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    serve_jobs(receive, send)


if __name__ == "__main__":
    # Run as the module itself, not as __main__: the replies it pickles must name exokg.serve.worker.Reply.
    from exokg.serve import worker

    worker.main()
