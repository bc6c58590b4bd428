"""The site's search, without a browser: what the index holds, its format, the page, and the library's files.

The browser side (MiniSearch indexing the documents, results on the page) is in ``test_site_browser.py``.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from graph_fixtures import INFO, small_corpus
from project_fixtures import copy_project

from exokg.cli import cli
from exokg.config import load_config
from exokg.errors import ConfigError
from exokg.graph.iris import Iris
from exokg.graph.mapping import lexical, map_bibliography
from exokg.graph.namespaces import EXO, FABIO
from exokg.graph.store import read_turtle_folder
from exokg.model import Author, Corpus
from exokg.pipeline import Graph, read_graph, site_input
from exokg.publish.plan import SiteInput, SitePlan, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.site import RDF_TYPE, page_file
from exokg.publish.vendor import CHECKOUT_NODE_MODULES, find_package
from exokg.publish.view import GraphView
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
SKOS = "http://www.w3.org/2004/02/skos/core#"
HOSTILE = 'Zebrafish <img src=x onerror="alert(1)"> </script><script>alert(2)</script> & "q" \u2028 \u2029 end'


@dataclasses.dataclass(frozen=True)
class Planned:
    graph: Graph
    view: GraphView
    iris: Iris
    plan: SitePlan

    @property
    def documents(self) -> list[dict[str, str]]:
        data: dict[str, Any] = json.loads(self.plan.files["search/index.json"])
        return list(data["documents"])


@pytest.fixture(scope="module")
def seed() -> Planned:
    """The seed project planned (not written) the way ``exokg build`` plans it."""
    config = load_config(ROOT, environ={})
    graph = read_graph(config)
    env = make_renderer(config.site_dir)
    plan = plan_site(site_input(config, graph, None), lambda t, c: render_with(env, t, c))
    return Planned(graph, GraphView(graph.triples, config.base_iri), Iris(config.base_iri), plan)


def plan_corpus(corpus: Corpus, vendor_dirs: tuple[Path, ...] = ()) -> SitePlan:
    env = make_renderer(ROOT / "site")
    data = SiteInput(triples=map_bibliography(resolve(corpus), INFO), title=INFO.title, base_iri=INFO.base_iri,
                     build_date=INFO.build_date, version="test",
                     vocabulary=read_turtle_folder(ROOT / "ontology", "ontology", exclude=("concepts.ttl",)),
                     assets=read_assets(ROOT / "site"), vendor_dirs=vendor_dirs)
    return plan_site(data, lambda t, c: render_with(env, t, c))


def hostile_corpus() -> Corpus:
    listing, review = small_corpus().articles
    evil = dataclasses.replace(review, title=HOSTILE, abstract="</p><script>alert(3)</script> exosomes & more",
                               authors=(Author("<img src=y onerror=alert(4)>"),))
    return Corpus((listing, evil))


def _pages_of(planned: Planned, rdf_type: str, unless: str | None = None) -> set[str]:
    found = set()
    for iri in planned.view.subjects_with(RDF_TYPE, rdf_type):
        if unless and unless in planned.view.types(iri):
            continue
        path = page_file(planned.iris, iri)
        if path is not None:
            found.add(path)
    return found


def test_every_article_cited_work_claim_and_concept_is_one_document_linking_its_page(seed: Planned) -> None:
    documents = seed.documents
    urls = [d["url"] for d in documents]
    assert len(urls) == len(set(urls))
    assert all(url in seed.plan.files and url.endswith(".html") for url in urls)
    by_kind = {kind: {d["url"] for d in documents if d["kind"] == kind} for kind in ("article", "work", "claim",
                                                                                        "concept")}
    assert by_kind["article"] == _pages_of(seed, str(EXO.Article))
    assert by_kind["work"] == _pages_of(seed, str(FABIO.Expression), unless=str(EXO.Article))
    assert by_kind["claim"] == _pages_of(seed, str(EXO.Claim))
    assert by_kind["concept"] == _pages_of(seed, SKOS + "Concept")
    assert Counter(d["kind"] for d in documents) == {kind: len(found) for kind, found in by_kind.items()}
    assert len(by_kind["article"]) == len(seed.graph.bibliography.articles) == 5


def test_article_documents_hold_the_title_abstract_authors_year_and_journal_read_from_the_source(
        seed: Planned) -> None:
    articles = {d["title"]: d for d in seed.documents if d["kind"] == "article"}
    for article in seed.graph.corpus.articles:
        assert article.title in articles, article.title
        document = articles[article.title]
        abstract = article.abstract or " ".join(s.text for s in article.abstract_sections)
        assert abstract and abstract.split()[:12] == document["text"].split()[:12]
        for author in article.authors:
            assert author.name in document["authors"]
        assert document["year"] == str(article.year)
        assert article.journal and article.journal in {document["journal"], *document["journal"].split(" = ")}


def test_claim_documents_hold_every_evidence_sentence_and_concepts_their_other_names(seed: Planned) -> None:
    documents = {d["url"]: d for d in seed.documents}
    view, iris = seed.view, seed.iris
    checked = 0
    for node in {lexical(t.subject) for t in seed.graph.triples if t.predicate.value == str(EXO.evidence)}:
        claim = view.value(node, str(EXO.asserts))
        assert claim is not None
        document = documents[page_file(iris, claim) or ""]
        assert document["title"] == view.label(claim)
        assert (view.value(node, str(EXO.evidence)) or "-") in document["text"].split("\n")
        checked += 1
    assert checked == len(seed.graph.claims) > 0
    with_alt = [c for c in view.subjects_with(RDF_TYPE, SKOS + "Concept") if view.values(c, SKOS + "altLabel")]
    assert with_alt
    for concept in with_alt:
        document = documents[page_file(iris, concept) or ""]
        assert document["title"] == view.value(concept, SKOS + "prefLabel")
        assert set(view.values(concept, SKOS + "altLabel")) <= set(document["labels"].split("; "))


def test_the_index_is_sorted_json_and_the_script_form_holds_the_same_data() -> None:
    # Separate builds of the seed project are compared byte for byte in test_build.py.
    first = plan_corpus(small_corpus())
    text = first.files["search/index.json"].decode("utf-8")

    def sorted_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys)
        return dict(pairs)

    data = json.loads(text, object_pairs_hook=sorted_keys)
    urls = [d["url"] for d in data["documents"]]
    assert urls == sorted(urls)
    assert data["kinds"]["work"] == "Cited work"
    script = first.files["search/index.js"].decode("utf-8")
    prefix, suffix = "window.exokgSearchIndex = ", ";\n"
    assert script.startswith(prefix) and script.endswith(suffix)
    assert json.loads(script[len(prefix):-len(suffix)]) == data


def test_hostile_text_is_kept_exactly_and_escaped_for_html_and_scripts() -> None:
    files = plan_corpus(hostile_corpus()).files
    for name in ("search/index.json", "search/index.js"):
        text = files[name].decode("utf-8")
        assert not re.search("[<>&\u2028\u2029]", text), name
    documents = json.loads(files["search/index.json"])["documents"]
    article = next(d for d in documents if d["kind"] == "article" and d["title"].startswith("Zebrafish"))
    assert article["title"] == HOSTILE
    assert article["text"] == "</p><script>alert(3)</script> exosomes & more"
    assert article["authors"] == "<img src=y onerror=alert(4)>"


def test_the_results_are_built_as_text_nodes_never_parsed_as_html() -> None:
    script = (ROOT / "site" / "assets" / "search.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(",
                 "createContextualFragment", "DOMParser"):
        assert sink not in code, sink
    assert "textContent" in code


class _SearchForms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.actions: list[str] = []
        self.inputs: list[str] = []
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and found.get("role") == "search":
            self.actions.append(found.get("action") or "")
            self._in_form = True
        elif tag == "input" and self._in_form:
            self.inputs.append(found.get("name") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False


def test_every_page_has_a_search_form_that_leads_to_the_search_page(seed: Planned) -> None:
    files = seed.plan.files
    pages = [p for p in files if p.endswith(".html")]
    assert "search.html" in pages
    for path in pages:
        if path == "404.html":  # served at any depth, so its relative links are only right at the root
            continue
        forms = _SearchForms()
        forms.feed(files[path].decode("utf-8"))
        assert forms.actions, path
        for action in forms.actions:
            assert posixpath.normpath(posixpath.join(posixpath.dirname(path), action)) == "search.html", path
        assert "q" in forms.inputs, path
    assert not [w for w in seed.plan.warnings if "search" in w]


def test_the_search_page_loads_the_index_and_the_library_from_the_site(seed: Planned) -> None:
    page = seed.plan.files["search.html"].decode("utf-8")
    srcs = re.findall(r'<script src="([^"]+)"', page)
    assert srcs == ["assets/vendor/minisearch/index.js", "assets/search.js"]
    assert all(src in seed.plan.files for src in srcs)
    assert 'data-index="search/index.json"' in page and 'data-index-script="search/index.js"' in page
    assert f"{len(seed.documents)} pages" in page
    package = json.loads((CHECKOUT_NODE_MODULES / "minisearch" / "package.json").read_text(encoding="utf-8"))
    assert f"MiniSearch {package['version']}" in page
    assert seed.plan.files["assets/vendor/minisearch/index.js"] == \
        (CHECKOUT_NODE_MODULES / "minisearch" / "dist" / "umd" / "index.js").read_bytes()
    assert b"Permission is hereby granted" in seed.plan.files["assets/vendor/minisearch/LICENSE.txt"]


def _fake_package(node_modules: Path, version: str, files: dict[str, str]) -> None:
    folder = node_modules / "minisearch"
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"name": "minisearch", "version": version}), encoding="utf-8")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_the_projects_own_node_modules_come_before_the_exokg_folders(tmp_path: Path) -> None:
    _fake_package(tmp_path / "node_modules", "0.0.1-project",
                  {"dist/umd/index.js": "/* the project's copy */", "LICENSE.txt": "project licence"})
    files = plan_corpus(small_corpus(), vendor_dirs=(tmp_path / "node_modules",)).files
    assert files["assets/vendor/minisearch/index.js"] == b"/* the project's copy */"
    assert files["assets/vendor/minisearch/LICENSE.txt"] == b"project licence"
    assert "MiniSearch 0.0.1-project" in files["search.html"].decode("utf-8")


def test_a_missing_package_or_file_is_an_error_naming_it_and_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as missing:
        find_package("minisearch", [tmp_path / "node_modules"], "dist/umd/index.js")
    assert "minisearch/dist/umd/index.js" in str(missing.value) and 'run "npm ci" in the exokg folder' in str(
        missing.value)
    _fake_package(tmp_path / "node_modules", "6.0.0", {"LICENSE.txt": "x"})
    package = find_package("minisearch", [tmp_path / "node_modules"], "dist/umd/index.js")
    assert package.version == "6.0.0"
    with pytest.raises(ConfigError) as incomplete:
        package.read("dist/umd/index.js")
    assert "minisearch 6.0.0 has no file dist/umd/index.js" in str(incomplete.value)
    assert "npm ci" in str(incomplete.value)


@pytest.mark.parametrize("name", ["../minisearch", "/etc", "a/../../b", "Mini Search", ""])
def test_package_names_cannot_leave_node_modules(name: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not an npm package name"):
        find_package(name, [tmp_path])


@pytest.mark.parametrize("relative", ["../../etc/passwd", "/etc/passwd", ""])
def test_package_files_cannot_leave_the_package(relative: str) -> None:
    package = find_package("minisearch", [CHECKOUT_NODE_MODULES])
    with pytest.raises(ConfigError, match="not a file inside a package"):
        package.read(relative)


def test_a_broken_package_in_the_project_stops_the_build_with_a_clear_message(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for page in sorted((project / "corpus").iterdir())[1:]:  # one article is enough to reach the site stage
        page.unlink()
    (project / "curation.yaml").unlink()  # it curates the pages just removed
    folder = project / "node_modules" / "minisearch"
    folder.mkdir(parents=True)
    (folder / "package.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-q", "build", str(project), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "minisearch" in result.stderr and "package.json" in result.stderr
    assert 'run "npm ci" in the exokg folder' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
