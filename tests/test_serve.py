"""``exokg serve``: the built seed site behind a real HTTP server, asked by real clients.

The seed project is built once, by ``exokg serve --get`` itself (a project with no site is built first).
Servers listen on free ports of 127.0.0.1: one in a thread of the test process (its query processes are
real ones), and ``python -m exokg serve`` as a subprocess for SPARQLWrapper, rdflib's SPARQLStore and the
Ctrl-C test. Expected answers come from the built files and from the same queries run on an in-memory
store of the site's dump, never from the code under test.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import http.client
import io
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
import rdflib
import requests
from click.testing import CliRunner
from markupsafe import escape
from project_fixtures import copy_project
from pyoxigraph import QueryResultsFormat, RdfFormat, Store, Triple, parse, parse_query_results

from exokg.cli import cli
from exokg.config import load_config
from exokg.errors import ConfigError
from exokg.graph.store import STORE_DIR
from exokg.query import QueryResult, SavedQuery, load_queries, load_query, materialise
from exokg.serve.app import App, BadPath, split_path
from exokg.serve.messages import Request
from exokg.serve.negotiation import choose, parse_accept, quality
from exokg.serve.page import query_page
from exokg.serve.pool import Limits, QueryPool
from exokg.serve.project import graph_source, open_app
from exokg.serve.server import Server
from exokg.serve.worker import GraphSource, evaluate

WORK = "work/doi-10.1038_nri855"
TITLE = "http://purl.org/dc/terms/title"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SECRET = "not-for-the-web-5b1e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RESULTS_JSON = "application/sparql-results+json"
RDF_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD,
             "application/n-triples": RdfFormat.N_TRIPLES, "application/rdf+xml": RdfFormat.RDF_XML}


@dataclass(frozen=True)
class Built:
    project: Path
    site: Path
    graph: Store  # the site's dump in memory: what the endpoint's answers are checked against

    def answer(self, query: str) -> QueryResult:
        return materialise(self.graph.query(query))


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    (project / "secret.txt").write_text(SECRET, encoding="utf-8")
    code, body, err = invoke("serve", str(project), "--get", "/index.html")
    assert code == 0, err
    assert "building it first" in err
    site = project / "_site"
    assert body == (site / "index.html").read_bytes()
    assert (project / ".exokg" / STORE_DIR).is_dir()
    # A link inside the site that points outside it must not be followed.
    (site / "leak.txt").symlink_to(project / "secret.txt")
    graph = Store()
    graph.bulk_load(path=str(site / "dump.nt"), format=RdfFormat.N_TRIPLES)
    return Built(project, site, graph)


@contextlib.contextmanager
def running(app: App) -> Iterator[str]:
    """The app behind a real server in a thread; yields its URL without the final slash."""
    server = Server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.url.rstrip("/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.pool.close()


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[str]:
    app = open_app(load_config(built.project, environ={}), Limits(timeout=60, max_rows=10_000, workers=2))
    with running(app) as url:
        yield url


@pytest.fixture(scope="module")
def strict(built: Built) -> Iterator[tuple[str, App]]:
    """A server with a one-second query timeout and answers capped at 100 rows."""
    app = open_app(load_config(built.project, environ={}), Limits(timeout=1, max_rows=100, workers=1))
    with running(app) as url:
        yield url, app


def raw(url: str, target: str, method: str = "GET", headers: dict[str, str] | None = None,
        body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with the target sent exactly as given (no client-side normalisation of '..')."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def sparql(url: str, query: str, accept: str = RESULTS_JSON, how: str = "get") -> requests.Response:
    headers = {"Accept": accept}
    if how == "get":
        return requests.get(f"{url}/sparql", params={"query": query}, headers=headers, timeout=60)
    if how == "form":
        return requests.post(f"{url}/sparql", data={"query": query}, headers=headers, timeout=60)
    return requests.post(f"{url}/sparql", data=query.encode("utf-8"),
                         headers={**headers, "Content-Type": "application/sparql-query"}, timeout=60)


def rows_of(result: QueryResult) -> list[tuple[str, ...]]:
    """A result's rows as N-Triples terms, sorted (ties under ORDER BY may come in either order)."""
    return sorted(tuple("" if t is None else str(t) for t in row) for row in result.terms)


