"""``exokg push``: the built graph into any SPARQL 1.1 server, through the Graph Store HTTP Protocol.

https://www.w3.org/TR/sparql11-http-rdf-update/. The graph replaces one named graph of the server (by
default the dataset IRI, ``<base>dataset``: the graph is the dataset's content, and the dataset's
description on the site is about it), and the replacement is atomic: readers see the old graph or the
new one, never a mix and never an empty graph.

- A graph that fits in one chunk goes in one ``PUT`` (the protocol replaces the graph in one request).
- A larger one is uploaded in chunks (``POST`` of N-Triples) to a temporary graph, then moved onto the
  target with one SPARQL Update, ``MOVE <tmp> TO <graph>``, which the server runs as one operation. If an
  upload fails, the temporary graph is dropped and the target is left as it was.

Blank nodes are local to each request's document, so every triple that shares a blank node (directly
or through a chain of blank nodes) goes in the same chunk.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from pyoxigraph import BlankNode, NamedNode, Triple

from exokg.errors import ExokgError
from exokg.graph.store import ntriples

log = logging.getLogger("exokg")
NTRIPLES = "application/n-triples"
DEFAULT_CHUNK = 100_000
# What a Graph Store endpoint's path ends with -> its server's SPARQL Update endpoint path (Oxigraph:
# /store and /update; Fuseki: /ds/data and /ds/update; RDF4J: .../rdf-graphs/service and .../statements).
_UPDATE_PATHS = (("/store", "/update"), ("/data", "/update"), ("/rdf-graphs/service", "/statements"))
Progress = Callable[[int, int, int], None]  # chunks sent, chunks in all, triples sent


class PushError(ExokgError):
    """The SPARQL server could not be reached, or refused the data (exit 4)."""

    exit_code = 4


@dataclass(frozen=True)
class Target:
    """Where the graph goes: the Graph Store endpoint, the graph IRI, the Update endpoint (if known)."""

    endpoint: str
    graph: str
    update_endpoint: str | None = None
    auth: tuple[str, str] | None = None


@dataclass(frozen=True)
class PushResult:
    triples: int
    chunks: int
    method: str  # "put" (one request) or "move" (chunks into a temporary graph, then MOVE)


def update_endpoint_for(endpoint: str) -> str | None:
    """The SPARQL Update endpoint of the common servers' layouts, from their Graph Store endpoint."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for store_path, update_path in _UPDATE_PATHS:
        if path.endswith(store_path):
            return urlunsplit(parts._replace(path=path[: -len(store_path)] + update_path, query=""))
    return None


def check_endpoint(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ExokgError(f"{what} must be an http(s) URL, got {url!r}",
                         "for Oxigraph: http://localhost:7878/store (Graph Store) and /update")
    return url


def chunks(triples: Sequence[Triple], size: int) -> list[list[Triple]]:
    """The triples in chunks of about ``size``, each blank node's triples all in one chunk.

    A chunk grows past ``size`` only when one group of triples linked by blank nodes is larger than that.
    """
    if size < 1:
        raise ValueError("the chunk size must be at least 1")
    groups = _blank_node_groups(triples)
    out: list[list[Triple]] = []
    current: list[Triple] = []
    for group in groups:
        if current and len(current) + len(group) > size:
            out.append(current)
            current = []
        current.extend(group)
    if current:
        out.append(current)
    return out


def _blank_node_groups(triples: Sequence[Triple]) -> list[list[Triple]]:
    """Triples without blank nodes each alone; the others grouped by connected blank nodes, in first-seen order."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    blanks_of: list[list[str]] = []
    for t in triples:
        blanks = [term.value for term in (t.subject, t.object) if isinstance(term, BlankNode)]
        blanks_of.append(blanks)
        for other in blanks[1:]:
            parent[root(other)] = root(blanks[0])
    grouped: dict[str, list[Triple]] = {}
    order: list[str | int] = []
    for i, (t, blanks) in enumerate(zip(triples, blanks_of, strict=True)):
        if not blanks:
            order.append(i)
            continue
        key = root(blanks[0])
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append(t)
    return [[triples[k]] if isinstance(k, int) else grouped[k] for k in order]


class _Client:
    def __init__(self, target: Target, session: requests.Session) -> None:
        self.target = target
        self.session = session

    def graph_url(self, graph: str) -> str:
        separator = "&" if urlsplit(self.target.endpoint).query else "?"
        return self.target.endpoint + separator + urlencode({"graph": graph})

    def send(self, method: str, url: str, body: bytes, content_type: str, ok_missing: bool = False) -> None:
        try:
            response = self.session.request(method, url, data=body, headers={"Content-Type": content_type},
                                            auth=self.target.auth, timeout=(10, 600))
        except requests.RequestException as exc:
            raise PushError(f"cannot reach the SPARQL server at {url}: {_reason(exc)}",
                            "is the server running, and is --endpoint its Graph Store URL?") from exc
        if response.status_code < 300 or (ok_missing and response.status_code == 404):
            return
        message = " ".join(response.text.split())[:500] or "(no message)"
        raise PushError(f"{method} {url} answered {response.status_code} {response.reason}: {message}")


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "the server did not answer in time"
    # requests nests the socket error deep in a long message; the errno clause is what a person needs.
    found = re.search(r"\[Errno -?\d+\] [^'\")]+", str(exc))
    return found.group(0) if found else str(exc)


def push(triples: Iterable[Triple], target: Target, *, chunk_size: int = DEFAULT_CHUNK,
         progress: Progress | None = None, session: requests.Session | None = None) -> PushResult:
    """Replace the target graph with ``triples``: one PUT, or chunks into a temporary graph then MOVE."""
    try:
        # The graph IRI goes into a SPARQL Update below: it must be one IRI, with nothing that could end it.
        NamedNode(target.graph)
    except ValueError as exc:
        raise ExokgError(f"the graph name must be an absolute IRI, got {target.graph!r} ({exc})") from exc
    every = list(triples)
    parts = chunks(every, chunk_size)
    own_session = session is None
    client = _Client(target, session or requests.Session())
    try:
        if len(parts) > 1 and target.update_endpoint is None:
            log.warning("no SPARQL Update endpoint is known for %s, so the graph goes in one PUT of %d triples "
                        "(--update-endpoint allows chunks)", target.endpoint, len(every))
        if len(parts) <= 1 or target.update_endpoint is None:
            client.send("PUT", client.graph_url(target.graph), ntriples(every), NTRIPLES)
            if progress:
                progress(1, 1, len(every))
            return PushResult(len(every), 1, "put")
        temporary = f"urn:uuid:{uuid.uuid4()}"
        sent = 0
        try:
            for number, part in enumerate(parts, 1):
                client.send("POST", client.graph_url(temporary), ntriples(part), NTRIPLES)
                sent += len(part)
                if progress:
                    progress(number, len(parts), sent)
            client.send("POST", target.update_endpoint, f"MOVE <{temporary}> TO <{target.graph}>".encode(),
                        "application/sparql-update")
        except PushError:
            # Best effort: the target graph was never touched; only the partial upload is to clean.
            with contextlib.suppress(PushError):
                client.send("DELETE", client.graph_url(temporary), b"", NTRIPLES, ok_missing=True)
            raise
        return PushResult(len(every), len(parts), "move")
    finally:
        if own_session:
            client.session.close()
