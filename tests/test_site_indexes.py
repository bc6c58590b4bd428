"""The readers' index pages and the schema.org JSON-LD embedded in every page, checked against the graph.

The graph is read back from the site's own N-Triples dump and asked with SPARQL, so the expectations do
not come from the code that made the pages. JSON-LD is expanded with pyld against a local copy of the
part of the schema.org context it needs: nothing is fetched.
"""

from __future__ import annotations

import dataclasses
import html
import json
import posixpath
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from graph_fixtures import INFO, small_corpus
from project_fixtures import copy_project
from pyld import jsonld
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple

from exokg import __version__
from exokg.config import Config, load_config
from exokg.errors import QueryError
from exokg.graph.claims import StatedClaim, map_claims
from exokg.graph.iris import Iris
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import memory_store, read_turtle_folder
from exokg.model import Assertion, Author, ConceptRef, Corpus
from exokg.pipeline import read_graph, site_input
from exokg.publish.plan import SiteInput, SitePlan, page_file, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.write import write_site
from exokg.query import load_queries, run
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
BASE = INFO.base_iri
PREFIXES = """
PREFIX exo: <https://w3id.org/exokg/ontology/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
# The terms of the published schema.org context (https://schema.org/docs/jsonldcontext.jsonld) that the
# pages use and that are not plain properties of the vocabulary: their values are IRIs.
SCHEMA_CONTEXT = {"@context": {
    "@vocab": "http://schema.org/", "schema": "http://schema.org/",
    **{term: {"@id": f"schema:{term}", "@type": "@id"} for term in ("sameAs", "url", "license", "contentUrl")},
}}
S = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = '</script><script>alert(1)</script><!-- "x" & \u2028'
HOSTILE_AUTHOR = "</SCRIPT ><img src=x onerror=alert(2)>"
FOR = "MSC-derived exosomes cause tumor formation."
INDEX_PAGES = ("articles.html", "claims.html", "concepts.html", "journals.html", "authors.html", "queries.html")
# Saved queries the site must show without rows, or with an answer or triples instead of rows.
EXTRA_QUERIES = {
    "citing-a-work": """#+ summary: Works that cite a given work
#+ description: The citing works of one work; the header gives no default, so the site cannot run it.
PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?citing WHERE { ?citing cito:cites ?_work_iri . } ORDER BY ?citing
""",
    "any-contested": """#+ summary: Is any claim contested?
PREFIX exo: <https://w3id.org/exokg/ontology/>
ASK { ?claim exo:contested true }
""",
    "journal-titles": """#+ summary: Journals and their titles, as triples
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT { ?j dcterms:title ?t } WHERE { ?j a fabio:Journal ; dcterms:title ?t }
""",
    "broken": """#+ summary: A query with a syntax error </pre><script>alert(3)</script>
SELECT ?x WHERE { ?x ?y }
""",
}


@dataclass
class Built:
    config: Config
    data: SiteInput
    plan: SitePlan
    store: Store = field(default_factory=Store)

    def page(self, path: str) -> str:
        return self.plan.files[path].decode("utf-8")

    def select(self, query: str) -> list[tuple[Any, ...]]:
        solutions = self.store.query(PREFIXES + query)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        return [tuple(_plain(row[n]) for n in names) for row in solutions]  # type: ignore[union-attr]


def _plain(term: object) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype.value.endswith(("#integer", "#int", "#long")):
        return int(term.value)
    return term.value  # type: ignore[attr-defined]


def _plan(data: SiteInput) -> SitePlan:
    env = make_renderer(ROOT / "site")
    return plan_site(data, lambda t, c: render_with(env, t, c))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The default project, with saved queries of every form, one that needs a value and one that fails."""
    project = copy_project(tmp_path_factory.mktemp("seed") / "project")
    for name, text in EXTRA_QUERIES.items():
        (project / "queries" / f"{name}.rq").write_text(text, encoding="utf-8")
    config = load_config(project, environ={})
    data = site_input(config, read_graph(config), None)
    built = Built(config, data, _plan(data))
    built.store.load(built.plan.files["dump.nt"], format=RdfFormat.N_TRIPLES)
    return built