def runnable(queries: dict[str, SavedQuery]) -> list[SavedQuery]:
    """The saved SELECT queries that run without a value the user must give."""
    return [q for q in queries.values()
            if q.form == "SELECT" and all(not p.required or p.default is not None for p in q.parameters)]


# --- Accept headers and paths ------------------------------------------------------------------------


def test_accept_headers_are_read_with_quality_and_specificity() -> None:
    offers = [("text/html", "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld")]
    assert choose(None, offers) == "html"
    assert choose("*/*", offers) == "html"
    assert choose("text/turtle", offers) == "ttl"
    assert choose("text/turtle;q=0.5, application/ld+json", offers) == "jsonld"
    assert choose("text/*;q=0.9, text/html;q=0.1", offers) == "ttl"  # the specific range decides text/html
    assert choose("*/*;q=0.1, text/html;q=0", offers) == "ttl"
    assert choose("application/rdf+xml", offers) is None
    assert choose("nonsense, text/turtle;q=x, application/ld+json;q=0.2", offers) == "jsonld"
    assert choose("TEXT/TURTLE", offers) == "ttl"
    ranges = parse_accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert quality(ranges, "text/turtle") == 0.8 and quality(ranges, "text/html") == 1.0


@pytest.mark.parametrize("path", ["/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2E/x", "/a/..%2f..%2fx", "/.%2e/x",
                                  "/a%5c..%5cx", "/a//b", "//etc/passwd", "/a/%00", "/./x", "/%ff", "x"])
def test_paths_that_could_leave_the_site_are_refused(path: str) -> None:
    with pytest.raises(BadPath):
        split_path(path)


def test_ordinary_paths_are_decoded_into_segments() -> None:
    assert split_path("/") == [""]
    assert split_path("/work/doi-10.1000_a~2fb") == ["work", "doi-10.1000_a~2fb"]
    assert split_path("/concept/term/") == ["concept", "term", ""]
    assert split_path("/a%20b/.well-known") == ["a b", ".well-known"]


