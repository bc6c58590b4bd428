"""The dataset level: the dumps, the VoID/DCAT description with its statistics, and the dataset page.

Every figure the description states is checked against a count made here, by SPARQL over the dump parsed
back with rdflib; every byte size against the file itself.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import pyoxigraph
import pytest
import rdflib
from graph_fixtures import INFO, small_corpus
from project_fixtures import copy_project
from pyoxigraph import Literal, NamedNode, Triple

from exokg.config import load_config
from exokg.graph.mapping import DatasetInfo, map_bibliography
from exokg.graph.store import read_turtle_folder
from exokg.pipeline import build
from exokg.publish.dataset import DUMPS, DumpFile, describe
from exokg.publish.plan import SiteInput, SitePlan, open_site, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.validate import load_shapes, validate_graph
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
BASE = INFO.base_iri
DATASET = rdflib.URIRef(BASE + "dataset")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
FOAF = rdflib.FOAF
PREFIXES = {"void": VOID, "dcat": DCAT, "spdx": SPDX, "foaf": FOAF, "dcterms": rdflib.DCTERMS}
MESH = "http://id.nlm.nih.gov/mesh/"
# The external datasets the issue asks linksets for, by the IRIs of their resources.
LINKED = {"DOI": "https://doi.org/", "PubMed": "https://pubmed.ncbi.nlm.nih.gov/", "MeSH": MESH}
FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}

Files = Callable[[str], bytes]


def small_triples(info: DatasetInfo = INFO) -> list[Triple]:
    """The hand-made corpus, one concept linked to MeSH, and objects that differ only by datatype or language."""
    concept, extra = NamedNode("https://w3id.org/exokg/concept/exosome"), NamedNode(BASE + "note/literals")
    skos = "http://www.w3.org/2004/02/skos/core#"
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    xsd_int = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    added = [
        Triple(concept, NamedNode(rdflib.RDF.type), NamedNode(skos + "Concept")),
        Triple(concept, NamedNode(skos + "prefLabel"), Literal("exosome")),
        Triple(concept, NamedNode(skos + "exactMatch"), NamedNode(MESH + "D055354")),
        Triple(extra, label, Literal("1")),
        Triple(extra, label, Literal("1", language="en")),
        Triple(extra, label, Literal("1", datatype=xsd_int)),
        Triple(NamedNode("http://example.org/elsewhere"), label, Literal("1")),
    ]
    return sorted(set(map_bibliography(resolve(small_corpus()), info)) | set(added), key=str)


def plan(triples: list[Triple], title: str = INFO.title) -> SitePlan:
    env = make_renderer(ROOT / "site")
    data = SiteInput(triples=triples, title=title, base_iri=BASE, build_date=INFO.build_date, version="9.9-test",
                     description=INFO.description, licence=INFO.licence,
                     vocabulary=read_turtle_folder(ROOT / "ontology", "ontology"), assets=read_assets(ROOT / "site"))
    return plan_site(data, lambda t, c: render_with(env, t, c))


@pytest.fixture(scope="module")
def small() -> SitePlan:
    return plan(small_triples())


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project built once, as a real build writes it."""
    project = copy_project(tmp_path_factory.mktemp("seed") / "project")
    result = build(load_config(project, environ={}))
    assert result.published, result.report.as_text()
    return project / "_site"


def parse(content: bytes, path: str) -> rdflib.Graph:
    suffix = path.rsplit(".", 1)[-1]
    return rdflib.Graph().parse(data=content.decode("utf-8"), format=FORMAT.get(suffix, "turtle"))


def same(first: rdflib.Graph, second: rdflib.Graph) -> bool:
    """Graph equality; the site writes no blank nodes, so the triples themselves can be compared."""
    assert not any(isinstance(t, rdflib.BNode) for graph in (first, second) for triple in graph for t in triple)
    return set(first) == set(second)


def rows(graph: rdflib.Graph, query: str) -> list[tuple[Any, ...]]:
    """The rows of a SELECT query (rdflib's rows are tuples; its types also allow ASK's boolean)."""
    return [tuple(cast(tuple[Any, ...], row)) for row in graph.query(query, initNs=PREFIXES)]


def one(graph: rdflib.Graph, query: str) -> int:
    found = rows(graph, query)
    assert len(found) == 1, query
    return int(found[0][0])


def grouped(graph: rdflib.Graph, query: str) -> dict[str, tuple[int, ...]]:
    return {str(row[0]): tuple(int(v) for v in row[1:]) for row in rows(graph, query)}