@pytest.fixture(scope="module")
def small() -> SitePlan:
    """Two articles, one with hostile title, author and keyword; one says MSC exosomes cause tumour formation,
    the other that they do not, so both claims are contested."""
    listing, review = small_corpus().articles
    against = "MSC-derived exosomes carry no risk of tumor formation."
    evil = dataclasses.replace(review, title=HOSTILE, authors=(Author(HOSTILE_AUTHOR),), keywords=("<!--<script>",),
                               abstract=against, abstract_sections=())
    corpus = Corpus((dataclasses.replace(listing, abstract=FOR), evil))
    exo = ConceptRef("msc-exosome", "MSC-derived exosome", "MSC-derived exosomes")
    tumour = ConceptRef("tumour-formation", "tumour formation", "tumor formation")
    stated = [StatedClaim("pmid:30992990", "002_listing.txt",
                          Assertion(exo, "causes", tumour, False, "asserted", (), FOR, 0, len(FOR), "abstract")),
              StatedClaim("doi:10.1016/j.reth.2024.01.009", "000_review.txt",
                          Assertion(exo, "causes", tumour, True, "asserted", (), against, 0, len(against),
                                    "abstract"))]
    scheme = "https://w3id.org/exokg/concept/"
    labels = [Triple(NamedNode(scheme + key), NamedNode(p), o)
              for key, label in (("msc-exosome", "MSC-derived exosome"), ("tumour-formation", "tumour formation"))
              for p, o in ((RDF_TYPE, NamedNode(SKOS + "Concept")), (SKOS + "prefLabel", Literal(label)),
                           (SKOS + "inScheme", NamedNode(scheme)))]
    labels += [Triple(NamedNode(scheme), NamedNode(RDF_TYPE), NamedNode(SKOS + "ConceptScheme")),
               Triple(NamedNode(scheme), NamedNode(SKOS + "prefLabel"), Literal("exokg concepts"))]
    iris = Iris(BASE)
    triples = map_bibliography(resolve(corpus), INFO) + map_claims(stated, iris, iris.software(__version__))
    data = SiteInput(triples=sorted({*triples, *labels}, key=str), title=INFO.title, base_iri=BASE,
                     build_date=INFO.build_date, version="test", description=INFO.description,
                     licence=INFO.licence, vocabulary=read_turtle_folder(ROOT / "ontology", "ontology"),
                     assets=read_assets(ROOT / "site"))
    return _plan(data)


