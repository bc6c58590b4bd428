"""The graph stage writes exactly the expected triples, and the same triples every time."""

from __future__ import annotations

from pathlib import Path

import rdflib
from graph_fixtures import INFO, small_corpus
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from exokg.graph.mapping import map_bibliography, typed_date
from exokg.graph.store import jsonld, ntriples, turtle
from exokg.validate import load_shapes, validate
from exokg.works import resolve

DATA = Path(__file__).parent / "data" / "graph"
ROOT = Path(__file__).resolve().parents[1]


def assert_isomorphic(actual: rdflib.Graph, expected: rdflib.Graph) -> None:
    if not isomorphic(actual, expected):
        _both, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError(
            "graphs differ\n--- only in the output:\n"
            + only_actual.serialize(format="nt")
            + "\n--- only in the expected graph:\n"
            + only_expected.serialize(format="nt")
        )


def test_small_corpus_maps_to_the_expected_graph() -> None:
    triples = map_bibliography(resolve(small_corpus()), INFO)
    actual = rdflib.Graph().parse(data=turtle(triples).decode(), format="turtle")
    expected = rdflib.Graph().parse(DATA / "small-corpus.ttl", format="turtle")
    assert_isomorphic(actual, expected)


def test_every_serialisation_holds_the_same_graph() -> None:
    triples = map_bibliography(resolve(small_corpus()), INFO)
    from_ttl = rdflib.Graph().parse(data=turtle(triples).decode(), format="turtle")
    from_nt = rdflib.Graph().parse(data=ntriples(triples).decode(), format="nt")
    from_jsonld = rdflib.Graph().parse(data=jsonld(triples).decode(), format="json-ld")
    assert len(from_ttl) == len(triples)
    assert_isomorphic(from_nt, from_ttl)
    assert_isomorphic(from_jsonld, from_ttl)


def test_mapping_is_deterministic_and_sorted() -> None:
    first = map_bibliography(resolve(small_corpus()), INFO)
    again = map_bibliography(resolve(small_corpus()), INFO)
    assert ntriples(first) == ntriples(again)
    assert turtle(first) == turtle(again)


def test_small_corpus_conforms_to_the_shapes() -> None:
    report = validate(map_bibliography(resolve(small_corpus()), INFO), load_shapes(ROOT / "shapes"))
    assert report.conforms, report.as_text()
    assert report.results == ()


def test_printed_dates_become_typed_literals_as_precise_as_printed() -> None:
    assert str(typed_date("2024 Feb 14")) == '"2024-02-14"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert str(typed_date("2015 Apr")) == '"2015-04"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    assert str(typed_date("2019")) == '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert str(typed_date("2017-12-19")) == '"2017-12-19"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert typed_date("2019 Feb 30") is None
    assert typed_date("2019 Spring") is None
    assert typed_date("soon") is None