def check_statistics(void: rdflib.Graph, dump: rdflib.Graph) -> None:
    """Every figure of the description equals the same figure counted over the dump."""
    def stated(predicate: str) -> int:
        return one(void, f"SELECT ?n WHERE {{ <{DATASET}> void:{predicate} ?n }}")

    assert stated("triples") == len(dump)
    assert stated("distinctSubjects") == one(dump, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    assert stated("distinctObjects") == one(dump, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
    assert stated("entities") == one(dump, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER isIRI(?s) }")
    # A class's triples are those whose subject is one of its instances.
    classes = grouped(dump, "SELECT ?c (COUNT(DISTINCT ?s) AS ?e) (COUNT(*) AS ?t) WHERE { ?s a ?c . ?s ?p ?o } "
                            "GROUP BY ?c")
    assert grouped(void, f"""SELECT ?c ?e ?t WHERE {{ <{DATASET}> void:classPartition ?part .
        ?part void:class ?c ; void:entities ?e ; void:triples ?t }}""") == classes
    assert stated("classes") == len(classes)
    properties = grouped(dump, """SELECT ?p (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?ds) (COUNT(DISTINCT ?o) AS ?do)
        WHERE { ?s ?p ?o } GROUP BY ?p""")
    assert grouped(void, f"""SELECT ?p ?t ?s ?o WHERE {{ <{DATASET}> void:propertyPartition ?part .
        ?part void:property ?p ; void:triples ?t ; void:distinctSubjects ?s ; void:distinctObjects ?o }}""") \
        == properties
    assert stated("properties") == len(properties)
    linksets = rows(void, f"""SELECT ?space ?p ?n WHERE {{ <{DATASET}> void:subset ?set . ?set a void:Linkset ;
        void:linkPredicate ?p ; void:triples ?n ; void:subjectsTarget <{DATASET}> ; void:objectsTarget ?target ;
        void:target <{DATASET}>, ?target . ?target void:uriSpace ?space }}""")
    stated_links = {(str(space), str(p)): int(n) for space, p, n in linksets}
    assert stated_links, "no linksets"
    # Every link into a stated dataset or one the issue names, by (that dataset's IRI space, link predicate).
    spaces = {space for space, _ in stated_links} | set(LINKED.values())
    counted: Counter[tuple[str, str]] = Counter()
    for _, p, o in dump:
        for space in spaces:
            if isinstance(o, rdflib.URIRef) and str(o).startswith(space):
                counted[(space, str(p))] += 1
    assert stated_links == dict(counted)


def check_distributions(void: rdflib.Graph, files: Files) -> None:
    """Sizes and checksums are those of the files; every dump is a distribution with its media type."""
    found = rows(void, f"""SELECT ?url ?size ?media ?sum WHERE {{ <{DATASET}> dcat:distribution ?d .
        ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ; dcat:mediaType ?media ;
           dcterms:format ?format ; dcterms:license ?licence ; spdx:checksum ?c .
        ?c spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum }}""")
    by_path = {str(url).removeprefix(BASE): (size, str(media), str(digest)) for url, size, media, digest in found}
    assert sorted(by_path) == ["dump.jsonld", "dump.nt", "dump.nt.gz", "dump.ttl"]
    assert {str(d).removeprefix(BASE) for d in void.objects(DATASET, VOID.dataDump)} == set(by_path)
    iana = "https://www.iana.org/assignments/media-types/"
    assert by_path["dump.ttl"][1] == iana + "text/turtle"
    assert by_path["dump.nt"][1] == by_path["dump.nt.gz"][1] == iana + "application/n-triples"
    assert by_path["dump.jsonld"][1] == iana + "application/ld+json"
    for path, (size, _, digest) in by_path.items():
        content = files(path)
        assert size == rdflib.Literal(len(content), datatype=rdflib.XSD.nonNegativeInteger), path
        assert digest == hashlib.sha256(content).hexdigest(), path
    features = {str(f) for f in void.objects(DATASET, VOID.feature)}
    assert features == {"http://www.w3.org/ns/formats/" + f for f in ("Turtle", "N-Triples", "JSON-LD")}


def check_dumps(files: Files) -> rdflib.Graph:
    """The dumps hold one graph in every format, in the default graph; the gzip dump is deterministic."""
    nt = files("dump.nt")
    packed = files("dump.nt.gz")
    assert gzip.decompress(packed) == nt
    assert packed[3] & 0x08 == 0, "a file name in the gzip header"
    assert packed[4:8] == b"\0\0\0\0", "a modification time in the gzip header"
    dump = parse(nt, "dump.nt")
    for path in ("dump.ttl", "dump.jsonld"):
        assert same(parse(files(path), path), dump), path
    quads = list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_QUADS))
    assert quads and all(q.graph_name == pyoxigraph.DefaultGraph() for q in quads)
    return dump


