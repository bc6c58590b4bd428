"""The validation report: readable, sorted, and robust to results with and without a path."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from project_fixtures import copy_project
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

import exokg.validate
from exokg.config import load_config
from exokg.pipeline import read_graph
from exokg.validate import (
    focus_nodes,
    load_shapes,
    partitions,
    shapes_reach,
    validate,
    validate_graph,
    validate_partitioned,
)

XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")

ROOT = Path(__file__).resolve().parents[1]


def test_node_level_and_property_results_on_one_node_are_reported_together() -> None:
    # An article with two titles and no identifier: a property result and a node-level one on the same node.
    data = rdflib.Graph().parse(format="turtle", data="""
        @prefix exo: <https://w3id.org/exokg/ontology/> . @prefix fabio: <http://purl.org/spar/fabio/> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/exokg/work/x> a fabio:Expression, exo:Article ; rdfs:label "X" ;
            dcterms:title "One title", "Another title" .
    """)
    report = validate_graph(data, load_shapes(ROOT / "shapes"))
    assert not report.conforms
    paths = {r.path for r in report.violations if r.focus == "https://w3id.org/exokg/work/x"}
    assert None in paths and "http://purl.org/dc/terms/title" in paths
    text = report.as_text()
    assert text.splitlines()[0].endswith("violation(s), 0 warning(s):")
    assert "- Violation: X <https://w3id.org/exokg/work/x> [title]: an article has exactly one title" in text


# --- The partitioned path gives exactly the whole-graph report ----------------------------------------------------

SHAPE_EXAMPLES = sorted((ROOT / "tests" / "data" / "shapes").glob("*/*.ttl"))
EXO = "https://w3id.org/exokg/ontology/"


@cache
def _project_shapes() -> rdflib.Graph:
    return load_shapes(ROOT / "shapes")


def _triples(path: Path) -> list[Triple]:
    return [q.triple for q in parse(path=str(path), format=RdfFormat.TURTLE)]


def test_the_project_shapes_have_a_bounded_reach_that_follows_sparql_constraints() -> None:
    reach = shapes_reach(_project_shapes())
    assert reach is not None
    # The evidence check follows the work an assertion is made in to the reference entries that cite it.
    assert ((EXO + "assertedIn", False), ("http://purl.org/spar/biro/references", True),
            ("http://purl.org/spar/c4o/hasContent", False)) in reach.paths
    assert ((EXO + "authorship", False), ("http://schema.org/position", False)) in reach.paths


def test_unbounded_shapes_are_validated_whole() -> None:
    shapes = rdflib.Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:class ex:D ] .
    """)
    assert shapes_reach(shapes) is None
    data = _triples_of("""
        @prefix ex: <http://example.org/> .
        ex:a a ex:C ; ex:p ex:b . ex:b ex:p ex:c . ex:c a ex:E .
    """)
    assert validate_partitioned(data, shapes, batch=1, workers=1) == validate(data, shapes)
    assert not validate(data, shapes).conforms


def _triples_of(turtle: str) -> list[Triple]:
    return [q.triple for q in parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE)]


@pytest.mark.parametrize("path", SHAPE_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_partitioned_validation_equals_whole_graph_on_every_shape_example(path: Path) -> None:
    triples = _triples(path)
    whole = validate(triples, _project_shapes())
    if path.name.startswith("bad-"):
        assert whole.violations, f"{path}: a bad example should give violations to compare"
    # A few focus nodes per partition: most neighbours live in another partition, so their triples must come
    # from the reach.
    assert validate_partitioned(triples, _project_shapes(), batch=3, workers=1, partition_all=True) == whole


def _seed_triples(tmp: Path) -> list[Triple]:
    return read_graph(load_config(copy_project(tmp / "project"))).triples


def test_partitioned_validation_in_worker_processes_equals_whole_graph_on_the_seed_build(tmp_path: Path) -> None:
    triples = _seed_triples(tmp_path)
    shapes = _project_shapes()
    nodes = focus_nodes(triples, shapes)
    batch = max(1, len(nodes) // 6)
    parts = list(partitions(triples, shapes, shapes_reach(shapes), batch))  # type: ignore[arg-type]
    assert len(parts) > 2
    assert sum(len(owned) for owned, _ in parts) == len(nodes)  # every focus node in exactly one partition
    # A violation planted in one article must be found in whichever partition holds it.
    article = next(t.subject for t in triples if t.object == NamedNode(EXO + "Article"))
    broken = [t for t in triples if not (t.subject == article and t.predicate.value.endswith("/title"))]
    whole = validate(broken, shapes)
    assert not whole.conforms
    assert validate_partitioned(broken, shapes, batch=batch, workers=2, partition_all=True) == whole


def _no_validation(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("pyshacl ran although every partition was cached")


def test_the_cache_revalidates_changed_partitions_and_never_serves_stale_results(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    triples = _seed_triples(tmp_path)
    shapes = _project_shapes()
    cache_dir = tmp_path / "cache"
    first = validate_partitioned(triples, shapes, cache_dir=cache_dir, batch=20, workers=1)
    entries = sorted(p.name for p in cache_dir.glob("*.json"))
    assert len(entries) > 2
    with monkeypatch.context() as patched:  # nothing changed: every partition's results come from the cache
        patched.setattr(exokg.validate, "pyshacl_validate", _no_validation)
        assert validate_partitioned(triples, shapes, cache_dir=cache_dir, batch=20, workers=1) == first
    # Break one assertion's offsets: only its partition's key changes, and the result is the fresh one.
    start = next(t for t in triples if t.predicate.value == EXO + "evidenceStart")
    changed = [Triple(t.subject, t.predicate, Literal("1000000", datatype=XSD_INTEGER)) if t == start else t
               for t in triples]
    again = validate_partitioned(changed, shapes, cache_dir=cache_dir, batch=20, workers=1)
    assert again == validate(changed, shapes)
    assert again.violations and not first.violations
    after = sorted(p.name for p in cache_dir.glob("*.json"))
    assert len(after) == len(entries) and 1 <= len(set(after) - set(entries)) < len(entries) // 2
