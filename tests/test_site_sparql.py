"""SPARQL in the browser (``sparql.html``) in a real headless Chromium, against ``exokg query`` on the same build.

The seed project is built once and served by a real HTTP server on 127.0.0.1. The page loads Oxigraph's
WebAssembly build and the site's N-Triples dump, runs saved and typed queries, and its table is read back
and compared value by value (IRIs, literals' lexical forms, datatypes and languages, in order where the
query orders its rows) with what ``exokg query --format json`` prints for the same project. The build side
(the cookbook file, the library's files, the serving rules for ``.wasm``) is checked without a browser.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pyoxigraph
import pytest
from browser_fixtures import DESKTOP, Tab, browser, only_local, open_tab, serve_folder, tab
from click.testing import CliRunner
from graph_fixtures import INFO, small_corpus
from playwright.sync_api import Browser, expect
from project_fixtures import copy_project

from exokg.cli import cli
from exokg.config import load_config
from exokg.errors import ConfigError
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import read_turtle_folder
from exokg.pipeline import build
from exokg.publish import sparql, vendor
from exokg.publish.plan import SiteInput, SitePlan, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.sparql import COOKBOOK_JSON, LIBRARY_FILES, SPARQL_PAGE
from exokg.publish.write import write_site
from exokg.query import QueryResult, SavedQuery, bind, load_queries, load_query
from exokg.serve.files import content_type
from exokg.works import resolve

__all__ = ["browser", "tab"]  # the shared fixture, imported for pytest

ROOT = Path(__file__).resolve().parents[1]
FINISHED = '#sparql[data-state="done"], #sparql[data-state="failed"], #sparql[data-state="error"]'
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
PREFIXES = """PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX exo: <https://w3id.org/exokg/ontology/>
"""
NEEDS_A_VALUE = """#+ summary: Works citing one work
#+ description: The works whose reference lists cite the given work.
PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?citing WHERE { ?citing cito:cites ?_work_iri } ORDER BY ?citing
"""
# One shape of a value for both sides: (kind, lexical form or IRI, datatype, language); blank nodes are
# named differently by every store, so only their kind is compared.
Value = tuple[str, str, str | None, str | None]


@dataclasses.dataclass(frozen=True)
class Seed:
    """The seed project, built: its folder, its site and what ``exokg query`` reads."""

    project: Path
    site: Path
    base: str
    triples: int
    queries: dict[str, SavedQuery]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    project = copy_project(tmp_path_factory.mktemp("sparql") / "project")
    # A saved query that cannot run without a value, whatever the cookbook holds.
    (project / "queries" / "works-citing.rq").write_text(NEEDS_A_VALUE, encoding="utf-8")
    config = load_config(project, environ={})
    result = build(config)
    assert result.published, result.report.as_text()
    return Seed(project, config.output_dir, config.base_iri, len(set(result.graph.triples)),
                load_queries(config.queries_dir))


@pytest.fixture(scope="module")
def server(seed: Seed) -> Iterator[str]:
    with serve_folder(seed.site) as url:
        yield url


@pytest.fixture(scope="module")
def loaded(browser: Browser, server: str) -> Iterator[Tab]:
    """One query page with the graph loaded, shared by the tests that type or choose a query and run it."""
    with open_tab(browser, "test_site_sparql-query-page", **DESKTOP) as opened:
        ready(opened, server)
        yield opened


# --- Both sides of a comparison ------------------------------------------------------------------------


def exokg_query(seed: Seed, query: str, fmt: str = "json") -> str:
    """What ``exokg query QUERY DIR --format FMT`` prints for the built seed project."""
    done = CliRunner().invoke(cli, ["query", query, str(seed.project), "--format", fmt], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.stdout


def json_value(term: dict[str, str] | None) -> Value:
    if term is None:
        return ("unbound", "", None, None)
    if term["type"] == "bnode":
        return ("bnode", "", None, None)
    return (term["type"], term["value"], term.get("datatype"), term.get("xml:lang"))


def cli_table(seed: Seed, query: str) -> tuple[list[str], list[tuple[Value, ...]]]:
    doc = json.loads(exokg_query(seed, query))
    variables = list(doc["head"]["vars"])
    return variables, [tuple(json_value(b.get(v)) for v in variables) for b in doc["results"]["bindings"]]


READ_TABLE = """() => {
  const table = document.querySelector('#sparql-results table');
  if (!table) return null;
  const cells = (row) => [...row.cells].map((td) => {
    const a = td.querySelector('a');
    return {type: td.dataset.type, text: td.textContent, datatype: td.dataset.datatype || null,
            lang: td.dataset.lang || null, href: a ? a.getAttribute('href') : null,
            links: td.querySelectorAll('a').length};
  });
  return {vars: [...table.tHead.rows[0].cells].map((th) => th.textContent),
          rows: [...table.tBodies[0].rows].map(cells)};
}"""


def page_table(tab: Tab) -> tuple[list[str], list[list[dict[str, Any]]]]:
    found = tab.page.evaluate(READ_TABLE)
    assert found is not None, tab.page.inner_text("#sparql-status")
    return found["vars"], found["rows"]


def page_value(cell: dict[str, Any]) -> Value:
    if cell["type"] == "bnode":
        assert cell["text"].startswith("_:")
        return ("bnode", "", None, None)
    return (cell["type"], cell["text"], cell["datatype"], cell["lang"])


def check_links(seed: Seed, server: str, rows: list[list[dict[str, Any]]]) -> int:
    """Every IRI under the base links to its file of the site, a web IRI to itself; the IRIs checked."""
    checked = 0
    for row in rows:
        for cell in (c for c in row if c["type"] == "uri"):
            iri, target = cell["text"], cell["href"]
            if iri.startswith(seed.base):
                assert target is not None and not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I), cell
                path = urlsplit(urljoin(server + SPARQL_PAGE, target)).path.lstrip("/")
                assert (seed.site / path).is_file(), f"{iri} links to {target}, which is not a file of the site"
                checked += 1
            else:
                assert target == (iri if re.match(r"^https?://", iri) else None), cell
    return checked


def run(tab: Tab) -> str:
    """Run what the text box holds; the state the page ends in."""
    tab.page.click("#sparql-run")
    tab.page.wait_for_selector(FINISHED, state="attached")
    return tab.page.get_attribute("#sparql", "data-state") or ""


def ready(tab: Tab, server: str, address: str = SPARQL_PAGE) -> None:
    tab.open(server + address)
    tab.page.wait_for_selector('#sparql[data-state="ready"], #sparql[data-state="error"]', state="attached")
    assert tab.page.get_attribute("#sparql", "data-state") == "ready", tab.page.inner_text("#sparql-status")


def same_rows(query_text: str, page: list[tuple[Value, ...]], cli: list[tuple[Value, ...]]) -> None:
    code = "\n".join(line for line in query_text.splitlines() if not line.lstrip().startswith("#"))
    if ORDER_BY.search(code):
        assert page == cli
    else:  # SPARQL leaves the order of an unordered result to the store
        assert sorted(page, key=repr) == sorted(cli, key=repr)


def console_trouble(tab: Tab) -> list[str]:
    """Warnings and errors the page logged (the browser's own request for a favicon is not the page's)."""
    return [f"{m.type}: {m.text} ({m.location.get('url')})" for m in tab.console if m.type in ("warning", "error")
            and not str(m.location.get("url", "")).endswith("/favicon.ico")]


# --- In the browser --------------------------------------------------------------------------------------


def test_the_page_loads_the_whole_gzipped_dump_into_oxigraph(seed: Seed, server: str, loaded: Tab) -> None:
    tab = loaded
    assert tab.page.get_attribute("#sparql", "data-loaded") == str(seed.triples)
    assert f"Loaded {seed.triples:,} triples" in tab.page.inner_text("#sparql-status")
    fetched = {urlsplit(url).path for url in tab.requests}
    assert {"/assets/vendor/oxigraph/web.js", "/assets/vendor/oxigraph/web_bg.wasm", "/dump.nt.gz"} <= fetched
    assert "/dump.nt" not in fetched  # the plain copy is only for browsers that cannot unpack gzip
    # Served as application/wasm, the binary compiles as it downloads; otherwise Oxigraph's loader warns.
    assert console_trouble(tab) == []
    only_local(tab, server)


@pytest.mark.parametrize("name", ["articles-by-year", "claims-by-support"])
def test_a_saved_query_gives_the_rows_of_exokg_query(seed: Seed, server: str, loaded: Tab, name: str) -> None:
    query = seed.queries[name]
    tab = loaded
    tab.page.select_option("#sparql-cookbook", name)
    # The browser runs exactly the text exokg query runs: the parameters bound to their defaults.
    expect(tab.page.locator("#sparql-query")).to_have_value(bind(query, {}))
    expect(tab.page.locator("#sparql-about")).to_have_text(query.description)
    assert run(tab) == "done", tab.page.inner_text("#sparql-status")
    variables, rows = page_table(tab)
    cli_variables, cli_rows = cli_table(seed, name)
    assert cli_rows, f"{name} has no rows on the seed build: choose a query that has"
    assert variables == cli_variables
    same_rows(query.text, [tuple(page_value(c) for c in row) for row in rows], cli_rows)
    assert tab.page.inner_text("#sparql-status").startswith(f"{len(cli_rows):,} row")
    if any(v[0] == "uri" for row in cli_rows for v in row):
        assert check_links(seed, server, rows) > 0
    assert f"query={name}" in tab.page.url  # the address names the query, to share or reload
    only_local(tab, server)


TYPED = {
    "filter": PREFIXES + """SELECT ?work ?title ?year