def check_descriptions(files: Files) -> rdflib.Graph:
    """Every description file parses with rdflib and pyoxigraph and holds the same graph, about the dataset."""
    void = parse(files("void.ttl"), "void.ttl")
    for path, fmt in (("void.nt", pyoxigraph.RdfFormat.N_TRIPLES), ("void.jsonld", pyoxigraph.RdfFormat.JSON_LD),
                      (".well-known/void", pyoxigraph.RdfFormat.TURTLE), ("void.ttl", pyoxigraph.RdfFormat.TURTLE)):
        assert same(parse(files(path), path), void), path
        assert len(list(pyoxigraph.parse(files(path), format=fmt))) == len(void), path
    well_known = parse(files(".well-known/void"), "void.ttl")
    assert rows(well_known, f"""SELECT ?doc WHERE {{ ?doc a void:DatasetDescription ;
        foaf:primaryTopic <{DATASET}> . <{DATASET}> a void:Dataset, dcat:Dataset ; void:dataDump ?d }}""")
    minted = {str(t) for triple in void for t in triple if isinstance(t, rdflib.URIRef) and "/dataset#" in str(t)}
    assert minted and all(t.startswith(str(DATASET) + "#") for t in minted)
    assert not any(isinstance(t, rdflib.BNode) for triple in void for t in triple)
    return void


def linked_spaces(void: rdflib.Graph) -> set[str]:
    query = "SELECT ?space WHERE { ?set a void:Linkset ; void:objectsTarget ?t . ?t void:uriSpace ?space }"
    return {str(row[0]) for row in rows(void, query)}


