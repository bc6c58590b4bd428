"""``exokg push`` into a real Oxigraph server (the PyPI package ``oxigraph``), started by the tests.

The server runs as a subprocess on a free port of 127.0.0.1 with an on-disk store, for the whole module;
each test pushes to a graph of its own. What the server holds afterwards is read back through its SPARQL
endpoint and its Graph Store endpoint and compared with the project's graph as the embedded store has it.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import oxigraph_server
import pytest
import rdflib
import requests
from click.testing import CliRunner
from project_fixtures import copy_project
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)
from rdflib.compare import isomorphic

from exokg.cli import cli
from exokg.config import load_config
from exokg.graph.iris import Iris
from exokg.graph.store import ntriples, write_store
from exokg.pipeline import STAMP_FILE, graph_stamp, read_graph
from exokg.push import PushError, Target, chunks, push, update_endpoint_for
from exokg.query import bind, load_queries, materialise, run


@dataclass(frozen=True)
class Oxigraph:
    url: str

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    def select(self, query: str, default_graph: str | None = None) -> object:
        params = {"default-graph-uri": default_graph} if default_graph else None
        response = requests.post(f"{self.url}/query", params=params, data=query.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "application/sparql-results+json"}, timeout=60)
        assert response.status_code == 200, response.text
        return parse_query_results(response.content, format=QueryResultsFormat.JSON)

    def count(self, graph: str) -> int:
        rows = materialise(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        return int(rows.terms[0][0].value)  # type: ignore[union-attr]

    def graphs(self) -> set[str]:
        rows = materialise(self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return {row[0].value for row in rows.terms if row[0] is not None}

    def triples(self, graph: str) -> list[Triple]:
        response = requests.get(self.store, params={"graph": graph}, headers={"Accept": "application/n-triples"},
                                timeout=60)
        assert response.status_code == 200, response.text
        return [Triple(q.subject, q.predicate, q.object) for q in parse(response.content, format=RdfFormat.N_TRIPLES)]

    def update(self, text: str) -> None:
        response = requests.post(f"{self.url}/update", data=text.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-update"}, timeout=60)
        assert response.status_code < 300, response.text


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    with oxigraph_server.running(tmp_path_factory.mktemp("oxigraph")) as url:
        yield Oxigraph(url)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project with its graph stored, as a build leaves it (the site itself is not needed here)."""
    root = copy_project(tmp_path_factory.mktemp("push") / "project")
    config = load_config(root, environ={})
    write_store(read_graph(config).triples, config.workdir)
    (config.workdir / STAMP_FILE).write_text(graph_stamp(config) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local(project: Path) -> Store:
    """The project's graph as ``exokg query`` reads it: the store of the last build."""
    store = Store()
    original = Store.read_only(str(load_config(project, environ={}).workdir / "store"))
    store.extend(original.quads_for_pattern(None, None, None, DefaultGraph()))
    return store


def local_triples(store: Store) -> set[Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, DefaultGraph())}


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stderr


def test_a_large_graph_goes_in_chunks_then_replaces_the_target_atomically(
        oxigraph: Oxigraph, project: Path, local: Store) -> None:
    graph = "urn:test:chunked"
    oxigraph.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:stale> <urn:x:p> "from an earlier push" }} }}')
    code, err = invoke("push", str(project), "--endpoint", oxigraph.store, "--graph", graph, "--chunk-size", "1000")
    assert code == 0, err
    expected = local_triples(local)
    total = -(-len(expected) // 1000)
    assert f"chunk 1/{total} sent" in err and f"chunk {total}/{total} sent" in err
    assert f"in {total} chunks, then MOVE" in err
    assert oxigraph.count(graph) == len(expected)
    assert set(oxigraph.triples(graph)) == expected  # the stale triple is gone, nothing is missing
    assert graph in oxigraph.graphs() and not any(g.startswith("urn:uuid:") for g in oxigraph.graphs())


def test_the_saved_queries_give_the_same_rows_on_the_server(oxigraph: Oxigraph, project: Path, local: Store) -> None:
    code, err = invoke("push", str(project), "--endpoint", oxigraph.store)
    assert code == 0, err
    dataset = Iris(load_config(project, environ={}).base_iri).dataset()
    assert f"<{dataset}>" in err and "in one PUT" in err
    saved = [q for q in load_queries(project / "queries").values()
             if q.form == "SELECT" and all(not p.required or p.default is not None for p in q.parameters)]
    assert saved
    compared = 0
    for query in saved:
        expected = run(local, query)
        # The pushed graph is the query's default graph, as the project's own store is for exokg query.
        remote = materialise(oxigraph.select(bind(query, {}), default_graph=dataset))
        assert remote.variables == expected.variables, query.name
        assert sorted(map(repr, remote.rows)) == sorted(map(repr, expected.rows)), query.name
        compared += bool(expected.rows)
    assert compared > 0  # at least one query had rows to compare


def test_pushing_again_replaces_instead_of_adding(oxigraph: Oxigraph, project: Path, local: Store) -> None:
    graph = "urn:test:again"
    for chunk_size in ("100000", "2500", "100000"):
        code, err = invoke("push", str(project), "--endpoint", oxigraph.store, "--graph", graph,
                           "--chunk-size", chunk_size)
        assert code == 0, err
        assert oxigraph.count(graph) == len(local_triples(local))


def test_triples_linked_by_blank_nodes_stay_in_one_chunk(oxigraph: Oxigraph) -> None:
    p = NamedNode("http://example.org/p")
    a, b, c = BlankNode("a"), BlankNode("b"), BlankNode("c")
    triples = [
        Triple(NamedNode("http://example.org/s1"), p, a),
        Triple(NamedNode("http://example.org/s2"), p, Literal("free")),
        Triple(a, p, b),  # a - b: one group with the first triple
        Triple(NamedNode("http://example.org/s3"), p, c),
        Triple(b, p, Literal("end of the chain")),
        Triple(c, p, Literal("c alone")),
    ]
    parts = chunks(triples, 1)
    assert sorted(map(len, parts)) == [1, 2, 3]
    assert {t for part in parts for t in part} == set(triples)
    for part in parts:
        blanks = {term for t in part for term in (t.subject, t.object) if isinstance(term, BlankNode)}
        assert all(t in part for t in triples if {t.subject, t.object} & blanks)
    graph = "urn:test:blank-nodes"
    result = push(triples, Target(oxigraph.store, graph, update_endpoint_for(oxigraph.store)), chunk_size=1)
    assert (result.method, result.chunks, result.triples) == ("move", 3, 6)
    pushed = rdflib.Graph().parse(data=ntriples(oxigraph.triples(graph)).decode(), format="nt")
    original = rdflib.Graph().parse(data=ntriples(triples).decode(), format="nt")
    assert isomorphic(pushed, original)  # the same structure, not three disconnected nodes


def test_a_failed_move_leaves_the_target_as_it_was(oxigraph: Oxigraph, project: Path, local: Store) -> None:
    graph = "urn:test:kept"
    oxigraph.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:kept> <urn:x:p> "before" }} }}')
    # The query endpoint refuses updates: the upload succeeds, the MOVE fails.
    code, err = invoke("push", str(project), "--endpoint", oxigraph.store, "--graph", graph, "--chunk-size", "3000",
                       "--update-endpoint", f"{oxigraph.url}/query")
    assert code == 4
    assert f"POST {oxigraph.url}/query answered 4" in err
    assert oxigraph.count(graph) == 1
    assert not any(g.startswith("urn:uuid:") for g in oxigraph.graphs())  # the partial upload was dropped


