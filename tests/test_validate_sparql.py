"""The shapes compiled to SPARQL give exactly pyshacl's report, or refuse and leave the graph to pyshacl.

pyshacl (``exokg.validate.validate``) is the reference throughout: every comparison is with its report on the
same triples and shapes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from project_fixtures import copy_project, synthetic_project
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse
from test_validate import SHAPE_EXAMPLES, _project_shapes, _triples

import exokg.validate
from exokg.config import load_config
from exokg.errors import ShapesError
from exokg.graph.store import memory_store
from exokg.pipeline import read_graph
from exokg.validate import validate, validate_triples
from exokg.validate.sparql import Unsupported, altered_literals, compile_shapes, validate_store

ROOT = Path(__file__).resolve().parents[1]
EXO = "https://w3id.org/exokg/ontology/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _turtle(text: str) -> list[Triple]:
    return [q.triple for q in parse((PREFIXES + text).encode("utf-8"), format=RdfFormat.TURTLE)]


def _shapes(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def _no_pyshacl(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("pyshacl ran although the shapes compile")


def test_the_project_shapes_compile() -> None:
    checks = compile_shapes(_project_shapes())
    # One check per constraint at least: a shapes file that silently compiled to nothing would pass everything.
    assert len(checks) > 100
    assert {c.shape.rsplit("/", 1)[-1] for c in checks} >= {"ArticleShape", "WorkShape", "AssertionShape",
                                                           "CitationShape", "RetrievalShape", "DatasetShape"}


@pytest.mark.parametrize("path", SHAPE_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_compiled_validation_equals_pyshacl_on_every_shape_example(path: Path) -> None:
    triples = _triples(path)
    reference = validate(triples, _project_shapes())
    if path.name.startswith("bad-"):
        assert reference.violations, f"{path}: a bad example should give violations to compare"
    if altered_literals(triples):
        # A store gives "1.0" back as "1": such graphs go to pyshacl, whose report names the value as written.
        assert validate_triples(triples, _project_shapes()) == reference
    else:
        assert validate_store(memory_store(triples), _project_shapes()) == reference


def test_literals_the_store_and_rdflib_read_differently_are_found() -> None:
    written = [Literal("007", datatype=NamedNode(XSD + "integer")), Literal("1.0", datatype=NamedNode(XSD + "decimal")),
               Literal("2026-01-01T00:00:00Z", datatype=NamedNode(XSD + "dateTime")),
               Literal("7", datatype=NamedNode(XSD + "integer")), Literal("007"), Literal("x", language="en")]
    triples = [Triple(NamedNode("http://example.org/a"), NamedNode("http://example.org/p"), o) for o in written]
    # Both give "007" back as "7" and "Z" as "+00:00" (rdflib's form, which the report uses); only the decimal
    # differs: the store says "1", rdflib "1.0".
    assert [o.value for o in altered_literals(triples)] == ["1.0"]


def _synthetic_triples(tmp: Path, articles: int) -> list[Triple]:
    return read_graph(load_config(synthetic_project(tmp / "project", articles, 5), environ={})).triples


def _broken(triples: list[Triple]) -> list[Triple]:
    """Violations of several kinds planted in a built graph: a missing title, a string position, two labels,
    a reference to an untyped work, an evidence sentence that is not in its work."""
    article = next(t.subject for t in triples if t.object == NamedNode(EXO + "Article"))
    authorship = next(t.subject for t in triples if t.object == NamedNode(EXO + "Authorship"))
    assertion = next(t.subject for t in triples if t.object == NamedNode(EXO + "Assertion"))
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    position = NamedNode("http://schema.org/position")
    kept = [t for t in triples if not (t.subject == article and t.predicate.value.endswith("/title"))
            and not (t.subject == authorship and t.predicate == position)
            and not (t.subject == assertion and t.predicate == NamedNode(EXO + "evidence"))]
    return [*kept, Triple(authorship, position, Literal("1")),
            Triple(article, label, Literal("a second label")),
            Triple(assertion, NamedNode(EXO + "evidence"), Literal("a sentence no work contains")),
            Triple(article, NamedNode("http://purl.org/spar/cito/cites"), NamedNode("http://example.org/x"))]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Triple]]:
    seed = read_graph(load_config(copy_project(tmp_path_factory.mktemp("seed") / "project"), environ={})).triples
    synthetic = _synthetic_triples(tmp_path_factory.mktemp("synthetic"), 12)
    return {"seed": seed, "synthetic": synthetic, "seed, broken": _broken(seed),
            "synthetic, broken": _broken(synthetic)}


@pytest.mark.parametrize("name", ["seed", "synthetic", "seed, broken", "synthetic, broken"])
def test_compiled_validation_equals_pyshacl_on_built_graphs(built: dict[str, list[Triple]], name: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    triples = built[name]
    assert not altered_literals(triples), "the mapping writes every typed literal in the form a store keeps"
    reference = validate(triples, _project_shapes())
    assert reference.conforms == ("broken" not in name)
    if "broken" in name:
        assert len({r.message for r in reference.violations}) >= 5
    monkeypatch.setattr(exokg.validate, "validate_partitioned", _no_pyshacl)
    assert validate_triples(triples, _project_shapes()) == reference


def test_instances_of_subclasses_in_the_data_are_focus_nodes_and_class_values() -> None:
    shapes = _shapes("""
        ex:S a sh:NodeShape ; sh:targetClass ex:Work ;
            sh:property [ sh:path ex:by ; sh:class ex:Person ; sh:minCount 1 ; sh:message "by a person" ] .
    """)
    data = _turtle("""
        ex:Review rdfs:subClassOf ex:Work . ex:Student rdfs:subClassOf ex:Person .
        ex:r1 a ex:Review ; ex:by ex:s1 . ex:s1 a ex:Student .
        ex:r2 a ex:Review ; ex:by ex:nobody .
        ex:r3 a ex:Review .
    """)
    reference = validate(data, shapes)
    assert {r.focus.rsplit("/", 1)[-1] for r in reference.violations} == {"r2", "r3"}
    assert validate_store(memory_store(data), shapes) == reference


def test_value_checks_judge_what_sparql_cannot_settle_as_pyshacl_does() -> None:
    shapes = _shapes(r"""
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
            sh:property [ sh:path ex:n ; sh:datatype xsd:integer ; sh:minInclusive 1 ; sh:lessThan ex:m ;
                          sh:message "n: an integer from 1, below m" ] ,
                        [ sh:path ex:code ; sh:pattern "^\\S+$" ; sh:minLength 2 ; sh:message "code" ] ,
                        [ sh:path ex:when ; sh:datatype xsd:date ; sh:message "when" ] ,
                        [ sh:path ex:kind ; sh:in ( ex:a "b" 3 ) ; sh:nodeKind sh:IRIOrLiteral ; sh:message "kind" ] .
    """)
    data = _turtle("""
        ex:x ex:p 1 ; ex:n 5 , "5" , "abc"^^xsd:integer , 0 , 9 ; ex:m 9 , "z" ;
             ex:code "ab" , "a b" , "é" , ex:iri , 12 ;
             ex:when "2024-02-30"^^xsd:date , "2024-02-28"^^xsd:date , "2024-12-31"^^xsd:date , "soon" ;
             ex:kind ex:a , "b" , 3 , "3" , ex:c , "b"@en .
    """)
    reference = validate(data, shapes)
    assert len(reference.violations) > 8
    assert validate_store(memory_store(data), shapes) == reference


@pytest.mark.parametrize("shape", [
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:message "m" .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ; '
    'sh:message "m" ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:T ; sh:message "m" . ex:T a sh:NodeShape .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; '
    'sh:select "SELECT $this WHERE { { SELECT $this WHERE { $this <http://example.org/p> ?y } } }" ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; '
    'sh:select "SELECT $this WHERE { OPTIONAL { $this <http://example.org/p> ?y } }" ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; '
    'sh:select "SELECT $this (COUNT(?y) AS ?n) WHERE { $this <http://example.org/p> ?y }" ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "{$this} is wrong" ; '
    'sh:select "SELECT $this WHERE { $this <http://example.org/p> ?y }" ] .',
], ids=["closed", "sequence path", "no message", "sh:node", "sub-select", "this only optional",
        "aggregate without group", "message placeholder"])
def test_what_does_not_compile_exactly_is_refused_and_left_to_pyshacl(shape: str) -> None:
    shapes = _shapes(shape)
    with pytest.raises(Unsupported):
        compile_shapes(shapes)
    data = _turtle("ex:a a ex:C ; ex:p ex:b . ex:b ex:q ex:c .")
    assert validate_triples(data, shapes) == validate(data, shapes)


def test_a_sparql_constraint_that_binds_this_in_a_triple_pattern_runs_once_for_the_whole_graph() -> None:
    shapes = _shapes("""
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "shape message" ;
            sh:sparql [ sh:message "fewer than two p" ; sh:select
                "SELECT $this WHERE { $this <http://example.org/p> ?y } GROUP BY $this HAVING (COUNT(?y) < 2)" ] .
    """)
    data = _turtle("ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 , 2 . ex:c ex:p 1 .")
    reference = validate(data, shapes)
    # pyshacl gives each result both the constraint's and the shape's message; so must the compiled check.
    assert {(r.focus, r.message) for r in reference.results} == {
        ("http://example.org/a", "fewer than two p"), ("http://example.org/a", "shape message")}
    assert validate_store(memory_store(data), shapes) == reference


def test_blank_nodes_in_the_data_go_to_pyshacl() -> None:
    data = _turtle('ex:a a ex:C ; ex:p [ ex:q "x" ] .')
    shapes = _shapes('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 0 ; '
                     'sh:message "no p" ] .')
    with pytest.raises(Unsupported):
        validate_store(memory_store(data), shapes)
    assert not validate_triples(data, shapes).conforms


def test_shapes_pyshacl_refuses_are_an_error_naming_why() -> None:
    shapes = _shapes('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; sh:select "SELECT '
                     '$this WHERE { $this <http://example.org/p> ?y MINUS { ?y <http://example.org/q> ?z } }" ] .')
    with pytest.raises(ShapesError, match="MINUS"):
        validate_triples(_turtle("ex:a a ex:C ; ex:p ex:b ."), shapes)