class _Scripts(HTMLParser):
    """Every script element: its attributes and its text (the parser keeps script content raw)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def scripts(page: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser.scripts


def embedded(page: str) -> list[dict[str, Any]]:
    return [json.loads(text) for attrs, text in scripts(page) if attrs.get("type") == "application/ld+json"]


@dataclass
class Cell:
    attrs: dict[str, str | None]
    text: str = ""
    hrefs: list[str] = field(default_factory=list)


@dataclass
class Table:
    attrs: dict[str, str | None]
    headers: list[Cell] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)

    def column(self, name: str) -> int:
        return [h.text.strip() for h in self.headers].index(name)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.cell: Cell | None = None
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.tables.append(Table(found))
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th"):
            self.cell = Cell(found)
            (self.tables[-1].rows[-1] if self.in_body else self.tables[-1].headers).append(self.cell)
        elif tag == "a" and self.cell is not None and found.get("href"):
            self.cell.hrefs.append(found["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.cell = None
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.text += data


def tables(page: str, css_class: str) -> list[Table]:
    parser = _Tables()
    parser.feed(page)
    return [t for t in parser.tables if css_class in (t.attrs.get("class") or "").split()]


def resolves(plan: SitePlan, from_path: str, href: str) -> bool:
    if href.startswith(("http://", "https://")):
        return True
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), href.split("#")[0])) in plan.files


def resource_pages(data: SiteInput) -> list[tuple[str, str]]:
    """(site path, IRI) of every resource page: one per resource under the base the graph describes."""
    iris = Iris(BASE)
    subjects = {str(t.subject.value).split("#", 1)[0] for t in [*data.triples, *data.vocabulary]}
    pages = {(page_file(iris, s), s) for s in subjects if s.startswith(BASE) and s != BASE}
    return sorted((path, iri) for path, iri in pages if path and path.endswith(".html"))


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}
    raise AssertionError(f"JSON-LD processing asked for {url}; nothing may be fetched")


def expand(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(doc, {"documentLoader": offline_loader})  # type: ignore[no-any-return]


def ids(nodes: list[dict[str, Any]] | dict[str, Any] | None) -> list[str]:
    if nodes is None:
        return []
    return [n["@id"] for n in (nodes if isinstance(nodes, list) else [nodes])]


# --- schema.org JSON-LD -------------------------------------------------------------------------------


def test_every_resource_page_embeds_one_schema_org_description_of_itself_that_expands(seed: Built) -> None:
    pages = resource_pages(seed.data)
    assert len(pages) > 600
    kinds: set[str] = set()
    for path, iri in pages:
        found = embedded(seed.page(path))
        assert len(found) == 1, path
        doc = found[0]
        assert doc["@context"] == "https://schema.org" and doc["@id"] == iri, path
        assert all(value not in (None, "", [], {}) for value in doc.values()), path
        expanded = expand(doc)
        assert [node["@id"] for node in expanded] == [iri], path
        assert expanded[0]["@type"] == [S + doc["@type"]], path
        kinds.add(doc["@type"])
    assert {"ScholarlyArticle", "Claim", "DefinedTerm", "Dataset", "Periodical", "Person"} <= kinds


def test_article_json_ld_agrees_with_the_graph(seed: Built) -> None:
    works = [w for (w,) in seed.select("SELECT ?w WHERE { ?w a fabio:Expression }")]
    assert len(works) > 5
    for work in works:
        doc = embedded(seed.page(work[len(BASE):] + ".html"))[0]
        assert doc["@type"] == "ScholarlyArticle"
        authors = [p for (p,) in seed.select(
            f"SELECT ?p WHERE {{ <{work}> exo:authorship ?e . ?e schema:position ?n ; exo:agent ?p }} ORDER BY ?n")]
        assert ids(doc.get("author")) == authors, work
        # The order survives JSON-LD processing: the expanded list is in the author list's order.
        assert [a["@id"] for a in expand(doc)[0].get(S + "author", [])] == authors
        cited = {c for (c,) in seed.select(f"SELECT ?c WHERE {{ <{work}> cito:cites ?c }}")}
        assert set(ids(doc.get("citation"))) == cited
        keywords = {k for (k,) in seed.select(f"SELECT ?k WHERE {{ <{work}> dcterms:subject ?k }}")}
        assert keywords <= set(ids(doc.get("about")))
        (title, doi, pmid, pmcid, year, issued, journal), = seed.select(f"""SELECT ?t ?doi ?pmid ?pmcid ?y ?d ?j
            WHERE {{ OPTIONAL {{ <{work}> dcterms:title ?t }} OPTIONAL {{ <{work}> prism:doi ?doi }}
                     OPTIONAL {{ <{work}> fabio:hasPubMedId ?pmid }}
                     OPTIONAL {{ <{work}> fabio:hasPubMedCentralId ?pmcid }}
                     OPTIONAL {{ <{work}> fabio:hasPublicationYear ?y }} OPTIONAL {{ <{work}> dcterms:issued ?d }}
                     OPTIONAL {{ <{work}> dcterms:isPartOf ?j }} }}""")
        assert doc.get("headline") == title
        assert doc.get("datePublished") == (issued or year)
        expected = [(k, v) for k, v in (("DOI", doi), ("PMID", pmid), ("PMCID", pmcid)) if v]
        assert [(i["propertyID"], i["value"]) for i in doc.get("identifier", [])] == expected
        same = {s for (s,) in seed.select(f"SELECT ?s WHERE {{ <{work}> owl:sameAs|schema:sameAs ?s }}")}
        assert same <= set(doc.get("sameAs", [])) and len(doc.get("sameAs", [])) == len(set(doc.get("sameAs", [])))
        if pmid:
            assert f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" in doc["sameAs"]
        assert ids(doc.get("isPartOf")) == ([journal] if journal else [])


def test_claim_json_ld_names_the_works_it_appears_in(seed: Built) -> None:
    claims = seed.select("SELECT ?c ?label ?s ?o WHERE { ?c a exo:Claim ; rdfs:label ?label ; "
                         "exo:subject ?s ; exo:object ?o }")
    assert len(claims) > 40
    for claim, label, subject, obj in claims:
        doc = embedded(seed.page(claim[len(BASE):] + ".html"))[0]
        assert doc["@type"] == "Claim" and doc["text"] == label
        works = {w for (w,) in seed.select(f"SELECT DISTINCT ?w WHERE {{ ?a exo:asserts <{claim}> ; "
                                           "exo:assertedIn ?w }")}
        assert set(ids(doc["appearance"])) == works
        assert ids(doc["about"]) == list(dict.fromkeys([subject, obj]))
        if "firstAppearance" in doc:
            years = dict(seed.select(f"SELECT DISTINCT ?w ?y WHERE {{ ?a exo:asserts <{claim}> ; exo:assertedIn ?w . "
                                     "?w fabio:hasPublicationYear ?y }"))
            first = doc["firstAppearance"]["@id"]
            assert len(years) == len(works) and years[first] == min(years.values())
    several = [c for c, *_ in claims if len(embedded(seed.page(c[len(BASE):] + ".html"))[0]["appearance"]) > 1]
    assert several, "the seed corpus has claims asserted by more than one work"


def test_concept_journal_person_and_dataset_json_ld_agree_with_the_graph(seed: Built) -> None:
    for concept, label in seed.select("SELECT ?c ?l WHERE { ?c a skos:Concept ; skos:prefLabel ?l . "
                                      f"FILTER STRSTARTS(STR(?c), '{BASE}') }}"):
        path = concept[len(BASE):] + ".html"
        doc = embedded(seed.page(path))[0]
        assert doc["@type"] == "DefinedTerm" and doc["name"] == label
        same = {m for (m,) in seed.select(f"SELECT ?m WHERE {{ <{concept}> skos:exactMatch ?m }}")}
        alt = {a for (a,) in seed.select(f"SELECT ?a WHERE {{ <{concept}> skos:altLabel ?a }}")}
        schemes = [s for (s,) in seed.select(f"SELECT ?s WHERE {{ <{concept}> skos:inScheme ?s }}")]
        assert set(doc.get("sameAs", [])) == same and set(doc.get("alternateName", [])) == alt
        assert ids(doc.get("inDefinedTermSet")) == schemes[:1]
    for journal, name in seed.select("SELECT ?j ?n WHERE { ?j a fabio:Journal ; dcterms:title ?n }"):
        doc = embedded(seed.page(journal[len(BASE):] + ".html"))[0]
        assert (doc["@type"], doc["name"]) == ("Periodical", name)
    for person, name in seed.select("SELECT ?p ?n WHERE { ?p a foaf:Person ; foaf:name ?n }"):
        doc = embedded(seed.page(person[len(BASE):] + ".html"))[0]
        assert (doc["@type"], doc["name"]) == ("Person", name)
    (dataset, licence), = seed.select("SELECT ?d ?l WHERE { ?d a void:Dataset ; dcterms:license ?l }")
    dumps = {d for (d,) in seed.select(f"SELECT ?d WHERE {{ <{dataset}> void:dataDump ?d }}")}
    home = embedded(seed.page("index.html"))[0]
    assert home["@type"] == "WebSite" and home["about"]["@id"] == dataset
    for doc in (embedded(seed.page("dataset.html"))[0], home["about"]):
        assert doc["@type"] == "Dataset" and doc["license"] == licence and doc["name"] == seed.data.title
        urls = [d["contentUrl"] for d in doc["distribution"]]
        assert dumps <= set(urls) and urls == sorted(urls)
        for download in doc["distribution"]:
            assert download["contentUrl"][len(BASE):] in seed.plan.files
            assert download["encodingFormat"]


def test_hostile_titles_cannot_leave_the_script_element(small: SitePlan) -> None:
    plan = small
    assert plan.warnings == []
    checked = 0
    # Every page that shows one of the hostile strings, escaped or not.
    showing = sorted(p for p, c in plan.files.items() if p.endswith(".html") and (b"alert" in c or b"!--" in c))
    assert {"articles.html", "authors.html", "concepts.html"} <= set(showing)
    for path in showing:
        page = plan.files[path].decode("utf-8")
        assert "<script>alert" not in page and "<img src=x" not in page, path
        for attrs, text in scripts(page):
            # Only the page's own scripts: JSON-LD, or a file of the site's assets.
            assert attrs.get("type") == "application/ld+json" or (attrs.get("src") or "").endswith(".js"), path
            assert attrs.get("type") != "application/ld+json" or not {"<", ">", "&"} & set(text), path
        for doc in embedded(page):
            checked += 1
            if path.startswith("work/"):
                expand(doc)
    work = next(p for p in plan.files if p.startswith("work/doi-10.1016") and p.endswith(".html"))
    doc = embedded(plan.files[work].decode("utf-8"))[0]
    assert doc["headline"] == HOSTILE and doc["author"][0]["name"] == HOSTILE_AUTHOR
    assert checked > 5


# --- index pages --------------------------------------------------------------------------------------


def test_home_page_links_every_index_with_its_count(seed: Built) -> None:
    page = seed.page("index.html")
    for path in INDEX_PAGES:
        assert f'href="{path}"' in page and path in seed.plan.files
    (articles,), = seed.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a a exo:Article }")
    (claims,), = seed.select("SELECT (COUNT(?c) AS ?n) WHERE { ?c a exo:Claim }")
    assert f"({articles})" in page and f"({claims})" in page
    for path in [*INDEX_PAGES, "index.html", "404.html", *(p for p, _ in resource_pages(seed.data))]:
        assert '<nav class="site-nav"' in seed.page(path), path


def test_articles_index_counts_and_order_match_the_graph(seed: Built) -> None:
    page = seed.page("articles.html")
    table, = tables(page, "articles")
    expected = seed.select("""SELECT ?a ?title ?year
        (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?entry) AS ?refs)
        WHERE { ?a a exo:Article ; rdfs:label ?title .
                OPTIONAL { ?a fabio:hasPublicationYear ?year }
                OPTIONAL { ?assertion exo:assertedIn ?a ; exo:asserts ?claim }
                OPTIONAL { ?a frbr:part ?entry } }
        GROUP BY ?a ?title ?year""")
    expected.sort(key=lambda r: (r[2] is None, -int(r[2] or 0), r[1].casefold(), r[0]))
    assert len(table.rows) == len(expected) == 5
    titles = table.column("Title")
    for row, (article, _, year, claims, refs) in zip(table.rows, expected, strict=True):
        link = row[titles].hrefs[0]
        assert posixpath.normpath(link) == article[len(BASE):] + ".html" and resolves(seed.plan, "articles.html", link)
        assert row[table.column("Year")].text.strip() == (year or "")
        assert int(row[table.column("Claims")].text) == claims
        assert int(row[table.column("References")].text) == refs
        assert all(resolves(seed.plan, "articles.html", h) for cell in row for h in cell.hrefs)
    assert sum(int(r[table.column("Claims")].text) for r in table.rows) > 0
    sortable = {h.text.strip(): h.attrs for h in table.headers if "data-sort" in h.attrs}
    assert {"Title", "Year", "Claims"} <= set(sortable)
    assert sortable["Year"]["aria-sort"] == "descending" and sortable["Claims"]["data-sort"] == "number"
    assert all("data-value" in row[table.column("Claims")].attrs for row in table.rows)
    assert 'src="assets/sort.js"' in page


def test_claims_index_puts_contested_first_then_the_most_supported(seed: Built) -> None:
    table, = tables(seed.page("claims.html"), "claims")
    expected = seed.select("""SELECT ?c ?label ?n ?firm ?contested ?negated WHERE {
        ?c a exo:Claim ; rdfs:label ?label ; exo:assertingArticles ?n ; exo:firmArticles ?firm ;
           exo:contested ?contested ; exo:negated ?negated }""")
    expected.sort(key=lambda r: (r[4] != "true", -r[2], r[1].casefold(), r[0]))
    assert len(table.rows) == len(expected) > 40
    for row, (claim, label, n, firm, contested, negated) in zip(table.rows, expected, strict=True):
        assert row[0].hrefs == [claim[len(BASE):] + ".html"] and row[0].text == label
        assert int(row[table.column("Works")].text) == n and int(row[table.column("Firm")].text) == firm
        status = row[table.column("Status")].text
        assert ("contested" in status) == (contested == "true")
        assert ("hedged only" in status) == (firm == 0 and n > 0)
        assert ("(negated)" in row[table.column("Relation")].text) == (negated == "true")
        assert all(resolves(seed.plan, "claims.html", h) for cell in row for h in cell.hrefs)
    assert any(r[3] == 0 for r in expected) and any(r[5] == "true" for r in expected)


def test_contested_claims_come_first_in_a_corpus_that_has_them(small: SitePlan) -> None:
    plan = small
    assert plan.warnings == []
    table, = tables(plan.files["claims.html"].decode("utf-8"), "claims")
    first = [row[0].hrefs[0] for row in table.rows[:2]]
    assert sorted(first) == ["claim/msc-exosome.causes.tumour-formation.html",
                             "claim/msc-exosome.causes.tumour-formation.not.html"]
    assert all("contested" in row[table.column("Status")].text for row in table.rows[:2])
    assert "1 of them is contested" not in plan.files["claims.html"].decode("utf-8")
    for row in table.rows[:2]:
        doc = embedded(plan.files[row[0].hrefs[0]].decode("utf-8"))[0]
        assert doc["@type"] == "Claim" and len(doc["appearance"]) == 1


def test_concepts_index_lists_every_concept_by_vocabulary_with_its_claims(seed: Built) -> None:
    page = seed.page("concepts.html")
    found = tables(page, "concepts")
    schemes = {s: label for s, label in seed.select("SELECT ?s ?l WHERE { ?s a skos:ConceptScheme ; rdfs:label ?l }")}
    assert len(found) == len(schemes)
    counts = {c: (label, n) for c, label, n in seed.select("""SELECT ?c ?label (COUNT(DISTINCT ?claim) AS ?n) WHERE {
        ?c a skos:Concept ; skos:prefLabel ?label .
        OPTIONAL { { ?claim exo:subject ?c } UNION { ?claim exo:object ?c } } } GROUP BY ?c ?label""")}
    listed = {}
    for table in found:
        labels = [row[0].text for row in table.rows]
        assert labels == sorted(labels, key=str.casefold)
        for row in table.rows:
            concept = BASE + posixpath.normpath(row[0].hrefs[0]).removesuffix(".html")
            listed[concept] = int(row[table.column("Claims")].text)
            assert row[0].text == counts[concept][0]
            assert resolves(seed.plan, "concepts.html", row[0].hrefs[0])
    assert listed == {c: n for c, (_, n) in counts.items()}
    assert len(listed) > 380 and sum(1 for n in listed.values() if n) > 20
    assert all(label in page for label in schemes.values())


@pytest.mark.parametrize(("path", "kind", "predicate"), [("journals.html", "fabio:Journal", "dcterms:isPartOf"),
                                                          ("authors.html", "foaf:Person", "dcterms:creator")])
def test_journal_and_author_indexes_count_articles_and_works(seed: Built, path: str, kind: str,
                                                             predicate: str) -> None:
    table, = tables(seed.page(path), "counted")
    expected = seed.select(f"""SELECT ?x ?label (COUNT(DISTINCT ?a) AS ?articles) (COUNT(DISTINCT ?w) AS ?works)
        WHERE {{ ?x a {kind} ; rdfs:label ?label .
                 OPTIONAL {{ ?w {predicate} ?x }} OPTIONAL {{ ?a {predicate} ?x ; a exo:Article }} }}
        GROUP BY ?x ?label""")
    expected.sort(key=lambda r: (r[1].casefold(), r[0]))
    assert len(table.rows) == len(expected) > 10
    for row, (member, label, articles, works) in zip(table.rows, expected, strict=True):
        assert row[0].text == label and row[0].hrefs == [member[len(BASE):] + ".html"]
        assert (int(row[1].text), int(row[2].text)) == (articles, works)
        assert resolves(seed.plan, path, row[0].hrefs[0])
    assert any(int(row[1].text) for row in table.rows) and any(int(row[2].text) > int(row[1].text)
                                                                for row in table.rows)


def test_queries_page_shows_each_query_its_text_and_its_result(seed: Built) -> None:
    page = seed.page("queries.html")
    saved = load_queries(seed.config.queries_dir)
    assert len(saved) == len(list(seed.config.queries_dir.glob("*.rq"))) and set(EXTRA_QUERIES) <= set(saved)
    store = memory_store(seed.data.triples)
    sections = page.split('<section class="saved-query"')[1:]
    assert len(sections) == len(saved)
    assert "<script>alert(3)" not in page
    for query, section in zip(saved.values(), sections, strict=True):
        assert f'id="query-{query.name}"' in section
        shown = section.split("<pre><code>", 1)[1].split("</code></pre>", 1)[0]
        assert html.unescape(shown) == query.text and "<" not in shown, query.name
        if query.name == "citing-a-work":
            assert "No result on this build" in section and "<code>work</code>" in section
            assert "<table" not in section
            continue
        if query.name == "broken":
            with pytest.raises(QueryError):
                run(store, query)
            assert "could not be run" in section and "<table" not in section
            continue
        expected = run(store, query)
        if expected.form == "ASK":
            assert f"Answer on this build: <strong>{'yes' if expected.boolean else 'no'}</strong>" in section
            continue
        count, unit = (len(expected.triples), "triple") if expected.form == "CONSTRUCT" else (len(expected.rows), "row")
        assert f"{count} {unit}{'s' if count != 1 else ''} on this build" in section, query.name
        if not count:
            assert "<table" not in section
            continue
        result, = tables(section, "result")
        assert len(result.rows) == count, query.name
        if expected.form == "SELECT":
            assert [h.text for h in result.headers] == list(expected.variables)
        for row in result.rows:
            for cell in row:
                for href in cell.hrefs:
                    assert resolves(seed.plan, "queries.html", href), (query.name, href)
                    # An IRI is shown by its label, not as the bare IRI, when the graph has one.
                    if not href.startswith("http"):
                        assert not cell.text.startswith("http"), (query.name, cell.text)
    assert any(len(t.rows) > 10 for t in tables(page, "result"))
    assert "journal/regen-ther.html" in page


def test_index_pages_link_only_to_pages_of_the_site_and_request_nothing_external(seed: Built) -> None:
    assert seed.plan.warnings == []
    for path in ("index.html", *INDEX_PAGES, "404.html"):
        page = seed.page(path)
        for attrs, _ in scripts(page):
            assert not (attrs.get("src") or "").startswith(("http:", "https:", "//")), path
        assert 'rel="stylesheet" href="http' not in page and "@import" not in page


# --- the table sorter in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: install the Debian package 'chromium' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
        launched = playwright.chromium.launch(executable_path=found, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_sort_js_sorts_by_the_clicked_column_and_says_so(seed: Built, browser: Any,
                                                         tmp_path: Path) -> None:
    write_site(seed.plan.files, tmp_path / "site")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((tmp_path / "site" / "articles.html").as_uri())

    def column(index: int) -> list[str]:
        return page.eval_on_selector_all(f"table.articles tbody tr td:nth-child({index})",
                                         "cells => cells.map(c => c.getAttribute('data-value'))")  # type: ignore[no-any-return]

    def sort_state() -> list[str | None]:
        return page.eval_on_selector_all("table.articles thead th",  # type: ignore[no-any-return]
                                         "hs => hs.map(h => h.getAttribute('aria-sort'))")

    default = column(1)
    page.click("table.articles thead th:nth-child(1) button")
    assert column(1) == sorted(default, key=str.lower)
    assert sort_state() == ["ascending", None, None, None, None]
    page.click("table.articles thead th:nth-child(1) button")
    assert column(1) == sorted(default, key=str.lower, reverse=True)
    assert sort_state()[0] == "descending"
    page.click("table.articles thead th:nth-child(4) button")
    claims = [int(v) for v in column(4)]
    assert claims == sorted(claims, reverse=True) and len(set(claims)) > 1
    assert sort_state() == [None, None, None, "descending", None]
    # A number column sorts largest first on the first click, then the other way.
    page.click("table.articles thead th:nth-child(2) button")
    years = [int(v) for v in column(2)]
    assert years == sorted(years, reverse=True) and sort_state()[1] == "descending"
    page.click("table.articles thead th:nth-child(2) button")
    assert [int(v) for v in column(2)] == sorted(years) and sort_state()[1] == "ascending"
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    page.close()