class _Figures(HTMLParser):
    """The statistics and download rows of the dataset page, by their data attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, int] = {}
        self.sizes: dict[str, int] = {}
        self.links: set[str] = set()
        self._row: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-figure"):
            self._row = ("figure", found["data-figure"] or "")
        if tag == "tr" and found.get("data-file"):
            self._row = ("file", found["data-file"] or "")
        if tag == "td" and self._row and "data-value" in found and self._row[0] == "figure":
            self.figures[self._row[1]] = int(found["data-value"] or "")
        if tag == "td" and self._row and "data-bytes" in found and self._row[0] == "file":
            self.sizes[self._row[1]] = int(found["data-bytes"] or "")
        if tag == "a" and found.get("href"):
            self.links.add(found["href"] or "")


def check_page(page: str, void: rdflib.Graph, dump: rdflib.Graph, files: Files) -> None:
    figures = _Figures()
    figures.feed(page)
    assert figures.figures["triples"] == len(dump)
    assert figures.figures["distinct-subjects"] == one(dump, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    assert figures.figures["distinct-objects"] == one(dump, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
    assert figures.figures["classes"] == one(dump, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    assert figures.figures["properties"] == one(dump, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    assert f"{len(dump):,}" in page
    assert figures.sizes == {p: len(files(p)) for p in ("dump.ttl", "dump.nt", "dump.nt.gz", "dump.jsonld")}
    assert {"dump.ttl", "dump.nt", "dump.nt.gz", "dump.jsonld", "void.ttl", ".well-known/void"} <= figures.links
    licence = str(void.value(DATASET, rdflib.DCTERMS.license))
    assert licence in figures.links
    assert "no named graphs" in page
    assert not [link for link in figures.links if link.endswith((".trig", ".nq"))]


def test_small_site_states_what_a_count_over_its_dump_finds(small: SitePlan) -> None:
    files = small.files.__getitem__
    dump = check_dumps(files)
    void = check_descriptions(files)
    check_statistics(void, dump)
    check_distributions(void, files)
    check_page(small.files["dataset.html"].decode(), void, dump, files)
    assert set(LINKED.values()) <= linked_spaces(void)
    assert not [w for w in small.warnings if "dataset" in w or "void" in w or "dump" in w]
    assert not [p for p in small.files if p.endswith((".trig", ".nq"))]


def test_the_dataset_iri_dereferences_to_the_statistics(small: SitePlan) -> None:
    graph = parse(small.files["dataset.ttl"], "dataset.ttl")
    for path in ("dataset.nt", "dataset.jsonld"):
        assert same(parse(small.files[path], path), graph), path
    dump = parse(small.files["dump.nt"], "dump.nt")
    assert graph.value(DATASET, VOID.triples) == rdflib.Literal(len(dump))
    assert len(list(graph.objects(DATASET, DCAT.distribution))) == 4
    # The graph's own statements about the dataset are all there too.
    assert {(p, o) for _, p, o in dump.triples((DATASET, None, None))} <= set(graph.predicate_objects(DATASET))


def test_the_description_conforms_to_the_projects_shapes(small: SitePlan) -> None:
    void = parse(small.files["void.ttl"], "void.ttl")
    shapes = load_shapes(ROOT / "shapes")
    report = validate_graph(void, shapes)
    assert report.conforms, report.as_text()
    # The dataset shape does apply to the description: without its licence, the dataset does not conform.
    void.remove((DATASET, rdflib.DCTERMS.license, None))
    assert not validate_graph(void, shapes).conforms
    assert void.value(DATASET, DCAT.version) == rdflib.Literal(INFO.build_date.isoformat())
    assert void.value(DATASET, rdflib.DCTERMS.created) == rdflib.Literal(INFO.build_date.isoformat(),
                                                                         datatype=rdflib.XSD.date)
    versions = {str(v) for v in void.objects(None, rdflib.URIRef("http://schema.org/softwareVersion"))}
    assert "9.9-test" in versions


def test_two_plans_are_byte_identical(small: SitePlan) -> None:
    first, second = small, plan(small_triples())
    assert list(first.files) == list(second.files)
    assert [p for p in first.files if first.files[p] != second.files[p]] == []


def test_a_hostile_title_is_escaped_on_the_page_and_kept_in_the_description() -> None:
    title = '</td><script>alert("t")</script> & {{ 1 }}'
    site = plan(small_triples(dataclasses.replace(INFO, title=title)), title=title)
    page = site.files["dataset.html"].decode()
    assert "<script>alert" not in page
    assert "&lt;/td&gt;&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; {{ 1 }}" in page
    for path in ("void.ttl", "void.nt", "void.jsonld", ".well-known/void"):
        assert parse(site.files[path], path).value(DATASET, rdflib.DCTERMS.title) == rdflib.Literal(title), path


def test_the_seed_build_states_its_real_statistics_and_sizes(seed: Path) -> None:
    def files(path: str) -> bytes:
        return (seed / path).read_bytes()

    dump = check_dumps(files)
    void = check_descriptions(files)
    check_statistics(void, dump)
    check_distributions(void, files)
    check_page(files("dataset.html").decode(), void, dump, files)
    assert set(LINKED.values()) <= linked_spaces(void)
    report = validate_graph(void, load_shapes(ROOT / "shapes"))
    assert report.conforms, report.as_text()
    examples = [str(e) for e in void.objects(DATASET, VOID.exampleResource)]
    assert examples and all((seed / (e.removeprefix(BASE) + ".html")).is_file() for e in examples)


def test_a_graph_without_the_dataset_resource_still_gets_a_complete_description() -> None:
    other = NamedNode(BASE + "other-dataset")
    triples = [t for t in small_triples() if t.subject != NamedNode(str(DATASET))]
    triples.append(Triple(other, NamedNode(rdflib.RDF.type), NamedNode(str(VOID.Dataset))))
    site = plan(triples)
    assert "dataset.html" not in site.files
    # Another dataset in the graph gets a plain page: the statistics are the project dataset's only.
    assert "data-figure" not in site.files["other-dataset.html"].decode()
    void = check_descriptions(site.files.__getitem__)
    check_statistics(void, check_dumps(site.files.__getitem__))
    assert void.value(DATASET, rdflib.DCTERMS.title) == rdflib.Literal(INFO.title)
    assert void.value(DATASET, rdflib.DCTERMS.license) == rdflib.URIRef(INFO.licence)
    report = validate_graph(void, load_shapes(ROOT / "shapes"))
    assert report.conforms, report.as_text()


def test_the_dumps_are_planned_as_they_are_made_and_only_their_size_and_digest_kept() -> None:
    env = make_renderer(ROOT / "site")
    data = SiteInput(triples=small_triples(), title=INFO.title, base_iri=BASE, build_date=INFO.build_date,
                     version="9.9-test", licence=INFO.licence)
    site = open_site(data, lambda t, c: render_with(env, t, c))
    described = describe(site)
    # The dumps are gigabytes at scale: the plan has them (written at once to a staging folder in a build),
    # and the description keeps no copy.
    assert list(described.dumps) == [d.path for d in DUMPS]
    for path, made in described.dumps.items():
        content = site.plan.files[path]
        assert made == DumpFile(len(content), hashlib.sha256(content).hexdigest())
    assert not any(isinstance(v, bytes) for made in described.dumps.values() for v in made)
    assert gzip.decompress(site.plan.files["dump.nt.gz"]) == site.plan.files["dump.nt"]
    assert describe(site) is described