# --- resources and files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "ext", "media"), [
    (None, "html", "text/html"),
    ("*/*", "html", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html", "text/html"),
    ("text/turtle", "ttl", "text/turtle"),
    ("application/ld+json", "jsonld", "application/ld+json"),
    ("application/n-triples", "nt", "application/n-triples"),
    ("text/turtle;q=0.4, application/n-triples;q=0.6, text/html;q=0.5", "nt", "application/n-triples"),
    ("application/ld+json, text/turtle", "ttl", "text/turtle"),  # a tie goes to the first in FORMATS
    ("application/rdf+xml", "html", "text/html"),  # nothing acceptable: the page, as the deployed site does
])
def test_a_resource_iri_is_negotiated(built: Built, server: str, accept: str | None, ext: str, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    status, got, body = raw(server, f"/{WORK}", headers=headers)
    assert status == 200
    assert body == (built.site / f"{WORK}.{ext}").read_bytes()
    # The Content-Types of docs/decisions/0005: JSON-LD and N-Triples define no charset parameter.
    assert got["content-type"] == (f"{media}; charset=utf-8" if media.startswith("text/") else media)
    assert got["vary"] == "Accept"
    assert got["content-location"] == f"/{WORK}.{ext}"
    links = dict(re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', got["link"]))
    others = {"html", "ttl", "jsonld", "nt"} - {ext}
    assert sorted(links) == sorted(f"/{WORK}.{other}" for other in others)
    for target in links:  # every alternate is there to fetch
        assert raw(server, target)[0] == 200


def test_published_iris_work_under_the_base_iri_path_too(built: Built, server: str) -> None:
    # The base IRI is https://w3id.org/exokg/: its path, /exokg/, may be kept or dropped.
    status, got, body = raw(server, f"/exokg/{WORK}", headers={"Accept": "text/turtle"})
    assert status == 200 and body == (built.site / f"{WORK}.ttl").read_bytes()
    assert got["content-location"] == f"/exokg/{WORK}.ttl"
    status, got, _ = raw(server, "/exokg")
    assert status == 301 and got["location"] == "/exokg/"
    status, _, body = raw(server, "/exokg/")
    assert status == 200 and body == (built.site / "index.html").read_bytes()


def test_a_resource_without_a_page_answers_406_when_none_of_its_forms_is_acceptable(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data" / "thing.ttl").write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    (site / "data" / "thing.nt").write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    app = App(site, "https://example.org/kg/", QueryPool(GraphSource("dump", str(site / "none.nt")), Limits()))
    refused = app.handle(Request("GET", "/kg/data/thing", {"accept": "text/html"}))
    assert refused.status == 406
    assert refused.body.decode().splitlines()[1:3] == ["  text/turtle: /kg/data/thing.ttl",
                                                       "  application/n-triples: /kg/data/thing.nt"]
    served = app.handle(Request("GET", "/data/thing", {"accept": "*/*"}))
    assert served.status == 200 and served.read() == (site / "data" / "thing.ttl").read_bytes()
    assert app.handle(Request("GET", "/kg/data/other", {})).status == 404  # no 404.html: a plain answer


def test_folders_redirect_and_their_index_is_negotiated(built: Built, server: str) -> None:
    folder = next(p.parent for p in sorted(built.site.rglob("index.ttl")) if p.parent != built.site)
    rel = folder.relative_to(built.site).as_posix()
    status, got, _ = raw(server, f"/{rel}")
    assert status == 301 and got["location"] == f"/{rel}/"
    status, got, body = raw(server, f"/{rel}/", headers={"Accept": "text/turtle"})
    assert status == 200 and body == (folder / "index.ttl").read_bytes()


@pytest.mark.parametrize(("path", "media"), [
    (f"{WORK}.ttl", "text/turtle; charset=utf-8"),
    (f"{WORK}.jsonld", "application/ld+json"),
    ("dump.nt", "application/n-triples"),
    ("dump.nt.gz", "application/gzip"),
    ("assets/style.css", "text/css; charset=utf-8"),
    (".well-known/void", "text/turtle; charset=utf-8"),
])
def test_files_are_served_as_they_are_with_their_type(built: Built, server: str, path: str, media: str) -> None:
    if not (built.site / path).is_file():
        pytest.fail(f"the built site has no {path}")
    status, got, body = raw(server, f"/{path}")
    assert status == 200 and got["content-type"] == media
    assert body == (built.site / path).read_bytes()
    assert got["x-content-type-options"] == "nosniff"
    status, got, body = raw(server, f"/{path}", method="HEAD")
    assert status == 200 and body == b"" and int(got["content-length"]) == (built.site / path).stat().st_size


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt",
    "/assets/..%5c..%5csecret.txt", "//secret.txt", "/leak.txt", "http://elsewhere/../secret.txt",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
])
def test_nothing_outside_the_site_is_served(server: str, target: str) -> None:
    status, _, body = raw(server, target)
    assert status in (400, 404)
    assert SECRET.encode() not in body and b"root:" not in body


def test_an_unknown_path_gets_the_sites_404_page(built: Built, server: str) -> None:
    status, got, body = raw(server, "/work/no-such-thing/deeper")
    assert status == 404 and got["content-type"] == "text/html; charset=utf-8"
    page = (built.site / "404.html").read_text(encoding="utf-8")
    # The page as built, with a <base> so that its relative links work from any depth.
    assert body.decode() == page.replace("<head>", '<head><base href="/">', 1)
    status, _, _ = raw(server, f"/{WORK}", method="POST", body=b"x")
    assert status == 405


# --- the SPARQL endpoint --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_select_by_get_form_and_body_gives_the_stores_rows(built: Built, server: str, how: str) -> None:
    query = f'SELECT ?work ?title WHERE {{ ?work <{TITLE}> ?title FILTER(CONTAINS(?title, "xosome")) }}'
    response = sparql(server, query, how=how)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == f"{RESULTS_JSON}; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    answer = materialise(parse_query_results(response.content, format=QueryResultsFormat.JSON))
    expected = built.answer(query)
    assert answer.variables == ("work", "title") and rows_of(answer) == rows_of(expected)
    assert len(expected.terms) > 0


def test_select_answers_in_xml_csv_and_tsv(built: Built, server: str) -> None:
    query = f"SELECT ?work ?title ?none WHERE {{ ?work <{TITLE}> ?title OPTIONAL {{ ?work <urn:x:none> ?none }} }}"
    expected = built.answer(query)
    for accept, fmt in (("application/sparql-results+xml", QueryResultsFormat.XML),
                        ("text/tab-separated-values", QueryResultsFormat.TSV)):
        response = sparql(server, query, accept)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
        assert rows_of(materialise(parse_query_results(response.content, format=fmt))) == rows_of(expected)
    response = sparql(server, query, "text/csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert table[0] == ["work", "title", "none"]
    assert sorted(table[1:]) == sorted([t.value if t is not None else "" for t in row] for row in expected.terms)


def test_construct_answers_in_every_rdf_format(built: Built, server: str) -> None:
    query = f"CONSTRUCT {{ ?work <{TITLE}> ?title }} WHERE {{ ?work <{TITLE}> ?title }}"
    expected = set(built.answer(query).triples)
    assert expected
    for media, fmt in RDF_TYPES.items():
        response = sparql(server, query, media)
        assert response.status_code == 200 and response.headers["Content-Type"] == f"{media}; charset=utf-8"
        got = {Triple(q.subject, q.predicate, q.object) for q in parse(response.content, format=fmt)}
        assert got == expected, media
    # Turtle is the default for a graph answer, and what a client that reads N3 gets.
    assert sparql(server, query, "*/*").headers["Content-Type"].startswith("text/turtle")
    assert sparql(server, query, "text/n3").headers["Content-Type"].startswith("text/turtle")
    assert sparql(server, query, "text/csv").status_code == 406


def test_ask_answers(server: str) -> None:
    yes = sparql(server, f"ASK {{ ?s <{TITLE}> ?o }}")
    assert bool(parse_query_results(yes.content, format=QueryResultsFormat.JSON)) is True
    no = sparql(server, "ASK { <urn:x:nothing> ?p ?o }", "application/sparql-results+xml")
    assert bool(parse_query_results(no.content, format=QueryResultsFormat.XML)) is False


def test_the_endpoint_is_read_only(built: Built, server: str) -> None:
    insert = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    cases = [
        requests.post(f"{server}/sparql", data={"update": insert}, timeout=60),
        requests.post(f"{server}/sparql", data=insert, headers={"Content-Type": "application/sparql-update"},
                      timeout=60),
        requests.get(f"{server}/sparql", params={"update": insert}, timeout=60),
        sparql(server, "PREFIX x: <urn:x:>\n" + insert, how="body"),
        sparql(server, "DROP ALL", how="form"),
    ]
    for response in cases:
        assert response.status_code == 403 and "read-only" in response.text
    assert sparql(server, "ASK { <urn:x:s> ?p ?o }").json()["boolean"] is False


def test_bad_requests_are_told_what_is_wrong(server: str) -> None:
    syntax = sparql(server, "SELECT ?x WHERE { ?x ?y }")
    assert syntax.status_code == 400 and "not valid SPARQL" in syntax.text and "error at 1:" in syntax.text
    graph = requests.get(f"{server}/sparql", params={"query": "ASK {}", "default-graph-uri": "urn:x:g"}, timeout=60)
    assert graph.status_code == 400 and "default-graph-uri" in graph.text
    twice = requests.get(f"{server}/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")]), timeout=60)
    assert twice.status_code == 400 and "more than one" in twice.text
    media = requests.post(f"{server}/sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"}, timeout=60)
    assert media.status_code == 415 and "application/sparql-query" in media.text
    empty = requests.post(f"{server}/sparql", data={"other": "x"}, timeout=60)
    assert empty.status_code == 400
    too_long = raw(server, "/sparql", "POST", {"Content-Type": "application/sparql-query"}, b"#" * 1_000_001)
    assert too_long[0] == 413
    put = requests.put(f"{server}/sparql", data=b"", timeout=60)
    assert put.status_code == 405 and "GET" in put.headers["Allow"]