def test_a_server_that_is_down_is_a_clear_error(project: Path) -> None:
    endpoint = f"http://127.0.0.1:{oxigraph_server.free_port()}/store"
    code, err = invoke("push", str(project), "--endpoint", endpoint)
    assert code == 4
    assert f"cannot reach the SPARQL server at {endpoint}" in err and "Connection refused" in err
    assert "Traceback" not in err


class _Failing(BaseHTTPRequestHandler):
    """A Graph Store that wants HTTP Basic credentials, then fails with 500 and a message."""

    seen: ClassVar[list[tuple[str, str | None]]] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.command, self.headers.get("Authorization")))
        expected = "Basic " + base64.b64encode(b"curator:s3cret").decode()
        status, body = (401, b"who are you?") if self.headers.get("Authorization") != expected else \
            (500, b"the disk is full\n  (store /var/lib/store)")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def failing() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_server_error_is_reported_with_its_status_and_message(project: Path, failing: str) -> None:
    code, err = invoke("push", str(project), "--endpoint", f"{failing}/data")
    assert code == 4 and "answered 401 Unauthorized: who are you?" in err
    code, err = invoke("push", str(project), "--endpoint", f"{failing}/data", "--user", "curator",
                       env={"EXOKG_PUSH_PASSWORD": "s3cret"})
    assert code == 4
    assert f"PUT {failing}/data?graph=" in err and "answered 500 Internal Server Error: the disk is full (store" in err
    code, err = invoke("push", str(project), "--endpoint", f"{failing}/data", "--user", "curator")
    assert code == 2 and "EXOKG_PUSH_PASSWORD" in err
    assert [auth is not None for _, auth in _Failing.seen] == [False, True]


def test_chunks_are_pushed_through_the_library_with_progress(oxigraph: Oxigraph, local: Store) -> None:
    seen: list[tuple[int, int, int]] = []
    triples = sorted(local_triples(local), key=str)
    result = push(triples, Target(oxigraph.store, "urn:test:library", f"{oxigraph.url}/update"), chunk_size=2000,
                  progress=lambda *p: seen.append(p))
    assert result.method == "move" and result.chunks == len(seen)
    assert [s[0] for s in seen] == list(range(1, len(seen) + 1)) and seen[-1][2] == len(triples)
    assert oxigraph.count("urn:test:library") == len(triples)
    with pytest.raises(PushError, match="answered 404"):
        push(triples[:5], Target(f"{oxigraph.url}/nowhere", "urn:test:x"))


def test_the_update_endpoint_follows_from_common_layouts() -> None:
    assert update_endpoint_for("http://localhost:7878/store") == "http://localhost:7878/update"
    assert update_endpoint_for("http://h/fuseki/ds/data?x=1") == "http://h/fuseki/ds/update"
    assert update_endpoint_for("http://h/rdf4j-server/repositories/kg/rdf-graphs/service") == \
        "http://h/rdf4j-server/repositories/kg/statements"
    assert update_endpoint_for("http://h/something/else") is None


def test_a_bad_endpoint_url_or_graph_name_is_a_usage_error(project: Path) -> None:
    code, err = invoke("push", str(project), "--endpoint", "localhost:7878/store")
    assert code == 2 and "must be an http(s) URL" in err
    code, err = invoke("push", str(project), "--endpoint", "http://127.0.0.1:9/store",
                       "--graph", "urn:x> } ; DROP ALL #")
    assert code == 2 and "must be an absolute IRI" in err
