"""The ontology overview, the term pages, the shapes page and the validation report page.

What the pages must show is read here from the ontology and shapes files with rdflib, independently of how
the publish stage reads them; the HTML is parsed into a small element tree to find rows, links and anchors.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from graph_fixtures import INFO, small_corpus
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SH

from exokg.config import load_config
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import read_turtle_files
from exokg.pipeline import build
from exokg.publish.plan import SiteInput, SitePlan, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.validate import ValidationReport, ValidationResult, load_shapes, validate
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "exokg.ttl"
SHAPES_FILE = ROOT / "shapes" / "exokg.shapes.ttl"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
EXO_ARTICLE = "https://w3id.org/exokg/ontology/Article"
HOSTILE = '<script>alert("x")</script> {{ 7*7 }} & \u202eevil'


# ---------------------------------------------------------------------------------------------------------
# A tiny element tree, enough to find a page's rows, links and anchors.


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = dataclasses.field(default_factory=list)

    def text(self) -> str:
        return " ".join(" ".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def walk(self, prune: str | None = None) -> Iterator[Element]:
        """This element and its descendants, leaving out any of class ``prune`` and what it holds."""
        if prune is not None and prune in self.attrs.get("class", "").split():
            return
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk(prune)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.walk() if (tag is None or e.tag == tag)
                and (cls is None or cls in e.attrs.get("class", "").split())]

    def by_id(self, ident: str) -> Element | None:
        return next((e for e in self.walk() if e.attrs.get("id") == ident), None)

    def links(self) -> list[tuple[str, str]]:
        return [(a.attrs["href"], a.text()) for a in self.find_all("a") if "href" in a.attrs]


class _TreeBuilder(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(content: bytes) -> Element:
    builder = _TreeBuilder()
    builder.feed(content.decode("utf-8"))
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def resolve_link(page: str, target: str) -> tuple[str, str]:
    """A relative link of ``page`` as (site file, fragment)."""
    file, _, fragment = target.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), file)), fragment


# ---------------------------------------------------------------------------------------------------------
# Sites planned in memory.


def turtle_triples(content: bytes) -> list[Triple]:
    return [Triple(q.subject, q.predicate, q.object) for q in parse(input=content, format=RdfFormat.TURTLE)]


def plan_docs_site(triples: list[Triple], report: ValidationReport | None, *, base_iri: str = INFO.base_iri,
                   vocabulary_files: dict[str, bytes] | None = None, shapes_path: Path = SHAPES_FILE) -> SitePlan:
    env = make_renderer(ROOT / "site")
    files = vocabulary_files if vocabulary_files is not None else {ONTOLOGY_FILE.name: ONTOLOGY_FILE.read_bytes()}
    vocabulary = sorted({t for content in files.values() for t in turtle_triples(content)}, key=str)
    data = SiteInput(triples=triples, title=INFO.title, base_iri=base_iri, build_date=INFO.build_date,
                     version="test", vocabulary=vocabulary, vocabulary_files=files,
                     shapes=read_turtle_files([shapes_path], "shapes"),
                     shapes_files={shapes_path.name: shapes_path.read_bytes()}, report=report,
                     assets=read_assets(ROOT / "site"))
    return plan_site(data, lambda t, c: render_with(env, t, c))


@pytest.fixture(scope="module")
def graph_triples() -> list[Triple]:
    return map_bibliography(resolve(small_corpus()), INFO)


@pytest.fixture(scope="module")
def site(graph_triples: list[Triple]) -> SitePlan:
    report = validate(graph_triples, load_shapes(ROOT / "shapes"))
    return plan_docs_site(graph_triples, report)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def page_of(iri: str) -> str:
    assert iri.startswith(INFO.base_iri)
    return iri[len(INFO.base_iri):] + ".html"


def labelled(graph: rdflib.Graph, iri: rdflib.URIRef) -> str:
    """How a term should appear: its label when the ontology gives one, else its prefixed name."""
    label = graph.value(iri, RDFS.label)
    if label is not None:
        return str(label)
    prefix, _, local = graph.namespace_manager.compute_qname(iri)
    return f"{prefix}:{local}"


# ---------------------------------------------------------------------------------------------------------
# The ontology.


def rows_of(page: Element, section: str) -> dict[str, Element]:
    """The rows of one table of the overview, by the href of the term link in their first cell."""
    found = page.find_all("section", section)
    assert len(found) == 1, section
    rows = {}
    for row in found[0].find_all("tr")[1:]:
        first = row.find_all("td")[0]
        rows[first.links()[0][0]] = row
    return rows


def test_the_overview_lists_every_class_and_property_with_domain_and_range(
        site: SitePlan, ontology: rdflib.Graph) -> None:
    assert site.warnings == []
    page = parse_html(site.files["ontology/index.html"])
    classes = rows_of(page, "ontology-classes")
    properties = rows_of(page, "ontology-properties")
    expected_classes = {str(c) for c in ontology.subjects(RDF.type, OWL.Class)}
    expected_properties = {str(p) for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
                           for p in ontology.subjects(RDF.type, kind)}
    assert len(expected_classes) >= 9 and len(expected_properties) >= 40
    # Links are relative to ontology/index.html: a term's page is its local name + .html.
    assert set(classes) == {page_of(c).removeprefix("ontology/") for c in expected_classes}
    assert set(properties) == {page_of(p).removeprefix("ontology/") for p in expected_properties}
    for prop in expected_properties:
        row = properties[page_of(prop).removeprefix("ontology/")]
        cells = row.find_all("td")
        assert labelled(ontology, rdflib.URIRef(prop)) in cells[0].text()
        comment = ontology.value(rdflib.URIRef(prop), RDFS.comment)
        assert comment is not None and " ".join(str(comment).split()) in cells[1].text()
        for column, predicate in ((2, RDFS.domain), (3, RDFS.range)):
            expected = set(ontology.objects(rdflib.URIRef(prop), predicate))
            links = cells[column].links()
            for term in expected:
                text = labelled(ontology, term)  # type: ignore[arg-type]
                if str(term).startswith(INFO.base_iri):
                    target = resolve_link("ontology/index.html", page_of(str(term)).removeprefix("ontology/"))
                    assert (page_of(str(term)), text) in {(resolve_link("ontology/index.html", h)[0], t)
                                                          for h, t in links}, (prop, term)
                else:
                    assert (str(term), text) in links, (prop, term, links)
                    target = (str(term), "")
                assert target[0] in site.files or not target[0].endswith(".html")
    subclass = next((c for c in expected_classes if ontology.value(rdflib.URIRef(c), RDFS.subClassOf)), None)
    assert subclass is not None
    parent = ontology.value(rdflib.URIRef(subclass), RDFS.subClassOf)
    assert str(parent) in dict(classes[page_of(subclass).removeprefix("ontology/")].find_all("td")[2].links())


def test_each_term_page_shows_the_shapes_that_constrain_it(site: SitePlan, shapes: rdflib.Graph) -> None:
    exo = "https://w3id.org/exokg/ontology/"
    checked_classes = checked_properties = 0
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        name = str(shape).rsplit("/", 1)[-1]
        for target in shapes.objects(shape, SH.targetClass):
            if not str(target).startswith(exo):
                continue
            path = page_of(str(target))
            page = parse_html(site.files[path])
            shape_links = [resolve_link(path, h) for h, text in page.links() if text == name]
            assert shape_links, (path, name)
            file, fragment = shape_links[0]
            anchored = parse_html(site.files[file]).by_id(fragment)
            assert file == "shapes/index.html" and anchored is not None and str(shape) in anchored.text()
            checked_classes += 1
        for constraint in shapes.objects(shape, SH.property):
            prop = shapes.value(constraint, SH.path)
            if not isinstance(prop, rdflib.URIRef) or not str(prop).startswith(exo):
                continue
            path = page_of(str(prop))
            rows = [r for r in parse_html(site.files[path]).find_all("tr")
                    if any(text == name for _, text in r.links())]
            assert rows, (path, name)
            row_text = " ".join(r.text() for r in rows)
            message = shapes.value(constraint, SH.message)
            assert message is not None and str(message) in row_text
            for predicate, words in ((SH.minCount, "min count"), (SH.maxCount, "max count")):
                value = shapes.value(constraint, predicate)
                if value is not None:
                    assert f"{words} {value}" in row_text, (path, name, words)
            datatype = shapes.value(constraint, SH.datatype)
            if datatype is not None:
                assert any(h == str(datatype) for r in rows for h, _ in r.links())
            checked_properties += 1
    assert checked_classes >= 5 and checked_properties >= 20  # the test looked at enough to mean something


def test_the_shapes_page_lists_every_node_shape_with_targets_and_constraints(
        site: SitePlan, shapes: rdflib.Graph) -> None:
    page = parse_html(site.files["shapes/index.html"])
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        sections = [s for s in page.find_all("section", "shape") if str(shape) in s.text()]
        assert len(sections) == 1, shape
        section = sections[0]
        targets = {str(t) for t in shapes.objects(shape, SH.targetClass)}
        hrefs = {resolve_link("shapes/index.html", h)[0] if not h.startswith("http") else h
                 for h, _ in section.links()}
        for target in targets:
            assert (page_of(target) if target.startswith(INFO.base_iri) else target) in hrefs, (shape, target)
        for constraint in shapes.objects(shape, SH.property):
            message = shapes.value(constraint, SH.message)
            assert message is not None and str(message) in section.text()
            pattern = shapes.value(constraint, SH.pattern)
            if pattern is not None:
                assert str(pattern) in section.text()


def test_the_ontology_and_shapes_files_are_published_as_they_are(site: SitePlan) -> None:
    assert site.files["ontology/exokg.ttl"] == ONTOLOGY_FILE.read_bytes()
    assert site.files["shapes/exokg.shapes.ttl"] == SHAPES_FILE.read_bytes()
    for stem, source in (("ontology/exokg", ONTOLOGY_FILE), ("shapes/exokg.shapes", SHAPES_FILE)):
        original = rdflib.Graph().parse(source, format="turtle")
        assert isomorphic(original, rdflib.Graph().parse(data=site.files[f"{stem}.nt"], format="nt"))
        assert isomorphic(original, rdflib.Graph().parse(data=site.files[f"{stem}.jsonld"], format="json-ld"))
    # Every page links the three pages from its footer, and the links resolve.
    for path in ("index.html", "ontology/Article.html", "validation.html"):
        targets = {resolve_link(path, h)[0] for h, _ in parse_html(site.files[path]).links()}
        assert {"ontology/index.html", "shapes/index.html", "validation.html"} <= targets


def test_two_plans_give_identical_pages_although_blank_node_labels_differ(
        site: SitePlan, graph_triples: list[Triple]) -> None:
    again = plan_docs_site(graph_triples, validate(graph_triples, load_shapes(ROOT / "shapes")))
    for path in ("ontology/index.html", "ontology/Article.html", "shapes/index.html", "shapes/exokg.shapes.nt",
                 "shapes/exokg.shapes.jsonld", "validation.html"):
        assert again.files[path] == site.files[path], path


def test_an_ontology_outside_the_base_still_gets_its_overview(graph_triples: list[Triple]) -> None:
    base = "https://example.org/kg/"
    def move(term: object) -> object:
        # The data moves to the new base; the ontology's (and the concepts') IRIs stay where they are.
        if isinstance(term, NamedNode) and term.value.startswith(INFO.base_iri) and \
                not term.value.startswith(("https://w3id.org/exokg/ontology/", "https://w3id.org/exokg/concept/")):
            return NamedNode(base + term.value[len(INFO.base_iri):])
        return term

    moved = [Triple(move(t.subject), t.predicate, move(t.object)) for t in graph_triples]  # type: ignore[arg-type]
    site = plan_docs_site(moved, None, base_iri=base)
    assert site.warnings == []
    page = parse_html(site.files["ontology/index.html"])
    classes = rows_of(page, "ontology-classes")
    assert EXO_ARTICLE in classes  # no page for it on this site: the link is the term's IRI
    assert "not validated" in parse_html(site.files["validation.html"]).text()


# ---------------------------------------------------------------------------------------------------------
# The validation report.


def test_a_conforming_build_says_so(site: SitePlan) -> None:
    page = parse_html(site.files["validation.html"])
    text = page.text()
    assert "conforms" in text and "does not conform" not in text
    assert not page.find_all("table", "results")
    assert [c.text() for c in page.find_all("table", "counts")[0].find_all("td")] == \
        ["Violation", "0", "Warning", "0", "Info", "0"]


def bad_examples() -> list[Path]:
    return sorted((ROOT / "tests" / "data" / "shapes").glob("*/bad-*.ttl"))


def check_results_shown(site: SitePlan, report: ValidationReport) -> None:
    page = parse_html(site.files["validation.html"])
    rows = page.find_all("table", "results")[0].find_all("tr")[1:]
    assert len(rows) == len(report.results) > 0
    shown = []
    for row in rows:
        cells = row.find_all("td")
        focus_links = cells[1].links()
        assert len(focus_links) == 1
        link = focus_links[0][0]
        if link.startswith(("https://", "http://")):
            target = link  # a node the site has no page for (a cited work known by its DOI) links to its IRI
        else:
            target, _ = resolve_link("validation.html", link)
            assert target in site.files, target
        shown.append((cells[0].text(), target, cells[3].find_all("span", "message")[0].text()))
        shape_links = cells[4].links()
        if shape_links:
            file, fragment = resolve_link("validation.html", shape_links[0][0])
            assert file == "shapes/index.html" and parse_html(site.files[file]).by_id(fragment) is not None
    for result in report.results:
        # Each result's focus is linked to the page describing it (a part's page is its parent's page).
        described = result.focus.split("#", 1)[0]
        expected_page = page_of(described) if described.startswith(INFO.base_iri) else result.focus
        assert (result.severity, expected_page, " ".join(result.message.split())) in shown, result


def test_a_graph_without_a_title_is_reported_with_its_focus_linked(graph_triples: list[Triple]) -> None:
    articles = {t.subject for t in graph_triples if t.predicate.value == str(RDF.type)
                and t.object == NamedNode(EXO_ARTICLE)}
    broken = [t for t in graph_triples if not (t.subject in articles and t.predicate.value == DCTERMS_TITLE)]
    report = validate(broken, load_shapes(ROOT / "shapes"))
    assert not report.conforms and len(report.violations) >= len(articles)
    site = plan_docs_site(broken, report)
    assert site.warnings == []
    check_results_shown(site, report)
    assert "does not conform" in parse_html(site.files["validation.html"]).text()


def test_the_bad_shape_examples_are_all_reported(tmp_path: Path) -> None:
    triples = read_turtle_files(bad_examples(), "examples")
    report = validate(triples, load_shapes(ROOT / "shapes"))
    assert len({r.shape for r in report.violations}) >= 10
    site = plan_docs_site(triples, report)
    assert [w for w in site.warnings if w.startswith("validation.html")] == []
    check_results_shown(site, report)


def test_hostile_strings_are_escaped(graph_triples: list[Triple], tmp_path: Path) -> None:
    hostile_ontology = ONTOLOGY_FILE.read_text(encoding="utf-8") + f'''
exo:Hostile a owl:Class ; rdfs:label {rdflib.Literal(HOSTILE).n3()} ; rdfs:comment "</td></tr><b>x</b>" ;
    rdfs:subClassOf <javascript:alert(1)> .
'''
    hostile_shapes = SHAPES_FILE.read_text(encoding="utf-8") + f'''
exosh:HostileShape a sh:NodeShape ; sh:targetClass exo:Hostile ;
    sh:property [ sh:path exo:text ; sh:pattern "<script>" ; sh:message {rdflib.Literal(HOSTILE).n3()} ] .
'''
    shapes_path = tmp_path / "hostile.shapes.ttl"
    shapes_path.write_text(hostile_shapes, encoding="utf-8")
    focus = INFO.base_iri + "work/x"
    report = ValidationReport((ValidationResult(focus=focus, focus_label=HOSTILE, path=DCTERMS_TITLE,
                                                severity="Violation", message=HOSTILE,
                                                shape="https://w3id.org/exokg/shapes/HostileShape",
                                                value=HOSTILE),))
    hostile_triples = [*graph_triples, Triple(NamedNode(focus), NamedNode(str(RDFS.label)), Literal(HOSTILE))]
    site = plan_docs_site(hostile_triples, report,
                          vocabulary_files={"exokg.ttl": hostile_ontology.encode("utf-8")}, shapes_path=shapes_path)
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }} &amp;"
    for path in ("ontology/index.html", "ontology/Hostile.html", "shapes/index.html", "validation.html"):
        content = site.files[path].decode("utf-8")
        page = parse_html(site.files[path])  # well-formed: a hostile string closes no element
        assert not page.find_all("script") or all(s.attrs.get("type") == "application/ld+json"
                                                   for s in page.find_all("script")), path
        # The statements table (every triple as it is) is the resource pages' own; these pages' parts are checked.
        links = [a.attrs.get("href", "") for a in page.walk(prune="statements") if a.tag == "a"]
        assert links and not [h for h in links if h.lower().startswith("javascript:")], path
        assert escaped in content, path
        if path.startswith("ontology/"):
            assert "&lt;/td&gt;&lt;/tr&gt;&lt;b&gt;x&lt;/b&gt;" in content, path
    validation = parse_html(site.files["validation.html"])
    assert HOSTILE in validation.text()
    assert site.files["shapes/hostile.shapes.ttl"] == shapes_path.read_bytes()


# ---------------------------------------------------------------------------------------------------------
# The whole pipeline: a build published anyway shows its violations.


def test_a_build_published_anyway_shows_its_violations(project: Path) -> None:
    (project / "shapes" / "extra.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix exo: <https://w3id.org/exokg/ontology/> .
<https://w3id.org/exokg/shapes/StrictArticleShape> a sh:NodeShape ; sh:targetClass exo:Article ;
    sh:property [ sh:path exo:statedCitationCount ; sh:minCount 1 ; sh:minInclusive 1000000 ;
                  sh:message "every article is cited a million times" ] .
""", encoding="utf-8")
    config = load_config(project, environ={})
    result = build(config, publish_anyway=True)
    assert result.published and not result.report.conforms
    assert [w for w in result.warnings if "does not resolve" in w] == []
    site = config.output_dir
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert files["shapes/extra.ttl"] == (project / "shapes" / "extra.ttl").read_bytes()
    assert files["ontology/exokg.ttl"] == (project / "ontology" / "exokg.ttl").read_bytes()
    plan = SitePlan(files=files)
    check_results_shown(plan, result.report)
    assert "StrictArticleShape" in files["shapes/index.html"].decode("utf-8")