def test_browsers_may_call_the_endpoint_from_other_origins(server: str) -> None:
    status, got, _ = raw(server, "/sparql", "OPTIONS", {"Origin": "http://example.org",
                                                        "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert got["access-control-allow-origin"] == "*"
    assert "POST" in got["access-control-allow-methods"]
    assert "content-type" in got["access-control-allow-headers"].lower()


def test_the_endpoint_describes_itself(server: str) -> None:
    response = requests.get(f"{server}/exokg/sparql", headers={"Accept": "text/turtle"}, timeout=60)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert str(service).endswith("/exokg/sparql")
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph


def test_a_runaway_query_is_stopped_and_the_endpoint_carries_on(built: Built, strict: tuple[str, App]) -> None:
    url, app = strict
    before = app.pool.killed
    response = sparql(url, RUNAWAY)
    assert response.status_code == 503 and "longer than 1 s" in response.text
    assert app.pool.killed == before + 1
    after = sparql(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{TITLE}> ?o }}")
    assert after.status_code == 200
    assert after.json()["results"]["bindings"][0]["n"]["value"] == \
        str(built.answer(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{TITLE}> ?o }}").terms[0][0].value)


def test_an_answer_over_the_cap_is_refused_whole(strict: tuple[str, App]) -> None:
    url, _ = strict
    response = sparql(url, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 413 and "more than 100 rows" in response.text and "LIMIT" in response.text
    graph = sparql(url, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert graph.status_code == 413 and "triples" in graph.text
    paged = sparql(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 100 OFFSET 100")
    assert paged.status_code == 200 and len(paged.json()["results"]["bindings"]) == 100


def test_parallel_requests_each_get_their_own_answer(built: Built, server: str) -> None:
    predicates = [row[0].value for row in built.answer("SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p").terms]
    queries = [f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{p}> ?o }}" for p in predicates[:16]]
    expected = {q: int(built.answer(q).terms[0][0].value) for q in queries}
    assert len(set(expected.values())) > 3  # the answers differ, so a mix-up would show
    pages = sorted(p.relative_to(built.site).as_posix() for p in (built.site / "work").glob("*.ttl"))[:16]

    def ask(item: str) -> bool:
        if item in expected:
            response = sparql(server, item, how="form")
            return response.status_code == 200 and \
                int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected[item]
        status, _, body = raw(server, "/" + item.removesuffix(".ttl"), headers={"Accept": "text/turtle"})
        return status == 200 and body == (built.site / item).read_bytes()

    work = [*queries, *pages] * 3
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(ask, work))
    assert all(results), [w for w, ok in zip(work, results, strict=True) if not ok]


def test_the_saved_queries_give_the_same_rows_as_exokg_query(built: Built, server: str) -> None:
    from exokg.query import bind

    queries = runnable(load_queries(built.project / "queries"))
    assert queries
    for saved in queries:
        response = sparql(server, bind(saved, {}), how="body")
        assert response.status_code == 200, (saved.name, response.text)
        answer = materialise(parse_query_results(response.content, format=QueryResultsFormat.JSON))
        assert rows_of(answer) == rows_of(built.answer(bind(saved, {}))), saved.name


# --- the query page ------------------------------------------------------------------------------------


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str | None, str]] = []
        self._type: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._inside, self._type = True, dict(attrs).get("type")
            self.scripts.append((self._type, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


def test_the_query_page_lists_the_cookbook_and_escapes_it(built: Built, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.rq"
    hostile.write_text('#+ summary: Evil </script><script>window.pwned=1</script> & "q"\n'
                       "#+ description: <img src=x onerror=alert(1)>\n"
                       "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    saved = [load_query(hostile), *load_queries(built.project / "queries").values()]
    page = query_page("A <b>title</b>", "http://127.0.0.1/sparql", saved, 10, 10_000).decode("utf-8")
    assert "<script>window.pwned" not in page and "<img src=x" not in page and "<b>title" not in page
    assert str(escape(saved[0].summary)) in page
    parser = _Scripts()
    parser.feed(page)
    data = json.loads(next(text for kind, text in parser.scripts if kind == "application/json"))
    assert sorted(data) == sorted(q.name for q in saved)
    assert data["hostile"]["summary"] == saved[0].summary
    for q in saved[1:]:
        assert f'<option value="{escape(q.name)}"' in page


def test_a_browser_gets_the_query_page_at_the_endpoint(server: str) -> None:
    response = requests.get(f"{server}/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert 'action="sparql"' in response.text


def test_the_query_page_runs_a_cookbook_query_in_chromium(built: Built, server: str) -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package 'chromium' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from exokg.query import bind

    saved = runnable(load_queries(built.project / "queries"))
    chosen = next(q for q in saved if built.answer(bind(q, {})).terms)
    expected = sorted(tuple("" if t is None else t.value for t in row) for row in built.answer(bind(chosen, {})).terms)
    requested: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.on("request", lambda r: requested.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{server}/sparql")
            page.select_option("#cookbook", chosen.name)
            assert page.input_value("#query") == bind(chosen, {})
            page.click("button[type=submit]")
            page.wait_for_selector("#results table")
            headers = page.locator("#results thead th").all_inner_texts()
            cells = page.eval_on_selector_all(
                "#results tbody tr", "rows => rows.map(r => Array.from(r.cells, c => c.textContent))")
            status = page.inner_text("#status")
            complaints = list(problems)
            # A query with a syntax error shows the endpoint's message, not a table.
            page.fill("#query", "SELECT ?x WHERE { ?x")
            page.click("button[type=submit]")
            # (A locator, not wait_for_function: the page's policy rightly forbids evaluating strings.)
            page.locator("#status", has_text="Error 400").wait_for()
            error = page.inner_text("#status")
        finally:
            browser.close()
    assert headers == [f"?{v}" for v in built.answer(bind(chosen, {})).variables]
    assert sorted(tuple(row) for row in cells) == expected
    assert status.startswith(f"{len(expected)} row")
    assert all(url.startswith(server) for url in requested), requested
    assert complaints == []
    assert "not valid SPARQL" in error


# --- the command line and a server process ------------------------------------------------------------


def test_get_prints_one_response_and_exits_with_its_outcome(built: Built) -> None:
    code, body, err = invoke("serve", str(built.project), "--get", f"/{WORK}", "--accept", "text/turtle")
    assert code == 0 and body == (built.site / f"{WORK}.ttl").read_bytes()
    assert err.startswith("HTTP/1.1 200 OK\n") and "Content-Type: text/turtle; charset=utf-8" in err
    code, body, err = invoke("serve", str(built.project), "--get", "/no/such/page")
    assert code == 4 and err.startswith("HTTP/1.1 404 Not Found") and b"Not found" in body
    query = quote(f"SELECT ?t WHERE {{ <https://w3id.org/exokg/{WORK}> <{TITLE}> ?t }}")
    code, body, err = invoke("serve", str(built.project), "--get", f"/sparql?query={query}", "--accept", "text/csv")
    assert code == 0 and body.decode().splitlines()[0] == "t" and len(body.decode().splitlines()) == 2


def _start(project: Path) -> tuple[subprocess.Popen[str], str, queue.Queue[str]]:
    """``python -m exokg serve`` on a free port; returns the process, its URL and its stderr lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "exokg", "serve", str(project), "--port", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        # A test run started in the background inherits an ignored SIGINT; Ctrl-C must reach the server.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        found = re.search(r" at (http://\S+/) ", line)
        if found:
            return process, found.group(1).rstrip("/"), lines
    process.kill()
    process.wait()
    pytest.fail("exokg serve did not print its URL: " + "".join(seen))


@pytest.fixture(scope="module")
def process_server(built: Built) -> Iterator[str]:
    process, url, _ = _start(built.project)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_sparqlwrapper_reads_json_xml_and_turtle_from_a_server_process(built: Built, process_server: str) -> None:
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    query = f"SELECT ?work ?title WHERE {{ ?work <{TITLE}> ?title }}"
    expected = {(row[0].value, row[1].value) for row in built.answer(query).terms}
    client = SPARQLWrapper(f"{process_server}/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    doc: Any = client.query().convert()
    assert {(b["work"]["value"], b["title"]["value"]) for b in doc["results"]["bindings"]} == expected
    client.setReturnFormat(XML)
    xml_doc: Any = client.query().convert()
    literals = {node.firstChild.data for node in xml_doc.getElementsByTagName("literal")}
    assert literals == {title for _, title in expected}
    client.setQuery(f"CONSTRUCT {{ ?work <{TITLE}> ?title }} WHERE {{ ?work <{TITLE}> ?title }}")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert {(str(s), str(o)) for s, _, o in graph} == expected


def test_rdflib_sparqlstore_queries_a_server_process(built: Built, process_server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(query_endpoint=f"{process_server}/sparql")
    graph = rdflib.Graph(store)
    query = f"SELECT ?work ?title WHERE {{ ?work <{TITLE}> ?title }}"
    expected = {(row[0].value, row[1].value) for row in built.answer(query).terms}
    assert {(str(r[0]), str(r[1])) for r in graph.query(query)} == expected  # type: ignore[index]
    assert graph.query(f"ASK {{ ?s <{TITLE}> ?o }}").askAnswer is True
    constructed = graph.query(f"CONSTRUCT {{ ?w <{TITLE}> ?t }} WHERE {{ ?w <{TITLE}> ?t }}").graph
    assert constructed is not None and len(constructed) == len(expected)
    title = next(iter(graph.objects(rdflib.URIRef(f"https://w3id.org/exokg/{WORK}"), rdflib.URIRef(TITLE))))
    assert str(title) == built.answer(f"SELECT ?t WHERE {{ <https://w3id.org/exokg/{WORK}> <{TITLE}> ?t }}") \
        .terms[0][0].value  # type: ignore[union-attr]


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in listed.stdout.split()]


def test_ctrl_c_stops_the_server_and_its_query_processes(built: Built) -> None:
    process, url, lines = _start(built.project)
    try:
        assert sparql(url, "ASK { ?s ?p ?o }").json()["boolean"] is True
        workers = _children(process.pid)
        assert workers, "the server answered a query without a query process"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert any(line.strip() == "exokg: stopped" for line in rest), rest
    assert not any("Traceback" in line for line in rest), rest
    for pid in workers:
        state = Path(f"/proc/{pid}/stat")
        assert not state.exists() or state.read_text().split()[2] == "Z", f"query process {pid} outlived the server"
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_without_a_store_the_endpoint_loads_the_sites_dump(built: Built, tmp_path: Path) -> None:
    config = dataclasses.replace(load_config(built.project, environ={}), workdir=tmp_path / "no-store")
    source = graph_source(config)
    assert source.kind == "dump" and source.path == str(built.site / "dump.nt")
    app = App(built.site, config.base_iri, QueryPool(source, Limits(timeout=60, workers=1)))
    with running(app) as url:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{TITLE}> ?o }}"
        response = sparql(url, query)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"][0]["n"]["value"] == built.answer(query).terms[0][0].value
    nothing = dataclasses.replace(config, output_dir=tmp_path / "no-site")
    with pytest.raises(ConfigError, match="nothing to query"):
        graph_source(nothing)


def test_the_worker_writes_terms_as_the_standard_formats_say() -> None:
    from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

    store = Store()
    s, p = NamedNode("http://example.org/s"), NamedNode("http://example.org/p")
    decimal = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    objects = [Literal("chat", language="fr"), Literal("4.5", datatype=decimal),
               Literal('a "quoted"\ttab\nline, comma'), BlankNode("b1"), NamedNode("http://example.org/o?x=1&y=%3C")]
    store.extend(Quad(s, p, o, DefaultGraph()) for o in objects)
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?unbound } }"
    reference = materialise(store.query(query))
    for accept, fmt in ((RESULTS_JSON, QueryResultsFormat.JSON),
                        ("application/sparql-results+xml", QueryResultsFormat.XML),
                        ("text/tab-separated-values", QueryResultsFormat.TSV)):
        reply = evaluate(store, query, accept, 10)
        assert reply.status == 200
        got = materialise(parse_query_results(reply.body, format=fmt))
        assert rows_of(got) == rows_of(reference), accept
    # Oxigraph's own JSON writer, as a reference for the JSON the worker writes itself.
    own = json.loads(store.query(query).serialize(format=QueryResultsFormat.JSON))
    mine = json.loads(evaluate(store, query, RESULTS_JSON, 10).body)
    assert mine["head"] == own["head"]
    key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
    assert sorted(map(key, mine["results"]["bindings"])) == sorted(map(key, own["results"]["bindings"]))
    assert evaluate(store, query, "image/png", 10).status == 406
    assert evaluate(store, query, None, 4).status == 413