WHERE {
  ?work a fabio:Expression ;
        dcterms:title ?title .
  OPTIONAL { ?work fabio:hasPublicationYear ?year }
  FILTER(CONTAINS(LCASE(STR(?title)), "cell"))
}
ORDER BY ?work
""",
    "count": PREFIXES + """SELECT ?type (COUNT(DISTINCT ?thing) AS ?things)
WHERE { ?thing a ?type }
GROUP BY ?type
""",
}


@pytest.mark.parametrize("kind", sorted(TYPED))
def test_a_typed_query_gives_the_rows_of_exokg_query(seed: Seed, server: str, loaded: Tab, tmp_path: Path,
                                                     kind: str) -> None:
    text = f"#+ summary: typed in the browser ({kind})\n" + TYPED[kind]
    saved = tmp_path / f"typed-{kind}.rq"
    saved.write_text(text, encoding="utf-8")
    tab = loaded
    tab.page.fill("#sparql-query", text)
    tab.page.press("#sparql-query", "Control+Enter")  # the keyboard runs it as the button does
    tab.page.wait_for_selector(FINISHED, state="attached")
    assert tab.page.get_attribute("#sparql", "data-state") == "done", tab.page.inner_text("#sparql-status")
    variables, rows = page_table(tab)
    cli_variables, cli_rows = cli_table(seed, str(saved))
    assert len(cli_rows) > 1
    assert variables == cli_variables
    same_rows(text, [tuple(page_value(c) for c in row) for row in rows], cli_rows)
    check_links(seed, server, rows)
    only_local(tab, server)


def test_ask_and_construct_answer_as_exokg_query_does(seed: Seed, server: str, loaded: Tab, tmp_path: Path) -> None:
    ask = "#+ summary: ask\n" + PREFIXES + "ASK { ?work a fabio:Expression ; dcterms:title ?title }\n"
    construct = ("#+ summary: construct\n" + PREFIXES + "CONSTRUCT { ?article dcterms:title ?title }\n"
                 "WHERE { ?article a exo:Article ; dcterms:title ?title }\n")
    (tmp_path / "ask.rq").write_text(ask, encoding="utf-8")
    (tmp_path / "construct.rq").write_text(construct, encoding="utf-8")
    tab = loaded
    tab.page.fill("#sparql-query", ask)
    assert run(tab) == "done", tab.page.inner_text("#sparql-status")
    expected = json.loads(exokg_query(seed, str(tmp_path / "ask.rq")))["boolean"]
    assert tab.page.inner_text("#sparql-results .sparql-answer") == ("true" if expected else "false")

    tab.page.fill("#sparql-query", construct)
    assert run(tab) == "done", tab.page.inner_text("#sparql-status")
    variables, rows = page_table(tab)
    assert variables == ["subject", "predicate", "object"]
    triples = pyoxigraph.parse(exokg_query(seed, str(tmp_path / "construct.rq"), "nt").encode(),
                               format=pyoxigraph.RdfFormat.N_TRIPLES)
    expected_rows = sorted((tuple(_term_value(t) for t in (triple.subject, triple.predicate, triple.object))
                            for triple in triples), key=repr)
    assert expected_rows
    assert sorted((tuple(page_value(c) for c in row) for row in rows), key=repr) == expected_rows
    only_local(tab, server)


def _term_value(term: object) -> Value:
    if isinstance(term, pyoxigraph.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, pyoxigraph.Literal):
        language = term.language or None
        datatype = None if language or term.datatype.value.endswith("#string") else term.datatype.value
        return ("literal", term.value, datatype, language)
    return ("bnode", "", None, None)


def test_a_saved_query_named_in_the_address_is_chosen_and_run(seed: Seed, server: str, tab: Tab) -> None:
    name = "claims-by-support"
    tab.open(server + "queries.html")
    with tab.page.expect_navigation():
        tab.page.locator(f'form.run-in-browser:has(input[value="{name}"]) button').click()
    assert urlsplit(tab.page.url).path == "/" + SPARQL_PAGE and f"query={name}" in tab.page.url
    tab.page.wait_for_selector(FINISHED, state="attached")
    assert tab.page.get_attribute("#sparql", "data-state") == "done", tab.page.inner_text("#sparql-status")
    assert tab.page.input_value("#sparql-cookbook") == name
    assert tab.page.input_value("#sparql-query") == bind(seed.queries[name], {})
    _, rows = page_table(tab)
    assert [tuple(page_value(c) for c in row) for row in rows] == cli_table(seed, name)[1]

    tab.open(server + SPARQL_PAGE + "?query=no-such-query")
    expect(tab.page.locator("#sparql-about")).to_have_text("There is no saved query named “no-such-query”.")
    only_local(tab, server)


def test_without_workers_the_page_runs_the_queries_itself(seed: Seed, server: str, tab: Tab) -> None:
    tab.page.add_init_script("window.Worker = undefined;")  # as in a browser or a policy with no workers
    name = "articles-by-year"
    tab.open(server + SPARQL_PAGE + f"?query={name}")
    tab.page.wait_for_selector(FINISHED, state="attached")
    assert tab.page.get_attribute("#sparql", "data-state") == "done", tab.page.inner_text("#sparql-status")
    expect(tab.page.locator("#sparql-stop")).to_be_hidden()  # nothing to stop: the page itself runs it
    _, rows = page_table(tab)
    assert [tuple(page_value(c) for c in row) for row in rows] == cli_table(seed, name)[1]
    only_local(tab, server)


def test_a_syntax_error_shows_oxigraphs_message_and_the_page_goes_on(seed: Seed, server: str, loaded: Tab) -> None:
    wrong = "SELECT ?work WHERE { ?work ?p }"
    with pytest.raises(SyntaxError) as raised:
        pyoxigraph.Store().query(wrong)
    tab = loaded
    tab.page.fill("#sparql-query", wrong)
    assert run(tab) == "failed"
    status = tab.page.text_content("#sparql-status")
    assert status == f"The query failed: {raised.value}", status
    assert tab.page.locator("#sparql-results *").count() == 0
    tab.page.fill("#sparql-query", "ASK { ?s ?p ?o }")
    assert run(tab) == "done"
    assert tab.page.inner_text("#sparql-results .sparql-answer") == "true"
    only_local(tab, server)


def test_a_saved_query_without_a_default_says_which_value_it_needs(seed: Seed, server: str, tab: Tab) -> None:
    query = next(q for q in seed.queries.values() if any(p.required and p.default is None for p in q.parameters))
    ready(tab, server)
    expect(tab.page.locator("#sparql-needs")).to_be_hidden()
    tab.page.select_option("#sparql-cookbook", query.name)
    expect(tab.page.locator("#sparql-needs")).to_be_visible()
    needs = tab.page.inner_text("#sparql-needs")
    for parameter in (p for p in query.parameters if p.required and p.default is None):
        assert f"--param {parameter.name}=" in needs and parameter.name in needs.split(":")[0]
    assert tab.page.input_value("#sparql-query") == query.text  # nothing to bind: the text as written
    only_local(tab, server)


def test_a_query_that_runs_too_long_can_be_stopped(seed: Seed, server: str, tab: Tab) -> None:
    ready(tab, server)
    tab.page.fill("#sparql-query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    tab.page.click("#sparql-run")
    tab.page.click("#sparql-stop")  # waits until the button shows, which is while the query runs
    tab.page.wait_for_selector('#sparql[data-state="ready"]', state="attached")
    assert tab.page.get_attribute("#sparql", "data-loaded") == str(seed.triples)
    tab.page.fill("#sparql-query", "ASK { ?s ?p ?o }")
    assert run(tab) == "done"
    only_local(tab, server)


def test_values_are_text_and_only_site_paths_and_web_iris_are_links(seed: Seed, server: str, loaded: Tab) -> None:
    hostile = '<img src=x onerror="window.pwned=1"> </td><script>window.pwned=2</script> & \u202e end'
    literal = hostile.replace("\\", "\\\\").replace('"', '\\"')
    tab = loaded
    tab.page.fill("#sparql-query", f"""SELECT ?text ?script ?local ?web ?nothing WHERE {{
  BIND("{literal}"@en AS ?text)
  BIND(IRI("javascript:window.pwned=3") AS ?script)
  BIND(IRI(CONCAT("{seed.base}", "javascript:window.pwned=4")) AS ?local)
  BIND(<https://example.org/x?a=1&b=2> AS ?web)
}}""")
    assert run(tab) == "done", tab.page.inner_text("#sparql-status")
    _, rows = page_table(tab)
    text, script, local, web, nothing = rows[0]
    assert (text["text"], text["lang"], text["links"]) == (hostile, "en", 0)
    assert (script["text"], script["links"]) == ("javascript:window.pwned=3", 0)
    assert local["href"].startswith("./") and local["href"].endswith(".html")
    assert web["href"] == "https://example.org/x?a=1&b=2"
    assert nothing["type"] == "unbound"
    assert tab.page.locator("#sparql-results img, #sparql-results script").count() == 0
    assert tab.page.evaluate("window.pwned") is None
    only_local(tab, server)


def test_opened_from_disk_the_page_says_how_to_serve_it(seed: Seed, tab: Tab) -> None:
    tab.open((seed.site / SPARQL_PAGE).as_uri())
    tab.page.wait_for_selector('#sparql[data-state="unavailable"]', state="attached")
    status = tab.page.inner_text("#sparql-status")
    assert "opened from disk" in status and "exokg serve" in status
    assert tab.page.is_disabled("#sparql-run")
    assert all(urlsplit(url).scheme == "file" for url in tab.requests), tab.requests
    assert tab.problems == []


# --- The build ---------------------------------------------------------------------------------------------


def test_the_cookbook_holds_every_saved_query_as_exokg_query_runs_it(seed: Seed) -> None:
    cookbook = json.loads((seed.site / COOKBOOK_JSON).read_text(encoding="utf-8"))["queries"]
    assert [q["name"] for q in cookbook] == sorted(seed.queries)
    for entry in cookbook:
        query = seed.queries[entry["name"]]
        missing = [p.name for p in query.parameters if p.required and p.default is None]
        assert (entry["summary"], entry["description"]) == (query.summary, query.description)
        if missing:
            assert entry["text"] == query.text and len(entry["needs"]) == len(missing)
            assert all(f"--param {m}=" in entry["command"] for m in missing)
        else:
            assert entry["text"] == bind(query, {}) and entry["needs"] == []
    page = (seed.site / SPARQL_PAGE).read_text(encoding="utf-8")
    assert page.count("<option ") == len(seed.queries)


def test_the_library_files_are_the_installed_package(seed: Seed) -> None:
    package = vendor.find_package("oxigraph", [vendor.CHECKOUT_NODE_MODULES])
    for source, target in LIBRARY_FILES:
        assert (seed.site / target).read_bytes() == (package.folder / source).read_bytes(), target
    page = (seed.site / SPARQL_PAGE).read_text(encoding="utf-8")
    assert f"Oxigraph {package.version}" in page


def test_servers_send_the_webassembly_as_application_wasm(seed: Seed) -> None:
    assert "application/wasm wasm;" in (seed.site / "nginx" / "exokg-site.conf").read_text(encoding="utf-8")
    assert "AddType application/wasm .wasm" in (seed.site / ".htaccess").read_text(encoding="utf-8")
    assert "/*.wasm\n  Content-Type: application/wasm\n" in (seed.site / "_headers").read_text(encoding="utf-8")
    assert content_type("assets/vendor/oxigraph/web_bg.wasm") == "application/wasm"  # exokg serve


HOSTILE = '</script><img src=x onerror="alert(1)"> & "quoted" \u2028 end'


def hostile_plan(tmp_path: Path) -> SitePlan:
    """The small corpus with one saved query whose name, summary and description are hostile."""
    folder = tmp_path / "queries"
    folder.mkdir(exist_ok=True)
    path = folder / 'evil"><b>x.rq'
    value = json.dumps(HOSTILE)  # a JSON string is a YAML double-quoted scalar, escapes and all
    path.write_text(f"#+ summary: {value}\n#+ description: {value}\nSELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 1\n",
                    encoding="utf-8")
    env = make_renderer(ROOT / "site")
    data = SiteInput(triples=map_bibliography(resolve(small_corpus()), INFO), title=INFO.title,
                     base_iri=INFO.base_iri, build_date=INFO.build_date, version="test",
                     vocabulary=read_turtle_folder(ROOT / "ontology", "ontology", exclude=("concepts.ttl",)),
                     queries=[(load_query(path), QueryResult(("s",), ()))], assets=read_assets(ROOT / "site"))
    return plan_site(data, lambda t, c: render_with(env, t, c))


def test_hostile_saved_queries_are_escaped_and_the_output_is_deterministic(tmp_path: Path) -> None:
    first, second = hostile_plan(tmp_path), hostile_plan(tmp_path)
    assert first.warnings == []
    for path in (SPARQL_PAGE, COOKBOOK_JSON, *(target for _, target in LIBRARY_FILES)):
        assert first.files[path] == second.files[path], path
    page = first.files[SPARQL_PAGE].decode()
    assert "<img" not in page and "<b>" not in page and "</script><" not in page
    assert "&lt;/script&gt;&lt;img" in page
    cookbook = first.files[COOKBOOK_JSON].decode()
    assert not set("<>&\u2028") & set(cookbook)
    assert json.loads(cookbook)["queries"][0]["summary"] == HOSTILE


def test_without_the_npm_package_the_build_says_to_run_npm_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modules = tmp_path / "node_modules"
    shutil.copytree(vendor.CHECKOUT_NODE_MODULES / "minisearch", modules / "minisearch")
    monkeypatch.setattr(vendor, "CHECKOUT_NODE_MODULES", modules)
    with pytest.raises(ConfigError) as raised:
        hostile_plan(tmp_path)
    assert "oxigraph" in raised.value.message and "web.js" in raised.value.message
    assert raised.value.hint is not None and "npm ci" in raised.value.hint


def test_a_large_graph_loads_only_when_a_query_runs(browser: Browser, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sparql, "AUTOLOAD_TRIPLES", 0)
    plan = hostile_plan(tmp_path)
    write_site(plan.files, tmp_path / "site")
    with serve_folder(tmp_path / "site") as server, \
            open_tab(browser, "test_a_large_graph_loads_only_when_a_query_runs", **DESKTOP) as tab:
        tab.open(server + SPARQL_PAGE)
        tab.page.wait_for_load_state("networkidle")
        assert "loads when you first run a query" in tab.page.inner_text("#sparql-status")
        assert not [url for url in tab.requests if "/dump.nt" in url or url.endswith(".wasm")], tab.requests
        tab.page.fill("#sparql-query", "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }")
        assert run(tab) == "done", tab.page.inner_text("#sparql-status")
        _, rows = page_table(tab)
        assert rows[0][0]["text"] == str(len(plan.files["dump.nt"].splitlines()))
        only_local(tab, server)

